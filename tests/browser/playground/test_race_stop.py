"""Races that stop on their stop iteration and say only what is true of their initial weights,
in a real Chromium against the real server."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import LANES, SLOW, Server, open_playground, wait_for_number_above
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser


def lane_iterations(page: Page) -> list[int]:
    """Every lane's last frame's iteration."""
    return page.evaluate("() => [...window.descent.store.frames.values()].map((f) => f.iteration)")


def test_a_lesson_stops_exactly_at_its_iterations(page: Page, server: Server):
    open_playground(page, server, "#speed=max")  # a race follows the playground's speed
    page.get_by_test_id("lesson-menu").select_option("planar-flower")
    page.wait_for_function(f"() => ({LANES})() === 2")
    expect(page.get_by_test_id("race-speed")).to_have_value("max")
    for lane in (0, 1):
        expect(page.get_by_test_id(f"race-iteration-{lane}")).to_have_text("10000", timeout=SLOW)
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    page.wait_for_timeout(500)
    assert lane_iterations(page) == [10000, 10000]
    expect(page.get_by_test_id("iteration")).to_have_text("10000")
    expect(page.get_by_test_id("status")).to_contain_text("the race stopped at iteration 10000")


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


def test_a_lesson_shows_its_result_beside_the_playground_with_the_courses_figures(
    page: Page, server: Server
):
    open_playground(page, server, "#speed=max")
    page.get_by_test_id("lesson-menu").select_option("planar-flower")
    summary = page.get_by_test_id("lesson-summary")
    expect(summary).to_be_visible()
    expect(page.get_by_test_id("summary-winner")).to_be_visible(timeout=SLOW)
    box, output = summary.bounding_box(), page.locator(".output-column").bounding_box()
    assert output["x"] <= box["x"] and box["y"] + box["height"] <= output["y"] + output["height"]
    frames = page.evaluate("() => [0, 1].map((i) => window.descent.store.frames.get(i))")
    assert [f["iteration"] for f in frames] == [10000, 10000]
    for i, course in enumerate(["47.0%", "90.8%"]):
        text = page.get_by_test_id(f"summary-lane-{i}").text_content()
        said = re.fullmatch(rf".*: course {re.escape(course)} — here (\d+\.\d)%", text)
        assert said, text
        assert abs(float(said.group(1)) / 100 - frames[i]["accuracy_train"]) <= 0.0005 + 1e-9
    winner = page.get_by_test_id("summary-winner")
    expect(winner).to_contain_text("Here the winner is 4 tanh units")
    expect(winner).to_contain_text("; in the course: 4 tanh units (90.8% training accuracy)")
    expect(page.get_by_test_id("race-note-1")).to_contain_text("winner:")
    expect(page.get_by_test_id("race-note-0")).not_to_contain_text("winner")
    page.get_by_test_id("summary-to-race").click()
    expect(page.get_by_test_id("race-panel")).to_be_in_viewport()


VERDICT = """async ([figures, lesson]) => {
  const v = await import("./static/js/playground/views/teaching/verdict.js");
  const labels = ["none", "L2", "dropout"];
  return [v.bestOf(figures, lesson.higher_is_better), v.winnerText(labels, figures, lesson)];
}"""


def test_the_winner_is_judged_by_the_lessons_own_criterion(page: Page, server: Server):
    open_playground(page, server)
    train = {"criterion": "accuracy_train", "higher_is_better": True}
    test = {"criterion": "accuracy_test", "higher_is_better": True}
    # the overfitting lane has the best training accuracy, L2 the best test accuracy
    assert page.evaluate(VERDICT, [[1.0, 0.93, 0.9], train])[0] == [0]
    best, text = page.evaluate(VERDICT, [[0.88, 0.93, 0.9], test])
    assert best == [1] and text == "the winner is L2 (93.0% test accuracy)"
    cost = {"criterion": "cost_test", "higher_is_better": False}
    assert page.evaluate(VERDICT, [[0.5, 0.3, None], cost])[1] == "the winner is L2 (0.3 test loss)"
    tie = page.evaluate(VERDICT, [[0.9, 0.9, 0.8], test])[1]
    assert tie.startswith("a tie between none and L2")
