// Upload page: drag and drop, several files at once, per-file progress. Progressive enhancement over
// the plain multipart form: each file is sent in its own request (XHR, for upload progress events) and
// the row the server answers with replaces the file's progress row. Without JavaScript the form posts
// all files at once and the page comes back with the same rows.
(function () {
  "use strict";
  var PARALLEL = 3;
  var form = document.getElementById("upload-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  var input = form.querySelector("input[type=file]");
  var dropzone = form.querySelector(".dropzone");
  var results = document.getElementById("upload-results");
  var maxRequest = parseInt(form.getAttribute("data-max-request-bytes") || "0", 10);
  var waiting = [];
  var running = 0;
  form.classList.add("js");

  function policy() {
    var checked = form.querySelector("input[name=on_duplicate]:checked");
    return checked ? checked.value : "";
  }

  function csrf() {
    return form.querySelector("input[name=csrf_token]").value;
  }

  function row(file) {
    var li = document.createElement("li");
    li.className = "upload-row pending";
    li.setAttribute("data-testid", "upload-row");
    li.setAttribute("data-status", "uploading");
    li.setAttribute("data-filename", file.name);
    var name = document.createElement("span");
    name.className = "upload-name";
    name.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", "Upload progress of " + file.name);
    var status = document.createElement("span");
    status.className = "upload-status";
    status.textContent = "Waiting…";
    li.appendChild(name);
    li.appendChild(bar);
    li.appendChild(status);
    results.appendChild(li);
    var empty = document.getElementById("upload-empty");
    if (empty) empty.remove();
    return li;
  }

  function fail(li, title, detail) {
    li.className = "upload-row rejected";
    li.setAttribute("data-status", "rejected");
    var bar = li.querySelector("progress");
    if (bar) bar.remove();
    var status = li.querySelector(".upload-status");
    status.className = "upload-status error";
    status.setAttribute("role", "alert");
    status.setAttribute("data-testid", "upload-error");
    status.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = title + ". ";
    status.appendChild(strong);
    status.appendChild(document.createTextNode(detail));
  }

  function httpFailure(li, code) {
    if (code === 413) fail(li, "File too large", "The server does not accept a file this large.");
    else if (code === 400) fail(li, "The page has expired", "Reload the page and upload the file again.");
    else if (code === 401 || code === 403) fail(li, "Not allowed", "Your session has ended or your role cannot upload.");
    else fail(li, "Upload failed", "The server answered HTTP " + code + ". Try again.");
  }

  function send(file, li) {
    running += 1;
    var bar = li.querySelector("progress");
    var status = li.querySelector(".upload-status");
    var data = new FormData();
    data.append("csrf_token", csrf());
    data.append("on_duplicate", policy());
    data.append("files", file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.setRequestHeader("X-CSRFToken", csrf());
    status.textContent = "Uploading…";
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) bar.value = Math.round((event.loaded / event.total) * 100);
    });
    xhr.upload.addEventListener("load", function () {
      bar.value = 100;
      status.textContent = "Reading the file…";
    });
    xhr.addEventListener("load", function () {
      if (xhr.status === 200) {
        var holder = document.createElement("ul");
        holder.innerHTML = xhr.responseText.trim();
        var answer = holder.querySelector("li");
        if (answer) li.replaceWith(answer);
        else fail(li, "Upload failed", "The server gave no result for this file.");
      } else {
        httpFailure(li, xhr.status);
      }
    });
    xhr.addEventListener("error", function () {
      fail(li, "Upload failed", "The connection was lost. Try again.");
    });
    xhr.addEventListener("loadend", function () {
      running -= 1;
      next();
    });
    xhr.send(data);
  }

  function next() {
    while (running < PARALLEL && waiting.length) {
      var item = waiting.shift();
      send(item.file, item.li);
    }
  }

  function uploadAll(files) {
    Array.prototype.forEach.call(files, function (file) {
      var li = row(file);
      if (maxRequest && file.size > maxRequest) {
        fail(li, "File too large", "The file is " + (file.size / 1048576).toFixed(1) + " MB; the server accepts at most " +
          (maxRequest / 1048576).toFixed(0) + " MB in one request.");
        return;
      }
      waiting.push({ file: file, li: li });
    });
    next();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!input.files.length) {
      input.focus();
      return;
    }
    uploadAll(input.files);
    input.value = "";
  });

  ["dragenter", "dragover"].forEach(function (type) {
    dropzone.addEventListener(type, function (event) {
      event.preventDefault();
      dropzone.classList.add("over");
    });
  });
  ["dragleave", "drop"].forEach(function (type) {
    dropzone.addEventListener(type, function () { dropzone.classList.remove("over"); });
  });
  dropzone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) uploadAll(event.dataTransfer.files);
  });
})();
