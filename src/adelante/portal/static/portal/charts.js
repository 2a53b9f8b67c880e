/* Draws the overview's charts with Chart.js from the JSON the page embeds next to each canvas.
   Every chart is also a table on the page, a CSV and an SVG download: the script only adds a
   picture (and its PNG download). docs/portal.md, "Charts", says what each rule is for. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") { return; }
  var lang = document.documentElement.lang || "en";
  // Spanish as written in Guatemala, El Salvador and Honduras (CLDR es-419), as the server.
  var locale = lang.split("-")[0] === "es" ? "es-419" : lang;
  var compact = new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 });
  var monthYear = new Intl.DateTimeFormat(locale, { month: "short", year: "numeric", timeZone: "UTC" });
  // Dark enough on white for WCAG contrast (3:1 for graphics); told apart by shape as well.
  var colours = ["#0b5cad", "#a4400e", "#1d6b35", "#6b3fa0", "#7a5a00", "#a3134f"];
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var DAY = 86400000;
  var FONT = 12;
  var LINE = 15;

  function dayNumber(iso) { return Date.parse(iso + "T00:00:00Z") / DAY; }

  // Category labels are wrapped to the room the chart gives them, never cut: every bar keeps
  // its whole label, on as many lines as it needs (the chart grows taller to fit them).
  function wrap(text, width, context) {
    var words = String(text).split(/\s+/);
    var lines = [];
    var line = "";
    words.forEach(function (word) {
      var tried = line ? line + " " + word : word;
      if (line && context.measureText(tried).width > width) {
        lines.push(line);
        line = word;
      } else {
        line = tried;
      }
    });
    if (line) { lines.push(line); }
    return lines;
  }

  function labelRoom(box) { return Math.max(90, Math.min(box.clientWidth * 0.42, 260)); }

  function wrappedLabels(labels, box) {
    var context = document.createElement("canvas").getContext("2d");
    context.font = FONT + "px " + window.Chart.defaults.font.family;
    var room = labelRoom(box);
    return labels.map(function (label) { return wrap(label, room, context); });
  }

  function fitHeight(box, lines) {
    var rows = lines.reduce(function (sum, each) { return sum + Math.max(each.length * LINE, 2 * LINE) + 8; }, 0);
    box.style.height = Math.max(rows + 60, 160) + "px";
  }

  function tooltipText(item) {
    var text = item.dataset.texts[item.dataIndex];
    return item.dataset.label + ": " + (text || "");
  }

  function barChart(canvas, spec, box) {
    var lines = wrappedLabels(spec.labels, box);
    fitHeight(box, lines);
    var set = spec.datasets[0];
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: lines,
        datasets: [{
          label: set.label,
          data: set.values.map(Number),
          texts: set.texts,
          backgroundColor: colours[0],
          borderColor: colours[0]
        }]
      },
      options: {
        indexAxis: "y",
        responsive: true,
        layout: { padding: { right: 14 } },
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 300 },
        onResize: function (chart) {
          var again = wrappedLabels(spec.labels, box);
          if (JSON.stringify(again) !== JSON.stringify(chart.data.labels)) {
            chart.data.labels = again;
            fitHeight(box, again);
            chart.update("none");
          }
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: function (items) { return spec.labels[items[0].dataIndex]; },
              label: tooltipText
            }
          }
        },
        scales: {
          x: { beginAtZero: true, ticks: { maxTicksLimit: 4, callback: function (v) { return compact.format(v); } } },
          y: { ticks: { autoSkip: false, font: { size: FONT } } }
        }
      }
    });
  }

  function lineChart(canvas, spec) {
    var datasets = spec.datasets.map(function (set, i) {
      var colour = colours[i % colours.length];
      return {
        label: set.label,
        data: set.points.map(function (p) { return { x: dayNumber(p.day), y: Number(p.value) }; }),
        points: set.points,
        borderColor: colour,
        backgroundColor: colour,
        showLine: !set.points_only,
        // The itemised total changes on a round's day and holds until the next one.
        stepped: set.points_only ? false : "before",
        pointStyle: set.points_only ? "rectRot" : "circle",
        pointRadius: set.points_only ? 7 : 4
      };
    });
    var days = [];
    datasets.forEach(function (set) { set.data.forEach(function (p) { days.push(p.x); }); });
    var first = Math.min.apply(null, days);
    var last = Math.max.apply(null, days);
    return new window.Chart(canvas, {
      type: "line",
      data: { datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 300 },
        interaction: { mode: "nearest", intersect: false },
        plugins: {
          legend: { display: true, labels: { usePointStyle: true } },
          tooltip: {
            callbacks: {
              // Dates in words, in the page's language (from the server: same as the table).
              title: function (items) { return items[0].dataset.points[items[0].dataIndex].date; },
              label: function (item) {
                return item.dataset.label + ": " + item.dataset.points[item.dataIndex].text;
              }
            }
          }
        },
        scales: {
          // A true time axis: days since 1970, so a six-week gap looks like six weeks.
          x: {
            type: "linear",
            min: first - 30,
            max: last + 30,
            afterBuildTicks: monthTicks,
            ticks: {
              maxTicksLimit: 5,
              maxRotation: 0,
              callback: function (v) { return monthYear.format(new Date(v * DAY)); }
            }
          },
          y: { beginAtZero: true, ticks: { callback: function (v) { return compact.format(v); } } }
        }
      }
    });
  }

  // Ticks on the first day of a month (every 1, 3, 6 or 12 months: at most five), so that
  // each tick reads as a month and a year.
  function monthTicks(scale) {
    var start = new Date(scale.min * DAY);
    var end = new Date(scale.max * DAY);
    var months = (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + end.getUTCMonth() - start.getUTCMonth();
    var step = [1, 3, 6, 12, 24].filter(function (n) { return months / n <= 5; })[0] || 48;
    var ticks = [];
    var year = start.getUTCFullYear();
    var month = Math.ceil((start.getUTCMonth() + 1) / step) * step;
    for (var at = Date.UTC(year, month, 1); at <= end.getTime(); at = Date.UTC(year, month, 1)) {
      ticks.push({ value: at / DAY });
      month += step;
    }
    scale.ticks = ticks;
  }

  function offerPng(canvas, chart) {
    var link = document.querySelector("a[data-png-for='" + canvas.getAttribute("data-chart") + "']");
    if (!link) { return; }
    link.parentNode.hidden = false;
    link.addEventListener("click", function () {
      // A white background: the canvas is transparent, and a PNG viewer may show it black.
      var copy = document.createElement("canvas");
      copy.width = chart.canvas.width;
      copy.height = chart.canvas.height;
      var context = copy.getContext("2d");
      context.fillStyle = "#fff";
      context.fillRect(0, 0, copy.width, copy.height);
      context.drawImage(chart.canvas, 0, 0);
      link.href = copy.toDataURL("image/png");
    });
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart") + "-data");
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var box = canvas.parentNode;
    var chart = spec.kind === "line" ? lineChart(canvas, spec) : barChart(canvas, spec, box);
    offerPng(canvas, chart);
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
