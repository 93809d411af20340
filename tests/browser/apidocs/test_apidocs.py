"""The interactive API docs render offline: Swagger UI from this server, under its CSP."""

import pytest

from tests.browser.conftest import Server
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser


def test_swagger_ui_lists_the_train_route_without_any_outside_request(
    page: Page, server: Server
) -> None:
    outside: list[str] = []
    page.on(
        "request",
        lambda request: None if request.url.startswith(server.url) else outside.append(request.url),
    )
    page.goto(server.url + "docs")
    expect(page.get_by_text("/api/train").first).to_be_visible(timeout=20_000)
    assert outside == []
