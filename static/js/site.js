// Small progressive enhancements; every action also works without JavaScript.
(function () {
  "use strict";

  // Language selector: switch as soon as a language is chosen.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Gallery: show a thumbnail's photo in the main frame.
  document.querySelectorAll("a[data-gallery-target]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var main = document.getElementById(link.dataset.galleryTarget);
      if (!main) { return; }
      event.preventDefault();
      main.src = link.href;
    });
  });

  // Preview photos chosen for upload (the server still checks and cleans every file).
  var input = document.querySelector("input[type=file][name=photos]");
  var preview = document.getElementById("photo-preview");
  if (input && preview && window.URL) {
    input.addEventListener("change", function () {
      preview.replaceChildren();
      Array.prototype.slice.call(input.files, 0, 20).forEach(function (file) {
        if (!/^image\/(jpeg|png|webp)$/.test(file.type)) { return; }  // HEIC cannot be previewed in most browsers
        var img = document.createElement("img");
        img.alt = file.name;
        img.src = URL.createObjectURL(file);
        preview.appendChild(img);
      });
    });
  }

  // Unread badge: kept current over a WebSocket on every page for signed-in residents.
  var badge = document.querySelector("[data-unread-badge]");
  if (badge && window.WebSocket) {
    var retries = 0;
    var open = function () {
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      var socket = new WebSocket(scheme + window.location.host + "/ws/notifications/");
      socket.onopen = function () { retries = 0; };
      socket.onmessage = function (event) {
        var data = JSON.parse(event.data);
        if (data.type !== "unread") { return; }
        badge.textContent = String(data.total);
        badge.hidden = data.total === 0;
      };
      socket.onclose = function (event) {
        if (event.code === 4403) { return; }
        retries = Math.min(retries + 1, 6);
        window.setTimeout(open, 1000 * Math.pow(2, retries));
      };
    };
    open();
  }

  // A table wider than a phone scrolls inside its .table-wrap: the wrapper takes the keyboard focus,
  // so arrow keys scroll it too (WCAG 2.1.1), named by the table's caption or the heading above it.
  document.querySelectorAll(".table-wrap").forEach(function (wrap) {
    var caption = wrap.querySelector("caption");
    var heading = wrap.previousElementSibling;
    var name = caption ? caption.textContent : (heading && /^H[2-4]$/.test(heading.tagName) ? heading.textContent : "");
    wrap.tabIndex = 0;
    if (name.trim()) { wrap.setAttribute("role", "region"); wrap.setAttribute("aria-label", name.trim()); }
  });
})();
