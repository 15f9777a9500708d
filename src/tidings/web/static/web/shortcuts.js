// Keyboard shortcuts on any page with article cards (base.html loads this file; the CSP allows no inline script).
//   j / k   next / previous card (a focus ring shows it; it scrolls into view)
//   o       open the card's article
//   s       save or unsave the card's article
//   m       mark the card's article read or unread
//   f       follow or unfollow the card's first chip: its category, or its topic when it has no category
//           (the same as pressing that chip's star; the star shows the new state)
//   ?       show or hide this list
// Keys typed into a field (input, textarea, select, anything editable) and keys with Ctrl, Alt or Meta are left
// alone. Save and mark read are POSTs with the CSRF token of the page's forms (every list of cards has the
// "Mark all as read" form), or the csrftoken cookie.
(function () {
  "use strict";

  var SHORTCUTS = [
    ["j", "Next card"],
    ["k", "Previous card"],
    ["o", "Open the article"],
    ["s", "Save or unsave"],
    ["m", "Mark read or unread"],
    ["f", "Follow or unfollow the card's category (or its topic when it has none)"],
    ["?", "Show or hide these shortcuts"],
  ];

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-card]"));
  }

  function currentCard() {
    var active = document.activeElement;
    if (active && active.closest) {
      var inside = active.closest("[data-card]");
      if (inside) {
        return inside;
      }
    }
    return document.querySelector("[data-card].is-current");
  }

  function select(card) {
    var previous = document.querySelectorAll("[data-card].is-current");
    for (var i = 0; i < previous.length; i++) {
      previous[i].classList.remove("is-current");
    }
    card.classList.add("is-current");
    if (!card.hasAttribute("tabindex")) {
      card.setAttribute("tabindex", "-1");
    }
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var list = cards();
    if (list.length === 0) {
      return;
    }
    var index = list.indexOf(currentCard());
    var next = index < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(Math.max(index + step, 0), list.length - 1);
    select(list[next]);
  }

  function say(message) {
    if (typeof window.tidingsAnnounce === "function") {
      window.tidingsAnnounce(message);
    }
  }

  function post(url, fields, headers) {
    var body = new FormData();
    var field = document.querySelector("input[name='csrfmiddlewaretoken']");
    var token = field ? field.value : null;
    if (!token && typeof window.tidingsCookie === "function") {
      token = window.tidingsCookie("csrftoken");
    }
    body.append("csrfmiddlewaretoken", token || "");
    for (var name in fields) {
      body.append(name, fields[name]);
    }
    return fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: headers || {} });
  }

  function setFlag(card, name, on) {
    card.setAttribute("data-" + name, on ? "1" : "0");
    var flag = card.querySelector("[data-flag='" + name + "']");
    if (flag) {
      flag.hidden = !on;
    }
  }

  function toggleRead(card) {
    var read = card.getAttribute("data-read") !== "1";
    post(card.getAttribute("data-read-url"), { read: read ? "1" : "0" }, { Accept: "application/json" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        setFlag(card, "read", data.read);
        card.classList.toggle("card-read", data.read);
        var item = card.querySelector("[data-read-item]");
        if (item) {
          item.querySelector("input[name='read']").value = data.read ? "0" : "1";
          item.querySelector("button").textContent = data.read ? "Mark as unread" : "Mark as read";
        }
        say(data.read ? "Marked as read" : "Marked as unread");
      })
      .catch(function () {
        say("Could not change the read state; try again.");
      });
  }

  function toggleSaved(card) {
    var saved = card.getAttribute("data-saved") !== "1";
    post(card.getAttribute("data-save-url"), { saved: saved ? "1" : "0" }, { "HX-Request": "true" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        setFlag(card, "saved", saved);
        say(saved ? "Saved" : "Removed from saved");
      })
      .catch(function () {
        say("Could not save; try again.");
      });
  }

  function follow(card) {
    var button = card.querySelector(".chips .follow button[data-role]");
    if (!button) {
      say("This card has no category or topic to follow.");
      return;
    }
    button.click();
  }

  function open(card) {
    var link = card.querySelector(".card-title a");
    if (link) {
      window.location.assign(link.href);
    }
  }

  var dialog = null;

  function help() {
    if (dialog === null) {
      dialog = document.createElement("dialog");
      dialog.className = "shortcuts-help";
      dialog.setAttribute("aria-labelledby", "shortcuts-title");
      var title = document.createElement("h2");
      title.id = "shortcuts-title";
      title.textContent = "Keyboard shortcuts";
      dialog.appendChild(title);
      var list = document.createElement("dl");
      for (var i = 0; i < SHORTCUTS.length; i++) {
        var key = document.createElement("dt");
        var kbd = document.createElement("kbd");
        kbd.textContent = SHORTCUTS[i][0];
        key.appendChild(kbd);
        var what = document.createElement("dd");
        what.textContent = SHORTCUTS[i][1];
        list.appendChild(key);
        list.appendChild(what);
      }
      dialog.appendChild(list);
      var close = document.createElement("button");
      close.type = "button";
      close.className = "btn";
      close.textContent = "Close";
      close.addEventListener("click", function () {
        dialog.close();
      });
      dialog.appendChild(close);
      document.body.appendChild(dialog);
    }
    if (dialog.open) {
      dialog.close();
    } else {
      dialog.showModal();
    }
  }

  function typing(target) {
    if (!target || !target.closest) {
      return false;
    }
    return target.isContentEditable || target.closest("input, textarea, select, [contenteditable='true']") !== null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) {
      return;
    }
    if (event.key === "?") {
      event.preventDefault();
      help();
      return;
    }
    if (event.shiftKey || (dialog !== null && dialog.open)) {
      return;
    }
    var key = event.key;
    if (key === "j" || key === "k") {
      event.preventDefault();
      move(key === "j" ? 1 : -1);
      return;
    }
    if ("osmf".indexOf(key) < 0 || key.length !== 1) {
      return;
    }
    var card = currentCard();
    if (!card) {
      return;
    }
    event.preventDefault();
    if (key === "o") {
      open(card);
    } else if (key === "s") {
      toggleSaved(card);
    } else if (key === "m") {
      toggleRead(card);
    } else {
      follow(card);
    }
  });
})();
