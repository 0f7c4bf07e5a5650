// A small enhancement of the check's steps: a search field that filters the signals of
// the step where JavaScript runs. Without it the page works the same (the field stays
// hidden). No library, no network.
(function () {
  "use strict";
  var box = document.querySelector(".lens-search");
  var input = document.getElementById("signal-search");
  var area = document.getElementById("questions");
  if (!box || !input || !area) return;
  box.hidden = false;
  var more = area.querySelector("details.lens-more");
  var questions = area.querySelectorAll("fieldset.lens-question");
  input.addEventListener("input", function () {
    var words = input.value.toLowerCase().trim();
    if (words && more) more.open = true;
    questions.forEach(function (q) {
      q.hidden = words !== "" && q.textContent.toLowerCase().indexOf(words) === -1;
    });
  });
})();
