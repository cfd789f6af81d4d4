// The intake desk's helpers: arrow keys through the search results, live
// checks of ID numbers, the recall of a returning applicant, the count of
// missing materials, and Enter that moves on instead of submitting (ID
// card readers end with Enter). Everything works without them: the server
// checks every field again on submit.
(function () {
  'use strict';

  function byId(id) { return document.getElementById(id); }

  function getJSON(url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.json(); });
  }

  // The search page: ↓ from the box to the results and on, ↑ back; a
  // single result is focused so Enter opens it.
  var results = document.querySelector('table.desk-items');
  if (results) {
    var links = Array.prototype.slice.call(results.querySelectorAll('a.item-link'));
    var q = byId('q');
    if (links.length === 1 && q && q.value) { links[0].focus(); }
    document.addEventListener('keydown', function (e) {
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') { return; }
      var i = links.indexOf(document.activeElement);
      if (document.activeElement === q && e.key === 'ArrowDown' && links.length) {
        links[0].focus();
      } else if (i >= 0) {
        var next = i + (e.key === 'ArrowDown' ? 1 : -1);
        if (next < 0) { q.focus(); } else if (next < links.length) { links[next].focus(); }
      } else {
        return;
      }
      e.preventDefault();
    });
  }

  // The ID card reader: the bridge on this PC reads the card placed on
  // the reader (docs/idcard-bridge.md) and the applicant's fields are
  // filled from it; the server checks them again on submit.
  var reader = byId('read-idcard');
  if (reader) {
    reader.addEventListener('click', function () {
      var status = byId('idcard-status');
      status.textContent = '正在读卡…';
      fetch(reader.dataset.bridge + '/v1/card', { cache: 'no-store' }).then(function (r) {
        return r.json().then(function (j) { return { ok: r.ok, status: r.status, card: j }; });
      }).then(function (res) {
        if (!res.ok) {
          status.textContent = res.status === 404 ? '请将身份证放在读卡器上再读卡' : '读卡器未连接，请检查读卡器';
          return;
        }
        var c = res.card;
        var person = document.querySelector('input[name="applicant.kind"][value=person]');
        if (person && !person.checked) { person.click(); }
        var set = function (id, v) {
          var el = byId(id);
          if (el && v) { el.value = v; el.dispatchEvent(new Event('change', { bubbles: true })); }
        };
        set('applicant-id_type', 'resident_id');
        set('applicant-name', c.name);
        set('applicant-id_number', c.id_number);
        set('applicant-address', c.address);
        var id = byId('applicant-id_number');
        if (id) { id.dispatchEvent(new Event('blur')); }
        status.textContent = '已读取：' + c.name + '（有效期至 ' + c.valid_to + '）';
        var phone = byId('applicant-phone');
        if (phone) { phone.focus(); }
      }).catch(function () {
        status.textContent = '未检测到读卡程序，请确认本机读卡程序已启动，或手工填写';
      });
    });
  }

  var form = byId('intake-form');
  if (!form) { return; }
  var summary = byId('error-summary');
  if (summary) { summary.focus(); }

  // Materials: which required ones are not in hand, which are deferred.
  // The words match the server's (the "intake-count" template).
  function updateMissing() {
    var notBrought = [], deferred = [];
    form.querySelectorAll('table.checklist tbody tr').forEach(function (tr) {
      var mark = tr.querySelector('input[type=radio]:checked');
      var value = mark ? mark.value : 'missing';
      if (value === 'deferred') {
        deferred.push(tr.dataset.name);
      } else if (value !== 'provided' && tr.classList.contains('required')) {
        notBrought.push(tr.dataset.name);
      }
    });
    var p = byId('missing-now');
    if (notBrought.length) {
      p.textContent = '必交材料未带 ' + notBrought.length + ' 项：' + notBrought.join('、') + '。不能收件，可出具一次性告知单';
    } else if (deferred.length) {
      p.textContent = '必交材料已齐，其中容缺 ' + deferred.length + ' 项：' + deferred.join('、') + '，须签署容缺受理承诺';
    } else {
      p.textContent = '必交材料已齐，可以收件';
    }
    p.className = notBrought.length ? 'missing' : 'complete';
  }
  byId('all-provided').addEventListener('click', function () {
    form.querySelectorAll('table.checklist tbody tr.required input[value=provided]').forEach(function (r) { r.checked = true; });
    updateMissing();
  });

  // The applicant's kind decides the documents offered.
  var idType = byId('applicant-id_type');
  function updateKind() {
    var kind = form.querySelector('input[name="applicant.kind"]:checked');
    if (!kind) { return; }
    var first = null;
    Array.prototype.forEach.call(idType.options, function (o) {
      var fits = o.dataset.kind === kind.value;
      o.hidden = !fits;
      o.disabled = !fits;
      if (fits && !first) { first = o; }
    });
    var chosen = idType.options[idType.selectedIndex];
    if ((!chosen || chosen.disabled) && first) { first.selected = true; }
  }

  // ID numbers are checked when the clerk leaves the field; a valid
  // applicant's number offers the details recorded last time.
  function checkID(input) {
    var who = input.dataset.checkId;
    var msg = byId('msg-' + who + '-id_number');
    var type = byId(who + '-id_type').value;
    var number = input.value.trim();
    if (!number) {
      msg.textContent = '';
      input.removeAttribute('aria-invalid');
      return;
    }
    getJSON('/intake/check-id?type=' + encodeURIComponent(type) + '&number=' + encodeURIComponent(number))
      .then(function (res) {
        if (input.value.trim() !== number) { return; } // typed on meanwhile
        msg.textContent = res.message;
        msg.className = 'field-msg ' + (res.ok ? 'field-ok' : 'field-error');
        input.setAttribute('aria-invalid', res.ok ? 'false' : 'true');
        if (res.ok) {
          input.value = res.number;
          if (who === 'applicant') { offerRecall(res.number); }
        }
      })
      .catch(function () { /* the server checks again on submit */ });
  }

  var recallBox = byId('recall');
  var offered = '';
  function maskPhone(p) { return p && p.length > 7 ? p.slice(0, 3) + '****' + p.slice(-4) : p; }
  function offerRecall(number) {
    if (number === offered) { return; }
    offered = number;
    recallBox.hidden = true;
    recallBox.textContent = '';
    getJSON('/intake/recall?id_number=' + encodeURIComponent(number)).then(function (res) {
      if (!res.found) { return; }
      var p = document.createElement('p');
      var where = res.source === 'case' ? '曾于 ' + res.at + ' 办件（' + res.number + '）' : '曾于 ' + res.at + ' 来办，出具过一次性告知单';
      p.textContent = '老申请人：该证件号码' + where + '：' + [res.name, maskPhone(res.phone), res.address].filter(Boolean).join('，');
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'secondary';
      b.textContent = '填入申请人信息';
      b.addEventListener('click', function () {
        fill(res);
        recallBox.hidden = true;
        byId('applicant-phone').focus();
      });
      recallBox.append(p, b);
      recallBox.hidden = false;
    }).catch(function () {});
  }
  function fill(res) {
    var kind = form.querySelector('input[name="applicant.kind"][value="' + res.kind + '"]');
    if (kind) { kind.checked = true; updateKind(); }
    byId('applicant-name').value = res.name || '';
    if (res.phone) { byId('applicant-phone').value = res.phone; }
    if (res.address) { byId('applicant-address').value = res.address; }
  }

  form.querySelectorAll('[data-check-id]').forEach(function (input) {
    input.addEventListener('blur', function () { checkID(input); });
    byId(input.dataset.checkId + '-id_type').addEventListener('change', function () { checkID(input); });
  });
  form.addEventListener('change', function (e) {
    if (e.target.name === 'applicant.kind') { updateKind(); }
    if (e.target.name && e.target.name.indexOf('material.') === 0) { updateMissing(); }
  });

  // Enter moves to the next field; Ctrl+Enter takes the case in.
  form.addEventListener('keydown', function (e) {
    if (e.key !== 'Enter' || e.target.tagName !== 'INPUT' || e.target.type === 'submit') { return; }
    e.preventDefault();
    if (e.ctrlKey) { form.requestSubmit(); return; }
    var fields = Array.prototype.filter.call(form.elements, function (el) {
      return !el.disabled && el.type !== 'hidden' && el.offsetParent !== null && el.tabIndex >= 0;
    });
    var next = fields[fields.indexOf(e.target) + 1];
    if (next) { next.focus(); }
  });

  updateKind();
  updateMissing();
}());
