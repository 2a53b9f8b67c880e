"""The one module that computes every figure (DOMAIN.md, "How figures are computed").

The portal, the API, the exports, the reports and the command line ask these functions and
nothing else, so the same question gets the same number everywhere. They are plain functions
of dates returning small immutable results (`results`); none knows about HTTP.

- `committed`: committed as of a date, and its breakdowns (`committed_by`).
- `reached`: invested and people reached as of a date, from verified progress.
- `reconcile`: every official statement beside the record's figure and the gap.
- `record`: the record as it is now, or as it stood on an earlier day.
- `disclosure`: suppression of cells that would reveal a confidential amount.
"""
