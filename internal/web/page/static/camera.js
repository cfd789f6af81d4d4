// The document camera (高拍仪) on the intake desk's scan form: the camera's
// picture is shown, each page taken is drawn to a canvas and kept as a
// JPEG, and "完成" builds one PDF of the pages (one A4 page per picture,
// written here: a PDF of JPEG images needs no library) and puts it among
// the form's chosen files, so that it goes up through the same form and
// the same checks as a scanned file. Without a camera or script the form
// takes files only.
(function () {
  'use strict';
  var box = document.getElementById('camera');
  var input = document.getElementById('scan-files');
  if (!box || !input || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia ||
      !window.DataTransfer || !window.Blob) { return; }
  box.hidden = false;
  var start = document.getElementById('camera-start');
  var shot = document.getElementById('camera-shot');
  var done = document.getElementById('camera-done');
  var video = document.getElementById('camera-video');
  var status = document.getElementById('camera-status');
  var stream = null;
  var pages = [];

  function say(text) { status.textContent = text; }

  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    video.srcObject = null;
    video.hidden = shot.hidden = done.hidden = true;
    start.hidden = false;
  }

  start.addEventListener('click', function () {
    navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 2592 }, height: { ideal: 1944 } }, audio: false })
      .then(function (s) {
        stream = s;
        pages = [];
        video.srcObject = s;
        video.hidden = shot.hidden = done.hidden = false;
        start.hidden = true;
        say('请将材料放在高拍仪下，逐页点「拍摄本页」。');
      })
      .catch(function () { say('无法打开高拍仪（摄像头），请检查连接和浏览器权限，或改用扫描件上传。'); });
  });

  shot.addEventListener('click', function () {
    var w = video.videoWidth, h = video.videoHeight;
    if (!w || !h) { say('画面尚未就绪，请稍候再拍。'); return; }
    var canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    canvas.getContext('2d').drawImage(video, 0, 0, w, h);
    var b64 = canvas.toDataURL('image/jpeg', 0.85).split(',')[1];
    var bin = atob(b64);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
    pages.push({ width: w, height: h, jpeg: bytes });
    say('已拍摄 ' + pages.length + ' 页。');
  });

  done.addEventListener('click', function () {
    if (pages.length === 0) { say('还没有拍摄任何一页。'); return; }
    var n = pages.length;
    var stamp = new Date();
    var name = '高拍仪拍摄-' + stamp.getFullYear() + pad(stamp.getMonth() + 1) + pad(stamp.getDate()) +
      '-' + pad(stamp.getHours()) + pad(stamp.getMinutes()) + pad(stamp.getSeconds()) + '.pdf';
    var file = new File([pdfOf(pages)], name, { type: 'application/pdf' });
    var dt = new DataTransfer();
    Array.prototype.forEach.call(input.files, function (f) { dt.items.add(f); });
    dt.items.add(file);
    input.files = dt.files;
    pages = [];
    stop();
    say('已生成 ' + n + ' 页的 PDF「' + name + '」，点「上传」提交。');
  });

  function pad(x) { return (x < 10 ? '0' : '') + x; }

  // pdfOf writes a PDF 1.4 of the pages: a catalog, a page tree, and for
  // each picture a page of A4 size, a content stream drawing it fitted to
  // the page, and the JPEG itself as a DCTDecode image.
  function pdfOf(list) {
    var parts = [], offsets = [], length = 0;
    function add(x) {
      var b = typeof x === 'string' ? latin1(x) : x;
      parts.push(b);
      length += b.length;
    }
    function obj(id, body) { offsets[id] = length; add(id + ' 0 obj\n' + body + '\nendobj\n'); }
    var A4W = 595.28, A4H = 841.89, margin = 18;
    var count = list.length, kids = [];
    for (var i = 0; i < count; i++) { kids.push((3 + 3 * i) + ' 0 R'); }
    add('%PDF-1.4\n%\xE2\xE3\xCF\xD3\n');
    obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
    obj(2, '<< /Type /Pages /Kids [' + kids.join(' ') + '] /Count ' + count + ' >>');
    list.forEach(function (p, i) {
      var page = 3 + 3 * i, content = page + 1, image = page + 2;
      var landscape = p.width > p.height;
      var pw = landscape ? A4H : A4W, ph = landscape ? A4W : A4H;
      var scale = Math.min((pw - 2 * margin) / p.width, (ph - 2 * margin) / p.height);
      var w = p.width * scale, h = p.height * scale, x = (pw - w) / 2, y = (ph - h) / 2;
      obj(page, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ' + fix(pw) + ' ' + fix(ph) + '] ' +
        '/Resources << /XObject << /Im' + i + ' ' + image + ' 0 R >> >> /Contents ' + content + ' 0 R >>');
      var draw = 'q ' + fix(w) + ' 0 0 ' + fix(h) + ' ' + fix(x) + ' ' + fix(y) + ' cm /Im' + i + ' Do Q';
      obj(content, '<< /Length ' + draw.length + ' >>\nstream\n' + draw + '\nendstream');
      offsets[image] = length;
      add(image + ' 0 obj\n<< /Type /XObject /Subtype /Image /Width ' + p.width + ' /Height ' + p.height +
        ' /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ' + p.jpeg.length + ' >>\nstream\n');
      add(p.jpeg);
      add('\nendstream\nendobj\n');
    });
    var size = 3 + 3 * count, xref = length;
    var table = 'xref\n0 ' + size + '\n0000000000 65535 f \n';
    for (var id = 1; id < size; id++) { table += ('0000000000' + offsets[id]).slice(-10) + ' 00000 n \n'; }
    add(table + 'trailer\n<< /Size ' + size + ' /Root 1 0 R >>\nstartxref\n' + xref + '\n%%EOF\n');
    return new Blob(parts, { type: 'application/pdf' });
  }

  function fix(v) { return (Math.round(v * 100) / 100).toString(); }

  function latin1(s) {
    var b = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) { b[i] = s.charCodeAt(i) & 0xff; }
    return b;
  }
})();
