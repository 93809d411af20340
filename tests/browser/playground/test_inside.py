"""Inside the network and batch norm in a real Chromium: the switch reaches the server and the
equations, the opened section draws its distributions, ratios and hidden space, and the page
looks right at three sizes (screenshots in test-output/inside-*.png)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import (
    BLUE,
    OUTPUT,
    SLOW,
    Server,
    coloured,
    open_playground,
    wait_for_hash,
    wait_for_iteration_above,
)
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser

DEEP = "#dataset=course_moons&hidden=6,4&activation=tanh&optimizer=adam&learning_rate=0.01"
TEX = """() => [...document.querySelectorAll('[data-testid=equations] [data-tex]')]
  .map((e) => e.dataset.tex).join(' ')"""
SIZES = [(1400, 900), (1024, 768), (390, 844)]


def test_the_batch_norm_switch_configures_the_server_and_writes_the_equations(
    page: Page, server: Server
):
    open_playground(page, server, DEEP)
    expect(page.get_by_test_id("equations-shape-W1")).to_contain_text("b[1] is")
    page.get_by_test_id("batch-norm").check()
    wait_for_hash(page, "batch_norm=1")
    page.wait_for_function(
        "() => window.descent.store.configured.lanes[0].config.network.batch_norm === true"
    )
    expect(page.get_by_test_id("equations-shape-W1")).to_contain_text("γ[1] and β[1] are")
    expect(page.get_by_test_id("equations-shape-W1")).to_contain_text("(6, 1)")
    expect(page.get_by_test_id("equations-bn-2")).to_contain_text("(4, 6)")
    expect(page.get_by_test_id("equations-bn-back-1")).to_be_visible()
    tex = page.evaluate(TEX)
    assert "\\tilde{Z}^{[1]}" in tex and "\\gamma^{[2]}" in tex and "b^{[1]}" not in tex
    assert "b^{[3]}" in tex, "the output layer keeps its bias"


def test_the_inside_section_draws_the_live_view(page: Page, server: Server):
    open_playground(page, server, DEEP)
    page.get_by_test_id("inside-open").locator("summary").click()
    expect(page.get_by_test_id("inside-row-2")).to_be_visible()
    expect(page.get_by_test_id("inside-ratio-1")).to_have_text("–")  # no update yet
    page.get_by_test_id("play").click()
    wait_for_iteration_above(page, 300)
    expect(page.get_by_test_id("inside-ratio-1")).to_have_text(re.compile(r"^-\d"), timeout=SLOW)
    expect(page.get_by_test_id("inside-saturated-1")).to_have_text(re.compile(r"%$"))
    expect(page.get_by_test_id("inside-dead-1")).to_have_text("–")  # tanh: no dead units
    page.get_by_test_id("play").click()
    assert coloured(page, "inside-space", BLUE) > 50, "the training points in hidden space"
    assert coloured(page, "inside-activations", [179, 38, 30]) > 10, "layer 1's line"
    page.get_by_test_id("inside-layer").select_option("2")
    page.get_by_test_id("inside-unit-y").select_option("3")
    page.wait_for_function(
        """() => { const s = window.descent.store;
          return s && document.querySelector('[data-testid=inside-unit-y]').value === '3'; }"""
    )
    expect(page.get_by_test_id("inside-unit-x").locator("option")).to_have_count(4)


def test_a_bad_lane_or_layer_never_reaches_the_page_as_an_uncaught_error(
    page: Page, server: Server
):
    open_playground(page, server, "#dataset=course_flower&hidden=&activation=tanh")
    page.get_by_test_id("inside-open").locator("summary").click()
    expect(page.get_by_test_id("inside-layer").locator("option")).to_have_count(0)
    expect(page.get_by_test_id("inside-table").locator("tbody tr")).to_have_count(0)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_screenshots_of_the_inside_section(page: Page, server: Server, width, height):
    page.set_viewport_size({"width": width, "height": height})
    open_playground(page, server, DEEP + "&batch_norm=1")
    page.get_by_test_id("inside-open").locator("summary").click()
    page.get_by_test_id("step").click()
    wait_for_iteration_above(page, 0)
    expect(page.get_by_test_id("inside-ratio-1")).to_have_text(re.compile(r"^-?\d"), timeout=SLOW)
    section = page.get_by_test_id("inside")
    section.scroll_into_view_if_needed()
    box = section.bounding_box()
    assert box is not None and box["width"] <= width, "the section fits the viewport's width"
    OUTPUT.mkdir(exist_ok=True)
    section.screenshot(path=str(OUTPUT / f"inside-{width}x{height}.png"))
    equations = page.get_by_test_id("equations-panel")
    expect(page.get_by_test_id("equations-bn-1")).to_be_visible()
    equations.screenshot(path=str(OUTPUT / f"equations-bn-{width}x{height}.png"))


def test_the_batch_norm_lesson_shows_each_lanes_insides(page: Page, server: Server):
    open_playground(page, server)
    page.get_by_test_id("lesson-menu").select_option("batch-norm")
    page.wait_for_function("() => window.descent.store.configured.lanes.length === 2")
    page.get_by_test_id("inside-open").locator("summary").click()
    lane = page.get_by_test_id("inside-lane")
    expect(lane).to_be_visible()
    expect(page.get_by_test_id("inside-iteration")).not_to_contain_text("batch norm on")
    expect(page.get_by_test_id("inside-table").locator("tbody tr")).to_have_count(6)
    lane.select_option("1")
    expect(page.get_by_test_id("inside-iteration")).to_contain_text("batch norm on", timeout=SLOW)
    expect(page.locator("[data-testid=inside-preactivations] + figcaption")).to_contain_text("Z̃")
