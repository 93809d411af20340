// Classroom rooms on the student's page. `?room=K7Q2` (or the "Join a class" button) asks for
// a nickname and joins the teacher's room after every hello; the teacher's lessons arrive as
// configs whose locked controls are hidden, exactly as a link's hide flags hide them.

import { controlName } from "../shared/config-link.js";
import { sentence } from "../shared/sentence.js";

const NAME_KEY = "descent.nickname";
const CLIENT_KEY = "descent.room-client";
const HELD = "Your teacher paused the class: play comes back when they resume.";

const remembered = (storage, key) => {
  try {
    return storage.getItem(key) ?? "";
  } catch {
    return "";
  }
};
const remember = (storage, key, value) => {
  try {
    storage.setItem(key, value);
  } catch {
    // storage disabled: asked again after a reload
  }
};

function build(root) {
  const open = root.createElement("button");
  open.type = "button";
  open.className = "room-open";
  open.dataset.testid = "room-open";
  open.textContent = "Join a class";
  const badge = root.createElement("span");
  badge.className = "room-badge";
  badge.dataset.testid = "room-badge";
  badge.hidden = true;
  const masthead = root.querySelector(".masthead");
  masthead?.insertBefore(badge, masthead.querySelector(".version"));
  masthead?.insertBefore(open, badge);
  const banner = root.createElement("p");
  banner.className = "room-banner";
  banner.dataset.testid = "room-banner";
  banner.setAttribute("role", "status");
  banner.hidden = true;
  masthead?.after(banner);
  const dialog = root.createElement("dialog");
  dialog.className = "room-dialog";
  dialog.dataset.testid = "room-dialog";
  dialog.innerHTML = `<form method="dialog">
    <h2>Join your teacher's class</h2>
    <label>Room code <input name="room" data-testid="room-code-input" maxlength="8" autocomplete="off" required></label>
    <label>Nickname <input name="name" data-testid="room-name-input" maxlength="24" autocomplete="nickname" required></label>
    <p class="room-error" data-testid="room-error" role="alert"></p>
    <button type="submit" value="join" data-testid="room-join">Join</button>
    <button type="button" value="cancel" data-role="cancel">Not now</button></form>`;
  root.body.append(dialog);
  return { open, badge, banner, dialog, form: dialog.querySelector("form") };
}

/** Mounts the room controls; joins at each hello when a room and nickname are known. */
export function mountRoom(root, store, api) {
  const ui = build(root);
  let wanted = (new URLSearchParams(window.location.search).get("room") ?? "").trim().toUpperCase();
  let name = remembered(localStorage, NAME_KEY);
  let joined = null; // {room, name} once the server said so
  let ownHide = null; // the page's own hide flags, restored when the room ends

  const say = (text, tone = "info") => {
    ui.banner.textContent = text;
    ui.banner.dataset.tone = tone;
    ui.banner.hidden = !text;
  };
  const ask = (error = "") => {
    ui.form.elements.room.value = wanted;
    ui.form.elements.name.value = name;
    ui.dialog.querySelector(".room-error").textContent = error;
    if (!ui.dialog.open) ui.dialog.showModal();
  };
  const join = () => {
    const client = remembered(sessionStorage, `${CLIENT_KEY}.${wanted}`) || undefined;
    api.send({ type: "join", room: wanted, name, ...(client ? { client } : {}) });
  };
  const lock = (names) => {
    ownHide ??= new Set(store.hide);
    store.setHidden([...ownHide, ...names.map(controlName)]);
  };
  const unlock = () => {
    if (ownHide) store.setHidden(ownHide);
    ownHide = null;
  };
  const lesson = (value) => {
    lock(value.lock ?? []);
    store.load(value.config, { configure: false, source: "server" }); // the server configured it
  };
  /** A lesson from the course runs whole (words, race, stop iteration), as the menu runs it. */
  const courseLesson = (name) => store.emit("teaching:lesson", {
    name, pushed: true, shown: (l) => say(`Your teacher sent the lesson “${l.title}”: see what to watch at the top.`),
  });
  const hold = (on) => store.setHeld(on ? HELD : null);

  function onRoom(msg) {
    if (msg.event === "joined") {
      joined = { room: msg.room, name: msg.name };
      remember(sessionStorage, `${CLIENT_KEY}.${msg.room}`, msg.client);
      ui.badge.textContent = `Class ${msg.room} · ${msg.name}`;
      ui.badge.hidden = false;
      ui.open.hidden = true;
      if (msg.lesson && msg.applied) lesson(msg.lesson);
      else if (msg.lesson) lock(msg.lesson.lock ?? []); // back after a reconnect: own run stays
      hold(msg.paused);
      say(msg.paused ? "Your teacher paused the class." : "");
      if (msg.lesson?.lesson && msg.applied) courseLesson(msg.lesson.lesson);
    } else if (msg.event === "lesson") {
      lesson(msg);
      hold(false);
      say("Your teacher sent a new lesson.");
      if (msg.lesson) courseLesson(msg.lesson);
    } else if (msg.event === "paused") {
      hold(true);
      say("Your teacher paused the class.", "hold");
    } else if (msg.event === "resumed") {
      hold(false);
      say(msg.playing ? "Your teacher resumed the class." : "Your teacher resumed the class: press play when you are ready.");
    } else if (msg.event === "reset") {
      say("Your teacher reset everyone's network.");
    } else if (msg.event === "spotlight") {
      ui.badge.classList.toggle("on-air", msg.on);
      say(msg.on ? "Your run is on the projector." : "");
    } else if (msg.event === "closed") {
      joined = null;
      wanted = "";
      ui.badge.hidden = true;
      ui.open.hidden = false;
      ui.badge.textContent = "";
      ui.badge.classList.remove("on-air");
      hold(false);
      unlock();
      say("The class has ended. Your run stays here.");
    }
  }

  store.on("message", (msg) => {
    if (msg.type === "hello" && wanted && name) join();
    else if (msg.type === "room") onRoom(msg);
    else if (msg.type === "error" && !joined && (msg.field === "name" || msg.field === "room")) ask(sentence(msg));
  });
  ui.open.addEventListener("click", () => ask());
  ui.dialog.querySelector("[data-role=cancel]").addEventListener("click", () => ui.dialog.close());
  ui.form.addEventListener("submit", () => {
    wanted = ui.form.elements.room.value.trim().toUpperCase();
    name = ui.form.elements.name.value.trim();
    remember(localStorage, NAME_KEY, name);
    if (wanted && name) join();
  });
  if (wanted && !name) ask();
}
