// A lesson's result beside the playground: once its race reaches the lesson's iterations,
// each lane's figure of the lesson's criterion next to the course's ("course 47% — here
// 46.8%"), the winner by that criterion, and a link to the race below. A table lesson (the
// course's own table, `table: true`) fills a table row by row as its lanes finish, with the
// test figures beside the training ones where the course gives them.

import { h } from "../../dom.js";
import { bestOf, criterionName, figuresOf, formatFigure, winnerText } from "./verdict.js";

/** Mounts the lesson summary into [data-view=lesson-summary] (hidden until a lesson runs). */
export function mountLessonSummary(root, store) {
  const box = root.querySelector("[data-view=lesson-summary]");
  if (!box) return;
  let lesson = null; // the lesson whose race runs, until its result is shown
  let labels = null; // its lanes' labels, once the race is configured
  let done = false;

  const toRace = () => h("button", { type: "button", class: "link-button", testid: "summary-to-race", text: "See the race ↓",
    onclick: () => root.querySelector("[data-testid=race-panel]")?.scrollIntoView({ behavior: "smooth", block: "start" }) });
  const close = h("button", { type: "button", class: "dismiss", text: "×", "aria-label": "Close the lesson's result",
    onclick: () => { box.hidden = true; lesson = null; } });

  const show = (...parts) => {
    box.replaceChildren(h("div", { class: "summary-head" }, h("h3", { text: lesson.title }), close), ...parts);
    box.hidden = false;
  };

  const percent = (v) => (v == null || !Number.isFinite(v) ? "–" : `${(v * 100).toFixed(2)}%`);
  let shownRows = -1;
  const table = (finished) => {
    const tested = lesson.lanes.some((l) => l.course_test != null);
    const head = ["", "course", "here", ...(tested ? ["course test", "here test"] : [])];
    const rows = labels.map((label, i) => {
      const f = store.frames.get(i);
      const done = finished[i];
      const here = (key) => (!done ? "running…" : f?.diverged ? "diverged" : percent(f?.[key]));
      const cells = [percent(lesson.lanes[i].course), here("accuracy_train"),
        ...(tested ? [percent(lesson.lanes[i].course_test), here("accuracy_test")] : [])];
      return h("tr", { testid: `summary-row-${i}` }, h("th", { scope: "row", text: label }), ...cells.map((c) => h("td", { text: c })));
    });
    return h("table", { class: "summary-table", testid: "summary-table" },
      h("thead", {}, h("tr", {}, ...head.map((c) => h("th", { scope: "col", text: c })))), h("tbody", {}, rows));
  };
  const fill = (finished) => {
    const count = finished.filter(Boolean).length;
    if (count === shownRows) return;
    shownRows = count;
    show(h("p", { class: "summary-what", text: `The course's table after ${lesson.iterations.toLocaleString("en")} iterations ` +
      `(${count} of ${labels.length} rows done):` }), table(finished), toRace());
  };

  const finish = () => {
    const frames = labels.map((_, i) => store.frames.get(i));
    const figures = figuresOf(frames, lesson);
    const courses = lesson.lanes.map((l) => l.course ?? null);
    const what = criterionName(lesson.criterion);
    const best = bestOf(figures, lesson.higher_is_better);
    const rows = labels.map((label, i) => h("li", { testid: `summary-lane-${i}`, class: best.includes(i) ? "summary-best" : null },
      h("b", { text: label }), ": ",
      courses[i] == null ? "the course gives no figure" : `course ${formatFigure(lesson.criterion, courses[i])}`,
      " — here ", frames[i]?.diverged ? "diverged" : formatFigure(lesson.criterion, figures[i])));
    const course = courses.some((c) => c != null) ? winnerText(labels, courses, lesson).replace(/^the winner is /, "") : null;
    show(h("p", { class: "summary-what", text: `${what} after ${lesson.iterations.toLocaleString("en")} iterations:` }),
      h("ul", { class: "summary-lanes" }, rows),
      h("p", { class: "summary-winner", testid: "summary-winner" },
        `Here ${winnerText(labels, figures, lesson)}`, course ? `; in the course: ${course}. ` : ". ", toRace()));
  };

  store.on("teaching:race", ({ lesson: next }) => {
    lesson = next ?? null;
    labels = null;
    done = false;
    shownRows = -1;
    if (!lesson) box.hidden = true;
    else show(h("p", { class: "summary-what", testid: "summary-running",
      text: `Racing ${lesson.lanes.length} lanes to ${lesson.iterations.toLocaleString("en")} iterations…` }), toRace());
  });
  store.on("teaching:clear", () => {
    lesson = null;
    box.hidden = true;
  });
  store.on("configured", (msg) => {
    if (!lesson || done) return;
    const names = (msg.lanes ?? []).map((l) => l.label);
    if (names.join("\n") === lesson.lanes.map((l) => l.label).join("\n")) labels = names;
    else if (labels) lesson = null; // another configure: the lesson's race is over unfinished
  });
  store.on("frame", () => {
    if (!lesson || !labels || done) return;
    const finished = labels.map((_, i) => {
      const f = store.frames.get(i);
      return Boolean(f && (f.iteration >= lesson.iterations || f.diverged));
    });
    if (lesson.table) fill(finished);
    if (!finished.every(Boolean)) return;
    done = true;
    if (!lesson.table) finish();
  });
}
