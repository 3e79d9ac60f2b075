// The console's only script (served by the center; no CDN). It keeps the parts of a page marked
// data-live="URL" fresh by asking URL for new HTML every data-poll ms, and asks before a
// button marked data-confirm submits its form. Pages work without it, just without live updates.
(function () {
  "use strict";
  function busy(box) {
    // never pull a form away from someone filling it in
    return box.querySelector("form :focus, details[open]") !== null;
  }
  function refresh(box) {
    var url = box.getAttribute("data-live");
    if (busy(box)) { return; }
    fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        if (r.status === 401) { window.location = r.headers.get("X-Console-Login") || window.location.href; return null; }
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        // asked again: the person may have opened a form while the answer was on its way
        if (html !== null && html !== undefined && html !== box.getAttribute("data-last") && !busy(box)) {
          box.innerHTML = html;
          box.setAttribute("data-last", html);
        }
      })
      .catch(function () { /* the network is down: try again next time */ });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-live]").forEach(function (box) {
      var every = parseInt(box.getAttribute("data-poll") || "1500", 10);
      window.setInterval(function () { refresh(box); }, every);
    });
    document.addEventListener("submit", function (event) {
      var button = event.submitter;
      var question = button && button.getAttribute("data-confirm");
      if (question && !window.confirm(question)) { event.preventDefault(); }
    });
  });
})();
