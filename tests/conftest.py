"""Shared fixtures. Tests run against a real database: SQLite or PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

SHARED = Path(__file__).resolve().parents[2] / "shared"
PACKAGED_DATA = Path(__file__).resolve().parents[1] / "src" / "adelante" / "demo" / "data"


@pytest.fixture
def real_commitments_csv() -> Path:
    """The real public record of commitments (../shared/data), or the packaged copy."""
    shared = SHARED / "data" / "commitments.csv"
    return shared if shared.exists() else PACKAGED_DATA / "commitments.csv"


@pytest.fixture
def real_statements_csv() -> Path:
    shared = SHARED / "data" / "statements.csv"
    return shared if shared.exists() else PACKAGED_DATA / "statements.csv"


@pytest.fixture(autouse=True)
def english_by_default():
    """A request to /es/… activates Spanish for the thread; start every test in English."""
    translation.activate("en")
    yield
    translation.deactivate()
