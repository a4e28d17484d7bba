/* The dashboard's charts, drawn with the vendored Chart.js from the page's JSON
   (#dashboard-data). Every chart has a table or map beside it with the same figures, so the
   page reads the same without this script. A drawn canvas gets data-drawn="true". */
(function () {
  "use strict";

  var percent = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });
  var names = {
    HTXS: "Hoàn thành xuất sắc nhiệm vụ",
    HTT: "Hoàn thành tốt nhiệm vụ",
    HTNV: "Hoàn thành nhiệm vụ",
    KHT: "Không hoàn thành nhiệm vụ"
  };

  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function asPercent(value) {
    return value === null || value === undefined ? "—" : percent.format(value) + "%";
  }

  // Long labels ("Cán bộ lãnh đạo, quản lý") on several lines, so a phone shows them whole.
  function wrap(label) {
    var lines = [], line = "";
    label.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > 16) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) { lines.push(line); }
    return lines;
  }

  function levels(data) {
    var canvas = document.getElementById("chart-levels");
    if (!canvas || !data.groups.length) { return; }
    var datasets = data.levels.map(function (level) {
      return {
        label: level + " — " + names[level],
        data: data.groups.map(function (g) { return g.shares[level]; }),
        backgroundColor: data.colours[level],
        borderColor: "#ffffff",
        borderWidth: 1
      };
    });
    new Chart(canvas, {
      type: "bar",
      data: { labels: data.groups.map(function (g) { return wrap(g.label); }), datasets: datasets },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: true, max: 100, ticks: { callback: function (v) { return v + "%"; } } },
          y: { stacked: true }
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + asPercent(c.raw); } } }
        }
      }
    });
    canvas.dataset.drawn = "true";
  }

  function units(data) {
    var canvas = document.getElementById("chart-units");
    if (!canvas || !data.units.labels.length) { return; }
    var datasets = [{
      type: "bar",
      label: "HTXS / từ HTT trở lên",
      data: data.units.excellent_of_good,
      backgroundColor: data.units.excellent_of_good.map(function (v) {
        return data.quota !== null && v !== null && v > data.quota ? "#08519c" : "#6baed6";
      })
    }];
    if (data.quota !== null) {
      datasets.push({
        type: "line",
        label: "Tỷ lệ tối đa " + percent.format(data.quota) + "%",
        data: data.units.labels.map(function () { return data.quota; }),
        borderColor: "#a51d2d",
        borderDash: [6, 4],
        pointRadius: 0,
        fill: false
      });
    }
    new Chart(canvas, {
      data: { labels: data.units.labels, datasets: datasets },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return v + "%"; } } } },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + asPercent(c.raw); } } }
        }
      }
    });
    canvas.dataset.drawn = "true";
  }

  function draw() {
    var data = read("dashboard-data");
    if (!data || typeof Chart === "undefined") { return; }
    Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
    levels(data);
    units(data);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
