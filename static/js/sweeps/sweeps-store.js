// The sweeps page's state: options, the base config, the sweep being watched, the table order.
// An EventTarget: its own methods change the state and announce it; the views only render.

/** Value of a trial column used for sorting (params as text). */
const sortKey = (trial, column) => (column === "params" ? JSON.stringify(trial.params) : trial[column]);

export class SweepStore extends EventTarget {
  constructor(base) {
    super();
    this.options = null;
    this.base = base; // the TrainConfig the sweep varies
    this.view = null; // GET /api/sweeps/{id}
    this.errors = []; // a rejected request's detail list
    this.list = []; // earlier sweeps
    this.sort = { column: "value", ascending: true };
  }

  /** Dispatches `type` with the store as detail. */
  emit(type) {
    this.dispatchEvent(new CustomEvent(type, { detail: this }));
  }

  /** Subscribes a render function to an event. */
  on(type, render) {
    this.addEventListener(type, (event) => render(event.detail));
  }

  /** Replaces the base config (the playground's defaults when the link brought none). */
  setBase(config) {
    this.base = config;
    this.emit("base");
  }

  setOptions(options) {
    this.options = options;
    this.emit("options");
  }

  setView(view) {
    this.view = view;
    this.errors = [];
    this.emit("view");
  }

  setErrors(errors) {
    this.errors = errors;
    this.emit("errors");
  }

  setList(list) {
    this.list = list;
    this.emit("list");
  }

  /** Sorts by a column; the same column again reverses the order. */
  sortBy(column) {
    const ascending = this.sort.column === column ? !this.sort.ascending : true;
    this.sort = { column, ascending };
    this.emit("view");
  }

  /** The watched sweep's trials in the table's order (missing values last). */
  sortedTrials() {
    const { column, ascending } = this.sort;
    const trials = [...(this.view?.trials ?? [])];
    return trials.sort((a, b) => {
      const x = sortKey(a, column);
      const y = sortKey(b, column);
      if (x == null || y == null) return (x == null) - (y == null);
      return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
    });
  }

  /** Whether the watched sweep may still change. */
  get active() {
    return this.view != null && ["queued", "running"].includes(this.view.status);
  }
}
