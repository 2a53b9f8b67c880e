/* Drafts saved as they are typed (htmx posts the form to its autosave address; the answer
   is a status line and the new version, swapped out of band). Served from this site, no inline
   script (CSP). */
(function () {
  "use strict";
  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    // Autosave (htmx) and the form's own buttons: a press waits for an autosave on its way
    // (its answer brings the new version), and no autosave starts once the form is sent.
    var inFlight = false;
    var sending = false;
    var waiting = null;
    form.addEventListener("htmx:beforeRequest", function (event) {
      if (sending) { event.preventDefault(); return; }
      inFlight = true;
    });
    form.addEventListener("htmx:afterRequest", function () {
      inFlight = false;
      if (waiting) {
        var submitter = waiting;
        waiting = null;
        // After the swap of the new version (htmx settles just after the request ends).
        window.setTimeout(function () { form.requestSubmit(submitter); }, 100);
      }
    });
    form.addEventListener("submit", function (event) {
      if (inFlight) {
        event.preventDefault();
        waiting = event.submitter || form.querySelector("button[type=submit]");
        return;
      }
      sending = true;
    });
  });
})();
