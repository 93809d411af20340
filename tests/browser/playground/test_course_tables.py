"""A table lesson in a real Chromium: the course's hidden-size table on its own flower, filled
row by row with the figures the server computes (exactly the course's)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import OUTPUT, SLOW, Server, open_playground
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser


def test_the_hidden_size_lesson_fills_the_courses_table(page: Page, server: Server):
    open_playground(page, server)
    page.get_by_test_id("lesson-menu").select_option("hidden-size-small")
    table = page.get_by_test_id("summary-table")
    expect(table).to_be_visible(timeout=SLOW)
    expect(table.locator("thead th")).to_have_count(3)  # no test figures in this table
    for row, figure in enumerate(["67.50%", "67.25%", "90.75%", "90.50%"]):
        cells = page.get_by_test_id(f"summary-row-{row}").locator("td")
        expect(cells.nth(0)).to_have_text(figure)  # the course's
        expect(cells.nth(1)).to_have_text(figure, timeout=3 * SLOW)  # here, the same
    OUTPUT.mkdir(exist_ok=True)
    page.locator("[data-view=lesson-summary]").screenshot(path=str(OUTPUT / "course-table.png"))
