// The operator's console: ↓ from the search box selects the first answer, ↑ ↓ move between
// answers, Esc goes back to the search box, ? (outside a field) opens the shortcut list.
(function () {
  "use strict";
  function answers() { return Array.prototype.slice.call(document.querySelectorAll("#kb-results .kb-answer")); }
  function typing(el) { return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT"); }
  document.addEventListener("keydown", function (event) {
    var search = document.getElementById("kb-q");
    var target = event.target;
    if (!search) { return; }
    var list = answers();
    if (target === search && event.key === "ArrowDown" && list.length) {
      event.preventDefault();
      list[0].focus();
      return;
    }
    var at = list.indexOf(target);
    if (at >= 0) {
      if (event.key === "ArrowDown" && at + 1 < list.length) { event.preventDefault(); list[at + 1].focus(); }
      else if (event.key === "ArrowUp") { event.preventDefault(); (at === 0 ? search : list[at - 1]).focus(); }
      else if (event.key === "Escape") { event.preventDefault(); search.focus(); }
      return;
    }
    if (event.key === "?" && !typing(target)) {
      var help = document.getElementById("shortcuts");
      if (help) { event.preventDefault(); help.open = !help.open; if (help.open) { help.querySelector("summary").focus(); } }
    }
  });
})();
