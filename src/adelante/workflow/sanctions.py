"""Sanctions lists: reading them, importing them, and screening an organisation's names.

Formats (`adelante import sanctions FILE... --list NAME --format sdn|names`):

- ``sdn``: the US Treasury's SDN list as OFAC publishes it in CSV: ``sdn.csv`` (no header;
  ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag,
  Vess_owner, Remarks; "-0-" stands for empty) and its aliases in ``alt.csv`` (no header;
  ent_num, alt_num, alt_type, alt_name, alt_remarks). Give either file or both; which is which
  is told by the number of columns.
- ``names``: a CSV with one name per row (first column; a first row reading "name" is a
  header).

Importing a list replaces what was imported under that name before, all or nothing.

Screening compares each of the organisation's names (its name and every alias) with every
listed name (primary names and aliases), both normalised as partner names are
(`partners.naming.normalise`: no accents, case, punctuation or legal-form words). The score is
RapidFuzz's token sort ratio (0-100: the words sorted, then compared character by character,
so word order and small spelling differences barely matter); when both names have two words
or more, the token set ratio too (so a name contained in a longer one also scores high), and
the higher of the two counts. A listed name scoring `THRESHOLD` (88) or more is a hit; every
hit is shown to the reviewer, who decides whether it is a true match or a false positive and
records why.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from adelante import history
from adelante.errors import Conflict, Invalid
from adelante.partners.models import Partner
from adelante.partners.naming import normalise
from adelante.workflow import recording
from adelante.workflow.intake import check_in_review, check_may_review
from adelante.workflow.models import (
    Action,
    Decision,
    ListFormat,
    Proposal,
    SanctionsEntry,
    SanctionsList,
    SanctionsName,
    ScreeningHit,
    ScreeningRun,
)

#: The lowest score (0-100) that makes a listed name a hit.
THRESHOLD = 88
SDN_COLUMNS = 12
ALT_COLUMNS = 5
#: OFAC's way of writing an empty field.
SDN_EMPTY = "-0-"
BATCH = 2000


class SanctionsError(Invalid, ValueError):
    """A list file that cannot be read; the message says where and why."""


@dataclass
class ListedParty:
    external_id: str
    name: str
    entry_type: str = ""
    programs: str = ""
    remarks: str = ""
    #: (alias, alias type) pairs.
    aliases: list[tuple[str, str]] = field(default_factory=list)


def _decode(raw: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SanctionsError(_("%(file)s: not readable as text") % {"file": path.name})


def _rows(path: Path) -> list[tuple[int, list[str]]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SanctionsError(f"{path}: {exc.strerror or exc}") from None
    # OFAC's files end with an end-of-file mark (Ctrl-Z).
    text = _decode(raw, path).replace("\x1a", "")
    rows = []
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            if any(cell.strip() for cell in row):
                rows.append((number, row))
    except csv.Error as exc:
        raise SanctionsError(f"{path.name}: {exc}") from None
    return rows


def _cell(value: str) -> str:
    value = " ".join(value.split())
    return "" if value == SDN_EMPTY else value


def read_sdn(paths: Sequence[Path]) -> list[ListedParty]:
    """Parties from sdn.csv and aliases from alt.csv (either or both, in any order)."""
    parties: dict[str, ListedParty] = {}
    aliases: list[tuple[Path, int, list[str]]] = []
    for path in paths:
        rows = _rows(path)
        if not rows:
            raise SanctionsError(_("%(file)s: no rows") % {"file": path.name})
        width = len(rows[0][1])
        if width not in (SDN_COLUMNS, ALT_COLUMNS):
            raise SanctionsError(
                _(
                    "%(file)s: %(n)d columns; sdn.csv has 12 (ent_num … Remarks), alt.csv 5 "
                    "(ent_num, alt_num, alt_type, alt_name, alt_remarks)"
                )
                % {"file": path.name, "n": width}
            )
        for number, row in rows:
            if len(row) != width:
                raise SanctionsError(
                    _("%(file)s:%(line)d: %(n)d columns, expected %(width)d")
                    % {"file": path.name, "line": number, "n": len(row), "width": width}
                )
            if width == SDN_COLUMNS:
                ent, name = _cell(row[0]), _cell(row[1])
                if not ent or not name:
                    raise SanctionsError(
                        _("%(file)s:%(line)d: no ent_num or no name")
                        % {"file": path.name, "line": number}
                    )
                parties[ent] = ListedParty(ent, name, _cell(row[2]), _cell(row[3]), _cell(row[11]))
            else:
                aliases.append((path, number, row))
    for path, number, row in aliases:
        ent, alias_type, name = _cell(row[0]), _cell(row[2]), _cell(row[3])
        if not name:
            continue
        party = parties.get(ent)
        if party is None:
            if parties:
                raise SanctionsError(
                    _("%(file)s:%(line)d: alias of ent_num %(ent)s, which sdn.csv does not list")
                    % {"file": path.name, "line": number, "ent": ent}
                )
            # Aliases alone: the party is known by its aliases only.
            party = parties.setdefault(ent, ListedParty(ent, name))
        party.aliases.append((name, alias_type or "aka"))
    return list(parties.values())


def read_names(path: Path) -> list[ListedParty]:
    """One name per row (first column)."""
    parties = []
    for index, (number, row) in enumerate(_rows(path)):
        name = " ".join(row[0].split()) if row else ""
        if index == 0 and name.casefold() == "name":
            continue
        if name:
            parties.append(ListedParty(str(number), name))
    return parties


@dataclass(frozen=True)
class ImportSummary:
    list_name: str
    entries: int
    names: int
    replaced: int
    dry_run: bool

    def __str__(self) -> str:
        text = _("%(list)s: %(entries)d listed parties, %(names)d names and aliases") % {
            "list": self.list_name,
            "entries": self.entries,
            "names": self.names,
        }
        if self.replaced:
            text += _(" (replacing %(n)d entries)") % {"n": self.replaced}
        if self.dry_run:
            text += _("; dry run, nothing written")
        return text


def import_list(
    name: str, format: str, paths: Sequence[Path], *, dry_run: bool = False
) -> ImportSummary:
    """Read the files and replace the list of that name (all or nothing)."""
    name = " ".join(name.split())
    if not name:
        raise SanctionsError(_("Give the list a name (--list)."))
    if format == ListFormat.SDN:
        parties = read_sdn(paths)
    elif format == ListFormat.NAMES:
        if len(paths) != 1:
            raise SanctionsError(_("The names format takes one file."))
        parties = read_names(paths[0])
    else:
        raise SanctionsError(_("Unknown format %(f)s: sdn or names.") % {"f": format})
    if not parties:
        raise SanctionsError(_("No names found: nothing to import."))
    names = sum(1 + len(p.aliases) for p in parties)
    existing = SanctionsList.objects.filter(name=name).first()
    replaced = SanctionsEntry.objects.filter(list=existing).count() if existing else 0
    summary = ImportSummary(name, len(parties), names, replaced, dry_run)
    if dry_run:
        return summary
    with transaction.atomic():
        the_list = existing or SanctionsList(name=name)
        if existing is not None:
            SanctionsEntry.objects.filter(list=existing).delete()
        the_list.format = format
        the_list.imported_at = timezone.now()
        the_list.source = ", ".join(p.name for p in paths)[:500]
        the_list.entries, the_list.names = len(parties), names
        the_list.save()
        for start in range(0, len(parties), BATCH):
            chunk = parties[start : start + BATCH]
            entries = SanctionsEntry.objects.bulk_create(
                SanctionsEntry(
                    list=the_list,
                    external_id=p.external_id[:50],
                    name=p.name[:500],
                    entry_type=p.entry_type[:50],
                    programs=p.programs[:300],
                    remarks=p.remarks,
                )
                for p in chunk
            )
            rows = []
            for party, entry in zip(chunk, entries, strict=True):
                rows.append(
                    SanctionsName(
                        entry=entry, name=party.name[:500], normalised=normalise(party.name)
                    )
                )
                for alias, alias_type in party.aliases:
                    rows.append(
                        SanctionsName(
                            entry=entry,
                            name=alias[:500],
                            normalised=normalise(alias),
                            alias_type=alias_type[:20],
                        )
                    )
            SanctionsName.objects.bulk_create(rows, batch_size=BATCH)
    return summary


# -- Matching ----------------------------------------------------------------------------------


def score(ours: str, listed: str) -> float:
    """How alike two normalised names are, 0-100 (see the module's documentation)."""
    result = fuzz.token_sort_ratio(ours, listed)
    if len(ours.split()) > 1 and len(listed.split()) > 1:
        result = max(result, fuzz.token_set_ratio(ours, listed))
    return float(result)


@dataclass(frozen=True)
class Match:
    screened_name: str
    listed: SanctionsName
    score: float


def organisation_names(partner: Partner) -> list[str]:
    """The partner's name and aliases, as written, without repeats (by normalised form)."""
    names, seen = [], set()
    for written in [partner.name, *partner.aliases.values_list("name", flat=True)]:
        key = normalise(written)
        if key and key not in seen:
            seen.add(key)
            names.append(written)
    return names


def matches(names: Iterable[str], threshold: int = THRESHOLD) -> list[Match]:
    """Listed names scoring `threshold` or more against any of `names`, best first."""
    candidates = list(
        SanctionsName.objects.select_related("entry", "entry__list").only(
            "id",
            "name",
            "normalised",
            "alias_type",
            "entry__external_id",
            "entry__name",
            "entry__entry_type",
            "entry__programs",
            "entry__remarks",
            "entry__list__name",
        )
    )
    keys = [c.normalised for c in candidates]
    # The token set ratio only between names of two words or more (see `score`).
    several = [i for i, key in enumerate(keys) if len(key.split()) > 1]
    several_keys = [keys[i] for i in several]
    best: dict[int, Match] = {}

    def note(written: str, index: int, value: float) -> None:
        listed = candidates[index]
        if listed.id not in best or value > best[listed.id].score:
            best[listed.id] = Match(written, listed, float(value))

    for written in names:
        ours = normalise(written)
        if not ours:
            continue
        for _key, value, index in process.extract(
            ours, keys, scorer=fuzz.token_sort_ratio, score_cutoff=threshold, limit=None
        ):
            note(written, index, value)
        if len(ours.split()) > 1:
            for _key, value, index in process.extract(
                ours, several_keys, scorer=fuzz.token_set_ratio, score_cutoff=threshold, limit=None
            ):
                note(written, several[index], value)
    return sorted(best.values(), key=lambda m: (-m.score, m.listed.name))


class NoLists(Conflict):
    """Screening refused: no list to screen against (a proposal is never accepted unscreened)."""


def screen(*, reviewer: User, proposal: Proposal, threshold: int = THRESHOLD) -> ScreeningRun:
    """Screen the proposing organisation's names against every imported list."""
    check_may_review(user=reviewer)
    # As stored now, not as the caller last read it.
    proposal = Proposal.objects.select_related("commitment__partner").get(pk=proposal.pk)
    check_in_review(
        proposal=proposal, message=_("Take the proposal for review before screening it.")
    )
    lists = list(SanctionsList.objects.order_by("name"))
    if not lists:
        raise NoLists(
            _("No sanctions list has been imported yet (adelante import sanctions): cannot screen.")
        )
    commitment = proposal.commitment
    partner = commitment.partner
    names = organisation_names(partner)
    found = matches(names, threshold)
    with transaction.atomic():
        run = ScreeningRun.objects.create(
            commitment=commitment,
            partner=partner,
            run_by=reviewer,
            threshold=threshold,
            names=names,
            lists=[{"name": x.name, "imported_at": x.imported_at.isoformat()} for x in lists],
        )
        for match in found:
            entry = match.listed.entry
            hit = ScreeningHit(
                run=run,
                screened_name=match.screened_name[:500],
                listed_name=match.listed.name,
                listed_entry_name=entry.name,
                alias_type=match.listed.alias_type,
                list_name=entry.list.name,
                external_id=entry.external_id,
                entry_type=entry.entry_type,
                programs=entry.programs,
                remarks=entry.remarks,
                score=Decimal(str(round(match.score, 2))),
            )
            history.save(hit, user=reviewer, reason=_("screening"))
        recording.log(
            Action.SCREENED,
            reviewer,
            commitment,
            names=names,
            lists=[x.name for x in lists],
            hits=len(found),
            threshold=threshold,
        )
    return run


def decide(*, reviewer: User, hit: ScreeningHit, decision: str, reason: str) -> ScreeningHit:
    """The reviewer's decision on a hit, with why (a hit may be decided again, with history),
    while the proposal is under review."""
    check_may_review(user=reviewer)
    reason = reason.strip()
    errors: dict[str, list[str]] = {}
    if decision not in (Decision.TRUE_MATCH, Decision.FALSE_POSITIVE):
        errors["decision"] = [_("Choose: true match or false positive.")]
    if not reason:
        errors["reason"] = [_("Say why: the decision is kept with your name.")]
    if errors:
        raise Invalid(field_errors=errors)
    with transaction.atomic():
        hit = ScreeningHit.objects.select_for_update().select_related("run").get(pk=hit.pk)
        proposal = Proposal.objects.filter(commitment_id=hit.run.commitment_id).first()
        if proposal is not None:
            check_in_review(
                proposal=proposal,
                message=_("Take the proposal for review before deciding hits."),
            )
        hit.decision, hit.decision_reason = decision, reason
        hit.decided_by, hit.decided_at = reviewer, timezone.now()
        history.save(hit, user=reviewer, reason=reason)
        recording.log(
            Action.HIT_DECIDED,
            reviewer,
            hit.run.commitment,
            reason=reason,
            decision=decision,
            screened_name=hit.screened_name,
            listed_name=hit.listed_name,
            list=hit.list_name,
            external_id=hit.external_id,
            score=hit.score,
        )
    return hit
