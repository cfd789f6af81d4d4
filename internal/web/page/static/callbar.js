// The window's calling bar on a desk page: its buttons are sent in the
// background and the bar redrawn from the answer, so the form the clerk is
// filling stays as it is. Without script the buttons post and come back.
(function () {
  'use strict';
  var bar = document.getElementById('callbar');
  if (!bar || !window.fetch) { return; }
  bar.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form.hasAttribute('data-callbar')) { return; }
    e.preventDefault();
    var buttons = bar.querySelectorAll('button');
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    fetch(form.action, {
      method: 'POST', credentials: 'same-origin', body: new URLSearchParams(new FormData(form)),
      headers: { Accept: 'application/json' }
    }).then(function (r) { return r.json(); }).then(function (j) {
      if (j.bar) {
        var holder = document.createElement('div');
        holder.innerHTML = j.bar;
        var fresh = holder.querySelector('#callbar');
        if (fresh) { bar.innerHTML = fresh.innerHTML; }
      }
      var msg = document.getElementById('callbar-message');
      if (msg) {
        msg.textContent = j.error || j.flash || '';
        msg.className = 'cb-message' + (j.error ? ' cb-error' : '');
      }
    }).catch(function () {
      var msg = document.getElementById('callbar-message');
      if (msg) { msg.textContent = '网络异常，请稍后重试'; msg.className = 'cb-message cb-error'; }
    }).finally(function () {
      Array.prototype.forEach.call(bar.querySelectorAll('button'), function (b) { b.disabled = false; });
    });
  });
})();
