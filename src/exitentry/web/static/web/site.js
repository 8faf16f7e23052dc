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
  // An htmx request that fails is not swapped (base.html's responseHandling): without this the click would
  // seem to do nothing. Its error page's message (403, 404, 409, 500...: main's sections, each in its
  // language) is shown in a box before the form or element that sent it, with a 429's Retry-After as a
  // Beijing time and a link that reloads the page; what was typed stays. A poll ([hx-trigger] "every ...") that
  // fails only says, before its region, since when the region is not updated; one refused 401 or 403 shows
  // the box (sign in again), as polling again cannot help. Words: web/_request_failed.html.
  var opened = new Date();
  var updated = {}; // a polled region's id: when its last poll was answered
  // HH:MM in Beijing, as every time the site shows, whatever the computer's own time zone
  var beijing = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  function clock(date) {
    return beijing.format(date);
  }
  function said(when, fill) {
    var words = document.getElementById("request-failed");
    var box = document.createElement("div");
    box.appendChild(words.content.cloneNode(true));
    box.querySelectorAll("[data-when]").forEach(function (part) {
      var kept = part.getAttribute("data-when");
      if (kept !== "always" && when.indexOf(kept) < 0) {
        part.remove();
      }
    });
    box.querySelectorAll("p, span").forEach(function (part) {
      if (part.children.length === 0) {
        part.textContent = part.textContent.replace("__TIME__", fill.time || "").replace("__CODE__", fill.code || "");
      }
    });
    return box.querySelector(when[0] === "stale" ? ".poll-stale" : ".request-failed");
  }
  function polled(elt) {
    return /(^|[\s,])every\s/.test(elt.getAttribute("hx-trigger") || "");
  }
  function anchor(elt) {
    return (elt.closest && elt.closest("form")) || elt;
  }
  function before(elt, selector) {
    var previous = anchor(elt).previousElementSibling;
    return previous && previous.matches(selector) ? previous : null;
  }
  function stale(elt) {
    var note = before(elt, ".poll-stale");
    if (!note) {
      note = said(["stale"], { time: clock(updated[elt.id] || opened) });
      anchor(elt).before(note);
    }
  }
  function message(xhr) {
    var page = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    var main = page.querySelector("main");
    if (!main || !main.querySelector("h1, h2, h3")) {
      return []; // no page of the site (a proxy's, DEBUG's technical page): the box says the status alone
    }
    var parts = main.querySelectorAll("section");
    var language = page.documentElement.getAttribute("lang");
    return Array.prototype.map.call(parts.length ? parts : [main], function (part) {
      var shown = document.createElement("div");
      shown.setAttribute("lang", part.getAttribute("lang") || language || document.documentElement.lang);
      part.querySelectorAll("script, form, a.button").forEach(function (node) {
        var holder = node.parentNode;
        node.remove();
        if (holder !== part && holder.matches("p") && !holder.textContent.trim()) {
          holder.remove(); // its button leads to the page that failed: the box's own link reloads this one
        }
      });
      // words only: each heading, paragraph and list item rebuilt as a new element holding its text, never
      // the error page's own markup (no attribute, link or handler of it reaches this page)
      var list = null;
      part.querySelectorAll("h1, h2, h3, p, li").forEach(function (node) {
        if (node.parentNode.closest("p, li") || !node.textContent.trim()) {
          return; // said by the paragraph or item that holds it
        }
        var item = node.matches("li");
        var copy = document.createElement(item ? "li" : "p");
        copy.textContent = node.textContent.trim();
        if (node.matches("h1, h2, h3")) {
          copy.className = "request-failed-title";
        }
        if (item) {
          if (!list || list.source !== node.parentNode) {
            list = { source: node.parentNode, shown: document.createElement("ul") };
            shown.appendChild(list.shown);
          }
          list.shown.appendChild(copy);
        } else {
          list = null;
          shown.appendChild(copy);
        }
      });
      return shown;
    });
  }
  function retryAt(xhr) {
    var after = (xhr.getResponseHeader("Retry-After") || "").trim();
    if (!after) {
      return null;
    }
    var at = /^\d+$/.test(after) ? new Date(Date.now() + 1000 * Number(after)) : new Date(after);
    return isNaN(at.getTime()) ? null : at;
  }
  function failed(elt, xhr) {
    var when = [];
    var fill = {};
    var shown = xhr && xhr.status ? message(xhr) : [];
    if (!xhr || !xhr.status) {
      when.push("network");
    } else if (!shown.length) {
      when.push("status");
      fill.code = String(xhr.status);
    }
    var at = xhr && xhr.status === 429 ? retryAt(xhr) : null;
    if (at) {
      when.push("429");
      fill.time = clock(at);
    }
    var box = said(when, fill);
    var slot = box.querySelector("[data-message]");
    shown.forEach(function (part) {
      slot.appendChild(part);
    });
    var old = before(elt, ".request-failed");
    if (old) {
      old.remove();
    }
    anchor(elt).before(box);
    box.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var old = before(event.detail.elt, ".request-failed");
    if (old) {
      old.remove(); // a new try: its own answer says what happened
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    // an answer that changed a polled region replaced it (outerHTML): htmx then tells the request's end on an
    // ancestor still in the page (detail.elt), the polled element is the request's own, and the note stands
    // before the new one of its id
    var elt = (event.detail.requestConfig && event.detail.requestConfig.elt) || event.detail.elt;
    if (event.detail.successful && polled(elt)) {
      updated[elt.id] = new Date();
      var note = before(document.getElementById(elt.id) || elt, ".poll-stale");
      if (note) {
        note.remove();
      }
    }
  });
  document.addEventListener("htmx:responseError", function (event) {
    var elt = event.detail.elt;
    var signIn = [401, 403].indexOf(event.detail.xhr.status) >= 0; // signed out, second factor lapsed: no poll helps
    if (polled(elt) && !signIn) {
      stale(elt);
    } else {
      failed(elt, event.detail.xhr);
    }
  });
  document.addEventListener("htmx:sendError", function (event) {
    var elt = event.detail.elt;
    if (polled(elt)) {
      stale(elt);
    } else {
      failed(elt, null);
    }
  });
})();
