"""The sweeps page on a real server with trial workers: run, watch, sort, open a trial."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.playwright_api import Page, expect
from tests.servers import served

pytestmark = pytest.mark.browser

SCATTER_INK = """() => {
  const c = document.querySelector('[data-view=scatter]');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) n += d[i] > 0;
  return n;
}"""


@pytest.fixture(scope="module")
def sweep_server(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`descent serve` with two trial workers and a fresh sweep storage; its base URL."""
    folder: Path = tmp_path_factory.mktemp("sweeps")
    settings = {"DESCENT_DATA_DIR": str(folder), "DESCENT_SWEEP_WORKERS": "2"}
    with served(settings=settings) as (base, _):
        yield base


def test_a_sweep_from_a_playground_link_runs_and_each_trial_opens_in_the_playground(
    page: Page, sweep_server: str
):
    page.goto(f"{sweep_server}/sweeps#hidden=3&learning_rate=0.5&optimizer=gd")
    expect(page.get_by_test_id("base-config")).to_contain_text("hidden [3]")
    ink_before = page.evaluate(SCATTER_INK)
    page.fill("input[name=trials]", "6")
    page.fill("input[name=iterations]", "500")
    page.get_by_test_id("sweep-run").click()
    expect(page.get_by_test_id("sweep-status")).to_have_text(
        "done: 6 of 6 trials finished", timeout=60_000
    )
    rows = page.locator("[data-testid=sweep-table] tbody tr")
    expect(rows).to_have_count(6)
    values = [float(v) for v in rows.locator("td:nth-child(4)").all_text_contents()]
    assert values == sorted(values)  # sorted by value, best first
    page.click("th[data-sort=value]")
    values = [float(v) for v in rows.locator("td:nth-child(4)").all_text_contents()]
    assert values == sorted(values, reverse=True)
    assert page.evaluate(SCATTER_INK) > ink_before  # six dots and the best one's ring
    link = rows.first.locator("a")
    href = link.get_attribute("href")
    assert href.startswith("./#") and "hidden=3" in href
    assert re.search(r"learning_rate=0\.\d+|learning_rate=\d", href)
    with page.context.expect_page() as opened:
        link.click()  # a new tab: the sweep stays on screen
    opened.value.wait_for_url(re.compile(r"/#dataset=flower.*learning_rate="))
    expect(page.get_by_test_id("sweep-status")).to_have_text("done: 6 of 6 trials finished")


def test_a_bad_range_shows_the_servers_message_naming_the_field(page: Page, sweep_server: str):
    page.goto(f"{sweep_server}/sweeps")
    page.fill("input[name=lr-low]", "0")
    page.get_by_test_id("sweep-run").click()
    errors = page.locator("[data-view=errors]")
    expect(errors).to_contain_text("A log range must start above 0.")  # a sentence, no field path
    expect(errors).not_to_contain_text("space.optimizer")
    expect(page.get_by_test_id("sweep-status")).to_contain_text("Not started")


def test_the_sweeps_page_fits_a_phone_without_sideways_scrolling(page: Page, sweep_server: str):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{sweep_server}/sweeps")
    expect(page.get_by_test_id("base-config")).to_contain_text("hidden")
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
