// Snap and report: the location picked on the city's offline map (click, tap or keyboard) or
// taken from the phone, with the typed address as the fallback that always works; and "use
// this category" for the category suggested from the description. Plain script, no library:
// the page must work on intranets without internet.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }

  // Ray casting, as yiwang.hotline.geometry.contains on the server.
  function contains(polygon, lng, lat) {
    var inside = false;
    for (var i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
      var xi = polygon[i][0], yi = polygon[i][1], xj = polygon[j][0], yj = polygon[j][1];
      if ((yi > lat) !== (yj > lat) && lng < (xj - xi) * (lat - yi) / (yj - yi) + xi) { inside = !inside; }
    }
    return polygon.length >= 3 && inside;
  }

  ready(function () {
    var fieldset = document.getElementById("location");
    var status = document.getElementById("location-status");
    var lat = document.getElementById("id_latitude");
    var lng = document.getElementById("id_longitude");
    if (!fieldset || !status || !lat || !lng) { return; }
    function message(name, values) {
      var text = fieldset.getAttribute("data-" + name) || "";
      Object.keys(values || {}).forEach(function (key) { text = text.replace("{" + key + "}", values[key]); });
      return text;
    }
    function say(text) {
      // Emptied first so that the same sentence twice is announced twice.
      status.textContent = "";
      window.setTimeout(function () { status.textContent = text; }, 50);
    }

    var dataNode = document.getElementById("city-map-data");
    var data = dataNode ? JSON.parse(dataNode.textContent) : null;
    var svg = document.getElementById("city-map");
    var pin = document.getElementById("map-pin");
    var map = null;

    function placeAt(longitude, latitude) {
      if (!data) { return null; }
      for (var i = 0; i < data.areas.length; i++) {
        var area = data.areas[i];
        if (contains(area.polygon, longitude, latitude)) { return area.county ? area.county + " " + area.name : area.name; }
      }
      return null;
    }

    if (data && svg && pin) {
      document.getElementById("map-picker").hidden = false;
      map = { view: { x: 0, y: 0, w: data.width, h: data.height }, point: null };
      var toMap = function (longitude, latitude) {
        return { x: (longitude - data.west) * data.xPerDegree, y: (data.north - latitude) * data.yPerDegree };
      };
      var toLngLat = function (x, y) {
        return { lng: data.west + x / data.xPerDegree, lat: data.north - y / data.yPerDegree };
      };
      var unitsPerPixel = function () {
        var width = svg.getBoundingClientRect().width || data.width;
        return Math.max(map.view.w / width, map.view.h / (svg.getBoundingClientRect().height || data.height));
      };
      var drawPin = function () {
        if (!map.point) { pin.setAttribute("display", "none"); return; }
        var p = toMap(map.point.lng, map.point.lat);
        pin.setAttribute("transform", "translate(" + p.x.toFixed(1) + "," + p.y.toFixed(1) + ") scale(" + unitsPerPixel().toFixed(3) + ")");
        pin.removeAttribute("display");
      };
      var setView = function (w, cx, cy) {
        w = Math.min(data.width, Math.max(data.width / 16, w));
        var h = w * data.height / data.width;
        var x = Math.min(Math.max(cx - w / 2, 0), data.width - w);
        var y = Math.min(Math.max(cy - h / 2, 0), data.height - h);
        map.view = { x: x, y: y, w: w, h: h };
        svg.setAttribute("viewBox", [x, y, w, h].map(function (v) { return v.toFixed(1); }).join(" "));
        drawPin();
      };
      // Moves the pin; the hidden fields hold what the pin shows, or nothing when it is outside.
      map.drop = function (longitude, latitude, announce) {
        var place = placeAt(longitude, latitude);
        map.point = { lng: longitude, lat: latitude };
        drawPin();
        if (place) {
          lat.value = latitude.toFixed(6);
          lng.value = longitude.toFixed(6);
          if (announce) { say(message("picked", { place: place })); }
        } else {
          lat.value = "";
          lng.value = "";
          if (announce) { say(message("outside")); }
        }
        return place;
      };
      map.follow = function () {
        if (!map.point) { return; }
        var p = toMap(map.point.lng, map.point.lat);
        var v = map.view;
        if (p.x < v.x || p.x > v.x + v.w || p.y < v.y || p.y > v.y + v.h) { setView(v.w, p.x, p.y); }
      };
      var zoom = function (factor) {
        var centre = map.point ? toMap(map.point.lng, map.point.lat) : { x: map.view.x + map.view.w / 2, y: map.view.y + map.view.h / 2 };
        setView(map.view.w * factor, centre.x, centre.y);
      };

      svg.addEventListener("click", function (event) {
        var matrix = svg.getScreenCTM();
        if (!matrix) { return; }
        var point = svg.createSVGPoint();
        point.x = event.clientX;
        point.y = event.clientY;
        var p = point.matrixTransform(matrix.inverse());
        var where = toLngLat(p.x, p.y);
        map.drop(where.lng, where.lat, true);
      });
      svg.addEventListener("keydown", function (event) {
        var steps = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
        var step = steps[event.key];
        if (step) {
          event.preventDefault();
          var distance = map.view.w / (event.shiftKey ? 8 : 40);
          var from = map.point ? toMap(map.point.lng, map.point.lat) : { x: map.view.x + map.view.w / 2, y: map.view.y + map.view.h / 2 };
          var x = Math.min(Math.max(from.x + (map.point ? step[0] * distance : 0), 0), data.width);
          var y = Math.min(Math.max(from.y + (map.point ? step[1] * distance : 0), 0), data.height);
          var where = toLngLat(x, y);
          map.drop(where.lng, where.lat, true);
          map.follow();
        } else if (event.key === "Enter") {
          event.preventDefault();
          if (!map.point) {
            var centre = toLngLat(map.view.x + map.view.w / 2, map.view.y + map.view.h / 2);
            map.drop(centre.lng, centre.lat, true);
          } else {
            var place = placeAt(map.point.lng, map.point.lat);
            say(place ? message("confirmed", { place: place }) : message("outside"));
          }
        } else if (event.key === "+" || event.key === "=") {
          event.preventDefault();
          zoom(0.5);
        } else if (event.key === "-" || event.key === "_") {
          event.preventDefault();
          zoom(2);
        }
      });
      document.getElementById("map-zoom-in").addEventListener("click", function () { zoom(0.5); });
      document.getElementById("map-zoom-out").addEventListener("click", function () { zoom(2); });
      document.getElementById("map-clear").addEventListener("click", function () {
        map.point = null;
        lat.value = "";
        lng.value = "";
        drawPin();
        say(message("cleared"));
      });
      window.addEventListener("resize", drawPin);
      // A point kept after a refused submission (or the back button) shows as the pin.
      if (lat.value && lng.value && !isNaN(parseFloat(lat.value)) && !isNaN(parseFloat(lng.value))) {
        map.drop(parseFloat(lng.value), parseFloat(lat.value), false);
      }
    }

    var button = document.getElementById("use-location");
    if (button && "geolocation" in navigator) {
      button.hidden = false;
      button.addEventListener("click", function () {
        say(message("locating"));
        navigator.geolocation.getCurrentPosition(function (position) {
          var longitude = position.coords.longitude, latitude = position.coords.latitude;
          if (map) {
            var place = placeAt(longitude, latitude);
            if (!place) { say(message("located-outside")); return; }
            map.drop(longitude, latitude, false);
            map.follow();
            say(message("located", { place: place }));
          } else {
            lat.value = latitude.toFixed(6);
            lng.value = longitude.toFixed(6);
            say(message("located-point", { lat: lat.value, lng: lng.value }));
          }
        }, function (error) {
          var name = { 1: "denied", 2: "unavailable", 3: "timeout" }[error && error.code] || "unavailable";
          say(message(name));
        }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
      });
    }

    document.addEventListener("click", function (event) {
      var code = event.target && event.target.getAttribute && event.target.getAttribute("data-use-category");
      if (!code) { return; }
      var select = document.getElementById("id_category_code");
      if (select) { select.value = code; select.focus(); }
    });
  });
})();
