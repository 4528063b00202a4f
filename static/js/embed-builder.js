// Staff embed builder: update the snippet and the preview as soon as a filter changes (the form's
// submit button does the same without JavaScript), keep the number of items within what the
// widget shows, and copy the snippet.
(function () {
  "use strict";
  var form = document.getElementById("embed-builder");
  var snippet = document.getElementById("snippet");
  var preview = document.getElementById("embed-preview");
  if (!form || !snippet || !preview) { return; }
  var base = snippet.dataset.siteUrl.split("?")[0];
  var defaultLang = snippet.dataset.defaultLang;
  var limit = document.getElementById("id_limit");
  var limitHelp = document.getElementById("id_limit_helptext");

  function escapeAttribute(text) {
    return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // The widget shows between min and max items: out of range, the snippet uses the nearest.
  function limitValue() {
    if (!limit || limit.value === "") { return ""; }
    var min = parseInt(limit.min, 10), max = parseInt(limit.max, 10);
    var wanted = parseInt(limit.value, 10);
    var used = isNaN(wanted) ? "" : Math.min(Math.max(wanted, min), max);
    var clamped = used === "" || String(used) !== limit.value.trim();
    limitHelp.textContent = clamped ? limit.dataset.clampedText : "";
    limit.setAttribute("aria-invalid", clamped ? "true" : "false");
    return used === "" ? "" : String(used);
  }

  function update() {
    var params = new URLSearchParams();
    var lang = defaultLang;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) { return; }
      if (el.type === "checkbox") { if (el.checked) { params.set(el.name, "1"); } return; }
      var value = el === limit ? limitValue() : el.value.trim();
      if (el.name === "lang") { lang = value || defaultLang; if (value === defaultLang) { return; } }
      if (value) { params.set(el.name, value); }
    });
    var query = params.toString();
    var src = base + (query ? "?" + query : "");
    var title = snippet.getAttribute("data-title-" + lang) || "";
    snippet.value = snippet.value
      .replace(/src="[^"]*"/, 'src="' + escapeAttribute(src) + '"')
      .replace(/title="[^"]*"/, 'title="' + escapeAttribute(title) + '"');
    preview.src = "/embed/listings" + (query ? "?" + query : "");
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);

  var copy = document.getElementById("copy-snippet");
  var status = document.getElementById("copy-status");
  if (copy && status) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      function copied() { status.textContent = copy.dataset.copied; }
      function failed() { snippet.select(); status.textContent = copy.dataset.failed; }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(snippet.value).then(copied, failed);
      } else {
        snippet.select();
        try { if (document.execCommand("copy")) { copied(); } else { failed(); } } catch (e) { failed(); }
      }
    });
  }
})();
