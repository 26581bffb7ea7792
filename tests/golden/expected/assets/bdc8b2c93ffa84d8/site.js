// Draw each chart with vega-embed: in place of its pre-rendered image (the latest
// reports), or of the note that stands for it (dated reports and embeds, whose
// PNG and SVG downloads are then made here). Without JavaScript (or if this
// fails) the image or the note stays, and the figures are in the page.
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
    var wait = view.querySelector(".chart-wait");
    // One ranking serves every regency page: the page names its regency (the "sorot" param).
    var sorot = view.getAttribute("data-sorot");
    if (sorot && spec.params) {
      spec.params.forEach(function (p) { if (p.name === "sorot") p.value = sorot; });
    }
    // On a narrow screen, draw the plot narrower instead of shrinking its text.
    var style = window.getComputedStyle(view);
    var room = view.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    var drawn = Number(view.getAttribute("data-width")) || 0;
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
    var alt = img ? img.getAttribute("alt") : wait ? wait.getAttribute("data-alt") : null;
    if (alt) holder.setAttribute("aria-label", alt);
    // ast: evaluate expressions with vega-embed's interpreter, not new Function(),
    // so the Content-Security-Policy needs no 'unsafe-eval' (docs/security.md)
    window.vegaEmbed(holder, spec, {
      actions: false, renderer: "svg", ast: true, formatLocale: LOCALE, timeFormatLocale: TIME_LOCALE
    }).then(function (result) {
      var old = img || wait;
      if (old) old.replaceWith(holder); else view.appendChild(holder);
      view.setAttribute("data-interactive", "");
      downloads(view, result.view);
    }).catch(function (err) {
      if (window.console) console.warn("grafik tetap berupa gambar:", err);
    });
  }
  // PNG and SVG of a chart that has no image on the server, made from the drawn chart.
  function downloads(view, vegaView) {
    var figure = view.closest("figure");
    var made = figure && figure.querySelector(".made-here");
    if (!made) return;
    made.hidden = false;
    var buttons = made.querySelectorAll("button[data-image]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (event) {
        var kind = event.currentTarget.getAttribute("data-image");
        vegaView.toImageURL(kind, kind === "png" ? 2 : 1).then(function (url) {
          var a = document.createElement("a");
          a.href = url;
          a.download = view.getAttribute("data-file") + "." + kind;
          document.body.appendChild(a);
          a.click();
          a.remove();
        });
      });
    }
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
