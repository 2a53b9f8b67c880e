"""The demo prints the same staff password on every run: made once, kept in the data
directory, readable by its owner only."""

from __future__ import annotations

import stat

from django.contrib.auth import authenticate

from adelante.demo.__main__ import PASSWORD_FILE, demo_password, demo_staff_login


def test_the_password_is_made_once_and_kept(tmp_path):
    first = demo_password(tmp_path)
    assert len(first) >= 16
    assert demo_password(tmp_path) == first
    kept = tmp_path / PASSWORD_FILE
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    # Another data directory, another password.
    assert demo_password(tmp_path / "other") != first


def test_the_staff_login_keeps_its_password_across_runs(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    first = demo_staff_login()
    second = demo_staff_login()
    assert first == second
    assert authenticate(username=second.username, password=second.password) is not None
