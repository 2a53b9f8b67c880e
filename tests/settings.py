"""Settings for the test suite: production settings, minus HTTPS redirects and slow hashing."""

import os
import tempfile

# Each test session writes to its own data directory unless one is given.
os.environ.setdefault("ADELANTE_DATA_DIR", tempfile.mkdtemp(prefix="adelante-test-"))
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")

from adelante.settings import *  # noqa: F403

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
