"""View decorators and mixins that enforce the roles server-side (docs/accounts.md).

- anonymous → redirected to the sign-in page (302, with ?next=);
- signed in without the role → 403;
- a secretariat user who must use two-factor and has not passed a code this session →
  redirected to the two-factor page;
- `partner_member_required`: the organisation comes from the URL (the ``partner`` slug kwarg);
  an unknown slug and an organisation the user does not belong to are both 404 (one cannot
  tell them apart), a member without the admin role on an admins' page 403. The view receives
  the `Partner` object as ``partner`` instead of the slug.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, overload

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect

from adelante.accounts import roles, twofactor
from adelante.partners.models import Partner

View = TypeVar("View", bound=Callable[..., HttpResponseBase])
Check = Callable[[Any], bool]

PARTNER_KWARG = "partner"


def _gate(request: HttpRequest, allowed: Check) -> HttpResponseBase | None:
    """None when the request may go on; else the response that stops it."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not allowed(user):
        raise PermissionDenied
    if twofactor.missing(request):
        return redirect("accounts:two_factor")
    return None


def role_required(allowed: Check) -> Callable[[View], View]:
    """A decorator for views that need a role: ``@role_required(roles.is_secretariat)``."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            stopped = _gate(request, allowed)
            return stopped if stopped is not None else view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


#: Secretariat reviewer or admin.
secretariat_required = role_required(roles.is_secretariat)
#: Secretariat admin only (people and roles).
secretariat_admin_required = role_required(roles.is_secretariat_admin)


def _reader(user: Any) -> bool:
    return roles.is_secretariat(user) or roles.is_government_viewer(user)


#: Secretariat or government viewer: pages that read (reports, confidential aggregates).
secretariat_or_government_required = role_required(_reader)


def resolve_partner(
    request: HttpRequest, slug: str, *, admin: bool = False, secretariat: bool = True
) -> Partner:
    """The organisation named in the URL, if the user may act for it (else 404 or 403).

    ``admin``: only its partner admins; ``secretariat``: the secretariat may act too. To anyone
    who is not one of its members (nor the secretariat, where it may act) the organisation's
    workspace is not there: 404, as for an unknown slug, so that what exists cannot be
    probed. Its own members who lack the admin role get 403.
    """
    partner = Partner.objects.filter(slug=slug).first()
    user = request.user
    if partner is not None and secretariat and roles.is_secretariat(user):
        return partner
    if partner is None or not roles.is_partner_member(user, partner):
        raise Http404
    if admin and not roles.is_partner_admin(user, partner):
        raise PermissionDenied
    return partner


@overload
def partner_member_required(
    view: View, *, admin: bool = False, secretariat: bool = True
) -> View: ...


@overload
def partner_member_required(
    view: None = None, *, admin: bool = False, secretariat: bool = True
) -> Callable[[View], View]: ...


def partner_member_required(
    view: View | None = None, *, admin: bool = False, secretariat: bool = True
) -> View | Callable[[View], View]:
    """``@partner_member_required`` or ``@partner_member_required(admin=True)``.

    The URL must have a ``<slug:partner>`` kwarg; the view gets the `Partner` object.
    """

    def decorate(inner: View) -> View:
        @wraps(inner)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            stopped = _gate(request, lambda user: True)
            if stopped is not None:
                return stopped
            kwargs[PARTNER_KWARG] = resolve_partner(
                request, kwargs[PARTNER_KWARG], admin=admin, secretariat=secretariat
            )
            return inner(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate(view) if view is not None else decorate


class RoleRequiredMixin:
    """For class-based views: set `allowed` to a role check (a plain function of the user)."""

    allowed: Check = staticmethod(roles.is_secretariat)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        stopped = _gate(request, type(self).allowed)
        if stopped is not None:
            return stopped
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        return response


class SecretariatRequiredMixin(RoleRequiredMixin):
    allowed = staticmethod(roles.is_secretariat)


class PartnerMemberRequiredMixin:
    """For class-based views: `self.partner` is the organisation from the URL."""

    partner_admin_only = False
    secretariat_allowed = True
    partner: Partner

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        stopped = _gate(request, lambda user: True)
        if stopped is not None:
            return stopped
        self.partner = resolve_partner(
            request,
            kwargs[PARTNER_KWARG],
            admin=self.partner_admin_only,
            secretariat=self.secretariat_allowed,
        )
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        return response
