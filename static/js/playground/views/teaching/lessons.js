// Lessons: presets from the course (GET /api/lessons), in a strip at the top of the page where
// a new student looks first. Choosing one applies its first lane's config to the page
// (controls and URL hash follow), shows what to watch and the course's result, and starts its
// lanes as a race that stops after the lesson's iterations, at the playground's speed.
// Clearing the menu ends the lesson (and its race). A teacher's pushed lesson arrives as
// store.emit("teaching:lesson", {name, pushed: true, shown(lesson)}) and runs the same way.

import { esc, h } from "../../dom.js";
import { getJSON } from "./teaching-card.js";

const SECTIONS = ["network", "optimizer", "regularization"];
const INTRO = "Each lesson sets up the playground and races the settings the course compares.";

/** The race lanes of a lesson: each lane's network/optimizer/regularization sent whole. */
function lessonLanes(lesson) {
  return lesson.lanes.map((lane) => {
    const out = { label: lane.label };
    for (const s of SECTIONS) if (lane.config?.[s]) out[s] = lane.config[s];
    return out;
  });
}

/** Mounts the lesson menu (data-testid=lesson-menu) and its info into #lesson-strip. */
export function mountLessons(root, store, api) {
  const strip = root.getElementById("lesson-strip");
  if (!strip) return;
  const menu = h("select", { id: "lesson-menu", testid: "lesson-menu" },
    h("option", { value: "", text: "Choose a lesson…" }));
  const info = h("div", { class: "t-lesson-info", testid: "lesson-info", "aria-live": "polite" },
    h("p", { class: "t-muted", text: INTRO }));
  strip.append(h("div", { class: "lesson-pick", "data-control": "teaching lessons" },
    h("label", { for: "lesson-menu", class: "lesson-label", text: "Start with a lesson" }), menu), info);

  let lessons = [];
  const loaded = getJSON("api/lessons")
    .then((data) => {
      lessons = data.lessons ?? [];
      menu.append(...lessons.map((l) => h("option", { value: l.name, text: l.title, testid: `lesson-${l.name}` })));
    })
    .catch((err) => {
      menu.disabled = true;
      info.textContent = `Lessons are not available (${err.message}).`;
    });

  const toRace = () => root.querySelector("[data-testid=race-panel]")?.scrollIntoView({ behavior: "smooth", block: "start" });

  /** Runs a lesson; `configured`: the server already configured its first lane (a push). */
  const choose = (lesson, configured = false) => {
    const lanes = lesson.lanes ?? [];
    if (!lanes.length) return;
    // A race sends its own configure (with the lanes); a single lane is the playground's.
    if (!configured) store.load(lanes[0].config, { configure: lanes.length === 1 });
    const iterations = lesson.iterations.toLocaleString("en");
    info.replaceChildren(
      h("h3", { text: lesson.title, testid: "lesson-title" }),
      h("p", { class: "t-watch", html: `<b>What to watch:</b> ${esc(lesson.watch)}` }),
      h("details", { class: "t-more" }, h("summary", { text: "The course's result" }),
        h("p", { class: "t-course", text: lesson.course_result.replace(/^course:\s*/i, "") })),
      h("p", { class: "t-muted" }, lanes.length > 1
        ? [`${lanes.length} lanes race for ${iterations} iterations at the speed you set. `,
          h("button", { type: "button", class: "t-button", testid: "lesson-to-race", text: "See the race ↓", onclick: toRace })]
        : `Press play: the course ran ${iterations} iterations.`));
    if (lanes.length > 1) store.emit("teaching:race", { lanes: lessonLanes(lesson), until: lesson.iterations, lesson });
    else if (store.status.state === "running") api.pause();
  };

  /** Back to no lesson: the words go, a lesson's race stops. */
  const clear = () => {
    info.replaceChildren(h("p", { class: "t-muted", text: INTRO }));
    store.emit("teaching:clear", {});
  };

  menu.addEventListener("change", () => {
    const lesson = lessons.find((l) => l.name === menu.value);
    if (lesson) choose(lesson);
    else clear();
  });

  store.on("teaching:lesson", async ({ name, pushed = false, shown }) => {
    await loaded;
    const lesson = lessons.find((l) => l.name === name);
    if (!lesson) return;
    menu.value = name;
    choose(lesson, pushed);
    shown?.(lesson);
  });
}
