"""A request whose declared body is over the limit is refused (413) before its body is read,
on the web and in the API, in the reader's language; smaller requests pass."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db

MiB = 1024 * 1024


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args: object) -> bytes:
        raise AssertionError("the body was read")

    readline = read


def post(client, path: str, size: int, **extra):
    return client.post(
        path,
        data=b"x",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": Unreadable()},
        **extra,
    )


def test_a_large_upload_is_refused_before_its_body_is_read(client):
    response = post(client, "/en/staff/import/", 100 * MiB)
    assert response.status_code == 413
    page = response.content.decode()
    assert "The request is too large" in page
    assert "The request is 100 MB; the limit is 21 MB." in page


def test_the_refusal_is_in_the_language_of_the_address(client):
    response = post(client, "/es/staff/import/", 100 * MiB)
    assert response.status_code == 413
    assert "La solicitud es demasiado grande" in response.content.decode()


def test_the_api_refuses_with_a_problem(client):
    response = post(client, "/api/v1/progress-reports", 30 * MiB)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    problem = json.loads(response.content)
    assert problem["status"] == 413
    assert problem["type"] == "urn:adelante:problem:request-too-large"
    assert "the limit is 21 MB" in problem["detail"]
    assert problem["instance"] == "/api/v1/progress-reports"


def test_the_limit_is_a_setting(client, settings):
    settings.ADELANTE_REQUEST_MAX_BYTES = 1000
    assert post(client, "/en/staff/import/", 1001).status_code == 413
    # At the limit the request goes on (to the sign-in page: the import is for the staff).
    response = client.post("/en/staff/import/", data={"kind": "rates"})
    assert response.status_code == 302


def test_requests_within_the_limit_pass(client):
    assert client.get("/en/").status_code == 200
