/* The progress report form: live totals of each breakdown with the difference from the total,
   and "copy the previous breakdown". Served from this site, no inline script (CSP).
   Numbers are read as adelante.money.reading reads them on the server; what the server reads
   is what counts (it says "read as ..." beside each field): this is only a guide. */
(function () {
  "use strict";
  var lang = (document.documentElement.lang || "en").slice(0, 2);
  var grouping = lang === "es" ? "." : ",";
  var decimal = lang === "es" ? "," : ".";
  var words = { k: 1e3, mil: 1e3, thousand: 1e3, m: 1e6, mm: 1e6, million: 1e6, millions: 1e6,
    millon: 1e6, "millón": 1e6, millones: 1e6, bn: 1e9, billion: 1e9, "mil millones": 1e9 };

  function read(text) {
    var t = (text || "").trim().toLowerCase().replace(/^(us\s?\$|u\$s|usd|\$)\s*/, "")
      .replace(/\s*(us\s?\$|usd|\$)$/, "");
    if (!t) { return 0; }
    var factor = 1;
    var m = t.match(/^(.*?\d)\s*([a-zñó. ]+)$/);
    if (m) {
      factor = words[m[2].replace(/\.$/, "").trim()];
      if (!factor) { return NaN; }
      t = m[1];
    }
    t = t.replace(/(\d)\s(?=\d{3})/g, "$1");
    if (!/^\d[\d.,]*$/.test(t)) { return NaN; }
    var marks = t.replace(/\d/g, "");
    if (marks.indexOf(".") >= 0 && marks.indexOf(",") >= 0) {
      var last = marks.charAt(marks.length - 1);
      var other = last === "." ? "," : ".";
      t = t.split(other).join("").replace(last, ".");
    } else if (marks.length > 1) {
      t = t.split(marks.charAt(0)).join("");
    } else if (marks.length === 1) {
      var parts = t.split(marks);
      if (parts[1].length === 3 && parts[0].length <= 3 && parts[0].charAt(0) !== "0") {
        if (marks !== grouping) { return NaN; }
        t = parts[0] + parts[1];
      } else {
        t = parts[0] + "." + parts[1];
      }
    }
    return parseFloat(t) * factor;
  }

  function show(n) {
    var s = Math.abs(n).toFixed(n % 1 === 0 ? 0 : 2);
    var whole = s.split(".")[0].replace(/\B(?=(\d{3})+(?!\d))/g, grouping);
    var frac = s.split(".")[1];
    return (n < 0 ? "-" : "") + whole + (frac ? decimal + frac : "");
  }

  // The words, translated by the page (data-live-* on the form).
  var form = document.querySelector("form[data-live-sum]");
  if (!form) { return; }
  var sumText = ["live-sum", "live-of", "live-difference", "live-matches"].map(function (k) {
    return form.getAttribute("data-" + k) + " ";
  });

  function update(breakdown) {
    var key = breakdown.getAttribute("data-breakdown");
    var metric = key.split("-")[0];
    var total = document.querySelector("[data-total-of='" + metric + "']");
    var out = breakdown.querySelector("[data-live-total]");
    if (!total || !out) { return; }
    var sum = 0;
    var unreadable = false;
    var given = false;
    breakdown.querySelectorAll("input[data-part-of]").forEach(function (input) {
      given = given || input.value.trim() !== "";
      var n = read(input.value);
      if (isNaN(n)) { unreadable = true; } else { sum += n; }
    });
    var t = read(total.value);
    // Nothing said until a part is given, nor for what cannot be read (the server says why).
    if (!given || unreadable || isNaN(t)) { out.textContent = ""; return; }
    var diff = sum - t;
    out.textContent = sumText[0] + show(sum) + "; " + sumText[1] + show(t) + "; " +
      (Math.abs(diff) < 0.005 ? sumText[3] : sumText[2] + (diff > 0 ? "+" : "") + show(diff));
    out.classList.toggle("over", diff > 0.005);
  }

  function updateAll() { document.querySelectorAll("[data-breakdown]").forEach(update); }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-part-of], [data-total-of]")) {
      updateAll();
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy-previous]");
    if (!button) { return; }
    var metric = button.getAttribute("data-copy-previous");
    document.querySelectorAll("input[data-part-of='" + metric + "'][data-previous]")
      .forEach(function (input) {
        input.value = input.getAttribute("data-previous");
        input.dispatchEvent(new Event("input", { bubbles: true }));
      });
    updateAll();
  });
  updateAll();

})();
