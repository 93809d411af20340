// Lessons: presets from the course (GET /api/lessons). Choosing one applies its first lane's
// config to the page (controls and URL hash follow), shows what to watch and the course's
// result, and starts its lanes as a race that stops after the lesson's iterations.

import { esc, h } from "../../dom.js";
import { getJSON, mountCard } from "./teaching-card.js";

const SECTIONS = ["network", "optimizer", "regularization"];

/** The race lanes of a lesson: each lane's network/optimizer/regularization sent whole. */
function lessonLanes(lesson) {
  return lesson.lanes.map((lane) => {
    const out = { label: lane.label };
    for (const s of SECTIONS) if (lane.config?.[s]) out[s] = lane.config[s];
    return out;
  });
}

/** Mounts the lesson menu (data-testid=lesson-menu) and its info into #teaching. */
export function mountLessons(root, store, api) {
  const { body } = mountCard(root, { name: "lessons", title: "Lessons from the course", testid: "lessons-panel" });
  const menu = h("select", { testid: "lesson-menu", "aria-label": "Lesson" },
    h("option", { value: "", text: "Choose a lesson…" }));
  const info = h("div", { class: "t-lesson-info", testid: "lesson-info", "aria-live": "polite" },
    h("p", { class: "t-muted", text: "Each lesson sets up the playground and races the settings the course compares." }));
  body.append(h("div", { class: "t-lesson-row" }, menu, info));

  let lessons = [];
  getJSON("api/lessons")
    .then((data) => {
      lessons = data.lessons ?? [];
      menu.append(...lessons.map((l) => h("option", { value: l.name, text: l.title, testid: `lesson-${l.name}` })));
    })
    .catch((err) => {
      menu.disabled = true;
      info.textContent = `Lessons are not available (${err.message}).`;
    });

  const choose = (lesson) => {
    const lanes = lesson.lanes ?? [];
    if (!lanes.length) return;
    // A race sends its own configure (with the lanes); a single lane is the playground's.
    store.load(lanes[0].config, { configure: lanes.length === 1 });
    info.replaceChildren(
      h("h3", { text: lesson.title, testid: "lesson-title" }),
      h("p", { class: "t-watch", html: `<b>What to watch:</b> ${esc(lesson.watch)}` }),
      h("p", { class: "t-course", html: `<b>The course:</b> ${esc(lesson.course_result.replace(/^course:\s*/i, ""))}` }),
      h("p", { class: "t-muted" }, lanes.length > 1
        ? [`${lanes.length} lanes race for ${lesson.iterations.toLocaleString("en")} iterations in the race panel. `,
          h("button", { type: "button", class: "t-button", testid: "lesson-to-race", text: "See the race ↓",
            onclick: () => root.querySelector("[data-testid=race-panel]")?.scrollIntoView({ behavior: "smooth", block: "start" }) })]
        : `Press play: the course ran ${lesson.iterations.toLocaleString("en")} iterations.`));
    if (lanes.length > 1) store.emit("teaching:race", { lanes: lessonLanes(lesson), until: lesson.iterations, lesson });
    else if (store.status.state === "running") api.pause();
  };

  menu.addEventListener("change", () => {
    const lesson = lessons.find((l) => l.name === menu.value);
    if (lesson) choose(lesson);
  });
}
