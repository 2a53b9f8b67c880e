"""The restore drill's other half: `python -m tests.operations.drill DIR` restores the backup in
DIR into the database and storage its environment names (DATABASE_URL, ADELANTE_DATA_DIR), then
prints what `snapshot` sees there, as JSON. test_backup.py compares it with the source's."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
from typing import Any


def snapshot() -> dict[str, Any]:
    """What must survive a restore: the figures (as the figures module gives them), every
    history row, and every stored file's checksum."""
    from django.apps import apps
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    from adelante.operations.backup import stored_names

    figures = {}
    for by in ("", "country", "partner-type"):
        out = io.StringIO()
        call_command("figures", "--format", "json", *(["--by", by] if by else []), stdout=out)
        figures[by or "total"] = json.loads(out.getvalue())
    history = {}
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            rows = model.objects.order_by("history_id").values()
            history[model._meta.label] = [{k: str(v) for k, v in row.items()} for row in rows]
    files = {}
    for name in stored_names():
        with default_storage.open(name, "rb") as f:
            files[name] = hashlib.sha256(f.read()).hexdigest()
    return {"figures": figures, "history": history, "files": files}


def main(directory: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "adelante.settings")
    from adelante.operations import environment

    environment.RUN.creates_database = True
    import django

    django.setup()
    from django.core.management import call_command

    call_command("restore", directory, stdout=io.StringIO())
    json.dump(snapshot(), sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
