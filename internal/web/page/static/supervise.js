// The supervision home's period picker: only the fields of the chosen kind
// of period are shown (without the script, all are, and the kind decides).
(function () {
  "use strict";
  var kind = document.getElementById("period");
  if (!kind) return;
  var fields = { month: ["month"], quarter: ["quarter"], year: ["year"], custom: ["from", "to"] };
  function show() {
    Object.keys(fields).forEach(function (k) {
      fields[k].forEach(function (id) {
        var el = document.getElementById(id);
        if (el && el.parentElement) el.parentElement.hidden = k !== kind.value;
      });
    });
  }
  kind.addEventListener("change", show);
  show();
})();
