"""The portal on a phone (375 x 740) and on a desktop (1280), in both languages: no cell of a
list or table off screen, no chart label cut or left out, the map with its table, and the
overview's official figure and its verdict against the record in the first screen. One page
load per page, language and width; the Spanish phone pages are kept as screenshots in
test-artifacts/."""

from __future__ import annotations

import os
from typing import Any

import pytest

from adelante.commitments.models import Commitment, Round
from adelante.partners.models import Partner
from tests.browser.conftest import ARTIFACTS, LIVE_REQUESTS, PageProblems, close
from tests.snapshots import load_real_record

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

#: Every box of a table (cells, captions, the stacked cards) must lie within the viewport.
OFF_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  const off = [];
  const boxes = 'main table, main caption, main tr, main th, main td, main .card';
  for (const el of document.querySelectorAll(boxes)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.left < -0.5 || box.right > width + 0.5) {
      const text = el.textContent.trim().slice(0, 40);
      off.push(`${el.tagName} "${text}" ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  return off;
}"""

#: Each chart's tick labels: every category has one, and each drawn label (measured with the
#: font Chart.js drew it in) fits inside the canvas.
CHART_LABELS = """() => {
  const problems = [];
  for (const canvas of document.querySelectorAll('canvas[data-chart]')) {
    const chart = window.Chart.getChart(canvas);
    if (!chart) { problems.push(`${canvas.dataset.chart}: not drawn`); continue; }
    const name = canvas.dataset.chart;
    if (chart.config.type === 'bar') {
      const y = chart.scales.y;
      if (y.ticks.length !== chart.data.labels.length) {
        problems.push(`${name}: ${y.ticks.length} of ${chart.data.labels.length} bars labelled`);
      }
    }
    for (const scale of Object.values(chart.scales)) {
      for (const item of scale.getLabelItems()) {
        chart.ctx.font = item.font.string;
        const lines = Array.isArray(item.label) ? item.label : [item.label];
        const width = Math.max(...lines.map((line) => chart.ctx.measureText(String(line)).width));
        const x = item.options.translation[0];
        const align = item.options.textAlign;
        const left = align === 'right' ? x - width : align === 'center' ? x - width / 2 : x;
        if (left < -0.5 || left + width > chart.width + 0.5) {
          const span = `${Math.round(left)}..${Math.round(left + width)}`;
          problems.push(`${name}: "${lines.join(' ')}" drawn ${span} of ${chart.width}`);
        }
      }
    }
  }
  return problems;
}"""


CHARTS_DRAWN = """() => {
  const canvases = [...document.querySelectorAll('canvas[data-chart]')];
  return canvases.length > 0 && canvases.every((c) => window.Chart && window.Chart.getChart(c));
}"""


def page_paths() -> dict[str, str]:
    commitment = Commitment.objects.order_by("reference").first()
    assert commitment is not None
    last_round = Round.objects.order_by("announced_on").last()
    assert last_round is not None
    return {
        "overview": "",
        "explorer": "commitments/",
        "commitment": f"commitments/{commitment.reference}/",
        "partners": "partners/",
        "partner": f"partners/{Partner.objects.get(name='Millicom').slug}/",
        "rounds": "rounds/",
        "round": f"rounds/{last_round.slug}/",
        "countries": "countries/",
        "country": "countries/hn/",
    }


def screenshot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"phone-{name}.png"
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    partial.write_bytes(page.screenshot(full_page=True))
    partial.replace(path)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
@pytest.mark.parametrize("language", ["es", "en"])
def test_lists_charts_and_map_read_at_every_width(browser, live_server, language, viewport):
    load_real_record()
    context = browser.new_context(viewport=viewport, locale=language)
    page = context.new_page()
    problems = PageProblems(live_server.url)
    problems.attach(page)
    try:
        for name, path in page_paths().items():
            page.goto(f"{live_server.url}/{language}/{path}")
            page.wait_for_load_state("networkidle")
            phone = viewport is PHONE
            if phone:
                assert page.evaluate(OFF_SCREEN) == [], f"{name}: off screen at 375 px"
            if name == "overview":
                # Charts are drawn as they come near the screen: bring each one into view.
                for canvas in page.locator("canvas[data-chart]").all():
                    canvas.scroll_into_view_if_needed()
                page.wait_for_function(CHARTS_DRAWN)
                page.wait_for_timeout(400)  # the charts' resize and animation settle
                assert page.evaluate(CHART_LABELS) == [], f"chart labels at {viewport['width']} px"
                # The PNG download is offered once the chart is drawn, and is the picture.
                png = page.locator("a[data-png-for]").first
                assert png.is_visible()
                if phone:
                    with page.expect_download() as download:
                        png.click()
                    assert download.value.suggested_filename.endswith(".png")
                    assert download.value.path().read_bytes().startswith(b"\x89PNG")
                if phone:
                    for figure in ("official", "verdict"):
                        box = page.locator(f"[data-figure={figure}]").first.bounding_box()
                        assert box is not None and box["y"] + box["height"] <= PHONE["height"], (
                            figure
                        )
            if name in ("overview", "country"):
                assert page.locator("svg.country-map").count() == 1
                assert page.locator("table[data-map-table] tbody tr").count() == 3
            if name == "explorer":
                # The result count comes before the folded filters; on a phone they stay folded.
                assert page.locator("details.more-filters").evaluate("d => d.open") is not phone
            if phone and language == "es":
                screenshot(page, f"{language}-{name}")
    finally:
        close(context)
    assert LIVE_REQUESTS.wait_until_idle(timeout=60)
    assert problems.errors == []
