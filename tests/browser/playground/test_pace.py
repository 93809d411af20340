"""Watchable and never lost, in a real Chromium against the real server: the speed control,
Step by one frame's worth, the header's links, and a run that resumes after a restart."""

from __future__ import annotations

import re
import time

import pytest

from tests.browser.conftest import (
    ITERATION,
    OUTPUT,
    SLOW,
    Server,
    open_playground,
    wait_for_hash,
    wait_for_iteration_above,
)
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser


def iteration(page: Page) -> int:
    """The iteration counter."""
    return int(page.evaluate(ITERATION))


def test_the_default_speed_lets_a_student_watch_the_boundary_form(page: Page, server: Server):
    open_playground(page, server)
    expect(page.get_by_test_id("speed")).to_have_value("10")
    wait_for_hash(page, "speed=10")
    page.get_by_test_id("play").click()
    wait_for_iteration_above(page, 0)
    started = time.monotonic()
    first = iteration(page)
    page.wait_for_timeout(3000)
    made = iteration(page) - first
    elapsed = time.monotonic() - started
    page.get_by_test_id("play").click()
    assert 100 <= made <= 3000 * elapsed / 3, f"{made} iterations in {elapsed:.1f} s"


def test_as_fast_as_it_goes_is_in_the_url_and_far_faster(page: Page, server: Server):
    open_playground(page, server, "#speed=max")
    expect(page.get_by_test_id("speed")).to_have_value("max")
    page.get_by_test_id("play").click()
    wait_for_iteration_above(page, 5000)
    page.get_by_test_id("play").click()
    page.get_by_test_id("speed").select_option("1")
    wait_for_hash(page, "speed=1")


def test_step_makes_one_frames_worth_and_its_tooltip_says_how_many(page: Page, server: Server):
    open_playground(page, server)
    step = page.get_by_test_id("step")
    expect(step).to_have_attribute("title", re.compile(r"^Step: 10 iterations, one frame"))
    step.click()
    expect(page.get_by_test_id("iteration")).to_have_text("10")
    page.get_by_test_id("speed").select_option("1")
    expect(step).to_have_attribute("title", re.compile(r"^Step: 1 iteration,"))
    step.click()
    expect(page.get_by_test_id("iteration")).to_have_text("11")
    page.get_by_test_id("speed").select_option("500")
    step.click()
    expect(page.get_by_test_id("iteration")).to_have_text("511")
    page.get_by_test_id("speed").select_option("max")
    expect(step).to_have_attribute("title", re.compile(r"1,000 iterations"))


def test_a_bad_speed_in_a_link_falls_back_with_a_message(page: Page, server: Server):
    open_playground(page, server, "#speed=99999")
    expect(page.get_by_test_id("speed")).to_have_value("10")
    expect(page.get_by_test_id("status")).to_contain_text("Speed:")


def test_the_header_links_to_the_other_pages(page: Page, server: Server):
    open_playground(page, server)
    expect(page.get_by_test_id("link-contours")).to_have_attribute("href", "contours")
    expect(page.get_by_test_id("link-teach")).to_have_attribute("href", "teach")
    sweeps = page.request.get(server.url + "sweeps").status == 200
    if sweeps:
        expect(page.get_by_test_id("link-sweeps")).to_be_visible()
    else:
        expect(page.get_by_test_id("link-sweeps")).to_be_hidden()
    page.get_by_test_id("link-contours").click()
    page.wait_for_url(re.compile(r"/contours$"))


def test_after_a_server_restart_the_run_goes_on_where_it_was(
    page: Page, restartable_server: Server
):
    open_playground(page, restartable_server, "#speed=50")
    page.get_by_test_id("play").click()
    wait_for_iteration_above(page, 3000)
    restartable_server.stop()  # SIGTERM: the server sends every session its checkpoint
    expect(page.get_by_test_id("connection")).to_have_attribute("data-state", "reconnecting")
    where = iteration(page)
    kept = page.evaluate("() => sessionStorage.getItem('descent.checkpoint') !== null")
    assert kept
    restartable_server.start()
    expect(page.get_by_test_id("connection")).to_have_attribute("data-state", "open", timeout=SLOW)
    resumed = page.get_by_test_id("resumed")
    expect(resumed).to_contain_text(re.compile(r"resumed at iteration \d+"), timeout=SLOW)
    at = int(re.search(r"iteration (\d+)", resumed.text_content()).group(1))
    assert where - 50 * 20 * 5 <= at <= where, (where, at)  # at most ~5 s of frames earlier
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "true")
    wait_for_iteration_above(page, at + 200)  # and it keeps training
    page.screenshot(path=str(OUTPUT / "resumed-after-restart.png"))
    page.get_by_test_id("play").click()


def test_at_390_px_the_new_controls_fit_without_sideways_scrolling(page: Page, server: Server):
    page.set_viewport_size({"width": 390, "height": 844})
    open_playground(page, server, "#activation=leaky_relu&learn_slope=1&l1=0.01")
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("iteration")).to_have_text("10")
    for control in ("speed", "l1", "link-contours"):
        page.get_by_test_id(control).scroll_into_view_if_needed()
        expect(page.get_by_test_id(control)).to_be_in_viewport()
    page.locator('path[data-link="2,0,0"]').click()
    box = page.get_by_test_id("weight-edit").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
