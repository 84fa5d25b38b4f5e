// New study: search the panelists' accounts, tick every account shown, live count.
(function () {
  "use strict";
  var filter = document.getElementById("panel-filter");
  var list = document.getElementById("panel-list");
  if (!filter || !list) return;
  var rows = Array.prototype.slice.call(list.querySelectorAll("tbody tr"));
  var count = document.getElementById("panel-count");
  var tickShown = document.getElementById("panel-select-shown");
  function selected(row) {
    var box = row.querySelector("input[type=checkbox]");
    var category = row.querySelector("select");
    return (box && box.checked) || (category && category.value !== "");
  }
  function update() {
    var shown = rows.filter(function (row) { return !row.hidden; }).length;
    count.textContent = filter.dataset.countTemplate
      .replace("{shown}", String(shown))
      .replace("{selected}", String(rows.filter(selected).length));
  }
  filter.addEventListener("input", function () {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    rows.forEach(function (row) {
      var text = row.dataset.search;
      row.hidden = !words.every(function (word) { return text.indexOf(word) !== -1; });
    });
    update();
  });
  tickShown.hidden = false;
  tickShown.addEventListener("click", function () {
    rows.forEach(function (row) {
      if (!row.hidden) row.querySelector("input[type=checkbox]").checked = true;
    });
    update();
  });
  list.addEventListener("change", update);
  update();
})();
