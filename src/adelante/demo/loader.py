"""Loading the real public record that ships with the package (src/adelante/demo/data)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model

DATA_DIR = Path(__file__).resolve().parent / "data"
COMMITMENTS = DATA_DIR / "commitments.csv"
STATEMENTS = DATA_DIR / "statements.csv"
DEMO_STAFF = "demo-staff"


@dataclass(frozen=True)
class StaffLogin:
    username: str
    password: str


def load_real_record() -> list[str]:
    """Import the shipped commitments and statements; importing again changes nothing.

    Returns one summary line per file.
    """
    from adelante.exchange.commitments_import import import_commitments
    from adelante.exchange.statements_import import import_statements

    return [str(import_commitments(COMMITMENTS)), str(import_statements(STATEMENTS))]


def demo_staff_login() -> StaffLogin:
    """A staff account for the demo's admin, with a fresh random password each run."""
    password = secrets.token_urlsafe(12)
    user, _ = get_user_model().objects.get_or_create(username=DEMO_STAFF)
    user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    return StaffLogin(DEMO_STAFF, password)
