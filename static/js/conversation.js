// Live conversation over a WebSocket. The page already works without it (plain form, reload):
// this adds live delivery, resume after a reconnect (no message lost), seen marks and sending
// without a reload. Message text is always inserted as text, never as HTML.
(function () {
  "use strict";
  var root = document.querySelector("[data-conversation]");
  if (!root || !window.WebSocket) { return; }
  var list = document.getElementById("messages-list");
  var form = document.getElementById("message-form");
  var status = document.getElementById("connection-status");
  var me = Number(root.dataset.user);
  var socket = null;
  var retry = 0;
  var pending = {};
  var counter = 0;
  // Same "MM/DD HH:MM" in the ward's time zone as the server-rendered messages.
  var timeFormat = new Intl.DateTimeFormat("ja-JP", {
    timeZone: root.dataset.timeZone || undefined, month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23"
  });

  function lastId() {
    var items = list.querySelectorAll("li[data-id]");
    return items.length ? Number(items[items.length - 1].dataset.id) : 0;
  }

  function showStatus(text) {
    status.textContent = text || "";
    status.hidden = !text;
  }

  function render(message) {
    if (document.getElementById("m" + message.id)) { return; }  // already shown
    if (message.kind === "event") { window.location.reload(); return; }  // the handover panel changes
    var item = document.createElement("li");
    item.className = "msg " + (message.sender === me ? "msg-mine" : "msg-theirs");
    item.id = "m" + message.id;
    item.dataset.id = message.id;
    var body = document.createElement("p");
    body.className = "msg-body";
    body.textContent = message.body;  // text, never HTML
    var meta = document.createElement("p");
    meta.className = "msg-meta";
    meta.textContent = message.sender_name + " · " + timeFormat.format(new Date(message.created_at)).replace(",", "");
    if (message.sender === me) {
      var seen = document.createElement("span");
      seen.className = "msg-seen";
      seen.hidden = true;
      seen.textContent = root.dataset.seenLabel;
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(seen);
    }
    item.appendChild(body);
    item.appendChild(meta);
    list.appendChild(item);
    item.scrollIntoView({block: "nearest"});
    if (message.sender !== me && document.visibilityState === "visible") { send({type: "read", upto: message.id}); }
  }

  function markSeen(upto) {
    list.querySelectorAll("li.msg-mine").forEach(function (item) {
      if (Number(item.dataset.id) <= upto) {
        var seen = item.querySelector(".msg-seen");
        if (seen) { seen.hidden = false; }
      }
    });
  }

  function send(payload) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(payload)); return true; }
    return false;
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + root.dataset.wsPath);
    socket.onopen = function () {
      retry = 0;
      showStatus("");
      send({type: "resume", after: lastId()});  // whatever arrived while we were away
      send({type: "read", upto: lastId()});
    };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "message") { render(data.message); }
      else if (data.type === "seen" && data.user !== me) { markSeen(data.upto); }
      else if (data.type === "sent") { delete pending[data.client_id]; }
      else if (data.type === "error") {
        var text = pending[data.client_id];
        delete pending[data.client_id];
        if (text && form) { form.elements.body.value = text; }
        showStatus(data.message);
      }
    };
    socket.onclose = function (event) {
      if (event.code === 4403) { showStatus(""); return; }  // not allowed: the plain page still works
      retry = Math.min(retry + 1, 6);
      showStatus(document.documentElement.lang === "en" ? "Reconnecting…" : "再接続しています…");
      window.setTimeout(connect, 500 * Math.pow(2, retry));
    };
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      var text = form.elements.body.value;
      if (!text.trim()) { return; }  // let the server say what is wrong
      var id = "c" + (++counter);
      if (send({type: "send", body: text, client_id: id})) {
        event.preventDefault();
        pending[id] = text;
        form.elements.body.value = "";
      }  // otherwise the form posts normally
    });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { send({type: "read", upto: lastId()}); }
  });
  connect();
})();
