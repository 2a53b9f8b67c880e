"""No lang mismatch, in Chromium: on the Spanish pages, every English text of the record is
inside an element whose `lang` is English, and a visible "(en inglés)" follows it. At 375 and
1280 px, with the real record (all of it translated) and one commitment that is not."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from adelante.commitments.models import Commitment, Round
from tests import builders
from tests.bilingual.lang_check import english_texts
from tests.snapshots import load_real_record

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

UNTRANSLATED = "Will train 300 nurses in rural clinics of Copán."

#: Every text node not in a script or style, with the language of its nearest `lang`: those
#: that contain one of the record's English texts and are not marked English.
MISMATCHES = """(english) => {
  const wrong = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, template")) continue;
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    if (!text) continue;
    const marked = parent.closest("[lang]");
    const lang = marked ? marked.getAttribute("lang") : "";
    if (lang.startsWith("en")) continue;
    for (const e of english) {
      if (text.includes(e) || (text.length > 40 && e.includes(text))) wrong.push(text);
    }
  }
  return wrong;
}"""

#: Each text marked as in the other language, with whether "(en inglés)" after it shows.
MARKED = """() => Array.from(document.querySelectorAll(".other-language")).map((el) => {
  const note = el.nextElementSibling;
  const box = note ? note.getBoundingClientRect() : null;
  return {
    text: el.textContent,
    lang: el.getAttribute("lang"),
    note: note ? note.textContent : "",
    shown: !!box && box.width > 0 && box.height > 0
      && getComputedStyle(note).visibility !== "hidden",
  };
})"""


@pytest.fixture
def record() -> Commitment:
    load_real_record()
    extra = builders.commitment("Clinica Norte", "2000000", datetime.date(2023, 2, 6))
    extra.title = ""
    extra.summary = UNTRANSLATED
    extra.save()
    return extra


def check(page: Any, url: str, english: list[str]) -> list[dict[str, Any]]:
    marked: list[dict[str, Any]] = []
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "es"
        assert page.evaluate(MISMATCHES, english) == [], (url, width)
        marked = page.evaluate(MARKED)
        for item in marked:
            assert item["lang"] == "en" and item["note"] == "(en inglés)", (url, item)
            assert item["shown"], (url, width, item)
    return marked


def test_no_english_text_outside_lang_en_on_spanish_pages(page, live_server, record):
    english = sorted(english_texts())
    base = live_server.url
    marked = check(page, f"{base}/es/commitments/{record.reference}/", english)
    # Its summary, and the label of the (untranslated) round the builder made for it.
    assert {m["text"] for m in marked} == {UNTRANSLATED, record.round.label}
    listing = check(page, f"{base}/es/commitments/?q=Cop%C3%A1n", english)
    assert listing and listing[0]["text"].startswith("Will train 300 nurses")
    for url in ("/es/", "/es/rounds/", "/es/partners/", "/es/countries/gt/"):
        check(page, f"{base}{url}", english)
    accion = Commitment.objects.get(partner__name="Accion")
    assert check(page, f"{base}/es/commitments/{accion.reference}/", english) == []
    for the_round in Round.objects.all():
        check(page, f"{base}/es/rounds/{the_round.slug}/", english)
