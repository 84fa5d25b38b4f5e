// « Modifications récentes », live: rows arrive over a WebSocket (RecentChangesConsumer),
// rendered by the server with the viewer's rights and the page's filters; new rows are
// prepended and announced in a polite aria-live region.
(function () {
  "use strict";
  var table = document.getElementById("recent-changes");
  if (!table || table.dataset.live !== "on" || !("WebSocket" in window)) return;
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

  connect();
})();
