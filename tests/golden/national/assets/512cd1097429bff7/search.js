// The search page: Pagefind's index (made at build time, in pagefind/) is loaded
// only when the reader searches, from this site alone; results link relative to
// this page, so the site works under any sub-path. Without JavaScript the form
// stays hidden and the alphabetical list of places below it does the job.
(function () {
  "use strict";
  var form = document.getElementById("cari");
  if (!form || !("fetch" in window)) return;
  var input = document.getElementById("cari-kata");
  var status = document.getElementById("cari-status");
  var list = document.getElementById("cari-hasil");
  var root = form.getAttribute("data-root");
  var engine = null;
  var asked = 0;
  function load() {
    if (!engine) {
      var url = new URL(root + "pagefind/pagefind.js", document.baseURI).href;
      engine = import(url).then(function (pagefind) {
        return pagefind.options({baseUrl: "/", excerptLength: 18}).then(function () { return pagefind; });
      });
    }
    return engine;
  }
  function text(html) {  // Pagefind's excerpt as plain text (it marks the matched words)
    return new DOMParser().parseFromString(html, "text/html").body.textContent;
  }
  function show(query) {
    var mine = ++asked;
    if (!query.trim()) { list.textContent = ""; status.textContent = ""; return; }
    status.textContent = "Mencari…";
    load().then(function (pagefind) { return pagefind.search(query); }).then(function (found) {
      return Promise.all(found.results.slice(0, 12).map(function (r) { return r.data(); }));
    }).then(function (results) {
      if (mine !== asked) return;
      list.textContent = "";
      results.forEach(function (r) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = root + r.url.replace(/^\//, "");
        a.textContent = (r.meta && r.meta.title) || r.url;
        var p = document.createElement("p");
        p.textContent = text(r.excerpt || "");
        li.appendChild(a);
        li.appendChild(p);
        list.appendChild(li);
      });
      status.textContent = results.length ? results.length + " hasil untuk “" + query + "”" : "Tidak ada hasil untuk “" + query + "”.";
    }).catch(function (err) {
      status.textContent = "Pencarian tidak tersedia di sini; pakai daftar di bawah.";
      if (window.console) console.warn("pencarian:", err);
    });
  }
  form.hidden = false;
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { show(input.value); }, 150);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); show(input.value); });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { input.value = q; show(q); }
})();
