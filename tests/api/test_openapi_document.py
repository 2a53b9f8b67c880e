"""The OpenAPI document is plain JSON that every reader parses the same way: no key twice in
one object (Swagger UI reads JSON as YAML, which refuses a repeated key; Python keeps the last)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client


def _refuse_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    assert not repeated, f"keys named twice in one object: {repeated}"
    return dict(pairs)


@pytest.mark.django_db
def test_no_key_is_named_twice(client: Client) -> None:
    body = client.get("/api/v1/openapi.json").content.decode()
    document = json.loads(body, object_pairs_hook=_refuse_repeats)
    responses = document["paths"]["/api/v1/progress-reports/{report_id}"]["get"]["responses"]
    assert set(responses) >= {"200", "404", "401", "422", "429"}
