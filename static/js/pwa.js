// Registers the service worker (templates/pwa/sw.js, at the address in data-worker): the offline
// page, static files from the cache, and the Web Push notices.
(function () {
  "use strict";

  var script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script) { return; }
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(script.dataset.worker);
  });
})();
