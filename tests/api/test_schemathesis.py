"""Schemathesis against the API's own OpenAPI document: generated requests (valid and not)
to every operation, anonymous and with a partner's token; no 5xx, and every response conforms
to the document (status code, content type, body schema, headers). Kept small (a few examples
per operation) so the suite stays fast."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from adelante.api.tokens import create_token
from adelante.corrections import deciding
from tests import builders
from tests.accounts.conftest import make_user
from tests.api.conftest import LAUNCH, member_of
from tests.corrections.conftest import confirmed

HOSTS = ["localhost", "testserver"]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
EXAMPLES = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)

with override_settings(ALLOWED_HOSTS=HOSTS):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _record(db: Any, settings: Any, keep_connection: None) -> None:
    """A small record to find (a commitment, a verified report, a decided correction),
    generous rate limits."""
    settings.ALLOWED_HOSTS = HOSTS
    settings.API_RATE_LIMIT_ANONYMOUS = "100000/60"
    settings.API_RATE_LIMIT_TOKEN = "100000/60"
    mine = builders.commitment("Schema Co", "1000", LAUNCH, focus=("education",))
    builders.report(mine, datetime.date(2022, 6, 30), {"usd_invested": "10"})
    reviewer = make_user("schema-reviewer", "secretariat-reviewer")
    suggested = confirmed(key=mine.reference)
    deciding.do_accept(suggested, field="amount", value="2000", reason="r", by=reviewer)


@schema.parametrize()
@EXAMPLES
def test_anonymous(case: Any) -> None:
    cache.clear()
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@EXAMPLES
def test_with_a_token(case: Any) -> None:
    cache.clear()
    user = User.objects.filter(username="schema-user").first()
    if user is None:
        user = member_of(builders.partner("Schema Co"), "schema-user")
    key = create_token(user).key
    case.call_and_validate(headers={"Authorization": f"Bearer {key}"}, checks=CHECKS)
