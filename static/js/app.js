// Behaviours of the review page, on top of htmx:
// - evidence: selecting a code (click, focus, j/k) highlights its note text and scrolls it into view;
// - keyboard shortcuts for coders: j/k next/previous, a accept, r reject, e edit, f first-listed, u undo;
// - the ICD-10-CM combobox (ARIA 1.2): arrow keys, Enter, Escape, click on an option;
// - focus stays on the code a person acted on when its group is swapped;
// - errors from htmx requests (403, 409, 422, 5xx) are shown in the alert region, not swallowed.
(function () {
  "use strict";

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("li.suggestion[data-id]")); }
  function marksFor(id) {
    return Array.prototype.filter.call(document.querySelectorAll("mark[data-for]"), function (m) {
      return m.getAttribute("data-for").split(" ").indexOf(String(id)) >= 0;
    });
  }
  function focusEvidence(id) {
    document.querySelectorAll("mark.active").forEach(function (m) { m.classList.remove("active"); });
    var marks = marksFor(id);
    marks.forEach(function (m) { m.classList.add("active"); });
    if (marks.length) marks[0].scrollIntoView({ behavior: "smooth", block: "center" });
  }
  function select(row) {
    if (!row) return;
    rows().forEach(function (r) { r.classList.remove("selected"); });
    row.classList.add("selected");
    row.focus({ preventScroll: false });
    focusEvidence(row.getAttribute("data-id"));
  }

  // The queue: "select every encounter on this page" ticks (or clears) the page's row boxes.
  document.addEventListener("change", function (event) {
    var all = event.target.closest("input[data-select-page]");
    if (!all) return;
    var form = all.closest("form") || document;
    form.querySelectorAll("input[type=checkbox][name=ids]").forEach(function (box) { box.checked = all.checked; });
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest("[role=option][data-code]");
    if (option) { choose(option); return; }
    var link = event.target.closest("a[data-suggestion]");
    if (link) { event.preventDefault(); focusEvidence(link.getAttribute("data-suggestion")); return; }
    var row = event.target.closest("li.suggestion[data-id]");
    if (row && !event.target.closest("button, input, select, a, form")) select(row);
  });

  // ---- keyboard shortcuts ----
  var KEYS = { a: "a", r: "r", e: "e", f: "f", u: "u" };
  var lastActed = null;   // the row id a shortcut or button acted on, to restore focus after the swap
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var t = event.target;
    if (t.closest && t.closest("input, textarea, select, [contenteditable=true]")) return;
    var list = rows();
    if (!list.length) return;
    var current = t.closest ? t.closest("li.suggestion[data-id]") : null;
    var index = current ? list.indexOf(current) : -1;
    if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      var next = event.key === "j" ? Math.min(index + 1, list.length - 1) : Math.max(index - 1, 0);
      select(list[index < 0 ? 0 : next]);
      return;
    }
    if (KEYS[event.key] && current) {
      var button = current.querySelector('button[data-key="' + KEYS[event.key] + '"]');
      if (button) {
        event.preventDefault();
        // After accept/reject the next row is where a coder wants to be.
        lastActed = { id: current.getAttribute("data-id"), advance: event.key === "a" || event.key === "r",
                      nextId: list[index + 1] ? list[index + 1].getAttribute("data-id") : null };
        button.click();
      }
    }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var row = event.target.closest && event.target.closest("li.suggestion[data-id]");
    if (row && !lastActed) lastActed = { id: row.getAttribute("data-id"), advance: false, nextId: null };
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var combo = event.target.matches && event.target.matches("[role=listbox]") ? event.target : null;
    if (combo) { opened(combo); return; }
    if (!lastActed) {
      // An edit form swapped in by a click elsewhere: put the cursor in its code field.
      var editing = event.target.matches && event.target.matches("li.suggestion.editing") ? event.target : null;
      var input = editing && editing.querySelector("input[name=code]");
      if (input) input.focus();
      return;
    }
    var wanted = lastActed.advance && lastActed.nextId ? lastActed.nextId : lastActed.id;
    // Other swaps settle too (the HCC summary comes out of band with a decision): only the swap that
    // brought the suggestion rows back may use, and so end, the pending focus move.
    var swapped = document.getElementById("suggestion-" + wanted) || document.getElementById("suggestion-" + lastActed.id);
    if (!swapped || !(event.target === swapped || (event.target.contains && event.target.contains(swapped)))) return;
    lastActed = null;
    // Settling comes a moment after the swap: if the person has already moved on (typing in another
    // field), leave the focus where they put it instead of pulling it back to the row.
    var active = document.activeElement;
    if (active && active !== document.body && !event.target.contains(active)) return;
    var row = document.getElementById("suggestion-" + wanted);
    if (row) {
      var field = row.querySelector("input[data-combobox], input[name=code]");
      if (field) field.focus(); else select(row);
    }
  });

  // ---- combobox ----
  function listFor(input) { return document.getElementById(input.getAttribute("data-combobox")); }
  function options(list) { return Array.prototype.slice.call(list.querySelectorAll("[role=option][data-code]")); }
  function opened(list) {
    var input = document.querySelector('[aria-controls="' + list.id + '"]');
    if (!input) return;
    var any = list.children.length > 0;
    input.setAttribute("aria-expanded", any ? "true" : "false");
    input.removeAttribute("aria-activedescendant");
    list.classList.toggle("open", any);
  }
  function activate(input, option) {
    var list = listFor(input);
    options(list).forEach(function (o) { o.setAttribute("aria-selected", o === option ? "true" : "false"); });
    if (option) { input.setAttribute("aria-activedescendant", option.id); option.scrollIntoView({ block: "nearest" }); }
  }
  function close(input) {
    var list = listFor(input);
    list.innerHTML = "";
    list.classList.remove("open");
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }
  function choose(option) {
    var list = option.closest("[role=listbox]");
    var input = document.querySelector('[aria-controls="' + list.id + '"]');
    if (!input) return;
    input.value = option.getAttribute("data-code");
    close(input);
    input.focus();
  }
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-combobox]")) return;
    var list = listFor(input);
    var opts = options(list);
    var active = document.getElementById(input.getAttribute("aria-activedescendant") || "");
    var at = active ? opts.indexOf(active) : -1;
    if (event.key === "ArrowDown" && opts.length) { event.preventDefault(); activate(input, opts[Math.min(at + 1, opts.length - 1)]); }
    else if (event.key === "ArrowUp" && opts.length) { event.preventDefault(); activate(input, opts[Math.max(at - 1, 0)]); }
    else if (event.key === "Enter" && active) { event.preventDefault(); choose(active); }
    else if (event.key === "Escape") {
      // The answer to a keystroke made just before may still be on its way: remember what was
      // dismissed, so that answer does not reopen the list (typing something else does).
      input.setAttribute("data-dismissed", input.value);
      if (list.children.length) { event.preventDefault(); close(input); }
    }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[data-combobox]") && input.getAttribute("data-dismissed") === input.value) {
      event.preventDefault();
    }
  });

  // ---- forms and errors ----
  document.body.addEventListener("revrx:code-added", function () {
    var form = document.getElementById("add-code");
    if (form) { form.reset(); var input = form.querySelector("input[data-combobox]"); if (input) close(input); }
  });
  document.addEventListener("htmx:responseError", function (event) {
    var flash = document.getElementById("flash");
    if (!flash) return;
    var xhr = event.detail.xhr;
    var html = xhr && xhr.responseText && xhr.responseText.indexOf("notice") >= 0 ? xhr.responseText : "";
    flash.innerHTML = html || '<div class="notice error"><strong>That did not work.</strong> Reload the page and try again.</div>';
    flash.classList.add("shown");
    lastActed = null;
  });
  document.addEventListener("htmx:sendError", function () {
    var flash = document.getElementById("flash");
    if (flash) { flash.innerHTML = '<div class="notice error"><strong>RevRX is not reachable.</strong> Check the connection and try again.</div>'; flash.classList.add("shown"); }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    // A new action replaces the last message; the typeahead's background lookups are not actions,
    // and the coder searching for a better code still needs to read why the last one was refused.
    if (event.target.matches && event.target.matches("input[data-combobox]")) return;
    var flash = document.getElementById("flash");
    if (flash && flash.classList.contains("shown")) { flash.classList.remove("shown"); flash.innerHTML = ""; }
  });
  document.addEventListener("click", function (event) {
    var flash = event.target.closest("#flash");
    if (flash) { flash.classList.remove("shown"); flash.innerHTML = ""; }
  });
  // A swapped-in preview takes focus, so keyboard and screen-reader users land on it.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target.id === "writeback") {
      var title = event.target.querySelector("#writeback-title");
      if (title && event.target.classList.contains("preview")) { title.focus(); }
    }
  });
  // The header's organisation switcher (and any select marked data-autosubmit) submits when changed.
  document.addEventListener("change", function (event) {
    var select = event.target.closest && event.target.closest("select[data-autosubmit]");
    if (select && select.form) { select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit(); }
  });
})();
