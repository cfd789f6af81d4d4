// Page actions that would otherwise be inline script, which the pages'
// Content-Security-Policy forbids: a [data-print] button prints the page;
// a [data-back] link goes back in the history when there is one to go back
// to, and follows its href when there is not (a page opened on its own).
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var el = e.target.closest && e.target.closest("[data-print], [data-back]");
    if (!el) return;
    if (el.hasAttribute("data-print")) {
      e.preventDefault();
      window.print();
    } else if (window.history.length > 1) {
      e.preventDefault();
      window.history.back();
    }
  });
})();
