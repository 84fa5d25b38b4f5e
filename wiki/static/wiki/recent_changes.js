// « Modifications récentes », live: rows arrive over a WebSocket (RecentChangesConsumer),
// rendered by the server with the viewer's rights and the page's filters; new rows are
// prepended and announced in a polite aria-live region.
(function () {
  "use strict";
  var table = document.getElementById("recent-changes");
  if (!table) return;
  var tbody = table.tBodies[0];
  var region = document.getElementById("recent-changes-live");
  var lang = document.documentElement.lang || "";
  var pending = 0;
  var announceTimer = null;
  var retry = 1000;

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken][value]:not([value=''])");
    if (input) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function announce() {
    var message = pending === 1
      ? table.dataset.msgOne
      : table.dataset.msgMany.replace("__N__", String(pending));
    region.textContent = message;
    announceTimer = null;
  }

  function prepend(html, changeId) {
    if (document.getElementById("change-" + changeId)) return;
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    var row = template.content.firstElementChild;
    if (!row) return;
    row.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
      if (!input.value) input.value = csrfToken();
    });
    row.querySelectorAll("input[name=next]").forEach(function (input) {
      if (!input.value) input.value = window.location.pathname + window.location.search;
    });
    row.classList.add("is-new");
    tbody.insertBefore(row, tbody.firstElementChild);
    var empty = document.getElementById("recent-changes-empty");
    if (empty) empty.remove();
    pending += 1;
    if (announceTimer) window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(announce, 800);
  }

  // Patrol in place (the form still works without JavaScript: POST, then redirect).
  function say(message) {
    region.textContent = "";
    window.setTimeout(function () { region.textContent = message; }, 50);
  }

  // The per-college summary follows a patrol made in place.
  function updateCount(collegeId, count) {
    if (typeof count !== "number") return;
    var rows = document.querySelectorAll(".unpatrolled-summary tr[data-college-id]");
    rows.forEach(function (row) {
      if (row.dataset.collegeId !== String(collegeId === null ? "" : collegeId)) return;
      var cell = row.querySelector(".unpatrolled-count");
      if (cell) cell.textContent = count.toLocaleString("fr-FR");
    });
  }

  table.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("patrol-form") || !window.fetch) return;
    event.preventDefault();
    var button = form.querySelector("button");
    if (button) button.disabled = true;
    var tokenInput = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (tokenInput && !tokenInput.value) tokenInput.value = csrfToken();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (data) {
      var row = form.closest("tr");
      var cell = form.parentNode;
      if (data.patrolled && row && cell) {
        row.classList.remove("unpatrolled");
        cell.innerHTML = "";
        var mark = document.createElement("span");
        mark.className = "meta";
        mark.textContent = table.dataset.msgPatrolled;
        cell.appendChild(mark);
      }
      updateCount(data.college_id, data.unpatrolled_count);
      say(data.message);
    }).catch(function () {
      if (button) button.disabled = false;
      form.submit();  // fall back to the ordinary POST
    });
  });

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var url = scheme + window.location.host + table.dataset.liveUrl;
    url += (url.indexOf("?") === url.length - 1 ? "" : "&") + "lang=" + encodeURIComponent(lang);
    var socket = new WebSocket(url);
    socket.addEventListener("open", function () {
      retry = 1000;
      table.dataset.liveState = "open";
    });
    socket.addEventListener("message", function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      if (data.type === "change" && data.html) prepend(data.html, data.change_id);
    });
    socket.addEventListener("close", function (event) {
      table.dataset.liveState = "closed";
      if (event.code === 4403) return;
      window.setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    });
  }

  if (table.dataset.live === "on" && "WebSocket" in window) connect();
})();
