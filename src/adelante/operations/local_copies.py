"""Each server process's own copies of cached answers, in front of the shared cache.

The portal's pages and the API's anonymous reads are kept in the shared cache (Redis, with
``REDIS_URL``) under keys that contain the record's stamp (adelante.recordstate): what is
stored under a key never changes, only new keys appear. So a process may keep what it read
under a key and answer from its own memory next time, with no round trip to Redis and no
unpickling of a page of tens of kilobytes; a change to the record makes new keys, never a
wrong copy. Only the newest entries are kept, within a bound on their total size (the oldest
read goes first), so a process's memory stays small whatever the number of pages.

An entry may also be given a lifetime (`put(..., seconds=1)`), for answers that are right only
for a moment (a page served "updating" while a worker computes it afresh).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

#: The most the copies of one process may hold, in bytes of content.
MAX_BYTES = 32 * 1024 * 1024
#: An entry larger than this is never copied (it would push out everything else).
MAX_ENTRY_BYTES = 4 * 1024 * 1024


class LocalCopies:
    """The newest entries by key, within `max_bytes`; safe to use from several threads."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[Any, int, float | None]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        """The entry kept under `key` (now the newest read), or None."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            value, _size, until = found
            if until is not None and time.monotonic() >= until:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return value

    def put(self, key: str, value: Any, *, size: int, seconds: float | None = None) -> None:
        """Keep `value` (whose content is `size` bytes) under `key`, for `seconds` if given,
        else until it is pushed out by newer entries."""
        if size > min(MAX_ENTRY_BYTES, self.max_bytes):
            return
        until = time.monotonic() + seconds if seconds is not None else None
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (value, size, until)
            self._bytes += size
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _drop(self, key: str) -> None:
        _value, size, _until = self._entries.pop(key)
        self._bytes -= size


#: This process's copies (the portal's pages and the API's reads share the bound).
copies = LocalCopies()
