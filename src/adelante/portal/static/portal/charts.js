/* Draws the overview's charts with Chart.js from the JSON the page embeds next to each canvas.
   Every chart is also a table on the page and a CSV download: the script only adds a picture. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") { return; }
  var lang = document.documentElement.lang || "en";
  // Spanish as written in Guatemala, El Salvador and Honduras (CLDR es-419), as the server.
  var locale = lang.split("-")[0] === "es" ? "es-419" : lang;
  var compact = new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 });
  // Dark enough on white for WCAG contrast (3:1 for graphics); told apart by shape as well.
  var colours = ["#0b5cad", "#a4400e", "#1d6b35", "#6b3fa0", "#7a5a00", "#a3134f"];
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart") + "-data");
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var line = spec.kind === "line";
    var datasets = spec.datasets.map(function (set, i) {
      var colour = colours[i % colours.length];
      return {
        label: set.label,
        data: set.values.map(function (v) { return v === null ? null : Number(v); }),
        texts: set.texts,
        borderColor: colour,
        backgroundColor: colour,
        showLine: line && !set.points_only,
        pointStyle: set.points_only ? "rectRot" : "circle",
        pointRadius: line ? (set.points_only ? 7 : 4) : 0,
        spanGaps: true
      };
    });
    new window.Chart(canvas, {
      type: line ? "line" : "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: line ? "x" : "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 300 },
        plugins: {
          legend: { display: line, labels: { usePointStyle: true } },
          tooltip: {
            callbacks: {
              label: function (item) {
                var text = item.dataset.texts[item.dataIndex];
                return item.dataset.label + ": " + (text || "");
              }
            }
          }
        },
        scales: line ? {
          y: { beginAtZero: true, ticks: { callback: function (v) { return compact.format(v); } } }
        } : {
          x: { beginAtZero: true, ticks: { callback: function (v) { return compact.format(v); } } }
        }
      }
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
