"""The history slider: drag it to see the run at a past iteration, then go back to live."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    ITERATION,
    SLOW,
    Server,
    open_playground,
    wait_for_iteration_above,
)
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser


def boundary_pixels(page: Page) -> list[int]:
    """A coarse sample of the boundary canvas's pixels (to see that the picture changed)."""
    return page.evaluate(
        """() => {
          const c = document.querySelector('[data-testid="boundary"]');
          const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
          const out = [];
          for (let i = 0; i < d.length; i += 4 * 97) out.push(d[i], d[i + 1], d[i + 2]);
          return out;
        }"""
    )


def test_dragging_the_slider_shows_a_past_iteration_and_live_comes_back(page: Page, server: Server):
    open_playground(page, server, "#speed=max")
    page.get_by_test_id("play").click()
    wait_for_iteration_above(page, 3000)
    page.get_by_test_id("play").click()  # pause
    expect(page.get_by_test_id("replay-label")).to_contain_text("live", timeout=SLOW)
    now = int(page.evaluate(ITERATION))
    live_picture = boundary_pixels(page)
    slider = page.get_by_test_id("replay-slider")
    slider.evaluate("(s) => { s.value = '40'; s.dispatchEvent(new Event('input')); }")
    expect(page.get_by_test_id("replay-label")).to_have_text("iteration 40 (replay)")
    page.wait_for_function(f"() => ({ITERATION})() === 40", timeout=SLOW)
    page.wait_for_timeout(500)  # the replay's grids decode
    assert boundary_pixels(page) != live_picture, "the boundary shows the early network"
    page.get_by_test_id("replay-live").click()  # (the pause's last frame may come after `now`)
    page.wait_for_function(f"() => ({ITERATION})() >= {now}", timeout=SLOW)
    expect(page.get_by_test_id("replay-label")).to_contain_text("live: iteration")
    assert int(page.evaluate(ITERATION)) >= now
