"""Synthetic data for the benchmarks: `generator` makes it up, `bulk` writes it with its
history, `datasets` writes, recognises and wipes whole data sets."""
