// Live conversation over a WebSocket. The page already works without it (plain form, reload):
// this adds live delivery, resume after a reconnect (no message lost), seen marks, sending
// without a reload, and older messages loaded in place. Every message, live or loaded, is the
// HTML the server renders for this reader (the same partial as the page, user text escaped
// there); the script never builds a message itself and inserts no HTML but the server's.
(function () {
  "use strict";
  var root = document.querySelector("[data-conversation]");
  if (!root) { return; }
  var list = document.getElementById("messages-list");
  var form = document.getElementById("message-form");
  var status = document.getElementById("connection-status");
  var me = Number(root.dataset.user);
  var socket = null;
  var retry = 0;
  // Messages sent but not yet confirmed, in the order written: {id: text}. A connection that
  // drops loses them in flight, so they are sent again (same id: the server stores each once).
  var pending = {};
  var pendingOrder = [];
  // Messages the sender confirmed although they look like a contact detail: {id: true}.
  var confirmed = {};

  // Older messages: fetch the page of older messages (the same page the link opens without
  // JavaScript) and put its messages on top, where the reader is.
  function loadOlder(event) {
    var link = event.target.closest("a[data-load-older]");
    if (!link || !window.fetch || !window.DOMParser) { return; }
    event.preventDefault();
    fetch(link.href, {credentials: "same-origin"}).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var older = page.getElementById("messages-list");
      var before = document.documentElement.scrollHeight;
      var first = list.firstElementChild;
      Array.prototype.slice.call(older ? older.children : []).forEach(function (item) {
        if (!document.getElementById(item.id)) { list.insertBefore(document.importNode(item, true), first); }
      });
      var holder = document.getElementById("older-link");
      var next = page.getElementById("older-link");
      if (holder) {
        if (next) { holder.replaceWith(document.importNode(next, true)); } else { holder.remove(); }
      }
      window.scrollBy(0, document.documentElement.scrollHeight - before);  // keep the reader's place
    }).catch(function () { window.location.href = link.href; });  // the plain page still works
  }
  document.addEventListener("click", loadOlder);

  // Open at the newest message (not on a page of older ones).
  if (list.lastElementChild && !/[?&]before=/.test(window.location.search) && !window.location.hash) {
    list.lastElementChild.scrollIntoView({block: "end"});
  }

  if (!window.WebSocket) { return; }

  function lastId() {
    var items = list.querySelectorAll("li[data-id]");
    return items.length ? Number(items[items.length - 1].dataset.id) : 0;
  }

  function showStatus(text) {
    status.textContent = text || "";
    status.hidden = !text;
  }

  function newClientId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return "c" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function render(message) {
    if (document.getElementById("m" + message.id)) { return; }  // already shown
    if (message.kind === "event") { window.location.reload(); return; }  // the handover panel changes
    var holder = document.createElement("template");  // parsed inert: nothing in it runs or loads
    holder.innerHTML = message.html;  // the server's rendering, as on the page
    var item = holder.content.querySelector("li.msg");
    if (!item) { return; }
    item = list.appendChild(document.importNode(item, true));
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

  function forget(id) {
    delete pending[id];
    delete confirmed[id];
    pendingOrder = pendingOrder.filter(function (other) { return other !== id; });
  }

  function restoreUnsent() {
    // Back into the box, so that nothing written is lost when the socket cannot come back.
    var texts = pendingOrder.map(function (id) { return pending[id]; });
    pending = {};
    pendingOrder = [];
    if (texts.length && form) {
      var box = form.elements.body;
      box.value = texts.concat(box.value ? [box.value] : []).join("\n");
      showStatus(root.dataset.unsentLabel);
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + root.dataset.wsPath);
    socket.onopen = function () {
      retry = 0;
      showStatus("");
      send({type: "resume", after: lastId()});  // whatever arrived while we were away
      send({type: "read", upto: lastId()});
      pendingOrder.forEach(function (id) { send({type: "send", body: pending[id], client_id: id, confirmed: !!confirmed[id]}); });
    };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "message") { render(data.message); }
      else if (data.type === "seen" && data.user !== me) { markSeen(data.upto); }
      else if (data.type === "sent") { forget(data.client_id); }
      else if (data.type === "confirm") {
        // Part of it looks like a contact detail and no handover is agreed yet: ask, never refuse.
        if (pending[data.client_id] !== undefined && window.confirm(data.message)) {
          confirmed[data.client_id] = true;
          send({type: "send", body: pending[data.client_id], client_id: data.client_id, confirmed: true});
        } else {
          var unsent = pending[data.client_id];
          forget(data.client_id);
          if (unsent && form) { form.elements.body.value = unsent; }
        }
      }
      else if (data.type === "error") {
        var text = pending[data.client_id];
        forget(data.client_id);
        if (text && form) { form.elements.body.value = text; }
        showStatus(data.message);
      }
    };
    socket.onclose = function (event) {
      if (event.code === 4403) { restoreUnsent(); return; }  // not allowed: the plain page still works
      retry = Math.min(retry + 1, 6);
      showStatus(pendingOrder.length ? root.dataset.resendLabel : root.dataset.reconnectingLabel);
      window.setTimeout(connect, 500 * Math.pow(2, retry));
    };
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      var text = form.elements.body.value;
      if (!text.trim()) { return; }  // let the server say what is wrong
      var id = newClientId();
      // "Send anyway" (shown after the page asked about a contact detail without the socket) confirms.
      var sure = Boolean(event.submitter && event.submitter.name === "send_anyway");
      if (send({type: "send", body: text, client_id: id, confirmed: sure})) {
        event.preventDefault();
        if (sure) { confirmed[id] = true; }
        pending[id] = text;
        pendingOrder.push(id);
        form.elements.body.value = "";
      }  // otherwise the form posts normally
    });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { send({type: "read", upto: lastId()}); }
  });
  connect();
})();
