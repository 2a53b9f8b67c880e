"""One search, forgiving: accents and case do not matter, on SQLite and on PostgreSQL (the
suite runs on both: DATABASE_URL), in the portal's search, the explorer, the partner index and
the API."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Value
from hypothesis import given
from hypothesis import strategies as st

from adelante.catalogue.models import StatementName
from adelante.commitments.models import Commitment, OfficialStatement
from adelante.folding import FROM_LETTERS, TO_LETTERS, Folded, fold
from adelante.partners.models import Partner, PartnerAlias
from adelante.partners.naming import normalise
from adelante.portal.search import MAX_SEARCH, search, tidy
from tests import builders

DAY = datetime.date(2022, 6, 7)


@pytest.fixture
def accented(db):
    nestle = builders.commitment("Nestlé", "150000000", DAY, countries=["HN"])
    nestle.summary = "Café de Honduras: compra a pequeños productores"
    nestle.save()
    fundacion = builders.commitment("Fundación Sabiduría", "2000000", DAY, countries=["GT"])
    other = builders.commitment("Plain Corp", "1000000", DAY, countries=["SV"])
    PartnerAlias.objects.create(
        partner=other.partner, name="Compañía Llana", normalised_name=normalise("Compañía Llana")
    )
    OfficialStatement.objects.create(
        stated_on=DAY,
        metric="partner_progress_nespresso_farms_worked_with_guatemala",
        value=1200,
        unit="farms",
        qualifier="at_least",
        note="Cafetaleros de Huehuetenango",
        source_url="https://example.org/statement",
    )
    return {"nestle": nestle, "fundacion": fundacion, "other": other}


def test_fold_is_the_same_in_python_and_in_the_database(db):
    # The database function (SQL on PostgreSQL, Python on SQLite) folds like `fold`.
    sample = "NESTLÉ Fundación ÑANDÚ Çava Ångström ŒUF Straße " + FROM_LETTERS
    folded = Commitment.objects.annotate(f=Folded(Value(sample))).values_list("f", flat=True)
    builders.commitment("Any", "1", DAY)
    assert next(iter(folded)) == fold(sample)
    assert fold("NESTLÉ Fundación Café") == "nestle fundacion cafe"
    assert len(FROM_LETTERS) == len(TO_LETTERS)
    assert connection.vendor in ("sqlite", "postgresql")


@pytest.mark.parametrize("typed", ["nestle", "Nestle", "NESTLÉ", "nestlé", "NESTLE", "  nestle  "])
def test_the_explorer_finds_accented_partners_whatever_is_typed(client, accented, typed):
    page = client.get("/en/commitments/", {"q": typed}).content.decode()
    assert accented["nestle"].reference in page
    assert accented["fundacion"].reference not in page


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("FUNDACION", "fundacion"),
        ("fundación sabiduria", "fundacion"),
        ("cafe", "nestle"),
        ("CAFÉ honduras", "nestle"),
        ("pequenos", "nestle"),
        ("compania llana", "other"),
    ],
)
def test_every_search_field_is_forgiving(client, accented, typed, who):
    page = client.get("/en/commitments/", {"q": typed}).content.decode()
    assert accented[who].reference in page
    for name, made in accented.items():
        if name != who:
            assert made.reference not in page


def test_the_partner_index_and_the_api_are_forgiving_too(client, accented):
    page = client.get("/en/partners/", {"q": "nestle"}).content.decode()
    assert "Nestlé" in page and "Plain Corp" not in page
    by_alias = client.get("/en/partners/", {"q": "COMPANIA"}).content.decode()
    assert "Plain Corp" in by_alias and "Nestlé" not in by_alias
    answer = client.get("/api/v1/partners", {"q": "fundacion"}).json()
    assert [p["name"] for p in answer["results"]] == ["Fundación Sabiduría"]


def test_the_search_page_groups_results_by_kind(client, accented):
    page = client.get("/en/search/", {"q": "nestle"}).content.decode()
    assert 'id="found-partners"' in page and 'id="found-commitments"' in page
    assert f"/en/partners/{accented['nestle'].partner.slug}/" in page
    assert f"/en/commitments/{accented['nestle'].reference}/" in page
    assert "Fundación" not in page


def test_the_search_finds_countries_rounds_and_statements(client, accented):
    # A country by its name in either language, without its accents.
    for typed in ("honduras", "GUATEMALA", "el salvador"):
        page = client.get("/es/search/", {"q": typed}).content.decode()
        assert 'id="found-countries"' in page, typed
    statements = client.get("/en/search/", {"q": "huehuetenango"}).content.decode()
    assert 'id="found-statements"' in statements
    # A statement links to the round of its day, where it is shown.
    assert f"/en/rounds/{accented['nestle'].round.slug}/#statements" in statements
    rounds = client.get("/en/search/", {"q": accented["nestle"].round.label}).content.decode()
    assert 'id="found-rounds"' in rounds


def test_search_results_are_public_only(client, accented):
    proposal = builders.commitment("Nestlé Secreta", "5", DAY, status="proposed")
    page = client.get("/en/search/", {"q": "nestle"}).content.decode()
    assert proposal.reference not in page
    assert "Nestlé Secreta" not in page


def test_nothing_found_and_nothing_typed(client, accented):
    empty = client.get("/en/search/")
    assert empty.status_code == 200
    nothing = client.get("/en/search/", {"q": "zzzqqq"}).content.decode()
    assert "Nothing matches" in nothing
    spanish = client.get("/es/search/", {"q": "zzzqqq"}).content.decode()
    assert "Nada coincide" in spanish


def test_user_text_is_escaped(client, accented):
    page = client.get("/en/search/", {"q": "<script>x</script>"}).content.decode()
    assert "<script>x</script>" not in page


def test_a_long_search_is_shortened_with_a_notice_not_refused(client, accented):
    long = "nestle " + "x" * 500
    for url in ("/en/search/", "/en/commitments/", "/en/partners/"):
        response = client.get(url, {"q": long})
        assert response.status_code == 200, url
        assert "it was shortened to its first 200" in response.content.decode(), url
    assert len(tidy(long).text) == MAX_SEARCH and tidy(long).shortened
    assert not tidy("nestle").shortened


def test_every_header_has_the_search_box(client, accented):
    for url in ("/en/", "/es/commitments/", "/en/methodology/"):
        page = client.get(url).content.decode()
        assert 'id="site-search"' in page and 'action="/' in page


def test_search_function_counts(accented):
    results = search("nestle", DAY)
    kinds = {g.kind: g.count for g in results.groups}
    assert kinds == {"partners": 1, "commitments": 1}
    assert results.count == 2
    assert Partner.objects.count() == 3


@given(st.text())
def test_the_ascii_shortcut_folds_like_the_table(text):
    from adelante.folding import _TRANSLATION

    assert fold(text) == text.translate(_TRANSLATION)
    assert fold(fold(text)) == fold(text)


def test_statements_and_rounds_are_found_by_their_names_in_either_language(client, accented):
    StatementName.objects.create(
        code="partner_progress_nespresso_farms_worked_with_guatemala",
        name_en="Nespresso: farms worked with in Guatemala",
        name_es="Nespresso: fincas con las que trabaja en Guatemala",
    )
    the_round = accented["nestle"].round
    the_round.label_es = "Ronda de junio"
    the_round.save()
    # Found by the catalogue's Spanish name, accents and case aside, and shown by it.
    page = client.get("/es/search/", {"q": "FINCAS con las que"}).content.decode()
    assert 'id="found-statements"' in page
    assert "Nespresso: fincas con las que trabaja en Guatemala" in page
    # A round by its Spanish label, shown in Spanish on a Spanish page.
    rounds = client.get("/es/search/", {"q": "ronda de JUNIO"}).content.decode()
    assert 'id="found-rounds"' in rounds and "Ronda de junio" in rounds
