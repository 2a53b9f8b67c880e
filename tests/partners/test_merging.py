"""Merging duplicate partners keeps every row and history entry; an undo restores them exactly."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from adelante.accounts.models import Invitation
from adelante.commitments.models import Commitment
from adelante.errors import ErrorKind
from adelante.partners.duplicates import likely_duplicates
from adelante.partners.merging import MergeError, do_merge_partners, do_undo_merge
from adelante.partners.models import (
    Membership,
    Partner,
    PartnerAlias,
    PartnerIdentifier,
    PartnerMerge,
)
from adelante.partners.naming import normalise
from tests import builders

DAY = datetime.date(2023, 2, 6)


def _alias(partner: Partner, name: str) -> None:
    PartnerAlias.objects.create(partner=partner, name=name, normalised_name=normalise(name))


def _identifier(partner: Partner, text: str) -> None:
    PartnerIdentifier.objects.create(partner=partner, identifier=text, scheme=text[:6])


def _member(partner: Partner, username: str, role: str = "member") -> None:
    user = User.objects.get_or_create(username=username)[0]
    Membership.objects.create(user=user, partner=partner, role=role)


def _world() -> tuple[Partner, Partner, User]:
    for n in range(3):
        builders.commitment("Millicom", "1000", DAY + datetime.timedelta(days=n))
    for n in range(2):
        builders.commitment("Millicom International", "500", DAY + datetime.timedelta(days=n))
    keep = Partner.objects.get(normalised_name="millicom")
    absorb = Partner.objects.get(normalised_name="millicom international")
    _alias(keep, "Tigo")
    _alias(absorb, "Tigo Guatemala")
    _identifier(keep, "GT-NIT-75556057")
    _identifier(absorb, "GT-NIT-75556057")  # the same: set aside by the merge
    _identifier(absorb, "XI-LEI-724500PMK2A2M1SQQ228")
    _member(keep, "ana")
    _member(absorb, "ana", "admin")  # the same user: set aside
    _member(absorb, "beto")
    staff = User.objects.create(username="staff", is_staff=True)
    # A row of another app that points at the partner: found by the merge from the relations.
    Invitation.objects.create(
        email="new@example.org", partner=absorb, nonce="n", expires_at=timezone.now()
    )
    return keep, absorb, staff


def _rows(*partners: Partner) -> dict[str, set[tuple[Any, ...]]]:
    """Every row that points at the partners, and every history row, as tuples."""
    found: dict[str, set[tuple[Any, ...]]] = {}
    for model in (Commitment, PartnerAlias, PartnerIdentifier, Membership, Invitation):
        found[model.__name__] = set(
            model.objects.values_list(*(f.attname for f in model._meta.concrete_fields))
        )
    found["Partner"] = set(Partner.objects.values_list("id", "name", "slug", "normalised_name"))
    return found


def _history_count() -> dict[str, int]:
    counts = {}
    for model in (Partner, Commitment, PartnerAlias, PartnerIdentifier, Membership):
        history: models.Manager[Any] = model.history.model.objects  # type: ignore[attr-defined]
        counts[model.__name__] = history.count()
    return counts


@pytest.mark.django_db
def test_merge_moves_every_row_and_undo_restores_exactly_them() -> None:
    keep, absorb, staff = _world()
    before = _rows()
    history_before = _history_count()
    absorbed_history = set(
        Partner.history.filter(id=absorb.pk).values_list("history_id", flat=True)  # type: ignore[attr-defined]
    )

    merge = do_merge_partners(keep=keep, absorb=absorb, by=staff, reason="Same company")

    assert not Partner.objects.filter(pk=absorb.pk).exists()
    assert Commitment.objects.filter(partner=keep).count() == 5
    assert Commitment.objects.count() == len(before["Commitment"])
    assert set(keep.aliases.values_list("name", flat=True)) == {
        "Tigo",
        "Tigo Guatemala",
        "Millicom International",  # the absorbed name became an alias
    }
    assert set(keep.identifiers.values_list("identifier", flat=True)) == {
        "GT-NIT-75556057",
        "XI-LEI-724500PMK2A2M1SQQ228",
    }
    assert set(keep.memberships.values_list("user__username", flat=True)) == {"ana", "beto"}
    assert keep.invitations.count() == 1  # type: ignore[attr-defined]
    assert Partner.objects.named("Millicom International").get() == keep
    # History: nothing lost, and each moved row says why it moved.
    history_after = _history_count()
    assert all(history_after[name] >= count for name, count in history_before.items())
    assert absorbed_history <= set(
        Partner.history.filter(id=absorb.pk).values_list("history_id", flat=True)  # type: ignore[attr-defined]
    )
    moved = Commitment.history.filter(partner_id=keep.pk, history_type="~")  # type: ignore[attr-defined]
    assert moved.count() == 2
    assert all("Same company" in h.history_change_reason for h in moved)
    assert moved.first().history_user == staff
    assert merge.moved["commitments.commitment"] and len(merge.removed) == 2

    restored = do_undo_merge(merge=merge, by=staff, reason="Two companies after all")

    assert restored.pk == absorb.pk and restored.slug == absorb.slug
    assert _rows() == before
    merge.refresh_from_db()
    assert merge.undone_at is not None and merge.undone_by == staff
    assert all(_history_count()[name] > count for name, count in history_before.items())
    with pytest.raises(MergeError) as again:
        do_undo_merge(merge=merge, by=staff)
    assert again.value.kind == ErrorKind.CONFLICT


@pytest.mark.django_db
def test_a_merge_is_refused_without_a_reason_or_into_itself() -> None:
    keep, absorb, staff = _world()
    before = _rows()
    with pytest.raises(MergeError):
        do_merge_partners(keep=keep, absorb=absorb, by=staff, reason="  ")
    with pytest.raises(MergeError):
        do_merge_partners(keep=keep, absorb=keep, by=staff, reason="why not")
    assert _rows() == before
    assert not PartnerMerge.objects.exists()


@pytest.mark.django_db
def test_likely_duplicates_by_identifier_and_by_name() -> None:
    _world()
    builders.partner("Fundación Sergio Paiz")
    builders.partner("Fundacion Sergio Paz")  # a typo
    builders.partner("Cargill")
    found = likely_duplicates()
    by_names = {(p.first.name, p.second.name): p for p in found}
    pair = by_names[("Millicom", "Millicom International")]
    assert pair.identifiers == ["GT-NIT-75556057"]
    assert found[0] is pair  # sharing an identifier comes first
    paiz = [p for p in found if "Sergio" in p.first.name]
    assert len(paiz) == 1 and paiz[0].score >= 90
    assert not any("Cargill" in (p.first.name, p.second.name) for p in found)


class MergeAndUndoProperty(TestCase):  # type: ignore[misc]
    """Whatever rows two partners have, a merge then an undo leaves the record as it was."""

    @settings(max_examples=15, deadline=None)
    @given(
        commitments=st.tuples(st.integers(0, 3), st.integers(0, 3)),
        members=st.lists(st.tuples(st.sampled_from("ab"), st.sampled_from("xyz")), max_size=4),
        identifiers=st.lists(
            st.tuples(st.sampled_from("ab"), st.sampled_from(["XI-IATI-A", "XI-IATI-B"])),
            max_size=3,
        ),
    )
    def test_merge_then_undo(
        self,
        commitments: tuple[int, int],
        members: list[tuple[str, str]],
        identifiers: list[tuple[str, str]],
    ) -> None:
        a = builders.partner("Alpha Foods")
        b = builders.partner("Beta Foods")
        partners = {"a": a, "b": b}
        for n in range(commitments[0]):
            builders.commitment("Alpha Foods", "10", DAY + datetime.timedelta(days=n))
        for n in range(commitments[1]):
            builders.commitment("Beta Foods", "10", DAY + datetime.timedelta(days=n))
        for who, user in set(members):
            _member(partners[who], user)
        for who, text in set(identifiers):
            _identifier(partners[who], text)
        before = _rows()
        total = {name: len(rows) for name, rows in before.items()}
        merge = do_merge_partners(keep=a, absorb=b, by=None, reason="one organisation")
        after = _rows()
        assert len(after["Commitment"]) == total["Commitment"]
        assert Commitment.objects.filter(partner=a).count() == sum(commitments)
        users = {u for _w, u in set(members)}
        assert set(a.memberships.values_list("user__username", flat=True)) == users
        assert set(a.identifiers.values_list("identifier", flat=True)) == {
            t for _w, t in set(identifiers)
        }
        do_undo_merge(merge=merge)
        assert _rows() == before


@pytest.mark.django_db
def test_an_undo_is_refused_when_the_name_was_taken_since() -> None:
    keep, absorb, staff = _world()
    merge = do_merge_partners(keep=keep, absorb=absorb, by=staff, reason="Same company")
    builders.partner("Millicom International, Inc.")  # the same name, once normalised
    before = _rows()
    with pytest.raises(MergeError) as refused:
        do_undo_merge(merge=merge, by=staff)
    assert refused.value.kind == ErrorKind.CONFLICT
    assert _rows() == before
    merge.refresh_from_db()
    assert merge.undone_at is None
