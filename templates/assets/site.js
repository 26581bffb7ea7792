// Make each chart interactive: replace the pre-rendered image with vega-embed.
// Without JavaScript (or if this fails) the image stays, so nothing is lost.
(function () {
  "use strict";
  var LOCALE = {decimal: ",", thousands: ".", grouping: [3], currency: ["Rp", ""]};
  var TIME_LOCALE = {
    dateTime: "%A, %e %B %Y %X", date: "%d/%m/%Y", time: "%H.%M.%S", periods: ["AM", "PM"],
    days: ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
    shortDays: ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
    months: ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"],
    shortMonths: ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
  };
  function embed(view) {
    var script = document.getElementById(view.getAttribute("data-spec"));
    if (!script || typeof window.vegaEmbed !== "function") return;
    var spec = JSON.parse(script.textContent);
    var img = view.querySelector("img");
    // On a narrow screen, draw the plot narrower instead of shrinking its text.
    var style = window.getComputedStyle(view);
    var room = view.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    var drawn = img ? Number(img.getAttribute("width")) : 0;
    if (view.hasAttribute("data-responsive") && typeof spec.width === "number" && drawn > room) {
      spec.width = Math.max(160, Math.floor(spec.width - (drawn - room)));
    }
    // The chart is described once, by the alt text on its holder: Vega's role
    // for each mark, without a label, is only noise to a screen reader.
    spec.config = spec.config || {};
    spec.config.mark = spec.config.mark || {};
    spec.config.mark.aria = false;
    var holder = document.createElement("div");
    holder.setAttribute("role", "img");
    if (img) holder.setAttribute("aria-label", img.getAttribute("alt"));
    // ast: evaluate expressions with vega-embed's interpreter, not new Function(),
    // so the Content-Security-Policy needs no 'unsafe-eval' (docs/security.md)
    window.vegaEmbed(holder, spec, {
      actions: false, renderer: "svg", ast: true, formatLocale: LOCALE, timeFormatLocale: TIME_LOCALE
    }).then(function () {
      if (img) img.replaceWith(holder); else view.appendChild(holder);
      view.setAttribute("data-interactive", "");
    }).catch(function (err) {
      if (window.console) console.warn("grafik tetap berupa gambar:", err);
    });
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
    for (var i = 0; i < views.length; i++) embed(views[i]);
    var buttons = document.querySelectorAll("button.copy[data-copy]");
    for (var j = 0; j < buttons.length; j++) copier(buttons[j]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
