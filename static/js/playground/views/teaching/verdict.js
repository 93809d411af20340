// Judging a lesson's race by the lesson's own criterion (GET /api/lessons: `criterion`, a
// frame field such as accuracy_test, and `higher_is_better`), and writing its figures.

import { formatNumber, formatPercent } from "../../../shared/format.js";

const NAMES = {
  accuracy_train: "training accuracy", accuracy_test: "test accuracy",
  cost_train: "training cost J", loss_train: "training loss", cost_test: "test loss",
  rmse_train: "training RMSE", rmse_test: "test RMSE",
};

/** The criterion in words: "test accuracy". */
export const criterionName = (criterion) => NAMES[criterion] ?? criterion.replace(/_/g, " ");

/** A figure of the criterion as the page writes it: "46.8%" or "0.3127". */
export const formatFigure = (criterion, v) => (criterion.startsWith("accuracy") ? formatPercent(v) : formatNumber(v, 4));

/** The indices of the best lanes (more than one on a tie), from their figures; [] if none. */
export function bestOf(figures, higherIsBetter) {
  const known = figures.map((v, i) => [v, i]).filter(([v]) => v != null && Number.isFinite(v));
  if (!known.length) return [];
  const best = higherIsBetter ? Math.max(...known.map(([v]) => v)) : Math.min(...known.map(([v]) => v));
  return known.filter(([v]) => Math.abs(v - best) < 1e-9).map(([, i]) => i);
}

/** Each lane's figure of the lesson's criterion from its frame (null for a diverged lane). */
export const figuresOf = (frames, lesson) => frames.map((f) => (f && !f.diverged ? f[lesson.criterion] ?? null : null));

/** "the winner is He (99.3% training accuracy)", or a tie, in words. */
export function winnerText(labels, figures, lesson) {
  const best = bestOf(figures, lesson.higher_is_better);
  if (!best.length) return "no lane has a figure to judge";
  const what = `${formatFigure(lesson.criterion, figures[best[0]])} ${criterionName(lesson.criterion)}`;
  if (best.length === labels.length && labels.length > 1) return `a tie: every lane reaches ${what}`;
  const names = best.map((i) => labels[i]).join(" and ");
  return best.length > 1 ? `a tie between ${names} (${what})` : `the winner is ${names} (${what})`;
}
