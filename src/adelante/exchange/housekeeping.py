"""Housekeeping of other apps' background jobs, run by `adelante cleanup` and `adelante worker`.

Both commands live here (the exchange app), below the apps whose jobs they also look after
(reports: generated documents). Those apps connect a receiver to these signals (in their
AppConfig.ready); each receiver returns one line for the command's output, or an empty string.
"""

from __future__ import annotations

from django.dispatch import Signal

#: Sent once a day by `adelante cleanup`: delete what has been kept long enough, queue again
#: the jobs whose worker was lost.
daily = Signal()
#: Sent by `adelante worker` as it starts: queue again the jobs whose worker was lost.
worker_starting = Signal()


def run(signal: Signal) -> list[str]:
    """Send the signal; the receivers' lines, in the order they were connected."""
    return [str(line) for _receiver, line in signal.send(sender=None) if line]
