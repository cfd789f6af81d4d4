// Page forms are sent once: while a form that posts is being submitted,
// its buttons are disabled, so a second click sends nothing (the server
// also answers a repeat of a form's one-time token with the first answer).
// The buttons are disabled just after the submission has collected the
// form's values, so the clicked button's own name and value still go with
// it; they come back when the page is shown again from the history, and
// after a while in case the answer was a download that left the page open.
(function () {
  "use strict";
  var busy = "data-submitting";
  function release(form) {
    form.removeAttribute(busy);
    var buttons = form.querySelectorAll("button[" + busy + "], input[" + busy + "]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].disabled = false;
      buttons[i].removeAttribute(busy);
    }
  }
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement) || (form.method || "").toLowerCase() !== "post") return;
    if (form.hasAttribute(busy)) {
      e.preventDefault(); // already on its way
      return;
    }
    form.setAttribute(busy, "");
    window.setTimeout(function () {
      if (e.defaultPrevented) { // a script stopped this submission
        form.removeAttribute(busy);
        return;
      }
      var buttons = form.querySelectorAll("button, input[type=submit], input[type=image]");
      for (var i = 0; i < buttons.length; i++) {
        if (!buttons[i].disabled) {
          buttons[i].disabled = true;
          buttons[i].setAttribute(busy, "");
        }
      }
      window.setTimeout(function () { release(form); }, 15000);
    }, 0);
  });
  window.addEventListener("pageshow", function () {
    var forms = document.querySelectorAll("form[" + busy + "]");
    for (var i = 0; i < forms.length; i++) release(forms[i]);
  });
})();
