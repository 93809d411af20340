// A hint when training misbehaves: when lane 0's training cost keeps going up, or bounces up
// and down, over the last frames, the status area says the learning rate may be too high.

const WINDOW = 20; // frames looked at
const MIN_RISES = 8; // of the WINDOW - 1 steps, this many going up means "bouncing"
const CLIMB = 1.25; // the last cost this many times the window's lowest means "climbing"

/** "climbing", "bouncing" or null for a list of costs, oldest first. */
function misbehaviour(costs) {
  if (costs.length < WINDOW) return null;
  const recent = costs.slice(-WINDOW);
  const rises = recent.slice(1).filter((c, i) => c > recent[i] * 1.001).length;
  if (recent[recent.length - 1] > CLIMB * Math.min(...recent)) return "climbing";
  return rises >= MIN_RISES ? "bouncing" : null;
}

/** Mounts the hint line ([data-role=training-hint]) of the status area. */
export function mountHint(root, store) {
  const line = root.querySelector("[data-role=training-hint]");
  let costs = [];
  let lastIteration = -1;

  const show = () => {
    const kind = misbehaviour(costs);
    line.hidden = kind == null;
    if (kind) {
      line.textContent = `The cost is ${kind === "climbing" ? "climbing" : "going up and down"} instead of going down: ` +
        `the learning rate may be too high (now ${store.config.optimizer.learning_rate}). Try a smaller one.`;
    }
  };
  store.on("configured", () => {
    costs = [];
    lastIteration = -1;
    show();
  });
  store.on("frame", (f) => {
    if ((f.lane ?? 0) !== 0 || f.cost_train == null || f.iteration <= lastIteration) return;
    lastIteration = f.iteration;
    costs.push(f.cost_train);
    if (costs.length > WINDOW) costs.shift();
    show();
  });
  // A change of the rate starts the watch again; any other change keeps the words current.
  store.on("config", ({ changes }) => {
    if (!changes || "optimizer.learning_rate" in changes) costs = [];
    show();
  });
}
