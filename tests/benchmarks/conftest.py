"""The IATI benchmark's files are checked against the official schemas, as the IATI tests do."""

from tests.iati.conftest import validator  # noqa: F401  (a fixture, shared with tests/iati)
