// Progressive enhancement of the work filter: a facet checkbox applies at once, and the
// address keeps only the fields in use, so it stays short enough to share.
(function () {
  "use strict";
  var form = document.getElementById("work-filters");
  if (!form) { return; }
  function go() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (String(value).trim() !== "") { params.append(key, value); }
    });
    var qs = params.toString();
    window.location.assign(form.getAttribute("action") + (qs ? "?" + qs : ""));
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); go(); });
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target && (target.type === "checkbox" || target.type === "radio" || target.tagName === "SELECT")) { go(); }
  });
})();
