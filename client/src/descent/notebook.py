"""descent.widget(config): a live run in a notebook, as an anywidget (JupyterLab, Notebook 7,
VS Code, Colab-like front ends). The decision boundary and the cost curve redraw with every
frame; play, pause and the learning rate steer the run. Its JavaScript is inline (ESM, no
import, no CDN), so it works offline. Needs `pip install 'descent-client[widget]'`."""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from typing import Any

import anywidget
import traitlets

from descent.client import Client
from descent.frames import Frame
from descent.stream import Stream

MAX_CURVE_POINTS = 600  # the cost curve the page draws: every k-th cost, k doubling as needed

ESM = r"""
const COLOURS = [[245, 147, 34], [8, 119, 189], [60, 170, 90], [200, 60, 60],
                 [140, 90, 190], [120, 120, 120], [230, 120, 190], [40, 190, 190]];

async function bytesOf(text) {
  const raw = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const stream = new Blob([raw]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function colourOf(values, planes, classes) {
  if (planes > 1) {  // K >= 3 classes: the a_k-weighted mean of the class colours
    const mix = [0, 0, 0];
    values.forEach((a, k) => { for (let c = 0; c < 3; c++) mix[c] += a * COLOURS[k][c]; });
    return mix;
  }
  const a = values[0];  // P(class 1), or the regression output scaled to [0, 1]
  return [0, 1, 2].map((c) => (1 - a) * COLOURS[0][c] + a * COLOURS[1][c]);
}

async function drawBoundary(canvas, model) {
  const grid = model.get("boundary");
  const context = canvas.getContext("2d");
  context.clearRect(0, 0, canvas.width, canvas.height);
  if (grid && grid.data) {
    const r = grid.resolution, planes = grid.planes || 1;
    const bytes = await bytesOf(grid.data);
    const image = context.createImageData(r, r);
    for (let i = 0; i < r * r; i++) {
      const values = [];
      for (let p = 0; p < planes; p++) values.push(bytes[p * r * r + i] / 255);
      const [red, green, blue] = colourOf(values, planes, grid.classes);
      image.data.set([0.35 * red + 165, 0.35 * green + 165, 0.35 * blue + 165, 255], 4 * i);
    }
    const small = new OffscreenCanvas(r, r);
    small.getContext("2d").putImageData(image, 0, 0);
    context.imageSmoothingEnabled = true;
    context.drawImage(small, 0, 0, canvas.width, canvas.height);
  }
  const points = model.get("points"), extent = model.get("extent");
  if (!points || !points.x || extent.length !== 4) return;
  const [x0, x1, y0, y1] = extent;
  const low = Math.min(...points.y), high = Math.max(...points.y);
  points.x.forEach(([a, b], i) => {
    const label = points.y[i];
    const colour = points.classes ? COLOURS[label % COLOURS.length]
      : colourOf([(label - low) / ((high - low) || 1)], 1, null);
    context.beginPath();
    context.arc((a - x0) / (x1 - x0) * canvas.width, (y1 - b) / (y1 - y0) * canvas.height,
                3, 0, 2 * Math.PI);
    context.fillStyle = `rgb(${colour.map(Math.round).join(",")})`;
    context.fill();
    context.strokeStyle = "white";
    context.stroke();
  });
}

function drawCurve(canvas, model) {
  const costs = model.get("costs").filter((c) => c !== null && c > 0);
  const context = canvas.getContext("2d");
  context.clearRect(0, 0, canvas.width, canvas.height);
  context.strokeStyle = "#bbb";
  context.strokeRect(0.5, 0.5, canvas.width - 1, canvas.height - 1);
  if (costs.length < 2) return;
  const logs = costs.map(Math.log10);
  const top = Math.max(...logs), bottom = Math.min(...logs), span = (top - bottom) || 1;
  context.beginPath();
  logs.forEach((v, i) => {
    const x = 4 + i / (logs.length - 1) * (canvas.width - 8);
    const y = 4 + (top - v) / span * (canvas.height - 8);
    i ? context.lineTo(x, y) : context.moveTo(x, y);
  });
  context.strokeStyle = "#0877bd";
  context.lineWidth = 1.5;
  context.stroke();
  context.fillStyle = "#555";
  context.font = "11px sans-serif";
  context.textAlign = "right";
  context.fillText(`cost ${costs[costs.length - 1].toPrecision(4)} (log scale)`,
                   canvas.width - 8, 14);
}

function render({ model, el }) {
  el.classList.add("descent-widget");
  const boundary = Object.assign(document.createElement("canvas"), { width: 260, height: 260 });
  const curve = Object.assign(document.createElement("canvas"), { width: 300, height: 140 });
  const button = document.createElement("button");
  const slider = Object.assign(document.createElement("input"),
                               { type: "range", min: -4, max: 1, step: 0.01 });
  const rate = document.createElement("span");
  const figures = document.createElement("div");
  const side = document.createElement("div");
  const controls = document.createElement("div");
  controls.append(button, " learning rate ", slider, rate);
  side.append(curve, figures, controls);
  el.append(boundary, side);

  const update = () => {
    const state = model.get("state"), playing = model.get("playing");
    button.textContent = playing ? "Pause" : "Play";
    button.disabled = ["done", "diverged", "error", "closed"].includes(state);
    const lr = model.get("learning_rate");
    slider.value = Math.log10(lr);
    rate.textContent = ` ${lr.toPrecision(3)}`;
    const accuracy = model.get("accuracy_train");
    figures.textContent = `iteration ${model.get("iteration")} · cost ${
      (model.get("cost_train") ?? NaN).toPrecision(4)}` +
      (accuracy === null ? "" : ` · accuracy ${(100 * accuracy).toFixed(1)}%`) +
      ` · ${model.get("error") || state}`;
  };
  button.addEventListener("click", () => {
    model.set("playing", !model.get("playing"));
    model.save_changes();
  });
  slider.addEventListener("change", () => {
    model.set("learning_rate", Number((10 ** Number(slider.value)).toPrecision(3)));
    model.save_changes();
  });
  model.on("change:boundary", () => drawBoundary(boundary, model));
  model.on("change:points", () => drawBoundary(boundary, model));
  model.on("change:costs", () => drawCurve(curve, model));
  for (const name of ["iteration", "state", "playing", "learning_rate", "error"]) {
    model.on(`change:${name}`, update);
  }
  update();
  drawBoundary(boundary, model);
  drawCurve(curve, model);
}

export default { render };
"""

CSS = """
.descent-widget { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start;
                  font: 13px sans-serif; }
.descent-widget canvas { border: 1px solid #ddd; border-radius: 4px; }
.descent-widget button { min-width: 5em; margin: 6px 6px 0 0; }
"""


class Widget(anywidget.AnyWidget):
    """A live run in a notebook: the boundary and the cost curve redraw with each frame; the
    Play/Pause button and the learning-rate slider steer it (`playing` and `learning_rate`
    may be set from Python too). `frames` counts the frames received; `wait()` blocks until a
    run of `iterations` is done."""

    _esm = traitlets.Unicode(ESM).tag(sync=True)
    _css = traitlets.Unicode(CSS).tag(sync=True)
    boundary = traitlets.Dict(allow_none=True, default_value=None).tag(sync=True)
    points = traitlets.Dict().tag(sync=True)
    extent = traitlets.List(traitlets.Float()).tag(sync=True)
    costs = traitlets.List().tag(sync=True)
    iteration = traitlets.Int(0).tag(sync=True)
    cost_train = traitlets.Float(None, allow_none=True).tag(sync=True)
    accuracy_train = traitlets.Float(None, allow_none=True).tag(sync=True)
    learning_rate = traitlets.Float(1.0).tag(sync=True)
    playing = traitlets.Bool(False).tag(sync=True)
    state = traitlets.Unicode("connecting").tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)
    frames = traitlets.Int(0).tag(sync=True)

    def __init__(self, stream: Stream, learning_rate: float) -> None:
        super().__init__(learning_rate=learning_rate, playing=True)
        self.stream = stream
        self.every = 1  # keep every k-th training cost for the curve
        self.kept: list[float | None] = []
        self.seen = 0
        self.last: Frame | None = None
        self.failure: BaseException | None = None
        self.steering = threading.Lock()
        self.closing = threading.Event()
        self.observe(self.on_playing, "playing")
        self.observe(self.on_learning_rate, "learning_rate")
        self.thread = threading.Thread(target=self.run, name="descent-widget", daemon=True)
        self.thread.start()

    def run(self) -> None:
        """Receive the stream's frames (lane 0) into the traits until the run ends."""
        try:
            for frame in self.stream:
                if frame.lane == 0:
                    self.show(frame)
            final = self.last.diverged if self.last is not None else None
            self.set_state("diverged" if final else "done", playing=False)
        except Exception as error:  # shown in the widget; wait() raises it
            if self.closing.is_set():
                return  # close() ended the socket under the loop
            self.failure = error
            self.set_state("error", playing=False, error=str(error)[:300])

    def set_state(self, state: str, **traits: Any) -> None:
        """Change the state (and other traits) in one message."""
        with self.hold_sync():
            self.state = state
            for name, value in traits.items():
                setattr(self, name, value)

    def show(self, frame: Frame) -> None:
        """One frame's figures, boundary and costs into the traits (one comm message)."""
        configured = self.stream.configured or {}
        with self.hold_sync():
            if not self.points and configured:
                train = configured["train"]
                self.points = {"x": train["x"], "y": train["y"], "classes": configured["classes"]}
                self.extent = [float(v) for v in configured["extent"]]
            self.add_costs(frame.costs)
            if frame.raw.get("boundary"):
                self.boundary = frame.raw["boundary"]
            self.iteration = frame.iteration
            self.cost_train = finite(frame.cost_train)
            self.accuracy_train = finite(frame.accuracy_train)
            self.frames += 1
            if self.state == "connecting":
                self.state = "running" if self.playing else "paused"
        self.last = frame

    def add_costs(self, costs: list[float | None]) -> None:
        """Keep every k-th cost (k doubles whenever the curve would pass MAX_CURVE_POINTS)."""
        for cost in costs:
            if self.seen % self.every == 0:
                self.kept.append(cost)
            self.seen += 1
        while len(self.kept) > MAX_CURVE_POINTS:
            self.kept, self.every = self.kept[::2], self.every * 2
        self.costs = list(self.kept)

    def on_playing(self, change: dict[str, Any]) -> None:
        """The Play/Pause button (or Python) changed `playing`: tell the server."""
        if self.state in ("done", "diverged", "error", "closed"):
            return
        with self.steering:
            (self.stream.play if change["new"] else self.stream.pause)()
        self.state = "running" if change["new"] else "paused"

    def on_learning_rate(self, change: dict[str, Any]) -> None:
        """The slider (or Python) changed the learning rate: a live change, no reset."""
        if self.state in ("connecting", "done", "diverged", "error", "closed"):
            return
        with self.steering:
            self.stream.set(learning_rate=float(change["new"]))

    def wait(self, timeout: float | None = None) -> Widget:
        """Block until the run ends (a run of `iterations`, or after close()); raises the
        error that stopped it, TimeoutError when `timeout` seconds pass first."""
        self.thread.join(timeout)
        if self.thread.is_alive():
            raise TimeoutError(f"the live run is still going after {timeout} s")
        if self.failure is not None:
            raise self.failure
        return self

    @property
    def frame(self) -> Frame | None:
        """The last frame received (exact once a run of `iterations` is done)."""
        return self.last

    def close(self) -> None:
        """End the live run and the widget."""
        self.closing.set()
        self.stream.close()
        self.set_state("closed", playing=False)
        super().close()


def finite(value: float | None) -> float | None:
    """The number, or None for a missing or non-finite one."""
    return value if value is not None and math.isfinite(value) else None


def widget(
    config: Mapping[str, Any] | None = None,
    iterations: int | None = None,
    *,
    url: str | None = None,
    token: str | None = None,
    client: Client | None = None,
    speed: int | None = None,
) -> Widget:
    """A live run of `config` on the server at `url` (or `client`'s), shown as a notebook
    widget: `iterations` makes exactly that many updates (the last frame's numbers are
    train()'s), None trains until paused; `speed` is the iterations between two frames."""
    owner = client or Client(url or "http://127.0.0.1:8000", token=token)
    try:
        filled = owner.config(config or {})
        stream = owner.stream(filled, iterations, speed=speed)
    finally:
        if client is None:  # its HTTP connections were only for the defaults
            owner.close()
    return Widget(stream, float(filled["optimizer"]["learning_rate"]))
