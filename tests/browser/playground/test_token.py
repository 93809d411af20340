"""A server started with DESCENT_TOKEN: the page asks for the token once, then trains."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.conftest import (
    OUTPUT,
    READY,
    Server,
    wait_for_iteration_above,
    wait_until_ready,
)
from tests.browser.playwright_api import Page, expect
from tests.servers import free_port

pytestmark = pytest.mark.browser

TOKEN = "classroom-42"


@pytest.fixture(scope="module")
def token_server(chromium_path: str) -> Iterator[Server]:
    """The real server with DESCENT_TOKEN set (the environment is read at start)."""
    OUTPUT.mkdir(exist_ok=True)
    server = Server(free_port(), OUTPUT / "server-token.log")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DESCENT_TOKEN", TOKEN)
        server.start()
    yield server
    server.stop()


def watch(page: Page, answer: str) -> tuple[list[str], list[str]]:
    """Answer every prompt with `answer`; collect prompts and CSP complaints."""
    prompts: list[str] = []
    refused: list[str] = []

    def on_dialog(dialog) -> None:
        prompts.append(dialog.message)
        dialog.accept(answer)

    page.on("dialog", on_dialog)
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return prompts, refused


def test_the_page_asks_for_the_token_once_then_trains(page: Page, token_server: Server):
    prompts, refused = watch(page, TOKEN)
    page.goto(token_server.url)
    wait_until_ready(page)
    page.get_by_test_id("play").click()
    wait_for_iteration_above(page, 20)
    page.get_by_test_id("play").click()
    assert len(prompts) == 1 and "token" in prompts[0]
    assert page.evaluate("sessionStorage.getItem('descent.token')") == TOKEN
    # the teaching panels' REST calls went through too (lessons come from /api/lessons)
    expect(page.get_by_test_id("lesson-menu").locator("option")).not_to_have_count(1)
    page.reload()
    wait_until_ready(page)
    assert len(prompts) == 1, "the tab keeps the token: no second question"
    assert not refused, refused
    assert TOKEN not in token_server.log_path.read_text(), "the log shows token=*** only"


def test_a_wrong_token_is_asked_for_again(page: Page, token_server: Server):
    answers = iter(["wrong", TOKEN, TOKEN, TOKEN])
    prompts: list[str] = []

    def on_dialog(dialog) -> None:
        prompts.append(dialog.message)
        dialog.accept(next(answers))

    page.on("dialog", on_dialog)
    page.goto(token_server.url)
    page.wait_for_function(READY, timeout=30_000)
    expect(page.get_by_test_id("connection")).to_have_attribute("data-state", "open")
    assert len(prompts) >= 2
    assert page.evaluate("sessionStorage.getItem('descent.token')") == TOKEN
