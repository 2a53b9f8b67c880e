"""The same pledge under several initiatives: suggestions at the criteria's boundaries and
against a plain reading of the rules over random records (hypothesis), links refused with
clear messages, unlinks, dismissals, history, and the staff page."""

from __future__ import annotations

import contextlib
import datetime
import itertools
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from adelante.accounts import grants
from adelante.commitments import same_pledge
from adelante.commitments.choices import Status
from adelante.commitments.models import Commitment, SamePledge, SamePledgeDismissal
from adelante.commitments.same_pledge import (
    amounts_match,
    do_dismiss_same_pledge,
    do_link_same_pledge,
    do_unlink_same_pledge,
    suggest_same_pledges,
)
from adelante.errors import ErrorKind, ServiceError
from adelante.figures.committed import committed
from adelante.initiatives import scope
from adelante.initiatives.models import Initiative
from tests import builders

pytestmark = pytest.mark.django_db

DAY = datetime.date(2023, 2, 6)


@pytest.fixture
def ocean() -> Initiative:
    return Initiative.objects.create(slug="ocean-pledges", name="Ocean pledges", position=1)


@pytest.fixture
def staff() -> User:
    user = User.objects.create_user("reviewer", password="x")
    grants.grant(user, "secretariat-reviewer")
    user.refresh_from_db()
    return user


def under(initiative: Initiative | str, *args, **kwargs) -> Commitment:
    with scope.within(initiative):
        return builders.commitment(*args, **kwargs)


def pairs() -> set[tuple[str, str]]:
    return {(s.commitment.reference, s.counted_as.reference) for s in suggest_same_pledges()}


def test_a_pledge_under_two_initiatives_is_suggested(ocean: Initiative) -> None:
    first = under(scope.PRIMARY, "Acme Foods", "1000000", DAY, countries=["GT", "HN"])
    later = under(
        ocean, "Acme Foods", "1050000", DAY + datetime.timedelta(days=90), countries=["HN"]
    )
    (found,) = suggest_same_pledges()
    # The later announcement is counted as the earlier one.
    assert (found.commitment, found.counted_as) == (later, first)
    assert found.countries == ("HN",)
    assert found.days_apart == 90
    assert found.difference_percent == Decimal("4.8")


@pytest.mark.parametrize(
    ("second", "suggested"),
    [("900", True), ("899.99", False), ("1000", True), ("1111.11", True), ("1111.12", False)],
)
def test_amounts_within_ten_per_cent_of_the_larger(
    ocean: Initiative, second: str, suggested: bool
) -> None:
    under(scope.PRIMARY, "Acme Foods", "1000", DAY)
    under(ocean, "Acme Foods", second, DAY)
    assert bool(pairs()) is suggested


def test_amounts_missing_on_both_sides_match_and_on_one_side_do_not() -> None:
    assert amounts_match(None, None)
    assert not amounts_match(None, Decimal("1"))
    assert amounts_match(Decimal("0"), Decimal("0"))


def test_two_undisclosed_amounts_are_suggested_one_is_not(ocean: Initiative) -> None:
    under(scope.PRIMARY, "Acme Foods", None, DAY)
    under(ocean, "Acme Foods", None, DAY)
    under(scope.PRIMARY, "Beta Bank", None, DAY)
    under(ocean, "Beta Bank", "1000", DAY)
    assert {s.commitment.partner.name for s in suggest_same_pledges()} == {"Acme Foods"}


@pytest.mark.parametrize(("days", "suggested"), [(365, True), (366, False)])
def test_announced_within_a_year(ocean: Initiative, days: int, suggested: bool) -> None:
    under(scope.PRIMARY, "Acme Foods", "1000", DAY)
    under(ocean, "Acme Foods", "1000", DAY + datetime.timedelta(days=days))
    assert bool(pairs()) is suggested


def test_countries_must_overlap(ocean: Initiative) -> None:
    under(scope.PRIMARY, "Acme Foods", "1000", DAY, countries=["GT", "SV"])
    under(ocean, "Acme Foods", "1000", DAY, countries=["HN", "KE"])
    assert pairs() == set()


def test_same_partner_and_different_initiatives(ocean: Initiative) -> None:
    under(scope.PRIMARY, "Acme Foods", "1000", DAY)
    under(ocean, "Beta Bank", "1000", DAY)  # another partner
    under(scope.PRIMARY, "Acme Foods", "1000", DAY)  # the same initiative
    assert pairs() == set()


def test_linked_and_dismissed_pairs_are_not_suggested_again(ocean: Initiative, staff: User) -> None:
    a = under(scope.PRIMARY, "Acme Foods", "1000", DAY)
    b = under(ocean, "Acme Foods", "1000", DAY)
    c = under(scope.PRIMARY, "Beta Bank", "5000", DAY)
    d = under(ocean, "Beta Bank", "5000", DAY)
    assert len(pairs()) == 2
    do_link_same_pledge(actor=staff, commitment=b, counted_as=a)
    do_dismiss_same_pledge(actor=staff, first=d, second=c, note="two plants")
    assert pairs() == set()
    dismissal = SamePledgeDismissal.objects.get()
    assert (dismissal.first, dismissal.second, dismissal.dismissed_by) == (c, d, staff)
    # Dismissing twice keeps one row.
    do_dismiss_same_pledge(actor=staff, first=c, second=d)
    assert SamePledgeDismissal.objects.count() == 1


def test_a_third_initiative_is_suggested_against_the_representative(
    ocean: Initiative, staff: User
) -> None:
    third = Initiative.objects.create(slug="nutrition", name="Nutrition", position=2)
    a = under(scope.PRIMARY, "Acme Foods", "1000", DAY)
    b = under(ocean, "Acme Foods", "1000", DAY)
    c = under(third, "Acme Foods", "1000", DAY)
    do_link_same_pledge(actor=staff, commitment=b, counted_as=a)
    assert pairs() == {(c.reference, a.reference)}


def _refused(kind: ErrorKind, text: str, **kwargs) -> None:
    with pytest.raises(ServiceError) as caught:
        do_link_same_pledge(**kwargs)
    assert caught.value.kind == kind
    assert text in caught.value.message


def test_bad_links_are_refused_with_clear_messages(ocean: Initiative, staff: User) -> None:
    a = under(scope.PRIMARY, "Acme Foods", "1000", DAY)
    a2 = under(scope.PRIMARY, "Acme Foods", "2000", DAY)
    b = under(ocean, "Acme Foods", "1000", DAY)
    other = under(ocean, "Beta Bank", "1000", DAY)
    _refused(ErrorKind.INVALID, "as itself", actor=staff, commitment=a, counted_as=a)
    _refused(
        ErrorKind.INVALID, "one commitment per initiative", actor=staff, commitment=a2, counted_as=a
    )
    _refused(ErrorKind.INVALID, "same partner", actor=staff, commitment=other, counted_as=a)
    do_link_same_pledge(actor=staff, commitment=b, counted_as=a)
    _refused(
        ErrorKind.CONFLICT,
        "linked as the same pledge already",
        actor=staff,
        commitment=b,
        counted_as=a,
    )
    _refused(ErrorKind.CONFLICT, "unlink it first", actor=staff, commitment=b, counted_as=a2)
    _refused(
        ErrorKind.CONFLICT,
        "linked as the same pledge already",
        actor=staff,
        commitment=a,
        counted_as=b,
    )
    third = Initiative.objects.create(slug="nutrition", name="Nutrition", position=2)
    c = under(third, "Acme Foods", "1000", DAY)
    # a is what b is counted as: linking a elsewhere would make a chain.
    _refused(
        ErrorKind.CONFLICT,
        "Other commitments are counted as",
        actor=staff,
        commitment=a,
        counted_as=c,
    )
    # Under the primary initiative the pledge has commitment a already.
    _refused(
        ErrorKind.INVALID, "one commitment per initiative", actor=staff, commitment=a2, counted_as=b
    )
    assert SamePledge.objects.count() == 1


def test_a_link_to_a_linked_commitment_goes_to_its_representative(
    ocean: Initiative, staff: User
) -> None:
    third = Initiative.objects.create(slug="nutrition", name="Nutrition", position=2)
    a = under(scope.PRIMARY, "Acme Foods", "1000", DAY)
    b = under(ocean, "Acme Foods", "1000", DAY)
    c = under(third, "Acme Foods", "1000", DAY)
    do_link_same_pledge(actor=staff, commitment=b, counted_as=a)
    link = do_link_same_pledge(actor=staff, commitment=c, counted_as=b)
    assert link.counted_as == a  # no chain


def test_only_the_secretariat_links(ocean: Initiative) -> None:
    a = under(scope.PRIMARY, "Acme Foods", "1000", DAY)
    b = under(ocean, "Acme Foods", "1000", DAY)
    member = User.objects.create_user("member")
    _refused(
        ErrorKind.NOT_ALLOWED, "Only the secretariat", actor=member, commitment=b, counted_as=a
    )
    with pytest.raises(ServiceError) as caught:
        do_dismiss_same_pledge(actor=member, first=a, second=b)
    assert caught.value.kind == ErrorKind.NOT_ALLOWED


def test_unlink_restores_the_counts_and_history_keeps_both(ocean: Initiative, staff: User) -> None:
    a = under(scope.PRIMARY, "Acme Foods", "1000", DAY)
    b = under(ocean, "Acme Foods", "1000", DAY)
    as_of = DAY + datetime.timedelta(days=1)

    def across() -> Decimal:
        with scope.within(scope.ACROSS):
            return committed(as_of).amount_usd

    assert across() == Decimal("2000")
    link = do_link_same_pledge(actor=staff, commitment=b, counted_as=a, note="press release")
    assert across() == Decimal("1000")
    # Each initiative still counts its own commitment.
    with scope.within(ocean):
        assert committed(as_of).amount_usd == Decimal("1000")
    assert committed(as_of).amount_usd == Decimal("1000")
    do_unlink_same_pledge(actor=staff, link=link, reason="two different plants")
    assert across() == Decimal("2000")

    made, removed = SamePledge.history.order_by("history_id")
    assert (made.history_type, removed.history_type) == ("+", "-")
    assert made.history_user == removed.history_user == staff
    assert "press release" in made.history_change_reason
    assert b.reference in made.history_change_reason
    assert "two different plants" in removed.history_change_reason
    with pytest.raises(ServiceError) as caught:
        do_unlink_same_pledge(actor=staff, link=link)
    assert caught.value.kind == ErrorKind.CONFLICT


def test_the_page_lists_suggestions_and_links_and_acts(ocean: Initiative, staff: User) -> None:
    a = under(scope.PRIMARY, "Acme Foods", "1000", DAY, countries=["GT"])
    b = under(ocean, "Acme Foods", "1000", DAY, countries=["GT", "KE"])
    c = under(scope.PRIMARY, "Beta Bank", None, DAY)
    d = under(ocean, "Beta Bank", None, DAY)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    page = client.get("/en/secretariat/same-pledges/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-same-pledge-suggestion="{b.reference}"' in html
    assert "Ocean pledges" in html and "Kenya" in html
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else None
    assert token  # the forms carry a CSRF token
    post = {"csrfmiddlewaretoken": token}

    answer = client.post(
        "/en/secretariat/same-pledges/link/",
        {**post, "commitment": b.reference, "counted_as": a.reference, "note": "same plant"},
    )
    assert answer.status_code == 302
    link = SamePledge.objects.get()
    assert (link.commitment, link.counted_as, link.note) == (b, a, "same plant")

    client.post(
        "/en/secretariat/same-pledges/dismiss/",
        {**post, "commitment": d.reference, "counted_as": c.reference},
    )
    assert SamePledgeDismissal.objects.filter(first=c, second=d).exists()
    html = client.get("/en/secretariat/same-pledges/").content.decode()
    assert "data-same-pledge-suggestion" not in html
    assert f'data-same-pledge-link="{link.pk}"' in html

    # A refusal is a message, never a 500.
    answer = client.post(
        "/en/secretariat/same-pledges/link/",
        {**post, "commitment": "no-such", "counted_as": a.reference},
        follow=True,
    )
    assert answer.status_code == 200
    assert "No commitment has the reference" in answer.content.decode()

    client.post(f"/en/secretariat/same-pledges/{link.pk}/unlink/", {**post, "reason": "no"})
    assert not SamePledge.objects.exists()


def test_others_get_403_on_the_page() -> None:
    member = User.objects.create_user("someone")
    client = Client()
    client.force_login(member)
    assert client.get("/en/secretariat/same-pledges/").status_code == 403


def test_the_commitment_page_says_where_else_it_was_announced(
    ocean: Initiative, staff: User
) -> None:
    a = under(scope.PRIMARY, "Acme Foods", "1000", DAY)
    b = under(ocean, "Acme Foods", "1000", DAY)
    html = Client().get(f"/en/commitments/{a.reference}/").content.decode()
    assert "Also announced under" not in html
    do_link_same_pledge(actor=staff, commitment=b, counted_as=a)
    html = Client().get(f"/en/commitments/{a.reference}/").content.decode()
    assert "Also announced under" in html and "Ocean pledges" in html
    # An unpublished commitment under the other initiative is not named.
    Commitment.objects.filter(pk=b.pk).update(status=Status.PROPOSED)
    html = Client().get(f"/es/commitments/{a.reference}/").content.decode()
    assert "También anunciado en" not in html


def test_a_group_with_an_undated_member_is_not_offered_a_second_one_of_its_initiative(
    ocean: Initiative, staff: User
) -> None:
    a = under(scope.PRIMARY, "Acme Foods", "1000", DAY)
    undated = under(ocean, "Acme Foods", "1000", DAY)
    do_link_same_pledge(actor=staff, commitment=undated, counted_as=a)
    Commitment.objects.filter(pk=undated.pk).update(announced_on=None)
    under(ocean, "Acme Foods", "1000", DAY)
    # The group has its ocean commitment already (undated or not): linking would be refused.
    assert pairs() == set()


# -- The suggestions against a plain reading of the rules, over random records --------------

START = datetime.date(2022, 1, 1)
AMOUNTS = [None, "0", "900", "899.99", "1000", "1111.11", "1111.12", "5000"]

records = st.lists(
    st.fixed_dictionaries(
        {
            "partner": st.sampled_from(["Acme Foods", "Beta Bank"]),
            "initiative": st.integers(0, 2),
            "amount": st.sampled_from(AMOUNTS),
            "day": st.one_of(st.sampled_from([0, 365, 366]), st.integers(0, 500)),
            "dated": st.sampled_from([True, True, True, False]),
            "countries": st.sets(st.sampled_from(["GT", "SV", "HN"]), min_size=1, max_size=2),
        }
    ),
    max_size=12,
)
actions = st.lists(
    st.tuples(st.sampled_from(["link", "dismiss"]), st.integers(0, 11), st.integers(0, 11)),
    max_size=6,
)


def reference_suggestions() -> list[tuple[int, int, tuple[str, ...], int, Decimal | None]]:
    """Every pair of commitments, the rules read plainly (module docstring and `_orient`)."""
    everything = {c.pk: c for c in Commitment.objects.all()}
    links = dict(SamePledge.objects.values_list("commitment_id", "counted_as_id"))
    dismissed = set(SamePledgeDismissal.objects.values_list("first_id", "second_id"))
    countries = {
        pk: set(c.countries.values_list("country", flat=True)) for pk, c in everything.items()
    }

    def rep(pk: int) -> int:
        return links.get(pk, pk)

    def grouped(pk: int) -> bool:
        return pk in links or pk in links.values()

    def group_initiatives(rep_pk: int) -> set[int]:
        return {everything[pk].initiative_id for pk in everything if rep(pk) == rep_pk}

    found = []
    for a, b in itertools.combinations(everything.values(), 2):
        if a.announced_on is None or b.announced_on is None:
            continue
        earlier, later = sorted((a, b), key=lambda c: (c.announced_on, c.pk))
        days = (later.announced_on - earlier.announced_on).days
        shared = countries[a.pk] & countries[b.pk]
        if (
            a.partner_id != b.partner_id
            or a.initiative_id == b.initiative_id
            or days > 365
            or not shared
            or not amounts_match(a.amount_usd, b.amount_usd)
            or (min(a.pk, b.pk), max(a.pk, b.pk)) in dismissed
            or rep(a.pk) == rep(b.pk)
            or (grouped(a.pk) and grouped(b.pk))
        ):
            continue
        if grouped(a.pk) or grouped(b.pk):
            in_group, member = (a, b) if grouped(a.pk) else (b, a)
            if member.initiative_id in group_initiatives(rep(in_group.pk)):
                continue
            pair = (member.pk, rep(in_group.pk))
        else:
            pair = (later.pk, earlier.pk)
        if a.amount_usd is None or b.amount_usd is None:
            difference = None
        else:
            larger = max(a.amount_usd, b.amount_usd)
            difference = abs(a.amount_usd - b.amount_usd) / larger if larger else Decimal(0)
        found.append((*pair, tuple(sorted(shared)), days, difference))
    found.sort(key=lambda s: (s[3], s[4] or Decimal(0), tuple(sorted(s[:2]))))
    return found


#: The bands the database is read in (`same_pledge.DAY_BANDS`) change no result.
BANDS = [
    same_pledge.DAY_BANDS,
    ((0, 365),),
    ((0, 0), (1, 1), (2, 364), (365, 365)),
]


class SuggestionProperties(TestCase):
    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(records, actions, st.sampled_from([None, 1, 2, 3, 200]), st.sampled_from(BANDS))
    def test_the_suggestions_are_the_rules_read_plainly(self, specs, acts, limit, bands) -> None:
        staff = User.objects.create_user("staff", is_staff=True)
        initiatives = [
            scope.primary(),
            Initiative.objects.create(slug="ocean-pledges", name="Ocean pledges", position=1),
            Initiative.objects.create(slug="nutrition", name="Nutrition", position=2),
        ]
        made = [
            under(
                initiatives[spec["initiative"]],
                spec["partner"],
                spec["amount"],
                START + datetime.timedelta(days=spec["day"]),
                countries=sorted(spec["countries"]),
            )
            for spec in specs
        ]
        for act, i, j in acts:
            if i < len(made) and j < len(made):
                with contextlib.suppress(ServiceError):  # refused: nothing written
                    if act == "link":
                        do_link_same_pledge(actor=staff, commitment=made[i], counted_as=made[j])
                    else:
                        do_dismiss_same_pledge(actor=staff, first=made[i], second=made[j])
        undated = [c.pk for c, spec in zip(made, specs, strict=True) if not spec["dated"]]
        Commitment.objects.filter(pk__in=undated).update(announced_on=None)

        expected = reference_suggestions()
        with mock.patch.object(same_pledge, "DAY_BANDS", bands):
            got = [
                (s.commitment.pk, s.counted_as.pk, s.countries, s.days_apart, s.difference)
                for s in suggest_same_pledges(limit=limit)
            ]
        assert got == (expected if limit is None else expected[:limit])
