"""Hardened XML reading for IATI files: no entities, no DTD, no network, streaming.

Every parser here is built with `SAFE_OPTIONS`: entities are never substituted, no DTD is
loaded and nothing is fetched over the network. On top of that a file that declares a document
type at all is refused: IATI files never have one, and a DTD is where billion-laughs and
external-entity (XXE) attacks live. libxml2's own limits on the size of a single node stay on
(no `huge_tree`): they bound one text or one name, not the file, which is read as a stream.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree

#: Options of every lxml parser that reads a file from outside.
SAFE_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
}

_LINE_SUFFIX = re.compile(r",? line \d+(, column \d+)?\s*$")

ACTIVITY = "iati-activity"
ACTIVITIES = "iati-activities"


class XmlFileError(Exception):
    """A file that cannot be read: not well-formed, truncated, hostile, or not an IATI file."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        if self.line:
            return _("line %(line)d: %(message)s") % {"line": self.line, "message": self.message}
        return self.message


class HostileXml(XmlFileError):
    """A document type declaration: the carrier of entity expansion and external entities."""


#: White space, and the bytes of a UTF-8 or UTF-16 byte order mark (read as Latin-1).
_BLANK_OR_BOM = frozenset(" \t\r\n\xef\xbb\xbf\xfe\xff")
#: How much of a file's start is searched for a document type declaration.
PROLOG_LIMIT = 1 << 20


def _hostile() -> HostileXml:
    return HostileXml(
        _(
            "the file declares a document type (DTD). IATI files have none, and a DTD can "
            "carry entity expansion (billion laughs) or external entities (XXE): refused."
        )
    )


def check_prolog(path: Path | str) -> None:
    """Refuse a file whose prolog declares a document type, before any parsing.

    The prolog (XML declaration, comments, processing instructions) is read until the first
    element; a <!DOCTYPE there raises HostileXml. NUL bytes are dropped first, so a UTF-16
    file is searched too.
    """
    with open(path, "rb") as f:
        head = f.read(PROLOG_LIMIT)
    text = head.replace(b"\x00", b"").decode("latin-1")
    i = 0
    while i < len(text):
        if text[i] in _BLANK_OR_BOM:
            i += 1
        elif text.startswith("<?", i):
            end = text.find("?>", i)
            if end < 0:
                return
            i = end + 2
        elif text.startswith("<!--", i):
            end = text.find("-->", i)
            if end < 0:
                return
            i = end + 3
        elif text.startswith("<!DOCTYPE", i):
            raise _hostile()
        else:
            return


def safe_parser(**extra: Any) -> etree.XMLParser:
    return etree.XMLParser(**SAFE_OPTIONS, **extra)


def refuse_doctype(element: Any) -> None:
    """Raise HostileXml if the document the element belongs to declares a DTD or entities."""
    info = element.getroottree().docinfo
    if info.internalDTD is not None or info.externalDTD is not None or info.system_url:
        raise _hostile()


def syntax_error(exc: etree.XMLSyntaxError) -> XmlFileError:
    """A parse error as a message with its line, e.g. for a truncated file."""
    line = exc.position[0] if exc.position else exc.lineno
    if "entity" in (exc.msg or "").lower() and "amplification" in (exc.msg or "").lower():
        return _hostile()
    # libxml2 appends "line N, column M" to some messages; the line is reported separately.
    message = exc.msg or str(exc)
    while _LINE_SUFFIX.search(message):
        message = _LINE_SUFFIX.sub("", message)
    return XmlFileError(
        _("the file is not well-formed XML: %(reason)s") % {"reason": message}, line=line
    )


class ActivityStream:
    """Each <iati-activity> of a file, complete, then freed: memory stays constant.

    An element is valid until the next one is requested; it is cleared afterwards and every
    element before it is dropped from the tree, so only the root and the current activity are
    ever held. `root` is the document element (with its attributes) once the first activity,
    or the end of the file, has been read. Iterating raises XmlFileError (with a line) on any
    parse error, and HostileXml on a document type declaration.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = path
        self.root: Any = None

    def __iter__(self) -> Iterator[Any]:
        check_prolog(self.path)
        # The file is opened here, not by lxml, so it is closed however the reading ends.
        with open(self.path, "rb") as source:
            context = etree.iterparse(source, events=("end",), tag=ACTIVITY, **SAFE_OPTIONS)
            try:
                for _event, element in context:
                    if self.root is None:
                        refuse_doctype(element)
                        self.root = element.getroottree().getroot()
                    yield element
                    element.clear(keep_tail=False)
                    parent = element.getparent()
                    if parent is not None:
                        while element.getprevious() is not None:
                            del parent[0]
            except etree.XMLSyntaxError as exc:
                raise syntax_error(exc) from None
            if self.root is None:
                self.root = context.root
                if self.root is not None:
                    refuse_doctype(self.root)


def bare_pass(path: Path | str) -> int:
    """The floor of the import benchmark: the same streaming parse, doing nothing else."""
    count = 0
    for _element in ActivityStream(path):
        count += 1
    return count
