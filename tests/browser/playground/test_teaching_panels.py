"""The teaching panels in a real Chromium against the real server: race, gradient check,
equations, activation explorer, lessons, and saving/loading weights."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import (
    BLUE,
    LANES,
    ORANGE,
    OUTPUT,
    RED,
    SLOW,
    Server,
    coloured,
    open_playground,
    wait_for_coloured,
    wait_for_iteration_above,
    wait_for_number_above,
)
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser

# Every typeset equation keeps its TeX source in data-tex: what KaTeX was asked to write.
TEX = """() => [...document.querySelectorAll('[data-testid=equations] [data-tex]')]
  .map((e) => e.dataset.tex)"""


def wait_for_tex(page: Page, fragment: str) -> None:
    """Wait until some equation's TeX source contains fragment."""
    page.wait_for_function(f"(f) => ({TEX})().some((t) => t.includes(f))", arg=fragment)


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
    expect(page.get_by_test_id("race-state")).to_contain_text("from the same initial weights")
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
    wait_for_coloured(page, "race-chart", BLUE, 50)
    wait_for_coloured(page, "race-chart", ORANGE, 50)
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
    # a lane without hidden layers cannot start from the others' weights, and the page says so
    expect(page.get_by_test_id("race-state")).to_have_text(
        "Racing 3 lanes: GD, Adam start from the same initial weights; "
        "Momentum draws its own (other layers or initializer)."
    )
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
    wait_for_tex(page, "1 - (A^{[1]})^2")  # tanh' written with A
    page.get_by_test_id("add-layer").click()
    expect(page.get_by_test_id("equations-shape-W2")).to_contain_text("(2, 4)")
    expect(page.get_by_test_id("equations-shape-W3")).to_contain_text("(1, 2)")
    expect(page.get_by_test_id("equations-shape-W3")).to_contain_text("layer 2 has 2 units")

    page.get_by_test_id("optimizer").select_option("adam")
    page.get_by_test_id("l2").fill("0.7")
    page.get_by_test_id("keep-prob").fill("0.8")
    wait_for_tex(page, "\\frac{0.7}{m} W^{[3]}")
    wait_for_tex(page, "D^{[1]} = (\\operatorname{rand}(4, m) < 0.8)")
    wait_for_tex(page, "/ 0.8")
    expect(equations).to_contain_text("bias correction")
    wait_for_tex(page, "1 - 0.999^{t}")


KATEX_LOADED = """() => performance.getEntriesByType("resource")
    .some((entry) => entry.name.includes("katex.mjs"))"""


def test_equations_are_typeset_with_katex_in_the_networks_shapes(page: Page, server: Server):
    open_playground(page, server)
    shape = page.get_by_test_id("equations-shape-W1")
    assert not page.evaluate(KATEX_LOADED), "KaTeX waits until a maths panel is seen"
    shape.scroll_into_view_if_needed()
    expect(shape.locator(".katex")).to_have_count(1)
    assert page.evaluate(KATEX_LOADED)
    expect(shape.locator(".katex-html")).to_be_visible()
    # KaTeX's MathML says what the picture shows: W[1] is a 4 x 2 real matrix.
    mathml = shape.locator(".katex-mathml annotation").text_content()
    assert "W^{[1]} \\in \\mathbb{R}^{4 \\times 2}" in mathml
    box = shape.locator(".katex-html").bounding_box()
    assert box["width"] > 60 and box["height"] > 10  # typeset, not an error message
    expect(page.get_by_test_id("equations").locator(".katex-error")).to_have_count(0)
    page.get_by_test_id("add-neuron-1").click()
    expect(shape.locator(".katex-mathml annotation")).to_contain_text("\\mathbb{R}^{5 \\times 2}")


def test_activation_explorer_plots_the_curve_and_the_gradient_norms(page: Page, server: Server):
    open_playground(page, server)
    plot = page.get_by_test_id("activation-plot")
    expect(plot).to_have_attribute("data-activation", "tanh")
    assert coloured(page, "activation-plot", BLUE) > 50
    expect(page.get_by_test_id("linear-note")).to_be_hidden()
    page.get_by_test_id("play").click()
    wait_for_iteration_above(page, 100)
    page.get_by_test_id("play").click()
    wait_for_coloured(page, "grad-norm-chart", RED, 20)
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
    open_playground(page, server, "#hidden=8,8,8,8,8,8&activation=sigmoid&init=xavier&speed=1")
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
        if n > 1:  # the result is in the race: the lesson points there
            expect(page.get_by_test_id("lesson-to-race")).to_be_visible()
        wait_for_number_above(page, "race-iteration-0", 0)
    page.get_by_test_id("lesson-to-race").click()
    expect(page.get_by_test_id("race-panel")).to_be_in_viewport()
    page.get_by_test_id("race-stop").click()
    page.wait_for_function(f"() => ({LANES})() === 1")


def test_download_then_load_continues_from_the_same_weights(
    page: Page, server: Server, tmp_path: Path
):
    open_playground(page, server)
    page.get_by_test_id("play").click()
    wait_for_iteration_above(page, 300)
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
    # What a person sees in it: both lanes' cost curves, each in its lane's colour.
    assert coloured(page, "race-chart", BLUE) > 50
    assert coloured(page, "race-chart", ORANGE) > 50
    page.get_by_test_id("race-stop").click()
    page.wait_for_function(f"() => ({LANES})() === 1")


def test_the_page_loads_nothing_from_elsewhere_and_katex_has_its_fonts(page: Page, server: Server):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    open_playground(page, server)
    page.get_by_test_id("equations").scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.fonts].some((f) => f.family === 'KaTeX_Main' && f.status === 'loaded')"
    )
    origin = server.url.rstrip("/")
    elsewhere = [url for url in requests if not url.startswith((origin, "ws://127.0.0.1", "data:"))]
    assert elsewhere == []
    assert any("/static/vendor/uplot/uPlot.esm.js" in url for url in requests)
    assert any("/static/vendor/katex/fonts/" in url for url in requests)


def test_a_gradient_check_too_large_to_run_says_so_in_its_panel(page: Page, server: Server):
    open_playground(page, server, "#hidden=64,64,64")
    page.get_by_test_id("gradcheck-run").click()
    verdict = page.get_by_test_id("gradcheck-verdict")
    expect(verdict).to_contain_text("The check could not run")
    expect(verdict).to_contain_text("at most 5000 parameters")
    expect(verdict).to_have_class(re.compile("bad"))
    expect(page.get_by_test_id("gradcheck-run")).to_be_enabled()


def test_a_weights_file_with_a_wrong_shape_changes_nothing_and_says_why(
    page: Page, server: Server, tmp_path: Path
):
    open_playground(page, server, "#learning_rate=0.3")
    before = page.evaluate("() => window.descent.store.configured.lanes[0].config")
    url = page.url
    doc = {
        "config": {"dataset": {"name": "moons"}, "network": {"hidden": [4]}},
        "weights": {"W1": [[0.1, 0.2, 0.3]], "b1": [[0.0]]},  # W1 should be 4 x 2
        "iteration": 7,
    }
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    page.get_by_test_id("import").set_input_files(str(bad))
    status = page.get_by_test_id("transfer-status")
    expect(status).to_contain_text("Could not load bad.json, nothing changed")
    expect(status).to_contain_text("W1")
    expect(status).not_to_contain_text("Loaded")
    expect(page.get_by_test_id("dataset-flower")).to_have_attribute("aria-pressed", "true")
    assert page.url == url
    assert page.evaluate("() => window.descent.store.configured.lanes[0].config") == before
