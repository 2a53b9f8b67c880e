"""A process's own copies of cached answers (operations/local_copies.py): newest first within a
bound on their size, and entries with a lifetime gone after it."""

from __future__ import annotations

import pytest

from adelante.operations import local_copies
from adelante.operations.local_copies import LocalCopies


def test_the_oldest_read_goes_first_when_the_bound_is_reached():
    copies = LocalCopies(max_bytes=300)
    for key in ("a", "b", "c"):
        copies.put(key, key.upper(), size=100)
    assert copies.get("a") == "A"  # now the newest read
    copies.put("d", "D", size=100)
    assert copies.get("b") is None
    assert [copies.get(k) for k in ("a", "c", "d")] == ["A", "C", "D"]
    copies.put("a", "A2", size=250)  # replaced: its old size no longer counts
    assert copies.get("a") == "A2" and len(copies) == 1


def test_an_entry_larger_than_the_bound_is_never_kept():
    copies = LocalCopies(max_bytes=100)
    copies.put("small", 1, size=50)
    copies.put("big", 2, size=101)
    assert copies.get("big") is None and copies.get("small") == 1


def test_an_entry_with_a_lifetime_is_gone_after_it(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(local_copies.time, "monotonic", lambda: now[0])
    copies = LocalCopies()
    copies.put("moment", "x", size=1, seconds=1.0)
    copies.put("kept", "y", size=1)
    now[0] += 0.5
    assert copies.get("moment") == "x"
    now[0] += 0.6
    assert copies.get("moment") is None and len(copies) == 1
    assert copies.get("kept") == "y"
    copies.clear()
    assert copies.get("kept") is None


@pytest.mark.parametrize("size", [0, 10])
def test_clear_empties_everything(size):
    copies = LocalCopies()
    copies.put("k", "v", size=size)
    copies.clear()
    assert len(copies) == 0
