/* Share page: live counters on every post, intent links that follow the edited text, and the
 * Mastodon server remembered in this browser only (localStorage). Needs count.js. */
(function () {
  "use strict";
  var KEY = "cableshare.mastodon";
  var HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
  var announce = (window.CableShare || {}).announce || function () {};

  function setParam(href, name, value) {  // encodeURIComponent, so spaces never turn into "+"
    var url = new URL(href), parts = url.search.replace(/^\?/, "").split("&").filter(Boolean);
    var pair = name + "=" + encodeURIComponent(value), found = false;
    parts = parts.map(function (p) {
      if (p.split("=")[0] !== name) return p;
      found = true;
      return pair;
    });
    if (!found) parts.push(pair);
    url.search = "?" + parts.join("&");
    return url.href;
  }

  function update(area) {
    var count = window.CableCount[area.dataset.counter] || window.CableCount.codepoints;
    var n = count(area.value) + Number(area.dataset.offset || 0), limit = Number(area.dataset.limit), over = n > limit;
    var out = document.getElementById(area.id + "-count");
    if (out) {
      out.querySelector(".n").textContent = n;
      if (over !== out.classList.contains("over")) {
        announce(over ? "Too long: " + n + " of " + limit : "Length fits: " + n + " of " + limit);
      }
      out.classList.toggle("over", over);
    }
    area.classList.toggle("over", over);
    if (over) area.setAttribute("aria-invalid", "true"); else area.removeAttribute("aria-invalid");
    intent(area);
  }

  function intent(area) {  // the button's URL carries the text as edited ("data-base": see share_page)
    var link = document.getElementById(area.id + "-intent");
    if (link && link.dataset.param && !link.hidden) {
      link.href = setParam(link.dataset.base || link.href, link.dataset.param, area.value);
    }
  }

  document.querySelectorAll("textarea[data-counter]").forEach(function (area) {
    area.addEventListener("input", function () { update(area); });
    if (document.getElementById(area.id + "-intent") && document.getElementById(area.id + "-intent").dataset.base) intent(area);
  });

  function useInstance(host) {
    var link = document.getElementById("post-mastodon-intent");
    var area = document.getElementById("post-mastodon");
    if (!link || !area || !HOST.test(host)) return false;
    link.href = setParam("https://" + host + "/share", "text", area.value);
    link.target = "_blank";
    link.rel = "noopener";
    link.dataset.param = "text";
    link.hidden = false;
    return true;
  }

  var input = document.getElementById("instance");
  if (input) {
    var fromUrl = new URLSearchParams(location.search).get("instance");
    var stored = null;
    try { stored = localStorage.getItem(KEY); } catch (e) { /* storage disabled */ }
    if (fromUrl && HOST.test(fromUrl.trim())) {
      try { localStorage.setItem(KEY, fromUrl.trim()); } catch (e) { /* storage disabled */ }
    } else if (stored && !input.value) {
      input.value = stored;
      useInstance(stored);
    }
    input.form.addEventListener("submit", function (event) {
      var host = input.value.trim().replace(/^https?:\/\//i, "").replace(/\/.*$/, "");
      if (!host) {
        try { localStorage.removeItem(KEY); } catch (e) { /* storage disabled */ }
        return;
      }
      if (!HOST.test(host)) return;  // let the server explain what is wrong with it
      event.preventDefault();
      input.value = host;
      try { localStorage.setItem(KEY, host); } catch (e) { /* storage disabled */ }
      useInstance(host);
      announce("Mastodon server set to " + host);
    });
  }
})();
