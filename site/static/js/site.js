// The header's menu collapses behind a « Menu » button on narrow screens. Without JavaScript
// the menu simply stays open (it wraps), so nothing depends on this script.
(function () {
  "use strict";
  var header = document.querySelector(".site-header");
  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("site-menu");
  if (!header || !toggle || !menu) return;
  header.classList.add("js-menu");
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("is-open", open);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.classList.contains("is-open")) {
      menu.classList.remove("is-open");
      toggle.setAttribute("aria-expanded", "false");
      toggle.focus();
    }
  });
})();

// A table of Markdown text wider than a narrow screen scrolls inside itself (site.css): it is
// then made focusable, so that a keyboard can scroll it too (WCAG 2.1.1).
(function () {
  "use strict";
  var tables = document.querySelectorAll(".prose table");
  if (!tables.length) return;
  function reachable() {
    tables.forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1) {
        table.setAttribute("tabindex", "0");
      } else if (table.getAttribute("tabindex") === "0") {
        table.removeAttribute("tabindex");
      }
    });
  }
  reachable();
  window.addEventListener("resize", reachable);
})();
