"""The playground page in a real Chromium against the real server."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import (
    BLUE,
    CLASS_0,
    OUTPUT,
    READY,
    Server,
    coloured,
    open_playground,
    wait_for_hash,
    wait_for_iteration_above,
)
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser

BOUNDARY_PIXELS = "() => document.querySelector('[data-testid=boundary]').toDataURL()"
COST_PIXELS = "() => document.querySelector('[data-testid=cost-chart]').toDataURL()"
LEGEND_VALUES = """() => [...document.querySelectorAll('[data-testid=cost-legend] tr')]
  .map((row) => [row.querySelector('th'), row.querySelector('td')])
  .map(([label, value]) => [label?.textContent.trim(), value?.textContent.trim()])"""


def test_play_advances_the_iteration_and_redraws_the_boundary(page: Page, server: Server):
    open_playground(page, server)
    before = page.evaluate(BOUNDARY_PIXELS)
    page.get_by_test_id("play").click()
    wait_for_iteration_above(page, 50)
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "true")
    page.wait_for_function(f"(b) => ({BOUNDARY_PIXELS})() !== b", arg=before)
    page.get_by_test_id("play").click()
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_test_id("cost-train")).not_to_have_text("–")
    expect(page.get_by_test_id("accuracy-train")).to_have_text(re.compile(r"%$"))


def test_adam_shows_beta1_beta2_epsilon_and_hides_beta(page: Page, server: Server):
    open_playground(page, server)
    page.get_by_test_id("optimizer").select_option("momentum")
    expect(page.get_by_test_id("optimizer-param-beta")).to_be_visible()
    expect(page.get_by_test_id("optimizer-param-beta1")).to_have_count(0)
    page.get_by_test_id("optimizer").select_option("adam")
    for name in ("beta1", "beta2"):
        expect(page.get_by_test_id(f"optimizer-param-{name}")).to_be_visible()
    expect(page.get_by_test_id("optimizer-param-epsilon")).to_be_hidden()  # rarely changed
    page.get_by_test_id("advanced").click()
    expect(page.get_by_test_id("optimizer-param-epsilon")).to_be_visible()
    expect(page.get_by_test_id("optimizer-param-beta")).to_have_count(0)
    page.get_by_test_id("optimizer").select_option("gd")
    expect(page.locator("[data-testid^=optimizer-param-]")).to_have_count(0)


def test_add_layer_draws_one_more_layer(page: Page, server: Server):
    open_playground(page, server)
    layers = page.get_by_test_id("network").locator("[data-testid^=add-neuron-]")
    count = layers.count()
    page.get_by_test_id("add-layer").click()
    expect(layers).to_have_count(count + 1)
    page.get_by_test_id("add-neuron-1").click()
    wait_for_hash(page, "hidden=5,2")
    page.get_by_test_id("remove-layer").click()
    expect(layers).to_have_count(count)


def test_a_huge_learning_rate_diverges_and_reset_recovers(page: Page, server: Server):
    open_playground(page, server)
    page.get_by_test_id("activation").select_option("relu")
    page.get_by_test_id("init").select_option("he")
    page.get_by_test_id("learning-rate").fill("10")
    wait_for_hash(page, "learning_rate=10", "activation=relu", "init=he")
    page.wait_for_function(
        "() => window.descent.store.configured.lanes[0].config.network.init === 'he'"
    )
    page.get_by_test_id("play").click()
    status = page.get_by_test_id("status")
    expect(status).to_have_attribute("data-state", "diverged", timeout=20_000)
    expect(status).to_contain_text("diverged")
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    page.get_by_test_id("reset").click()
    expect(page.get_by_test_id("iteration")).to_have_text("0")
    expect(status).not_to_have_attribute("data-state", "diverged")
    expect(status).not_to_contain_text("diverged")


def test_a_copied_link_reproduces_the_configuration(page: Page, server: Server):
    open_playground(page, server)
    page.get_by_test_id("dataset-circles").click()
    page.get_by_test_id("add-layer").click()
    page.get_by_test_id("activation").select_option("relu")
    page.get_by_test_id("optimizer").select_option("adam")
    page.get_by_test_id("optimizer-param-beta1").fill("0.8")
    page.get_by_test_id("learning-rate").fill("0.03")
    page.get_by_test_id("l2").fill("0.01")
    page.get_by_test_id("keep-prob").fill("0.8")
    page.get_by_test_id("batch-size").select_option("32")
    page.get_by_test_id("feature-x1_squared").click()
    wait_for_hash(page, "dataset=circles", "hidden=4,2", "beta1=0.8", "learning_rate=0.03")
    wait_for_hash(page, "l2=0.01", "keep_prob=0.8", "batch_size=32", "features=x1,x2,x1_squared")
    link = page.url

    other = page.context.new_page()
    other.goto(link)
    other.wait_for_function(READY)
    expect(other.get_by_test_id("dataset-circles")).to_have_attribute("aria-pressed", "true")
    expect(other.get_by_test_id("activation")).to_have_value("relu")
    expect(other.get_by_test_id("optimizer")).to_have_value("adam")
    expect(other.get_by_test_id("optimizer-param-beta1")).to_have_value("0.8")
    expect(other.get_by_test_id("learning-rate")).to_have_value("0.03")
    expect(other.get_by_test_id("l2")).to_have_value("0.01")
    expect(other.get_by_test_id("keep-prob")).to_have_value("0.8")
    expect(other.get_by_test_id("batch-size")).to_have_value("32")
    expect(other.get_by_test_id("feature-x1_squared")).to_have_attribute("aria-pressed", "true")
    expect(other.locator("[data-testid^=add-neuron-]")).to_have_count(2)
    config = other.evaluate("() => window.descent.store.configured.lanes[0].config")
    assert config["network"]["hidden"] == [4, 2]
    assert config["optimizer"]["beta1"] == 0.8
    other.close()


def test_hide_flags_hide_the_named_controls_and_teaching_panels(page: Page, server: Server):
    open_playground(page, server, "#hide=optimizer,l2,add-layer,race,gradcheck")
    for hidden in ("optimizer", "l2", "add-layer", "race-panel", "gradcheck-panel"):
        expect(page.get_by_test_id(hidden)).to_be_hidden()
    for shown in ("learning-rate", "activation", "equations", "lesson-menu"):
        expect(page.get_by_test_id(shown)).to_be_visible()
    page.get_by_test_id("learning-rate").fill("0.3")
    wait_for_hash(page, "learning_rate=0.3", "hide=optimizer,l2,add_layer,race,gradcheck")


def test_the_page_says_the_server_is_unreachable_and_reconnects_after_a_restart(
    page: Page, restartable_server: Server
):
    open_playground(page, restartable_server)
    page.evaluate("() => { window.sameDocument = true; }")
    page.get_by_test_id("learning-rate").fill("0.3")
    wait_for_hash(page, "learning_rate=0.3")
    restartable_server.stop()
    connection = page.get_by_test_id("connection")
    expect(connection).to_have_attribute("data-state", "reconnecting")
    expect(connection).to_have_text("reconnecting…")
    status = page.get_by_test_id("status")
    expect(status).to_have_attribute("data-state", "offline")
    expect(status).to_contain_text("The server cannot be reached")
    expect(page.get_by_test_id("play")).to_have_attribute("title", re.compile("unavailable"))
    page.get_by_test_id("play").click()  # Play says why it cannot start
    expect(status).to_contain_text("Play cannot start: the server cannot be reached")
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    restartable_server.start()
    expect(connection).to_have_attribute("data-state", "open", timeout=20_000)
    assert page.evaluate("() => window.sameDocument") is True
    page.wait_for_function(
        "() => window.descent.store.configured.lanes[0].config.optimizer.learning_rate === 0.3"
    )
    expect(status).not_to_have_attribute("data-state", "offline")
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("iteration")).to_have_text("10")  # one frame at the default speed


def test_space_toggles_play_unless_typing(page: Page, server: Server):
    open_playground(page, server)
    play = page.get_by_test_id("play")
    page.get_by_test_id("learning-rate").focus()
    page.keyboard.press("Space")
    expect(play).to_have_attribute("aria-pressed", "false")
    page.evaluate("() => document.activeElement.blur()")
    page.keyboard.press("Space")
    expect(play).to_have_attribute("aria-pressed", "true")
    wait_for_iteration_above(page, 0)
    page.keyboard.press("Space")
    expect(play).to_have_attribute("aria-pressed", "false")


def test_every_control_has_a_label_and_frames_of_other_lanes_are_ignored(
    page: Page, server: Server
):
    open_playground(page, server)
    unlabeled = page.evaluate(
        """() => [...document.querySelectorAll('input, select, button')]
            .filter((el) => !el.closest('[hidden]'))
            .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                            && !el.textContent.trim())
            .map((el) => el.outerHTML)"""
    )
    assert unlabeled == []
    page.evaluate(
        """() => window.descent.store.emit('frame', {type: 'frame', lane: 1, iteration: 999,
            epoch: 999, costs: [0.5], noisy: false, cost_train: 0.5, cost_test: null,
            accuracy_train: 0.5, accuracy_test: null, weights: {}})"""
    )
    expect(page.get_by_test_id("iteration")).to_have_text("0")


def test_full_page_screenshot_shows_both_classes_on_the_boundary(page: Page, server: Server):
    fragment = "#hidden=6,4&init=xavier&test_fraction=0.3&keep_prob=0.9&learning_rate=0.3"
    open_playground(page, server, fragment)
    page.get_by_test_id("show-test").check()
    page.get_by_test_id("play").click()
    wait_for_iteration_above(page, 300)
    page.get_by_test_id("play").click()
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "playground.png"), full_page=True)
    # What a person sees: blue and orange points (and regions) on the boundary picture.
    assert coloured(page, "boundary", BLUE) > 200
    assert coloured(page, "boundary", CLASS_0) > 200


def test_regression_offers_regression_datasets_and_reports_rmse(page: Page, server: Server):
    open_playground(page, server)
    page.get_by_test_id("problem").select_option("regression")
    wait_for_hash(page, "problem=regression", "dataset=plane")
    expect(page.get_by_test_id("dataset-plane")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("dataset-multi_gauss")).to_be_visible()
    expect(page.get_by_test_id("dataset-flower")).to_be_hidden()
    page.wait_for_function("() => window.descent.store.configured.problem === 'regression'")
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("iteration")).to_have_text("10")  # one frame at the default speed
    expect(page.get_by_test_id("metrics")).to_contain_text("Training RMSE")
    expect(page.get_by_test_id("accuracy-train")).not_to_have_text(re.compile(r"%|–"))


def test_discretize_redraws_the_boundary_in_two_colours(page: Page, server: Server):
    open_playground(page, server, "#init=xavier&learning_rate=0.5")
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("iteration")).to_have_text("10")  # one frame at the default speed
    page.wait_for_timeout(300)
    smooth = page.evaluate(BOUNDARY_PIXELS)
    page.get_by_test_id("discretize").check()
    page.wait_for_function(f"(b) => ({BOUNDARY_PIXELS})() !== b", arg=smooth)


def test_a_link_with_a_bad_value_falls_back_to_the_default(page: Page, server: Server):
    open_playground(page, server, "#dataset=nope&learning_rate=0.3")
    expect(page.get_by_test_id("status")).to_contain_text("Dataset:")
    wait_for_hash(page, "dataset=flower", "learning_rate=0.3")
    expect(page.get_by_test_id("learning-rate")).to_have_value("0.3")


def test_hovering_shows_weights_and_neuron_maps(page: Page, server: Server):
    open_playground(page, server)
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("iteration")).to_have_text("10")  # one frame at the default speed
    tooltip = page.locator("[data-role=tooltip]")
    page.locator("[data-testid=network] [data-layer='1'][data-unit='0']").hover()
    expect(tooltip).to_be_visible()
    # Layers and neurons are counted the same way everywhere: from 1, as the course does.
    expect(tooltip).to_contain_text("Layer 1, neuron 1")
    expect(tooltip.locator("canvas")).to_have_count(1)
    page.locator("path[data-link]").first.dispatch_event("mouseover")
    expect(tooltip).to_contain_text(re.compile(r"^W\[1\] from x₁ to layer 1, neuron 1 = -?\d"))
    page.locator("path[data-link]").last.dispatch_event("mouseover")
    expect(tooltip).to_contain_text("W[2] from layer 1, neuron 4 to the output ŷ (layer 2) = ")


def test_the_cost_chart_draws_train_and_test_and_switches_to_a_log_scale(
    page: Page, server: Server
):
    open_playground(page, server, "#test_fraction=0.3")
    page.get_by_test_id("play").click()
    wait_for_iteration_above(page, 200)
    page.get_by_test_id("play").click()
    legend = page.get_by_test_id("cost-legend")
    expect(legend).to_contain_text("train")
    expect(legend).to_contain_text("test")
    chart = page.get_by_test_id("cost-chart")
    expect(chart).to_have_attribute("data-y-scale", "linear")
    assert coloured(page, "cost-chart", BLUE) > 30  # the test curve
    assert coloured(page, "cost-chart", [27, 42, 51]) > 30  # the train curve
    linear = page.evaluate(COST_PIXELS)
    page.get_by_test_id("cost-log").check()
    expect(page.get_by_test_id("cost-chart")).to_have_attribute("data-y-scale", "log")
    page.wait_for_function(f"(b) => ({COST_PIXELS})() !== b", arg=linear)
    assert coloured(page, "cost-chart", BLUE) > 30
    page.get_by_test_id("cost-log").uncheck()
    expect(page.get_by_test_id("cost-chart")).to_have_attribute("data-y-scale", "linear")


def test_hovering_the_cost_chart_shows_the_iteration_and_costs_there(page: Page, server: Server):
    open_playground(page, server, "#test_fraction=0.3")
    page.get_by_test_id("play").click()
    wait_for_iteration_above(page, 200)
    page.get_by_test_id("play").click()
    box = page.get_by_test_id("cost-chart").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.4)
    page.wait_for_function(f"() => ({LEGEND_VALUES})().every(([, v]) => /\\d/.test(v ?? ''))")
    values = dict(page.evaluate(LEGEND_VALUES))
    assert float(values["iteration"]) > 0
    assert 0 < float(values["train"]) < 1
    assert 0 < float(values["test"]) < 1


def test_the_output_legend_says_the_colour_is_a_probability(page: Page, server: Server):
    open_playground(page, server)
    legend = page.get_by_test_id("output-legend")
    expect(legend).to_contain_text("probability of class 1")
    expect(legend).to_contain_text("0 (class 0)")
    expect(legend).to_contain_text("1 (class 1)")
    expect(legend).not_to_contain_text("−1")
    page.get_by_test_id("problem").select_option("regression")
    page.wait_for_function("() => window.descent.store.configured.problem === 'regression'")
    page.get_by_test_id("step").click()
    expect(legend).to_contain_text("the predicted value")
    expect(legend).not_to_contain_text("probability")


def layout(page: Page) -> dict:
    """Where the main pieces sit, and whether the page scrolls sideways."""
    return page.evaluate(
        """() => {
          const box = (sel) => document.querySelector(sel).getBoundingClientRect().toJSON();
          const bar = [...document.querySelector('[data-view=topbar]').children]
            .filter((el) => el.offsetParent !== null && !el.classList.contains('bar-break'));
          return {
            scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth,
            barRows: new Set(bar.map((el) => Math.round(el.getBoundingClientRect().bottom))).size,
            network: box('[data-testid=network]'), boundary: box('[data-testid=boundary]'),
          };
        }"""
    )


def test_at_1400_px_the_top_bar_is_two_fixed_rows_and_rare_fields_are_behind_advanced(
    page: Page, server: Server
):
    page.set_viewport_size({"width": 1400, "height": 900})
    open_playground(page, server, "#init=random")
    assert layout(page)["barRows"] == 2  # run and optimization; model and regularization
    for rare in ("seed", "decay", "init-scale"):
        expect(page.get_by_test_id(rare)).to_be_hidden()
    page.get_by_test_id("init").select_option("he")  # no scale: the bar must not jump
    assert layout(page)["barRows"] == 2
    page.get_by_test_id("init").select_option("random")
    page.get_by_test_id("advanced").click()
    for rare in ("seed", "decay", "init-scale"):
        expect(page.get_by_test_id(rare)).to_be_visible()
    page.get_by_test_id("seed").fill("3")
    wait_for_hash(page, "seed=3")


def test_at_1024_px_the_network_and_the_boundary_are_side_by_side(page: Page, server: Server):
    page.set_viewport_size({"width": 1024, "height": 768})
    open_playground(page, server)
    where = layout(page)
    assert where["boundary"]["left"] >= where["network"]["right"]
    assert where["boundary"]["top"] < where["network"]["bottom"]
    assert where["scrollWidth"] <= where["width"]


def test_at_390_px_the_page_is_one_column_without_sideways_scrolling(page: Page, server: Server):
    page.set_viewport_size({"width": 390, "height": 844})
    open_playground(page, server)
    page.get_by_test_id("race-start").click()
    page.wait_for_function("() => window.descent.store.configured.lanes.length === 2")
    where = layout(page)
    assert where["scrollWidth"] <= where["width"]
    assert where["boundary"]["top"] >= where["network"]["bottom"]  # one column
    assert where["boundary"]["right"] <= where["width"]
    for control in ("play", "learning-rate", "activation", "l2", "advanced", "race-stop"):
        page.get_by_test_id(control).scroll_into_view_if_needed()
        expect(page.get_by_test_id(control)).to_be_in_viewport()
    page.get_by_test_id("race-stop").click()


def test_a_refused_value_says_why_and_the_allowed_range_next_to_its_field(
    page: Page, server: Server
):
    open_playground(page, server)
    rate = page.get_by_test_id("learning-rate")
    rate.fill("1e9")
    problem = page.locator("[data-control~=learning_rate] [data-role=field-problem]")
    expect(problem).to_be_visible()
    expect(problem).to_contain_text("1e9 is not allowed")
    expect(problem).to_contain_text("allowed: 1e-7 to 100")  # the server's range, from /api/options
    expect(rate).to_have_attribute("aria-invalid", "true")
    page.get_by_test_id("keep-prob").fill("0")
    keep = page.locator("[data-control~=keep_prob] [data-role=field-problem]")
    expect(keep).to_contain_text("allowed: 0.05 to 1")
    rate.fill("0.3")
    wait_for_hash(page, "learning_rate=0.3")
    expect(problem).to_have_count(0)
    expect(rate).not_to_have_attribute("aria-invalid", "true")


def test_every_field_of_a_link_is_checked_and_a_bad_one_falls_back_with_a_message(
    page: Page, server: Server
):
    fragment = "#hidden=4,999&learning_rate=1e9&activation=nope&features=x1,x9&samples=100000"
    open_playground(page, server, fragment)
    status = page.get_by_test_id("status")
    # sentences naming the controls people know, never a field path
    names = ("Hidden layers:", "Learning rate:", "Activation:", "Features:", "Number of points:")
    for name in names:
        expect(status).to_contain_text(name)
    expect(status).not_to_contain_text("network.hidden")
    expect(status).to_contain_text("at most 64 neurons per layer")
    config = page.evaluate("() => window.descent.store.configured.lanes[0].config")
    assert config["network"]["hidden"] == [4, 64]  # over a limit: the limit
    assert config["optimizer"]["learning_rate"] == 1.2  # out of range: the default
    assert config["network"]["activation"] == "tanh"
    assert config["features"] == ["x1"]
    assert config["dataset"]["samples"] == 2000
    wait_for_hash(page, "hidden=4,64", "learning_rate=1.2", "activation=tanh")
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("iteration")).to_have_text("10")  # one frame at the default speed
    expect(status).not_to_contain_text("send configure first")


def test_show_test_data_discretize_and_log_scale_are_in_the_url(page: Page, server: Server):
    open_playground(page, server, "#test_fraction=0.3")
    page.get_by_test_id("show-test").check()
    page.get_by_test_id("discretize").check()
    page.get_by_test_id("cost-log").check()
    wait_for_hash(page, "show_test=1", "discretize=1", "log_scale=1")
    link = page.url
    other = page.context.new_page()
    other.goto(link)
    other.wait_for_function(READY)
    for testid in ("show-test", "discretize", "cost-log"):
        expect(other.get_by_test_id(testid)).to_be_checked()
    expect(other.get_by_test_id("cost-chart")).to_have_attribute("data-y-scale", "log")
    other.close()


def test_the_share_dialog_copies_a_link_that_hides_the_ticked_controls(page: Page, server: Server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_playground(page, server, "#learning_rate=0.3")
    page.get_by_test_id("share").click()
    dialog = page.get_by_test_id("share-dialog")
    expect(dialog).to_be_visible()
    page.get_by_test_id("share-hide-optimizer").check()
    page.get_by_test_id("share-hide-l2").check()
    page.get_by_test_id("share-hide-race").check()
    expect(page.get_by_test_id("share-link")).to_have_value(
        re.compile(r"[#&]hide=optimizer,l2,race$")
    )
    page.get_by_test_id("share-copy").click()
    expect(page.get_by_test_id("share-copied")).to_have_text("Copied.")
    link = page.evaluate("() => navigator.clipboard.readText()")
    assert "learning_rate=0.3" in link and link.endswith("hide=optimizer,l2,race")
    page.get_by_test_id("share-close").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("optimizer")).to_be_visible()  # the teacher's page hides nothing

    student = page.context.new_page()
    student.goto(link)
    student.wait_for_function(READY)
    for hidden in ("optimizer", "l2", "race-panel"):
        expect(student.get_by_test_id(hidden)).to_be_hidden()
    expect(student.get_by_test_id("learning-rate")).to_have_value("0.3")
    student.close()


def test_reset_keeps_the_initial_weights_and_new_seed_changes_them(page: Page, server: Server):
    open_playground(page, server, "#init=xavier&seed=5")
    first = "() => window.descent.store.frames.get(0)?.iteration === 0"
    weights = "() => JSON.stringify(window.descent.store.frames.get(0).weights.W1)"
    page.wait_for_function(first)
    start = page.evaluate(weights)
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("iteration")).to_have_text("10")  # one frame at the default speed
    page.get_by_test_id("reset").click()
    expect(page.get_by_test_id("iteration")).to_have_text("0")
    page.wait_for_function(first)
    assert page.evaluate(weights) == start
    expect(page.get_by_test_id("reset")).to_have_attribute(
        "title", re.compile("same initial weights")
    )
    page.get_by_test_id("new-seed").click()
    wait_for_hash(page, "seed=6")
    page.wait_for_function("() => window.descent.store.configured.lanes[0].config.seed === 6")
    page.wait_for_function(f"(w) => ({first})() && ({weights})() !== w", arg=start)


def test_choosing_a_dataset_gives_the_data_its_thumbnail_shows(page: Page, server: Server):
    open_playground(page, server, "#noise=0.6&samples=150")
    page.get_by_test_id("dataset-xor").click()
    wait_for_hash(page, "dataset=xor", "noise=0", "samples=400")  # xor's own defaults
    expect(page.get_by_test_id("noise")).to_have_value("0")
    page.get_by_test_id("dataset-circles").click()
    wait_for_hash(page, "dataset=circles", "noise=0.05", "samples=300", "factor=0.5")


def test_a_cost_that_keeps_rising_says_the_learning_rate_may_be_too_high(
    page: Page, server: Server
):
    open_playground(page, server, "#speed=max")
    page.get_by_test_id("play").click()
    wait_for_iteration_above(page, 2000)
    page.wait_for_timeout(1500)  # well over the frames the hint looks at
    page.get_by_test_id("play").click()
    hint = page.get_by_test_id("training-hint")
    expect(hint).to_be_hidden()  # the lesson's rate of 1.2 trains smoothly

    page.get_by_test_id("learning-rate").fill("100")
    wait_for_hash(page, "learning_rate=100")
    page.get_by_test_id("play").click()
    expect(hint).to_be_visible(timeout=20_000)
    expect(hint).to_contain_text("the learning rate may be too high (now 100)")
    page.get_by_test_id("play").click()
