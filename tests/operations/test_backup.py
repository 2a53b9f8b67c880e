"""Backup and restore: the drill (a record with history and an evidence file, backed up from the
suite's database, restored by another process into an empty database and storage: the same
figures, history and file checksums), on SQLite and on PostgreSQL, and each refusal."""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from adelante import history
from adelante.errors import Conflict, Invalid
from adelante.operations import backup
from adelante.workflow.models import Evidence
from tests import builders
from tests.operations.drill import snapshot

ROOT = Path(__file__).resolve().parents[2]
H1 = datetime.date(2023, 6, 30)

# A backup reads committed data (pg_dump is another process; SQLite's backup waits for an open
# transaction to end): every test commits, and starts again from the migrations' rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PDF = b"%PDF-1.4\n% evidence of the drill\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def small_record() -> Evidence:
    """Two commitments (one changed afterwards, with a reason), a verified report and its
    evidence file in the storage."""
    first = builders.commitment("Drill Co", "1000000", datetime.date(2022, 6, 7), countries=["GT"])
    builders.commitment("Other Org", "250000", datetime.date(2022, 6, 7), countries=["HN", "SV"])
    first.amount = first.amount_usd = first.amount_usd + 500000
    history.save(first, reason="restated in the drill")
    made = builders.report(first, H1, {"usd_invested": "125000"})
    evidence = Evidence(report=made, original_name="receipt.pdf", kind="pdf", size=len(PDF))
    evidence.file.save(f"evidence/{made.pk}/drill.pdf", ContentFile(PDF), save=False)
    evidence.save()
    return evidence


@pytest.fixture
def storage_emptied():
    """The worker's storage holds only what the test puts there, and is emptied after it."""
    for name in list(backup.stored_names()):
        default_storage.delete(name)
    yield
    for name in list(backup.stored_names()):
        default_storage.delete(name)


def restore_elsewhere(directory: Path, data_dir: Path, database_url: str) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "ADELANTE_DEVELOPMENT_KEY_SAID", "PYTEST_XDIST_WORKER"}
    }
    # The suite's settings (its installed apps include the benchmarks' note), on another
    # database and data directory.
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        DATABASE_URL=database_url,
        ADELANTE_DATA_DIR=str(data_dir),
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    )
    done = subprocess.run(
        [sys.executable, "-m", "tests.operations.drill", str(directory)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_restore_drill(tmp_path, storage_emptied, scratch_database_url):
    """Backed up here, restored by another process into an empty database and storage: the
    same figures, the same history rows, the same files."""
    small_record()
    before = snapshot()
    assert before["files"] and before["history"]["commitments.HistoricalCommitment"]
    assert before["figures"]["total"]["invested_usd"] == "125000.00"

    manifest = backup.create_backup(output=tmp_path / "backup")
    assert manifest["database"]["engine"] == connection.vendor
    assert [f["name"] for f in manifest["files"]] == list(before["files"])
    assert ["commitments", "0001_initial"] in manifest["migrations"]

    restored = tmp_path / "restored"
    after = restore_elsewhere(tmp_path / "backup", restored, scratch_database_url)

    assert after["figures"] == before["figures"]
    assert after["history"] == before["history"]
    assert after["files"] == before["files"]
    if connection.vendor == "sqlite":
        assert (restored / "adelante.sqlite3").is_file()


def test_a_changed_or_extra_file_is_refused_by_name_before_anything_is_touched(
    tmp_path, storage_emptied
):
    default_storage.save("evidence/1/a.pdf", ContentFile(PDF))
    folder = tmp_path / "backup"
    backup.create_backup(output=folder)
    stored = folder / "files" / "evidence" / "1" / "a.pdf"

    stored.write_bytes(PDF.replace(b"drill", b"DRILL"))
    with pytest.raises(Invalid, match=re.escape(f"{stored} does not match its checksum")):
        backup.verify(folder)
    stored.write_bytes(PDF)
    backup.verify(folder)

    (folder / "files" / "extra.txt").write_text("not backed up")
    with pytest.raises(Invalid, match=r"extra\.txt is not in the backup's manifest"):
        backup.verify(folder)
    (folder / "files" / "extra.txt").unlink()

    (folder / backup.DUMPS[connection.vendor]).unlink()
    with pytest.raises(Invalid, match="is missing from the backup"):
        backup.restore_backup(directory=folder, force=True)
    # Refused before the database or the storage was touched.
    assert list(backup.stored_names()) == ["evidence/1/a.pdf"]


def test_a_manifest_cannot_name_files_outside_the_backup(tmp_path, storage_emptied):
    folder = tmp_path / "backup"
    backup.create_backup(output=folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"] = [{"name": "../../etc/x", "path": "files/x", "size": 0, "sha256": "0"}]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(Invalid, match="outside the backup"):
        backup.verify(folder)


def test_a_database_or_storage_that_is_not_empty_is_refused(tmp_path, storage_emptied):
    folder = tmp_path / "backup"
    backup.create_backup(output=folder)
    # The suite's database holds the tables migrations made.
    with pytest.raises(Conflict, match="is not empty: restore into an empty database"):
        backup.restore_backup(directory=folder)
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(folder))


def test_backup_writes_only_into_a_new_or_empty_folder(tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "something").write_text("x")
    with pytest.raises(CommandError, match="is not an empty folder"):
        call_command("backup", "--output", str(tmp_path / "used"))


def test_a_backup_of_a_newer_version_is_refused(tmp_path, storage_emptied):
    folder = tmp_path / "backup"
    backup.create_backup(output=folder)
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["migrations"].append(["commitments", "9999_from_the_future"])
    path.write_text(json.dumps(manifest))
    with pytest.raises(Invalid, match=r"commitments\.9999_from_the_future is unknown here"):
        backup.restore_backup(directory=folder, force=True)
