/* Progressive enhancements shared by every page: copy buttons, the Web Share button, and a guard
 * that keeps the bookmarklet from running here (it is meant for the bookmarks bar). */
(function () {
  "use strict";

  function announce(text) {
    var live = document.getElementById("announce");
    if (!live) return;
    live.textContent = "";
    setTimeout(function () { live.textContent = text; }, 30);
  }

  function fieldText(el) {
    return "value" in el && el.tagName !== "BUTTON" ? el.value : el.textContent;
  }

  function fallbackCopy(el) {
    if (el.select) { el.focus(); el.select(); }
    try { return document.execCommand("copy"); } catch (e) { return false; }
  }

  function copy(button) {
    var el = document.getElementById(button.dataset.copy);
    if (!el) return;
    var text = fieldText(el), label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    var done = function (ok) {
      button.textContent = ok ? "Copied" : "Press Ctrl+C";
      announce(ok ? "Copied to the clipboard" : "Copy failed; the text is selected");
      if (!ok && el.select) el.select();
      setTimeout(function () { button.textContent = label; }, 1800);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); },
        function () { done(fallbackCopy(el)); });
    } else {
      done(fallbackCopy(el));
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("button[data-copy], a.bookmarklet, button[data-webshare]");
    if (!target) return;
    if (target.matches("button[data-copy]")) copy(target);
    else if (target.matches("a.bookmarklet")) {
      event.preventDefault();
      announce("Drag this link to your bookmarks bar, then use it on a cable page.");
      var hint = document.getElementById("bookmarklet-hint");
      if (hint) hint.hidden = false;
    } else {
      navigator.share({title: target.dataset.title, text: target.dataset.text, url: target.dataset.url})
        .catch(function () { /* the reader closed the sheet */ });
    }
  });

  document.querySelectorAll("button[data-copy]").forEach(function (b) { b.hidden = false; });
  if (navigator.share) {
    document.querySelectorAll("button[data-webshare]").forEach(function (b) { b.hidden = false; });
  }
  window.CableShare = {announce: announce};
})();
