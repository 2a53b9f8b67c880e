"""`python -m benchmarks cluster`: the load generator and its percentiles on a tiny local
server, and the whole benchmark at a tiny size on a real cluster (PostgreSQL suite only)."""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from io import StringIO
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from django.core.management import call_command
from django.db import connection

from benchmarks import cluster as bench
from benchmarks.loopback import answers


def test_percentiles_are_nearest_rank() -> None:
    values = [float(n) for n in range(100, 0, -1)]  # 100 .. 1, unsorted
    assert bench.percentile(values, 50) == 50
    assert bench.percentile(values, 95) == 95
    assert bench.percentile(values, 99) == 99
    assert bench.percentile(values, 100) == 100
    assert bench.percentile([7.0], 99) == 7
    assert bench.percentile([], 50) != bench.percentile([], 50)  # NaN


class _Quiet(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as nginx does

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def tiny_server() -> Iterator[int]:
    """200 on /ok, 500 on anything else."""

    def app(environ: dict[str, Any], start: Any) -> list[bytes]:
        ok = environ["PATH_INFO"] == "/ok"
        body = b"ok" if ok else b"no"
        start(
            "200 OK" if ok else "500 Internal Server Error",
            [("Content-Length", str(len(body))), ("Content-Type", "text/plain")],
        )
        return [body]

    server = make_server("127.0.0.1", 0, app, WSGIServer, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()


def test_the_load_counts_answers_and_errors(tiny_server: int) -> None:
    found, errors, taken = bench.run_load(tiny_server, "/ok", readers=1, seconds=0.3)
    assert found and errors == 0 and taken >= 0.3
    assert all(ms >= 0 for ms in found)
    found, errors, _taken = bench.run_load(tiny_server, "/broken", readers=1, seconds=0.2)
    assert not found and errors > 0


@pytest.mark.skipif(bench.WRK is None, reason="wrk is not installed (apt-get install wrk)")
def test_wrk_counts_answers_and_errors(tiny_server: int) -> None:
    found = bench.load(tiny_server, "ok", "/ok", phase="before", readers=2, seconds=1, using="wrk")
    assert found.answered > 0 and found.errors == 0 and found.seconds >= 1
    assert 0 < found.p50 <= found.p95 <= found.p99
    broken = bench.load(
        tiny_server, "broken", "/broken", phase="before", readers=1, seconds=1, using="wrk"
    )
    assert broken.answered == 0 and broken.errors > 0


def test_the_table_has_ratios_to_the_floor_and_the_goals() -> None:
    def load(name: str, phase: str, ms: float, count: int) -> bench.Load:
        return bench.Load.from_latencies(name, "/", phase, 10, 1.0, (ms,) * count, 0)

    loads = [
        load("floor", "before", 1.0, 2000),
        load("API list", "before", 4.0, 1500),
        load("floor", "after write", 1.0, 2000),
        load("API list", "after write", 10.0, 100),
    ]
    table = bench.format_table(loads)
    assert re.search(
        r"API list\s+before\s+10\s+1500\s+4\.0\s+4\.0\s+4\.0\s+0\s+4\.0x\s+0\.75", table
    )
    goals = bench.goals(loads)
    assert any("2.50x p95 before" in g and "NOT met" in g for g in goals)
    assert any("1500 requests/s" in g and ": met" in g for g in goals)


# Serialized rollback: the rows migrations left (the metric catalogue the synthetic data
# needs) are put back first, whatever a transactional test before it on this worker flushed.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_cluster_benchmark_at_a_tiny_size() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the cluster shares a PostgreSQL database: it runs in the PostgreSQL suite")
    if not (shutil.which("nginx") or os.access("/usr/sbin/nginx", os.X_OK)):
        pytest.skip("nginx is not installed")
    if not answers(6379):
        pytest.skip("no Redis on 127.0.0.1:6379")
    out = StringIO()
    call_command(
        "benchmark_cluster",
        "--in-place",
        "--commitments=200",
        "--seconds=0.3",
        "--readers=1,2",
        stdout=out,
        stderr=StringIO(),
    )
    text = out.getvalue()
    rows = [
        line.split()
        for line in text.splitlines()
        if re.match(r"(floor|overview|explorer|API list) +(before|after write) ", line)
    ]
    # Floor and three pages, two numbers of readers, before and after a write.
    assert len(rows) == 16, text
    for row in rows:
        errors = row[-3]
        assert errors == "0", text
    assert "p95 after a write" in text and "200 commitments" in text
    # At this size and length no worker reaches max_requests (deploy/gunicorn.conf.py).
    assert "gunicorn workers replaced during the run: 0." in text, text
