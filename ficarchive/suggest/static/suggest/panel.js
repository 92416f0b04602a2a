/* Suggested tags: Add and Dismiss without reloading the page.
   Progressive enhancement of the panel's plain forms (which work without this file).
   A rating or an archive warning is never changed in one click: the server answers with
   the old and new value, and the creator confirms them here, inline and by keyboard. */
(function () {
  "use strict";
  var gettext = window.gettext || function (s) { return s; };
  var interpolate = window.interpolate || function (fmt, obj) {
    return fmt.replace(/%\((\w+)\)s/g, function (_, key) { return String(obj[key]); });
  };
  var panel = document.getElementById("suggestions");
  if (!panel || !window.fetch || !window.FormData) { return; }
  var status = panel.querySelector("[data-suggest-status]");
  var empty = panel.querySelector("[data-suggest-empty]");

  function say(text, isError) {
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("error", !!isError);
  }

  function enable(buttons, on) {
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = !on; });
  }

  function settle(item, remaining) {
    var group = item.closest("[data-suggest-group]");
    item.remove();
    if (group && !group.querySelector("[data-suggestion]")) { group.remove(); }
    if (typeof remaining === "number") { panel.setAttribute("data-remaining", String(remaining)); }
    if (empty && !panel.querySelector("[data-suggestion]")) { empty.classList.remove("is-hidden"); }
  }

  function showCurrent(data) {
    /* "The work now": rating, warnings and whether the adult-content notice shows. */
    var rating = document.querySelector("[data-current-rating]");
    var warnings = document.querySelector("[data-current-warnings]");
    var notice = document.querySelector("[data-current-notice]");
    if (rating && data.rating) { rating.textContent = data.rating; }
    if (warnings && data.warnings) { warnings.textContent = data.warnings.join(", ") || gettext("none"); }
    if (notice && typeof data.adult_notice === "boolean") {
      notice.textContent = notice.getAttribute(data.adult_notice ? "data-on" : "data-off");
    }
  }

  function askToConfirm(form, item, buttons, body, change, message) {
    /* An inline confirmation naming the old and the new value; Keep is the default. */
    var box = document.createElement("div");
    box.className = "suggest-confirm";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", gettext("Confirm the change"));
    var text = document.createElement("p");
    text.textContent = message;
    var yes = document.createElement("button");
    yes.type = "button";
    yes.className = "primary";
    yes.textContent = interpolate(gettext("Change from %(old)s to %(new)s"),
      { old: change.from || gettext("none"), new: change.to }, true);
    var no = document.createElement("button");
    no.type = "button";
    no.textContent = interpolate(gettext("Keep %(old)s"), { old: change.from || gettext("none") }, true);
    box.appendChild(text);
    box.appendChild(yes);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(no);
    (item || form).appendChild(box);
    yes.addEventListener("click", function () {
      body.set("confirm_from", change.from);
      body.set("confirm_to", change.to);
      box.remove();
      send(form, item, buttons, body);
    });
    no.addEventListener("click", function () {
      box.remove();
      enable(buttons, true);
      say(interpolate(gettext("Kept %(old)s."), { old: change.from || gettext("none") }, true), false);
      if (buttons.length) { buttons[0].focus(); }
    });
    no.focus();
  }

  panel.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-suggest-action]")) { return; }
    event.preventDefault();
    var item = form.closest("[data-suggestion]");
    var buttons = item ? item.querySelectorAll(".suggest-actions button") : [];
    enable(buttons, false);
    send(form, item, buttons, new FormData(form));
  });

  function send(form, item, buttons, body) {
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (result.data.confirm) {
        askToConfirm(form, item, buttons, body, result.data.confirm, result.data.error);
      } else if (result.ok && result.data.ok) {
        say(result.data.message, false);
        showCurrent(result.data);
        if (item) { settle(item, result.data.remaining); }
      } else {
        say(result.data.error || gettext("That did not work; please try again."), true);
        enable(buttons, true);
      }
    }).catch(function () {
      /* Network or server trouble: fall back to the plain form post. */
      form.submit();
    });
  }
}());
