"""Reads through a two-server cluster on loopback (`python -m benchmarks cluster`, issue 11).

nginx with the shipped site (benchmarks/loopback.py) balances two gunicorn app servers
(deploy/gunicorn.conf.py) and one worker that share the configured PostgreSQL database and
Redis (under a key prefix of this run's own). A load generator reads the overview, the explorer
and the API list at each number of concurrent readers (keep-alive connections through nginx)
for a number of seconds: requests per second, p50/p95/p99 and errors. The load comes from wrk
(Debian's `wrk`, one thread, its latency percentiles reported by a Lua script) when it is
installed: written in C, it leaves the CPUs to the servers. Without it, a bounded Python load
(threads, each with one keep-alive HTTP connection) stands in, at the cost of the CPU its
threads take from the servers on a small machine. Then one commitment's summary is changed
through the ORM in this process (a new history row, so the record's stamp changes and cached
pages are out of date), and the same is measured again at once: "after a write". The floor,
measured in the same run, is `/healthz` through nginx (the bare round trip: proxy, app server,
no database query).

Goals (issue 11): p95 after a write at most 2x p95 before; the API list at least 1,000
requests/s at 10 readers. The load generator shares the machine with the servers: figures are
a lower bound of what the servers do on their own (much lower with the Python generator).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import math
import os
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.loopback import (
    BIN,
    DEPLOY,
    SRC,
    Processes,
    answers,
    free_port,
    nginx_wrapper,
    wait_for,
)

PAGES = (
    ("overview", "/en/"),
    ("explorer", "/en/commitments/"),
    ("API list", "/api/v1/commitments"),
)
FLOOR = ("floor", "/healthz")
REDIS_URL = "redis://127.0.0.1:6379/0"
MAX_WRITE_RATIO = 2.0
MIN_API_RPS = 1000.0
API_READERS = 10


@dataclass(frozen=True)
class Load:
    """What `readers` concurrent readers of `path` got in `seconds`: `answered` requests answered
    200 (or 3xx), `errors` (any other status, a broken connection, a timeout), and the latency
    percentiles in ms."""

    name: str
    path: str
    phase: str  # "before" or "after write"
    readers: int
    seconds: float
    answered: int
    errors: int
    p50: float
    p95: float
    p99: float

    @classmethod
    def from_latencies(
        cls,
        name: str,
        path: str,
        phase: str,
        readers: int,
        seconds: float,
        latencies_ms: Sequence[float],
        errors: int,
    ) -> Load:
        """From the Python generator's latencies (nearest-rank percentiles)."""
        return cls(
            name,
            path,
            phase,
            readers,
            seconds,
            len(latencies_ms),
            errors,
            percentile(latencies_ms, 50),
            percentile(latencies_ms, 95),
            percentile(latencies_ms, 99),
        )

    @property
    def requests(self) -> int:
        return self.answered + self.errors

    @property
    def rps(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        return {50: self.p50, 95: self.p95, 99: self.p99}[int(q)]


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile `q` (0 < q <= 100) of `values`; NaN if there are none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def run_load(
    port: int, path: str, *, readers: int, seconds: float, host: str = "127.0.0.1"
) -> tuple[list[float], int, float]:
    """`readers` threads, each with one keep-alive connection, GET `path` until `seconds` have
    passed: the latencies (ms) of the 200 answers, the errors (any other status, or a broken
    connection) and the seconds actually taken."""
    latencies: list[list[float]] = [[] for _ in range(readers)]
    errors = [0] * readers
    start = threading.Barrier(readers + 1)
    deadline = [0.0]

    def read(n: int) -> None:
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = latencies[n]
        headers = {"Host": host, "Accept-Encoding": "identity"}
        start.wait()
        try:
            while time.perf_counter() < deadline[0]:
                began = time.perf_counter()
                try:
                    client.request("GET", path, headers=headers)
                    response = client.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException):
                    errors[n] += 1
                    client.close()
                    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    continue
                if response.status == 200:
                    mine.append((time.perf_counter() - began) * 1000)
                else:
                    errors[n] += 1
        finally:
            client.close()

    threads = [threading.Thread(target=read, args=(n,), daemon=True) for n in range(readers)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start.wait()
    for thread in threads:
        thread.join()
    taken = time.perf_counter() - began
    return [ms for mine in latencies for ms in mine], sum(errors), taken


#: Debian's wrk, when installed (apt-get install wrk): the load generator of choice.
WRK = shutil.which("wrk")

# wrk's report as one line of JSON (latencies in microseconds), after its own text.
_WRK_REPORT = "ADELANTE-WRK "
_WRK_SCRIPT = """
wrk.headers["Host"] = "%(host)s"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "%(marker)s{\\"requests\\": %%d, \\"microseconds\\": %%d, \\"connect\\": %%d, "
    .. "\\"read\\": %%d, \\"write\\": %%d, \\"status\\": %%d, \\"timeout\\": %%d, "
    .. "\\"p50\\": %%d, \\"p95\\": %%d, \\"p99\\": %%d}\\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def run_wrk(
    port: int, path: str, *, readers: int, seconds: float, host: str = "127.0.0.1"
) -> tuple[int, int, float, tuple[float, float, float]]:
    """wrk with one thread and `readers` keep-alive connections GETs `path` for `seconds`
    (whole seconds, at least one: wrk's unit): the requests answered below 400, the errors
    (a status of 400 or more, a broken connection, a timeout), the seconds taken and the
    p50/p95/p99 latencies (ms) wrk measured."""
    if WRK is None:
        raise RuntimeError("wrk is not installed")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", encoding="utf-8") as script:
        script.write(_WRK_SCRIPT % {"host": host, "marker": _WRK_REPORT})
        script.flush()
        done = subprocess.run(
            [
                WRK,
                "-t1",
                f"-c{readers}",
                f"-d{max(1, round(seconds))}s",
                "--timeout=30s",
                f"-s{script.name}",
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 120,
        )
    lines = [line for line in done.stdout.splitlines() if line.startswith(_WRK_REPORT)]
    if not lines:
        raise RuntimeError(f"wrk said nothing of its own: {done.stdout}{done.stderr}")
    report = json.loads(lines[-1].removeprefix(_WRK_REPORT))
    errors = sum(report[k] for k in ("connect", "read", "write", "status", "timeout"))
    answered = report["requests"] - report["status"]
    percentiles = (report["p50"] / 1000, report["p95"] / 1000, report["p99"] / 1000)
    return answered, errors, report["microseconds"] / 1e6, percentiles


def generator() -> str:
    """The load generator this run uses: "wrk" when it is installed, otherwise "python"."""
    return "wrk" if WRK else "python"


def load(
    port: int,
    name: str,
    path: str,
    *,
    phase: str,
    readers: int,
    seconds: float,
    host: str = "127.0.0.1",
    using: str | None = None,
) -> Load:
    """One measurement of `path`, with wrk or the Python generator (`using`; default: wrk
    when installed)."""
    if (using or generator()) == "wrk":
        answered, errors, taken, (p50, p95, p99) = run_wrk(
            port, path, readers=readers, seconds=seconds, host=host
        )
        return Load(name, path, phase, readers, taken, answered, errors, p50, p95, p99)
    found, errors, taken = run_load(port, path, readers=readers, seconds=seconds, host=host)
    return Load.from_latencies(name, path, phase, readers, taken, found, errors)


def prime(port: int, paths: Sequence[str], *, host: str = "127.0.0.1") -> None:
    """GET each path once, one after another, so that its first computation is done (and
    stored) before any measurement, rather than by several readers at once."""
    for path in paths:
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        try:
            client.request("GET", path, headers={"Host": host})
            client.getresponse().read()
        finally:
            client.close()


def measure(
    port: int,
    *,
    readers: Sequence[int],
    seconds: float,
    phase: str,
    host: str = "127.0.0.1",
    using: str | None = None,
) -> list[Load]:
    """Each page (and the floor) at each number of readers, one after another."""
    return [
        load(port, name, path, phase=phase, readers=count, seconds=seconds, host=host, using=using)
        for count in readers
        for name, path in (FLOOR, *PAGES)
    ]


def format_table(loads: Sequence[Load], *, markdown: bool = False) -> str:
    """One row per page, phase and readers; the ratios are to the floor of the same readers
    and phase."""
    floors = {(load.phase, load.readers): load for load in loads if load.name == FLOOR[0]}
    header = (
        "page",
        "phase",
        "readers",
        "requests/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "errors",
        "p95 / floor",
        "req/s / floor",
    )
    rows = []
    for load in loads:
        floor = floors.get((load.phase, load.readers))
        p95_ratio = load.percentile(95) / floor.percentile(95) if floor else math.nan
        rps_ratio = load.rps / floor.rps if floor and floor.rps else math.nan
        rows.append(
            (
                load.name,
                load.phase,
                str(load.readers),
                f"{load.rps:.0f}",
                f"{load.percentile(50):.1f}",
                f"{load.percentile(95):.1f}",
                f"{load.percentile(99):.1f}",
                str(load.errors),
                f"{p95_ratio:.1f}x",
                f"{rps_ratio:.2f}",
            )
        )
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows, strict=True)]
    return "\n".join(
        "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True))
        for row in (header, *rows)
    )


def goals(loads: Sequence[Load]) -> list[str]:
    """The goals of issue 11, each with what was measured and whether it is met."""
    lines = []
    by = {(load.name, load.phase, load.readers): load for load in loads}
    for name, _path in PAGES:
        for readers in sorted({load.readers for load in loads}):
            before = by.get((name, "before", readers))
            after = by.get((name, "after write", readers))
            if before is None or after is None:
                continue
            ratio = after.percentile(95) / before.percentile(95)
            met = "met" if ratio <= MAX_WRITE_RATIO else "NOT met"
            lines.append(
                f"{name}, {readers} readers: p95 after a write {after.percentile(95):.1f} ms = "
                f"{ratio:.2f}x p95 before (goal <= {MAX_WRITE_RATIO:g}x): {met}"
            )
    api = by.get(("API list", "before", API_READERS))
    if api is not None:
        met = "met" if api.rps >= MIN_API_RPS else "NOT met"
        lines.append(
            f"API list at {API_READERS} readers: {api.rps:.0f} requests/s "
            f"(goal >= {MIN_API_RPS:,.0f}): {met}"
        )
    return lines


def write_one() -> str:
    """Change one commitment's summary through the ORM (a new history row: the record's stamp
    changes, as after an edit by staff); its id."""
    from adelante.commitments.models import Commitment

    commitment = Commitment.objects.order_by("pk").first()
    if commitment is None:
        raise RuntimeError("no commitment to change: fill the database first")
    commitment.summary = f"{commitment.summary.split(' [bench ')[0]} [bench {uuid.uuid4().hex[:8]}]"
    commitment.save()
    return str(commitment.pk)


@dataclass
class Cluster:
    processes: Processes
    nginx: int
    web_workers: int = 2

    def replaced_workers(self) -> int:
        """How many gunicorn workers the two app servers started after their first ones (a
        worker replaced after max_requests, one killed for a timeout): each spends about a
        second importing the application, and requests to its server may wait meanwhile
        (docs/benchmarks.md, "The one-second pauses")."""
        booted = sum(
            self.processes.log_of(name).count("Booting worker with pid") for name in ("a", "b")
        )
        return max(0, booted - 2 * self.web_workers)


@contextlib.contextmanager
def cluster(
    folder: Path, database_url: str, *, web_workers: int = 2, web_threads: int = 1
) -> Iterator[Cluster]:
    """nginx, two app servers and one worker on `database_url` and Redis (a key prefix of
    their own, deleted after); everything stopped on leaving."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.access(nginx, os.X_OK):
        raise RuntimeError("nginx is not installed (apt-get install nginx-light)")
    if not answers(6379):
        raise RuntimeError("no Redis on 127.0.0.1:6379")
    prefix = f"adelante-bench-{uuid.uuid4().hex[:12]}"
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR"}}
    env = {
        **keep,
        "PYTHONPATH": str(SRC),
        "PYTHONWARNINGS": "ignore",
        "DJANGO_SETTINGS_MODULE": "adelante.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or uuid.uuid4().hex * 2,
        "DEBUG": "0",
        "ADELANTE_ENV": "production",
        "ADELANTE_DATA_DIR": str(folder / "data"),
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "ADELANTE_CACHE_PREFIX": prefix,
        "ALLOWED_HOSTS": "127.0.0.1",
        "ADELANTE_TRUSTED_PROXIES": "127.0.0.1",
        # The load comes from one address: no API rate limit in the way.
        "API_RATE_LIMIT_ANONYMOUS": "100000000/60",
        "ADELANTE_WEB_WORKERS": str(web_workers),
        "ADELANTE_WEB_THREADS": str(web_threads),
    }
    subprocess.run(
        [str(BIN / "python"), "-m", "django", "collectstatic", "--noinput", "-v0"],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    processes = Processes(folder)
    ports = {"a": free_port(), "b": free_port(), "nginx": free_port()}
    try:
        for name in ("a", "b"):
            processes.start(
                name,
                [
                    str(BIN / "gunicorn"),
                    *("-c", str(DEPLOY / "gunicorn.conf.py"), "adelante.wsgi:application"),
                ],
                {**env, "ADELANTE_BIND": f"127.0.0.1:{ports[name]}"},
            )
        _forget_queued_tasks()
        # One worker, as in production: after a write it renders the pages served stale
        # meanwhile (docs/portal.md, "Caching"), on the same CPUs as the app servers; at a
        # lower priority, as deploy/systemd/adelante-worker.service runs it (Nice, CPUWeight),
        # so the readers' requests come first.
        processes.start("worker", ["nice", "-n", "10", str(BIN / "adelante"), "worker"], env)
        _lower_priority(processes.running["worker"].pid)
        wrapper = nginx_wrapper(folder, ports["nginx"], [ports["a"], ports["b"]])
        processes.start(
            "nginx",
            [nginx, "-e", f"{folder}/error.log", "-p", str(folder), "-c", str(wrapper)],
            env,
        )
        for name in ("a", "b", "nginx"):
            wait_for(lambda n=name: _healthy(ports[n]), 90, f"{name} answering", processes)
        yield Cluster(processes, ports["nginx"], web_workers)
    finally:
        with contextlib.ExitStack() as cleanup:
            cleanup.callback(_forget_keys, prefix)
            cleanup.callback(processes.kill_all)


def _forget_queued_tasks() -> None:
    """Drop the background tasks an earlier run left in the reused database (it stops its
    worker with pages still to render): they refresh pages and answers cached under that run's
    key prefix, long deleted, and would take CPU from this run's first measurements."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(
        status__in=(TaskResultStatus.READY, TaskResultStatus.RUNNING)
    ).delete()


def _lower_priority(pid: int) -> None:
    """With the kernel's automatic process groups (one per session, and each process here has
    its own), a process's nice value only orders it within its group: the group's own is
    lowered too (systemd's CPUWeight does this for the service's cgroup)."""
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/autogroup").write_text("10", encoding="ascii")


def _healthy(port: int) -> bool:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        client.request(
            "GET", "/healthz", headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        )
        return client.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        client.close()


def _forget_keys(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        found = list(client.scan_iter(match=f"{prefix}:*"))
        if found:
            client.delete(*found)
    finally:
        client.close()
