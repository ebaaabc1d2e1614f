// If the htmx CDN is unreachable (or blocked by SRI), load the identical local copy instead.
(function () {
  if (window.htmx) return;
  var local = document.currentScript && document.currentScript.getAttribute("data-local");
  if (local) document.write('<script src="' + local + '"><\/script>');
})();
