// Snap and report: the location from the phone (with the typed address as the fallback), and
// "use this category" for the category suggested from the description.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }
  ready(function () {
    var button = document.getElementById("use-location");
    var status = document.getElementById("location-status");
    var lat = document.getElementById("id_latitude");
    var lng = document.getElementById("id_longitude");
    if (button && status && lat && lng && "geolocation" in navigator) {
      button.hidden = false;
      button.addEventListener("click", function () {
        status.textContent = button.getAttribute("data-locating");
        navigator.geolocation.getCurrentPosition(function (position) {
          lat.value = position.coords.latitude.toFixed(6);
          lng.value = position.coords.longitude.toFixed(6);
          status.textContent = button.getAttribute("data-located").replace("{lat}", lat.value).replace("{lng}", lng.value);
        }, function () {
          status.textContent = button.getAttribute("data-failed");
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
