"""Everyone lands on their work, and reads in their own language (issue 15)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

from adelante.accounts import languages
from adelante.accounts.models import Preferences
from adelante.errors import Invalid
from tests.accounts.conftest import PASSWORD, Cast

pytestmark = pytest.mark.django_db


def _sign_in(client, username: str, **extra: str):
    return client.post(
        "/en/accounts/sign-in/", {"username": username, "password": PASSWORD, **extra}
    )


@pytest.mark.parametrize(
    ("role", "lands_on"),
    [
        ("member", "/en/partner/acme-foods/"),
        ("partner_admin", "/en/partner/acme-foods/"),
        ("reviewer", "/en/secretariat/queue/"),
        ("secretariat_admin", "/en/secretariat/queue/"),
        ("government", "/en/reports/"),
    ],
)
def test_after_signing_in_each_role_lands_on_its_work(client, cast: Cast, role, lands_on):
    user = getattr(cast, role)
    response = _sign_in(client, user.username, next="")
    assert response["Location"] == "/en/accounts/work/"
    landed = client.get(response["Location"], follow=True)
    assert landed.redirect_chain[-1][0] == lands_on
    assert landed.status_code == 200


def test_someone_with_no_role_lands_on_the_account_page(client, cast: Cast):
    User.objects.create_user("nobody", password=PASSWORD)
    _sign_in(client, "nobody")
    assert client.get("/en/accounts/work/")["Location"] == "/en/accounts/"


def test_a_safe_next_is_still_followed(client, cast: Cast):
    assert _sign_in(client, "member", next="/en/commitments/")["Location"] == "/en/commitments/"
    client.post("/en/accounts/sign-out/")
    assert _sign_in(client, "member", next="//evil.example/")["Location"] == "/en/accounts/work/"


def test_work_is_in_the_persons_language(client, cast: Cast):
    languages.set_preferred(user=cast.reviewer, language="es")
    client.force_login(cast.reviewer)
    assert client.get("/en/accounts/work/")["Location"] == "/es/secretariat/queue/"


def test_the_header_links_to_work_and_offers_join_to_visitors_only(client, cast: Cast):
    visitor = client.get("/en/").content.decode()
    assert "/en/join/" in visitor and "/en/accounts/work/" not in visitor
    client.force_login(cast.member)
    for url in ("/en/", "/en/commitments/", "/en/accounts/", "/en/partner/acme-foods/"):
        page = client.get(url).content.decode()
        assert "/en/accounts/work/" in page, url
        assert "Join / make a commitment" not in page, url
    # Anonymous readers still get the shared page afterwards (it is not cached signed in).
    client.post("/en/accounts/sign-out/")
    assert "Join / make a commitment" in client.get("/en/").content.decode()


def test_the_people_page_is_linked_from_the_organisation(client, cast: Cast):
    people = "/en/accounts/partners/acme-foods/people/"
    client.force_login(cast.partner_admin)
    assert people in client.get("/en/partner/acme-foods/").content.decode()
    client.force_login(cast.member)  # may not invite: no link
    assert people not in client.get("/en/partner/acme-foods/").content.decode()


def test_the_preferred_language_is_changed_on_the_account_page(client, cast: Cast):
    client.force_login(cast.member)
    assert 'name="language"' in client.get("/en/accounts/").content.decode()
    response = client.post("/en/accounts/language/", {"language": "es"})
    assert response["Location"] == "/es/accounts/"
    assert languages.preferred(cast.member) == "es"
    assert Preferences.objects.get(user=cast.member).history.count() == 1
    refused = client.post("/en/accounts/language/", {"language": "fr"}, follow=True)
    assert refused.status_code == 200 and languages.preferred(cast.member) == "es"
    with pytest.raises(Invalid):
        languages.set_preferred(user=cast.member, language="xx")


def test_an_invitation_in_the_invitees_language_sets_theirs(client, cast: Cast):
    client.force_login(cast.partner_admin)
    page = client.get("/en/accounts/partners/acme-foods/people/").content.decode()
    assert 'name="language"' in page
    client.post(
        "/en/accounts/partners/acme-foods/people/",
        {"email": "ana@example.org", "role": "member", "language": "es"},
    )
    [message] = mail.outbox
    assert "Invitación" in message.subject
    found = re.search(r"http://testserver(/es/accounts/invitations/[^/\s]+/)", message.body)
    assert found, message.body
    client.post("/en/accounts/sign-out/")
    chosen = "another long pass phrase 77"
    accepted = client.post(found.group(1), {"password1": chosen, "password2": chosen})
    assert accepted["Location"] == "/es/accounts/work/"
    assert languages.preferred(User.objects.get(email="ana@example.org")) == "es"
    # An English invitation does not override a language the person chose before.
    languages.set_preferred(user=cast.member, language="es")
    from adelante.accounts import invitations

    invitation = invitations.invite(cast.other_partner, cast.member.email, language="en")
    invitations.accept(invitations.token_for(invitation), user=cast.member)
    assert languages.preferred(cast.member) == "es"


def test_the_password_reset_e_mail_is_in_the_accounts_language(client, cast: Cast):
    languages.set_preferred(user=cast.member, language="es")
    client.post("/en/accounts/password-reset/", {"email": "member@example.org"})
    [message] = mail.outbox
    found = re.search(r"https?://[^/]+(/es/accounts/password-reset/[^/]+/[^/\s]+/)", message.body)
    assert found, message.body
    assert client.get(found.group(1), follow=True).status_code == 200
