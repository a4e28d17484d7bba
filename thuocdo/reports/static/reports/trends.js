/* The trends page's charts, drawn with the vendored Chart.js from #trend-chart-data: per
   subject group the HTXS and "HTT or better" shares over the years against the 20% line, each
   child unit's HTXS share over the years, and the levels of each month. The tables above each
   chart hold the same figures. A drawn canvas gets data-drawn="true". */
(function () {
  "use strict";

  var percent = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });
  var count = new Intl.NumberFormat("vi-VN");
  var colours = { HTXS: "#1a5fb4", HTT: "#1c7c4a", HTNV: "#c64600", KHT: "#a51d2d" };
  // Okabe–Ito: told apart by colour-blind readers; each line also has its own point shape.
  var palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
  var shapes = ["circle", "triangle", "rect", "rectRot", "star", "crossRot", "rectRounded", "cross"];

  function asPercent(value) {
    return value === null || value === undefined ? "—" : percent.format(value) + "%";
  }

  function percentAxis() {
    return { beginAtZero: true, ticks: { callback: function (v) { return v + "%"; } } };
  }

  function options(scales, format) {
    return {
      maintainAspectRatio: false,
      animation: false,
      spanGaps: true,
      scales: scales,
      plugins: {
        legend: { position: "bottom" },
        tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + format(c.raw); } } }
      }
    };
  }

  function shares(canvas, labels, group) {
    var datasets = [
      { label: "HTXS / từ HTT trở lên", data: group.excellent_of_good, borderColor: colours.HTXS,
        backgroundColor: colours.HTXS, pointStyle: "circle", pointRadius: 4 },
      { label: "Từ HTT trở lên / tổng số", data: group.good_or_better_share, borderColor: colours.HTT,
        backgroundColor: colours.HTT, pointStyle: "rect", pointRadius: 4 },
      { label: "Tỷ lệ HTXS tối đa 20%", data: labels.map(function () { return 20; }),
        borderColor: colours.KHT, borderDash: [6, 4], pointRadius: 0 }
    ];
    new Chart(canvas, { type: "line", data: { labels: labels, datasets: datasets },
      options: options({ y: percentAxis() }, asPercent) });
    canvas.dataset.drawn = "true";
  }

  function units(canvas, labels, group) {
    var datasets = group.units.map(function (unit, i) {
      return { label: unit.name, data: unit.excellent_of_good, borderColor: palette[i % palette.length],
        backgroundColor: palette[i % palette.length], pointStyle: shapes[i % shapes.length], pointRadius: 4 };
    });
    new Chart(canvas, { type: "line", data: { labels: labels, datasets: datasets },
      options: options({ y: percentAxis() }, asPercent) });
    canvas.dataset.drawn = "true";
  }

  function months(canvas, data) {
    var datasets = data.series.map(function (series) {
      return { type: "bar", label: series.level + " — " + series.label, data: series.counts,
        backgroundColor: colours[series.level], stack: "levels", yAxisID: "y" };
    });
    datasets.push({ type: "line", label: "Điểm bình quân", data: data.mean_total,
      borderColor: "#000000", backgroundColor: "#000000", pointStyle: "triangle", pointRadius: 4, yAxisID: "score" });
    new Chart(canvas, {
      data: { labels: data.labels, datasets: datasets },
      options: options({
        x: { stacked: true },
        y: { stacked: true, beginAtZero: true, title: { display: true, text: "Số người" } },
        score: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false },
          title: { display: true, text: "Điểm" } }
      }, function (v) { return v === null || v === undefined ? "—" : count.format(v); })
    });
    canvas.dataset.drawn = "true";
  }

  function draw() {
    var node = document.getElementById("trend-chart-data");
    if (!node || typeof Chart === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
    if (data.years) {
      data.years.groups.forEach(function (group) {
        var share = document.getElementById("trend-shares-" + group.group);
        if (share) { shares(share, data.years.labels, group); }
        var unit = document.getElementById("trend-units-" + group.group);
        if (unit && group.units.length) { units(unit, data.years.labels, group); }
      });
    }
    var month = document.getElementById("trend-months");
    if (month && data.months) { months(month, data.months); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
