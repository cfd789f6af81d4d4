// The online application's uploads: files chosen for several materials go
// up in one request, with a progress bar (上传全部所选文件). Without script
// each material's own form uploads its files.
(function () {
  'use strict';
  var form = document.getElementById('upload-all');
  if (!form || !window.FormData || !window.XMLHttpRequest) { return; }
  var inputs = Array.prototype.slice.call(document.querySelectorAll('input[type=file][data-material]'));
  if (inputs.length < 2) { return; }
  form.hidden = false;
  var bar = document.getElementById('upload-progress');
  var status = document.getElementById('upload-status');
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var data = new FormData();
    // The form's own fields first: the item must arrive before the files.
    Array.prototype.forEach.call(form.querySelectorAll('input[type=hidden]'), function (h) { data.append(h.name, h.value); });
    var count = 0;
    inputs.forEach(function (input) {
      Array.prototype.forEach.call(input.files, function (f) {
        data.append('file.' + input.getAttribute('data-material'), f, f.name);
        count++;
      });
    });
    if (count === 0) { status.textContent = '请先为材料选择文件'; return; }
    var button = form.querySelector('button');
    button.disabled = true;
    bar.hidden = false;
    status.textContent = '正在上传 ' + count + ' 个文件…';
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.upload.addEventListener('progress', function (ev) {
      if (ev.lengthComputable) {
        var pct = Math.round(ev.loaded * 100 / ev.total);
        bar.value = pct;
        bar.textContent = pct + '%';
      }
    });
    xhr.addEventListener('load', function () {
      // The page the server answered: the draft after the redirect, with
      // its message, or the form again with the messages by the materials.
      if (xhr.responseURL && xhr.responseURL !== form.action && window.history.replaceState) {
        window.history.replaceState(null, '', xhr.responseURL);
      }
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener('error', function () {
      button.disabled = false;
      status.textContent = '网络异常，文件没有传完，请重新上传';
    });
    xhr.send(data);
  });
})();
