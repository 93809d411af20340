// How the page writes numbers: one formatter for metrics, ticks, legends and equations.

/** A number as the course writes it: 0.693, 1.2, 1e-8, 3.1e5; "–" for none, "∞" for infinity. */
export function formatNumber(v, digits = 3) {
  if (v == null || Number.isNaN(v)) return "–";
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "-∞";
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) {
    return Number(v.toPrecision(Math.min(digits, 3))).toExponential().replace("e+", "e");
  }
  return String(Number(v.toFixed(digits)));
}

/** Always scientific, one decimal: 3.1e-9 (relative differences, gradient norms). */
export function formatScientific(v) {
  if (v == null || Number.isNaN(v)) return "–";
  return v === 0 ? "0" : v.toExponential(1);
}

/** A fraction as a percentage with one decimal: 0.875 -> "87.5%". */
export const formatPercent = (v) => (v == null ? "–" : `${(v * 100).toFixed(1)}%`);
