"""adelante.confirming: the signed link that confirms the e-mail address of a form sent
without an account, shared by the join form and suggested corrections."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core import signing

from adelante import confirming
from adelante.accounts import joining
from adelante.accounts.models import JoinStatus
from adelante.corrections import suggesting
from adelante.corrections.models import CorrectionStatus, Subject
from adelante.errors import Invalid
from tests import builders
from tests.accounts.test_join import FORM
from tests.corrections.conftest import suggest

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference() -> str:
    """A published commitment's reference: something a correction may be suggested for."""
    return builders.commitment("Acme Foods", "1000", datetime.date(2023, 2, 7)).reference


def _sent_days_ago(days: float, monkeypatch: pytest.MonkeyPatch, make) -> str:  # type: ignore[no-untyped-def]
    """A link signed `days` ago (the signature carries its time)."""
    now = time.time()
    with monkeypatch.context() as patched:
        patched.setattr(signing.time, "time", lambda: now - days * 24 * 3600)
        return make()


def test_each_form_s_link_confirms_only_its_own_kind_of_row(reference: str) -> None:
    """A join request and a correction with the same id: each link confirms its own row."""
    correction = suggest(Subject.COMMITMENT, reference)
    request = joining.submit(dict(FORM), language="en")
    request.pk = correction.pk  # the same id, as a forger would try
    join_token = joining.confirmation_token(request)
    with pytest.raises(suggesting.CorrectionError):
        suggesting.do_confirm(join_token)
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.UNCONFIRMED


def test_a_link_works_for_three_days_then_says_what_to_do(
    reference: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = suggest(Subject.COMMITMENT, reference)
    fresh = _sent_days_ago(2.9, monkeypatch, lambda: suggesting.confirmation_token(made))
    stale = _sent_days_ago(3.1, monkeypatch, lambda: suggesting.confirmation_token(made))
    with pytest.raises(Invalid, match=r"expired\. Please send the suggestion again"):
        suggesting.do_confirm(stale)
    assert suggesting.do_confirm(fresh).status == CorrectionStatus.NEW

    request = joining.submit(dict(FORM), language="en")
    old = _sent_days_ago(4, monkeypatch, lambda: joining.confirmation_token(request))
    with pytest.raises(joining.JoinError, match=r"expired\. Please send the form again"):
        joining.confirm(old)
    request.refresh_from_db()
    assert request.status == JoinStatus.UNCONFIRMED
    assert confirming.CONFIRM_SECONDS == 3 * 24 * 3600


def test_confirming_twice_writes_one_history_entry_and_queues_once(reference: str) -> None:
    request = joining.submit(dict(FORM), language="en")
    received = []

    def heard(**kwargs: object) -> None:
        received.append(kwargs["join_request"])

    joining.join_request_confirmed.connect(heard)
    try:
        token = joining.confirmation_token(request)
        first = joining.confirm(token)
        second = joining.confirm(token)
    finally:
        joining.join_request_confirmed.disconnect(heard)
    assert first.status == second.status == JoinStatus.NEW
    assert first.confirmed_at == second.confirmed_at
    assert received == [first]
    assert [h.history_change_reason for h in request.history.order_by("history_id")] == [
        "sent through the join form",
        "e-mail address confirmed",
    ]
