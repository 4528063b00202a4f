// The notification settings page: turn push notifications on or off for this browser. The
// subscription goes to the site, which sends encrypted pushes to it (notifications/push.py); the
// service worker (/sw.js) shows them.
(function () {
  "use strict";
  var box = document.getElementById("push-device");
  if (!box) { return; }
  var state = box.querySelector("[data-push-state]");
  var onButton = box.querySelector("[data-push-on]");
  var offButton = box.querySelector("[data-push-off]");

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function show(message, subscribed) {
    state.textContent = message;
    onButton.hidden = subscribed !== false;
    offButton.hidden = subscribed !== true;
  }

  function keyBytes(base64) {
    var padded = (base64 + "===".slice((base64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), function (c) { return c.charCodeAt(0); });
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
      body: JSON.stringify(body)
    });
  }

  function deviceName() {
    var agent = navigator.userAgent;
    var system = /Android/.test(agent) ? "Android" : /iPhone|iPad/.test(agent) ? "iOS" : /Windows/.test(agent) ? "Windows" : /Mac OS/.test(agent) ? "Mac" : "";
    var browser = /Edg\//.test(agent) ? "Edge" : /Firefox\//.test(agent) ? "Firefox" : /Chrome\//.test(agent) ? "Chrome" : /Safari\//.test(agent) ? "Safari" : "";
    return [browser, system].filter(Boolean).join(" / ");
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    show(box.dataset.msgUnsupported, null);
    return;
  }

  navigator.serviceWorker.register("/sw.js").then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    return registration.pushManager.getSubscription().then(function (subscription) {
      if (Notification.permission === "denied") { show(box.dataset.msgDenied, null); return; }
      show(subscription ? box.dataset.msgOn : box.dataset.msgOff, Boolean(subscription));
    });
  }).catch(function () { show(box.dataset.msgUnsupported, null); });

  onButton.addEventListener("click", function () {
    onButton.disabled = true;
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { throw new Error("denied"); }
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      return registration.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.vapidKey)});
    }).then(function (subscription) {
      var body = subscription.toJSON();
      body.device = deviceName();
      return post(box.dataset.subscribeUrl, body).then(function (response) {
        if (response.ok) { window.location.reload(); return; }
        return response.json().then(function (answer) {
          subscription.unsubscribe();
          show(answer.error || box.dataset.msgFailed, false);
        });
      });
    }).catch(function (error) {
      show(error.message === "denied" ? box.dataset.msgDenied : box.dataset.msgFailed, error.message === "denied" ? null : false);
    }).finally(function () { onButton.disabled = false; });
  });

  offButton.addEventListener("click", function () {
    navigator.serviceWorker.ready.then(function (registration) {
      return registration.pushManager.getSubscription();
    }).then(function (subscription) {
      if (!subscription) { return null; }
      return post(box.dataset.unsubscribeUrl, {endpoint: subscription.endpoint}).then(function () { return subscription.unsubscribe(); });
    }).then(function () { window.location.reload(); });
  });
})();
