// Charts of one indicator from the page's own figures (#chart-data); each chart has the same
// figures in a table under it. Shapes and dashes, not colours alone, tell the series apart.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("chart-data");
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var lastYear = data.trend.currentYear;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.animation = false;

    function tick(value) {
      var scaled = value / data.axisScale;
      return (Math.round(scaled * 100) / 100).toLocaleString(document.documentElement.lang) +
        (data.axisUnit ? " " + data.axisUnit : "");
    }

    function textAt(texts) {
      return function (context) { return " " + texts[context.dataIndex]; };
    }

    var trend = data.trend;
    var trendCanvas = document.getElementById("trend-chart");
    if (trendCanvas) {
      var pointStyles = trend.years.map(function (year) {
        return year === trend.baseYear ? "triangle" : "circle";
      });
      var pointRadius = trend.years.map(function (year) {
        return year === trend.baseYear ? 9 : 4;
      });
      var hollow = trend.years.map(function (year) {
        return year >= lastYear ? "#ffffff" : "#0b4f8a";
      });
      var datasets = [{
        label: data.label,
        data: trend.values,
        borderColor: "#0b4f8a",
        backgroundColor: hollow,
        pointStyle: pointStyles,
        pointRadius: pointRadius,
        pointBorderWidth: 2,
        borderWidth: 2,
        spanGaps: true,
        tooltip: { callbacks: { label: textAt(trend.texts) } },
      }];
      if (trend.target !== null) {
        datasets.push({
          label: trend.targetLabel,
          data: trend.years.map(function () { return trend.target; }),
          borderColor: "#7c4a03",
          borderDash: [8, 5],
          borderWidth: 2,
          pointRadius: 0,
          fill: false,
        });
      }
      new Chart(trendCanvas, {
        type: "line",
        data: { labels: trend.years, datasets: datasets },
        options: {
          maintainAspectRatio: false,
          scales: { y: { beginAtZero: true, ticks: { callback: tick } } },
          plugins: { legend: { labels: { usePointStyle: true } } },
        },
      });
    }

    document.querySelectorAll("canvas[data-breakdown]").forEach(function (canvas) {
      var breakdown = data.breakdowns[Number(canvas.dataset.breakdown)];
      new Chart(canvas, {
        type: "bar",
        data: {
          labels: breakdown.labels,
          datasets: [{
            label: data.label,
            data: breakdown.values,
            backgroundColor: "#0b4f8a",
            tooltip: { callbacks: { label: textAt(breakdown.texts) } },
          }],
        },
        options: {
          indexAxis: "y",
          maintainAspectRatio: false,
          plugins: { legend: { display: false } },
          scales: { x: { beginAtZero: true, ticks: { callback: tick } }, y: { ticks: { autoSkip: false } } },
        },
      });
    });
  });
})();
