"""Settings for the test suite: production settings, minus HTTPS redirects and slow hashing."""

import os
import tempfile

# Each test session writes to its own data directory unless one is given, and each parallel
# worker (pytest-xdist) to its own subdirectory of it: uploads and the benchmark's databases
# never meet.
_data_dir = os.environ.get("ADELANTE_DATA_DIR") or tempfile.mkdtemp(prefix="adelante-test-")
if os.environ.get("PYTEST_XDIST_WORKER"):
    _data_dir = os.path.join(_data_dir, os.environ["PYTEST_XDIST_WORKER"])
    os.makedirs(_data_dir, exist_ok=True)
os.environ["ADELANTE_DATA_DIR"] = _data_dir
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
# The address e-mails link to (required with DEBUG off, as in production): tests follow the
# links with the test client, whose host is "testserver".
os.environ.setdefault("SITE_URL", "http://testserver")

from adelante.settings import *  # noqa: E402, F403

# The benchmarks (benchmarks/, not packaged) keep a note of synthetic data sets; their tests
# need its table.
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]  # noqa: F405

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# Tests change the record and roll it back between tests: the portal reads its stamp every time.
PORTAL_STAMP_SECONDS = 0
# ... and shows a change at once: tests of stale pages turn them on (tests/portal/test_stale.py).
PORTAL_STALE_MINUTES = 0

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # A test database is thrown away after the run: commits need not wait for the disk.
    # (Its name is unique to the run and the worker: tests/conftest.py.)
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()
