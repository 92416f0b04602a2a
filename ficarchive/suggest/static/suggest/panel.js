/* Suggested tags: Add and Dismiss in one click, without reloading the page.
   Progressive enhancement of the panel's plain forms (which work without this file). */
(function () {
  "use strict";
  var panel = document.getElementById("suggestions");
  if (!panel || !window.fetch || !window.FormData) { return; }
  var status = panel.querySelector("[data-suggest-status]");
  var empty = panel.querySelector("[data-suggest-empty]");

  function say(text, isError) {
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("error", !!isError);
  }

  function settle(item, remaining) {
    var group = item.closest("[data-suggest-group]");
    item.remove();
    if (group && !group.querySelector("[data-suggestion]")) { group.remove(); }
    if (typeof remaining === "number") { panel.setAttribute("data-remaining", String(remaining)); }
    if (empty && !panel.querySelector("[data-suggestion]")) { empty.classList.remove("is-hidden"); }
  }

  panel.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-suggest-action]")) { return; }
    event.preventDefault();
    var item = form.closest("[data-suggestion]");
    var buttons = item ? item.querySelectorAll("button") : [];
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
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
        /* A rating or warning changes only when the creator confirms old and new value. */
        if (window.confirm(result.data.error)) {
          body.set("confirm_from", result.data.confirm.from);
          body.set("confirm_to", result.data.confirm.to);
          send(form, item, buttons, body);
        } else {
          Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
        }
      } else if (result.ok && result.data.ok) {
        say(result.data.message, false);
        if (item) { settle(item, result.data.remaining); }
      } else {
        say(result.data.error || "That did not work; please try again.", true);
        Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
      }
    }).catch(function () {
      /* Network or server trouble: fall back to the plain form post. */
      form.submit();
    });
  }
}());
