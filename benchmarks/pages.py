"""The portal's pages against a bare Django view (`python -m benchmarks pages`).

Three pages, through Django's test client (the whole middleware stack, no network), in the same
process and run as a bare view that returns a fixed string:

- the overview (`/en/`: every headline figure and five charts with their tables),
- the explorer with two filters (`/en/commitments/?country=gt&kind=capital_investment`),
- a commitment page (a published commitment with verified progress).

Each page is timed twice: **computed** (the page cache off, so every request computes every
figure: what the first visitor after a change to the record waits) and **served** (the cache on
and warm: what every later visitor waits, until the record changes). For each, the median and
the 95th percentile, and their ratios to the bare view's. Goal (issue 3): the served overview at
most 5x the bare view at 50,000 commitments, and the computed pages no worse than linear beyond.

Right after a write (issue 11): each run saves a partner unchanged (a new history row, so a new
record stamp) and times the next anonymous request for the page, twice: **after a write, cold**
(stale pages off, `PORTAL_STALE_MINUTES=0`: the reader waits for the computation, as before
issue 11) and **after a write, stale** (on: the previous rendering is served with its
"updating" banner while a task, queued here to django-tasks' dummy backend, would render it).

The API: an anonymous list (`/api/v1/commitments?page_size=50`) with the API's response cache
off (**computed**) and on and warm (**cached**); requests per second are 1000 / median ms.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

from adelante.commitments.publication import published_commitments
from adelante.partners.models import Partner
from adelante.progress.models import ReportStatus
from benchmarks.figures import database_label

#: Goal of issue 3: the overview at most this many times the bare view at 50,000 commitments.
MAX_RATIO = 5.0
GOAL_SIZE = 50_000
BARE = "/bench-bare-page/"
EXPLORER = "/en/commitments/?country=gt&kind=capital_investment"
API_LIST = "/api/v1/commitments?page_size=50"
#: Tasks queued while timing go nowhere (nothing to clean up in the benchmark's database).
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

COLUMNS = (
    "database",
    "size",
    "page",
    "served",
    "median ms",
    "p95 ms",
    "bare median ms",
    "bare p95 ms",
    "ratio",
    "p95 ratio",
    "growth",
    "goal",
)


def _bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def _urlpatterns() -> list[Any]:
    from adelante.urls import urlpatterns as project

    return [path(BARE.strip("/") + "/", _bare), *project]


#: Used as ROOT_URLCONF while measuring: the project's URLs plus the bare view.
urlpatterns = _urlpatterns()


@dataclass(frozen=True)
class PageTiming:
    database: str
    commitments: int
    page: str
    #: "computed" (page cache off), "cached" (page cache on and warm), "after a write, cold"
    #: or "after a write, stale" (the next request after a write, stale pages off or on).
    served: str
    median_ms: float
    p95_ms: float
    bare_median_ms: float
    bare_p95_ms: float
    runs: int

    @property
    def ratio(self) -> float:
        return self.median_ms / self.bare_median_ms if self.bare_median_ms else float("inf")

    @property
    def p95_ratio(self) -> float:
        return self.p95_ms / self.bare_p95_ms if self.bare_p95_ms else float("inf")

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _p95(times: Sequence[float]) -> float:
    if len(times) < 2:
        return times[0]
    return statistics.quantiles(times, n=20, method="inclusive")[18]


def _times(call: Callable[[], Any], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def commitment_url() -> str:
    """A published commitment with verified progress (else any published one)."""
    published = published_commitments()
    found = (
        published.filter(progress_reports__status=ReportStatus.VERIFIED).order_by("id").first()
        or published.order_by("id").first()
    )
    if found is None:
        raise AssertionError("no published commitment to time")
    return f"/en/commitments/{found.reference}/"


def measure_pages(*, commitments: int, repeat: int = 5, cached_runs: int = 50) -> list[PageTiming]:
    """Time the pages computed `repeat` times and served from the cache `cached_runs` times,
    and the bare view as often, alternating so that drift affects both alike."""
    client = Client()
    label = database_label()
    pages = {"overview": "/en/", "explorer, two filters": EXPLORER, "commitment": commitment_url()}
    results: list[PageTiming] = []
    # Static URLs without the manifest, so that no `collectstatic` is needed first (a manifest
    # look-up is a dictionary read: it changes nothing measurable).
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    overrides = override_settings(
        ROOT_URLCONF=__name__, ALLOWED_HOSTS=["*"], DEBUG=False, STORAGES=storages
    )
    with overrides:
        _check(client, BARE)
        for name, url in pages.items():
            for served, runs in (("computed", repeat), ("cached", cached_runs)):
                with override_settings(PORTAL_PAGE_CACHE=served == "cached"):
                    caches["default"].clear()
                    _check(client, url)  # warms the cache, or the database's own caches
                    page_ms: list[float] = []
                    bare_ms: list[float] = []
                    for _ in range(runs):
                        page_ms += _times(_getter(client, url), 1)
                        bare_ms += _times(_getter(client, BARE), 1)
                results.append(_timing(label, commitments, name, served, page_ms, bare_ms))
            for served, minutes in (("after a write, cold", 0), ("after a write, stale", 10)):
                with override_settings(
                    PORTAL_PAGE_CACHE=True, PORTAL_STALE_MINUTES=minutes, TASKS=DUMMY_TASKS
                ):
                    caches["default"].clear()
                    _check(client, url)  # a rendering before the writes
                    page_ms, bare_ms = [], []
                    for _ in range(repeat):
                        _write()
                        page_ms += _times(_getter(client, url), 1)
                        bare_ms += _times(_getter(client, BARE), 1)
                results.append(_timing(label, commitments, name, served, page_ms, bare_ms))
        for served, runs in (("computed", repeat), ("cached", cached_runs)):
            with override_settings(API_RESPONSE_CACHE=served == "cached"):
                caches["default"].clear()
                _check(client, API_LIST)
                page_ms, bare_ms = [], []
                for _ in range(runs):
                    page_ms += _times(_getter(client, API_LIST), 1)
                    bare_ms += _times(_getter(client, BARE), 1)
            results.append(_timing(label, commitments, "API list", served, page_ms, bare_ms))
    caches["default"].clear()
    return results


def _timing(
    label: str, commitments: int, page: str, served: str, page_ms: list[float], bare_ms: list[float]
) -> PageTiming:
    return PageTiming(
        database=label,
        commitments=commitments,
        page=page,
        served=served,
        median_ms=statistics.median(page_ms),
        p95_ms=_p95(page_ms),
        bare_median_ms=statistics.median(bare_ms),
        bare_p95_ms=_p95(bare_ms),
        runs=len(page_ms),
    )


def _write() -> None:
    """A write to the record that changes no figure: a partner saved unchanged (its history
    gains a row, so the record's stamp changes and every cached page's key with it)."""
    partner = Partner.objects.order_by("id").first()
    if partner is None:
        raise AssertionError("no partner to save")
    partner.save()


def _getter(client: Client, url: str) -> Callable[[], Any]:
    return lambda: client.get(url, secure=True)


def _check(client: Client, url: str) -> None:
    response = client.get(url, secure=True)
    if response.status_code != 200:
        raise AssertionError(f"{url} answered {response.status_code}")


# -- The table ------------------------------------------------------------------------------


def _size(n: int) -> str:
    for unit, scale in (("M", 1_000_000), ("k", 1_000)):
        if n >= scale and n % (scale // 10) == 0:
            return f"{n / scale:g}{unit}"
    return str(n)


def table_rows(timings: Sequence[PageTiming]) -> list[tuple[str, ...]]:
    """One row per timing, with the growth of its median over the previous size (same
    database, page and way of serving) beside the growth of the data, and the goal: the cached
    overview within 5x the bare view at 50k; every page no worse than linear in the data."""
    previous: dict[tuple[str, str, str], PageTiming] = {}
    rows: list[tuple[str, ...]] = []
    for t in timings:
        key = (t.database, t.page, t.served)
        before = previous.get(key)
        growth, linear = "", True
        if before is not None and before.commitments:
            data = t.commitments / before.commitments
            grew = t.median_ms / before.median_ms if before.median_ms else float("inf")
            growth = f"{grew:.1f}x (data {data:g}x)"
            linear = grew <= data
        goal = "met" if linear else "missed"
        if t.page == "overview" and t.served == "cached" and t.commitments <= GOAL_SIZE:
            goal = "met" if t.ratio <= MAX_RATIO and linear else "missed"
        rows.append(
            (
                t.database,
                _size(t.commitments),
                t.page,
                t.served,
                f"{t.median_ms:.1f}",
                f"{t.p95_ms:.1f}",
                f"{t.bare_median_ms:.2f}",
                f"{t.bare_p95_ms:.2f}",
                f"{t.ratio:.1f}",
                f"{t.p95_ratio:.1f}",
                growth,
                goal,
            )
        )
        previous[key] = t
    return rows


def format_table(timings: Sequence[PageTiming], *, markdown: bool = False) -> str:
    rows = table_rows(timings)
    if markdown:
        numeric = {c for c in COLUMNS if c.endswith("ms") or "ratio" in c or c == "size"}
        lines = ["| " + " | ".join(COLUMNS) + " |"]
        lines.append("| " + " | ".join("---:" if c in numeric else "---" for c in COLUMNS) + " |")
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(COLUMNS)]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [COLUMNS, tuple("-" * w for w in widths), *rows]
    )
