"""The corrections pages: the link on every public page, the form and its defences (honeypot,
limit per address, e-mail confirmation), the secretariat's decision, the public log in both
languages; and the suggester's e-mail address in no public byte."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from adelante.commitments.models import Commitment
from adelante.corrections import deciding
from adelante.corrections.models import Correction, CorrectionStatus, Subject
from tests.corrections.conftest import EMAIL, World, confirmed

pytestmark = pytest.mark.django_db

NAME = "Zacarías Quintanilla-Ybarra"


def form(**changes: str) -> dict[str, str]:
    return {"said": "The amount is 2,000,000.", "email": EMAIL, "name": NAME, **changes}


def suggest_url(world: World, lang: str = "en") -> str:
    return f"/{lang}/corrections/suggest/commitment/{world.commitment.reference}/"


def test_every_kind_of_public_page_links_to_the_form(client: Client, world: World) -> None:
    c = world.commitment
    pages = {
        f"/en/commitments/{c.reference}/": f"/en/corrections/suggest/commitment/{c.reference}/",
        f"/en/partners/{c.partner.slug}/": f"/en/corrections/suggest/partner/{c.partner.slug}/",
        "/en/": "/en/corrections/suggest/figure/overview/",
        f"/en/rounds/{c.round.slug}/": f"/en/corrections/suggest/figure/round:{c.round.slug}/",  # type: ignore[union-attr]
        "/en/countries/gt/": "/en/corrections/suggest/figure/country:gt/",
        "/en/rounds/": "/en/corrections/suggest/figure/rounds/",
        "/en/countries/": "/en/corrections/suggest/figure/countries/",
    }
    for page, link in pages.items():
        html = client.get(page).content.decode()
        assert f'href="{link}"' in html, page
        assert client.get(link).status_code == 200, link
    # Each official statement, beside the round's figures.
    html = client.get(f"/en/rounds/{c.round.slug}/").content.decode()  # type: ignore[union-attr]
    statement = f"/en/corrections/suggest/statement/{world.statement.pk}/"
    assert f'href="{statement}"' in html
    assert client.get(statement).status_code == 200


def test_suggest_then_confirm_by_e_mail(client: Client, world: World) -> None:
    response = client.post(suggest_url(world), form())
    assert response.status_code == 302 and response["Location"] == "/en/corrections/sent/"
    [sent] = mail.outbox
    assert sent.to == [EMAIL] and "confirm" in sent.subject.lower()
    link = re.search(r"https?://[^/\s]+(/en/corrections/confirm/[^/\s]+/)", sent.body)
    assert link is not None
    assert Correction.objects.get().status == CorrectionStatus.UNCONFIRMED
    page = client.get(link.group(1))
    assert page.status_code == 200 and b"Confirm the suggestion" in page.content
    assert Correction.objects.get().status == CorrectionStatus.UNCONFIRMED  # GET: nothing
    assert client.post(link.group(1)).status_code == 200
    assert Correction.objects.get().status == CorrectionStatus.NEW


def test_the_e_mail_is_in_the_page_s_language(client: Client, world: World) -> None:
    client.post(suggest_url(world, "es"), form())
    [sent] = mail.outbox
    assert "Confirme" in sent.subject
    assert "/es/corrections/confirm/" in sent.body
    assert Correction.objects.get().language == "es"


def test_the_honeypot_keeps_and_sends_nothing(client: Client, world: World) -> None:
    response = client.post(suggest_url(world), form(website="http://spam.example"))
    assert response.status_code == 302
    assert not Correction.objects.exists() and mail.outbox == []


def test_bad_input_is_a_400_and_nothing_is_kept(client: Client, world: World) -> None:
    for bad in (form(said=""), form(email="nope"), form(source_url="javascript:x")):
        assert client.post(suggest_url(world), bad).status_code == 400
    assert not Correction.objects.exists() and mail.outbox == []


def test_an_unknown_page_is_a_404(client: Client, world: World) -> None:
    for url in (
        "/en/corrections/suggest/commitment/nope/",
        "/en/corrections/suggest/figure/round:nope/",
        "/en/corrections/suggest/bogus/x/",
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, form()).status_code == 404
    assert not Correction.objects.exists()


def test_the_limit_per_address(client: Client, world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ADELANTE_CORRECTIONS_PER_ADDRESS = 2
    for n in range(2):
        assert client.post(suggest_url(world), form(email=f"p{n}@example.org")).status_code == 302
    refused = client.post(suggest_url(world), form(email="p9@example.org"))
    assert refused.status_code == 429 and b"Too many suggestions" in refused.content
    assert Correction.objects.count() == 2 and len(mail.outbox) == 2


def test_a_forged_link_is_dead(client: Client, world: World) -> None:
    assert client.get("/en/corrections/confirm/forged/").status_code == 410
    assert client.post("/en/corrections/confirm/forged/").status_code == 410


def _reviewer(world: World) -> Client:
    client = Client()
    client.force_login(world.reviewer)
    return client


def test_the_secretariat_accepts_and_every_page_shows_it(client: Client, world: World) -> None:
    c = world.commitment
    confirmed(key=c.reference, said="Should be <b>2,000,000</b>", name=NAME)
    waiting = Correction.objects.get()
    staff = _reviewer(world)
    queue = staff.get("/en/secretariat/corrections/").content.decode()
    assert "Should be &lt;b&gt;2,000,000&lt;/b&gt;" in queue
    review = staff.get(f"/en/secretariat/corrections/{waiting.pk}/")
    assert EMAIL in review.content.decode()  # the secretariat sees who to write to
    assert review["Cache-Control"] == "private, no-store"
    bad = staff.post(
        f"/en/secretariat/corrections/{waiting.pk}/",
        {"action": "accept", "accept-field": "amount", "accept-value": "-1", "accept-reason": "r"},
    )
    assert bad.status_code == 400
    done = staff.post(
        f"/en/secretariat/corrections/{waiting.pk}/",
        {
            "action": "accept",
            "accept-field": "amount",
            "accept-value": "2000000",
            "accept-reason": "The press release says so.",
        },
    )
    assert done.status_code == 302
    assert Commitment.objects.get(pk=c.pk).amount_usd == 2000000
    again = staff.post(
        f"/en/secretariat/corrections/{waiting.pk}/",
        {"action": "decline", "decline-reason": "no"},
    )
    assert again.status_code == 409
    for lang, amount, words in (
        ("en", "2,000,000", "The press release says so."),
        ("es", "US$2,000,000", "Aceptada"),
    ):
        page = client.get(f"/{lang}/commitments/{c.reference}/").content.decode()
        assert amount in page and words in page
        assert "Should be &lt;b&gt;2,000,000&lt;/b&gt;" in page
        log = client.get(f"/{lang}/corrections/").content.decode()
        assert words in log and f"/{lang}/commitments/{c.reference}/" in log


def test_the_secretariat_declines(world: World, client: Client) -> None:
    confirmed(key=world.commitment.reference)
    waiting = Correction.objects.get()
    staff = _reviewer(world)
    assert (
        staff.post(
            f"/en/secretariat/corrections/{waiting.pk}/",
            {"action": "decline", "decline-reason": ""},
        ).status_code
        == 400
    )
    assert (
        staff.post(
            f"/en/secretariat/corrections/{waiting.pk}/",
            {"action": "decline", "decline-reason": "The source says 1,000,000."},
        ).status_code
        == 302
    )
    assert "The source says 1,000,000." in client.get("/en/corrections/").content.decode()
    assert staff.post(f"/en/secretariat/corrections/{waiting.pk}/", {}).status_code == 400


def test_unconfirmed_suggestions_are_not_in_the_queue(world: World, client: Client) -> None:
    client.post(suggest_url(world), form(said="unconfirmed words"))
    staff = _reviewer(world)
    every = staff.get("/en/secretariat/corrections/?status=all").content.decode()
    assert "unconfirmed words" not in every
    pk = Correction.objects.get().pk
    assert staff.get(f"/en/secretariat/corrections/{pk}/").status_code == 404


def test_the_suggester_is_in_no_public_byte(client: Client, world: World) -> None:
    c = world.commitment
    statement = str(world.statement.pk)
    decided = [
        confirmed(key=c.reference, name=NAME),
        confirmed(Subject.PARTNER, c.partner.slug, name=NAME),
        confirmed(Subject.STATEMENT, statement, name=NAME),
        confirmed(Subject.FIGURE, "overview", name=NAME),
    ]
    staff = _reviewer(world)
    for n, correction in enumerate(decided):
        staff.post(
            f"/en/secretariat/corrections/{correction.pk}/",
            {"action": "decline", "decline-reason": f"Declined {n}."},
        )
    assert Correction.objects.filter(status=CorrectionStatus.DECLINED).count() == 4
    public = [
        "/en/",
        "/es/",
        "/en/corrections/",
        "/es/corrections/",
        f"/en/commitments/{c.reference}/",
        f"/en/partners/{c.partner.slug}/",
        f"/en/rounds/{c.round.slug}/",  # type: ignore[union-attr]
        "/en/countries/gt/",
        "/en/commitments/download.csv",
        "/api/v1/commitments",
        f"/api/v1/commitments/{c.reference}",
        f"/api/v1/partners/{c.partner.slug}",
        "/api/v1/statements",
        "/downloads/adelante-record.json",
    ]
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert EMAIL.encode() not in body, url
        assert NAME.encode() not in body and b"Quintanilla" not in body, url


def test_a_decision_reaches_a_cached_page(client: Client, world: World) -> None:
    """The page cache is keyed by the record's state: a decline, which changes no record,
    still shows at once on the page it is about."""
    url = f"/en/commitments/{world.commitment.reference}/"
    assert b"No correction of this page decided yet." in client.get(url).content
    correction = confirmed(key=world.commitment.reference)
    deciding.do_decline(correction, reason="Checked: the record is right.", by=world.reviewer)
    assert b"Checked: the record is right." in client.get(url).content


def test_the_suggester_is_told_the_decision_in_their_language(
    client: Client, world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client.post(suggest_url(world, "es"), form())
    link = re.search(r"https?://[^/\s]+(/es/corrections/confirm/[^/\s]+/)", mail.outbox[-1].body)
    assert link is not None
    client.post(link.group(1))
    correction = Correction.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        _reviewer(world).post(
            f"/en/secretariat/corrections/{correction.pk}/",
            {"action": "decline", "decline-reason": "La fuente dice 1.000.000."},
        )
    told = mail.outbox[-1]
    assert told.to == [EMAIL] and told.subject == "Se rechazó la corrección que sugirió"
    assert "La fuente dice 1.000.000." in told.body
    assert "http://testserver/es/corrections/" in told.body


def test_spam_left_out_of_the_log_is_not_answered(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    correction = confirmed(key=world.commitment.reference)
    with django_capture_on_commit_callbacks(execute=True):
        deciding.do_decline(correction, reason="Spam.", hide=True, by=world.reviewer)
    assert mail.outbox == []
    accepted = confirmed(key=world.commitment.reference)
    with django_capture_on_commit_callbacks(execute=True):
        deciding.do_accept(
            accepted, field="title", value="A better title", reason="Yes.", by=world.reviewer
        )
    [told] = mail.outbox
    assert told.subject == "Your suggested correction was accepted" and "Yes." in told.body
