// Photos upload as soon as they are chosen (listings/_uploads.html), so a form error or signing up
// first loses none. Each file is checked here first with the server's own limits and messages
// (type by its first bytes, size, pixel count), then sent with a progress bar; the server checks
// and cleans it again. Without JavaScript the files go with the form and are kept the same way.
(function () {
  "use strict";

  var area = document.getElementById("photo-uploads");
  var input = document.querySelector("input[type=file][name=photos]");
  if (!area || !input || !window.FormData || !window.XMLHttpRequest) { return; }
  var list = area.querySelector(".upload-list");
  var form = input.form;
  var data = area.dataset;
  var pending = 0;

  function csrfToken() {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function inUse() {
    return list.querySelectorAll("input[name=uploads]:checked").length + Number(data.existing || 0);
  }

  // The format from the file's first bytes, as the server decides it (never the name or type).
  function sniff(bytes) {
    var ascii = function (start, end) { return String.fromCharCode.apply(null, bytes.slice(start, end)); };
    if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) { return "jpeg"; }
    if (bytes[0] === 0x89 && ascii(1, 4) === "PNG") { return "png"; }
    if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") { return "webp"; }
    if (ascii(4, 8) === "ftyp" && /^(heic|heix|hevc|hevx|heim|heis|mif1|msf1|avif)$/.test(ascii(8, 12))) { return "heif"; }
    return null;
  }

  function pixels(file) {  // null when the browser cannot decode it (HEIC): the server counts them
    return new Promise(function (resolve) {
      var image = new Image();
      var url = URL.createObjectURL(file);
      image.onload = function () { URL.revokeObjectURL(url); resolve({ count: image.naturalWidth * image.naturalHeight }); };
      image.onerror = function () { URL.revokeObjectURL(url); resolve({ damaged: true }); };
      image.src = url;
    });
  }

  function check(file) {
    if (file.size > Number(data.maxBytes)) { return Promise.resolve(data.msgSize); }
    return file.slice(0, 16).arrayBuffer().then(function (buffer) {
      var format = sniff(Array.from(new Uint8Array(buffer)));
      if (!format) { return data.msgType; }
      if (format === "heif") { return null; }
      return pixels(file).then(function (result) {
        if (result.damaged) { return data.msgDamaged; }
        return result.count > Number(data.maxPixels) ? data.msgPixels : null;
      });
    });
  }

  function row(file) {
    var item = document.createElement("li");
    item.className = "upload-item";
    var name = document.createElement("span");
    name.className = "upload-name";
    name.textContent = file.name;
    item.appendChild(name);
    list.appendChild(item);
    return item;
  }

  function fail(item, message) {
    var error = document.createElement("p");
    error.className = "error-text";
    error.setAttribute("role", "alert");
    error.textContent = message;
    item.replaceChildren(item.querySelector(".upload-name") || "", error);
    item.classList.add("upload-failed");
  }

  function done(item, answer, file) {
    var image = document.createElement("img");
    image.src = answer.thumbnail;
    image.alt = file.name;
    image.width = 96;
    image.height = 96;
    var label = document.createElement("label");
    label.className = "checkbox";
    var box = document.createElement("input");
    box.type = "checkbox";
    box.name = "uploads";
    box.value = answer.key;
    box.checked = true;
    label.append(box, " " + data.labelUse);
    item.replaceChildren(image, label);
  }

  function send(item, file) {
    var progress = document.createElement("progress");
    progress.max = 100;
    progress.value = 0;
    progress.setAttribute("aria-label", data.msgUploading + " " + file.name);
    item.appendChild(progress);
    var body = new FormData();
    body.append("photo", file);
    var request = new XMLHttpRequest();
    request.open("POST", data.uploadUrl);
    request.setRequestHeader("X-CSRFToken", csrfToken());
    request.responseType = "json";
    request.upload.onprogress = function (event) {
      if (event.lengthComputable) { progress.value = Math.round((100 * event.loaded) / event.total); }
    };
    request.onloadend = function () {
      pending -= 1;
      var answer = request.response || {};
      if (request.status === 201 && answer.key) { done(item, answer, file); }
      else { fail(item, answer.error || data.msgFailed); }
    };
    pending += 1;
    request.send(body);
  }

  input.addEventListener("change", function () {
    var files = Array.prototype.slice.call(input.files);
    input.value = "";  // sent one by one here, not again with the form
    var room = Number(data.maxPhotos) - inUse() - pending;
    files.forEach(function (file, index) {
      var item = row(file);
      if (index >= room) { fail(item, data.msgCount); return; }
      pending += 1;  // counted from the check on, so the form waits for it
      check(file).then(function (problem) {
        pending -= 1;
        if (problem) { fail(item, problem); } else { send(item, file); }
      });
    });
  });

  form.addEventListener("submit", function (event) {
    if (pending > 0) {
      event.preventDefault();
      var item = row({ name: "" });
      fail(item, data.msgWait);
      window.setTimeout(function () { item.remove(); }, 4000);
    }
  });
})();
