"""Two merges on one partner: undone newest first, every row and history entry comes back;
undoing the older one while the newer stands is refused, naming it, with nothing written."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import models
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from adelante.errors import ErrorKind
from adelante.partners.merging import MergeError, do_merge_partners, do_undo_merge, later_merge
from adelante.partners.models import (
    Membership,
    Partner,
    PartnerAlias,
    PartnerIdentifier,
    PartnerMerge,
)
from tests import builders
from tests.partners.test_merging import _alias, _identifier, _member, _rows

DAY = datetime.date(2023, 2, 6)
#: "same keep": A absorbs B, then A absorbs D. "chain": A absorbs B, then C absorbs A.
SHAPES = ("same keep", "chain")


def _state() -> dict[str, Any]:
    """Every row that points at a partner, and which partner each standing merge points at."""
    state: dict[str, Any] = dict(_rows())
    standing = PartnerMerge.objects.filter(undone_at__isnull=True)
    state["merge keeps"] = set(standing.values_list("pk", "keep_id"))
    return state


def _history_ids() -> dict[str, set[int]]:
    found = {}
    for model in (Partner, PartnerAlias, PartnerIdentifier, Membership):
        history: models.Manager[Any] = model.history.model.objects  # type: ignore[attr-defined]
        found[model.__name__] = set(history.values_list("history_id", flat=True))
    return found


def _kept(before: dict[str, set[int]]) -> bool:
    after = _history_ids()
    return all(ids <= after[name] for name, ids in before.items())


def _two_merges(shape: str, staff: User | None) -> tuple[PartnerMerge, PartnerMerge]:
    a, b, c = (Partner.objects.get(normalised_name=n) for n in ("alpha", "beta", "gamma"))
    older = do_merge_partners(keep=a, absorb=b, by=staff, reason="A and B are one")
    if shape == "same keep":
        newer = do_merge_partners(keep=a, absorb=c, by=staff, reason="A and C are one")
    else:
        newer = do_merge_partners(keep=c, absorb=a, by=staff, reason="C and A are one")
    return older, newer


def _world() -> User:
    """Three partners sharing an identifier and a member, each with its own rows too."""
    for n, name in enumerate(("Alpha", "Beta", "Gamma")):
        builders.commitment(name, "100", DAY + datetime.timedelta(days=n))
        partner = Partner.objects.get(normalised_name=name.lower())
        _alias(partner, f"{name} Holdings")
        _identifier(partner, "XI-IATI-SHARED")  # on all three: set aside by each merge
        _identifier(partner, f"XI-IATI-{name.upper()}")
        _member(partner, "ana")  # the same user in all three: set aside
        _member(partner, f"user-{name.lower()}")
    return User.objects.create(username="staff", is_staff=True)


@pytest.mark.django_db
@pytest.mark.parametrize("shape", SHAPES)
def test_undoing_the_older_merge_first_is_refused_naming_the_newer(shape: str) -> None:
    staff = _world()
    older, newer = _two_merges(shape, staff)
    assert later_merge(older) == newer
    assert later_merge(newer) is None
    state, history = _state(), _history_ids()

    with pytest.raises(MergeError) as refused:
        do_undo_merge(merge=older, by=staff, reason="too early")

    assert refused.value.kind == ErrorKind.CONFLICT
    assert refused.value.code == "later-merge"
    assert f"“{newer.absorbed_name}” into “{newer.keep.name}”" in refused.value.message
    assert f"merge {newer.pk}" in refused.value.message
    assert _state() == state and _history_ids() == history  # nothing written
    older.refresh_from_db()
    assert older.undone_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("shape", SHAPES)
def test_undoing_newest_first_restores_every_row_and_keeps_every_history_entry(
    shape: str,
) -> None:
    staff = _world()
    before, history = _state(), _history_ids()
    older = do_merge_partners(
        keep=Partner.objects.get(normalised_name="alpha"),
        absorb=Partner.objects.get(normalised_name="beta"),
        by=staff,
        reason="A and B are one",
    )
    after_older = _state()
    gamma = Partner.objects.get(normalised_name="gamma")
    alpha = Partner.objects.get(normalised_name="alpha")
    if shape == "same keep":
        newer = do_merge_partners(keep=alpha, absorb=gamma, by=staff, reason="A and C are one")
    else:
        newer = do_merge_partners(keep=gamma, absorb=alpha, by=staff, reason="C and A are one")

    do_undo_merge(merge=newer, by=staff, reason="not one after all")
    assert _state() == after_older
    assert later_merge(older) is None  # the newer one is undone: the older may be
    do_undo_merge(merge=older, by=staff, reason="not one either")

    assert _state() == before
    assert _kept(history)
    # Each undo is in the history of the rows it moved back, with who and why.
    back = PartnerIdentifier.history.filter(  # type: ignore[attr-defined]
        history_change_reason__contains="not one either"
    )
    assert back.exists() and all(h.history_user == staff for h in back)


@pytest.mark.django_db
def test_a_merge_undone_since_does_not_hold_back_an_older_one() -> None:
    staff = _world()
    older, newer = _two_merges("same keep", staff)
    do_undo_merge(merge=newer, by=staff)
    again = do_merge_partners(
        keep=Partner.objects.get(normalised_name="gamma"),
        absorb=Partner.objects.get(normalised_name="alpha"),
        by=staff,
        reason="C and A are one",
    )
    assert later_merge(older) == again
    do_undo_merge(merge=again, by=staff)
    do_undo_merge(merge=older, by=staff)
    assert Partner.objects.count() == 3


class TwoMergesProperty(TestCase):  # type: ignore[misc]
    """Whatever rows three partners have and whichever shape two merges take: the older undo
    is refused while the newer stands (nothing written), and undoing newest first gives back
    the record as it was before each merge."""

    @settings(max_examples=12, deadline=None)
    @given(
        shape=st.sampled_from(SHAPES),
        members=st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("xyz")), max_size=5),
        identifiers=st.lists(
            st.tuples(st.sampled_from("abc"), st.sampled_from(["XI-IATI-A", "XI-IATI-B"])),
            max_size=4,
        ),
        commitments=st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 2)),
    )
    def test_two_merges_then_undo(
        self,
        shape: str,
        members: list[tuple[str, str]],
        identifiers: list[tuple[str, str]],
        commitments: tuple[int, int, int],
    ) -> None:
        names = {"a": "Alpha", "b": "Beta", "c": "Gamma"}
        partners = {key: builders.partner(name) for key, name in names.items()}
        for key, count in zip("abc", commitments, strict=True):
            for n in range(count):
                builders.commitment(names[key], "10", DAY + datetime.timedelta(days=n))
        for key, user in set(members):
            _member(partners[key], user)
        for key, text in set(identifiers):
            _identifier(partners[key], text)
        before, history = _state(), _history_ids()
        older = do_merge_partners(
            keep=partners["a"], absorb=partners["b"], by=None, reason="A and B"
        )
        after_older = _state()
        if shape == "same keep":
            newer = do_merge_partners(
                keep=partners["a"], absorb=partners["c"], by=None, reason="A and C"
            )
        else:
            newer = do_merge_partners(
                keep=partners["c"], absorb=partners["a"], by=None, reason="C and A"
            )
        after_newer = _state()
        with pytest.raises(MergeError):
            do_undo_merge(merge=older)
        assert _state() == after_newer
        do_undo_merge(merge=newer)
        assert _state() == after_older
        do_undo_merge(merge=older)
        assert _state() == before
        assert _kept(history)
