"""`python -m benchmarks synth`: the same seed writes the same record, which keeps the rules."""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from adelante.commitments.choices import Relation, Status
from adelante.commitments.models import Commitment, CountryShare, OfficialStatement, Round
from adelante.currency.conversion import to_usd
from adelante.figures.committed import committed, committed_by
from adelante.money.qualifiers import AmountQualifier
from adelante.partners.models import Partner
from adelante.progress.models import ProgressReport, ProgressValue, ReportStatus
from benchmarks.models import SyntheticDataset
from benchmarks.synthetic import datasets, generator
from tests import builders

pytestmark = pytest.mark.django_db

SPEC = generator.Spec(partners=40, commitments=400, reports=1500, seed=7)

#: Every table that synthetic data writes, live and history.
APPS = ("partners", "commitments", "currency", "progress")


def digest() -> str:
    """A fingerprint of every row of the record and its history, ids included."""
    sha = hashlib.sha256()
    for app in APPS:
        for model in sorted(apps.get_app_config(app).get_models(), key=lambda m: m._meta.label):
            pk = model._meta.pk
            assert pk is not None
            names = [f.attname for f in model._meta.concrete_fields]
            sha.update(model._meta.label.encode())
            for row in model._default_manager.order_by(pk.attname).values_list(*names):
                sha.update(repr(row).encode())
    return sha.hexdigest()


@pytest.fixture
def generated() -> dict[str, int]:
    return datasets.generate(SPEC)


def test_the_same_seed_writes_the_same_rows() -> None:
    datasets.generate(SPEC)
    first = digest()
    datasets.wipe()
    assert Commitment.objects.count() == 0
    datasets.generate(SPEC)
    assert digest() == first


def test_another_seed_writes_other_rows() -> None:
    datasets.generate(SPEC)
    first = digest()
    datasets.wipe()
    datasets.generate(generator.Spec(SPEC.partners, SPEC.commitments, SPEC.reports, seed=8))
    assert digest() != first


def test_it_writes_what_was_asked(generated: dict[str, int]) -> None:
    assert Partner.objects.count() == SPEC.partners
    assert Commitment.objects.count() == SPEC.commitments
    assert ProgressReport.objects.count() == SPEC.reports
    assert generated["commitments.Commitment"] == SPEC.commitments
    dataset = datasets.latest_dataset()
    assert datasets.matches(dataset, SPEC)
    assert not datasets.matches(dataset, generator.Spec(40, 400, 1500, seed=8))


def test_every_row_has_its_history(generated: dict[str, int]) -> None:
    for label, count in generated.items():
        model = apps.get_model(label)
        if model._meta.label.startswith(tuple(f"{a}.Historical" for a in APPS)):
            continue
        history = getattr(model, "history", None)
        if history is not None:
            created = history.filter(history_type="+").count()
            assert created == count == model._default_manager.count(), label
    # A withdrawal is a later change: first announced, then withdrawn on its day.
    withdrawn = Commitment.objects.filter(status=Status.WITHDRAWN)
    assert withdrawn.exists()
    for c in withdrawn:
        versions = list(
            Commitment.history.filter(id=c.pk).order_by("history_date")  # type: ignore[attr-defined]
        )
        assert [v.history_type for v in versions] == ["+", "~"]
        assert versions[0].status == Status.IN_PROGRESS and versions[0].withdrawn_on is None
        assert versions[1].history_date.date() == c.withdrawn_on
        assert versions[1].status == Status.WITHDRAWN


def test_amounts_are_exact_non_negative_decimals(generated: dict[str, int]) -> None:
    for c in Commitment.objects.all():
        if c.qualifier == AmountQualifier.UNDISCLOSED:
            assert c.amount is None and c.amount_usd is None
        else:
            assert isinstance(c.amount, Decimal) and isinstance(c.amount_usd, Decimal)
            assert c.amount >= 0 and c.amount_usd >= 0
            assert c.amount == c.amount.quantize(Decimal("0.01"))


def test_the_record_has_the_variety_of_the_real_one(generated: dict[str, int]) -> None:
    commitments = Commitment.objects.all()
    assert set(commitments.values_list("qualifier", flat=True)) == set(AmountQualifier.values)
    assert {Status.ANNOUNCED, Status.IN_PROGRESS, Status.COMPLETED, Status.WITHDRAWN} <= set(
        commitments.values_list("status", flat=True)
    )
    assert set(commitments.values_list("relation", flat=True)) == set(Relation.values)
    assert len(set(commitments.values_list("currency", flat=True))) >= 4
    assert set(Partner.objects.values_list("type", flat=True)) >= {"company", "ngo"}
    assert Partner.objects.filter(aliases__isnull=False).exists()
    assert Commitment.focus_areas.through.objects.exists()
    without_amount = commitments.filter(amount_usd__isnull=True).count() / SPEC.commitments
    assert 0.2 < without_amount < 0.4
    statements = OfficialStatement.objects.values_list("figure", flat=True)
    assert {"committed_usd", "invested_usd", "partners", ""} <= set(statements)


def test_other_currencies_are_converted_at_the_rate_of_the_day(generated: dict[str, int]) -> None:
    converted = Commitment.objects.exclude(currency="USD").exclude(amount__isnull=True)
    assert converted.exists()
    for c in converted.select_related("exchange_rate"):
        rate = c.exchange_rate
        assert rate is not None and rate.currency == c.currency and rate.on == c.announced_on
        assert c.amount is not None
        assert c.amount_usd == to_usd(c.amount, rate.units_per_usd)


def test_country_shares_add_up_to_the_amount(generated: dict[str, int]) -> None:
    by_commitment: dict[int, list[CountryShare]] = defaultdict(list)
    for share in CountryShare.objects.all():
        by_commitment[share.commitment_id].append(share)
    kinds = set()
    for c in Commitment.objects.all():
        rows = by_commitment.get(c.pk, [])
        if not rows:
            kinds.add("regional")
            continue
        stated = [r.share_percent for r in rows]
        if all(s is None for s in stated):
            kinds.add("multi-country")
            assert len(rows) > 1
            assert all(r.amount_usd is None for r in rows)
            continue
        assert None not in stated and sum(s for s in stated if s is not None) == 100
        kinds.add("one" if len(rows) == 1 else "shares")
        if c.amount_usd is None:
            assert all(r.amount_usd is None for r in rows)
        else:
            assert sum(r.amount_usd for r in rows if r.amount_usd is not None) == c.amount_usd
    assert kinds == {"regional", "multi-country", "one", "shares"}


def test_progress_values_are_cumulative(generated: dict[str, int]) -> None:
    series: dict[tuple[int, int], list[tuple[datetime.date, Decimal]]] = defaultdict(list)
    for commitment_id, metric_id, period_end, value in ProgressValue.objects.values_list(
        "report__commitment_id", "metric_id", "report__period_end", "value"
    ):
        series[(commitment_id, metric_id)].append((period_end, value))
    assert series
    for points in series.values():
        values = [value for _, value in sorted(points)]
        assert values == sorted(values)
        assert all(isinstance(v, Decimal) and v >= 0 for v in values)
    statuses = ProgressReport.objects.values_list("status", flat=True)
    verified = sum(1 for s in statuses if s == ReportStatus.VERIFIED)
    assert verified > 0.7 * SPEC.reports
    per_commitment = ProgressReport.objects.values("commitment_id").distinct().count()
    assert per_commitment > 50


def test_relations_point_at_an_earlier_commitment_of_the_same_partner(
    generated: dict[str, int],
) -> None:
    related = Commitment.objects.exclude(relation=Relation.NEW).select_related("relates_to")
    assert related.exists()
    for c in related:
        earlier = c.relates_to
        assert earlier is not None and earlier.partner_id == c.partner_id
        assert earlier.announced_on is not None and c.announced_on is not None
        assert earlier.announced_on < c.announced_on
    for c in Commitment.objects.filter(status=Status.WITHDRAWN):
        assert c.withdrawn_on is not None and c.announced_on is not None
        assert c.withdrawn_on > c.announced_on


def test_figures_work_on_it_and_as_recorded_on_an_earlier_day(generated: dict[str, int]) -> None:
    total = committed(generator.LAST_DAY)
    breakdown = committed_by("country", generator.LAST_DAY)  # public: no cell suppressed
    assert total.commitments > 0.9 * SPEC.commitments
    assert sum(row.amount_usd or 0 for row in breakdown.rows) == total.amount_usd
    # History is dated when things happened: on the day of the first round, the record held
    # only that round's commitments, none of them withdrawn yet.
    first_round = generator.REAL_ROUND_DATES[0]
    early = committed(generator.LAST_DAY, recorded_on=first_round)
    assert 0 < early.commitments == committed(first_round).commitments < total.commitments


def test_it_refuses_a_record_that_is_not_empty(generated: dict[str, int]) -> None:
    with pytest.raises(generator.SynthError, match="not empty"):
        datasets.generate(SPEC)


def test_wipe_removes_synthetic_data_only() -> None:
    real = builders.commitment("Real Partner Inc", "1000.00", datetime.date(2022, 6, 7))
    with pytest.raises(generator.SynthError, match="not empty"):
        datasets.generate(SPEC)
    assert datasets.foreign_counts() == {"partner": 1, "round": 1, "commitment": 1}
    datasets.wipe()
    assert Commitment.objects.get() == real
    assert Commitment.history.filter(id=real.pk).exists()  # type: ignore[attr-defined]


def test_wipe_removes_every_synthetic_row_and_its_history(generated: dict[str, int]) -> None:
    datasets.wipe()
    assert not SyntheticDataset.objects.exists()
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            assert not model._default_manager.exists(), model._meta.label


def test_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    out = StringIO()
    args = ["--commitments=60", "--partners=9", "--reports=120", "--seed=3", "--no-progress"]
    call_command("synth", *args, stdout=out)
    assert "60 commitments" in out.getvalue()
    assert Commitment.objects.count() == 60
    with pytest.raises(CommandError, match="--wipe"):
        call_command("synth", *args, stdout=StringIO())
    call_command("synth", *args, "--wipe", stdout=out)
    assert Commitment.objects.count() == 60
    assert "Deleted" in out.getvalue()


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(CommandError, match="partner"):
        call_command("synth", "--commitments=10", "--partners=0", stdout=StringIO())
    with pytest.raises(generator.SynthError):
        generator.Spec(partners=1, commitments=-1, reports=0, seed=1)


def test_new_rows_do_not_take_the_ids_of_deleted_ones() -> None:
    # A real commitment, deleted: its history stays, and keeps its id.
    gone = builders.commitment("Gone Partner", "5.00", datetime.date(2022, 6, 7))
    gone_id = gone.pk
    gone.countries.all().delete()
    gone.delete()
    Round.objects.all().delete()
    Partner.objects.all().delete()
    datasets.generate(generator.Spec(partners=3, commitments=5, reports=0, seed=1))
    assert not Commitment.objects.filter(pk=gone_id).exists()
    assert Commitment.history.filter(id=gone_id).count() == 2  # type: ignore[attr-defined]
