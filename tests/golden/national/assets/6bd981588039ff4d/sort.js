// Sortable tables (table.sortable): each column heading becomes a button that
// sorts the rows by that column, again to reverse. A cell's data-sort, when
// present, is the number it sorts by; other cells sort by their text, as
// Indonesian orders it. Without JavaScript the table keeps its own order.
(function () {
  "use strict";
  var collator = new Intl.Collator("id", {numeric: true, sensitivity: "base"});
  function key(cell) {
    var raw = cell.getAttribute("data-sort");
    if (raw !== null) return raw === "" ? null : Number(raw);
    return cell.textContent.trim();
  }
  function compare(a, b, up) {
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;  // no figure: always last
    var d = typeof a === "number" && typeof b === "number" ? a - b : collator.compare(String(a), String(b));
    return up ? d : -d;
  }
  function sortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    var body = table.tBodies[0];
    Array.prototype.forEach.call(heads, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var up = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) { return compare(key(r1.cells[col]), key(r2.cells[col]), up); });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }
  function start() {
    var tables = document.querySelectorAll("table.sortable");
    for (var i = 0; i < tables.length; i++) sortable(tables[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
