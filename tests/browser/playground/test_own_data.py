"""The user's own data in a real Chromium: draw mode on the boundary, CSV upload (good and
broken) and download, custom points in the link, and regenerate switched off for them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.browser.conftest import (
    OUTPUT,
    SLOW,
    Server,
    open_playground,
    wait_for_hash,
    wait_until_ready,
)
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser

CONFIGURED = "() => window.descent.store.configured"
# True once the session trains on n custom points.
CUSTOM_OF = "(n) => ((c) => c.custom && c.train.x.length === n)(window.descent.store.configured)"
POINTS = "() => window.descent.store.config.dataset.points"
# Counts the configure messages the page sends from now on (window.configures).
COUNT_CONFIGURES = """() => {
  window.configures = 0;
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (JSON.parse(data).type === "configure") window.configures += 1;
    return send.call(this, data);
  };
}"""


def click_at(page: Page, fx: float, fy: float, **options) -> None:
    """Click the boundary canvas at a fraction (fx, fy) of its width and height."""
    box = page.get_by_test_id("boundary").bounding_box()
    position = {"x": box["width"] * fx, "y": box["height"] * fy}
    page.get_by_test_id("boundary").click(position=position, **options)


def start_drawing(page: Page) -> None:
    """Draw mode on, and an empty drawing."""
    page.get_by_test_id("draw").check()
    expect(page.get_by_test_id("draw-tools")).to_be_visible()
    page.get_by_test_id("draw-clear").click()
    page.wait_for_function(f"() => ({POINTS})()?.length === 0")


def test_draw_five_points_of_three_classes_and_train_to_100_percent(page: Page, server: Server):
    open_playground(page, server)
    start_drawing(page)
    status = page.get_by_test_id("draw-status")
    expect(status).to_contain_text("missing")
    page.get_by_test_id("draw-add-class").click()  # a third class
    expect(page.get_by_test_id("draw-class-2")).to_be_visible()
    page.evaluate(COUNT_CONFIGURES)
    page.get_by_test_id("draw-class-0").click()
    click_at(page, 0.3, 0.3)
    click_at(page, 0.35, 0.25)
    page.get_by_test_id("draw-class-1").click()
    click_at(page, 0.8, 0.3)
    click_at(page, 0.75, 0.35)
    expect(status).to_contain_text("still missing: a point of class 2")
    assert page.evaluate("() => window.configures") == 0  # nothing sent while incomplete
    expect(page.get_by_test_id("confusion")).to_be_hidden()  # no figures of other points
    page.get_by_test_id("draw-class-2").click()
    click_at(page, 0.55, 0.8)
    expect(status).not_to_contain_text("missing")
    page.wait_for_function(CUSTOM_OF, arg=5)
    configured = page.evaluate(CONFIGURED)
    assert configured["classes"] == 3
    assert sorted(configured["train"]["y"]) == [0, 0, 1, 1, 2]
    for x1, x2 in configured["train"]["x"]:  # data coordinates, rounded to 4 decimals
        assert round(x1, 4) == x1 and round(x2, 4) == x2
    page.get_by_test_id("play").click()
    expect(page.get_by_test_id("accuracy-train")).to_have_text("100.0%", timeout=SLOW)
    page.get_by_test_id("play").click()
    expect(page.get_by_test_id("confusion-train").locator("tbody tr")).to_have_count(3)
    expect(page.get_by_test_id("regenerate")).to_be_disabled()
    reason = page.evaluate("() => window.descent.store.options.custom.regenerate")
    expect(page.get_by_test_id("regenerate-why")).to_contain_text(reason)


def test_shift_click_and_the_eraser_remove_the_nearest_point(page: Page, server: Server):
    open_playground(page, server)
    start_drawing(page)
    for fx in (0.3, 0.5, 0.7):
        click_at(page, fx, 0.5)
    page.wait_for_function(f"() => ({POINTS})().length === 3")
    click_at(page, 0.51, 0.52, modifiers=["Shift"])
    page.wait_for_function(f"() => ({POINTS})().length === 2")
    page.get_by_test_id("draw-eraser").click()
    click_at(page, 0.69, 0.49)
    page.wait_for_function(f"() => ({POINTS})().length === 1")
    left = page.evaluate(POINTS)[0]
    assert left[0] < 0  # the point at 30% of the width, left of the centre of flower's extent
    page.get_by_test_id("draw-clear").click()
    page.wait_for_function(f"() => ({POINTS})().length === 0")


def test_draw_mode_starts_from_the_data_on_show(page: Page, server: Server):
    open_playground(page, server, "#dataset=blobs&classes=4")
    page.get_by_test_id("draw").check()
    expect(page.get_by_test_id("draw-class-3")).to_be_visible()
    assert not page.evaluate(CONFIGURED)["custom"]  # toggling changes nothing yet
    click_at(page, 0.5, 0.5)
    page.wait_for_function(CUSTOM_OF, arg=401)
    assert page.evaluate(CONFIGURED)["classes"] == 4


def test_regression_points_take_the_target_from_the_slider(page: Page, server: Server):
    open_playground(page, server)
    page.get_by_test_id("problem").select_option("regression")
    page.wait_for_function(f"() => ({CONFIGURED})().problem === 'regression'")
    start_drawing(page)
    expect(page.get_by_test_id("draw-target")).to_be_visible()
    expect(page.get_by_test_id("draw-class-0")).to_have_count(0)
    page.get_by_test_id("draw-target").fill("-0.75")
    click_at(page, 0.3, 0.4)
    page.get_by_test_id("draw-target").fill("0.5")
    click_at(page, 0.7, 0.6)
    page.wait_for_function(CUSTOM_OF, arg=2)
    assert sorted(page.evaluate(CONFIGURED)["train"]["y"]) == [-0.75, 0.5]


GOOD_CSV = (
    "x1,x2,label\n# three animals\n0,0,cat\n0.2,0.1,cat\n3,3,dog\n3.1,2.9,dog\n"
    "-3,3,bird\n-2.9,3.2,bird\n"
)
BROKEN_CSV = "x1,x2,label\n0,0,cat\nabc,1,dog\n"


def upload(page: Page, text: str, name: str) -> None:
    """Choose a CSV file in the data panel."""
    page.get_by_test_id("csv-file").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    )


def test_upload_a_csv_trains_on_its_points_and_shows_its_legend(page: Page, server: Server):
    open_playground(page, server)
    upload(page, GOOD_CSV, "animals.csv")
    page.wait_for_function(f"() => ({CONFIGURED})().custom && ({CONFIGURED})().classes === 3")
    legend = page.get_by_test_id("class-legend")
    for name in ("cat", "dog", "bird"):
        expect(legend).to_contain_text(name)
    summary = page.get_by_test_id("own-data-summary")
    expect(summary).to_contain_text("animals.csv: 6 points, 3 classes")
    page.get_by_test_id("play").click()
    expect(page.get_by_test_id("confusion-train")).to_contain_text("bird")
    page.get_by_test_id("play").click()
    wait_for_hash(page, "dataset=custom", "classes=3")
    assert "points=" in page.url

    with page.expect_download() as download:
        page.get_by_test_id("csv-download").click()
    text = Path(download.value.path()).read_text()
    assert text.splitlines()[0] == "x1,x2,label"
    assert sorted(line.split(",")[2] for line in text.splitlines()[1:]) == sorted(
        ["cat", "cat", "dog", "dog", "bird", "bird"]
    )


def test_a_broken_csv_says_where_and_why_and_changes_nothing(page: Page, server: Server):
    open_playground(page, server)
    before = page.evaluate(CONFIGURED)
    url = page.url
    page.evaluate(COUNT_CONFIGURES)
    upload(page, BROKEN_CSV, "broken.csv")
    message = page.get_by_test_id("data-message")
    expect(message).to_contain_text("line 3, column 1: 'abc' is not a number")
    expect(message).to_contain_text("broken.csv")
    assert page.evaluate("() => window.configures") == 0
    assert page.evaluate(CONFIGURED) == before
    assert page.url == url
    expect(page.get_by_test_id("dataset-flower")).to_have_attribute("aria-pressed", "true")


def test_download_a_built_in_dataset_as_csv(page: Page, server: Server):
    open_playground(page, server, "#dataset=spiral&classes=3&samples=300")
    with page.expect_download() as download:
        page.get_by_test_id("csv-download").click()
    assert download.value.suggested_filename == "spiral.csv"
    lines = Path(download.value.path()).read_text().splitlines()
    assert lines[0] == "x1,x2,label" and len(lines) == 301
    assert {line.split(",")[2] for line in lines[1:]} == {"0", "1", "2"}


def test_a_link_with_custom_data_round_trips(page: Page, server: Server):
    open_playground(page, server)  # the flower's 400 points
    page.get_by_test_id("draw").check()
    click_at(page, 0.5, 0.5)  # one more point: the drawing is custom from here ...
    click_at(page, 0.5, 0.5, modifiers=["Shift"])  # ... and without it again: 400 points
    page.wait_for_function(CUSTOM_OF, arg=400)
    wait_for_hash(page, "dataset=custom")
    page.wait_for_url(re.compile(r"[#&]points="))
    link = page.url
    points = page.evaluate(POINTS)
    assert len(points) == 400
    OUTPUT.mkdir(exist_ok=True)
    packed = link.split("points=")[1]
    record = {"points": len(points), "link_characters": len(link), "points_field": len(packed)}
    (OUTPUT / "custom-link-length.json").write_text(json.dumps(record))
    assert len(link) < 6000  # about 10 characters a point

    other = page.context.new_page()
    other.goto(link)
    wait_until_ready(other)
    other.wait_for_function(CUSTOM_OF, arg=400)
    assert other.evaluate(POINTS) == points
    other.close()


def test_a_corrupt_or_too_long_link_falls_back_and_names_the_field(page: Page, server: Server):
    open_playground(page, server, "#dataset=custom&points=AAAAnotdeflate")
    expect(page.get_by_test_id("status")).to_contain_text("Drawn points:")
    expect(page.get_by_test_id("status")).to_contain_text("corrupt")
    assert page.evaluate(CONFIGURED)["custom"] is False
    expect(page.get_by_test_id("dataset-flower")).to_have_attribute("aria-pressed", "true")

    many = [[i / 1000, (i % 7) / 7, i % 2] for i in range(2001)]
    packed = page.evaluate(
        "async (p) => (await import('/static/js/shared/pointlink.js')).packPoints(p)", many
    )
    other = page.context.new_page()
    other.goto(f"{server.url}#dataset=custom&points={packed}")
    wait_until_ready(other)
    expect(other.get_by_test_id("status")).to_contain_text("Drawn points:")
    expect(other.get_by_test_id("status")).to_contain_text("too long")
    assert other.evaluate(CONFIGURED)["custom"] is False
    other.close()


def test_more_classes_than_the_points_have_is_not_sent_and_says_why(page: Page, server: Server):
    open_playground(page, server)
    upload(page, GOOD_CSV, "animals.csv")
    page.wait_for_function(f"() => ({CONFIGURED})().custom && ({CONFIGURED})().classes === 3")
    page.evaluate(COUNT_CONFIGURES)
    page.get_by_test_id("classes").fill("4")
    wait_for_hash(page, "classes=4")
    summary = page.get_by_test_id("own-data-summary")
    expect(summary).to_contain_text("not sent yet, still missing: a point of class 3")
    assert page.evaluate("() => window.configures") == 0
    assert page.evaluate(CONFIGURED)["classes"] == 3
    page.get_by_test_id("classes").fill("3")
    expect(summary).not_to_contain_text("not sent")
    page.wait_for_function("() => window.configures === 1")
