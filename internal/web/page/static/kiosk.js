// The kiosk goes back to its first page after a minute without a touch,
// so a ticket or a refusal does not stay on screen for the next person
// (the ID number typed is on neither, but the ticket is someone's).
(function () {
  var el = document.querySelector("[data-home]");
  if (!el) return;
  var home = el.getAttribute("data-home");
  var timer;
  function reset() {
    clearTimeout(timer);
    timer = setTimeout(function () { location.href = home; }, 60000);
  }
  ["pointerdown", "keydown", "input"].forEach(function (e) { document.addEventListener(e, reset); });
  // A fresh ticket prints itself once.
  if (document.querySelector(".ticket") && !sessionStorage.getItem("printed:" + location.pathname)) {
    sessionStorage.setItem("printed:" + location.pathname, "1");
    window.addEventListener("load", function () { window.print(); });
  }
  // A page only with a refusal (nothing to fix) goes home sooner.
  if (location.pathname === home && document.querySelector(".alert") && !document.querySelector(".field-error:not(:empty)")) {
    setTimeout(function () { location.href = home; }, 15000);
  }
  reset();
})();
