/* Tag autocomplete: progressive enhancement for every input with
   data-autocomplete="fandom|relationship|character|freeform". The inputs hold
   comma-separated tags (add data-autocomplete-single for one tag; data-autocomplete-kind-from
   names a select whose chosen option's data-kind overrides the kind); suggestions come
   from /tags/autocomplete, characters and relationships of the form's chosen fandoms
   first. Without JavaScript the inputs stay plain text fields. */
(function () {
  "use strict";
  var script = document.currentScript;
  var ENDPOINT = (script && script.getAttribute("data-endpoint")) || "/tags/autocomplete";
  var counter = 0;
  // Django's JavaScript catalogue (base.html); English without it.
  function ngettext(one, many, n) {
    return window.ngettext ? window.ngettext(one, many, n) : (n === 1 ? one : many);
  }
  function interpolate(fmt, obj) {
    return window.interpolate ? window.interpolate(fmt, obj, true)
      : fmt.replace(/%\((\w+)\)s/g, function (m, k) { return obj[k]; });
  }

  if (script && script.src) {  // our own stylesheet, next to this file (CSP: style-src 'self')
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = script.src.replace(/autocomplete\.js(\?.*)?$/, "autocomplete.css");
    document.head.appendChild(css);
  }

  function pieces(value) { return value.split(","); }
  function lastPiece(value) { var p = pieces(value); return p[p.length - 1].trim(); }

  function fandomsFor(input) {
    var scope = input.form || document;
    var names = [];
    scope.querySelectorAll('[data-autocomplete="fandom"]').forEach(function (f) {
      if (f === input) { return; }
      pieces(f.value).forEach(function (n) { n = n.trim(); if (n) { names.push(n); } });
    });
    return names;
  }

  function attach(input) {
    var kind = input.getAttribute("data-autocomplete");
    var single = input.hasAttribute("data-autocomplete-single");
    var id = "tag-ac-" + (++counter);
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var timer = null, seq = 0, items = [], active = -1;

    list.id = id;
    list.className = "tag-autocomplete";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.parentNode.classList.add("tag-autocomplete-host");
    input.insertAdjacentElement("afterend", list);
    // Screen readers hear how many suggestions came (WCAG 4.1.3 status messages).
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    list.insertAdjacentElement("afterend", status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");

    function close() {
      list.hidden = true; items = []; active = -1; status.textContent = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(i) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (o, n) { o.setAttribute("aria-selected", n === i ? "true" : "false"); });
      active = i;
      if (i >= 0 && options[i]) { input.setAttribute("aria-activedescendant", options[i].id); }
      else { input.removeAttribute("aria-activedescendant"); }
    }

    function choose(i) {
      var item = items[i];
      if (!item) { return; }
      if (single) {
        input.value = item.name;
      } else {
        var p = pieces(input.value);
        p[p.length - 1] = (p.length > 1 ? " " : "") + item.name;
        input.value = p.join(",") + ", ";
      }
      close();
      input.focus();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function render(results) {
      items = results;
      list.textContent = "";
      results.forEach(function (r, n) {
        var li = document.createElement("li");
        li.id = id + "-" + n;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.className = r.canonical ? "canonical" : "";
        li.textContent = r.name;
        if (r.synonym_of) {
          var note = document.createElement("span");
          note.className = "synonym-of";
          note.textContent = " \u2192 " + r.synonym_of;
          li.appendChild(note);
        }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(n); });
        list.appendChild(li);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      active = -1;
      status.textContent = results.length ? interpolate(ngettext(
        "%(count)s suggestion: Down Arrow to choose it, Enter to take it.",
        "%(count)s suggestions: Down and Up Arrows to choose one, Enter to take it.",
        results.length), { count: results.length }) : "";
    }

    function lookup() {
      var term = single ? input.value.trim() : lastPiece(input.value);
      if (!term) { close(); return; }
      var params = new URLSearchParams({ term: term });
      var wanted = kind;
      var kindFrom = document.getElementById(input.getAttribute("data-autocomplete-kind-from") || "");
      if (kindFrom && kindFrom.selectedOptions.length) {  // e.g. the mass action chosen decides the kind
        var chosen = kindFrom.selectedOptions[0].getAttribute("data-kind");
        if (chosen !== null) { wanted = chosen; }
      }
      if (wanted) { params.set("kind", wanted); }
      fandomsFor(input).forEach(function (f) { params.append("fandom", f); });
      var mine = ++seq;
      fetch(ENDPOINT + "?" + params.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (mine === seq && document.activeElement === input) { render(data.results || []); } })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(lookup, 120); });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) {
        // WAI-ARIA combobox pattern: Down Arrow (or Alt+Down) on a closed list opens it,
        // so suggestions dismissed with Escape come back without retyping.
        if (e.key === "ArrowDown") { e.preventDefault(); lookup(); }
        return;
      }
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(active); }
      else if (e.key === "Tab" && active >= 0) { choose(active); }
      else if (e.key === "Escape") { e.preventDefault(); close(); }
    });
  }

  function init() { document.querySelectorAll("input[data-autocomplete]").forEach(attach); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
}());
