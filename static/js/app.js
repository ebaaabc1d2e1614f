// Small behaviours of the review page: evidence links scroll to and flash the note text that
// supports a code; selecting a suggestion highlights all of its evidence.
(function () {
  function marksFor(id) {
    return Array.prototype.filter.call(document.querySelectorAll("mark[data-for]"), function (m) {
      return m.getAttribute("data-for").split(" ").indexOf(String(id)) >= 0;
    });
  }
  function focusEvidence(id) {
    document.querySelectorAll("mark.active").forEach(function (m) { m.classList.remove("active"); });
    var marks = marksFor(id);
    marks.forEach(function (m) { m.classList.add("active"); });
    if (marks.length) marks[0].scrollIntoView({ behavior: "smooth", block: "center" });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-suggestion]");
    if (link) { event.preventDefault(); focusEvidence(link.getAttribute("data-suggestion")); return; }
    var row = event.target.closest("li.suggestion");
    if (row && !event.target.closest("button")) focusEvidence(row.id.replace("suggestion-", ""));
  });
})();
