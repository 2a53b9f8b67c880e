"""Who an API request acts for: the per-user token (its own module, so that the API instance
and the endpoints both import it and neither imports the other)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer


class TokenAuth(HttpBearer):
    """A per-user API token (created with `adelante token create USERNAME`).

    The API middleware has already checked the header; this only asks for one.
    """

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return getattr(request, "api_token", None)


token_auth = TokenAuth()
