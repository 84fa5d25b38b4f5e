// Live preview of Markdown fields and live presence of other editors (Channels).
(function () {
  "use strict";
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]");

  document.querySelectorAll("[data-preview-for]").forEach(function (target) {
    const source = document.getElementById(target.dataset.previewFor);
    if (!source) return;
    let timer = null;
    let pending = null;
    const refresh = function () {
      if (pending) pending.abort();
      pending = new AbortController();
      const body = new URLSearchParams({ text: source.value });
      fetch(target.dataset.previewUrl, {
        method: "POST",
        body: body,
        headers: { "X-CSRFToken": csrf ? csrf.value : "" },
        credentials: "same-origin",
        signal: pending.signal,
      })
        .then(function (response) { return response.text().then(function (text) { return [response.ok, text]; }); })
        .then(function (result) {
          // The server sanitises the HTML (nh3) before sending it.
          if (result[0]) target.innerHTML = result[1];
          else target.textContent = result[1];
        })
        .catch(function () {});
    };
    source.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    });
    refresh();
  });

  const presence = document.getElementById("editors-presence");
  if (presence && "WebSocket" in window) {
    const others = new Map();
    const render = function () {
      const names = Array.from(others.keys());
      if (names.length === 0) {
        presence.hidden = true;
        presence.textContent = "";
        return;
      }
      presence.hidden = false;
      const label = document.documentElement.lang === "en"
        ? "Also editing this page: "
        : "Également en train de modifier cette page : ";
      presence.textContent = label + names.join(", ");
    };
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + window.location.host + presence.dataset.wsPath);
    socket.addEventListener("open", function () { socket.send(JSON.stringify({ type: "who" })); });
    socket.addEventListener("message", function (event) {
      const data = JSON.parse(event.data);
      if (data.type !== "presence") return;
      const count = others.get(data.name) || 0;
      if (data.event === "left") {
        if (count <= 1) others.delete(data.name); else others.set(data.name, count - 1);
      } else if (data.event === "joined") {
        others.set(data.name, count + 1);
        // Tell the newcomer we are here too.
        socket.send(JSON.stringify({ type: "who" }));
      } else if (data.event === "present" && !others.has(data.name)) {
        others.set(data.name, 1);
      }
      render();
    });
  }
})();
