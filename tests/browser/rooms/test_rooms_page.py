"""Classroom rooms in a real Chromium: a teacher's dashboard, three students, a pushed lesson
with locked controls, pause, and the projector's spotlight following a student."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import OUTPUT, Server
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser

SLOW = 20_000  # ms: training on a shared machine
NAMES = ("Ada", "Grace", "Alan")
VIEWPORTS = ((1400, 900), (1024, 768), (390, 844))
TILE_ITERATION = """([name]) => {
  const tile = `[data-testid=tile][data-name="${name}"]`;
  const dd = document.querySelector(`${tile} [data-figure=iteration]`);
  return dd ? Number(dd.textContent) : -1;
}"""


@pytest.fixture
def pages(browser: Any) -> Iterator[tuple[Page, list[Page]]]:
    """The teacher's page and three students' pages, each in its own context (its own
    storage, as on separate laptops); any uncaught page error fails the test."""
    contexts, errors = [], []
    opened = []
    for _ in range(1 + len(NAMES)):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        contexts.append(context)
        opened.append(page)
    yield opened[0], opened[1:]
    for context in contexts:
        context.close()
    assert not errors, f"uncaught errors in the pages: {errors}"


def join(page: Page, server: Server, code: str, name: str) -> None:
    """Open the playground with ?room=CODE, give a nickname, wait for the room badge."""
    page.goto(f"{server.url}?room={code}")
    expect(page.get_by_test_id("room-dialog")).to_be_visible()
    expect(page.get_by_test_id("room-code-input")).to_have_value(code)
    page.get_by_test_id("room-name-input").fill(name)
    page.get_by_test_id("room-join").click()
    expect(page.get_by_test_id("room-badge")).to_have_text(f"Class {code} · {name}")


def tile_iteration(page: Page, name: str) -> int:
    """The iteration a student's tile shows (-1 without a tile)."""
    return int(page.evaluate(TILE_ITERATION, [name]))


def screenshots(page: Page, name: str) -> None:
    """The page at each viewport, saved to test-output/ for a look."""
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(600)
        page.screenshot(path=str(OUTPUT / f"rooms-{name}-{width}x{height}.png"))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} scrolls sideways at {width}px"
    page.set_viewport_size({"width": 1400, "height": 900})


def test_a_class_in_the_browser(server: Server, pages: tuple[Page, list[Page]]) -> None:
    teacher, students = pages
    teacher.goto(server.url + "teach")
    teacher.screenshot(path=str(OUTPUT / "rooms-start-1400x900.png"))
    teacher.get_by_test_id("create-room").click()
    code_box = teacher.get_by_test_id("room-code")
    expect(code_box).to_have_text(re.compile(r"^[2-9A-Z]{5}$"))
    code = code_box.text_content() or ""
    join_link = teacher.get_by_test_id("join-link")
    expect(join_link).to_have_attribute("href", f"{server.url}?room={code}")
    for page, name in zip(students, NAMES, strict=True):
        join(page, server, code, name)
        page.get_by_test_id("play").click()

    tiles = teacher.get_by_test_id("tile")
    expect(tiles).to_have_count(3, timeout=SLOW)
    first = [tile_iteration(teacher, name) for name in NAMES]
    teacher.wait_for_function(
        f"() => {list(NAMES)!r}.every((n, i) => ({TILE_ITERATION})([n]) > {first!r}[i])",
        timeout=SLOW,
    )
    expect(teacher.get_by_test_id("student-count")).to_have_text("3")

    # Push a lesson from a playground link, locking the optimizer and the learning rate.
    teacher.get_by_test_id("push-open").click()
    teacher.get_by_test_id("lesson-link").fill(
        "http://localhost/#optimizer=adam&learning_rate=0.01&hidden=3"
    )
    teacher.get_by_test_id("lock-optimizer").check()
    teacher.get_by_test_id("lock-learning_rate").check()
    teacher.screenshot(path=str(OUTPUT / "rooms-lesson-1400x900.png"))
    teacher.get_by_test_id("push-lesson").click()
    expect(teacher.get_by_test_id("notice")).to_contain_text("Lesson pushed")
    for page in students:
        expect(page.get_by_test_id("room-banner")).to_have_text("Your teacher sent a new lesson.")
        expect(page.get_by_test_id("optimizer")).to_be_hidden()
        expect(page.get_by_test_id("learning-rate")).to_be_hidden()
        expect(page.get_by_test_id("l2")).to_be_visible()
        page.wait_for_function(
            "() => window.descent.store.configured?.lanes[0].config.optimizer.name === 'adam'"
        )
        assert page.evaluate("window.descent.store.config.network.hidden") == [3]
    expect(teacher.locator("[data-testid=tile] .tile-settings").first).to_contain_text("adam")
    students[0].screenshot(path=str(OUTPUT / "rooms-student-1400x900.png"))

    # A pushed lesson starts paused: each student presses play; the projector follows one.
    for page in students:
        page.get_by_test_id("play").click()
        expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "true", timeout=SLOW)
    spotlight = teacher.context.new_page()
    spotlight.goto(teacher.get_by_test_id("spotlight-link").get_attribute("href") or "")
    expect(spotlight.get_by_test_id("spot-name")).to_contain_text("Waiting")
    teacher.locator('[data-testid=tile][data-name="Grace"] button').click()
    expect(spotlight.get_by_test_id("spot-name")).to_have_text("Grace")
    expect(students[1].get_by_test_id("room-banner")).to_have_text("Your run is on the projector.")
    spotlight.wait_for_function(
        "() => Number(document.querySelector('[data-testid=spot-iteration]').textContent) > 0",
        timeout=SLOW,
    )
    teacher.locator('[data-testid=tile][data-name="Alan"] button').click()
    expect(spotlight.get_by_test_id("spot-name")).to_have_text("Alan")
    expect(teacher.locator('[data-testid=tile][data-name="Alan"]')).to_have_class("tile spotlit")

    # Pause everyone: one consistent state on every student's page: play disabled with the
    # reason in the status; resume clears it and restores what each was doing.
    students[2].get_by_test_id("play").click()  # Alan pauses himself first
    expect(students[2].get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    teacher.get_by_test_id("pause-all").click()
    for page in students:
        expect(page.get_by_test_id("room-banner")).to_have_text("Your teacher paused the class.")
        expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
        expect(page.get_by_test_id("play")).to_be_disabled()
        expect(page.get_by_test_id("status")).to_contain_text("Your teacher paused the class")
        expect(page.get_by_test_id("status")).not_to_contain_text("Press play")
    students[0].keyboard.press("Space")  # play waits: no error, no flip
    expect(students[0].get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    expect(students[0].get_by_test_id("status")).not_to_contain_text("type:")
    teacher.get_by_test_id("resume-all").click()
    for page, running in zip(students, ("true", "true", "false"), strict=True):
        expect(page.get_by_test_id("play")).to_be_enabled()
        expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", running, timeout=SLOW)
        expect(page.get_by_test_id("status")).not_to_contain_text("paused the class")
    teacher.get_by_test_id("pause-all").click()
    for page in students:
        expect(page.get_by_test_id("play")).to_be_disabled()

    spotlight.bring_to_front()
    screenshots(spotlight, "spotlight")
    teacher.bring_to_front()
    screenshots(teacher, "teach")

    # The teacher closes the tab and reopens the dashboard with the teacher link.
    link = teacher.get_by_test_id("teacher-link").get_attribute("href") or ""
    teacher.close()
    again = spotlight.context.new_page()
    again.goto(link)
    expect(again.get_by_test_id("tile")).to_have_count(3, timeout=SLOW)
    # A lesson from the course arrives whole: its title, what to watch and its race.
    again.get_by_test_id("push-open").click()
    again.get_by_test_id("lesson-select").select_option("planar-flower")
    again.get_by_test_id("push-lesson").click()
    for page in students:
        expect(page.get_by_test_id("lesson-title")).to_be_visible(timeout=SLOW)
        expect(page.get_by_test_id("lesson-info")).to_contain_text("What to watch")
        expect(page.get_by_test_id("room-banner")).to_contain_text("sent the lesson")
        page.wait_for_function("() => window.descent.store.configured.lanes.length === 2")
    again.get_by_test_id("close-room").click()
    again.get_by_test_id("close-room").click()  # the second click confirms
    expect(again.get_by_test_id("start-error")).to_contain_text("closed")
    for page in students:
        expect(page.get_by_test_id("room-banner")).to_have_text(
            "The class has ended. Your run stays here."
        )
        expect(page.get_by_test_id("optimizer")).to_be_visible()
        expect(page.get_by_test_id("room-badge")).to_be_hidden()
        expect(page.get_by_test_id("room-open")).to_be_visible()
