// The dashboard's charts (Chart.js from /static/vendor, pinned in package.json). Each <canvas data-chart> carries
// its data in data- attributes (labels, values, a dataset label, an optional target line and maximum): no inline
// script, so the page runs under the CSP's script-src 'self'. Every chart is followed by its table (the numbers).
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return; // the tables carry the same numbers
  }
  var palette = ["#1f5fa8", "#1e7b46", "#b26a00", "#b3261e", "#6b4fa8", "#0f7c8c", "#8a8f2b", "#5d6b7a",
                 "#c2417d", "#3f8f3a"];
  function read(canvas, name) {
    try {
      return JSON.parse(canvas.getAttribute(name) || "[]");
    } catch (error) {
      return [];
    }
  }
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var kind = canvas.getAttribute("data-chart") === "doughnut" ? "doughnut" : "bar";
    var labels = read(canvas, "data-labels");
    var values = read(canvas, "data-values");
    var target = canvas.getAttribute("data-target");
    var max = canvas.getAttribute("data-max");
    var colours = labels.map(function (_label, index) { return palette[index % palette.length]; });
    var datasets = [{label: canvas.getAttribute("data-label") || "", data: values, backgroundColor: colours,
                     borderWidth: kind === "doughnut" ? 1 : 0}];
    if (target !== null && kind === "bar") {
      datasets.push({type: "line", label: "\u2265 " + target + " %", data: labels.map(function () { return Number(target); }),
                     borderColor: "#b3261e", borderDash: [6, 4], pointRadius: 0, fill: false});
    }
    var options = {responsive: true, maintainAspectRatio: false, animation: false,
                   plugins: {legend: {display: kind === "doughnut" || target !== null, position: "bottom"}}};
    if (kind === "bar") {
      options.indexAxis = labels.length > 4 ? "y" : "x";
      var valueAxis = options.indexAxis === "y" ? "x" : "y";
      options.scales = {};
      options.scales[valueAxis] = {beginAtZero: true, ticks: {precision: 0}};
      if (max !== null) {
        options.scales[valueAxis].max = Number(max);
      }
    }
    canvas.dashboardChart = new window.Chart(canvas, {type: kind, data: {labels: labels, datasets: datasets},
                                                      options: options});
    canvas.setAttribute("data-rendered", "yes");
  });
})();
