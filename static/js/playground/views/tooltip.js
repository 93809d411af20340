// One floating tooltip for the page: a line of text and, optionally, a large heatmap.

import { h } from "../dom.js";

const BIG = 168;

function tip() {
  return document.querySelector("[data-role=tooltip]");
}

/** Shows text (and a magnified copy of a small canvas) next to the mouse event. */
export function showTip(event, text, canvas = null) {
  const t = tip();
  if (!t) return;
  const parts = [];
  if (canvas && canvas.width) {
    const big = h("canvas", { width: BIG, height: BIG });
    const ctx = big.getContext("2d");
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(canvas, 0, 0, BIG, BIG);
    parts.push(big);
  }
  parts.push(h("div", { text }));
  t.replaceChildren(...parts);
  t.hidden = false;
  const x = Math.min(event.clientX + 14, window.innerWidth - t.offsetWidth - 8);
  const y = Math.min(event.clientY + 14, window.innerHeight - t.offsetHeight - 8);
  t.style.left = `${x + window.scrollX}px`;
  t.style.top = `${y + window.scrollY}px`;
}

/** Hides the tooltip. */
export function hideTip() {
  const t = tip();
  if (t) t.hidden = true;
}
