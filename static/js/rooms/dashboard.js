// The teacher's dashboard: create or reopen a room, a live tile per student, the class
// summary, sorting, and the class actions (lesson, pause, resume, reset, spotlight, CSV, close).

import { mountLesson } from "./push-lesson.js";
import { createRoom, pageUrl, readFragment, reason, roomApi, teachSocket } from "./teacher-room.js";
import { STATES, fillTile, makeTile } from "./tiles.js";
import { sentence } from "../shared/sentence.js";

const ORDER = { running: 0, held: 1, paused: 2, idle: 3, diverged: 4 };

/** The accuracy a tile is judged by: test when there is a test set, else training. */
const accuracy = (t) => t.accuracy_test ?? t.accuracy_train;

function median(values) {
  const sorted = values.filter((v) => v != null).sort((a, b) => a - b);
  if (!sorted.length) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Mounts the dashboard on the /teach page. */
export function mountDashboard(root) {
  const $ = (role) => root.querySelector(`[data-role=${role}]`);
  const panels = { start: root.querySelector("[data-panel=start]"), board: root.querySelector("[data-panel=board]") };
  const tiles = new Map(); // name -> {li, tile}
  let figures = []; // a tile's figures, from the server's `room` message
  let room = null; // {code, key, api, socket, spotlight}
  let noticeTimer = null;

  const notice = (text) => {
    $("notice").textContent = text;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => { $("notice").textContent = ""; }, 6000);
  };

  function showStart(error = "") {
    room?.socket?.close();
    room = null;
    tiles.clear();
    $("tiles").replaceChildren();
    panels.board.hidden = true;
    panels.start.hidden = false;
    $("room-id").hidden = true;
    $("start-error").textContent = error;
    $("connection").textContent = "";
    if (window.location.hash) history.replaceState(null, "", window.location.pathname);
  }

  function summarise() {
    const all = [...tiles.values()].map((entry) => entry.tile);
    const target = Number($("target").value) / 100;
    $("count").textContent = String(all.length);
    $("reached").textContent = String(all.filter((t) => accuracy(t) != null && accuracy(t) >= target).length);
    const cost = median(all.map((t) => t.cost_train));
    $("median").textContent = cost == null ? "–" : cost.toFixed(4);
    const counts = {};
    for (const t of all) counts[t.state] = (counts[t.state] ?? 0) + 1;
    $("states").textContent = Object.entries(counts).map(([s, n]) => `${n} ${STATES[s] ?? s}`).join(" · ");
    $("empty").hidden = all.length > 0;
    sortTiles();
  }

  function sortTiles() {
    const key = $("sort").value;
    const value = (t) => (key === "state" ? ORDER[t.state] ?? 9 : t[key]);
    const entries = [...tiles.values()].sort((a, b) => {
      if (key === "name") return a.tile.name.localeCompare(b.tile.name);
      const [x, y] = [value(a.tile), value(b.tile)];
      if (x == null || y == null) return x == null ? 1 : -1;
      const descending = key === "iteration" || key.startsWith("accuracy");
      return descending ? y - x : x - y;
    });
    const list = $("tiles");
    entries.forEach(({ li }, i) => {
      if (list.children[i] !== li) list.insertBefore(li, list.children[i] ?? null);
    });
  }

  function update(students) {
    for (const tile of students) {
      if (tile.state === "left") {
        tiles.get(tile.name)?.li.remove();
        tiles.delete(tile.name);
        continue;
      }
      let entry = tiles.get(tile.name);
      if (!entry) {
        entry = { li: makeTile(tile.name, pick, figures), tile };
        tiles.set(tile.name, entry);
        $("tiles").append(entry.li);
      }
      entry.tile = tile;
      entry.li.classList.toggle("spotlit", tile.name === room?.spotlight);
      fillTile(entry.li, tile);
    }
    summarise();
  }

  function markSpotlight(name) {
    room.spotlight = name;
    for (const [n, { li }] of tiles) li.classList.toggle("spotlit", n === name);
  }

  async function pick(name) {
    const next = room.spotlight === name ? null : name;
    const answer = await room.api.command("spotlight", { name: next });
    if (!answer.ok) notice(await reason(answer));
    else notice(next ? `${next} is on the projector.` : "The projector shows nobody.");
  }

  function onMessage(msg) {
    if (msg.type === "room") {
      figures = msg.figures;
      tiles.clear();
      $("tiles").replaceChildren();
      markSpotlight(msg.spotlight);
      update(msg.students);
    } else if (msg.type === "tiles") {
      update(msg.students);
    } else if (msg.type === "command" && msg.command === "spotlight") {
      markSpotlight(msg.name);
    } else if (msg.type === "closed") {
      showStart("The room is closed. Students keep their runs.");
    } else if (msg.type === "error" && msg.field === "token") {
      notice("This server needs the class token."); // the socket asks for it and reconnects
    } else if (msg.type === "error" && !msg.field) {
      notice(sentence(msg)); // rooms unavailable for a moment: the socket tries again
    } else if (msg.type === "error") {
      showStart(sentence(msg));
    }
  }

  function open(code, key) {
    room = { code, key, api: roomApi(code, key), spotlight: null };
    history.replaceState(null, "", `#room=${code}&key=${encodeURIComponent(key)}`);
    panels.start.hidden = true;
    panels.board.hidden = false;
    $("room-id").hidden = false;
    $("code").textContent = code;
    $("code-again").textContent = code;
    const join = pageUrl(`./?room=${code}`);
    $("join-link").href = join;
    $("join-link").textContent = join.replace(/^https?:\/\//, "");
    $("teacher-link").href = window.location.href;
    $("teacher-link").textContent = "teacher link";
    $("spotlight-link").href = pageUrl(`teach/${code}/spotlight#key=${encodeURIComponent(key)}`);
    summarise();
    room.socket = teachSocket(code, key, "dashboard", {
      onMessage,
      onState(state) {
        const el = $("connection");
        el.dataset.state = state;
        el.textContent = state === "open" ? "live" : "reconnecting…";
      },
    });
  }

  async function act(action) {
    if (!room) return;
    if (action === "csv") return download();
    if (action === "close") return closeRoom();
    const answer = await room.api.command(action);
    const done = { pause: "Everyone is paused.", resume: "Everyone is training.", reset: "Everyone is back at iteration 0." };
    notice(answer.ok ? done[action] : await reason(answer));
  }

  async function download() {
    const answer = await room.api.csv();
    if (!answer.ok) return notice(await reason(answer));
    const link = document.createElement("a");
    link.href = URL.createObjectURL(await answer.response.blob());
    link.download = `descent-room-${room.code}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  let confirming = null;
  async function closeRoom() {
    const button = root.querySelector("[data-action=close]");
    if (!confirming) {
      button.textContent = "Really close?";
      confirming = setTimeout(() => { confirming = null; button.textContent = "Close room"; }, 4000);
      return;
    }
    clearTimeout(confirming);
    confirming = null;
    button.textContent = "Close room";
    const answer = await room.api.close();
    if (!answer.ok) notice(await reason(answer));
    else showStart("The room is closed. Students keep their runs.");
  }

  root.querySelector("[data-action=create]").addEventListener("click", async () => {
    $("start-error").textContent = "";
    try {
      const made = await createRoom($("teacher-token").value.trim());
      open(made.code, made.teacher_key);
    } catch (error) {
      if (error.field === "teacher_token") $("token-field").hidden = false;
      $("start-error").textContent = error.message;
    }
  });
  for (const action of ["pause", "resume", "reset", "csv", "close"]) {
    root.querySelector(`[data-action=${action}]`).addEventListener("click", () => act(action));
  }
  $("sort").addEventListener("change", sortTiles);
  $("target").addEventListener("input", summarise);
  mountLesson(root, () => room, notice);

  const { room: code, key } = readFragment();
  if (code && key) open(code, key);
  else showStart();
}
