"""descent.widget's inline ESM in Chromium, with a model as anywidget gives it (get, set, on,
save_changes) holding the traits of a real run: it draws the boundary, the points and the cost
curve without loading anything, and its controls write `playing` and `learning_rate`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import descent
import pytest

from tests.browser.playwright_api import Page
from tests.servers import served

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-h23")
TRAITS = ("boundary", "points", "extent", "costs", "iteration", "cost_train", "accuracy_train",
          "learning_rate", "playing", "state", "error", "frames")  # fmt: skip
MOUNT = """async ([esm, state]) => {
  window.saved = [];
  const handlers = {};
  const model = {
    get: (name) => state[name],
    set: (name, value) => {
      state[name] = value;
      (handlers[`change:${name}`] || []).forEach((f) => f());
    },
    on: (event, f) => { (handlers[event] = handlers[event] || []).push(f); },
    save_changes: () => window.saved.push(JSON.parse(JSON.stringify(state))),
  };
  window.model = model;
  const url = URL.createObjectURL(new Blob([esm], { type: "text/javascript" }));
  const widget = (await import(url)).default;
  const el = document.getElementById("widget");
  widget.render({ model, el });
}"""
INK = """(index) => {
  const canvas = document.querySelectorAll("#widget canvas")[index];
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) n += data[i] > 0;
  return n / (canvas.width * canvas.height);
}"""


@pytest.fixture(scope="module")
def finished(chromium_path: str) -> Iterator[tuple[descent.notebook.Widget, str]]:
    """A widget whose run of 300 iterations on moons is done (traits from real frames)."""
    import descent.notebook

    with served() as (base, _):
        live = descent.widget({"dataset": {"name": "moons", "samples": 150}}, 300, url=base,
                              speed=30)  # fmt: skip
        live.wait(60)
        yield live, base


def state_of(live: Any) -> dict[str, Any]:
    """The synced traits, as the front end's model holds them."""
    return json.loads(json.dumps({name: getattr(live, name) for name in TRAITS}))


@pytest.mark.parametrize("size", [(1400, 900), (1024, 768), (390, 844)])
def test_the_view_draws_the_run_and_its_controls_steer_it(page: Page, finished, size):
    live, _ = finished
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.set_content("<!doctype html><html><body><div id='widget'></div></body></html>")
    page.add_style_tag(content=live._css)
    page.evaluate(MOUNT, [live._esm, state_of(live)])
    page.wait_for_function("() => document.querySelectorAll('#widget canvas').length === 2")
    page.wait_for_function(f"() => ({INK})(0) > 0.9")  # the boundary fills its canvas
    assert page.evaluate(INK, 1) > 0.005  # the cost curve and its frame
    text = page.inner_text("#widget")
    assert "iteration 300" in text and "done" in text
    page.screenshot(path=str(SHOTS / f"widget-{size[0]}x{size[1]}.png"))
    assert page.is_disabled("#widget button")  # a finished run cannot be played on
    page.evaluate("() => window.model.set('state', 'paused')")
    page.click("#widget button")
    assert page.evaluate("() => window.saved.at(-1).playing") is (not live.playing)
    slide = "(e) => { e.value = -1; e.dispatchEvent(new Event('change')); }"
    page.eval_on_selector("#widget input[type=range]", slide)
    assert page.evaluate("() => window.saved.at(-1).learning_rate") == 0.1
