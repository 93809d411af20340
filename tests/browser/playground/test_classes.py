"""More than two classes in a real Chromium: the palette's colours on the boundary, the
classes control, the K output neurons, the confusion matrix and the softmax equations."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    OUTPUT,
    SLOW,
    Server,
    coloured,
    open_playground,
    wait_for_hash,
    wait_for_number_above,
)
from tests.browser.playwright_api import Page, expect

pytestmark = pytest.mark.browser

SOFTEN = 0.3  # boundary.js blends the class colours this far towards white
PALETTE = "async (k) => (await import('/static/js/shared/palette.js')).classColors(k)"
OUTPUT_UNITS = "() => document.querySelectorAll('.output-layer [data-unit]').length"
# How many boundary pixels are within tol (summed over r, g, b) of each of the colours.
COUNTS = """(cols, tol, id = 'boundary') => {
  const cv = document.querySelector(`[data-testid=${id}]`);
  const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
  const n = cols.map(() => 0);
  for (let i = 0; i < d.length; i += 4) {
    cols.forEach((c, k) => {
      const off = Math.abs(d[i] - c[0]) + Math.abs(d[i + 1] - c[1]) + Math.abs(d[i + 2] - c[2]);
      if (off <= tol) n[k]++;
    });
  }
  return n;
}"""


def boundary_colours(page: Page, k: int) -> list[list[int]]:
    """The K class colours as the boundary paints them (softened towards white)."""
    return [[round(c + (255 - c) * SOFTEN) for c in rgb] for rgb in page.evaluate(PALETTE, k)]


def choose_four_blobs_lesson(page: Page) -> None:
    """Pick the course-beyond lesson of four blobs and wait until its race has trained."""
    page.get_by_test_id("lesson-menu").select_option("softmax-blobs")
    page.wait_for_function("() => window.descent.store.configured.classes === 4")
    wait_for_number_above(page, "race-iteration-0", 1500)


def test_a_four_class_blobs_lesson_shows_four_colours_on_the_boundary(page: Page, server: Server):
    open_playground(page, server)
    choose_four_blobs_lesson(page)
    colours = boundary_colours(page, 4)
    # Each blob's region is painted in its class colour (a_k near 1 inside the region).
    four = f"(c) => ({COUNTS})(c, 60).every((n) => n > 800)"
    page.wait_for_function(four, arg=colours, timeout=SLOW)
    counts = [coloured(page, "boundary", rgb) for rgb in colours]
    assert all(n > 800 for n in counts), counts
    # The race's own lane boxes mix the same colours.
    boxes = page.evaluate(f"(c) => ({COUNTS})(c, 60, 'race-boundary-1')", colours)
    assert all(n > 100 for n in boxes), boxes
    # Four output neurons, a legend of four classes, a 4 x 4 confusion matrix.
    assert page.evaluate(OUTPUT_UNITS) == 4
    expect(page.get_by_test_id("class-legend").locator(".class-key")).to_have_count(4)
    table = page.get_by_test_id("confusion-train")
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table.locator("tbody tr").first.locator("td[data-cell]")).to_have_count(4)
    for k in range(4):
        expect(page.get_by_test_id(f"per-class-train-{k}")).to_contain_text("%")


def test_discretize_paints_each_region_in_exactly_its_class_colour(page: Page, server: Server):
    open_playground(page, server, "#dataset=blobs&classes=4&hidden=8&learning_rate=1")
    page.get_by_test_id("play").click()
    wait_for_number_above(page, "iteration", 300)
    page.get_by_test_id("play").click()
    page.get_by_test_id("discretize").check()
    colours = boundary_colours(page, 4)
    page.wait_for_function(f"(c) => ({COUNTS})(c, 3).every((n) => n > 2000)", arg=colours)
    page.locator(".output-layer [data-unit='2']").hover()
    expect(page.locator("[data-role=tooltip]")).to_contain_text("Softmax unit 3")
    expect(page.locator("[data-role=tooltip]")).to_contain_text("probability of class 2")


def test_the_classes_control_changes_k_and_travels_in_the_link(page: Page, server: Server):
    open_playground(page, server)
    expect(page.get_by_test_id("classes")).to_be_hidden()  # the flower has two classes
    page.get_by_test_id("dataset-spiral").click()
    slider = page.get_by_test_id("classes")
    expect(slider).to_be_visible()
    expect(slider).to_have_attribute("max", "8")
    slider.fill("5")
    wait_for_hash(page, "dataset=spiral", "classes=5")
    page.wait_for_function("() => window.descent.store.configured.classes === 5")
    page.wait_for_function(f"() => ({OUTPUT_UNITS})() === 5")
    expect(page.get_by_test_id("class-legend").locator(".class-key")).to_have_count(5)

    other = page.context.new_page()
    other.goto(page.url)
    other.wait_for_function("() => window.descent?.store.configured?.classes === 5")
    expect(other.get_by_test_id("classes")).to_have_value("5")
    other.close()
    page.get_by_test_id("dataset-moons").click()  # back to two classes: today's look
    page.wait_for_function("() => window.descent.store.configured.classes === 2")
    expect(page.get_by_test_id("classes")).to_be_hidden()
    expect(page.get_by_test_id("class-legend")).to_be_hidden()
    page.wait_for_function(f"() => ({OUTPUT_UNITS})() === 1")


def test_a_link_with_too_many_classes_falls_back_and_names_the_field(page: Page, server: Server):
    open_playground(page, server, "#dataset=moons&classes=5")
    expect(page.get_by_test_id("status")).to_contain_text("Classes:")
    assert page.evaluate("() => window.descent.store.configured.classes") == 2


def test_the_equations_show_softmax_its_cost_and_why_dz_is_a_minus_y(page: Page, server: Server):
    open_playground(page, server, "#dataset=blobs&classes=4")
    panel = page.get_by_test_id("equations")
    expect(panel.get_by_test_id("equations-softmax")).to_be_visible()
    tex = panel.get_by_test_id("equations-softmax").locator("[data-tex]").first
    assert "e^{z_k}" in (tex.get_attribute("data-tex") or "")
    cost = panel.get_by_test_id("equations-cost").locator("[data-tex]").first
    assert "y_k^{(i)} \\log a_k^{(i)}" in (cost.get_attribute("data-tex") or "")
    expect(panel.get_by_test_id("equations-dZ")).to_contain_text("Jacobian")
    expect(panel.get_by_test_id("equations-shape-W2")).to_contain_text("(4, 4)")
    page.get_by_test_id("dataset-flower").click()
    expect(panel.get_by_test_id("equations-softmax")).to_have_count(0)


@pytest.mark.parametrize("width,height", [(1400, 900), (1024, 768), (390, 844)])
def test_screenshots_of_four_blobs_and_of_draw_mode(page: Page, server: Server, width, height):
    page.set_viewport_size({"width": width, "height": height})
    open_playground(page, server, "#dataset=blobs&classes=4&hidden=8&learning_rate=1")
    page.get_by_test_id("play").click()
    wait_for_number_above(page, "iteration", 300)
    page.get_by_test_id("play").click()
    expect(page.get_by_test_id("confusion-train")).to_be_visible()
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"classes-{width}.png"), full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    page.get_by_test_id("draw").check()
    expect(page.get_by_test_id("draw-tools")).to_be_visible()
    page.get_by_test_id("draw-tools").scroll_into_view_if_needed()
    page.screenshot(path=str(OUTPUT / f"draw-{width}.png"), full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
