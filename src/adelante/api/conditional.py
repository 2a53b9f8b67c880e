"""When the record last changed, for Last-Modified and conditional GET.

Every change to the record is kept in the history tables (DOMAIN rule 6), so the latest
history entry of any of them is when the published record last changed. That is the record's
state (`adelante.recordstate`), the one the response cache and the ETags are keyed by: the same
tables, the same exceptions (history no public output shows, a correction before it is
decided), so Last-Modified can never say "not modified" about a change the ETag sees.
"""

from __future__ import annotations

import datetime

from adelante.recordstate import trusted_state


def record_last_changed() -> datetime.datetime | None:
    """The time of the latest change to the record (None for an empty record); one query,
    each table's MAX read at the end of its index."""
    return trusted_state().changed
