"""The first ten minutes of a new student, in a real Chromium: the boundary and the cost chart
stay in view while training at three sizes, lessons come first and follow the speed control,
the optimizer's learning rate, number boxes, a bar that does not jump, live legends, drawing
with no points, and the keyboard."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    ITERATION,
    LANES,
    OUTPUT,
    Server,
    open_playground,
    wait_for_hash,
    wait_for_iteration_above,
)
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser

IN_VIEW = """(id) => {
  const r = document.querySelector(`[data-testid="${id}"]`).getBoundingClientRect();
  return r.width > 0 && r.top >= 0 && r.left >= 0
    && r.bottom <= innerHeight && r.right <= innerWidth;
}"""
INKED = """(id) => {
  const c = document.querySelector(`[data-testid="${id}"]`);
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) n += d[i] > 200;
  return n / (c.width * c.height);
}"""


@pytest.mark.parametrize(("width", "height"), [(1400, 900), (1024, 768)])
def test_the_boundary_and_the_cost_chart_stay_in_view_while_training(
    page: Page, server: Server, width: int, height: int
):
    page.set_viewport_size({"width": width, "height": height})
    open_playground(page, server)
    page.get_by_test_id("play").click()
    wait_for_iteration_above(page, 100)
    for part in ("boundary", "cost-chart", "play"):
        assert page.evaluate(IN_VIEW, part), f"{part} is not in view at {width}x{height}"
    page.screenshot(path=str(OUTPUT / f"first-minutes-training-{width}x{height}.png"))
    page.mouse.wheel(0, 150)  # scrolled down the network: the output stays (sticky)
    page.wait_for_timeout(300)
    assert page.evaluate(IN_VIEW, "boundary")
    page.get_by_test_id("play").click()


def test_on_a_phone_a_compact_output_stays_on_screen(page: Page, server: Server):
    page.set_viewport_size({"width": 390, "height": 844})
    open_playground(page, server)
    page.get_by_test_id("play").click()
    wait_for_iteration_above(page, 100)
    for part in ("play", "dock-boundary", "dock-chart"):
        assert page.evaluate(IN_VIEW, part), f"{part} is not in view on a phone"
    page.wait_for_function(f"() => ({INKED})('dock-boundary') > 0.9")
    page.wait_for_function(f"() => ({INKED})('dock-chart') > 0.002")
    page.screenshot(path=str(OUTPUT / "first-minutes-training-390x844.png"))
    page.get_by_test_id("dock-jump").click()
    expect(page.get_by_test_id("dock")).to_be_hidden()  # the real output is in view now
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.get_by_test_id("play").click()


def test_lessons_come_first_and_follow_the_speed_control(page: Page, server: Server):
    open_playground(page, server)
    page.keyboard.press("Tab")
    expect(page.get_by_test_id("skip-link")).to_be_focused()
    focused = "() => document.activeElement.dataset.testid"
    stops = 0
    while stops < 12 and page.evaluate(focused) != "lesson-menu":
        page.keyboard.press("Tab")
        stops += 1
    assert stops < 12, "the lesson menu is not among the first Tab stops"
    lessons = page.get_by_test_id("lesson-strip").bounding_box()
    assert lessons["y"] < page.get_by_test_id("play").bounding_box()["y"]
    expect(page.get_by_test_id("speed")).to_have_value("10")
    page.get_by_test_id("lesson-menu").select_option("planar-flower")
    page.wait_for_function(f"() => ({LANES})() === 2")
    expect(page.get_by_test_id("race-speed")).to_have_value("10")
    wait_for_iteration_above(page, 20)
    page.wait_for_timeout(2000)
    assert page.evaluate(ITERATION) < 2000, "the race ignores the speed control"
    expect(page.get_by_test_id("summary-running")).to_be_visible()
    page.get_by_test_id("lesson-menu").select_option("")
    expect(page.get_by_test_id("lesson-summary")).to_be_hidden()
    page.wait_for_function(f"() => ({LANES})() === 1")
    expect(page.get_by_test_id("lesson-info")).not_to_contain_text("Racing")


def test_each_optimizer_starts_from_its_own_rate_and_keeps_the_one_given(
    page: Page, server: Server
):
    page.set_viewport_size({"width": 1400, "height": 900})
    open_playground(page, server)
    rate = page.get_by_test_id("learning-rate")
    bar = page.locator("[data-view=topbar]")
    height = bar.bounding_box()["height"]
    page.get_by_test_id("optimizer").select_option("adam")
    expect(rate).to_have_value("0.01")
    assert bar.bounding_box()["height"] == height, "the bar jumped when Adam's betas appeared"
    rate.fill("0.05")
    rate.press("Enter")
    wait_for_hash(page, "learning_rate=0.05")
    page.get_by_test_id("optimizer").select_option("gd")
    expect(rate).to_have_value("1.2")
    page.get_by_test_id("optimizer").select_option("adam")
    expect(rate).to_have_value("0.05")
    rate.fill("0.15676677195506075")
    fits = "(el) => el.scrollWidth <= el.clientWidth + 1 && el.clientWidth >= 90"
    assert rate.evaluate(fits), "the learning-rate box cuts its value"


def test_the_legend_shows_the_latest_values_while_training(page: Page, server: Server):
    open_playground(page, server)
    page.get_by_test_id("play").click()
    wait_for_iteration_above(page, 100)
    legend = page.get_by_test_id("cost-legend")
    page.wait_for_function(
        """() => {
          const cells = [...document.querySelectorAll('[data-testid=cost-legend] .u-value')];
          return cells.length >= 2 && cells.every((c) => /\\d/.test(c.textContent));
        }"""
    )
    expect(legend).not_to_contain_text("–")
    page.get_by_test_id("play").click()


def test_drawing_with_no_points_does_not_train_and_says_why(page: Page, server: Server):
    open_playground(page, server)
    page.get_by_test_id("draw").check()
    page.get_by_test_id("draw-clear").click()
    page.get_by_test_id("play").click()
    expect(page.get_by_test_id("status")).to_contain_text("Draw points on the output first")
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    page.wait_for_timeout(500)
    assert page.evaluate(ITERATION) == 0


def test_a_neuron_is_edited_from_the_keyboard(page: Page, server: Server):
    open_playground(page, server)
    neuron = page.locator('.neuron[data-layer="1"][data-unit="0"]')
    neuron.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("weight-edit")).to_be_visible()
    expect(page.get_by_test_id("weight-edit-value")).to_be_focused()
    expect(page.get_by_test_id("weight-edit-title")).to_contain_text("b[1]")
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")


def test_locked_controls_leave_no_heading_or_prompt_over_nothing(page: Page, server: Server):
    open_playground(page, server, "#hide=optimizer,learning_rate,datasets")
    expect(page.locator("fieldset[data-control=optimization]")).to_be_hidden()
    expect(page.get_by_text("Which dataset do you want to use?")).to_be_hidden()
    expect(page.locator("fieldset[data-control=model]")).to_be_visible()
