"""The teaching panels in a real Chromium against the real server: race, gradient check,
equations, activation explorer, lessons, and saving/loading weights."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import OUTPUT, Server
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser

READY = "() => window.descent && window.descent.store.configured !== null"
LANES = "() => window.descent.store.configured.lanes.length"
COLOURED_PIXELS = """([id, rgb]) => {
  const c = document.querySelector(`[data-testid="${id}"]`);
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    const r = Math.abs(d[i] - rgb[0]), g = Math.abs(d[i + 1] - rgb[1]);
    if (d[i + 3] > 200 && r + g + Math.abs(d[i + 2] - rgb[2]) < 60) n++;
  }
  return n;
}"""
BLUE = [8, 119, 189]  # lane 0 / g(z)
ORANGE = [232, 113, 10]  # lane 1 / layer 2
RED = [179, 38, 30]  # layer 1 in the gradient-norm chart
SLOW = 20_000  # ms for expectations that wait on training (the machine may be busy)


def open_playground(page: Page, server: Server, fragment: str = "") -> None:
    """Load the page and wait until the server has configured the session."""
    page.goto(server.url + fragment)
    page.wait_for_function(READY)
    expect(page.get_by_test_id("connection")).to_have_attribute("data-state", "open")


def number(page: Page, testid: str) -> float:
    """The number shown by an element (first number in its text)."""
    text = page.get_by_test_id(testid).text_content() or ""
    match = re.search(r"-?\d+(\.\d+)?(e-?\d+)?", text)
    assert match, f"{testid} shows no number: {text!r}"
    return float(match.group(0))


def wait_for_number_above(page: Page, testid: str, value: float) -> None:
    """Wait until the element's number exceeds value."""
    page.wait_for_function(
        """([id, v]) => {
          const t = document.querySelector(`[data-testid="${id}"]`)?.textContent ?? "";
          const n = parseFloat(t);
          return Number.isFinite(n) && n > v;
        }""",
        arg=[testid, value],
    )


def coloured(page: Page, testid: str, rgb: list[int]) -> int:
    """How many pixels of a canvas are close to a colour."""
    return int(page.evaluate(COLOURED_PIXELS, [testid, rgb]))


def fetch_lessons(server: Server) -> list[dict]:
    """GET /api/lessons."""
    with urllib.request.urlopen(f"{server.url}api/lessons", timeout=10) as response:
        return json.load(response)["lessons"]


def start_gd_vs_adam(page: Page) -> None:
    """Pick GD (α 1.2) against Adam (α 0.01) and press Race."""
    page.get_by_test_id("race-optimizer-0").select_option("gd")
    page.get_by_test_id("race-lr-0").fill("1.2")
    page.get_by_test_id("race-optimizer-1").select_option("adam")
    page.get_by_test_id("race-lr-1").fill("0.01")
    page.get_by_test_id("race-start").click()
    page.wait_for_function(f"() => ({LANES})() === 2")


def test_race_runs_gd_against_adam_and_stop_returns_to_one_lane(page: Page, server: Server):
    open_playground(page, server)
    expect(page.get_by_test_id("race-panel")).to_be_visible()
    expect(page.get_by_test_id("race-lane-0")).to_be_visible()
    expect(page.get_by_test_id("race-lane-1")).to_be_visible()
    expect(page.get_by_test_id("race-lane-2")).to_have_count(0)
    start_gd_vs_adam(page)
    labels = page.evaluate("() => window.descent.store.configured.lanes.map((l) => l.label)")
    assert labels == ["GD", "Adam"]
    configs = page.evaluate(
        "() => window.descent.store.configured.lanes.map((l) => l.config.optimizer)"
    )
    assert [c["name"] for c in configs] == ["gd", "adam"]
    assert [c["learning_rate"] for c in configs] == [1.2, 0.01]
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "true", timeout=SLOW)
    wait_for_number_above(page, "race-iteration-0", 200)
    wait_for_number_above(page, "race-iteration-1", 200)
    for lane in (0, 1):
        cost = page.get_by_test_id(f"race-cost-{lane}")
        expect(cost).to_have_text(re.compile(r"^\d"), timeout=SLOW)
    # GD with α = 1.2 on the flower gets below 0.3 within a few hundred iterations.
    expect(page.get_by_test_id("race-reached-0")).to_have_text(re.compile(r"^\d+$"), timeout=SLOW)
    page.wait_for_function(f"() => ({COLOURED_PIXELS})(['race-chart', {BLUE}]) > 50")
    page.wait_for_function(f"() => ({COLOURED_PIXELS})(['race-chart', {ORANGE}]) > 50")
    expect(page.get_by_test_id("race-legend")).to_contain_text("GD")
    expect(page.get_by_test_id("race-legend")).to_contain_text("Adam")
    assert coloured(page, "race-boundary-1", ORANGE) + coloured(page, "race-boundary-1", BLUE) > 0

    page.get_by_test_id("race-stop").click()
    page.wait_for_function(f"() => ({LANES})() === 1")
    expect(page.get_by_test_id("race-result-0")).to_have_count(0)
    expect(page.get_by_test_id("race-stop")).to_be_disabled()
    expect(page.get_by_test_id("iteration")).to_have_text("0")


def test_race_lanes_can_be_added_up_to_four_and_removed(page: Page, server: Server):
    open_playground(page, server)
    add = page.get_by_test_id("race-add-lane")
    add.click()
    add.click()
    expect(page.get_by_test_id("race-lane-3")).to_be_visible()
    expect(add).to_be_disabled()
    expect(page.get_by_test_id("race-optimizer-2")).to_have_value("momentum")
    expect(page.get_by_test_id("race-optimizer-3")).to_have_value("rmsprop")
    page.get_by_test_id("race-remove-3").click()
    expect(page.get_by_test_id("race-lane-3")).to_have_count(0)
    expect(add).to_be_enabled()
    page.get_by_test_id("race-hidden-2").fill("none")
    page.get_by_test_id("race-target").fill("0.5")
    page.get_by_test_id("race-start").click()
    page.wait_for_function(f"() => ({LANES})() === 3")
    sizes = page.evaluate("() => window.descent.store.configured.lanes.map((l) => l.layer_sizes)")
    assert sizes == [[2, 4, 1], [2, 4, 1], [2, 1]]
    page.get_by_test_id("race-stop").click()
    page.wait_for_function(f"() => ({LANES})() === 1")


def test_gradient_check_says_correct_for_the_default_network(page: Page, server: Server):
    open_playground(page, server)
    page.get_by_test_id("step").click()
    page.get_by_test_id("gradcheck-run").click()
    verdict = page.get_by_test_id("gradcheck-verdict")
    expect(verdict).to_contain_text("correct", timeout=SLOW)
    expect(verdict).not_to_contain_text("look closer")
    difference = float(re.search(r"relative difference (\S+)", verdict.text_content()).group(1))
    assert 0 <= difference < 1e-7
    result = page.get_by_test_id("gradcheck-result")
    for name in ("W1", "b1", "W2", "b2"):
        row = result.get_by_test_id(f"gradcheck-{name}")
        expect(row).to_have_class(re.compile("good|warn"))  # tiny gradients: a little noisier
        expect(row).to_contain_text(re.compile(r"\de-"))


def test_equations_show_the_shapes_and_follow_an_added_layer(page: Page, server: Server):
    open_playground(page, server)
    equations = page.get_by_test_id("equations")
    expect(page.get_by_test_id("equations-shape-W1")).to_contain_text("(4, 2)")
    expect(page.get_by_test_id("equations-shape-W1")).to_contain_text("the input has 2 features")
    expect(page.get_by_test_id("equations-shape-W2")).to_contain_text("(1, 4)")
    expect(page.get_by_test_id("equations-shape-W3")).to_have_count(0)
    expect(equations).to_contain_text("tanh")
    expect(equations).to_contain_text("m = 400")
    expect(equations).to_contain_text("1 − (A[1])2")  # tanh' written with A
    page.get_by_test_id("add-layer").click()
    expect(page.get_by_test_id("equations-shape-W2")).to_contain_text("(2, 4)")
    expect(page.get_by_test_id("equations-shape-W3")).to_contain_text("(1, 2)")
    expect(page.get_by_test_id("equations-shape-W3")).to_contain_text("layer 2 has 2 units")

    page.get_by_test_id("optimizer").select_option("adam")
    page.get_by_test_id("l2").fill("0.7")
    page.get_by_test_id("keep-prob").fill("0.8")
    expect(equations).to_contain_text("(0.7/m) W[3]")
    expect(equations).to_contain_text("D[1] = (rand")
    expect(equations).to_contain_text("/ 0.8")
    expect(equations).to_contain_text("bias correction")
    expect(equations).to_contain_text("1 − 0.999t")


def test_activation_explorer_plots_the_curve_and_the_gradient_norms(page: Page, server: Server):
    open_playground(page, server)
    plot = page.get_by_test_id("activation-plot")
    expect(plot).to_have_attribute("data-activation", "tanh")
    assert coloured(page, "activation-plot", BLUE) > 50
    expect(page.get_by_test_id("linear-note")).to_be_hidden()
    page.get_by_test_id("play").click()
    page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=iteration]').textContent) > 100"
    )
    page.get_by_test_id("play").click()
    page.wait_for_function(f"() => ({COLOURED_PIXELS})(['grad-norm-chart', {RED}]) > 20")
    expect(page.get_by_test_id("grad-norm-legend")).to_contain_text("dW[2]")

    page.get_by_test_id("activation").select_option("linear")
    expect(plot).to_have_attribute("data-activation", "linear")
    expect(page.get_by_test_id("linear-note")).to_be_visible()
    expect(page.get_by_test_id("linear-note")).to_contain_text("straight line")
    page.get_by_test_id("activation").select_option("relu")
    expect(plot).to_have_attribute("data-activation", "relu")
    expect(page.get_by_test_id("linear-note")).to_be_hidden()


def test_a_deep_sigmoid_network_starves_its_first_layer_and_relu_does_not(
    page: Page, server: Server
):
    open_playground(page, server, "#hidden=8,8,8,8,8,8&activation=sigmoid&init=xavier")
    page.get_by_test_id("step").click()
    insight = page.get_by_test_id("grad-norm-insight")
    expect(insight).to_contain_text("At the first update")
    expect(insight).to_contain_text("starving")
    page.goto(server.url + "#hidden=8,8,8,8,8,8&activation=relu&init=he&learning_rate=0.05")
    page.wait_for_function(
        "() => window.descent.store.configured.lanes[0].config.network.activation === 'relu'"
    )
    page.get_by_test_id("step").click()
    expect(insight).to_contain_text("reaches the first layer")
    expect(page.get_by_test_id("grad-norm-legend")).to_contain_text("dW[7]")


def test_a_learned_leaky_slope_is_shown(page: Page, server: Server):
    fragment = "#activation=leaky_relu&learn_slope=1&leaky_slope=0.2&init=he&learning_rate=0.1"
    open_playground(page, server, fragment)
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("learned-slopes")).to_contain_text("layer 1")
    expect(page.get_by_test_id("activation-name")).to_contain_text("learned")
    plot = page.get_by_test_id("activation-plot")
    expect(plot).to_have_attribute("data-activation", "leaky_relu")


def test_each_lesson_loads_its_config_and_races_its_lanes(page: Page, server: Server):
    lessons = fetch_lessons(server)
    assert lessons
    open_playground(page, server)
    menu = page.get_by_test_id("lesson-menu")
    expect(menu.locator("option")).to_have_count(len(lessons) + 1)
    for lesson in lessons:
        expect(page.get_by_test_id(f"lesson-{lesson['name']}")).to_have_count(1)
        menu.select_option(lesson["name"])
        info = page.get_by_test_id("lesson-info")
        expect(info).to_contain_text(lesson["title"])
        expect(info).to_contain_text(lesson["watch"][:40])
        config = lesson["lanes"][0]["config"]
        expect(page.get_by_test_id(f"dataset-{config['dataset']['name']}")).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(page.get_by_test_id("activation")).to_have_value(config["network"]["activation"])
        expect(page.get_by_test_id("optimizer")).to_have_value(config["optimizer"]["name"])
        expect(page.get_by_test_id("init")).to_have_value(config["network"]["init"])
        rate = float(page.get_by_test_id("learning-rate").input_value())
        assert rate == pytest.approx(config["optimizer"]["learning_rate"])
        hidden = ",".join(str(n) for n in config["network"]["hidden"])
        page.wait_for_url(re.compile(rf"[#&]hidden={re.escape(hidden)}(&|$)"))
        n = len(lesson["lanes"])
        page.wait_for_function(
            """([n, labels]) => {
              const lanes = window.descent.store.configured.lanes;
              return lanes.length === n && lanes.every((l, i) => l.label === labels[i]);
            }""",
            arg=[n, [lane["label"] for lane in lesson["lanes"]]],
        )
        for i in range(n):
            expect(page.get_by_test_id(f"race-lane-{i}")).to_be_visible()
            expect(page.get_by_test_id(f"race-result-{i}")).to_be_visible()
        expect(page.get_by_test_id("race-until")).to_have_value(str(lesson["iterations"]))
        wait_for_number_above(page, "race-iteration-0", 0)
    page.get_by_test_id("race-stop").click()
    page.wait_for_function(f"() => ({LANES})() === 1")


def test_download_then_load_continues_from_the_same_weights(
    page: Page, server: Server, tmp_path: Path
):
    open_playground(page, server)
    page.get_by_test_id("play").click()
    page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=iteration]').textContent) > 300"
    )
    page.get_by_test_id("play").click()
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    page.wait_for_timeout(300)  # the settled (exact) frame after the pause
    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    saved = tmp_path / "run.json"
    info.value.save_as(saved)
    doc = json.loads(saved.read_text())
    assert doc["iteration"] > 300
    assert doc["config"]["network"]["hidden"] == [4]
    assert set(doc["weights"]) == {"W1", "b1", "W2", "b2"}

    page.get_by_test_id("reset").click()
    expect(page.get_by_test_id("iteration")).to_have_text("0")
    page.wait_for_function("() => window.descent.store.frames.get(0)?.iteration === 0")
    fresh = page.evaluate("() => window.descent.store.frames.get(0).weights.W1")
    assert fresh != doc["weights"]["W1"]

    page.get_by_test_id("import").set_input_files(str(saved))
    expect(page.get_by_test_id("transfer-status")).to_contain_text("Loaded")
    page.wait_for_function(
        """(w) => {
          const f = window.descent.store.frames.get(0);
          return f && f.iteration === 0 && JSON.stringify(f.weights.W1) === JSON.stringify(w);
        }""",
        arg=doc["weights"]["W1"],
    )
    expect(page.get_by_test_id("iteration")).to_have_text("0")
    loaded = page.evaluate("() => window.descent.store.frames.get(0)")
    assert loaded["weights"] == doc["weights"]
    assert loaded["cost_train"] < 0.6  # trained weights, not fresh ones (cost ~0.693)


def test_screenshot_of_the_teaching_panels(page: Page, server: Server):
    open_playground(page, server)
    start_gd_vs_adam(page)
    wait_for_number_above(page, "race-iteration-1", 1500)
    page.get_by_test_id("gradcheck-run").click()
    expect(page.get_by_test_id("gradcheck-verdict")).to_contain_text("difference")
    OUTPUT.mkdir(exist_ok=True)
    page.get_by_test_id("teaching").screenshot(path=str(OUTPUT / "teaching.png"))
    page.get_by_test_id("race-stop").click()
    page.wait_for_function(f"() => ({LANES})() === 1")


def test_hide_flags_hide_teaching_panels(page: Page, server: Server):
    open_playground(page, server, "#hide=race,gradcheck")
    expect(page.get_by_test_id("race-panel")).to_be_hidden()
    expect(page.get_by_test_id("gradcheck-panel")).to_be_hidden()
    expect(page.get_by_test_id("equations")).to_be_visible()
    expect(page.get_by_test_id("lesson-menu")).to_be_visible()
