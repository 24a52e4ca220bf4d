// Keeps the preview's scroll position when htmx replaces it as the user types.
// (The page's only script besides htmx; no inline scripts, no eval.)
(function () {
  var scrollY = 0;
  document.addEventListener("htmx:beforeSwap", function () {
    var frame = document.getElementById("preview");
    if (frame && frame.contentWindow) {
      scrollY = frame.contentWindow.scrollY;
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    var frame = document.getElementById("preview");
    if (frame) {
      frame.addEventListener("load", function () {
        if (frame.contentWindow) {
          frame.contentWindow.scrollTo(0, scrollY);
        }
      }, { once: true });
    }
  });
})();
