// cbec console: progressive enhancement only — every page works without this script.
// No inline script anywhere (the Content-Security-Policy forbids it): behaviour that a page
// needs is attached here by data- attributes.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the main landmark after an htmx swap so keyboard and screen-reader users
  // land on the new content (WCAG 2.1 SC 2.4.3 focus order).
  document.body.addEventListener("htmx:afterSwap", (event) => {
    const main = document.getElementById("main");
    if (main && event.target === main) main.focus();
  });
});

// Charts: each element with data-chart names an entry of the page's JSON data block
// (<script type="application/json" id="chart-data">, data — not executed, so the CSP allows
// it); drawn with the vendored Apache ECharts when the page loaded it. Without JavaScript the
// page shows the same figures as tables.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("chart-data");
  if (!source || typeof window.echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  for (const el of document.querySelectorAll("[data-chart]")) {
    const spec = data[el.dataset.chart];
    if (!spec) continue;
    const chart = window.echarts.init(el, null, { renderer: "svg" });
    const option =
      spec.type === "pie"
        ? {
            tooltip: { trigger: "item" },
            series: [{
              type: "pie",
              radius: ["35%", "70%"],
              data: spec.labels.map((name, i) => ({ name, value: spec.values[i] })),
            }],
          }
        : {
            tooltip: { trigger: "axis" },
            grid: { left: 40, right: 16, top: 16, bottom: 40 },
            xAxis: { type: "category", data: spec.labels },
            yAxis: { type: "value", minInterval: 1 },
            series: [{ type: spec.type === "line" ? "line" : "bar", data: spec.values, itemStyle: { color: "#0b5cad" } }],
          };
    chart.setOption(option);
    el.dataset.drawn = "true";
    window.addEventListener("resize", () => chart.resize());
  }
});
