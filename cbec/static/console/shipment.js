// The shipment map: the planned legs as lines and the scanned places as points, drawn with
// ECharts over Natural Earth's 1:110m land (world-atlas, served from the package; turned from
// TopoJSON into GeoJSON by topojson-client). The figures come from the page's #chart-data,
// the same data the page's tables show.
"use strict";

async function drawShipmentMap(el, spec) {
  const topology = await (await fetch("/static/vendor/world-atlas/land-110m.json")).json();
  const land = window.topojson.feature(topology, topology.objects.land);
  window.echarts.registerMap("land", land);
  const points = [...spec.legs.flatMap((g) => [g.from, g.to]), ...spec.scans.map((s) => s.at)];
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  const pad = 8;
  const esc = (s) => String(s).replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const chart = window.echarts.init(el, null, { renderer: "svg" });
  // drawn once, without animation: a map has nothing to animate, and a resize during an
  // animation frame is one more state to get wrong
  chart.on("finished", () => { el.dataset.drawn = "true"; });
  chart.setOption({
    animation: false,
    tooltip: { trigger: "item", formatter: (i) => esc(i.name) },
    legend: { top: 0, data: [spec.names.legs, spec.names.scans] },
    geo: {
      map: "land",
      roam: true,
      silent: true,
      boundingCoords: [
        [Math.min(...lons) - pad, Math.min(Math.max(...lats) + pad, 85)],
        [Math.max(...lons) + pad, Math.max(Math.min(...lats) - pad, -85)],
      ],
      itemStyle: { areaColor: "#e6e9ee", borderColor: "#b8c0cc" },
    },
    series: [
      {
        name: spec.names.legs,
        type: "lines",
        coordinateSystem: "geo",
        data: spec.legs.map((g) => ({ name: g.label, coords: [g.from, g.to] })),
        lineStyle: { color: "#4a5260", width: 2, type: "dashed", curveness: 0.15 },
      },
      {
        name: spec.names.scans,
        type: "scatter",
        coordinateSystem: "geo",
        data: spec.scans.map((s, i) => ({
          name: s.label,
          value: s.at,
          symbolSize: i === spec.scans.length - 1 ? 16 : 9,
        })),
        itemStyle: { color: "#1f6feb", borderColor: "#1b1f24", borderWidth: 1 },
      },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
}

document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("chart-data");
  if (!source || typeof window.echarts === "undefined" || typeof window.topojson === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  for (const el of document.querySelectorAll("[data-chart]")) {
    const spec = data[el.dataset.chart];
    if (spec && spec.type === "shipment_map") drawShipmentMap(el, spec);
  }
});
