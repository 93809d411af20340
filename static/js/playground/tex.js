// Mathematics typeset with the vendored KaTeX, as the course's slides write it.

import katex from "../../vendor/katex/katex.mjs";
import { esc } from "./dom.js";
import { formatNumber } from "../shared/format.js";

/** A number in TeX: 0.01, 1.2, 10^{-8}, 3 \times 10^{5}. */
export function texNumber(v) {
  const text = formatNumber(v, 4);
  const match = /^(-?[\d.]+)e([+-]?\d+)$/.exec(text);
  if (!match) return text;
  const power = `10^{${Number(match[2])}}`;
  return match[1] === "1" ? power : `${match[1]} \\times ${power}`;
}

const typeset = new Map(); // TeX source -> KaTeX HTML

/** KaTeX's HTML for a TeX source, wrapped in a span that keeps the source in data-tex. */
export function math(source, display = false) {
  const key = `${display}:${source}`;
  if (!typeset.has(key)) {
    typeset.set(key, katex.renderToString(source, { displayMode: display, throwOnError: false, strict: false }));
  }
  return `<span class="t-math" data-tex="${esc(source)}">${typeset.get(key)}</span>`;
}
