/* Cable viewer: select text inside one paragraph and a "Share this quote" link appears beside it,
 * leading to the share page with ?quote=<the selection>. Keyboard selection works the same way. */
(function () {
  "use strict";
  var button = document.createElement("a");
  button.id = "quote-button";
  button.className = "button";
  button.textContent = "Share this quote";
  button.hidden = true;
  var announced = false;
  // Keep the selection when the button is pressed, so the click still follows the link.
  button.addEventListener("mousedown", function (event) { event.preventDefault(); });

  function bodyOf(node) {
    var el = node && (node.nodeType === 1 ? node : node.parentElement);
    return el && el.closest(".par-body");
  }

  function hide() { button.hidden = true; announced = false; }

  function onSelection() {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) { if (!button.matches(":focus")) hide(); return; }
    var range = sel.getRangeAt(0), body = bodyOf(range.startContainer);
    var text = sel.toString().replace(/\s+/g, " ").trim();
    if (!body || body !== bodyOf(range.endContainer) || text.length < 2) { hide(); return; }
    var par = body.closest(".par");
    button.href = par.dataset.share + "?quote=" + encodeURIComponent(text);
    if (button.parentElement !== par) par.appendChild(button);
    var box = range.getBoundingClientRect(), parBox = par.getBoundingClientRect();
    button.style.top = Math.round(box.bottom - parBox.top + 6) + "px";
    button.style.left = Math.max(0, Math.round(Math.min(box.left - parBox.left, parBox.width - 170))) + "px";
    button.hidden = false;
    if (!announced && window.CableShare) window.CableShare.announce("Share this quote: link available after the paragraph text");
    announced = true;
  }

  var timer = null;
  document.addEventListener("selectionchange", function () {
    clearTimeout(timer);
    timer = setTimeout(onSelection, 120);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !button.hidden) hide();
  });
})();
