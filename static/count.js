/* Post-length counters that count as each network counts, mirroring cableshare.counting.
 * X follows twitter-text v3 (NFC, weighted code points, emoji sequences weigh 2, URLs 23);
 * its URL detector is a compact copy of twitter-text's (every ccTLD, the common gTLDs). */
(function (root) {
  "use strict";
  var CC = "acdefgilmnoqrstuwxz babdefghijlmnoqrstvwyz cacdfghiklmnoruvwxyz dejkmoz eceghrstu " +
    "fijkmor gabdefghilmnpqrstuwy hkmnrtu idelmnoqrst jemop keghimnprwyz labcikrstuvy " +
    "macdefghklmnopqrstuvwxyz nacefgilopruz om paefghklmnrstwy qa reosuw " +
    "sabcdeghijklmnorstuvxyz tcdfghjklmnoprtvwz uagkmsyz vaceginu wfs yet zamw";
  var GTLD = "com|net|org|info|biz|name|pro|mobi|edu|gov|mil|int|aero|asia|cat|coop|jobs|museum|" +
    "tel|travel|xxx|post|app|dev|blog|shop|online|site|store|tech|xyz|top|club|live|news|world|" +
    "today|media|link|page|cloud|digital|email|group|press|social|space|website|wiki|global|" +
    "network|life|one|agency|icu|vip|art|design|studio|center|solutions|services|company|systems|" +
    "academy|work|host|fun|ink|photo|photos|video|lol|wtf|rocks|ninja|guru|expert|foundation|" +
    "institute|law|legal|report|review|reviews|science|software|support|team|tips|tools|zone|" +
    "city|earth|land|gay|ngo|ong";
  var cc = [];
  CC.split(" ").forEach(function (g) {
    for (var i = 1; i < g.length; i++) cc.push(g[0] + g[i]);
  });
  var TLD = "(?:(?:" + GTLD + "|" + cc.join("|") + ")(?=[^0-9a-zA-Z@+\\-]|$)|xn--[\\-0-9a-z]+)";
  var LAT = "\\xC0-\\xD6\\xD8-\\xF6\\xF8-\\xFF\\u0100-\\u024F\\u0253\\u0254\\u0256\\u0257\\u0259" +
    "\\u025B\\u0263\\u0268\\u026F\\u0272\\u0289\\u028B\\u02BB\\u0300-\\u036F\\u1E00-\\u1EFF";
  var CYR = "\\u0400-\\u04FF";
  var DIR = "\\u202A-\\u202E\\u061C\\u200E\\u200F\\u2066-\\u2069";
  var INV = "\\uFFFE\\uFEFF\\uFFFF";
  var SP = "\\t-\\r \\x85\\xA0\\u1680\\u180E\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";
  var DC = "[^!'#%&()*+,\\\\\\-./:;<=>?@\\[\\]^_{|}~$" + SP + INV + DIR + "]";
  var DOMAIN = "(?:(?:" + DC + "(?:[_\\-]|" + DC + ")*)?" + DC + "\\.)*" +
    "(?:(?:" + DC + "(?:-|" + DC + ")*)?" + DC + "\\.)" + TLD;
  var PC = "[a-z" + CYR + "0-9!*';:=+,.$/%#\\[\\]\\-\\u2013_~@|&" + LAT + "]";
  var PAREN = "\\((?:" + PC + "+|(?:" + PC + "*\\(" + PC + "+\\)" + PC + "*))\\)";
  var PEND = "(?:[+\\-a-z" + CYR + "0-9=_#/" + LAT + "]|" + PAREN + ")";
  var PATH = "(?:(?:" + PC + "*(?:" + PAREN + PC + "*)*" + PEND + ")|(?:@" + PC + "+/))";
  var QUERY = "\\?[a-z0-9!?*'@();:&=+$/%#\\[\\]\\-_.,~|]*[a-z0-9\\-_&=#/]";
  var PRE = "(?:[^A-Za-z0-9@\\uFF20$#\\uFF03" + INV + "]|[" + DIR + "]|^)";
  var URL_RE = new RegExp("(" + PRE + ")((https?:\\/\\/)?(" + DOMAIN + ")(?::[0-9]+)?(\\/" + PATH +
    "*)?(?:" + QUERY + ")?)", "giu");
  var ASCII_DOMAIN = new RegExp("(?:[\\-a-z0-9" + LAT + "]+\\.)+" + TLD, "giu");
  var TCO = new RegExp("^https?:\\/\\/t\\.co\\/([a-z0-9]+)(?:" + QUERY + ")?", "i");
  var EMOJI;
  try {
    EMOJI = new RegExp("\\p{RGI_Emoji}|[#*0-9]\\uFE0F?\\u20E3|\\p{Extended_Pictographic}\\uFE0F?", "gv");
  } catch (e) {  // browsers without the v flag: a looser sequence pattern
    EMOJI = /(?:\p{Extended_Pictographic}|[#*0-9]\uFE0F?\u20E3)\uFE0F?\p{Emoji_Modifier}?(?:\u200D\p{Extended_Pictographic}\uFE0F?\p{Emoji_Modifier}?)*|\p{Regional_Indicator}{2}/gu;
  }

  function validDomain(domain) {  // what Python's IDNA codec accepts: labels of 1..63 after punycode
    var labels = domain.split(".");
    for (var i = 0; i < labels.length; i++) {
      var label = labels[i];
      if (/[^\x00-\x7f]/.test(label)) {
        try { label = new URL("http://" + label + "/").hostname; } catch (e) { return false; }
      }
      if (!label.length || label.length > 63) return false;
    }
    return true;
  }

  function urls(text, protocolOnly) {  // [start, end) UTF-16 spans of twitter-text's URLs
    var spans = [];
    if (text.indexOf(protocolOnly ? ":" : ".") < 0) return spans;
    URL_RE.lastIndex = 0;
    var m;
    while ((m = URL_RE.exec(text))) {
      var url = m[2], proto = m[3], domain = m[4], path = m[5];
      var start = m.index + m[1].length, end = start + url.length;
      if (!validDomain(domain)) continue;
      if (!proto) {
        if (protocolOnly || /[-_./]$/.test(m[1])) continue;
        var last = null, a;
        ASCII_DOMAIN.lastIndex = 0;
        while ((a = ASCII_DOMAIN.exec(domain))) {
          last = [start + a.index, start + a.index + a[0].length];
          spans.push(last);
        }
        if (last && path) last[1] = end;
      } else {
        var t = TCO.exec(url);
        if (t) {
          if (t[1].length > 40) continue;
          end = start + t[0].length;
        }
        spans.push([start, end]);
      }
    }
    return spans;
  }

  function weight(cp) {
    return cp <= 4351 || (cp >= 8192 && cp <= 8205) || (cp >= 8208 && cp <= 8223) ||
      (cp >= 8242 && cp <= 8247) ? 100 : 200;
  }

  function x(raw) {
    var text = raw.normalize("NFC").replace(/\r\n|\r/g, "\n");
    var starts = {}, m;
    urls(text).forEach(function (s) { starts[s[0]] = [s[1], 2300]; });
    EMOJI.lastIndex = 0;
    while ((m = EMOJI.exec(text))) {
      if (!starts[m.index]) starts[m.index] = [m.index + m[0].length, 200];
    }
    var total = 0, i = 0;
    while (i < text.length) {
      var hit = starts[i];
      if (hit) { total += hit[1]; i = hit[0]; continue; }
      var cp = text.codePointAt(i);
      total += weight(cp);
      i += cp > 0xffff ? 2 : 1;
    }
    return Math.floor(total / 100);
  }

  function graphemes(text) {
    if (!root.Intl || !Intl.Segmenter) return Array.from(text).length;
    var n = 0, it = new Intl.Segmenter(undefined, {granularity: "grapheme"}).segment(text);
    for (var s of it) n += s ? 1 : 0;
    return n;
  }

  function bskyDisplay(raw) {  // how Bluesky's composer shows a link: host + path cut to 13 + "..."
    var u;
    try { u = new URL(raw); } catch (e) { return raw; }
    if (!/^https?:$/.test(u.protocol) || !u.hostname) return raw;
    var rawHost = raw.replace(/^https?:\/\//i, "").split(/[/?#]/)[0];
    if (/[^\x00-\x7f]/.test(rawHost) && !validDomain(u.hostname)) return raw;  // IDNA: labels <= 63
    var host = u.hostname + (u.port ? ":" + u.port : "");
    var path = (u.pathname === "/" ? "" : u.pathname) + u.search + u.hash;
    return path.length > 15 ? host + path.slice(0, 13) + "..." : host + path;
  }

  function bluesky(text) {
    if (text.indexOf("://") >= 0) {
      text = text.replace(/(^|[\s(])(https?:\/\/\S+)/gi, function (_, before, uri) {
        var tail = "";
        if (/[.,;:!?]$/.test(uri) || (/\)$/.test(uri) && uri.indexOf("(") < 0)) {
          tail = uri.slice(-1);
          uri = uri.slice(0, -1);
        }
        return before + bskyDisplay(uri) + tail;
      });
    }
    return graphemes(text);
  }

  function mastodon(text) {  // graphemes; every http(s) URL twitter-text extracts counts 23
    urls(text, true).reverse().forEach(function (s) {
      text = text.slice(0, s[0]) + "xxxxxxxxxxxxxxxxxxxxxxx" + text.slice(s[1]);
    });
    return graphemes(text);
  }

  function utf16(text) { return text.length; }  // Threads: what a string.length check counts

  function codepoints(text) { return Array.from(text).length; }

  var api = {x: x, bluesky: bluesky, mastodon: mastodon, threads: utf16, codepoints: codepoints,
    graphemes: graphemes, urls: urls};
  root.CableCount = api;
  if (typeof module !== "undefined") module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
