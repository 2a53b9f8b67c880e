"""Production settings plus the benchmarks app: what `python -m benchmarks` runs with.

Measured as in production (same middleware, caches and database settings); the app only adds
the table that records the synthetic data sets written into a benchmark database.
"""

from adelante.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]  # noqa: F405
