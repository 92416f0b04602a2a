// The guest's time zone, from the browser, for the server to show dates in (core/display.py
// checks the name against the tz database; anything else falls back to the site's zone).
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone || !/^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone)) { return; }
  var current = document.cookie.split("; ").filter(function (c) { return c.indexOf("tz=") === 0; })[0];
  if (current === "tz=" + zone) { return; }
  document.cookie = "tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
})();
