// The network's links as SVG curves: colour = sign of the weight, width = |weight|.

import { NEGATIVE, POSITIVE } from "../../shared/canvas.js";
import { formatNumber } from "../../shared/format.js";
import { prettyLabel } from "./features.js";

const SVG = "http://www.w3.org/2000/svg";

/** Link width in pixels for a weight (TF Playground-like scale, capped). */
const linkWidth = (w) => Math.min(9, 0.6 + Math.abs(w) * 1.8);

function anchor(node, box, side) {
  const r = node.getBoundingClientRect();
  const b = box.getBoundingClientRect();
  const x = (side === "out" ? r.right : r.left) - b.left + box.scrollLeft;
  return [x, r.top + r.height / 2 - b.top + box.scrollTop];
}

/** Rebuilds the SVG paths between columns; columns[l] lists layer l's node elements.
 * Returns links[l][i][j] (path from node j of layer l-1 to node i of layer l). */
export function layoutLinks(svg, box, columns) {
  svg.setAttribute("width", box.scrollWidth);
  svg.setAttribute("height", box.scrollHeight);
  svg.replaceChildren();
  const links = [null];
  for (let l = 1; l < columns.length; l++) {
    const from = columns[l - 1].map((n) => anchor(n, box, "out"));
    const to = columns[l].map((n) => anchor(n, box, "in"));
    links.push(
      to.map(([x2, y2], i) =>
        from.map(([x1, y1], j) => {
          const path = document.createElementNS(SVG, "path");
          const mx = (x1 + x2) / 2;
          path.setAttribute("d", `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`);
          path.setAttribute("class", "link");
          path.dataset.link = `${l},${i},${j}`;
          // reachable by keyboard: Tab to it, Enter edits its weight (network.js)
          path.setAttribute("tabindex", "0");
          path.setAttribute("role", "button");
          path.setAttribute("aria-label", `Weight W[${l}] from unit ${j + 1} to unit ${i + 1}: Enter edits it`);
          svg.append(path);
          return path;
        }),
      ),
    );
  }
  return links;
}

/** Colours and thickens every link from the frame's weights ({"W1": [[...]], ...}). */
export function paintLinks(links, weights) {
  for (let l = 1; l < links.length; l++) {
    const W = weights?.[`W${l}`];
    links[l].forEach((row, i) =>
      row.forEach((path, j) => {
        const w = W?.[i]?.[j];
        if (w == null || !Number.isFinite(w)) {
          path.style.stroke = "";
          path.style.strokeWidth = "";
          return;
        }
        path.style.stroke = w >= 0 ? POSITIVE : NEGATIVE;
        path.style.strokeWidth = linkWidth(w);
      }),
    );
  }
}

/** A unit's name, counted as the course counts: layers from 1 (0 is the input), neurons from
 * 1; `features` names layer 0's units, `outputLayer` is L. */
export function unitName(l, i, features, outputLayer) {
  if (l === 0) return prettyLabel(features[i] ?? `x${i + 1}`);
  return l === outputLayer ? `the output ŷ (layer ${l})` : `layer ${l}, neuron ${i + 1}`;
}

/** Text for a link's tooltip: "W[2] from layer 1, neuron 3 to the output ŷ (layer 2) = 0.532". */
export function linkLabel(key, weights, features, outputLayer) {
  const [l, i, j] = key.split(",").map(Number);
  const w = weights?.[`W${l}`]?.[i]?.[j];
  const from = unitName(l - 1, j, features, outputLayer);
  return `W[${l}] from ${from} to ${unitName(l, i, features, outputLayer)} = ${w == null ? "–" : formatNumber(w, 4)}`;
}
