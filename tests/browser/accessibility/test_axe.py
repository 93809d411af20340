"""Every page in the states a user reaches, checked by axe-core (vendored, injected by the test
only: no page loads it): training, a lesson's race, the teacher's dashboard with tiles, the
projector, the contours page, a finished sweep. Any serious or critical violation fails."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import (
    ROOT,
    SLOW,
    Server,
    open_playground,
    wait_for_iteration_above,
)
from tests.browser.playwright_api import Page, expect
from tests.servers import served

pytestmark = pytest.mark.browser

AXE = ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"
VIEWPORTS = ((1400, 900), (390, 844))
SERIOUS = """async () => {
  const result = await window.axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => {
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ");
      return `${v.id} (${v.impact}): ${v.help} at ${where}`;
    });
}"""


@pytest.fixture
def axe_page(browser: Any) -> Iterator[Page]:
    """A page whose Content-Security-Policy lets the test inject axe (the pages never load it)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


def check(page: Page, state: str) -> None:
    """Fail on any serious or critical axe violation, at a desktop and a phone width."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.add_script_tag(path=str(AXE))
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(200)
        found = page.evaluate(SERIOUS)
        assert not found, f"{state} at {width}px:\n" + "\n".join(found)
    page.set_viewport_size({"width": 1400, "height": 900})


def test_the_playground_while_training_and_after_a_lesson(axe_page: Page, server: Server):
    open_playground(axe_page, server, "#speed=max")
    check(axe_page, "the playground, paused")
    axe_page.get_by_test_id("play").click()
    wait_for_iteration_above(axe_page, 200)
    check(axe_page, "the playground, training")
    axe_page.get_by_test_id("play").click()
    axe_page.get_by_test_id("lesson-menu").select_option("planar-flower")
    expect(axe_page.get_by_test_id("summary-winner")).to_be_visible(timeout=SLOW)
    check(axe_page, "a lesson's finished race")


def test_the_contours_page(axe_page: Page, server: Server):
    axe_page.goto(server.url + "contours")
    expect(axe_page.get_by_test_id("surface-plot")).to_be_visible()
    axe_page.wait_for_timeout(500)
    check(axe_page, "the contours page")


def test_the_teachers_dashboard_with_a_tile_and_the_projector(
    axe_page: Page, browser: Any, server: Server
):
    axe_page.goto(server.url + "teach")
    check(axe_page, "the teacher's start page")
    axe_page.get_by_test_id("create-room").click()
    code_box = axe_page.get_by_test_id("room-code")
    expect(code_box).to_have_text(re.compile(r"^[2-9A-Z]{5}$"))
    code = code_box.text_content() or ""
    student_context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    student = student_context.new_page()
    try:
        student.goto(f"{server.url}?room={code}")
        student.get_by_test_id("room-name-input").fill("Ada")
        check(student, "the join dialog")
        student.get_by_test_id("room-join").click()
        expect(student.get_by_test_id("room-badge")).to_have_text(f"Class {code} · Ada")
        student.get_by_test_id("play").click()
        expect(axe_page.locator("[data-testid=tile][data-name=Ada]")).to_be_visible(timeout=SLOW)
        check(axe_page, "the dashboard with a tile")
        axe_page.get_by_test_id("pause-all").click()
        expect(student.get_by_test_id("play")).to_be_disabled()
        check(student, "a student held by the teacher")
    finally:
        student_context.close()


@pytest.fixture(scope="module")
def sweep_server(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`descent serve` with two trial workers and a fresh sweep storage; its base URL."""
    folder: Path = tmp_path_factory.mktemp("sweeps")
    settings = {"DESCENT_DATA_DIR": str(folder), "DESCENT_SWEEP_WORKERS": "2"}
    with served(settings=settings) as (base, _):
        yield base


def test_a_finished_sweep(axe_page: Page, sweep_server: str):
    axe_page.goto(f"{sweep_server}/sweeps#hidden=3&learning_rate=0.5&optimizer=gd")
    check(axe_page, "the sweeps page")
    axe_page.fill("input[name=trials]", "3")
    axe_page.fill("input[name=iterations]", "200")
    axe_page.get_by_test_id("sweep-run").click()
    expect(axe_page.get_by_test_id("sweep-status")).to_contain_text("3 of 3", timeout=60_000)
    check(axe_page, "a finished sweep")
