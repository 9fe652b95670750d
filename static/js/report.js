/* Report tables: click a column's heading to sort by it (again to reverse). Numbers and dates
 * sort by their typed value (data-v), text alphabetically. A table in sections (a heading row
 * per class or teacher, class="group") sorts within each section; lines of totals stay at the
 * end of their section. */
(function () {
  "use strict";
  function sections(body) {
    var result = [[]];
    Array.prototype.forEach.call(body.rows, function (r) {
      if (r.classList.contains("group") && result[result.length - 1].length) result.push([]);
      result[result.length - 1].push(r);
    });
    return result;
  }
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    var heads = table.tHead.rows[table.tHead.rows.length - 1].cells;
    Array.prototype.forEach.call(heads, function (th, index) {
      th.tabIndex = 0;
      th.setAttribute("aria-sort", "none");
      function sort() {
        var body = table.tBodies[0];
        var down = th.getAttribute("aria-sort") !== "ascending";
        var numeric = th.classList.contains("n");
        var ordered = [];
        sections(body).forEach(function (rows) {
          var head = rows.filter(function (r) { return r.classList.contains("group"); });
          var fixed = rows.filter(function (r) { return r.classList.contains("total"); });
          var data = rows.filter(function (r) {
            return !r.classList.contains("total") && !r.classList.contains("group");
          });
          data.sort(function (a, b) {
            var x = a.cells[index], y = b.cells[index];
            if (!x || !y) return 0;
            var p = x.dataset.v !== undefined ? x.dataset.v : x.textContent.trim();
            var q = y.dataset.v !== undefined ? y.dataset.v : y.textContent.trim();
            var c = numeric ? (Number(p) || 0) - (Number(q) || 0) : p.localeCompare(q, "ru");
            return down ? c : -c;
          });
          ordered = ordered.concat(head, data, fixed);
        });
        Array.prototype.forEach.call(heads, function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", down ? "ascending" : "descending");
        ordered.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
    });
  });
})();
