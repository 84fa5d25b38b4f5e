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

// Submitting: a confirmation dialog (without JS, the server shows a confirmation page).
(function () {
  "use strict";
  var form = document.getElementById("ballot-form");
  var dialog = document.getElementById("ballot-confirm");
  if (!form || !dialog || typeof dialog.showModal !== "function") return;
  var total = parseInt(form.dataset.total, 10);
  function rated() {
    var names = {};
    form.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
      names[input.name] = true;
    });
    return Object.keys(names).length;
  }
  var submitter = null;
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || button.name !== "submit" || form.querySelector("input[name=confirmed]")) return;
    var count = rated();
    if (count < total) return; // the server saves and says which items are left
    event.preventDefault();
    submitter = button;
    dialog.querySelector(".confirm-dialog__progress").textContent = dialog.dataset.rated
      .replace("{rated}", String(count)).replace("{total}", String(total));
    dialog.showModal();
  });
  dialog.querySelector("[data-cancel]").addEventListener("click", function () {
    dialog.close();
    if (submitter) submitter.focus();
  });
  dialog.querySelector("[data-confirm]").addEventListener("click", function () {
    var confirmed = document.createElement("input");
    confirmed.type = "hidden";
    confirmed.name = "confirmed";
    confirmed.value = "1";
    form.appendChild(confirmed);
    dialog.close();
    form.requestSubmit(submitter);
  });
})();
