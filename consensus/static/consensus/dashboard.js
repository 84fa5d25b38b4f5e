// Live participation: the server pushes the re-rendered fragment over a WebSocket.
(function () {
  "use strict";
  var region = document.getElementById("participation");
  if (!region || !window.WebSocket) return;
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  var socket = new WebSocket(scheme + window.location.host + region.dataset.wsUrl);
  socket.addEventListener("message", function (event) {
    var data = JSON.parse(event.data);
    if (data.type === "participation") {
      region.innerHTML = data.html;
      region.dataset.live = "1";
    }
  });
  socket.addEventListener("open", function () { region.dataset.connected = "1"; });
})();
