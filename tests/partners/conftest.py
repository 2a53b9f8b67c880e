"""The accounts' cast of roles (a secretariat admin, a reviewer …) for the merge admin tests."""

from tests.accounts.conftest import cast  # noqa: F401 (a fixture, found by name)
