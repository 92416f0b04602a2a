// Progressive enhancement of the work filter. The filter applies only when the reader
// submits it (the "Sort and Filter" button or Enter): arrow keys in a select and Space on
// a checkbox change the form, never the page, so a keyboard user keeps their place
// (WCAG 3.2.2). On submit the address keeps only the fields in use, so it stays short
// enough to share. On a phone the "Filters" panel starts closed, results one tap away.
(function () {
  "use strict";
  var form = document.getElementById("work-filters");
  if (!form) { return; }
  var panel = document.getElementById("filter-panel");
  var narrow = window.matchMedia && window.matchMedia("(max-width: 40rem)").matches;
  if (panel && narrow && window.location.hash !== "#work-filters") { panel.open = false; }
  /* "Skip to filters" opens the panel when a phone had it closed (the browser has already
     moved the focus start to the form, so no focus() here: it would race the next Tab). */
  window.addEventListener("hashchange", function () {
    if (window.location.hash === "#work-filters" && panel) { panel.open = true; }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (String(value).trim() !== "") { params.append(key, value); }
    });
    var qs = params.toString();
    window.location.assign(form.getAttribute("action") + (qs ? "?" + qs : ""));
  });
})();
