/* Report tables: click a column's heading to sort by it (again to reverse). Numbers and dates
 * sort by their typed value (data-v), text alphabetically; totals stay at the bottom. */
(function () {
  "use strict";
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    var heads = table.tHead.rows[table.tHead.rows.length - 1].cells;
    Array.prototype.forEach.call(heads, function (th, index) {
      th.tabIndex = 0;
      th.setAttribute("aria-sort", "none");
      function sort() {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var fixed = rows.filter(function (r) { return r.classList.contains("total"); });
        var data = rows.filter(function (r) { return !r.classList.contains("total"); });
        var down = th.getAttribute("aria-sort") !== "ascending";
        var numeric = th.classList.contains("n");
        data.sort(function (a, b) {
          var x = a.cells[index], y = b.cells[index];
          var p = x.dataset.v !== undefined ? x.dataset.v : x.textContent.trim();
          var q = y.dataset.v !== undefined ? y.dataset.v : y.textContent.trim();
          var c = numeric ? (Number(p) || 0) - (Number(q) || 0) : p.localeCompare(q, "ru");
          return down ? c : -c;
        });
        Array.prototype.forEach.call(heads, function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", down ? "ascending" : "descending");
        data.concat(fixed).forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
    });
  });
})();
