// Every chart is first an image drawn at build time, seen as soon as the page is. The chart
// runtime (assets/vega.js, named by this script's data-runtime: Vega, bundled from
// runtime/charts.js) loads only when a reader reaches for a chart (the pointer over it, or a
// touch); then it draws that chart from its spec, compiled to Vega at build time, in place of
// the image, with tooltips and highlights.
// Without JavaScript, or if that fails, the image stays and the figures are in the page.
// In an embed (body.embed) the page also tells its host its height (see embedResize).
(function () {
  "use strict";
  var RUNTIME = document.currentScript ? document.currentScript.getAttribute("data-runtime") : null;
  var LOCALE = {decimal: ",", thousands: ".", grouping: [3], currency: ["Rp", ""]};
  var TIME_LOCALE = {
    dateTime: "%A, %e %B %Y %X", date: "%d/%m/%Y", time: "%H.%M.%S", periods: ["AM", "PM"],
    days: ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
    shortDays: ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
    months: ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"],
    shortMonths: ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
  };
  var loading = null;
  // The runtime, once, on demand (a plain script from the site itself: the CSP allows 'self').
  function runtime() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        if (typeof window.cakupanChart === "function") return resolve();
        if (!RUNTIME) return reject(new Error("no chart runtime named"));
        var script = document.createElement("script");
        script.src = RUNTIME;
        script.onload = function () { resolve(); };
        script.onerror = function () { reject(new Error("chart runtime did not load")); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }
  function wake(view) {
    if (view.hasAttribute("data-waking")) return;
    view.setAttribute("data-waking", "");
    runtime().then(function () { embed(view); }, function (err) {
      if (window.console) console.warn("grafik tetap berupa gambar:", err);
    });
  }
  function watch(view) {
    var go = function () { wake(view); };
    view.addEventListener("pointerenter", go, {once: true});
    view.addEventListener("touchstart", go, {once: true, passive: true});
  }
  function embed(view) {
    var script = document.getElementById(view.getAttribute("data-spec"));
    if (!script || typeof window.cakupanChart !== "function") return;
    var spec = JSON.parse(script.textContent);
    var img = view.querySelector("img");
    // One ranking serves every regency page: the page names its regency (the "sorot" signal).
    var sorot = view.getAttribute("data-sorot");
    if (sorot && spec.signals) {
      spec.signals.forEach(function (s) { if (s.name === "sorot") s.value = sorot; });
    }
    // On a narrow screen, draw the plot narrower instead of shrinking its text.
    var style = window.getComputedStyle(view);
    var room = view.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    var drawn = Number(view.getAttribute("data-width")) || 0;
    if (view.hasAttribute("data-responsive") && typeof spec.width === "number" && drawn > room) {
      spec.width = Math.max(160, Math.floor(spec.width - (drawn - room)));
    }
    // The chart is described once, by the alt text on its holder (its marks are drawn with
    // aria: false, theme.py: Vega's role for each, without a label, is only noise to a screen reader).
    var holder = document.createElement("div");
    holder.className = "chart-live";
    holder.setAttribute("role", "img");
    var alt = img ? img.getAttribute("alt") : null;
    if (alt) holder.setAttribute("aria-label", alt);
    // (expressions are evaluated by vega-interpreter, not new Function(), so the
    // Content-Security-Policy needs no 'unsafe-eval': docs/security.md)
    window.cakupanChart(holder, spec, {formatLocale: LOCALE, timeFormatLocale: TIME_LOCALE}).then(function () {
      var shown = img && img.parentNode.tagName === "PICTURE" ? img.parentNode : img;  // (with its phone-width source)
      if (shown) shown.replaceWith(holder); else view.appendChild(holder);
      view.setAttribute("data-interactive", "");
      resized();
    }).catch(function (err) {
      if (window.console) console.warn("grafik tetap berupa gambar:", err);
    });
  }
  // An embed tells the page that holds it its height, so the iframe fits its content:
  // the embed code (templates/_macros.html, embed_code) has a small script that listens for
  // {"cakupan-height": pixels} from the iframe's own window. A plain iframe ignores it.
  function resized() {
    if (!document.body.classList.contains("embed") || window.parent === window) return;
    window.parent.postMessage({"cakupan-height": Math.ceil(document.documentElement.getBoundingClientRect().height)}, "*");
  }
  // "Copy" buttons: the text stays selectable without JavaScript; with it, one click copies.
  function copier(button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        var label = button.textContent;
        button.textContent = "Tersalin";
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  }
  function start() {
    var views = document.querySelectorAll(".chart-view[data-spec]");
    for (var i = 0; i < views.length; i++) watch(views[i]);
    if (document.body.classList.contains("embed")) {
      resized();
      window.addEventListener("load", resized);
      window.addEventListener("resize", resized);
    }
    var buttons = document.querySelectorAll("button.copy[data-copy]");
    for (var j = 0; j < buttons.length; j++) copier(buttons[j]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
