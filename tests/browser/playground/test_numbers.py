"""Editing a weight by hand, L1 beside L2, J beside the plain loss, and the equations that say
so, in a real Chromium against the real server."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.browser.conftest import Server, open_playground
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser

FRAME = "() => window.descent.store.frames.get(0)"
BOUNDARY_PIXELS = "() => document.querySelector('[data-testid=boundary]').toDataURL()"
TEX = """() => [...document.querySelectorAll('[data-testid=equations] [data-tex]')]
  .map((e) => e.dataset.tex).join(' ')"""


def test_clicking_a_link_edits_its_weight_at_once_and_the_download_keeps_it(
    page: Page, server: Server, tmp_path: Path
):
    open_playground(page, server)
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("iteration")).to_have_text("10")
    page.wait_for_function(f"() => ({FRAME})()?.iteration === 10")
    before = page.evaluate(BOUNDARY_PIXELS)
    cost = page.get_by_test_id("cost-train").text_content()
    page.locator('path[data-link="2,0,1"]').click()
    editor = page.get_by_test_id("weight-edit")
    expect(editor).to_be_visible()
    expect(page.get_by_test_id("weight-edit-title")).to_contain_text(
        "W[2] from layer 1, neuron 2 to the output"
    )
    now = page.evaluate(f"() => ({FRAME})().weights.W2[0][1]")
    assert float(page.get_by_test_id("weight-edit-value").input_value()) == pytest.approx(now)
    page.get_by_test_id("weight-edit-value").fill("6.5")
    page.get_by_test_id("weight-edit-value").press("Enter")
    page.wait_for_function(f"() => ({FRAME})().weights.W2[0][1] === 6.5")
    assert page.evaluate(f"() => ({FRAME})().iteration") == 10  # no step was needed
    expect(page.get_by_test_id("cost-train")).not_to_have_text(cost)
    page.wait_for_function(f"(b) => ({BOUNDARY_PIXELS})() !== b", arg=before)
    width = page.evaluate(
        """() => parseFloat(document.querySelector('path[data-link="2,0,1"]').style.strokeWidth)"""
    )
    assert width == 9  # the thickest link: |w| = 6.5

    page.locator('.neuron[data-layer="1"][data-unit="0"]').click()
    expect(page.get_by_test_id("weight-edit-title")).to_contain_text("b[1] of layer 1, neuron 1")
    page.get_by_test_id("weight-edit-value").fill("-2")
    page.get_by_test_id("weight-edit-set").click()
    page.wait_for_function(f"() => ({FRAME})().weights.b1[0][0] === -2")

    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    saved = tmp_path / "edited.json"
    info.value.save_as(saved)
    weights = json.loads(saved.read_text())["weights"]
    assert weights["W2"][0][1] == 6.5
    assert weights["b1"][0][0] == -2


def test_a_weight_out_of_range_is_refused_in_the_box(page: Page, server: Server):
    open_playground(page, server)
    page.locator('path[data-link="2,0,0"]').click()
    page.get_by_test_id("weight-edit-value").fill("1e9")
    page.get_by_test_id("weight-edit-value").press("Enter")
    expect(page.get_by_test_id("weight-edit-note")).to_contain_text("Type a number from")
    page.get_by_test_id("weight-edit-value").press("Escape")
    expect(page.get_by_test_id("weight-edit")).to_be_hidden()


def test_j_has_the_l2_and_l1_terms_and_the_loss_and_test_loss_do_not(page: Page, server: Server):
    open_playground(page, server, "#hidden=8&l2=0.7&l1=0.05&test_fraction=0.3")
    expect(page.get_by_test_id("l1")).to_have_value("0.05")
    expect(page.get_by_test_id("l2")).to_have_value("0.7")
    page.get_by_test_id("step").click()
    page.wait_for_function(f"() => ({FRAME})()?.iteration === 10")
    frame = page.evaluate(FRAME)
    assert frame["cost_train"] > frame["loss_train"]
    expect(page.get_by_test_id("cost-train")).to_have_text(f"{frame['cost_train']:.4f}".rstrip("0"))
    expect(page.get_by_test_id("loss-train")).to_have_text(f"{frame['loss_train']:.4f}".rstrip("0"))
    expect(page.get_by_test_id("cost-test")).to_have_text(f"{frame['cost_test']:.4f}".rstrip("0"))
    penalty = frame["cost_train"] - frame["loss_train"]
    expect(page.get_by_test_id("metrics")).to_contain_text("J = loss + L2 + L1 term ")
    said = page.get_by_test_id("metrics").text_content().split("L1 term ")[1].split("Training")[0]
    assert float(said) == pytest.approx(penalty, rel=1e-2)
    tex = page.evaluate(TEX)
    assert "\\operatorname{sign}" in tex and "\\sum |W^{[l]}|" in tex
    expect(page.get_by_test_id("equations-cost")).to_contain_text("L1 penalty, λ₁ = 0.05")
    page.get_by_test_id("l1").fill("0")
    page.wait_for_function(f"() => ({FRAME})() && window.location.hash.includes('l1=0&')")


def test_the_learned_slope_is_projected_in_the_equations_and_plotted_as_it_is(
    page: Page, server: Server
):
    fragment = "#activation=leaky_relu&learn_slope=1&leaky_slope=0.2&init=he&learning_rate=0.1"
    open_playground(page, server, fragment)
    expect(page.get_by_test_id("equations-slope-projection")).to_contain_text("[0, 1]")
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("learned-slopes")).to_contain_text("layer 1")
    slope = page.evaluate(f"() => ({FRAME})().weights.slope1[0][0]")
    assert 0 <= slope <= 1
    plot = page.get_by_test_id("activation-plot")
    expect(plot).to_have_attribute("data-slope", re.compile(r"^0\.\d+"))
    page.wait_for_function(  # the plot follows the frame a moment later
        """(slope) => Math.abs(parseFloat(document.querySelector(
             '[data-testid="activation-plot"]').dataset.slope) - slope) < 1e-3""",
        arg=slope,
    )
    assert float(plot.get_attribute("data-slope")) == pytest.approx(slope, abs=1e-3)


def test_a_classroom_link_can_turn_editing_off(page: Page, server: Server):
    open_playground(page, server, "#hide=edit_weights")
    page.locator('path[data-link="2,0,0"]').click()
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("weight-edit")).to_be_hidden()
