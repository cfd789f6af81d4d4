// Keyboard shortcuts of the window console: each button names its key in
// data-key (F1 call next, F2 recall, …); the key presses the button when
// it is enabled.
(function () {
  document.addEventListener("keydown", function (e) {
    if (!/^F\d+$/.test(e.key)) return;
    var b = document.querySelector('button[data-key="' + e.key + '"]');
    if (!b) return;
    e.preventDefault();
    if (!b.disabled) b.form.requestSubmit(b);
  });
})();
