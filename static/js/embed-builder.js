// Staff embed builder: update the snippet and the preview as soon as a filter changes
// (the form's submit button does the same without JavaScript).
(function () {
  "use strict";
  var form = document.getElementById("embed-builder");
  var snippet = document.getElementById("snippet");
  var preview = document.getElementById("embed-preview");
  if (!form || !snippet || !preview) { return; }
  var base = snippet.dataset.siteUrl.split("?")[0];
  function update() {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) { return; }
      if (el.type === "checkbox") { if (el.checked) { params.set(el.name, "1"); } return; }
      if (el.value) { params.set(el.name, el.value); }
    });
    var query = params.toString();
    var src = base + (query ? "?" + query : "");
    snippet.value = snippet.value.replace(/src="[^"]*"/, 'src="' + src + '"');
    preview.src = "/embed/listings" + (query ? "?" + query : "");
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
})();
