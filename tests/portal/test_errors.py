"""Bad addresses and parameters answer with a helpful page, never a server error."""

import pytest
from django.test import Client

from tests.portal.conftest import SCRIPT

pytestmark = pytest.mark.django_db

HOSTILE = [
    ("/en/", {"as_of": "2022-02-30"}, 400),
    ("/en/", {"as_of": "99999-01-01"}, 400),
    ("/en/", {"as_of": "1-1-1"}, 400),
    ("/en/", {"as_of": SCRIPT}, 400),
    ("/en/", {"recorded_on": "never"}, 400),
    ("/en/", {"as_of": "2999-12-31"}, 200),
    ("/en/", {"unknown": "1"}, 200),
    ("/en/commitments/", {"page": "99999"}, 404),
    ("/en/commitments/", {"page": "1" * 30}, 400),
    ("/en/commitments/", {"per_page": "9" * 30}, 400),
    ("/en/commitments/", {"country": "Narnia"}, 400),
    ("/en/commitments/", {"q": SCRIPT}, 200),
    ("/en/commitments/", {"q": "%' OR 1=1 --"}, 200),
    ("/en/commitments/", {"round": "x" * 5000}, 414),
    ("/en/partners/", {"page": "-5"}, 400),
    ("/en/rounds/", {"as_of": "2022-06-07T00:00"}, 400),
    ("/en/countries/", {"as_of": "\u0662\u0660\u0662\u0662-\u0660\u0666-\u0660\u0667"}, 400),
    ("/en/countries/zz/", {}, 404),
    ("/en/commitments/no-such/", {}, 404),
    ("/en/partners/no-such/", {}, 404),
    ("/en/rounds/no-such/", {}, 404),
    ("/en/data/no-such.csv", {}, 404),
    ("/en/data/committed-by-country.csv", {"as_of": "bad"}, 400),
    ("/en/commitments/download.csv", {"page": "x"}, 400),
    ("/en/no/such/page/", {}, 404),
    ("/es/no/existe/", {}, 404),
]


@pytest.mark.parametrize(("url", "params", "status"), HOSTILE)
def test_never_a_server_error(client, record, url, params, status):
    response = client.get(url, params)
    assert response.status_code == status
    if response["Content-Type"].startswith("text/html"):
        page = response.content.decode()
        assert SCRIPT not in page
        assert "<h1" in page


def test_error_pages_speak_the_readers_language(client, record):
    response = client.get("/es/no/existe/")
    assert response.status_code == 404
    assert 'lang="es"' in response.content.decode()
    bad = client.get("/es/", {"as_of": "mal"})
    assert bad.status_code == 400 and 'lang="es"' in bad.content.decode()


def test_the_400_page_quotes_the_bad_value_escaped(client, record):
    page = client.get("/en/commitments/", {"kind": SCRIPT}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert SCRIPT not in page


def test_the_500_page_is_plain_and_needs_no_database(record):
    from adelante.portal.views.errors import server_error

    response = server_error(Client().get("/en/").wsgi_request)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
