"""The "no lang mismatch" check: on a Spanish page, every English text of the record sits
inside an element whose `lang` is English (so a screen reader reads it with an English voice).

The record's English texts are known (the database has them); a page's text nodes are read
with the language of their nearest element with a `lang`. The browser test runs the same
check in Chromium (`tests/browser/test_languages.py`)."""

from __future__ import annotations

from collections.abc import Iterable
from html.parser import HTMLParser

from adelante.catalogue.models import StatementName
from adelante.commitments.models import Commitment, Round

#: Elements that never hold text a reader is read.
_SILENT = {"script", "style", "template", "title"}
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class _Texts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.texts: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not data.strip() or any(tag in _SILENT for tag, _lang in self.stack):
            return
        lang = next((lang for _tag, lang in reversed(self.stack) if lang), "")
        self.texts.append((" ".join(data.split()), lang))


def text_nodes(html: str) -> list[tuple[str, str]]:
    """Each text of the page with the language it is marked as being in."""
    parser = _Texts()
    parser.feed(html)
    return parser.texts


def english_texts() -> set[str]:
    """The record's English texts that have no identical Spanish (a name such as "Visa" or
    a date is the same in both languages), long enough to be recognised."""
    found: set[str] = set()
    for c in Commitment.objects.all():
        for english, _spanish in Commitment.BILINGUAL_FIELDS:
            found.add(getattr(c, english))
    found.update(Round.objects.values_list("label", flat=True))
    found.update(StatementName.objects.values_list("name_en", flat=True))
    spanish_too = {
        *Commitment.objects.values_list("summary_es", flat=True),
        *Commitment.objects.values_list("focus_text_es", flat=True),
        *Round.objects.values_list("label_es", flat=True),
    }
    return {" ".join(t.split()) for t in found if len(t) > 12 and t not in spanish_too}


def mismatches(html: str, english: Iterable[str]) -> list[str]:
    """The English texts of the record found in a text node not marked as English."""
    wanted = list(english)
    wrong = []
    for text, lang in text_nodes(html):
        if lang.startswith("en"):
            continue
        wrong.extend(e for e in wanted if e in text or (len(text) > 40 and text in e))
    return wrong
