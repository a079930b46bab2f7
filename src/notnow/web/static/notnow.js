// Keyboard flow: after a follow-up is done, snoozed or skipped in place, focus moves to the
// next one's first button (or stays on the closed row), so the agenda can be worked from the
// keyboard alone.
document.addEventListener("htmx:afterSwap", function (event) {
  var row = event.detail.target;
  if (!row || !row.classList || !row.classList.contains("task")) { return; }
  var closed = document.getElementById(row.id) || row;
  var next = closed.nextElementSibling;
  while (next && next.classList.contains("closed")) { next = next.nextElementSibling; }
  var button = next && next.querySelector("button");
  if (button) { button.focus(); return; }
  closed.setAttribute("tabindex", "-1");
  closed.focus();
});

// The contact picker (a combobox): type, then arrows and Enter or a click choose one. Choosing
// sets the hidden field the form sends and fires its "change", so the plan preview follows.
(function () {
  function parts(root) {
    return {
      input: root.querySelector("[role=combobox]"),
      hidden: root.querySelector("input[type=hidden]"),
      list: root.querySelector("[role=listbox]"),
      chosen: root.querySelector("[aria-live]")
    };
  }
  function options(p) { return Array.prototype.slice.call(p.list.querySelectorAll(".pick-option")); }
  function open(p, yes) {
    p.list.hidden = !yes;
    p.input.setAttribute("aria-expanded", yes ? "true" : "false");
    if (!yes) { p.input.removeAttribute("aria-activedescendant"); }
  }
  function highlight(p, option) {
    options(p).forEach(function (o) { o.setAttribute("aria-selected", o === option ? "true" : "false"); });
    if (option) { p.input.setAttribute("aria-activedescendant", option.id); option.scrollIntoView({block: "nearest"}); }
  }
  function choose(p, c) {
    p.hidden.value = String(c.id);
    p.input.value = c.name;
    p.chosen.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = c.name;
    p.chosen.append("Chosen: ", strong, c.account ? " at " + c.account : "");
    if (c.dnc) {
      var chip = document.createElement("span");
      chip.className = "chip danger";
      chip.textContent = "do not contact";
      p.chosen.append(" ", chip);
    }
    open(p, false);
    p.hidden.dispatchEvent(new Event("change", {bubbles: true}));
  }
  function fromOption(o) {
    return {id: o.dataset.id, name: o.dataset.name, account: o.dataset.account, dnc: o.dataset.dnc === "true"};
  }
  function setup(root) {
    var p = parts(root);
    if (!p.input || root.dataset.ready) { return; }
    root.dataset.ready = "1";
    p.list.addEventListener("mousedown", function (e) { e.preventDefault(); });
    p.list.addEventListener("click", function (e) {
      var o = e.target.closest(".pick-option");
      if (o) { choose(p, fromOption(o)); }
    });
    p.input.addEventListener("keydown", function (e) {
      var all = options(p);
      var at = all.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!all.length) { return; }
        e.preventDefault();
        open(p, true);
        var next = e.key === "ArrowDown" ? Math.min(at + 1, all.length - 1) : Math.max(at - 1, 0);
        highlight(p, all[next]);
      } else if (e.key === "Enter") {
        if (!p.list.hidden && all.length) {
          e.preventDefault();
          choose(p, fromOption(all[Math.max(at, 0)]));
        } else if (!p.hidden.value) {
          e.preventDefault();
        }
      } else if (e.key === "Escape") {
        open(p, false);
      }
    });
    p.input.addEventListener("blur", function () { open(p, false); });
    p.input.addEventListener("input", function () {
      if (p.hidden.value) { p.hidden.value = ""; p.chosen.textContent = "No one chosen yet."; p.hidden.dispatchEvent(new Event("change", {bubbles: true})); }
    });
    root.addEventListener("htmx:afterSwap", function (e) {
      if (e.detail.target !== p.list) { return; }
      var any = p.list.children.length > 0;
      open(p, any && document.activeElement === p.input);
      var first = options(p)[0];
      highlight(p, first || null);
    });
  }
  function setupAll() { document.querySelectorAll("[data-picker]").forEach(setup); }
  document.addEventListener("DOMContentLoaded", setupAll);
  document.addEventListener("htmx:load", setupAll);
  // the log page's "new contact" form added someone: they are the one chosen
  document.addEventListener("notnow:picked", function (e) {
    var root = document.querySelector("[data-picker]");
    if (root) { setup(root); choose(parts(root), e.detail); }
  });
})();

// Agenda shortcuts (listed on the page; ? shows them): j/k move between people, x selects,
// d done, z snooze, s skip, u undo, o opens the person, w switches day and week. Keys typed
// into a field are left alone.
(function () {
  function agenda() { return document.getElementById("agenda"); }
  function rows() {
    var list = agenda();
    return list ? Array.prototype.slice.call(list.querySelectorAll("li.task")) : [];
  }
  function current() {
    var el = document.activeElement;
    var row = el && el.closest ? el.closest("#agenda li.task") : null;
    return row || rows()[0] || null;
  }
  function focusRow(row) { if (row) { row.focus(); row.scrollIntoView({block: "nearest"}); } }
  function selected() {
    return Array.prototype.slice.call(document.querySelectorAll("#agenda input.pick:checked"));
  }
  function press(button) { if (button && !button.disabled) { button.click(); return true; } return false; }
  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) { return; }
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName))) { return; }
    var help = document.getElementById("shortcuts");
    if (e.key === "?" && help) {
      help.open = !help.open;
      if (help.open) { help.querySelector("summary").focus(); }
      e.preventDefault();
      return;
    }
    if (!agenda() && e.key !== "w") { return; }
    var row = current();
    var all = rows();
    var at = row ? all.indexOf(row) : -1;
    var handled = true;
    switch (e.key) {
      case "j": focusRow(all[Math.min(at + 1, all.length - 1)]); break;
      case "k": focusRow(all[Math.max(at - 1, 0)]); break;
      case "x": {
        var box = row && row.querySelector("input.pick");
        if (box) { box.checked = !box.checked; }
        break;
      }
      case "d": case "z": case "s": {
        var bulk = {d: "bulk-done-button", z: "bulk-snooze-button", s: "bulk-skip-button"}[e.key];
        if (selected().length) { press(document.getElementById(bulk)); }
        else if (row) { press(row.querySelector("button[data-key='" + e.key + "']")); }
        break;
      }
      case "u":
        if (!press(document.getElementById("undo-all"))) {
          press((row && row.querySelector("button.undo")) || document.querySelector("#agenda button.undo"));
        }
        break;
      case "o": {
        var link = row && row.querySelector("a.open");
        if (link) { link.click(); }
        break;
      }
      case "w": {
        var week = document.getElementById("week-view");
        var tabs = document.querySelectorAll(".tabs a");
        var other = week && week.getAttribute("aria-current") ? tabs[0] : week;
        if (other) { other.click(); }
        break;
      }
      default: handled = false;
    }
    if (handled) { e.preventDefault(); }
  });
})();
