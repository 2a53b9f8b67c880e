"""Removing a country from an initiative while an import adds a share for it: each in its own
thread with its own database connection, one holding the initiative's lock while the other
waits for it. Exactly one wins, the other is refused with the reason, and no commitment names
a country its initiative no longer has.

The two-connection tests run on PostgreSQL: SQLite's test database is in memory, shared
between connections, where a second writer is told "table is locked" instead of waiting as
with the file database (`BEGIN IMMEDIATE` and a busy timeout: one writer at a time, each
check inside its transaction sees the other's committed change). The check under the lock
runs on both.

Which one goes first is forced (the first signals once it holds the lock; on PostgreSQL it
also waits until the other is seen waiting for a lock), so the outcome is the same every run.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from adelante.commitments.models import Commitment, CountryShare
from adelante.errors import Invalid, ServiceError
from adelante.exchange import commitments_import
from adelante.exchange.commitments_import import import_commitments
from adelante.exchange.problems import ImportRejected
from adelante.initiatives import changing, scope
from adelante.initiatives.changing import do_change_initiative
from adelante.initiatives.founding import Founding, found_initiative
from adelante.initiatives.models import Initiative
from tests.exchange.conftest import commitment, write_csv

pytestmark = pytest.mark.django_db(transaction=True)


def _two_connections() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database does not queue a second writer")


@pytest.fixture
def coastal() -> Initiative:
    scope.primary()
    return found_initiative(
        Founding(slug="coastal", name="Coastal Pledges", countries=["KE", "TZ"])
    )


@pytest.fixture
def tanzanian(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "commitments.csv", [commitment(countries="TZ")])


def _wait_until_another_waits() -> None:
    """On PostgreSQL: until another connection of this database waits for a lock (the one
    this thread holds). SQLite's second writer waits at BEGIN, where it cannot be seen."""
    if connection.vendor != "postgresql":
        return
    for _attempt in range(600):
        with connection.cursor() as cursor:
            # Inside a transaction the statistics views are read once: read them again.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError("the other connection never waited for the lock")


def _after_lock(target: Any, name: str, held: threading.Event) -> Callable[..., Any]:
    """`target.name`, which signals `held` once it has run (the lock is taken by then) and
    lets the other connection queue behind it before the transaction goes on."""
    original = getattr(target, name)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        found = original(*args, **kwargs)
        held.set()
        _wait_until_another_waits()
        return found

    return wrapped


def _in_thread(work: Callable[[], None]) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # the test looks at it
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def _import(coastal: Initiative, path: Path) -> Callable[[], None]:
    def work() -> None:
        with scope.within(coastal):
            import_commitments(path, reason="new pledges")

    return work


def _remove_tanzania(coastal: Initiative) -> Callable[[], None]:
    def work() -> None:
        do_change_initiative(
            initiative=coastal, changes={"countries": ["KE"]}, reason="Tanzania left", by=None
        )

    return work


def _consistent(coastal: Initiative) -> Iterator[str]:
    """Each country a commitment of the initiative names that the initiative does not have."""
    have = set(Initiative.objects.get(pk=coastal.pk).country_codes())
    for code in CountryShare.objects.filter(commitment__initiative=coastal).values_list(
        "country", flat=True
    ):
        if code not in have:
            yield code


def test_an_import_holding_the_lock_wins_and_the_removal_is_refused(
    coastal: Initiative, tanzanian: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_connections()
    held = threading.Event()
    monkeypatch.setattr(
        commitments_import,
        "foreign_countries",
        _after_lock(commitments_import, "foreign_countries", held),
    )
    importing, import_errors = _in_thread(_import(coastal, tanzanian))
    assert held.wait(timeout=30)
    removing, removal_errors = _in_thread(_remove_tanzania(coastal))
    for thread in (importing, removing):
        thread.join(timeout=60)
    assert import_errors == []
    assert len(removal_errors) == 1 and isinstance(removal_errors[0], Invalid)
    assert removal_errors[0].field_errors["countries"] == [
        "Tanzania (TZ) cannot be removed: 1 commitment of this initiative names it."
    ]
    assert Initiative.objects.get(pk=coastal.pk).country_codes() == ("KE", "TZ")
    assert Commitment.objects.filter(initiative=coastal).count() == 1
    assert list(_consistent(coastal)) == []


def test_a_removal_holding_the_lock_wins_and_the_import_is_refused(
    coastal: Initiative, tanzanian: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_connections()
    held = threading.Event()
    monkeypatch.setattr(changing, "_set_countries", _after_lock(changing, "_set_countries", held))
    removing, removal_errors = _in_thread(_remove_tanzania(coastal))
    assert held.wait(timeout=30)
    importing, import_errors = _in_thread(_import(coastal, tanzanian))
    for thread in (importing, removing):
        thread.join(timeout=60)
    assert removal_errors == []
    assert len(import_errors) == 1 and isinstance(import_errors[0], ImportRejected)
    # The row is refused, naming the country: by the check under the lock, or (SQLite, where
    # a plan made before another connection wrote is made again) by the file's own check.
    (problem,) = import_errors[0].problems
    assert (problem.line, problem.column) == (2, "countries")
    assert problem.reason in (
        "Not among the initiative's countries (removed meanwhile?): Tanzania (TZ). "
        "Nothing was saved.",
        "TZ is not one of the initiative's countries (KE)",
    )
    assert Initiative.objects.get(pk=coastal.pk).country_codes() == ("KE",)
    assert Commitment.objects.filter(initiative=coastal).count() == 0
    assert list(_consistent(coastal)) == []


def test_the_check_under_the_lock_refuses_a_country_removed_since_the_plan(
    coastal: Initiative, tanzanian: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The plan is made (and the file checked) while TZ is still the initiative's; the
    # removal commits before the writing starts.
    plan = commitments_import.Plan._hold_countries

    def removed_first(self: Any) -> None:
        _remove_tanzania(coastal)()
        plan(self)

    monkeypatch.setattr(commitments_import.Plan, "_hold_countries", removed_first)
    with pytest.raises(ServiceError), scope.within(coastal):
        import_commitments(tanzanian, reason="new pledges")
    assert Commitment.objects.filter(initiative=coastal).count() == 0


def test_any_door_that_adds_a_share_is_refused_a_country_the_initiative_lacks(
    coastal: Initiative,
) -> None:
    # set_countries checks what it adds under the lock itself, so a door that forgot to call
    # hold_countries still cannot write a country the initiative does not have.
    from adelante.commitments.geography import set_countries
    from tests import builders

    with scope.within(coastal):
        pledge = builders.commitment("Acme", "1000", datetime.date(2024, 3, 1), countries=["KE"])
    assert pledge.initiative_id == coastal.pk
    with pytest.raises(ServiceError, match=r"Not among the initiative's countries.*\(GT\)"):
        set_countries(pledge, {"KE": None, "GT": None})
    assert sorted(pledge.countries.values_list("country", flat=True)) == ["KE"]
    # A country it has goes in; one already there is kept without a check.
    assert set_countries(pledge, {"KE": None, "TZ": None})
    assert sorted(pledge.countries.values_list("country", flat=True)) == ["KE", "TZ"]
