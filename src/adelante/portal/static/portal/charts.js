/* Draws the overview's charts with Chart.js from the JSON the page embeds next to each canvas.
   Every chart is also a table on the page and a CSV download: the script only adds a picture. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") { return; }
  var lang = document.documentElement.lang || "en";
  var compact = new Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 });
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

  // Each chart is drawn when it comes near the screen, not all at once on load: the first
  // screen is ready sooner (Lighthouse's "total blocking time" on a phone).
  var canvases = document.querySelectorAll("canvas[data-chart]");
  if (!("IntersectionObserver" in window)) { canvases.forEach(draw); return; }
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) { observer.unobserve(entry.target); draw(entry.target); }
    });
  }, { rootMargin: "200px 0px" });
  canvases.forEach(function (canvas) { observer.observe(canvas); });
})();
