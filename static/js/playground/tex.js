// Mathematics typeset with the vendored KaTeX, as the course's slides write it. KaTeX (its
// module, CSS and fonts: most of the page's bytes) loads only once a panel showing maths comes
// into view (typesetWhenSeen); until then math() writes the TeX source in a pending span, and
// those spans are typeset in place when KaTeX arrives.

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
let katex = null; // the module, once loaded
let loading = null;

/** KaTeX's HTML of a TeX source (KaTeX loaded). */
function render(source, display) {
  const key = `${display}:${source}`;
  if (!typeset.has(key)) {
    typeset.set(key, katex.renderToString(source, { displayMode: display, throwOnError: false, strict: false }));
  }
  return typeset.get(key);
}

/** KaTeX's HTML for a TeX source, wrapped in a span that keeps the source in data-tex (the
 * source itself, pending, while KaTeX is not loaded yet). */
export function math(source, display = false) {
  if (!katex) {
    return `<span class="t-math t-math-pending" data-tex="${esc(source)}" data-display="${display ? 1 : 0}">${esc(source)}</span>`;
  }
  return `<span class="t-math" data-tex="${esc(source)}">${render(source, display)}</span>`;
}

/** Loads KaTeX and its stylesheet once, then typesets every pending span of the page. */
export function loadTex() {
  if (!loading) {
    const css = document.querySelector("meta[name=katex-css]")?.content ?? "static/vendor/katex/katex.min.css";
    document.head.append(Object.assign(document.createElement("link"), { rel: "stylesheet", href: css }));
    loading = import("../../vendor/katex/katex.mjs").then((module) => {
      katex = module.default;
      for (const span of document.querySelectorAll(".t-math-pending")) {
        span.innerHTML = render(span.dataset.tex, span.dataset.display === "1");
        span.classList.remove("t-math-pending");
      }
    });
  }
  return loading;
}

/** Loads KaTeX once `element` (a panel with maths) comes near the viewport. */
export function typesetWhenSeen(element) {
  if (!("IntersectionObserver" in window)) {
    loadTex();
    return;
  }
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    observer.disconnect();
    loadTex();
  }, { rootMargin: "200px" });
  observer.observe(element);
}
