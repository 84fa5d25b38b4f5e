// Live character count under each ballot comment (the server enforces the same limit).
// Counts code points, as Python's len() does; line endings count once, as stored.
(function () {
  "use strict";
  var DELAY = 800; // screen readers hear the count once typing pauses, not at every key
  document.querySelectorAll("[data-count-for]").forEach(function (counter) {
    var field = document.getElementById(counter.dataset.countFor);
    var status = document.getElementById(counter.dataset.countFor + "-status");
    if (!field) return;
    var max = parseInt(field.dataset.maxChars, 10);
    var timer = null;
    function update() {
      var length = Array.from(field.value.trim()).length;
      var over = length > max;
      var text = (over ? counter.dataset.over : counter.dataset.left)
        .replace("{n}", String(Math.abs(max - length)));
      counter.textContent = text;
      counter.classList.toggle("error", over);
      if (over) field.setAttribute("aria-invalid", "true");
      else if (!counter.dataset.serverError) field.removeAttribute("aria-invalid");
      if (status) {
        clearTimeout(timer);
        timer = setTimeout(function () { status.textContent = text; }, DELAY);
      }
    }
    counter.dataset.serverError = field.getAttribute("aria-invalid") ? "1" : "";
    field.addEventListener("input", update);
    update();
  });
})();
