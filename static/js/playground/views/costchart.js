// Cost over iterations: training and test cost (full sets, dropout off) and, when dropout
// is on, the noisy per-iteration cost the optimizer actually descended; linear or log y.

import { lineChart, pushPoint } from "../chart.js";

const SERIES = {
  train: { label: "train", color: "#1b2a33", width: 2 },
  test: { label: "test", color: "#0877bd", width: 2, dash: [5, 3] },
  noisy: { label: "train with dropout (noisy)", color: "rgba(245,147,34,0.6)", width: 1 },
};
const MAX_POINTS = 2000;

/** Adds a point; a frame of the same iteration again (the settled one after a pause) replaces it. */
function add(list, iteration, cost) {
  if (cost == null) return;
  const last = list[list.length - 1];
  if (last && last[0] === iteration) list.pop();
  pushPoint(list, [iteration, cost], MAX_POINTS);
}

/** Mounts the cost chart into [data-view=cost-chart]; store.view.log_scale picks its y scale. */
export function mountCostChart(root, store) {
  const box = root.querySelector("[data-view=cost-chart]");
  const points = { train: [], test: [], noisy: [] };
  const chart = lineChart(box, {
    // shorter on a short screen, so the boundary and the chart both stay in view while training
    xLabel: "iteration", xIntegers: true, yLabel: "cost J", height: window.innerHeight < 820 ? 130 : 160, testid: "cost-chart",
    legendTestid: "cost-legend", label: "Cost over iterations", series: [SERIES.train],
  });

  const show = () => {
    const names = Object.keys(points).filter((name) => name === "train" || points[name].length);
    chart.setSeries(names.map((name) => SERIES[name]));
    chart.update(names.map((name) => points[name]));
  };

  store.on("view", (view) => chart.setLog(Boolean(view.log_scale)));
  store.on("configured", () => {
    for (const list of Object.values(points)) list.length = 0;
    show();
  });
  store.on("frame", (f) => {
    if ((f.lane ?? 0) !== 0 || f.replay) return; // a replay shows the past: the curve stays
    if (f.noisy && f.costs?.length) {
      const n = f.costs.length;
      const stride = Math.max(1, Math.floor(n / 50));
      for (let k = (n - 1) % stride; k < n; k += stride) {
        pushPoint(points.noisy, [f.iteration - n + 1 + k, f.costs[k]], MAX_POINTS);
      }
    }
    add(points.train, f.iteration, f.cost_train);
    add(points.test, f.iteration, f.cost_test);
    show();
  });
}
