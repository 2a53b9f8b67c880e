"""Partners that are likely one organisation recorded twice (docs/partners.md).

Two partners are likely duplicates when they share an organisation identifier, or when one's
name or alias, normalised (`naming.normalise`), is close to one of the other's: a rapidfuzz
token-sort ratio of at least `NAME_SCORE` (word order and small spelling differences do not
count). Staff decide: `merging.do_merge_partners` merges a pair.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from adelante.partners.models import Partner, PartnerAlias, PartnerIdentifier

#: The lowest name similarity (0 to 100) reported.
NAME_SCORE = 90


@dataclass
class LikelyDuplicate:
    """Two partners, the identifiers they share and how close their closest names are."""

    first: Partner
    second: Partner
    identifiers: list[str] = field(default_factory=list)
    score: int = 0
    names: tuple[str, str] = ("", "")
    """The two closest names (normalised)."""

    @property
    def sort_key(self) -> tuple[int, int, str]:
        return (-len(self.identifiers), -self.score, self.first.normalised_name)


def likely_duplicates(*, min_score: int = NAME_SCORE) -> list[LikelyDuplicate]:
    """Every likely duplicate pair, those sharing an identifier first, then by closeness."""
    partners = {p.pk: p for p in Partner.objects.all()}
    pairs: dict[tuple[int, int], LikelyDuplicate] = {}

    def pair(a: int, b: int) -> LikelyDuplicate:
        low, high = sorted((a, b))
        if (low, high) not in pairs:
            pairs[(low, high)] = LikelyDuplicate(partners[low], partners[high])
        return pairs[(low, high)]

    holders: dict[str, set[int]] = defaultdict(set)
    for identifier, partner_id in PartnerIdentifier.objects.values_list("identifier", "partner_id"):
        holders[identifier].add(partner_id)
    for identifier, ids in sorted(holders.items()):
        ordered = sorted(ids)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                pair(a, b).identifiers.append(identifier)

    keys = [(p.normalised_name, p.pk) for p in partners.values()]
    keys += list(PartnerAlias.objects.values_list("normalised_name", "partner_id"))
    names = [key for key, _pk in keys]
    for i, (a_key, a) in enumerate(keys):
        # Each name against the later ones only: every pair of names is scored once.
        later = names[i + 1 :]
        for b_key, score, j in process.extract(
            a_key, later, scorer=fuzz.token_sort_ratio, score_cutoff=min_score, limit=None
        ):
            b = keys[i + 1 + j][1]
            if a == b:
                continue  # a partner is no duplicate of itself
            found = pair(a, b)
            if score > found.score:
                found.score = int(score)
                found.names = (a_key, b_key)
    return sorted(pairs.values(), key=lambda p: p.sort_key)
