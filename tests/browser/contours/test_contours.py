"""The contours page in a real Chromium: lanes racing on a 2-D surface, clicking the start,
playback, and the real network's landscape with its honest path costs."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import OUTPUT, Server
from tests.browser.conftest import coloured as conftest_coloured
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser

READY = "() => window.descentContours && window.descentContours.store.result !== null"
LANES = [[8, 119, 189], [232, 113, 10], [30, 142, 62], [142, 36, 170]]
SLOW = 20_000


def open_contours(page: Page, server: Server) -> None:
    """Load /contours and wait for the first race's paths."""
    page.goto(server.url + "contours")
    page.wait_for_function(READY, timeout=SLOW)


def coloured(page: Page, testid: str, rgb: list[int]) -> int:
    """How many canvas pixels are close to a colour (lanes' lines: a tight tolerance)."""
    return conftest_coloured(page, testid, rgb, tolerance=40)


def play_to_the_end(page: Page) -> None:
    """Fastest speed, play, and wait for the last step."""
    page.get_by_test_id("race-speed").fill("7")
    if page.get_by_test_id("race-play").get_attribute("aria-pressed") != "true":
        page.get_by_test_id("race-play").click()
    page.wait_for_function(
        "() => { const s = window.descentContours.store; return s.t >= s.lastStep; }",
        timeout=SLOW,
    )


def draw_landscape(page: Page, iterations: int, choice: str | None = None) -> None:
    """Open the real network tab, train a lesson lane (default: 4 tanh units) and wait."""
    page.get_by_test_id("tab-network").click()
    if choice is not None:
        page.get_by_test_id("landscape-lesson").select_option(label=choice)
    page.get_by_test_id("landscape-iterations").fill(str(iterations))
    page.get_by_test_id("landscape-run").click()
    expect(page.locator("#panel-network")).to_have_attribute("data-state", "drawn", timeout=SLOW)


def test_every_lane_draws_its_path_and_reports_its_steps_to_epsilon(page: Page, server: Server):
    open_contours(page, server)
    play_to_the_end(page)
    for i, rgb in enumerate(LANES):
        assert coloured(page, "surface-plot", rgb) > 30, f"lane {i} is not drawn"
    expect(page.get_by_test_id("reached-0")).to_have_text("249 ✓")  # gd zig-zags: 249 steps
    momentum = page.get_by_test_id("reached-1").text_content() or ""
    assert re.fullmatch(r"93 ✓", momentum), momentum
    expect(page.get_by_test_id("race-step")).to_have_text("step 300 / 300")


def test_playback_pauses_steps_and_rewinds(page: Page, server: Server):
    open_contours(page, server)
    play = page.get_by_test_id("race-play")
    expect(play).to_have_attribute("aria-pressed", "false")  # no autoplay
    expect(page.get_by_test_id("race-step")).to_have_text("step 0 / 300")
    expect(page.get_by_test_id("reached-0")).to_have_text("not yet")  # the result is not given away
    page.get_by_test_id("race-play").click()
    expect(page.get_by_test_id("race-play")).to_have_attribute("aria-pressed", "true")
    page.get_by_test_id("race-rewind").click()
    expect(page.get_by_test_id("race-step")).to_have_text("step 0 / 300")
    for _ in range(3):
        page.get_by_test_id("race-next").click()
    expect(page.get_by_test_id("race-step")).to_have_text("step 3 / 300")
    expect(page.get_by_test_id("race-play")).to_have_attribute("aria-pressed", "false")


def test_clicking_the_plot_starts_every_lane_there(page: Page, server: Server):
    open_contours(page, server)
    box = page.get_by_test_id("surface-plot").bounding_box()
    page.get_by_test_id("surface-plot").click(position={"x": box["width"] * 0.75, "y": 60})
    page.wait_for_function("() => window.descentContours.store.result.start[0] > 1.5", timeout=SLOW)
    start = page.evaluate("window.descentContours.store.result.start")
    first_points = page.evaluate(
        "window.descentContours.store.result.lanes.map((lane) => lane.points[0])"
    )
    assert all(point == start for point in first_points)
    assert start[1] > 3  # near the top of the plot: w2 large


def test_lanes_are_editable_and_surfaces_switch(page: Page, server: Server):
    open_contours(page, server)
    page.get_by_test_id("remove-lane-3").click()
    expect(page.get_by_test_id("lane-3")).to_have_count(0)
    page.get_by_test_id("lane-optimizer-2").select_option("adam")
    expect(page.get_by_test_id("lane-beta2-2")).to_be_visible()
    page.get_by_test_id("lane-lr-2").fill("0.05")
    page.get_by_test_id("lane-lr-2").press("Enter")
    page.wait_for_function(
        "() => window.descentContours.store.result.lanes[2]?.label === 'adam 0.05'", timeout=SLOW
    )
    page.get_by_test_id("surface").select_option("banana")
    page.wait_for_function(
        "() => window.descentContours.store.result.surface.name === 'banana'", timeout=SLOW
    )
    expect(page.get_by_test_id("readout-0")).to_contain_text("gd 0.001")
    assert page.evaluate("window.descentContours.store.result.lanes.length") == 3


def test_the_real_networks_landscape_shows_both_costs_and_the_variance(page: Page, server: Server):
    open_contours(page, server)
    draw_landscape(page, 1000)
    chosen = "document.querySelector('[data-testid=landscape-lesson]').selectedOptions[0].text"
    assert page.evaluate(chosen).endswith("4 tanh units")  # the default: a real hidden layer
    expect(page.get_by_test_id("explained-variance")).to_contain_text("d1 explains")
    rows = page.get_by_test_id("landscape-table").locator("tbody tr")
    assert rows.count() >= 10
    expect(rows.first.locator("td").first).to_have_text("0")
    expect(rows.last.locator("td").first).to_have_text("1000")
    last = [c.text_content() for c in rows.last.locator("td").all()]
    assert last[1:3] == ["0", "0"] and last[3] == last[4]  # the end lies on the plane
    assert coloured(page, "landscape-plot", LANES[0]) > 30  # the path
    assert coloured(page, "landscape-costs", [232, 113, 10]) > 30  # the plane's cost curve


def test_a_whole_race_is_drawn_on_one_plane(page: Page, server: Server):
    open_contours(page, server)
    draw_landscape(
        page,
        600,
        "The course's table: mini-batch GD vs Momentum vs Adam on its moons"
        " — all 3 lanes on one plane",
    )
    legend = page.get_by_test_id("landscape-legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("mini-batch GD")
    expect(legend).to_contain_text("Adam")
    for rgb in LANES[1:3]:  # gd's short path lies under Momentum's (same rate, same start)
        assert coloured(page, "landscape-plot", rgb) > 20
    for rgb in LANES[:3]:  # earlier lanes are drawn wider, so gd's curve shows around it
        assert coloured(page, "landscape-costs", rgb) > 20
    page.get_by_test_id("landscape-table-lane").select_option(label="Adam")
    last = page.get_by_test_id("landscape-table").locator("tbody tr").last.locator("td")
    expect(last.first).to_have_text("600")
    assert last.nth(1).text_content() != "0"  # Adam ends off lane 0's end: not at the origin


def test_a_race_that_no_one_plane_fits_says_which_setting_differs(page: Page, server: Server):
    open_contours(page, server)
    page.get_by_test_id("tab-network").click()
    page.get_by_test_id("landscape-lesson").select_option(
        label="The course's table: hidden-layer size on its flower, 1 to 4 units"
        " — all 4 lanes on one plane"
    )
    page.get_by_test_id("landscape-run").click()
    status = page.get_by_test_id("landscape-status")
    expect(status).to_contain_text("Lane 1's hidden layers: differs from lane 0's layer_sizes")
    expect(page.locator("#panel-network")).not_to_have_attribute("data-state", "drawn")


@pytest.mark.parametrize("size", [(1400, 900), (1024, 768), (390, 844)])
def test_screenshots(browser, server: Server, size: tuple[int, int]):
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        open_contours(page, server)
        play_to_the_end(page)
        page.screenshot(path=str(OUTPUT / f"contours-{width}x{height}.png"), full_page=True)
        draw_landscape(page, 2000)
        page.screenshot(path=str(OUTPUT / f"landscape-{width}x{height}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page is {overflow}px wider than a {width}px screen"
    finally:
        context.close()
    assert not errors, errors
