// The hall's big screen: fetches today's figures again whenever the board's
// stream (server-sent events, the same one the display board listens to)
// reports a call, and every minute when the hall is quiet. EventSource
// reconnects by itself.
(function () {
  "use strict";
  var screen = document.getElementById("screen");
  if (!screen) return;
  var url = screen.dataset.figures;
  var pending = false;
  function refresh() {
    if (pending) return;
    pending = true;
    fetch(url, { cache: "no-store", credentials: "same-origin" }).then(function (res) {
      if (!res.ok) throw new Error(res.status);
      return res.json();
    }).then(function (f) {
      Object.keys(f).forEach(function (k) {
        var el = document.getElementById("fig-" + k);
        if (el) el.textContent = f[k];
      });
      document.getElementById("screen-at").textContent = f.at;
      screen.classList.remove("screen-stale");
    }).catch(function () {
      screen.classList.add("screen-stale");
    }).then(function () { pending = false; });
  }
  // A refused stream (a full cap, the server restarting) is closed for
  // good by the browser: open a new one a little later.
  function listen() {
    if (!window.EventSource) return;
    var es = new EventSource(screen.dataset.events);
    es.onmessage = refresh;
    es.onerror = function () {
      if (es.readyState === EventSource.CLOSED) setTimeout(listen, 30 * 1000);
    };
  }
  listen();
  setInterval(refresh, 60 * 1000);
})();
