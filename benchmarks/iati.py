"""The IATI import benchmark (`python -m benchmarks iati`, docs/benchmarks.md).

`generate` writes a large, realistic IATI 2.03 activity file, streaming to disk: activities of
several publishers for Guatemala, El Salvador and Honduras (and some for neighbours, which the
import leaves out), with narratives in two languages, organisations, dates, budgets, sectors,
transactions in several currencies, results and extension elements. `measure_file` then times,
in the same process, a bare lxml iterparse pass over the file (`xmlsafe.bare_pass`, the floor)
and the import of the same file, and reports the peak memory of the process. The command runs
each file in its own child process so that each peak belongs to one file only.
"""

from __future__ import annotations

import datetime
import random
import resource
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

from django.db import connection, transaction

from adelante.iati.importer import import_iati
from adelante.iati.models import AidActivity, AidCountry, AidSector, AidTransaction
from adelante.iati.xmlsafe import bare_pass

#: Change when the generated files change, so cached files are made again.
GENERATOR_VERSION = 1
MB = 1_000_000

#: Goals of issue 5: the import within twice the bare parse; peaks within 10 % of each other.
MAX_RATIO = 2.0
MAX_MEMORY_SPREAD = 0.10

PUBLISHERS = [
    ("US-GOV-1", "10", "U.S. Agency for International Development"),
    ("US-GOV-12", "10", "Trade and Development Agency"),
    ("XI-IATI-IADB", "40", "Inter-American Development Bank"),
    ("XM-DAC-41114", "40", "United Nations Development Programme"),
    ("DE-1", "10", "Federal Ministry for Economic Cooperation and Development"),
    ("GB-GOV-1", "10", "Foreign, Commonwealth & Development Office"),
    ("XM-DAC-44000", "40", "World Bank"),
    ("CA-3", "10", "Global Affairs Canada"),
]
COUNTRIES = ["GT", "SV", "HN"]
NEIGHBOURS = ["NI", "CR", "PA", "MX", "BZ"]
SECTORS = [
    ("31120", "Agricultural development"),
    ("15113", "Anti-corruption organisations and institutions"),
    ("11330", "Vocational training"),
    ("12220", "Basic health care"),
    ("24030", "Formal sector financial intermediaries"),
    ("15220", "Civilian peace-building, conflict prevention and resolution"),
    ("41010", "Environmental policy and administrative management"),
    ("32130", "Small and medium-sized enterprises (SME) development"),
    ("16020", "Employment creation"),
    ("15170", "Women's rights organisations and movements, and government institutions"),
]
CURRENCIES = ["USD"] * 8 + ["EUR", "GTQ", "CAD"]


def _words(*lines: str) -> list[str]:
    return " ".join(lines).split()


WORDS = _words(
    "programme support rural communities municipal capacity water sanitation youth",
    "employment training market access coffee producers cooperatives climate resilience",
    "governance transparency justice women entrepreneurs health clinics nutrition schools",
    "teachers violence prevention migration returnees small businesses credit digital",
    "infrastructure roads ports energy solar irrigation watershed forest",
)
PALABRAS = _words(
    "programa apoyo comunidades rurales capacidad municipal agua saneamiento juventud empleo",
    "formación acceso mercados café productores cooperativas resiliencia climática gobernanza",
    "transparencia justicia mujeres emprendedoras salud clínicas nutrición escuelas docentes",
)


def _sentence(rng: random.Random, words: list[str], n: int) -> str:
    text = " ".join(rng.choice(words) for _ in range(n))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, words: list[str], sentences: int) -> str:
    return " ".join(_sentence(rng, words, rng.randint(8, 20)) for _ in range(sentences))


def _day(rng: random.Random, start: int = 2015, end: int = 2024) -> datetime.date:
    return datetime.date(rng.randint(start, end), rng.randint(1, 12), rng.randint(1, 28))


def _activity(rng: random.Random, n: int) -> str:
    ref, kind, publisher = rng.choice(PUBLISHERS)
    name = escape(publisher)
    identifier = f"{ref}-BENCH-{n:08d}"
    if rng.random() < 0.15:
        countries = [rng.choice(NEIGHBOURS)]
    else:
        countries = rng.sample(COUNTRIES, rng.choice([1, 1, 1, 2, 3]))
    on_transactions = rng.random() < 0.25
    currency = rng.choice(CURRENCIES)
    start = _day(rng, 2015, 2022)
    end = start + datetime.timedelta(days=rng.randint(365, 2200))
    parts = [
        f'<iati-activity default-currency="{currency}" hierarchy="1" '
        f'last-updated-datetime="{_day(rng, 2023, 2024).isoformat()}T10:00:00Z" xml:lang="en">',
        f"<iati-identifier>{identifier}</iati-identifier>",
        f'<reporting-org ref="{ref}" type="{kind}"><narrative>{name}</narrative></reporting-org>',
        f"<title><narrative>{_sentence(rng, WORDS, 8)}</narrative>"
        f'<narrative xml:lang="es">{_sentence(rng, PALABRAS, 8)}</narrative></title>',
        f'<description type="1"><narrative>{_paragraph(rng, WORDS, rng.randint(4, 10))}'
        f'</narrative><narrative xml:lang="es">{_paragraph(rng, PALABRAS, rng.randint(3, 8))}'
        "</narrative></description>",
        f'<description type="2"><narrative>{_paragraph(rng, WORDS, 3)}</narrative></description>',
        f'<participating-org ref="{ref}" role="1" type="{kind}"><narrative>{name}</narrative>'
        "</participating-org>",
        f'<participating-org ref="{ref}" role="2" type="{kind}"><narrative>{name}</narrative>'
        "</participating-org>",
        '<participating-org ref="" role="4" type="22"><narrative>'
        f"{_sentence(rng, WORDS, 3)}</narrative></participating-org>",
        f'<activity-status code="{rng.choice("2223")}"/>',
        f'<activity-date iso-date="{start.isoformat()}" type="1"/>',
        f'<activity-date iso-date="{start.isoformat()}" type="2"/>',
        f'<activity-date iso-date="{end.isoformat()}" type="3"/>',
        '<contact-info type="1"><organisation><narrative>'
        f"{name}</narrative></organisation><email>info@example.org</email>"
        "<website>https://example.org</website></contact-info>",
        '<activity-scope code="4"/>',
    ]
    if not on_transactions:
        if len(countries) == 1:
            parts.append(f'<recipient-country code="{countries[0]}" percentage="100"/>')
        else:
            share = 100 // len(countries)
            shares = [share] * (len(countries) - 1) + [100 - share * (len(countries) - 1)]
            parts += [
                f'<recipient-country code="{c}" percentage="{p}"/>'
                for c, p in zip(countries, shares, strict=True)
            ]
    sectors = rng.sample(SECTORS, rng.randint(1, 3))
    weights = [100 // len(sectors)] * len(sectors)
    weights[-1] += 100 - sum(weights)
    parts += [
        f'<sector vocabulary="1" code="{code}" percentage="{w}"><narrative>{label}</narrative>'
        "</sector>"
        for (code, label), w in zip(sectors, weights, strict=True)
    ]
    parts += [
        '<collaboration-type code="1"/><default-flow-type code="10"/>',
        '<default-finance-type code="110"/><default-aid-type code="C01"/>',
        '<default-tied-status code="5"/>',
    ]
    for year in range(start.year, min(end.year, start.year + 3) + 1):
        parts.append(
            f'<budget type="1" status="2"><period-start iso-date="{year}-01-01"/>'
            f'<period-end iso-date="{year}-12-31"/><value currency="{currency}" '
            f'value-date="{year}-01-01">{rng.randint(10_000, 5_000_000)}.00</value></budget>'
        )
    committed = rng.randint(50_000, 20_000_000)
    for t in range(rng.randint(3, 18)):
        kind_code = "2" if t == 0 else rng.choice("3334")
        day = _day(rng, start.year, 2024)
        value = committed if t == 0 else rng.randint(1_000, max(2_000, committed // 6))
        cents = f".{rng.randint(0, 99):02d}" if rng.random() < 0.5 else ""
        where = f'<recipient-country code="{rng.choice(countries)}"/>' if on_transactions else ""
        parts.append(
            f'<transaction ref="{identifier}-T{t}"><transaction-type code="{kind_code}"/>'
            f'<transaction-date iso-date="{day.isoformat()}"/>'
            f'<value value-date="{day.isoformat()}">{value}{cents}</value>'
            f"<description><narrative>{_sentence(rng, WORDS, 6)}</narrative></description>"
            f'<provider-org ref="{ref}" type="{kind}"><narrative>{name}</narrative></provider-org>'
            f'<receiver-org ref="" type="22"><narrative>{_sentence(rng, WORDS, 3)}</narrative>'
            f'</receiver-org><disbursement-channel code="1"/>{where}'
            '<usg:treasury-account code="11x1037">Operating expenses</usg:treasury-account>'
            "</transaction>"
        )
    parts.append(
        '<document-link format="application/pdf" url="https://example.org/doc.pdf">'
        f"<title><narrative>{_sentence(rng, WORDS, 5)}</narrative></title>"
        '<category code="A02"/><language code="en"/></document-link>'
    )
    parts.append('<conditions attached="0"/>')
    parts.append(
        '<result type="1" aggregation-status="1"><title><narrative>'
        f"{_sentence(rng, WORDS, 6)}</narrative></title>"
        '<indicator measure="1" ascending="1"><title><narrative>'
        f"{_sentence(rng, WORDS, 5)}</narrative></title>"
        f'<baseline year="{start.year}" value="0"/>'
        f'<period><period-start iso-date="{start.year}-01-01"/>'
        f'<period-end iso-date="{start.year}-12-31"/><target value="{rng.randint(10, 9999)}"/>'
        f'<actual value="{rng.randint(0, 9999)}"/></period></indicator></result>'
    )
    parts.append("<usg:tec1><narrative>1,000,000</narrative></usg:tec1>")
    parts.append("</iati-activity>\n")
    return "".join(parts)


def generate(path: Path, size_mb: float, *, seed: int = 1) -> int:
    """Write an IATI activity file of about `size_mb` megabytes; the number of activities."""
    rng = random.Random(seed)
    target = int(size_mb * MB)
    written = 0
    count = 0
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="\n") as out:
        written += _write(
            out,
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<iati-activities xmlns:usg="https://foreignassistance.gov" version="2.03" '
            'generated-datetime="2024-12-31T00:00:00Z">\n',
        )
        while written < target:
            written += _write(out, _activity(rng, count))
            count += 1
        _write(out, "</iati-activities>\n")
    partial.replace(path)
    return count


def _write(out: IO[str], text: str) -> int:
    out.write(text)
    return len(text.encode("utf-8")) if not text.isascii() else len(text)


def benchmark_file(folder: Path, size_mb: float, seed: int) -> Path:
    """The generated file of this size, made once and reused (kept out of the repository)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"iati-{size_mb:g}mb-s{seed}-g{GENERATOR_VERSION}.xml"
    if not path.exists():
        generate(path, size_mb, seed=seed)
    return path


# -- Measuring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measurement:
    database: str
    file_mb: float
    activities: int
    kept: int
    transactions: int
    #: Medians of the timed runs, wall clock and CPU time of this process.
    bare_seconds: float
    import_seconds: float
    bare_cpu_seconds: float
    import_cpu_seconds: float
    runs: int
    baseline_rss_mb: float
    peak_rss_mb: float

    @property
    def ratio(self) -> float:
        return self.import_seconds / self.bare_seconds if self.bare_seconds else float("inf")

    @property
    def cpu_ratio(self) -> float:
        if not self.bare_cpu_seconds:
            return float("inf")
        return self.import_cpu_seconds / self.bare_cpu_seconds

    @property
    def mb_per_second(self) -> float:
        return self.file_mb / self.import_seconds if self.import_seconds else float("inf")

    @property
    def activities_per_second(self) -> float:
        return self.activities / self.import_seconds if self.import_seconds else float("inf")

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _rss_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def empty_aid_tables() -> None:
    """Remove every imported activity, table by table (children first), in one statement each."""
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (AidTransaction, AidCountry, AidSector, AidActivity):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def _timed(call: Any) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def measure_file(path: Path, database: str, *, repeat: int = 3) -> Measurement:
    """Bare parse and import of one file, `repeat` times each, alternately, in this process.

    The file is read once first (into the page cache) and parsed once untimed; each import
    starts from emptied official-aid tables. Times are medians; the peak memory is the
    process's maximum resident set over all of it.
    """
    with path.open("rb") as f:
        while f.read(1 << 20):
            pass
    baseline = _rss_mb()
    bare_pass(path)
    bare: list[tuple[float, float]] = []
    imported: list[tuple[float, float]] = []
    result = None
    for _run in range(repeat):
        wall, cpu, _count = _timed(lambda: bare_pass(path))
        bare.append((wall, cpu))
        empty_aid_tables()
        wall, cpu, result = _timed(lambda: import_iati([path]))
        imported.append((wall, cpu))
    assert result is not None
    return Measurement(
        database=database,
        file_mb=round(path.stat().st_size / MB, 1),
        activities=result.activities,
        kept=result.kept,
        transactions=result.transactions,
        bare_seconds=round(statistics.median(w for w, _c in bare), 3),
        import_seconds=round(statistics.median(w for w, _c in imported), 3),
        bare_cpu_seconds=round(statistics.median(c for _w, c in bare), 3),
        import_cpu_seconds=round(statistics.median(c for _w, c in imported), 3),
        runs=repeat,
        baseline_rss_mb=round(baseline, 1),
        peak_rss_mb=round(_rss_mb(), 1),
    )


# -- The table -------------------------------------------------------------------------------

COLUMNS = (
    "database",
    "file MB",
    "activities",
    "kept",
    "transactions",
    "bare parse s",
    "import s",
    "MB/s",
    "activities/s",
    "ratio",
    "CPU ratio",
    "peak RSS MB",
    "ratio ≤ 2",
    "memory ±10 %",
)


def table_rows(measurements: list[Measurement]) -> list[tuple[str, ...]]:
    """One row per file, with the two goals: the ratio (wall clock) at most 2, and the peak
    memory within 10 % of the smallest file's on the same database."""
    smallest: dict[str, float] = {}
    for m in sorted(measurements, key=lambda m: m.file_mb):
        smallest.setdefault(m.database, m.peak_rss_mb)
    rows: list[tuple[str, ...]] = []
    for m in measurements:
        spread = m.peak_rss_mb / smallest[m.database] - 1
        rows.append(
            (
                m.database,
                f"{m.file_mb:g}",
                str(m.activities),
                str(m.kept),
                str(m.transactions),
                f"{m.bare_seconds:.2f}",
                f"{m.import_seconds:.2f}",
                f"{m.mb_per_second:.1f}",
                f"{m.activities_per_second:.0f}",
                f"{m.ratio:.2f}",
                f"{m.cpu_ratio:.2f}",
                f"{m.peak_rss_mb:.0f} ({spread:+.0%})",
                "met" if m.ratio <= MAX_RATIO else "missed",
                "met" if abs(spread) <= MAX_MEMORY_SPREAD else "missed",
            )
        )
    return rows


def format_table(measurements: list[Measurement], *, markdown: bool = False) -> str:
    rows = table_rows(measurements)
    if markdown:
        align = ["---"] + ["---:"] * (len(COLUMNS) - 1)
        lines = ["| " + " | ".join(COLUMNS) + " |", "| " + " | ".join(align) + " |"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(COLUMNS)]

    def line(cells: tuple[str, ...] | list[str]) -> str:
        return "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(list(COLUMNS)), line(["-" * w for w in widths]), *map(line, rows)])
