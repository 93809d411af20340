// Lane 0's training cost J (loss + L2/L1 terms) with the plain loss beside it, the test loss,
// and accuracy (classification) or RMSE (regression).

import { formatNumber, formatPercent as percent } from "../../shared/format.js";

/** Mounts the metric read-outs ([data-view=metrics]). */
export function mountMetrics(root, store) {
  const box = root.querySelector("[data-view=metrics]");
  const field = (id) => box.querySelector(`[data-testid=${id}]`);
  const labels = {
    train: box.querySelector("[data-role=acc-label-train]"),
    test: box.querySelector("[data-role=acc-label-test]"),
  };

  const setLabels = () => {
    const regression = store.config.network.output === "regression";
    labels.train.textContent = regression ? "Training RMSE" : "Training accuracy";
    labels.test.textContent = regression ? "Test RMSE" : "Test accuracy";
  };

  const clear = () => {
    for (const id of ["cost-train", "loss-train", "cost-test", "accuracy-train", "accuracy-test"]) {
      field(id).textContent = "–";
    }
    penaltyNote.textContent = "";
    setLabels();
  };

  const penaltyNote = box.querySelector("[data-role=penalty-note]");
  const showLoss = (f) => {
    field("loss-train").textContent = formatNumber(f.loss_train, 4);
    const penalty = f.cost_train != null && f.loss_train != null ? f.cost_train - f.loss_train : null;
    const { l2 = 0, l1 = 0 } = store.config.regularization;
    const terms = [l2 > 0 && "L2", l1 > 0 && "L1"].filter(Boolean).join(" + ");
    penaltyNote.textContent = penalty == null ? ""
      : terms ? `J = loss + ${terms} term ${formatNumber(penalty, 4)}` : "J = loss (no L2 or L1 term)";
  };

  const currentLr = root.querySelector("[data-role=current-lr]");
  const showLr = (f) => {
    const decaying = store.config.optimizer.decay > 0 && f?.learning_rate != null;
    currentLr.hidden = !decaying;
    if (decaying) currentLr.textContent = `now ${formatNumber(f.learning_rate, 4)}`;
  };

  store.on("frame", (f) => {
    if ((f.lane ?? 0) !== 0) return;
    showLr(f);
    field("cost-train").textContent = formatNumber(f.cost_train, 4);
    showLoss(f);
    field("cost-test").textContent = formatNumber(f.cost_test, 4);
    const regression = f.accuracy_train == null && f.rmse_train != null;
    field("accuracy-train").textContent = regression
      ? formatNumber(f.rmse_train, 4) : percent(f.accuracy_train);
    field("accuracy-test").textContent = regression
      ? formatNumber(f.rmse_test, 4) : percent(f.accuracy_test);
  });
  store.on("configured", clear);
  store.on("config", () => {
    setLabels();
    showLr(store.frames.get(0));
  });
}
