/* The "building your download" page: ask every few seconds (HEAD, no file body) whether
   the file is ready; then start the download, or show the error page when the build
   failed. The reader can stop the checks (WCAG 2.2.1). Without JavaScript a
   <noscript> refresh reloads the page instead. */
(function () {
  "use strict";
  var gettext = window.gettext || function (s) { return s; };
  var box = document.querySelector("[data-download-wait]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-url");
  var seconds = parseInt(box.getAttribute("data-seconds"), 10) || 5;
  var status = box.querySelector("[data-download-status]");
  var stop = box.querySelector("[data-download-stop]");
  var timer = null;
  function check() {
    fetch(url, { method: "HEAD", credentials: "same-origin" }).then(function (response) {
      if (response.status === 202) { timer = window.setTimeout(check, seconds * 1000); return; }
      if (response.ok) {
        if (status) { status.textContent = gettext("Your download is ready; it starts now."); }
        window.location.assign(url);
        if (stop) { stop.hidden = true; }
        return;
      }
      window.location.reload();  /* the error page (or a wait imposed by the rate limit) */
    }).catch(function () { timer = window.setTimeout(check, seconds * 1000); });
  }
  if (stop) {
    stop.hidden = false;
    stop.addEventListener("click", function () {
      window.clearTimeout(timer);
      stop.hidden = true;
      if (status) { status.textContent = gettext("Checking stopped. Use \u201cCheck now\u201d when you are ready."); }
    });
  }
  timer = window.setTimeout(check, seconds * 1000);
}());
