// The article page's reading time and Share button (a static file: the Content-Security-Policy allows no
// inline script). Reading time counts only while the page is visible and the reader has done something
// (scrolled, moved, typed, touched) within IDLE_MS; each time the page is hidden or left, the seconds counted
// since the last send go to data-reading-url with navigator.sendBeacon, with the CSRF token as a form field.
// The server adds parts sent within one sitting to one "read" event. No data-reading-url: nothing is measured.
(function () {
  "use strict";
  var IDLE_MS = 120000;

  function post(url, token, fields) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    Object.keys(fields).forEach(function (key) {
      body.append(key, fields[key]);
    });
    if (navigator.sendBeacon && navigator.sendBeacon(url, body)) {
      return;
    }
    fetch(url, { method: "POST", body: body, credentials: "same-origin", keepalive: true }).catch(function () {});
  }

  function measureReading(box) {
    var url = box.getAttribute("data-reading-url");
    var token = box.getAttribute("data-csrf") || "";
    var counted = 0; // ms counted and not yet sent
    var since = null; // when the current visible, active stretch began
    var lastActive = Date.now();

    function now() {
      return Date.now();
    }
    function pause() {
      if (since !== null) {
        var end = Math.min(now(), lastActive + IDLE_MS);
        counted += Math.max(0, end - since);
        since = null;
      }
    }
    function resume() {
      if (since === null && document.visibilityState === "visible") {
        since = now();
      }
    }
    function send() {
      pause();
      var seconds = Math.round(counted / 100) / 10;
      if (seconds > 0) {
        counted = 0;
        post(url, token, { seconds: String(seconds) });
      }
    }
    function active() {
      var t = now();
      if (since !== null && t - lastActive > IDLE_MS) {
        // Came back after being idle: count up to the idle limit, then start again from now.
        pause();
      }
      lastActive = t;
      resume();
    }

    ["scroll", "pointermove", "keydown", "touchstart", "wheel"].forEach(function (name) {
      window.addEventListener(name, active, { passive: true });
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        send();
      } else {
        lastActive = now();
        resume();
      }
    });
    window.addEventListener("pagehide", send);
    window.addEventListener("pageshow", function () {
      lastActive = now(); // back from the back/forward cache: count again from here
      resume();
    });
    resume();
  }

  function setUpShare(box) {
    var button = box.querySelector(".share-btn");
    var status = box.querySelector(".share-status");
    var logUrl = box.getAttribute("data-share-log-url");
    var token = box.getAttribute("data-csrf") || "";
    if (!button || (!navigator.share && !(navigator.clipboard && navigator.clipboard.writeText))) {
      return; // no way to share from this browser: the button stays hidden
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var link = button.getAttribute("data-share-url");
      var title = button.getAttribute("data-share-title") || document.title;
      var done = function (message) {
        if (status) {
          status.textContent = message;
        }
        if (logUrl) {
          post(logUrl, token, {});
        }
      };
      if (navigator.share) {
        navigator.share({ title: title, url: link }).then(
          function () {
            done("");
          },
          function () {} // cancelled: nothing was shared
        );
      } else {
        navigator.clipboard.writeText(link).then(
          function () {
            done("Link copied");
          },
          function () {
            if (status) {
              status.textContent = "Could not copy the link";
            }
          }
        );
      }
    });
  }

  function start() {
    var box = document.querySelector(".story-actions");
    if (!box) {
      return;
    }
    if (box.hasAttribute("data-reading-url")) {
      measureReading(box);
    }
    setUpShare(box);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
