// Each optimizer starts from a sensible learning rate (its `learning_rate` in /api/options:
// gd's 1.2 would make Adam diverge) unless the user set one for it on this page: switching
// back to an optimizer brings back the rate the user gave it.

/** Mounts the rule; it patches optimizer.learning_rate when the optimizer menu changes. */
export function mountOptimizerRate(root, store) {
  const chosen = new Map(); // optimizer name -> the rate the user typed for it

  const suggested = (name) => store.options?.optimizers?.find((o) => o.name === name)?.learning_rate;

  store.on("config", ({ changes, source }) => {
    if (source !== "ui" || !changes) return;
    const name = store.config.optimizer.name;
    if ("optimizer.learning_rate" in changes && !("optimizer.name" in changes)) chosen.set(name, changes["optimizer.learning_rate"]);
    if (!("optimizer.name" in changes) || "optimizer.learning_rate" in changes) return;
    const rate = chosen.get(name) ?? suggested(name);
    if (rate != null) store.patch({ "optimizer.learning_rate": rate }, "optimizer-rate");
  });
}
