// The administration pages work without this script; it adds comforts:
// material rows added, removed and moved in place; arrow keys in the
// calendar grid; a confirmation before deactivating or resetting; the
// first refused field focused.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Renumber the material rows in the order shown, so that the server
  // keeps that order: field names, labels and the row number.
  function renumber(tbody) {
    var rows = tbody.querySelectorAll("tr.material");
    rows.forEach(function (tr, i) {
      tr.querySelectorAll("[name^='materials[']").forEach(function (el) {
        el.name = el.name.replace(/^materials\[[^\]]*\]/, "materials[" + i + "]");
      });
      tr.querySelectorAll("[aria-label]").forEach(function (el) {
        el.setAttribute("aria-label", el.getAttribute("aria-label").replace(/第 \S+ 行/, "第 " + (i + 1) + " 行"));
      });
      var no = tr.querySelector(".no");
      if (no) no.textContent = String(i + 1);
    });
    tbody.dataset.next = String(rows.length);
  }

  function addRow(table) {
    var tpl = document.getElementById("material-row");
    var tbody = table.tBodies[0];
    var i = Number(tbody.dataset.next || tbody.rows.length);
    var html = tpl.innerHTML.replace(/__key__/g, String(i)).replace(/__no__/g, String(i + 1));
    tbody.insertAdjacentHTML("beforeend", html);
    renumber(tbody);
    var first = tbody.lastElementChild.querySelector("input");
    if (first) first.focus();
  }

  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest("[data-row]");
    if (!btn) return;
    var table = document.getElementById("materials");
    if (!table) return;
    var tbody = table.tBodies[0];
    var tr = btn.closest("tr");
    switch (btn.dataset.row) {
      case "add":
        addRow(table);
        return;
      case "remove":
        var next = tr.nextElementSibling || tr.previousElementSibling;
        tr.remove();
        renumber(tbody);
        if (next) (next.querySelector("input") || next).focus();
        return;
      case "up":
        if (tr.previousElementSibling) tbody.insertBefore(tr, tr.previousElementSibling);
        break;
      case "down":
        if (tr.nextElementSibling) tbody.insertBefore(tr.nextElementSibling, tr);
        break;
    }
    renumber(tbody);
    btn.focus();
  });

  // A confirmation before a change that locks someone out.
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) ev.preventDefault();
  });

  // Arrow keys move between the days of a month grid; Home/End to the
  // week's ends.
  document.addEventListener("keydown", function (ev) {
    var a = ev.target.closest && ev.target.closest("table.month td[data-date] a");
    if (!a) return;
    var step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 }[ev.key];
    if (!step) return;
    var d = new Date(a.parentElement.dataset.date + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + step);
    var next = document.querySelector("td[data-date='" + d.toISOString().slice(0, 10) + "'] a");
    if (next) {
      next.focus();
      ev.preventDefault();
    }
  });

  // Put the cursor on the first field a refused form marks.
  var bad = document.querySelector("input[aria-invalid=true], select[aria-invalid=true], textarea[aria-invalid=true]");
  if (bad) bad.focus();
  else {
    var day = document.getElementById("day-name");
    if (day && location.hash === "#day-form") day.focus();
  }
})();
