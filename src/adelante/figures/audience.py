"""Who a figure is computed for (DOMAIN rule 7: non-interference of confidential amounts).

Every figure function that adds up commitment amounts takes an `audience` (keyword, default
`Audience.PUBLIC`). The figures module never works it out from a request: the door that
answers (a portal view, the API, a report, a command) decides, from the reader's role
(`adelante.accounts.roles.figures_audience`), and passes it down.

- `PUBLIC`: confidential amounts are left out of every total and every cell, and only
  counted ("plus 2 commitments with a confidential amount, not in this total"). Whatever
  the confidential amounts are, a public figure is the same, to the byte.
- `CONFIDENTIAL_ALLOWED`: the secretariat and government viewers. Totals include confidential
  amounts; breakdown cells whose confidential amounts come from fewer than three partners are
  suppressed, with secondary cells where a suppressed one could be worked out from the total
  (`disclosure.suppress`). One partner's total that includes a confidential amount is
  suppressed too (one partner is fewer than three).
"""

from __future__ import annotations

import enum


class Audience(enum.StrEnum):
    PUBLIC = "public"
    CONFIDENTIAL_ALLOWED = "confidential-allowed"

    @property
    def includes_confidential(self) -> bool:
        return self is Audience.CONFIDENTIAL_ALLOWED
