"""`import_translations`: staff's Spanish for text already in the record (CSV or XLSX), all or
nothing. The shipped record's Spanish (demo/data/translations_es.csv) comes this way.

One row per text: `what` it is (round, focus, summary, statement), the `english` it
translates, and the `spanish`. Rounds, focuses and summaries are found by their English text
(every record with that text gets the Spanish); a statement's name by its code (`key`), which
names it in the catalogue (`catalogue.StatementName`) with `english` as its English name.
A record whose Spanish was written by its author keeps it: staff translate only what has no
Spanish, or what staff translated before. Each record's translation state follows
(`bilingual.set_texts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from adelante.bilingual import Language, TranslatedText, TranslationState, set_texts
from adelante.catalogue.models import StatementName
from adelante.commitments.models import Commitment, Round
from adelante.exchange import cells
from adelante.exchange.columns import Columns
from adelante.exchange.loading import ReadOptions, load_table
from adelante.exchange.problems import CellError, Problems
from adelante.exchange.readers import Row
from adelante.exchange.results import ImportResult, Outcome, RowOutcome
from adelante.exchange.saving import import_reason, planned, save_with_reason
from adelante.initiatives import scope

COLUMNS = Columns(required=("what", "key", "english", "spanish"))

#: What a row may translate: the model, the English column it is matched on, the Spanish one.
KINDS: dict[str, tuple[type[TranslatedText], str, str]] = {
    "round": (Round, "label", "label_es"),
    "focus": (Commitment, "focus_text", "focus_text_es"),
    "summary": (Commitment, "summary", "summary_es"),
    "title": (Commitment, "title", "title_es"),
    "statement": (StatementName, "name_en", "name_es"),
}


@dataclass(frozen=True)
class TranslationRow:
    line: int
    what: str
    key: str
    english: str
    spanish: str


class Plan:
    """The records the file changes, each once however many rows touch it, in order."""

    def __init__(self) -> None:
        self.records: dict[tuple[type[TranslatedText], str], TranslatedText] = {}
        self.changes: dict[tuple[type[TranslatedText], str], set[str]] = {}
        self.rows: list[tuple[TranslationRow, list[str], bool]] = []
        """Each row with what it changed and whether it makes a new record."""

    def record(self, model: type[TranslatedText], found: TranslatedText) -> TranslatedText:
        return self.records.setdefault((model, str(found.pk)), found)

    def note(self, record: TranslatedText, changes: list[str]) -> None:
        key = (type(record), str(record.pk))
        self.records.setdefault(key, record)
        self.changes.setdefault(key, set()).update(changes)


def import_translations(
    path: Path | str,
    *,
    dry_run: bool = False,
    progress: bool = False,
    name: str | None = None,
    reason: str | None = None,
    options: ReadOptions | None = None,
) -> ImportResult:
    """Import a translations file. Raises ImportRejected, having written nothing, if any row
    has a problem. With `dry_run`, works out what would change and writes nothing."""
    path = Path(path)
    table = load_table(path, columns=COLUMNS, file=name, sheet="translations", options=options)
    problems = Problems(table.file)
    problems.extend(table.problems)
    COLUMNS.check(table, problems)
    problems.raise_if_any()
    rows = [row for raw in table.rows if (row := _read_row(raw, problems)) is not None]
    problems.raise_if_any()
    why = import_reason(path, name, reason)

    def write(plan: Plan) -> None:
        for key, record in plan.records.items():
            if record.pk is None:
                save_with_reason(record, why)
            elif plan.changes.get(key):
                save_with_reason(record, why, sorted(plan.changes[key]))

    def make() -> Plan:
        plan = Plan()
        for row in rows:
            _plan_row(row, plan)
        return plan

    outcomes = []
    for row, changed, new in planned(make, write, dry_run=dry_run).rows:
        outcome = Outcome.NEW if new else Outcome.CHANGED if changed else Outcome.UNCHANGED
        key = f"{row.what} {row.key or row.english[:60]}"
        outcomes.append(RowOutcome(row.line, key, outcome, tuple(sorted(set(changed)))))
    return ImportResult.of(table, dry_run=dry_run, rows=tuple(outcomes))


def _read_row(raw: Row, problems: Problems) -> TranslationRow | None:
    try:
        what = cells.choice(raw.get("what"), tuple(KINDS))
        english = cells.text(raw.get("english"), max_length=2000, required=True)
        spanish = cells.text(raw.get("spanish"), max_length=2000, required=True)
        key = raw.get("key")
        if what == "statement" and not key:
            raise CellError(_("empty; a statement's name needs its code in `key`"))
    except CellError as exc:
        problems.add(raw.line, "what/key/english/spanish", exc.reason)
        return None
    return TranslationRow(raw.line, what, key, english, spanish)


def _plan_row(row: TranslationRow, plan: Plan) -> None:
    model, english_field, spanish_field = KINDS[row.what]
    if model is StatementName:
        texts = {"name_en": row.english, "name_es": row.spanish}
        planned_new = plan.records.get((StatementName, f"new {row.key}"))
        if planned_new is not None:
            # The file names this new statement twice: the later row wins.
            plan.rows.append((row, set_texts(planned_new, texts, translator="staff"), False))
            return
        found = StatementName.objects.filter(code=row.key).first()
        if found is None:
            record: TranslatedText = StatementName(code=row.key, written_in=Language.EN)
            set_texts(record, {"name_en": row.english, "name_es": row.spanish}, translator="staff")
            plan.records[(StatementName, f"new {row.key}")] = record
            plan.rows.append((row, ["name_en", "name_es"], True))
            return
        record = plan.record(StatementName, found)
        changes = set_texts(record, texts, translator="staff")
        plan.note(record, changes)
        plan.rows.append((row, changes, False))
        return
    found_records = model._default_manager.filter(
        **{english_field: row.english, "written_in": Language.EN}
    ).exclude(translation_state=TranslationState.ORIGINAL)
    if any(f.name == "initiative" for f in model._meta.get_fields()):
        # A translations file is about one initiative's texts (the one in scope): another
        # initiative's commitment with the same focus text is translated by its own file.
        found_records = found_records.filter(scope.initiative_q())
    changed: list[str] = []
    for found_record in found_records:
        record = plan.record(model, found_record)
        changes = set_texts(record, {spanish_field: row.spanish}, translator="staff")
        plan.note(record, changes)
        changed += changes
    plan.rows.append((row, changed, False))
