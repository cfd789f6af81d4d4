// The hall's display board: shows each call as it comes (server-sent
// events), announces it in Chinese by the browser's speech synthesis, and
// keeps its own clock on the server's time (training mode included).
// EventSource reconnects by itself and sends Last-Event-ID, so the server
// replays what the board missed.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) return;
  var LATEST = 4, RECENT = 12, SPEAK_WITHIN = 2 * 60 * 1000;
  var offset = Number(board.dataset.now) - Date.now();
  var latest = document.getElementById("board-latest");
  var recent = document.getElementById("board-recent");
  var idle = document.getElementById("board-idle");
  var status = document.getElementById("board-status");
  var voiceButton = document.getElementById("board-voice");
  var calls = []; // newest first: {ticket, window, window_name, kind, at}
  var log = [];   // newest first, every event
  var seen = {};
  var voice = false;

  function now() { return new Date(Date.now() + offset); }
  // The hall's time is Beijing time, whatever the TV's own zone.
  var zone = { timeZone: "Asia/Shanghai" };
  var timeFmt = new Intl.DateTimeFormat("zh-CN", Object.assign({ hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }, zone));
  var dateFmt = new Intl.DateTimeFormat("zh-CN", Object.assign({ year: "numeric", month: "long", day: "numeric", weekday: "long" }, zone));
  function hms(d) { return timeFmt.format(d); }
  function tick() {
    var d = now();
    document.getElementById("board-clock").textContent = hms(d);
    document.getElementById("board-date").textContent = dateFmt.format(d);
  }
  tick();
  setInterval(tick, 1000);

  function windowLabel(ev) { return ev.window + " 号窗口"; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function draw() {
    latest.textContent = "";
    calls.slice(0, LATEST).forEach(function (c) {
      var li = el("li", c.kind);
      li.dataset.ticket = c.ticket;
      li.appendChild(el("span", "ticket", c.ticket));
      li.appendChild(el("span", "window", "请到 " + windowLabel(c) + (c.window_name ? "（" + c.window_name + "）" : "")));
      if (c.kind === "recall") li.appendChild(el("span", "kind", "再次呼叫"));
      if (c.kind === "no_show") li.appendChild(el("span", "kind", "已过号"));
      latest.appendChild(li);
    });
    idle.hidden = calls.length > 0;
    recent.textContent = "";
    log.slice(0, RECENT).forEach(function (ev) {
      var tr = el("tr", ev.kind);
      var label = ev.kind === "recall" ? "（重呼）" : ev.kind === "no_show" ? "（过号）" : "";
      tr.appendChild(el("td", null, ev.ticket + label));
      tr.appendChild(el("td", null, windowLabel(ev)));
      tr.appendChild(el("td", null, hms(new Date(ev.at))));
      recent.appendChild(tr);
    });
  }

  function speak(ev) {
    if (!voice || !window.speechSynthesis || ev.kind === "no_show") return;
    var text = (ev.kind === "recall" ? "再次呼叫，" : "") + "请 " + ev.ticket + " 号到 " + ev.window + " 号窗口办理";
    var u = new SpeechSynthesisUtterance(text);
    u.lang = "zh-CN";
    u.rate = 0.9;
    window.speechSynthesis.speak(u);
  }

  function show(ev, announce) {
    if (seen[ev.id]) return;
    seen[ev.id] = true;
    log.unshift(ev);
    log.length = Math.min(log.length, 50);
    calls = calls.filter(function (c) { return c.ticket !== ev.ticket; });
    if (ev.kind === "no_show") {
      calls.push(ev); // stays visible, greyed, behind the live calls
    } else {
      calls.unshift(ev);
    }
    draw();
    if (announce && now() - new Date(ev.at) < SPEAK_WITHIN) speak(ev);
  }

  // Browsers speak only after a user gesture; a hall TV can instead be
  // started with --autoplay-policy=no-user-gesture-required.
  voiceButton.addEventListener("click", function () {
    voice = true;
    voiceButton.hidden = true;
    if (window.speechSynthesis) window.speechSynthesis.speak(new SpeechSynthesisUtterance("语音播报已开启"));
  });

  // A refused stream (the hall's cap of boards reached, 429) closes the
  // EventSource for good: open a new one a little later, from the last
  // call seen, so the board comes back by itself.
  var lastID = 0;
  function connect() {
    var url = board.dataset.events + (lastID ? "?after=" + lastID : "");
    var source = new EventSource(url);
    source.addEventListener("open", function () {
      status.dataset.state = "live";
      status.textContent = "实时";
    });
    source.addEventListener("error", function () {
      status.dataset.state = "connecting";
      status.textContent = "连接中断，正在重连…";
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(connect, 30000 + Math.random() * 30000);
      }
    });
    function take(e, announce) {
      var ev = JSON.parse(e.data);
      if (ev.id > lastID) lastID = ev.id;
      show(ev, announce);
    }
    source.addEventListener("history", function (e) { take(e, false); });
    source.addEventListener("message", function (e) { take(e, true); });
  }
  connect();
})();
