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
