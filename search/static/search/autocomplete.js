/* Autocompletion for every search box carrying data-autocomplete-url.
 * WAI-ARIA 1.2 combobox with a listbox popup: arrows move through the suggestions
 * (aria-activedescendant), Enter opens the chosen page, Escape closes the list; without a
 * chosen suggestion Enter submits the search form as usual. Works without JavaScript too.
 * Every text read aloud (list label, count of suggestions) comes translated from the server. */
(function () {
  "use strict";

  var MIN_LENGTH = 2;
  var DELAY_MS = 150;
  function setup(input, index) {
    var url = input.getAttribute("data-autocomplete-url");
    var form = input.form;
    var listId = (input.id || "search-" + index) + "-listbox";
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var timer = null;
    var controller = null;
    var items = [];
    var active = -1;

    list.id = listId;
    list.className = "autocomplete-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    if (form) form.classList.add("has-autocomplete");

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(position) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === position ? "true" : "false");
      });
      active = position;
      if (position >= 0) {
        input.setAttribute("aria-activedescendant", options[position].id);
        options[position].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open(suggestion) {
      window.location.assign(suggestion.url);
    }

    function render(results, message, label) {
      if (label) list.setAttribute("aria-label", label);
      items = results;
      list.textContent = "";
      results.forEach(function (item, i) {
        var option = document.createElement("li");
        var title = document.createElement("span");
        var meta = document.createElement("span");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "autocomplete-option";
        title.className = "autocomplete-option__title";
        title.textContent = item.title;
        meta.className = "autocomplete-option__meta";
        meta.textContent = [item.type_label, item.code].filter(Boolean).join(" · ");
        option.appendChild(title);
        option.appendChild(meta);
        // mousedown, not click: it fires before the input loses focus.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          open(item);
        });
        list.appendChild(option);
      });
      active = -1;
      if (results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      status.textContent = message || "";
    }

    function fetchSuggestions() {
      var text = input.value.trim();
      if (text.length < MIN_LENGTH) {
        render([], "");
        return;
      }
      if (controller) controller.abort();
      controller = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(text), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller.signal,
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (input.value.trim() === text) render(data.results || [], data.message, data.label);
        })
        .catch(function () {
          /* aborted or offline: the plain search still works */
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var count = items.length;
      if (event.key === "ArrowDown") {
        if (list.hidden && count) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        if (count) highlight((active + 1) % count);
        event.preventDefault();
      } else if (event.key === "ArrowUp") {
        if (count) highlight(active <= 0 ? count - 1 : active - 1);
        event.preventDefault();
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault();
          open(items[active]);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", function () {
      setTimeout(close, 100);
    });
  }

  function init() {
    document.querySelectorAll("input[data-autocomplete-url]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
