// Pushing a lesson: a preset from /api/lessons or any playground link (its #config), and the
// controls to lock, which students' pages hide (the playground's own hide flags).

import { linkPoints } from "../shared/pointlink.js";
import { controlName, mergeConfig, parseHash } from "../shared/config-link.js";
import { apiFetch } from "../shared/token.js";
import { pageUrl, reason } from "./teacher-room.js";

/** Control names (the playground's data-control names) a lesson may lock, with labels. */
const LOCKABLE = [
  ["datasets", "dataset"], ["noise", "noise"], ["test_fraction", "test data"],
  ["features", "features"], ["layers", "layers and neurons"], ["activation", "activation"],
  ["init", "initialization"], ["optimizer", "optimizer"], ["learning_rate", "learning rate"],
  ["decay", "learning-rate decay"], ["batch_size", "batch size"], ["l2", "L2"],
  ["keep_prob", "dropout"], ["problem", "problem type"], ["seed", "seed"],
  ["classes", "classes"], ["draw", "drawing points"], ["own_data", "CSV upload / download"],
];

async function getJson(path) {
  const response = await apiFetch(pageUrl(path));
  return response.ok ? response.json() : null;
}

/** Mounts the lesson form; room() is the open room (or null), notice(text) reports. */
export function mountLesson(root, room, notice) {
  const form = root.querySelector("[data-role=lesson]");
  const select = form.querySelector("[data-role=lesson-select]");
  const link = form.querySelector("[data-role=lesson-link]");
  const locks = form.querySelector("[data-role=locks]");
  let lessons = [];
  let defaults = {};
  let limits = {};

  for (const [name, label] of LOCKABLE) {
    const box = document.createElement("label");
    box.className = "check";
    const input = document.createElement("input");
    input.type = "checkbox";
    input.value = name;
    input.dataset.testid = `lock-${name}`;
    box.append(input, ` ${label}`);
    locks.append(box);
  }

  async function load() {
    const [options, list] = await Promise.all([getJson("api/options"), getJson("api/lessons")]);
    defaults = options?.defaults ?? {};
    limits = options?.limits ?? {};
    lessons = list?.lessons ?? [];
    select.replaceChildren(new Option("the default playground (flower, 4 tanh units)", ""),
      ...lessons.map((l) => new Option(l.title, l.name)));
  }

  // A pasted playground link, custom points (points=) unpacked, or the chosen lesson.
  async function chosen() {
    const address = link.value.trim();
    if (address) {
      const hash = address.includes("#") ? address.slice(address.indexOf("#")) : "";
      const { config, hide } = parseHash(hash, defaults, limits);
      const linked = await linkPoints(hash, limits);
      if (config.dataset?.name === "custom") config.dataset.points = linked?.points ?? null;
      return { config, lock: [...hide] };
    }
    const lesson = lessons.find((l) => l.name === select.value);
    // A lesson from the course travels by name too: students run it whole (its words, its race).
    return { config: mergeConfig(defaults, lesson?.lanes?.[0]?.config ?? {}), lock: [], lesson: lesson?.name ?? null };
  }

  link.addEventListener("change", async () => {
    const { lock } = await chosen();
    for (const input of locks.querySelectorAll("input")) input.checked = lock.includes(controlName(input.value));
  });
  root.querySelector("[data-action=lesson]").addEventListener("click", () => {
    form.hidden = !form.hidden;
    if (!form.hidden && !lessons.length) load();
  });
  form.querySelector("[data-action=lesson-cancel]").addEventListener("click", () => { form.hidden = true; });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const open = room();
    if (!open) return;
    const { config, lesson } = await chosen();
    const lock = [...locks.querySelectorAll("input:checked")].map((i) => i.value);
    const answer = await open.api.command("push", { config, lock, ...(lesson ? { lesson } : {}) });
    if (!answer.ok) return notice(await reason(answer));
    form.hidden = true;
    notice(`Lesson pushed to everyone${lock.length ? `, locking ${lock.join(", ")}` : ""}.`);
  });
}
