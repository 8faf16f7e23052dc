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
  // A region htmx polls ([data-poll-quiet]) is swapped only when its words changed: an unchanged poll
  // leaves the page, the keyboard focus and screen readers alone. The words of a region's [data-announce],
  // when new, go to the polite live region it names (data-announce-to): the queue screen's latest call,
  // the day board's waiting count, the roster's count after a filter.
  function words(node) {
    return (node.textContent || "").replace(/\s+/g, " ").trim();
  }
  function announcement(root) {
    var marked = root.matches("[data-announce]") ? root : root.querySelector("[data-announce]");
    return marked ? marked.getAttribute("data-announce") : "";
  }
  function announce() {
    document.querySelectorAll("[data-announce-to]").forEach(function (source) {
      var region = document.getElementById(source.getAttribute("data-announce-to"));
      var said = announcement(source);
      if (region && region.getAttribute("data-said") !== said) {
        if (region.hasAttribute("data-said") && said) {
          region.textContent = said;
        }
        region.setAttribute("data-said", said);
      }
    });
  }
  announce(); // what the page showed when it opened is not news
  document.addEventListener("htmx:beforeSwap", function (event) {
    var polled = event.detail.elt;
    if (event.detail.shouldSwap && event.detail.target === polled && polled.matches("[data-poll-quiet]")) {
      var fresh = document.createElement("template");
      fresh.innerHTML = event.detail.serverResponse;
      if (words(fresh.content) === words(polled)) {
        event.detail.shouldSwap = false;
      }
    }
  });
  document.addEventListener("htmx:afterSettle", announce);
})();
