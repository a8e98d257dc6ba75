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
// page shows the same figures as tables. Entries with a "spec" carry the API's chart spec
// (cbec.analytics.plots) as it is, with labels in the page's language beside it.
const AXIS = { tooltip: { trigger: "axis" }, grid: { left: 56, right: 16, top: 24, bottom: 48 } };
const BLUE = "#0b5cad";

const OPTIONS = {
  pie: (spec) => ({
    tooltip: { trigger: "item" },
    series: [{
      type: "pie",
      radius: ["35%", "70%"],
      data: spec.labels.map((name, i) => ({ name, value: spec.values[i] })),
    }],
  }),
  bar: (spec) => ({
    ...AXIS,
    xAxis: { type: "category", data: spec.labels, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: spec.values, itemStyle: { color: BLUE } }],
  }),
  line: (spec) => ({
    ...AXIS,
    xAxis: { type: "category", data: spec.labels },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "line", data: spec.values, itemStyle: { color: BLUE } }],
  }),
  // Cohort retention: rows are cohorts, columns months since; empty cells stay blank.
  heatmap: (c) => {
    const cells = [];
    c.spec.values.forEach((row, y) => row.forEach((v, x) => {
      if (v !== null) cells.push([x, y, v]);
    }));
    return {
      tooltip: { position: "top" },
      grid: { left: 72, right: 16, top: 16, bottom: 72 },
      xAxis: { type: "category", data: c.spec.x.values, name: c.x_label, nameLocation: "middle", nameGap: 28 },
      yAxis: { type: "category", data: c.spec.y.values, inverse: true },
      visualMap: { min: 0, max: 1, calculable: true, orient: "horizontal", left: "center", bottom: 0,
        inRange: { color: ["#f4f6f8", BLUE] } },
      series: [{ type: "heatmap", data: cells }],
    };
  },
  // A histogram: one bar per bin, bars touching, the bin's range as its label.
  histogram: (c) => {
    const edges = c.spec.x.edges;
    const labels = c.spec.y.counts.map((_, i) => `${Math.round(edges[i])}–${Math.round(edges[i + 1])}`);
    return {
      ...AXIS,
      xAxis: { type: "category", data: labels, name: c.x_label, nameLocation: "middle", nameGap: 32 },
      yAxis: { type: "value", minInterval: 1, name: c.y_label },
      series: [{ type: "bar", data: c.spec.y.counts, barCategoryGap: "0%", itemStyle: { color: BLUE } }],
    };
  },
  // History, forecast and its intervals as bands: a hidden lower line with the band's width
  // stacked on it and filled.
  forecast: (c) => {
    const hist = c.spec.history, fc = c.spec.forecast;
    const days = hist.map((h) => h.ds).concat(fc.map((r) => r.ds));
    const pad = hist.map(() => null);
    const series = [
      { name: c.names.history, type: "line", data: hist.map((h) => h.y), showSymbol: false,
        itemStyle: { color: "#4a5260" } },
      { name: c.names.mean, type: "line", data: pad.concat(fc.map((r) => r.mean)),
        itemStyle: { color: BLUE } },
    ];
    for (const [level, opacity] of [["95", 0.15], ["80", 0.3]]) {
      if (!fc.length || fc[0][`lo-${level}`] === null || fc[0][`lo-${level}`] === undefined) continue;
      const stack = `band-${level}`;
      series.push(
        { name: c.names[level], type: "line", stack, data: pad.concat(fc.map((r) => r[`lo-${level}`])),
          lineStyle: { opacity: 0 }, showSymbol: false, tooltip: { show: false } },
        { name: c.names[level], type: "line", stack, showSymbol: false, lineStyle: { opacity: 0 },
          areaStyle: { color: BLUE, opacity },
          data: pad.concat(fc.map((r) => r[`hi-${level}`] - r[`lo-${level}`])) },
      );
    }
    return {
      ...AXIS,
      legend: { top: 0, data: [c.names.history, c.names.mean] },
      xAxis: { type: "category", data: days, boundaryGap: false },
      yAxis: { type: "value", min: 0 },
      series,
    };
  },
  // A route plan's Pareto front: each route a point (x transit time at the 90th percentile,
  // y cost), sized by its CO2e; the front's points highlighted and joined by a dashed line.
  pareto: (c) => {
    const biggest = Math.max(...c.points.map((p) => p.co2e), 1e-9);
    const dot = (p) => ({ name: p.label, value: [p.x, p.y, p.co2e],
      symbolSize: 10 + 30 * Math.sqrt(p.co2e / biggest) });
    const front = c.points.filter((p) => p.pareto).sort((a, b) => a.x - b.x);
    const other = c.points.filter((p) => !p.pareto);
    const esc = (s) => String(s).replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
    return {
      tooltip: { trigger: "item", formatter: (i) => `${esc(i.name)}<br>${esc(c.x_label)}: ${i.value[0]}`
        + `<br>${esc(c.y_label)}: ${i.value[1]}<br>${esc(c.size_label)}: ${i.value[2]}` },
      legend: { top: 0, data: [c.names.front, c.names.other] },
      grid: { left: 64, right: 24, top: 40, bottom: 48 },
      xAxis: { type: "value", scale: true, name: c.x_label, nameLocation: "middle", nameGap: 28 },
      yAxis: { type: "value", scale: true, name: c.y_label },
      series: [
        { name: c.names.front, type: "line", data: front.map((p) => [p.x, p.y]), showSymbol: false,
          silent: true, tooltip: { show: false }, lineStyle: { type: "dashed", color: "#4a5260" } },
        { name: c.names.front, type: "scatter", data: front.map(dot),
          itemStyle: { color: BLUE, borderColor: "#1b1f24", borderWidth: 1, opacity: 0.85 } },
        { name: c.names.other, type: "scatter", data: other.map(dot),
          itemStyle: { color: "#8a94a6", opacity: 0.5 } },
      ],
    };
  },
  // Bars by category, one series each (CO2e per month by lane, stacked; a seller's figures
  // alone and shared, side by side); a legend when there is more than one series.
  bars: (c) => ({
    ...AXIS,
    legend: { top: 0, data: c.series.map((s) => s.name) },
    grid: { left: 72, right: 16, top: 40, bottom: 48 },
    xAxis: { type: "category", data: c.labels },
    yAxis: { type: "value", name: c.y_label },
    series: c.series.map((s, i) => ({ name: s.name, type: "bar", data: s.values,
      stack: c.stacked ? "total" : undefined, itemStyle: i === 0 ? { color: BLUE } : undefined })),
  }),
};

const STILL = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("chart-data");
  if (!source || typeof window.echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  for (const el of document.querySelectorAll("[data-chart]")) {
    const spec = data[el.dataset.chart];
    const make = spec && OPTIONS[spec.type];
    if (!make) continue;
    const chart = window.echarts.init(el, null, { renderer: "svg" });
    // no animation for readers who ask for less motion (WCAG 2.3.3)
    chart.setOption({ ...make(spec), animation: !STILL });
    el.dataset.drawn = "true";
    window.addEventListener("resize", () => chart.resize());
  }
});
