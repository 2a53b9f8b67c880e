"""What search engines read: robots.txt and the sitemap (adelante.portal.sitemaps)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from adelante.portal.sitemaps import sitemaps
from adelante.portal.views.common import portal_page

#: Pages for one reader (signing in, workspaces, the staff's pages) and the heavy downloads:
#: nothing a search engine should list or fetch.
PRIVATE = (
    "accounts/",
    "admin/",
    "partner/",
    "secretariat/",
    "staff/",
    "reports/",
    "join/",
    "commitments/download.",
)


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *"]
    for code, _name in settings.LANGUAGES:
        lines += [f"Disallow: /{code}/{path}" for path in PRIVATE]
    lines += ["Allow: /", "", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def _rendered(response: Any) -> HttpResponse:
    # The page cache stores content: a template response is rendered first.
    if isinstance(response, TemplateResponse):
        response.render()
    return response  # type: ignore[no-any-return]


@portal_page
def sitemap_index(request: HttpRequest) -> HttpResponse:
    return _rendered(sitemap_views.index(request, sitemaps(), sitemap_url_name="sitemap_section"))


@portal_page
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    return _rendered(sitemap_views.sitemap(request, sitemaps(), section=section))
