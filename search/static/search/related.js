// « Compétences proches » while editing a competency: the text being written is sent (debounced)
// to the fragment endpoint, whose accessible HTML replaces the panel's results. Without this
// script the panel stays hidden: it is a help, never a step of the form.
(function () {
  "use strict";
  var panel = document.querySelector("[data-related-url]");
  if (!panel || !window.fetch) return;
  var form = panel.closest("form") || document.querySelector("form.edit-form");
  if (!form) return;
  var results = panel.querySelector(".related__results");
  var names = ["title", "statement", "learning_outcomes"];
  var timer = null;
  var controller = null;
  var last = "";

  function query() {
    var params = new URLSearchParams({ page: panel.dataset.relatedPage });
    names.forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field && field.value) params.set(name, field.value.slice(0, 2000));
    });
    return params.toString();
  }

  function refresh() {
    var params = query();
    if (params === last) return;
    last = params;
    if (controller) controller.abort();
    controller = new AbortController();
    fetch(panel.dataset.relatedUrl + "?" + params, {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
      signal: controller.signal,
    })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        results.innerHTML = html; // server-rendered, escaped by Django's templates
        panel.hidden = false;
      })
      .catch(function () {});
  }

  form.addEventListener("input", function (event) {
    if (names.indexOf(event.target.name) === -1) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, 600);
  });
  refresh();
})();
