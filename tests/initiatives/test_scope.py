"""The scope of every read (`initiatives.scope`): what a request reads about initiatives it
reads once, a change is seen at once, and a read never makes the primary initiative."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from adelante.commitments.models import Commitment, OfficialStatement, Round
from adelante.initiatives import scope
from adelante.initiatives.changing import do_change_initiative
from adelante.initiatives.country_keys import country_keys, initiative_countries
from adelante.initiatives.founding import Founding, found_first_initiative, found_initiative
from adelante.initiatives.models import FIRST_INITIATIVE_SLUG, Initiative, InitiativeCountry
from tests import builders
from tests.accounts.conftest import make_user

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 3, 4)


def initiative_reads(queries: CaptureQueriesContext) -> list[str]:
    """The queries that read an initiative's or a country row's table itself."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "initiatives_initiative' in q["sql"].split(" WHERE ")[0]
    ]


def without_primary() -> None:
    Initiative.objects.update(primary=False)


def test_inside_one_block_the_primary_initiative_and_its_countries_are_read_once() -> None:
    with scope.remembering(), CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            assert scope.primary().slug == FIRST_INITIATIVE_SLUG
            assert scope.resolve() == scope.primary()
            assert initiative_countries() == ("GT", "SV", "HN")
            assert country_keys()[:3] == ("GT", "SV", "HN")
            assert scope.default_initiative_id() == scope.primary().pk
    assert len(queries.captured_queries) == 2  # the primary's row, its countries' codes


def test_the_countries_of_the_scope_are_one_query_without_reading_the_initiative() -> None:
    with scope.remembering(), CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert initiative_countries() == ("GT", "SV", "HN")
    assert len(queries.captured_queries) == 1


def test_each_initiative_and_the_scope_across_them_are_remembered_apart() -> None:
    coastal = found_initiative(Founding(slug="coastal", name="Coastal", countries=["KE", "HN"]))
    with scope.remembering(), CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert initiative_countries() == ("GT", "SV", "HN")
            assert initiative_countries(coastal) == ("KE", "HN")
            with scope.within(coastal):
                assert initiative_countries() == ("KE", "HN")
                assert scope.resolve() == coastal
            with scope.within(scope.ACROSS):
                assert initiative_countries() == ("GT", "SV", "HN", "KE")
                assert scope.resolve() is None
    # The primary's countries, the coastal initiative's (by its id, given or in scope), its
    # row, every initiative's countries.
    assert len(queries.captured_queries) == 4


def test_outside_a_block_every_call_reads_the_database() -> None:
    with CaptureQueriesContext(connection) as queries:
        initiative_countries()
        initiative_countries()
    assert len(queries.captured_queries) == 2
    InitiativeCountry.objects.create(initiative=scope.primary(), code="KE", position=3)
    assert initiative_countries() == ("GT", "SV", "HN", "KE")


def test_a_change_of_countries_in_the_block_is_seen_at_once() -> None:
    staff = make_user("sadmin", "secretariat-admin")
    with scope.remembering():
        assert initiative_countries() == ("GT", "SV", "HN")
        do_change_initiative(
            initiative=scope.primary(),
            changes={"countries": ["HN", "GT", "SV", "BZ"]},
            reason="Belize joined",
            by=staff,
        )
        assert initiative_countries() == ("HN", "GT", "SV", "BZ")
        assert "BZ" in country_keys()


def test_a_new_primary_initiative_in_the_block_is_seen_at_once() -> None:
    staff = make_user("sadmin", "secretariat-admin")
    coastal = found_initiative(Founding(slug="coastal", name="Coastal", countries=["KE"]))
    with scope.remembering():
        assert scope.primary().slug == FIRST_INITIATIVE_SLUG
        first = scope.default_initiative_id()
        do_change_initiative(initiative=coastal, changes={"primary": True}, reason="", by=staff)
        assert scope.primary() == coastal
        assert scope.default_initiative_id() == coastal.pk != first
        assert initiative_countries() == ("KE",)


def test_the_memo_ends_with_its_block() -> None:
    with scope.remembering():
        initiative_countries()
        assert scope.memo()
    assert scope.memo() is None
    InitiativeCountry.objects.filter(code="HN").update(position=0)
    InitiativeCountry.objects.filter(code="GT").update(position=5)
    with scope.remembering():  # the next request: written without signals, read anew
        assert initiative_countries() == ("HN", "SV", "GT")


def test_no_read_makes_the_primary_initiative() -> None:
    without_primary()
    reads: list[Callable[[], Any]] = [
        scope.primary,
        scope.resolve,
        scope.initiative_or_primary,
        scope.default_initiative_id,
        initiative_countries,
        lambda: Commitment(reference="new"),
    ]
    for read in reads:
        with pytest.raises(scope.NoPrimaryInitiative) as none:
            read()
        assert "no primary initiative" in none.value.message
    with scope.remembering():
        for read in reads:
            with pytest.raises(scope.NoPrimaryInitiative):
                read()
    assert not Initiative.objects.filter(primary=True).exists()
    assert Initiative.objects.count() == 1
    # Another initiative in scope needs no primary one.
    with scope.within(Initiative.objects.get()):
        assert initiative_countries() == ("GT", "SV", "HN")


def test_founding_the_first_initiative_makes_it_as_the_migration_did() -> None:
    Initiative.objects.all().delete()
    made = found_first_initiative(reason="emptied")
    assert made.primary and made.slug == FIRST_INITIATIVE_SLUG
    assert made.name == "Central America Forward" and made.country_codes() == ("GT", "SV", "HN")
    assert made.history.get().history_change_reason == "emptied"  # type: ignore[attr-defined]
    assert InitiativeCountry.history.filter(initiative_id=made.pk).count() == 3  # type: ignore[attr-defined]
    assert scope.primary() == made


def test_founding_the_first_initiative_again_changes_nothing() -> None:
    first = scope.primary()
    versions = first.history.count()  # type: ignore[attr-defined]
    assert found_first_initiative() == first
    assert first.history.count() == versions  # type: ignore[attr-defined]
    assert Initiative.objects.count() == 1


def test_founding_the_first_initiative_makes_its_row_primary_again() -> None:
    without_primary()
    made = found_first_initiative()
    assert made.primary and Initiative.objects.count() == 1
    assert scope.primary() == made


def test_rows_loaded_from_the_database_never_call_the_initiatives_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    builders.commitment("Acme Foods", "1000", DAY)
    OfficialStatement.objects.create(
        stated_on=DAY,
        metric="pledged",
        value=1000,
        unit="USD",
        qualifier="at_least",
        source_url="https://example.org",
    )
    calls: list[str] = []

    def counted() -> int:
        calls.append("called")
        return scope.default_initiative_id()

    models = (Commitment, Round, OfficialStatement)
    for model in (*models, *(m.history.model for m in models)):  # type: ignore[attr-defined]
        # What Model.__init__ calls for a field left out (Field.get_default).
        monkeypatch.setattr(model._meta.get_field("initiative"), "_get_default", counted)
    for model in models:
        assert list(model.objects.all()) and list(model.objects.only("id"))
        assert list(model.objects.defer("initiative")) and list(model.history.all())  # type: ignore[attr-defined]
    assert calls == []
    with CaptureQueriesContext(connection) as queries:
        made = Commitment(reference="new")  # a new one: its initiative is the scope's
    assert calls == ["called"] and made.initiative_id == scope.primary().pk
    assert len(queries.captured_queries) == 1


def test_new_instances_in_a_block_read_the_primary_initiatives_id_once() -> None:
    with scope.remembering(), CaptureQueriesContext(connection) as queries:
        made = [Commitment(reference=f"c{n}") for n in range(10)]
        made += [Round(label=f"r{n}") for n in range(10)]
    assert len(queries.captured_queries) == 1
    assert {m.initiative_id for m in made} == {scope.primary().pk}
    coastal = found_initiative(Founding(slug="coastal", name="Coastal", countries=["KE"]))
    with scope.within(coastal), CaptureQueriesContext(connection) as queries:
        assert Commitment(reference="k").initiative_id == coastal.pk
    assert queries.captured_queries == []  # the id in scope: nothing to read
