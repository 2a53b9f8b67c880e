"""Finding the round a row belongs to, by its date and label, or planning a new one."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.text import slugify
from django.utils.translation import gettext as _

from adelante.commitments.models import Round
from adelante.exchange import cells
from adelante.exchange.problems import CellError
from adelante.initiatives import scope
from adelante.partners.slugs import SLUG_LENGTH, free_slug

LABEL_LENGTH = 200


@dataclass(eq=False)
class NewRound:
    """A round the import will create."""

    label: str
    slug: str
    announced_on: datetime.date
    line: int
    label_es: str = ""
    """The label in Spanish, from the first row of the round that gives one (`round_es`)."""


AnyRound = Round | NewRound


class RoundDirectory:
    """The initiative's rounds (the one in scope) plus those the file creates, by (date, label).

    The label must match exactly (after collapsing spaces); a new round's slug is made from
    its date and label, with "-2", "-3" … if another round already has it.
    """

    def __init__(self) -> None:
        # Rounds are the initiative's: another initiative's round of the same date and label is
        # another round.
        rounds = list(Round.objects.filter(scope.initiative_q()))
        self._by_key: dict[tuple[datetime.date, str], AnyRound] = {
            (r.announced_on, r.label): r for r in rounds
        }
        # A new round's slug is free among every initiative's rounds (slugs are unique).
        self._slugs = set(Round.objects.values_list("slug", flat=True))
        self.new_rounds: list[NewRound] = []

    def get(self, announced_on: datetime.date, label: str, line: int) -> AnyRound:
        label = " ".join(label.split())
        if not label:
            raise CellError(_("empty; the round's label is required"))
        cells.text(label, max_length=LABEL_LENGTH)
        found = self._by_key.get((announced_on, label))
        if found is None:
            found = NewRound(label, self._unique_slug(announced_on, label), announced_on, line)
            self._by_key[(announced_on, label)] = found
            self.new_rounds.append(found)
        return found

    def _unique_slug(self, announced_on: datetime.date, label: str) -> str:
        base = slugify(f"{announced_on.isoformat()}-{label}")[:SLUG_LENGTH].strip("-")
        slug = free_slug(base, self._slugs.__contains__)
        self._slugs.add(slug)
        return slug
