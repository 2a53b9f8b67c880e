"""Commitment intake: a partner proposes, the secretariat reviews, accepts, returns or declines.

Stages (`Stage`) and the commitment's status:

    draft ──submit──▶ submitted ──pick up──▶ under review ──accept──▶ accepted (announced)
      ▲                   │                       │
      └──── returned ◀────┴──── return (reason) ──┤
                          └──── decline (reason) ─┴──▶ declined

While draft, submitted or returned the commitment is *proposed*; under review it is *under
review*; accepted, *announced* in a round. A declined proposal stays *proposed* (it never
counts nor shows) with the stage saying why. Partners edit only drafts and returned proposals.
Every step is a review event, and every row saved keeps its history with who and why.

These functions are the one write path of the intake: each checks who may act (a member of
the organisation or the secretariat proposes; the secretariat reviews), validates, writes in
one transaction and records the review event; a refusal is an `adelante.errors.ServiceError`.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from adelante import history
from adelante.accounts import roles
from adelante.bilingual import Language, TranslationState, set_texts
from adelante.catalogue.models import FocusArea, Metric
from adelante.commitments import rules
from adelante.commitments.amounts import AmountError, reallocate, usd_amount
from adelante.commitments.choices import MoneyKind, Relation, Status
from adelante.commitments.geography import hold_countries, set_countries
from adelante.commitments.models import Commitment, Round, Source, Target
from adelante.currency.models import ExchangeRate
from adelante.errors import Conflict, Invalid, NotAllowed
from adelante.initiatives.metrics import metric_refused, reporting_metrics
from adelante.initiatives.models import Initiative
from adelante.money.qualifiers import AmountQualifier
from adelante.partners.models import Partner
from adelante.workflow import notices, reasons, recording
from adelante.workflow.locking import locked
from adelante.workflow.models import (
    Action,
    Answer,
    Decision,
    DueDiligenceAnswer,
    DueDiligenceDocument,
    DueDiligenceQuestion,
    Proposal,
    ReportingSchedule,
    ScreeningRun,
    Stage,
)

#: The largest target value (people, jobs, organisations or US dollars).
MAX_TARGET = Decimal("1000000000000")
MAX_TARGETS = 20
MAX_SOURCES = 20

EDITABLE_BY_PARTNER = (Stage.DRAFT, Stage.RETURNED)
REVIEWABLE = (Stage.SUBMITTED, Stage.UNDER_REVIEW)


@dataclass(frozen=True)
class TargetInput:
    metric: str
    value: Decimal
    by_date: datetime.date | None = None


@dataclass(frozen=True)
class SourceInput:
    url: str
    title: str = ""


@dataclass(frozen=True)
class ProposalInput:
    """What a partner states about a commitment it proposes (the commitment's own fields)."""

    title: str = ""
    summary: str = ""
    kind: str = MoneyKind.UNSPECIFIED
    #: The language the partner writes in; `title`/`summary` are the English text and
    #: `title_es`/`summary_es` the Spanish (either may be the partner's own translation).
    written_in: str = Language.EN
    title_es: str = ""
    summary_es: str = ""
    qualifier: str = AmountQualifier.EXACT
    amount: Decimal | None = None
    currency: str = "USD"
    #: Country codes and optional shares (percent); empty: the region.
    countries: Mapping[str, Decimal | None] = field(default_factory=dict)
    focus_areas: Sequence[str] = ()
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    relation: str = Relation.NEW
    targets: Sequence[TargetInput] = ()
    sources: Sequence[SourceInput] = ()


# -- Who may -----------------------------------------------------------------------------------


def check_may_propose(*, user: Any, partner: Partner) -> None:
    """A member of the organisation, or the secretariat acting for it."""
    if not (roles.is_secretariat(user) or roles.is_partner_member(user, partner)):
        raise NotAllowed(_("You may only propose commitments for the organisations you belong to."))


def check_may_review(*, user: Any) -> None:
    if not roles.is_secretariat(user):
        raise NotAllowed(_("Only the secretariat reviews proposals."))


def check_proposal(
    *, data: ProposalInput, complete: bool, initiative: Initiative | None = None
) -> None:
    """The proposal's fields follow the rules (`complete`: all a submission needs);
    `initiative`: the commitment's (a new proposal's: the initiative in scope)."""
    errors = problems(data, complete=complete, initiative=initiative)
    if errors:
        raise Invalid(field_errors=errors)


def currencies() -> list[str]:
    """Currencies a proposal may state: US dollars and those with exchange rates recorded."""
    known = set(ExchangeRate.objects.values_list("currency", flat=True).distinct())
    return ["USD", *sorted(known - {"USD"})]


def problems(
    data: ProposalInput, *, complete: bool, initiative: Initiative | None = None
) -> dict[str, list[str]]:
    """What is wrong with the proposal; `complete` adds what a submission needs. Its
    countries are its initiative's (`initiative`; None: the initiative in scope)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    # The title and summary are required in the language the partner writes in.
    spanish = data.written_in == Language.ES
    if data.written_in not in Language.values:
        add("written_in", _("Choose the language you write in from the list."))
    if complete and not (data.title_es if spanish else data.title).strip():
        add("title_es" if spanish else "title", _("Give the commitment a title."))
    if complete and not (data.summary_es if spanish else data.summary).strip():
        add(
            "summary_es" if spanish else "summary",
            _("Say in a few sentences what the commitment is."),
        )
    if data.kind not in MoneyKind.values:
        add("kind", _("Choose a kind of money from the list."))
    if data.qualifier not in AmountQualifier.values:
        add("qualifier", _("Choose how the amount is stated from the list."))
    if data.currency not in currencies():
        add("currency", _("Choose a currency from the list."))
    wrong_amount = rules.amount_problem(data.amount, data.qualifier, required=complete)
    if wrong_amount:
        add("amount", wrong_amount)
    foreign = rules.countries_problem(data.countries, initiative)
    if foreign:
        add("countries", foreign)
    else:
        wrong_shares = rules.shares_problem(dict(data.countries))
        if wrong_shares:
            add("countries", wrong_shares)
    focus = set(data.focus_areas)
    if focus and FocusArea.objects.filter(code__in=focus).count() != len(focus):
        add("focus_areas", _("Choose focus areas from the list."))
    wrong_period = rules.period_problem(data.starts_on, data.ends_on)
    if wrong_period:
        add("ends_on", wrong_period)
    if data.relation not in Relation.values:
        add("relation", _("Choose a relation from the list."))
    metrics = set(reporting_metrics(initiative).values_list("code", flat=True))
    if len(data.targets) > MAX_TARGETS:
        add("targets", _("At most %(n)d targets.") % {"n": MAX_TARGETS})
    seen: set[str] = set()
    for target in data.targets:
        if target.metric not in metrics:
            add("targets", metric_refused(initiative, target.metric))
        elif target.metric in seen:
            add("targets", _("Give each metric one target only."))
        seen.add(target.metric)
        if target.value <= 0 or target.value > MAX_TARGET:
            add("targets", _("A target must be more than zero and not absurdly large."))
    if len(data.sources) > MAX_SOURCES:
        add("sources", _("At most %(n)d sources.") % {"n": MAX_SOURCES})
    urls = [s.url for s in data.sources]
    if any(not u.lower().startswith(("https://", "http://")) for u in urls):
        add("sources", _("Each source is a web address starting with https:// or http://."))
    if len(set(urls)) != len(urls):
        add("sources", _("Give each source once."))
    return {k: sorted(set(v), key=v.index) for k, v in errors.items()}


def new_reference(partner: Partner) -> str:
    while True:
        reference = f"{partner.slug[:150]}-{timezone.localdate():%Y%m%d}-{secrets.token_hex(3)}"
        if not Commitment.objects.filter(reference=reference).exists():
            return reference


def _write(commitment: Commitment, data: ProposalInput, user: Any, reason: str) -> None:
    """Write the proposal's fields, countries, focus areas, targets and sources."""
    # The partner's text in both languages: its own translation is "original" (bilingual).
    commitment.written_in = data.written_in
    texts = {
        "title": data.title.strip(),
        "title_es": data.title_es.strip(),
        "summary": data.summary.strip(),
        "summary_es": data.summary_es.strip(),
    }
    set_texts(commitment, texts, translator=TranslationState.ORIGINAL)
    commitment.kind = data.kind
    commitment.qualifier = data.qualifier
    commitment.amount = data.amount
    commitment.currency = data.currency
    # The US$ amount is worked out at acceptance, at the rate of the round's date.
    commitment.amount_usd = data.amount if data.currency == "USD" else None
    commitment.exchange_rate = None
    commitment.starts_on = data.starts_on
    commitment.ends_on = data.ends_on
    commitment.relation = data.relation
    history.save(commitment, user=user, reason=reason)
    # Checked again under the initiative's lock: a country removed from it meanwhile.
    hold_countries(commitment.initiative_id, dict(data.countries))
    set_countries(commitment, dict(data.countries), reason=reason)
    commitment.focus_areas.set(FocusArea.objects.filter(code__in=list(data.focus_areas)))
    metrics = dict(Metric.objects.values_list("code", "id"))
    wanted_targets = {t.metric: t for t in data.targets}
    for target in commitment.targets.all():
        if target.metric.code not in wanted_targets:
            history.delete(target, user=user, reason=reason)
    existing = {t.metric.code: t for t in commitment.targets.select_related("metric")}
    for code, item in wanted_targets.items():
        row = existing.get(code) or Target(commitment=commitment, metric_id=metrics[code])
        if row.pk is None or row.value != item.value or row.by_date != item.by_date:
            row.value, row.by_date = item.value, item.by_date
            history.save(row, user=user, reason=reason)
    wanted_sources = {s.url: s for s in data.sources}
    for source in commitment.sources.all():
        if source.url not in wanted_sources:
            history.delete(source, user=user, reason=reason)
    existing_sources = {s.url: s for s in commitment.sources.all()}
    for url, source_in in wanted_sources.items():
        found = existing_sources.get(url) or Source(commitment=commitment, url=url)
        if found.pk is None or found.title != source_in.title.strip():
            found.title = source_in.title.strip()
            history.save(found, user=user, reason=reason)


def create_proposal(*, user: User, partner: Partner, data: ProposalInput) -> Proposal:
    """A new draft proposal of the organisation (a draft may be incomplete)."""
    check_may_propose(user=user, partner=partner)
    check_proposal(data=data, complete=False)
    reason = _("draft proposed by %(user)s") % {"user": user.get_username()}
    with transaction.atomic(), history.change(reason=reason):
        commitment = Commitment(
            reference=new_reference(partner), partner=partner, status=Status.PROPOSED
        )
        _write(commitment, data, user, reason)
        proposal = Proposal(commitment=commitment, stage=Stage.DRAFT, created_by=user)
        history.save(proposal, user=user, reason=reason)
        recording.log(Action.DRAFT_SAVED, user, commitment)
    return proposal


def check_editable(*, proposal: Proposal) -> None:
    if proposal.stage not in EDITABLE_BY_PARTNER:
        raise Conflict(_("This proposal is with the secretariat and cannot be changed."))


def update_proposal(
    *,
    user: User,
    proposal: Proposal,
    data: ProposalInput,
    version: str | None = None,
) -> Proposal:
    """Save the partner's changes to a draft or returned proposal.

    `version`: the commitment's version the form was loaded from (accounts.concurrency); if
    someone saved since, nothing is saved and the `Conflict` carries what they changed.
    """
    reason = _("proposal edited by %(user)s") % {"user": user.get_username()}
    with transaction.atomic(), history.change(reason=reason):
        proposal = locked(proposal)
        check_may_propose(user=user, partner=proposal.commitment.partner)
        check_editable(proposal=proposal)
        check_proposal(data=data, complete=False, initiative=proposal.commitment.initiative)
        commitment = Commitment.objects.select_for_update().get(pk=proposal.commitment_id)
        recording.check_version(
            commitment, version, commitment_fields(data), _other_changes(commitment, data)
        )
        _write(proposal.commitment, data, user, reason)
        recording.log(Action.DRAFT_SAVED, user, proposal.commitment)
    return proposal


def commitment_fields(data: ProposalInput) -> dict[str, Any]:
    """The proposal's values by Commitment field name (what a conflict compares, and the
    proposal form's initial values by the same names)."""
    return {
        "title": data.title,
        "summary": data.summary,
        "written_in": data.written_in,
        "title_es": data.title_es,
        "summary_es": data.summary_es,
        "kind": data.kind,
        "qualifier": data.qualifier,
        "amount": data.amount,
        "currency": data.currency,
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "relation": data.relation,
    }


def _other_changes(commitment: Commitment, data: ProposalInput) -> list[tuple[str, str, str]]:
    """Countries, focus areas, targets and sources where the stored ones differ from yours."""
    stored = stored_input(commitment)
    rows = []

    def shown(value: Any) -> str:
        return ", ".join(value) if value else "—"

    for label, theirs, yours in (
        (
            _("countries"),
            [f"{c} {s or ''}".strip() for c, s in sorted(stored.countries.items())],
            [f"{c} {s or ''}".strip() for c, s in sorted(data.countries.items())],
        ),
        (_("focus areas"), sorted(stored.focus_areas), sorted(data.focus_areas)),
        (
            _("targets"),
            sorted(f"{t.metric} {t.value}" for t in stored.targets),
            sorted(f"{t.metric} {t.value}" for t in data.targets),
        ),
        (_("sources"), sorted(s.url for s in stored.sources), sorted(s.url for s in data.sources)),
    ):
        if theirs != yours:
            rows.append((str(label), shown(theirs), shown(yours)))
    return rows


def stored_input(commitment: Commitment) -> ProposalInput:
    """What is stored, as the input that would write it (for forms and submission checks)."""
    return ProposalInput(
        title=commitment.title,
        summary=commitment.summary,
        written_in=commitment.written_in,
        title_es=commitment.title_es,
        summary_es=commitment.summary_es,
        kind=commitment.kind,
        qualifier=commitment.qualifier,
        amount=commitment.amount,
        currency=commitment.currency,
        countries={r.country: r.share_percent for r in commitment.countries.all()},
        focus_areas=tuple(commitment.focus_areas.values_list("code", flat=True)),
        starts_on=commitment.starts_on,
        ends_on=commitment.ends_on,
        relation=commitment.relation,
        targets=tuple(
            TargetInput(t.metric.code, t.value, t.by_date)
            for t in commitment.targets.select_related("metric")
        ),
        sources=tuple(SourceInput(s.url, s.title) for s in commitment.sources.all()),
    )


def submit(*, user: User, proposal: Proposal) -> Proposal:
    """The partner hands the proposal to the secretariat: it must be complete."""
    with transaction.atomic():
        proposal = locked(proposal)
        check_may_propose(user=user, partner=proposal.commitment.partner)
        if proposal.stage not in EDITABLE_BY_PARTNER:
            raise Conflict(_("This proposal has already been submitted."))
        check_proposal(
            data=stored_input(proposal.commitment),
            complete=True,
            initiative=proposal.commitment.initiative,
        )
        reason = _("submitted by %(user)s") % {"user": user.get_username()}
        proposal.stage = Stage.SUBMITTED
        proposal.submitted_at = timezone.now()
        history.save(proposal, user=user, reason=reason)
        recording.log(Action.PROPOSAL_SUBMITTED, user, proposal.commitment)
    return proposal


def _set_status(commitment: Commitment, status: str, user: Any, reason: str) -> None:
    if commitment.status != status:
        commitment.status = status
        history.save(commitment, user=user, reason=reason, update_fields=["status"])


def pick_up(*, reviewer: User, proposal: Proposal) -> Proposal:
    """A reviewer takes a submitted proposal: the commitment is now under review."""
    check_may_review(user=reviewer)
    with transaction.atomic():
        proposal = locked(proposal)
        if proposal.stage != Stage.SUBMITTED:
            raise Conflict(_("Only a submitted proposal can be taken for review."))
        reason = _("review started by %(user)s") % {"user": reviewer.get_username()}
        proposal.stage = Stage.UNDER_REVIEW
        proposal.reviewer = reviewer
        history.save(proposal, user=reviewer, reason=reason)
        _set_status(proposal.commitment, Status.UNDER_REVIEW, reviewer, reason)
        recording.log(Action.PICKED_UP, reviewer, proposal.commitment)
    return proposal


def return_to_partner(*, reviewer: User, proposal: Proposal, reason: str) -> Proposal:
    """Back to the partner, editable again, with the reason."""
    return _end_review(
        reviewer,
        proposal,
        reason,
        Stage.RETURNED,
        Action.PROPOSAL_RETURNED,
        _("Only a proposal in review can be returned."),
    )


def decline(*, reviewer: User, proposal: Proposal, reason: str) -> Proposal:
    """Declined, with the reason: the commitment stays proposed, never counts nor shows."""
    return _end_review(
        reviewer,
        proposal,
        reason,
        Stage.DECLINED,
        Action.DECLINED,
        _("Only a proposal in review can be declined."),
    )


def _end_review(
    reviewer: User, proposal: Proposal, reason: str, stage: Stage, action: Action, refused: str
) -> Proposal:
    """A review that ends without recording (returned or declined): the proposal takes the
    stage and the reason, and its commitment is proposed again. `refused`: the conflict's
    message for a proposal that is not in review."""
    check_may_review(user=reviewer)
    reason = reasons.for_partner(reason)
    with transaction.atomic():
        proposal = locked(proposal)
        if proposal.stage not in REVIEWABLE:
            raise Conflict(refused)
        proposal.stage = stage
        proposal.reason = reason
        history.save(proposal, user=reviewer, reason=reason)
        _set_status(proposal.commitment, Status.PROPOSED, reviewer, reason)
        recording.log(action, reviewer, proposal.commitment, reason=reason)
        _tell_partner(proposal)
    return proposal


def _tell_partner(proposal: Proposal) -> None:
    """E-mail the partner's people the outcome once it is committed (workflow.notices)."""
    decided = proposal
    transaction.on_commit(lambda: notices.proposal_decided(decided))


# -- Due diligence -----------------------------------------------------------------------------


def active_questions() -> list[DueDiligenceQuestion]:
    return list(DueDiligenceQuestion.objects.filter(active=True))


def check_in_review(*, proposal: Proposal, message: str) -> None:
    """The step needs the proposal under review; `message` says which step."""
    if proposal.stage != Stage.UNDER_REVIEW:
        raise Conflict(message)


def _answer_problems(answer: str, attestation: str) -> dict[str, list[str]]:
    if answer not in Answer.values:
        return {"answer": [_("Choose an answer.")]}
    if answer != Answer.YES and not attestation.strip():
        return {"attestation": [_("Explain a “no” or “not applicable” answer.")]}
    return {}


def _write_answer(
    reviewer: User, proposal: Proposal, question: DueDiligenceQuestion, answer: str, note: str
) -> DueDiligenceAnswer:
    row = DueDiligenceAnswer.objects.filter(
        commitment=proposal.commitment, question=question
    ).first() or DueDiligenceAnswer(commitment=proposal.commitment, question=question)
    if row.pk is not None and row.answer == answer and row.attestation == note:
        return row
    old = row.answer if row.pk else ""
    row.answer, row.attestation = answer, note
    row.answered_by, row.answered_at = reviewer, timezone.now()
    history.save(row, user=reviewer, reason=note)
    recording.log(
        Action.CHECKLIST_ANSWERED,
        reviewer,
        proposal.commitment,
        reason=note,
        question=question.code,
        answer=answer,
        previous=old,
    )
    return row


def answer_question(
    *,
    reviewer: User,
    proposal: Proposal,
    question: DueDiligenceQuestion,
    answer: str,
    attestation: str,
) -> DueDiligenceAnswer:
    """Record (or change) the answer to one checklist question."""
    check_may_review(user=reviewer)
    problems = _answer_problems(answer, attestation)
    if problems:
        raise Invalid(field_errors=problems)
    with transaction.atomic():
        proposal = locked(proposal)
        check_in_review(
            proposal=proposal,
            message=_("Take the proposal for review before answering the checklist."),
        )
        return _write_answer(reviewer, proposal, question, answer, attestation.strip())


@dataclass(frozen=True)
class ChecklistAnswer:
    question: DueDiligenceQuestion
    answer: str
    attestation: str = ""


def answer_checklist(
    *, reviewer: User, proposal: Proposal, answers: Sequence[ChecklistAnswer]
) -> int:
    """Record the answers of the checklist all together, or none: any answer in error refuses
    them all, each error under `q<question id>` and naming its question. Returns how many
    answers changed."""
    check_may_review(user=reviewer)
    errors: dict[str, list[str]] = {}
    for item in answers:
        for messages in _answer_problems(item.answer, item.attestation).values():
            errors[f"q{item.question.pk}"] = [
                _("“%(question)s”: %(problem)s") % {"question": item.question.text, "problem": m}
                for m in messages
            ]
    if errors:
        raise Invalid(field_errors=errors)
    changed = 0
    with transaction.atomic():
        proposal = locked(proposal)
        check_in_review(
            proposal=proposal,
            message=_("Take the proposal for review before answering the checklist."),
        )
        for item in answers:
            before = DueDiligenceAnswer.objects.filter(
                commitment=proposal.commitment, question=item.question
            ).first()
            note = item.attestation.strip()
            if before is not None and before.answer == item.answer and before.attestation == note:
                continue
            _write_answer(reviewer, proposal, item.question, item.answer, note)
            changed += 1
    return changed


def checklist(proposal: Proposal) -> list[tuple[DueDiligenceQuestion, DueDiligenceAnswer | None]]:
    answers = {a.question_id: a for a in proposal.commitment.due_diligence_answers.all()}
    return [(q, answers.get(q.id)) for q in active_questions()]


def latest_screening(proposal: Proposal) -> ScreeningRun | None:
    runs = ScreeningRun.objects.filter(commitment=proposal.commitment)
    if proposal.submitted_at is not None:
        runs = runs.filter(run_at__gte=proposal.submitted_at)
    return runs.order_by("-run_at", "-id").first()


def acceptance_blockers(proposal: Proposal) -> list[str]:
    """What stands between the proposal and its acceptance (empty: it may be accepted)."""
    proposal = Proposal.objects.select_related("commitment").get(pk=proposal.pk)
    blockers = []
    if proposal.stage != Stage.UNDER_REVIEW:
        blockers.append(_("The proposal is not under review."))
    answered = {a.question_id: a for a in proposal.commitment.due_diligence_answers.all()}
    documented = set(
        DueDiligenceDocument.objects.filter(commitment=proposal.commitment).values_list(
            "question_id", flat=True
        )
    )
    for question in active_questions():
        answer = answered.get(question.id)
        if answer is None:
            blockers.append(_("Checklist: “%(q)s” is not answered.") % {"q": question.text})
        elif answer.answer == Answer.NO:
            blockers.append(_("Checklist: “%(q)s” is not satisfied.") % {"q": question.text})
        elif (
            answer.answer == Answer.YES
            and question.requires_document
            and question.id not in documented
        ):
            blockers.append(_("Checklist: “%(q)s” needs a document.") % {"q": question.text})
    run = latest_screening(proposal)
    if run is None:
        blockers.append(_("Screen the organisation against the sanctions lists."))
    else:
        hits = run.hits.all()
        if hits.filter(decision=Decision.PENDING).exists():
            blockers.append(_("Decide every screening hit."))
        if hits.filter(decision=Decision.TRUE_MATCH).exists():
            blockers.append(_("A screening hit is a true match: decline the proposal."))
    return blockers


def open_round(*, reviewer: User, label: str, announced_on: datetime.date) -> Round:
    """A new round (the current one, usually), for a reviewer to accept proposals into."""
    check_may_review(user=reviewer)
    label = label.strip()
    if not label:
        raise Invalid(field_errors={"new_round_label": [_("Name the new round.")]})
    if Round.objects.filter(label=label, announced_on=announced_on).exists():
        raise Invalid(
            field_errors={"new_round_label": [_("A round of that name and date exists already.")]}
        )
    base = slugify(f"{announced_on.isoformat()} {label}")[:100] or announced_on.isoformat()
    slug, n = base, 1
    while Round.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    made = Round(label=label, slug=slug, announced_on=announced_on)
    history.save(made, user=reviewer, reason=_("round opened by %(user)s") % {"user": reviewer})
    return made


def check_round_date(*, into: Round, today: datetime.date, past_confirmed: bool) -> None:
    """A round dated before today back-dates the announcement: only when confirmed."""
    if into.announced_on < today and not past_confirmed:
        raise Invalid(
            field_errors={
                "confirm_past": [
                    _(
                        "%(round)s was announced on %(date)s: the commitment would count as "
                        "announced then. Confirm, or open the current round."
                    )
                    % {"round": into.label, "date": into.announced_on.isoformat()}
                ]
            }
        )


def accept(
    *,
    reviewer: User,
    proposal: Proposal,
    into: Round,
    reason: str = "",
    past_confirmed: bool = False,
    today: datetime.date | None = None,
) -> Proposal:
    """Announce the commitment in the round: its date, US$ amount, countries and schedule.
    A past round (dated before today) only with `past_confirmed`."""
    check_may_review(user=reviewer)
    check_round_date(into=into, today=today or timezone.localdate(), past_confirmed=past_confirmed)
    with transaction.atomic():
        proposal = locked(proposal)
        blockers = acceptance_blockers(proposal)
        if blockers:
            raise Invalid(field_errors={"__all__": blockers})
        commitment = proposal.commitment
        try:
            usd = usd_amount(commitment.amount, commitment.currency, into.announced_on)
        except AmountError:
            raise Invalid(
                field_errors={
                    "round": [
                        _(
                            "No exchange rate for %(currency)s on %(date)s: record it first "
                            "(adelante import rates)."
                        )
                        % {"currency": commitment.currency, "date": into.announced_on}
                    ]
                }
            ) from None
        reason = reason.strip() or _("accepted into %(round)s by %(user)s") % {
            "round": into.label,
            "user": reviewer.get_username(),
        }
        with history.change(reason=reason):
            commitment.round = into
            commitment.announced_on = into.announced_on
            commitment.status = Status.ANNOUNCED
            commitment.amount_usd = usd.amount_usd
            commitment.exchange_rate = usd.exchange_rate
            history.save(commitment, user=reviewer, reason=reason)
            reallocate(commitment)
            proposal.stage = Stage.ACCEPTED
            history.save(proposal, user=reviewer, reason=reason)
            if not ReportingSchedule.objects.filter(commitment=commitment).exists():
                history.save(ReportingSchedule(commitment=commitment), user=reviewer, reason=reason)
            recording.log(
                Action.ACCEPTED,
                reviewer,
                commitment,
                reason=reason,
                round=into.slug,
                announced_on=into.announced_on,
                amount_usd=usd.amount_usd,
            )
            _tell_partner(proposal)
    return proposal


def partner_proposals(partner: Partner) -> list[Proposal]:
    return list(
        Proposal.objects.filter(commitment__partner=partner)
        .exclude(Q(stage=Stage.ACCEPTED))
        .select_related("commitment")
        .order_by("-created_at")
    )


def add_document(
    *,
    reviewer: User,
    proposal: Proposal,
    upload: UploadedFile[bytes],
    question: DueDiligenceQuestion | None = None,
) -> DueDiligenceDocument:
    """A due-diligence document, checked by its content and kept through the storage API."""
    check_may_review(user=reviewer)
    return _store_document(
        reviewer,
        proposal,
        upload,
        question,
        from_partner=False,
        check_stage=lambda p: check_in_review(
            proposal=p, message=_("Take the proposal for review before adding documents.")
        ),
    )


#: Stages in which the partner may still attach its own due-diligence documents.
PARTNER_DOCUMENT_STAGES = (*EDITABLE_BY_PARTNER, *REVIEWABLE)


def add_partner_document(
    *, user: User, proposal: Proposal, upload: UploadedFile[bytes]
) -> DueDiligenceDocument:
    """A due-diligence document the partner attaches itself (a policy, a certificate),
    through the same checks and storage as evidence, until the proposal is decided. The
    partner sees its own documents; the secretariat sees them with its own."""
    check_may_propose(user=user, partner=proposal.commitment.partner)

    def check_stage(p: Proposal) -> None:
        if p.stage not in PARTNER_DOCUMENT_STAGES:
            raise Conflict(_("This proposal is decided: documents can no longer be added."))

    return _store_document(user, proposal, upload, None, from_partner=True, check_stage=check_stage)


def _store_document(
    user: User,
    proposal: Proposal,
    upload: UploadedFile[bytes],
    question: DueDiligenceQuestion | None,
    *,
    from_partner: bool,
    check_stage: Any,
) -> DueDiligenceDocument:
    from adelante.workflow import files

    checked = files.check(upload)
    with transaction.atomic():
        proposal = locked(proposal)
        check_stage(proposal)
        document = DueDiligenceDocument(
            commitment=proposal.commitment,
            question=question,
            original_name=checked.original_name,
            kind=checked.kind.code,
            size=checked.size,
            uploaded_by=user,
            from_partner=from_partner,
        )
        document.file.save(
            checked.storage_name(f"due-diligence/{proposal.commitment_id}"),
            checked.upload,
            save=False,
        )
        document.save()
        recording.log(
            Action.DOCUMENT_UPLOADED,
            user,
            proposal.commitment,
            file=checked.original_name,
            type=checked.kind.code,
            question=question.code if question else "",
            from_partner=from_partner,
        )
    return document
