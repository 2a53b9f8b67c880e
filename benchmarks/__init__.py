"""Adelante's benchmarks and the synthetic data they run on (docs/benchmarks.md).

Not part of the installed package (pyproject.toml packages only src/): run them from a clone,
`python -m benchmarks figures|pages|exchange|iati|synth …`. This package is also a Django app,
installed only by `benchmarks.settings` (and the test settings), for the record it keeps of
the synthetic data sets in a database (`benchmarks.models.SyntheticDataset`).
"""
