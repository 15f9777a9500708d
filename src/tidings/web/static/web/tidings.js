// Tidings' only script of its own (the Content-Security-Policy allows no inline script or on* handlers).
// An image marked data-remove-on-error that fails to load is removed rather than shown broken; the listener
// is on the document (capturing: error events do not bubble), so images htmx swaps in later are covered too.
document.addEventListener(
  "error",
  function (event) {
    var target = event.target;
    if (target instanceof HTMLImageElement && target.hasAttribute("data-remove-on-error")) {
      target.remove();
    }
  },
  true
);
