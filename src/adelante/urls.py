from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from adelante.accounts.views.session import admin_sign_in
from adelante.portal import urls as portal_urls
from adelante.portal.views import crawlers, installation

Patterns = list[URLPattern | URLResolver]


def project_patterns(initiative_slug: str | None = None) -> Patterns:
    """The project's URLs; with an initiative's slug, its portal's pages under
    /<lang>/i/<slug>/… and every other address unchanged (docs/portal.md, "Initiatives").

    The primary initiative's portal is at the unprefixed addresses (this module's
    `urlpatterns`); `adelante.portal.initiatives` builds one URL configuration per other
    initiative from this function, so that `reverse()` and `{% url %}` give its addresses."""
    portal = include((portal_urls.for_initiative(initiative_slug), portal_urls.app_name))
    patterns: Patterns = [
        path("i18n/", include("django.conf.urls.i18n")),
        # The API is not language-prefixed: its URLs are stable identifiers (docs/api.md).
        path("api/", include("adelante.api.urls")),
        # Bulk download files: stable, language-neutral addresses (docs/exports.md).
        path("downloads/", include("adelante.exchange.download_urls")),
        # For search engines: what not to fetch, and every public page in both languages.
        path("robots.txt", crawlers.robots_txt, name="robots"),
        path("sitemap.xml", crawlers.sitemap_index, name="sitemap"),
        path("sitemap-<slug:section>.xml", crawlers.sitemap_section, name="sitemap_section"),
        # An initiative's logo (public, language-neutral; never SVG) and its look.
        path("initiatives/<slug:slug>/logo", installation.logo, name="initiative_logo"),
        # Its accent colour, as a stylesheet (no inline style: docs/security.md).
        path("initiatives/<slug:slug>/look.css", installation.look, name="initiative_look"),
    ]
    # Language-prefixed, stable URLs (/en/…, /es/…); "/" redirects by the browser's language.
    patterns += i18n_patterns(
        # The admin signs in through our sign-in page (failed-attempt limit, two-factor).
        path("admin/login/", admin_sign_in, name="admin_sign_in"),
        path("admin/", admin.site.urls),
        # The downloads page and the staff's spreadsheet import.
        path("", include("adelante.exchange.urls")),
        path("accounts/", include("adelante.accounts.urls")),
        # The join form (/join/) and the secretariat's join requests and audit (/secretariat/…).
        path("", include("adelante.accounts.join_urls")),
        path("", include("adelante.accounts.audit_urls")),
        # Partners' workspaces (/partner/…) and the secretariat's queue and reviews
        # (docs/workflow.md).
        path("", include("adelante.workflow.urls")),
        path("reports/", include("adelante.reports.urls")),
        # Public corrections (/corrections/…) and the secretariat's queue (docs/corrections.md).
        path("", include("adelante.corrections.urls")),
        path("", portal),
    )
    return patterns


urlpatterns = project_patterns()

# The portal's error pages (bilingual, helpful); the API answers its own errors as problem
# details (docs/api.md).
handler400 = "adelante.portal.views.errors.bad_request"
handler404 = "adelante.portal.views.errors.page_not_found"
handler500 = "adelante.portal.views.errors.server_error"
