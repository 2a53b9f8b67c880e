"""Counting an import's rows as it goes: a progress bar on a terminal (tqdm, `--progress`) and,
for a background job, a report to whoever listens (`listening`; exchange/jobs.py shows it on
the job's page). The importers count their rows through `counted` and know nothing of jobs."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterator
from contextvars import ContextVar
from typing import TypeVar

from tqdm import tqdm

_Item = TypeVar("_Item")

#: stage ("checked" or "written"), rows done, rows in all.
Listener = Callable[[str, int, int], None]
CHECKED = "checked"
WRITTEN = "written"

_listener: ContextVar[Listener | None] = ContextVar("adelante_import_listener", default=None)


@contextlib.contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Within the block, every `counted` loop reports each row to `listener`."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


def counted(
    items: Collection[_Item], *, stage: str, desc: str, unit: str, progress: bool
) -> Iterator[_Item]:
    """The items, one by one: a tqdm bar if `progress` (on a terminal only), and a report of
    each row to the listener, if any (the last report says all of them are done)."""
    listener = _listener.get()
    total = len(items)
    bar = tqdm(items, desc=desc, unit=unit, disable=None if progress else True)
    if listener is None:
        yield from bar
        return
    done = 0
    for item in bar:
        yield item
        done += 1
        listener(stage, done, total)
    if done == 0:
        listener(stage, 0, total)
