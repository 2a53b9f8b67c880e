"""Fixtures for the workflow tests: real rows, real users with real roles (no mocks)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User

from adelante.accounts.groups import SECRETARIAT_REVIEWER
from adelante.partners.models import Membership, MembershipRole, Partner, PartnerAlias
from adelante.partners.naming import normalise
from adelante.workflow import intake, sanctions
from adelante.workflow.intake import ProposalInput, SourceInput, TargetInput
from tests import builders

PASSWORD = "a-long-test-password-1"


def make_user(username: str, **extra: Any) -> User:
    user = User.objects.create_user(
        username, email=f"{username}@example.org", password=PASSWORD, **extra
    )
    return user


@pytest.fixture
def partner(db: Any) -> Partner:
    made = builders.partner("Café Ejemplo S.A.")
    PartnerAlias.objects.create(
        partner=made, name="Ejemplo Coffee", normalised_name=normalise("Ejemplo Coffee")
    )
    return made


@pytest.fixture
def other_partner(db: Any) -> Partner:
    return builders.partner("Otra Organización")


@pytest.fixture
def member(partner: Partner) -> User:
    user = make_user("maria")
    Membership.objects.create(user=user, partner=partner, role=MembershipRole.MEMBER)
    return user


@pytest.fixture
def outsider(other_partner: Partner) -> User:
    user = make_user("otto")
    Membership.objects.create(user=user, partner=other_partner, role=MembershipRole.MEMBER)
    return user


@pytest.fixture
def reviewer(db: Any) -> User:
    user = make_user("rita")
    user.groups.add(Group.objects.get_or_create(name=SECRETARIAT_REVIEWER)[0])
    return user


@pytest.fixture
def the_round(db: Any) -> Any:
    return builders.round_on(datetime.date(2023, 2, 6), "Central America Forward launch")


def good_input(**changes: Any) -> ProposalInput:
    values: dict[str, Any] = {
        "title": "Coffee growers' credit",
        "summary": "Working capital for 2,000 smallholder coffee growers.",
        "kind": "lending",
        "qualifier": "at_least",
        "amount": Decimal("5000000"),
        "currency": "USD",
        "countries": {"GT": Decimal("60"), "HN": Decimal("40")},
        "focus_areas": (),
        "starts_on": datetime.date(2023, 3, 1),
        "ends_on": datetime.date(2026, 12, 31),
        "targets": (TargetInput("producers_supported", Decimal("2000")),),
        "sources": (SourceInput("https://example.org/press", "Press release"),),
    }
    values.update(changes)
    return ProposalInput(**values)


SDN_ROWS = (
    '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
    '173,"ANGLO-CARIBBEAN CO., LTD.",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
    '7001,"CAFE EJEMPLO TRADING",-0- ,"SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    '"Linked To: SOMEONE."\n'
    '7002,"PEREZ, Juan","individual","SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
    "\x1a"
)
ALT_ROWS = '36,12,"aka","AERO-CARIBBEAN",-0- \n7002,13,"aka","EJEMPLO COFFEE GROUP",-0- \n'


@pytest.fixture
def sdn_files(tmp_path: Path) -> tuple[Path, Path]:
    sdn = tmp_path / "sdn.csv"
    alt = tmp_path / "alt.csv"
    sdn.write_bytes(SDN_ROWS.encode("cp1252"))
    alt.write_bytes(ALT_ROWS.encode("cp1252"))
    return sdn, alt


@pytest.fixture
def sdn_list(db: Any, sdn_files: tuple[Path, Path]) -> Any:
    return sanctions.import_list("US SDN", "sdn", list(sdn_files))


@pytest.fixture
def proposal(member: User, partner: Partner) -> Any:
    return intake.create_proposal(user=member, partner=partner, data=good_input())


@pytest.fixture
def submitted(member: User, proposal: Any) -> Any:
    return intake.submit(user=member, proposal=proposal)


@pytest.fixture
def under_review(reviewer: User, submitted: Any) -> Any:
    return intake.pick_up(reviewer=reviewer, proposal=submitted)


PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def pdf_upload(name: str = "policy.pdf") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def complete_checklist(reviewer: User, proposal: Any) -> None:
    """Every active question answered yes, with a document where one is needed."""
    for question in intake.active_questions():
        intake.answer_question(
            reviewer=reviewer,
            proposal=proposal,
            question=question,
            answer="yes",
            attestation="Policy seen.",
        )
        if question.requires_document:
            intake.add_document(
                reviewer=reviewer, proposal=proposal, upload=pdf_upload(), question=question
            )


def screen_and_clear(reviewer: User, proposal: Any) -> Any:
    """Screen, and decide every hit a false positive."""
    run = sanctions.screen(reviewer=reviewer, proposal=proposal)
    for hit in run.hits.all():
        sanctions.decide(
            reviewer=reviewer, hit=hit, decision="false_positive", reason="Different organisation."
        )
    return run


@pytest.fixture
def accepted(reviewer: User, under_review: Any, sdn_list: Any, the_round: Any) -> Any:
    complete_checklist(reviewer, under_review)
    screen_and_clear(reviewer, under_review)
    return intake.accept(
        reviewer=reviewer, proposal=under_review, into=the_round, past_confirmed=True
    )


@pytest.fixture(autouse=True)
def _english() -> Any:
    """These tests read English messages: whatever an earlier test left active."""
    from django.utils import translation

    with translation.override("en"):
        yield
