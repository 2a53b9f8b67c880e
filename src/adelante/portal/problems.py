"""Problems with a page's query parameters, reported to the reader instead of a server error."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.functional import Promise


class BadParameters(ValueError):
    """One or more query parameters cannot be used; each problem is a sentence for the reader.

    `drop` names the parameters to leave out of the "try again without them" link.
    """

    def __init__(self, problems: Sequence[str | Promise], drop: Sequence[str] = ()) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = tuple(str(p) for p in problems)
        self.drop = tuple(drop)
