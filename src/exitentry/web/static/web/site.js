/* exitentry: the page's few behaviours, as a static file (the Content-Security-Policy allows no inline
   script or handler). Event delegation, so content that htmx swaps in works too. */
(function () {
  "use strict";
  // <button data-print>: print the page (the checklist, the backup codes).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
  // <select data-submit-on-change>: choosing sends its form (the queue's hall filter; a button in
  // <noscript> does it without JavaScript).
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-submit-on-change]") && field.form) {
      field.form.submit();
    }
  });
})();
