"""Compressed pages (GZip) for anonymous readers, and only for them.

BREACH recovers a secret from the size of compressed responses that also reflect what an
attacker sent. A page an anonymous reader gets holds no secret: no session, no CSRF token (a
page that renders one marks the request, CSRF_COOKIE_NEEDS_UPDATE), nothing of one reader. So
those pages, the sitemap and robots.txt are compressed here (nginx compresses the rest of the
text answers, docs/deploy.md), and a signed-in reader's pages never are. Django's GZip also adds
random bytes to each compressed body (its own BREACH mitigation).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware

#: What is compressed here: pages and the sitemap.
TYPES = ("text/html", "application/xml", "text/plain")


class PublicPageGZipMiddleware(GZipMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not _public(request, response):
            return response
        return super().process_response(request, response)


def _public(request: HttpRequest, response: HttpResponseBase) -> bool:
    # What the answer is, first: a file, an image or the API is never compressed here, and
    # asking who the reader is would load the session for nothing.
    kind = response.get("Content-Type", "").split(";")[0].strip()
    if kind not in TYPES or response.streaming or request.path.startswith("/api/"):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or response.cookies:
        return False
    user = getattr(request, "user", None)
    return user is not None and not user.is_authenticated
