"""Races that stop on their stop iteration and say only what is true of their initial weights,
in a real Chromium against the real server."""

from __future__ import annotations

import pytest

from tests.browser.conftest import LANES, SLOW, Server, open_playground, wait_for_number_above
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser


def lane_iterations(page: Page) -> list[int]:
    """Every lane's last frame's iteration."""
    return page.evaluate(
        "() => [...window.descent.store.frames.values()].map((f) => f.iteration)"
    )


def test_a_lesson_stops_exactly_at_its_iterations(page: Page, server: Server):
    open_playground(page, server)
    page.get_by_test_id("lesson-menu").select_option("planar-flower")
    page.wait_for_function(f"() => ({LANES})() === 2")
    expect(page.get_by_test_id("race-speed")).to_have_value("max")
    for lane in (0, 1):
        expect(page.get_by_test_id(f"race-iteration-{lane}")).to_have_text("10000", timeout=SLOW)
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    page.wait_for_timeout(500)
    assert lane_iterations(page) == [10000, 10000]
    expect(page.get_by_test_id("iteration")).to_have_text("10000")


def test_pausing_a_race_and_playing_again_still_stops_on_the_iteration(page: Page, server: Server):
    open_playground(page, server)
    page.get_by_test_id("race-until").fill("3000")
    page.get_by_test_id("race-speed").select_option("20")
    page.get_by_test_id("race-start").click()
    page.wait_for_function(f"() => ({LANES})() === 2")
    wait_for_number_above(page, "race-iteration-0", 300)
    page.get_by_test_id("play").click()  # pause
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    page.get_by_test_id("race-speed").select_option("max")
    page.get_by_test_id("play").click()  # on to the stop iteration, not past it
    for lane in (0, 1):
        expect(page.get_by_test_id(f"race-iteration-{lane}")).to_have_text("3000", timeout=SLOW)
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    page.wait_for_timeout(500)
    assert lane_iterations(page) == [3000, 3000]


def test_same_initial_weights_is_said_only_when_true(page: Page, server: Server):
    open_playground(page, server)
    menu, state = page.get_by_test_id("lesson-menu"), page.get_by_test_id("race-state")
    menu.select_option("regularization")  # one shape, one initializer
    expect(state).to_have_text("Racing 3 lanes from the same initial weights.")
    menu.select_option("initialization")  # zeros, randn x 10, He
    expect(state).to_contain_text("each draws its own initial weights")
    expect(state).not_to_contain_text("same initial weights")
    page.get_by_test_id("race-stop").click()
    page.wait_for_function(f"() => ({LANES})() === 1")
