"""Shared fixtures. Tests run against a real database: SQLite or PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from tests import snapshots

# Timings never decide whether a test passes (benchmarks measure them): no deadline for any
# property test, whatever the machine is doing at the time. A test's own @settings keeps this.
hypothesis_settings.register_profile("adelante", deadline=None)
hypothesis_settings.load_profile("adelante")

SHARED = Path(__file__).resolve().parents[2] / "shared"
PACKAGED_DATA = Path(__file__).resolve().parents[1] / "src" / "adelante" / "demo" / "data"


RUN_ID = pytest.StashKey[str]()


def run_id(config: pytest.Config) -> str:
    """The same for every parallel worker of one run, different for every run.

    ADELANTE_TEST_RUN_ID if given (scripts/test.sh gives one, to drop what a killed run left
    behind), otherwise pytest-xdist's id of the run, or a new one without xdist.
    """
    given = os.environ.get("ADELANTE_TEST_RUN_ID", "")
    if given:
        if not re.fullmatch(r"[a-z0-9_]{1,24}", given):
            raise pytest.UsageError(f"ADELANTE_TEST_RUN_ID={given!r}: up to 24 of a-z, 0-9, _")
        return given
    worker = getattr(config, "workerinput", None)
    if worker is not None:
        return str(worker["testrunuid"])[:12]
    return config.stash.setdefault(RUN_ID, uuid.uuid4().hex[:12])


#: Tests that share one worker in parallel runs (pytest-xdist, --dist loadgroup), by path: the
#: browser tests, so that one live server, one Chromium and one import of the real record serve
#: them all; the cluster tests, so that one cluster (nginx, two app servers, a worker) serves
#: them all. The groups go first (the largest work units); other tests go wherever is free.
GROUPS = {"tests/browser/": "browser", "tests/multinode/": "multinode"}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """--dist loadgroup, with the groups of GROUPS taken from the tests' paths.

    pytest-xdist's own xdist_group marks name a test's group in a suffix it writes into the
    test's id; pytest 9.2 builds ids in a way plugins can no longer change, and the marks are
    then silently ignored (each browser test went to any worker)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class PathGroupScheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            for prefix, group in GROUPS.items():
                if nodeid.startswith(prefix):
                    return group
            return super()._split_scope(nodeid)

    return PathGroupScheduling(config, log)


#: Markers whose tests this suite leaves to the other one (comma-separated), set by
#: scripts/test.sh when it runs the SQLite and PostgreSQL suites side by side: each such test
#: runs once per run, in the suite where it means something (docs/testing.md, "Which suite").
DESELECT = "ADELANTE_TEST_DESELECT"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the browser tests `browser`; leave out the markers of ADELANTE_TEST_DESELECT.

    Schemathesis makes one test per API operation, named test_x[GET /api/v1/…]; on pytest
    9.2 their ids lose the operation (19 tests with the id test_x), and pytest-xdist, which
    schedules by id, then ran one operation of the 19. Give each id its operation back."""
    for item in items:
        if item.nodeid.startswith("tests/browser/"):
            item.add_marker(pytest.mark.browser)
    leave = {m.strip() for m in os.environ.get(DESELECT, "").split(",") if m.strip()}
    if leave:
        left = [item for item in items if leave & {m.name for m in item.iter_markers()}]
        if left:
            config.hook.pytest_deselected(items=left)
            items[:] = [item for item in items if item not in left]
    for item in items:
        label = getattr(item, "operation_label", None)
        node_id = getattr(item, "_id", None)
        if label and not item.nodeid.endswith("]") and hasattr(node_id, "with_params"):
            item._id = node_id.with_params(label)  # type: ignore[attr-defined]


class EveryTestReported:
    """In a parallel run, fail a run that would pass if fewer tests ran than were collected:
    a test the scheduler lost (as with the schemathesis ids above) must not go unnoticed."""

    def __init__(self) -> None:
        self.collected = 0
        self.ran = 0

    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        self.collected = max(self.collected, len(ids))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        # A test that ran has a call report, or a setup report that is not "passed" (skipped,
        # or an error in a fixture).
        if report.when == "call" or (report.when == "setup" and not report.passed):
            self.ran += 1

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if session.exitstatus != pytest.ExitCode.OK or self.ran >= self.collected:
            return
        message = f"{self.collected} tests collected, but only {self.ran} ran"
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"ERROR: {message}", red=True, bold=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_configure(config: pytest.Config) -> None:
    controller = not hasattr(config, "workerinput") and bool(getattr(config.option, "tx", None))
    if controller and config.getoption("dist", "no") != "no":
        config.pluginmanager.register(EveryTestReported(), "adelante-every-test-reported")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request: pytest.FixtureRequest) -> None:
    """A PostgreSQL test database of its own for every run and every parallel worker:
    test_<name>_<run id>_<worker> (pytest-django adds the worker), so two runs at once on one
    server never meet; each drops its databases when it ends. SQLite's are in memory."""
    from django.conf import settings

    for db in settings.DATABASES.values():
        if db["ENGINE"] == "django.db.backends.sqlite3":
            continue
        test = db.setdefault("TEST", {})
        test["NAME"] = f"{test.get('NAME') or 'test_' + db['NAME']}_{run_id(request.config)}"
    request.getfixturevalue("django_db_modify_db_settings_parallel_suffix")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """After pytest-django creates the test database: keep its rows, as migrations left them,
    so that a transactional test (the browser tests) starts from them by copying them back
    (tests/snapshots.py) instead of Django's JSON round trip of serialized_rollback."""
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            if hasattr(connection, "_test_serialized_contents"):
                snapshots.keep_initial(connection)


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return "transactional_db" in getattr(item, "fixturenames", ())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After a transactional test (pytest-django empties every table when it ends), put back
    the rows migrations left, for the tests that follow in this process: they find the
    database as any installation's, with its primary initiative, which nothing that reads the
    record makes any more (docs/initiatives.md). Live-server tests: tests/browser/conftest.py."""
    try:
        return (yield)
    finally:
        live = "live_server" in getattr(item, "fixturenames", ())
        if nextitem is not None and _transactional(item) and not live:
            from django.db import connection
            from pytest_django.plugin import blocking_manager_key

            with item.config.stash[blocking_manager_key].unblock():
                if snapshots.kept_initial(connection):
                    snapshots.restore_initial(connection)
                else:
                    # (No copy of them kept: the primary initiative, as the migration made it.)
                    from adelante.initiatives.founding import found_first_initiative

                    found_first_initiative()


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


@pytest.fixture(autouse=True)
def _empty_local_caches() -> None:
    """Each test starts with empty in-process caches (and process copies of cached answers,
    operations/local_copies.py): API rate-limit counts, cached pages and
    figures left by the tests before it on the same worker never decide its answers (a test
    that made its 121st anonymous API request of the minute got 429). Redis caches (tests of
    shared state) have key prefixes of their own and are left alone."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    from adelante.operations.local_copies import copies

    for cache in caches.all(initialized_only=True):
        if isinstance(cache, LocMemCache):
            cache.clear()
    copies.clear()
