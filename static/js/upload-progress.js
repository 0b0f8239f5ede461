// Upload progress for <form data-upload-progress>: a plain multipart form that works without
// JavaScript; with it, the same request goes through XMLHttpRequest (fetch, and so htmx 4, reports
// no upload progress) and a <progress> inside the form shows how much has been sent.
(function () {
  "use strict";
  if (window.portalUploadProgress) { return; }  // htmx re-runs scripts of swapped pages
  window.portalUploadProgress = true;

  function showResponse(xhr) {
    var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
    document.title = doc.title;
    document.body.replaceWith(doc.body);
    if (xhr.responseURL && xhr.responseURL !== window.location.href) {
      window.history.pushState({}, "", xhr.responseURL);
    }
    window.scrollTo(0, 0);
    var heading = document.querySelector("h1, .error-summary");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
  }

  function send(form, event) {
    if (!window.FormData || !window.XMLHttpRequest) { return; }
    event.preventDefault();
    var bar = form.querySelector("progress");
    var status = form.querySelector("[data-upload-status]");
    var button = form.querySelector("button[type=submit]");
    var xhr = new XMLHttpRequest();
    xhr.open(form.method || "POST", form.action);
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable || !bar) { return; }
      bar.max = e.total;
      bar.value = e.loaded;
      if (status) { status.textContent = Math.round((e.loaded / e.total) * 100) + "%"; }
    });
    xhr.addEventListener("load", function () { showResponse(xhr); });
    xhr.addEventListener("error", function () { form.submit(); });
    if (bar) { bar.hidden = false; bar.value = 0; }
    if (button) { button.disabled = true; }
    xhr.send(new FormData(form));
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-upload-progress")) {
      send(form, event);
    }
  });
})();
