"""IATI tests read the official schemas, codelists and sample in ../shared/iati.

They are not shipped with the package. Outside CI a missing folder skips these tests (and says
so); in CI (ADELANTE_REQUIRE_POSTGRES=1 or CI set) it fails them, so nothing is skipped there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from adelante.iati.validation import Validator
from tests.conftest import SHARED

IATI = SHARED / "iati"
SAMPLE = IATI / "samples" / "ustda-honduras.xml"


def _require_shared() -> None:
    if IATI.is_dir():
        return
    message = f"the IATI schemas, codelists and sample are not at {IATI}"
    if os.environ.get("CI") or os.environ.get("ADELANTE_REQUIRE_POSTGRES") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def validator() -> Validator:
    _require_shared()
    return Validator.from_shared(IATI)


@pytest.fixture
def sample() -> Path:
    _require_shared()
    return SAMPLE
