// The speed control: a menu from one iteration per frame up to "as fast as it goes". The
// playground's (in the top bar, in the URL as speed=) edits store.speed; the race builds its
// own with speedMenu.

import { h } from "../dom.js";
import { SPEEDS, formatSpeed, speedLabel, speedShort } from "../../shared/pace.js";

const option = (k) => h("option", { value: formatSpeed(k), text: speedShort(k), title: speedLabel(k) });

/** A <select> of the speeds showing `speed`; onPick(k) with k a number or null; limit(max)
 * keeps the speeds up to the server's max_speed. */
export function speedMenu({ testid, speed, onPick, label = "Speed" }) {
  const select = h("select", { testid, "aria-label": label, title: "Iterations between two pictures: slow to watch the boundary form, fast to get results" },
    ...SPEEDS.map(option));
  const show = (k) => {
    const value = formatSpeed(k);
    if (![...select.options].some((o) => o.value === value)) select.add(new Option(speedShort(k), value));
    select.value = value;
  };
  const limit = (max = Infinity) => {
    const value = select.value;
    select.replaceChildren(...SPEEDS.filter((k) => k == null || k <= max).map(option));
    select.value = value;
  };
  show(speed);
  select.addEventListener("change", () => onPick(select.value === "max" ? null : Number(select.value)));
  return { element: select, show, limit };
}

/** Mounts the playground's speed menu into [data-view=speed]. */
export function mountSpeed(root, store) {
  const box = root.querySelector("[data-view=speed]");
  const menu = speedMenu({ testid: "speed", speed: store.speed, onPick: (k) => store.setSpeed(k) });
  menu.element.id = "ctl-speed";
  box.append(h("label", { for: "ctl-speed", text: "Speed" }), menu.element);
  store.on("options", ({ limits }) => menu.limit(limits?.max_speed));
  store.on("speed", ({ speed }) => menu.show(speed));
}
