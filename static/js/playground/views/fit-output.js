// The boundary is sized so that it and the cost chart under it fit the screen below where the
// output column starts (which moves when a lesson's words or a wrapped top bar take room):
// the column's top is kept in the CSS variable --output-top, which base.css uses.

/** Mounts the measurement; it follows the strips above the output and the window's size. */
export function mountFitOutput(root) {
  const column = root.querySelector(".output-column");
  if (!column) return;
  const fit = () => {
    const top = column.getBoundingClientRect().top + window.scrollY;
    column.style.setProperty("--output-top", `${Math.round(top)}px`);
  };
  const watch = new ResizeObserver(fit);
  for (const selector of ["body", ".lesson-strip", ".topbar", ".status"]) { // body: a banner above
    const el = root.querySelector(selector);
    if (el) watch.observe(el);
  }
  window.addEventListener("resize", fit);
  fit();
}
