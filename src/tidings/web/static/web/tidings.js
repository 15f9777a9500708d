// Tidings' only script of its own (the Content-Security-Policy allows no inline script or on* handlers).
// An image marked data-remove-on-error that fails to load is removed rather than shown broken, with the figure
// around it (data-image-figure) so its caption does not stand alone; the listener is on the document (capturing:
// error events do not bubble), so images htmx swaps in later are covered too. This script loads in <head>,
// before any image can fail.
function tidingsRemoveBrokenImage(image) {
  var figure = image.closest("[data-image-figure]");
  (figure || image).remove();
}
document.addEventListener(
  "error",
  function (event) {
    var target = event.target;
    if (target instanceof HTMLImageElement && target.hasAttribute("data-remove-on-error")) {
      tidingsRemoveBrokenImage(target);
    }
  },
  true
);

// Follow and mute controls (web/partials/follow_button.html). After a click the server answers with an HX-Trigger
// event, "tidings:follow" {key, state, message}. Every control of the same target on the page takes the new
// state: its form's data-state (CSS shows the matching icon and text), and each button's aria-pressed and
// aria-label (read from its data-label-<state>). Nothing is swapped, so keyboard focus stays where it was.
function tidingsPressed(role, state) {
  if (role === "chip") {
    return state !== "none";
  }
  return role === state;
}

// The live region is on the page from the start, so screen readers announce what is later written into it.
function tidingsStatusRegion() {
  var region = document.getElementById("tidings-status");
  if (region === null) {
    region = document.createElement("div");
    region.id = "tidings-status";
    region.className = "toast";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    document.body.appendChild(region);
  }
  return region;
}

document.addEventListener("DOMContentLoaded", tidingsStatusRegion);

function tidingsAnnounce(message) {
  if (!message) {
    return;
  }
  var region = tidingsStatusRegion();
  region.textContent = message;
  region.classList.add("is-shown");
  window.clearTimeout(region.tidingsTimer);
  region.tidingsTimer = window.setTimeout(function () {
    region.classList.remove("is-shown");
  }, 6000);
}

// The first-visit picker (web/partials/picker.html): "N of 3 chosen", and Done is enabled at 3.
function tidingsUpdatePicker() {
  var pickers = document.querySelectorAll("[data-picker]");
  for (var i = 0; i < pickers.length; i++) {
    var picker = pickers[i];
    var keys = {};
    var chosen = Number(picker.getAttribute("data-elsewhere") || "0");
    var forms = picker.querySelectorAll("form.follow[data-state='follow']");
    for (var j = 0; j < forms.length; j++) {
      var key = forms[j].getAttribute("data-follow-key");
      if (!keys[key]) {
        keys[key] = true;
        chosen += 1;
      }
    }
    var needed = Number(picker.getAttribute("data-needed") || "3");
    var count = picker.querySelector("[data-picker-count]");
    if (count !== null) {
      count.textContent = Math.min(chosen, needed) + " of " + needed + " chosen";
    }
    var done = picker.querySelector("[data-picker-done]");
    if (done !== null) {
      done.disabled = chosen < needed;
    }
  }
}

document.addEventListener("tidings:follow", function (event) {
  var detail = event.detail || {};
  var state = detail.state || "none";
  var forms = document.querySelectorAll("form.follow[data-follow-key]");
  for (var i = 0; i < forms.length; i++) {
    var form = forms[i];
    if (form.getAttribute("data-follow-key") !== detail.key) {
      continue;
    }
    form.setAttribute("data-state", state);
    var buttons = form.querySelectorAll("button[data-role]");
    for (var j = 0; j < buttons.length; j++) {
      var button = buttons[j];
      var label = button.getAttribute("data-label-" + state);
      button.setAttribute("aria-pressed", tidingsPressed(button.getAttribute("data-role"), state) ? "true" : "false");
      if (label) {
        button.setAttribute("aria-label", label);
        button.setAttribute("title", label);
      }
    }
  }
  tidingsUpdatePicker();
  tidingsAnnounce(detail.message);
});

// The colour theme (base.html's theme menu, web/theme.py). The server sets data-theme on <html> from the
// "tidings_theme" cookie before the first paint; picking a theme here sets the attribute, the cookie and a copy in
// localStorage at once, without a reload. The cookie wins; localStorage only restores a cookie that was cleared.
var TIDINGS_THEMES = ["light", "dark", "system"];

function tidingsCookie(name) {
  var parts = document.cookie ? document.cookie.split("; ") : [];
  for (var i = 0; i < parts.length; i++) {
    var eq = parts[i].indexOf("=");
    if (parts[i].slice(0, eq) === name) {
      return decodeURIComponent(parts[i].slice(eq + 1));
    }
  }
  return null;
}

function tidingsApplyTheme(theme, remember) {
  if (TIDINGS_THEMES.indexOf(theme) < 0) {
    return;
  }
  if (theme === "system") {
    document.documentElement.removeAttribute("data-theme");
  } else {
    document.documentElement.setAttribute("data-theme", theme);
  }
  if (remember) {
    var secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie = "tidings_theme=" + theme + "; Max-Age=31536000; Path=/; SameSite=Lax" + secure;
    try {
      window.localStorage.setItem("tidings_theme", theme);
    } catch (error) {
      // Storage may be off (private mode); the cookie is enough.
    }
  }
  var buttons = document.querySelectorAll("[data-theme-form] button[name='theme']");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].setAttribute("aria-pressed", buttons[i].value === theme ? "true" : "false");
  }
  var summaries = document.querySelectorAll(".theme-summary");
  for (var j = 0; j < summaries.length; j++) {
    summaries[j].setAttribute("aria-label", "Colour theme: " + theme);
  }
}

(function () {
  if (tidingsCookie("tidings_theme") !== null) {
    return;
  }
  var stored = null;
  try {
    stored = window.localStorage.getItem("tidings_theme");
  } catch (error) {
    stored = null;
  }
  if (stored !== null) {
    tidingsApplyTheme(stored, true);
    document.addEventListener("DOMContentLoaded", function () {
      tidingsApplyTheme(stored, false);
    });
  }
})();

document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-theme-form")) {
    return;
  }
  var submitter = event.submitter;
  if (!submitter || submitter.name !== "theme") {
    return;
  }
  event.preventDefault();
  tidingsApplyTheme(submitter.value, true);
  var menu = form.closest("details");
  if (menu !== null) {
    menu.open = false;
    var summary = menu.querySelector("summary");
    if (summary !== null) {
      summary.focus();
    }
  }
});

// Card menus (web/partials/card_actions.html, <details class="card-actions">): one open at a time; a click
// outside or Escape closes them (Escape gives focus back to the menu's button).
(function () {
  function openMenus() {
    return Array.prototype.slice.call(document.querySelectorAll("details.card-actions[open]"));
  }
  document.addEventListener("toggle", function (event) {
    var menu = event.target;
    if (!(menu instanceof HTMLDetailsElement) || !menu.classList.contains("card-actions") || !menu.open) {
      return;
    }
    openMenus().forEach(function (other) {
      if (other !== menu) {
        other.open = false;
      }
    });
  }, true);
  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) {
        menu.open = false;
      }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    openMenus().forEach(function (menu) {
      var hadFocus = menu.contains(document.activeElement);
      menu.open = false;
      var summary = menu.querySelector("summary");
      if (hadFocus && summary !== null) {
        summary.focus();
      }
    });
  });
})();
