"""Secretariat pages of this app: the join-request queue and decisions, and the audit page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from adelante.accounts import audit, invitations, joining
from adelante.accounts.access import secretariat_required
from adelante.accounts.concurrency import ConcurrentEdit, ConcurrentEditMixin, conflict_since
from adelante.accounts.models import JoinRequest, JoinStatus


@secretariat_required
def join_requests(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = joining.queue()
    if status in JoinStatus.values:
        rows = rows.filter(status=status)
    return render(
        request,
        "accounts/join_requests.html",
        {
            "title": _("Requests to join"),
            "rows": rows,
            "status": status,
            "statuses": [c for c in JoinStatus.choices if c[0] != JoinStatus.UNCONFIRMED],
        },
    )


class DecisionForm(ConcurrentEditMixin, forms.ModelForm):  # type: ignore[type-arg]
    ACTIONS = (
        ("screen", gettext_lazy("Record the screening")),
        ("invite", gettext_lazy("Accept and invite the contact")),
        ("decline", gettext_lazy("Decline")),
    )
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)

    class Meta:
        model = JoinRequest
        fields = ["screening_outcome", "screening_note", "decision_reason"]
        widgets = {
            "screening_note": forms.Textarea(attrs={"rows": 3}),
            "decision_reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].widget = forms.RadioSelect(choices=self.ACTIONS)


@secretariat_required
def join_request(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(JoinRequest.objects.exclude(status=JoinStatus.UNCONFIRMED), pk=pk)
    form = DecisionForm(request.POST or None, instance=found)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                _apply(request, form, found.pk, form.cleaned_data)
            except joining.JoinError as exc:
                form.add_error(None, str(exc))
            except ConcurrentEdit:
                pass  # the form now shows the conflict
            else:
                return redirect("joining:join_request", pk=found.pk)
    history = found.history.select_related("history_user").order_by("-history_date")
    return render(
        request,
        "accounts/join_request.html",
        {
            "title": found.organisation_name,
            "join": found,
            "form": form,
            "history": history,
            "matches": _matches(found),
        },
        status=status,
    )


def _apply(request: HttpRequest, form: DecisionForm, pk: int, data: Any) -> None:
    """The decision, by the rules in `joining`, on the row locked and its version re-checked
    (the form's own check ran before; this closes the gap until the save)."""
    with transaction.atomic():
        locked = JoinRequest.objects.select_for_update().get(pk=pk)
        conflict = conflict_since(locked, form._submitted_version() or "", data)
        if conflict is not None:
            form._refuse(conflict)
            raise ConcurrentEdit(conflict)
        action = data["action"]
        if action == "screen":
            joining.record_screening(
                locked, data["screening_outcome"], data["screening_note"], by=request.user
            )
            messages.success(request, _("Screening recorded."))
        elif action == "decline":
            joining.decline(locked, data["decision_reason"], by=request.user)
            messages.success(request, _("Request declined."))
        else:
            invitation = joining.accept_and_invite(locked, data["decision_reason"], by=request.user)
            invitations.send(invitation)
            messages.success(
                request,
                _("%(partner)s accepted; invitation sent to %(email)s.")
                % {"partner": invitation.partner.name, "email": invitation.email},
            )


def _matches(found: JoinRequest) -> list[Any]:
    """Organisations already in the record under this name (shown before accepting)."""
    from adelante.partners.models import Partner
    from adelante.partners.naming import parse_name

    keys = parse_name(found.organisation_name).keys()
    return list(Partner.objects.filter(normalised_name__in=keys)) + list(
        Partner.objects.filter(aliases__normalised_name__in=keys)
    )


class AuditFilterForm(forms.Form):
    model = forms.ChoiceField(label=gettext_lazy("Record type"), required=False)
    user = forms.CharField(label=gettext_lazy("User"), required=False, max_length=150)
    since = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=10_000, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [  # type: ignore[attr-defined]
            ("", _("all")),
            *audit.model_choices(),
        ]


@secretariat_required
def audit_page(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = audit.AuditFilter()
    page = 1
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = audit.AuditFilter(
            model=data["model"] or "",
            user=data["user"] or "",
            since=data["since"],
            until=data["until"],
        )
        page = data["page"] or 1
    entries, more = audit.entries(filters, page)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit.html",
        {
            "title": _("Audit: who changed what, when and why"),
            "form": form,
            "entries": entries,
            "page": page,
            "next_page": page + 1 if more else None,
            "previous_page": page - 1 if page > 1 else None,
            "query": query.urlencode(),
            "users": get_user_model()
            .objects.order_by("username")
            .values_list("username", flat=True),
            "today": timezone.localdate(),
        },
        status=200 if not form.is_bound or form.is_valid() else 400,
    )
