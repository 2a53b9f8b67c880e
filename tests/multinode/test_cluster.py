"""Adelante as a cluster on loopback (docs/deploy.md, "Tested as a cluster"): nginx from
Debian's package, with the shipped site, balancing two gunicorn app servers, plus a worker, all
sharing one PostgreSQL database, Redis and an S3 bucket (moto's server). Nothing is mocked:
each part is the real process the deployment runs, spoken to over HTTP.

It runs in the PostgreSQL suite only (several machines share a PostgreSQL server; the embedded
SQLite database is one machine's). Without nginx, Redis or moto's server mode it is skipped,
saying why, unless ADELANTE_REQUIRE_REDIS=1 / ADELANTE_REQUIRE_S3=1 / ADELANTE_REQUIRE_NGINX=1
(.ci/run sets them) make that a failure."""

from __future__ import annotations

import concurrent.futures
import contextlib
import csv
import io
import json
import os
import re
import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from benchmarks.loopback import (
    BIN,
    DEPLOY,
    PASSWORD,
    SECRET,
    SRC,
    Browser,
    Processes,
    answers,
    free_port,
    nginx_wrapper,
    wait_for,
)
from tests.exchange.conftest import commitment

NGINX = shutil.which("nginx") or (
    "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None
)
REDIS_URL = "redis://127.0.0.1:6379/0"
S3_KEY, S3_SECRET, S3_REGION = "adelante-test", "adelante-test-secret", "us-east-1"
SIGN_IN_LIMIT = 5  # ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS (the default)

#: Users made in the cluster's database before the servers start.
SETUP = f"""
import django
django.setup()
from django.core.management import call_command
from django.contrib.auth.models import User
from adelante.accounts.grants import grant
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
grant(User.objects.create_user("staffer", password={PASSWORD!r}), "secretariat-reviewer")
User.objects.create_user("member", password={PASSWORD!r})
"""


#: A partner's commitment that reports through the platform, a member of the partner and a
#: report started for its first period (argv: partner name, username); prints the partner's
#: slug and the report's id. Run with the cluster's settings (`_run_django`).
EVIDENCE_SETUP = f"""
import datetime, json, sys
import django
django.setup()
from django.contrib.auth.models import User
from adelante.accounts.grants import grant
from adelante.workflow import reporting
from tests import builders
name, username = sys.argv[1:3]
made = builders.commitment(
    name, "1000000", datetime.date(2023, 2, 6), countries=("GT",), reporting=True
)
member = User.objects.create_user(username, password={PASSWORD!r})
grant(member, "partner-member", partner_slug=made.partner.slug)
report = reporting.start_report(
    user=member,
    commitment=made,
    period_start=datetime.date(2023, 2, 6),
    period_end=datetime.date(2023, 6, 30),
)
print(json.dumps({{"partner": made.partner.slug, "report": report.pk}}))
"""
#: The evidence file a partner uploads (a PDF by its content, as the upload check reads it).
EVIDENCE_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def _missing(variable: str, reason: str) -> None:
    if os.environ.get(variable) == "1":
        pytest.fail(f"{variable}=1, but {reason}")
    pytest.skip(f"{reason} ({variable}=1 makes this a failure)")


@dataclass
class Cluster:
    processes: Processes
    env: dict[str, str]
    ports: dict[str, int]
    database: str
    dsn: str

    @property
    def a(self) -> int:
        return self.ports["a"]

    @property
    def b(self) -> int:
        return self.ports["b"]

    @property
    def nginx(self) -> int:
        return self.ports["nginx"]

    def start_app(self, name: str) -> None:
        env = {
            **self.env,
            "ADELANTE_BIND": f"127.0.0.1:{self.ports[name]}",
            "ADELANTE_WEB_WORKERS": "2",
        }
        self.processes.start(
            name,
            [
                str(BIN / "gunicorn"),
                *("-c", str(DEPLOY / "gunicorn.conf.py"), "adelante.wsgi:application"),
            ],
            env,
        )

    def wait_ready(self, name: str) -> None:
        port = self.ports[name]

        def ready() -> bool:
            assert self.processes.alive(name), self.processes.logs()
            try:
                return Browser().get(port, "/healthz").status == 200
            except OSError:
                return False

        wait_for(ready, 60, f"app server {name} answering", self.processes)

    def start_worker(self) -> None:
        self.processes.start("worker", [str(BIN / "adelante"), "worker"], self.env)

    def query(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.dsn, autocommit=True) as db:
            return db.execute(sql, args).fetchall()


def _server_dsn() -> tuple[str, dict[str, Any]]:
    settings = connection.settings_dict
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return f"postgres://{auth}@{host}", settings


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if connection.vendor != "postgresql":
        pytest.skip("the cluster shares a PostgreSQL server: it runs in the PostgreSQL suite")
    if NGINX is None:
        _missing("ADELANTE_REQUIRE_NGINX", "nginx is not installed (.ci/run installs it)")
    if not answers(6379):
        _missing("ADELANTE_REQUIRE_REDIS", "no Redis on 127.0.0.1:6379")
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        _missing("ADELANTE_REQUIRE_S3", 'moto\'s server mode is not installed ("moto[server]")')
    import boto3
    import psycopg

    folder = tmp_path_factory.mktemp("cluster")
    server_url, _settings = _server_dsn()
    database = f"adelante_cluster_{uuid.uuid4().hex[:12]}"
    prefix = f"adelante-cluster-{uuid.uuid4().hex[:12]}"
    processes = Processes(folder)
    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    s3.start()
    try:
        host, s3_port = s3.get_host_and_port()
        endpoint = f"http://{host}:{s3_port}"
        bucket = f"adelante-{uuid.uuid4().hex[:12]}"
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=S3_REGION,
            aws_access_key_id=S3_KEY,
            aws_secret_access_key=S3_SECRET,
        ).create_bucket(Bucket=bucket)
        dsn = f"{server_url}/{database}"
        keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR"}}
        env = {
            **keep,
            "PYTHONPATH": str(SRC),
            "PYTHONWARNINGS": "ignore",
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "adelante.settings",
            "SECRET_KEY": SECRET,
            "DEBUG": "0",
            "ADELANTE_ENV": "production",
            # The installation's own folder (static files); the files themselves are in S3.
            "ADELANTE_DATA_DIR": str(folder / "data"),
            "DATABASE_URL": dsn,
            "REDIS_URL": REDIS_URL,
            "ADELANTE_CACHE_PREFIX": prefix,
            "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": endpoint,
            "S3_REGION": S3_REGION,
            "S3_ACCESS_KEY_ID": S3_KEY,
            "S3_SECRET_ACCESS_KEY": S3_SECRET,
            "S3_PREFIX": "adelante/",
            "ALLOWED_HOSTS": "127.0.0.1",
            "ADELANTE_TRUSTED_PROXIES": "127.0.0.1",
            # The read load comes from one address: no API rate limit in the way.
            "API_RATE_LIMIT_ANONYMOUS": "100000/60",
            # A job with no progress for 1.2 s has lost its worker (the kill test's worker).
            "ADELANTE_JOB_STALLED_MINUTES": "0.02",
        }
        ports = {"a": free_port(), "b": free_port(), "nginx": free_port()}
        made = Cluster(processes, env, ports, database, dsn)
        setup = subprocess.run(
            [str(BIN / "python"), "-c", SETUP],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert setup.returncode == 0, setup.stderr[-3000:]
        for name in ("a", "b"):
            made.start_app(name)
        made.start_worker()
        wrapper = nginx_wrapper(folder, ports["nginx"], [ports["a"], ports["b"]])
        processes.start(
            "nginx",
            [str(NGINX), "-e", f"{folder}/error.log", "-p", str(folder), "-c", str(wrapper)],
            env,
        )
        for name in ("a", "b"):
            made.wait_ready(name)
        wait_for(lambda: answers(ports["nginx"]), 30, "nginx listening", processes)
        yield made
    finally:
        # Each step even if one before it failed: no process, database or key left behind.
        with contextlib.ExitStack() as cleanup:
            cleanup.callback(_forget_keys, prefix)
            cleanup.callback(_drop, server_url, database)
            cleanup.callback(s3.stop)
            cleanup.callback(processes.kill_all)


def _drop(server_url: str, database: str) -> None:
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _forget_keys(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        found = list(client.scan_iter(match=f"{prefix}:*"))
        if found:
            client.delete(*found)
    finally:
        client.close()


# -- helpers -------------------------------------------------------------------------------


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _post_upload(
    browser: Browser,
    port: int,
    rows: list[dict[str, str]],
    name: str = "commitments.csv",
    host: str | None = None,
) -> Any:
    """Upload a commitments file as staff: the answer."""
    from urllib3 import encode_multipart_formdata

    body, content_type = encode_multipart_formdata(
        {
            "kind": "commitments",
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            "file": (name, _csv(rows), "text/csv"),
        }
    )
    return browser.post(port, "/en/staff/import/", body=body, content_type=content_type, host=host)


def _upload(browser: Browser, port: int, rows: list[dict[str, str]]) -> str:
    """Upload a commitments file as staff; the job's id."""
    browser.get(port, "/en/staff/import/")
    answer = _post_upload(browser, port, rows)
    assert answer.status == 302, answer.body[-2000:]
    return str(answer.headers["location"].rstrip("/").rsplit("/", 1)[1])


def _state(cluster: Cluster, job: str) -> str:
    rows = cluster.query("SELECT state FROM exchange_importjob WHERE id = %s", uuid.UUID(job))
    return str(rows[0][0])


def _confirm(browser: Browser, port: int, job: str) -> None:
    path = f"/en/staff/import/jobs/{job}/confirm/"
    answer = browser.post(port, path, form={"csrfmiddlewaretoken": browser.cookies["csrftoken"]})
    assert answer.status == 302, answer.body[-2000:]


def _count(cluster: Cluster, partner: str) -> int:
    return int(
        cluster.query(
            "SELECT count(*) FROM commitments_commitment c JOIN partners_partner p "
            "ON p.id = c.partner_id WHERE p.name = %s",
            partner,
        )[0][0]
    )


# -- the tests -----------------------------------------------------------------------------


def test_nginx_balances_the_two_app_servers(cluster: Cluster) -> None:
    visitor = Browser()
    for port in (cluster.a, cluster.b):
        direct = visitor.get(port, "/readyz")
        assert direct.status == 200, direct.body
    log = Path(cluster.processes.folder) / "adelante.access.log"
    before = log.stat().st_size if log.exists() else 0
    ids = []
    for _n in range(4):
        page = visitor.get(
            cluster.nginx, "/en/", host="127.0.0.1", headers={"X-Request-ID": "client-chosen-1"}
        )
        assert page.status == 200, page.body[-2000:]
        ids.append(page.headers["x-request-id"])
    # nginx's own request id replaced the client's, reached the app server and came back.
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids) and len(set(ids)) == 4
    # nginx writes a request's log line once the response has gone: the client may read the
    # last response before its line is there. Read until all four are.
    logged: list[dict[str, str]] = []
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with log.open(encoding="utf-8") as lines:
            lines.seek(before)
            logged = [dict(re.findall(r"(rid|upstream)=(\S+)", line)) for line in lines]
        if len(logged) >= len(ids):
            break
        time.sleep(0.1)
    assert [entry["rid"] for entry in logged] == ids
    upstreams = {entry["upstream"] for entry in logged}
    assert upstreams == {f"127.0.0.1:{cluster.a}", f"127.0.0.1:{cluster.b}"}


def test_sign_in_failures_on_both_servers_lock_at_one_servers_count(cluster: Cluster) -> None:
    visitor = Browser()
    statuses = []
    for n in range(SIGN_IN_LIMIT):
        port = (cluster.a, cluster.b)[n % 2]
        statuses.append(visitor.sign_in(port, "member", "wrong").status)
    assert statuses == [200] * SIGN_IN_LIMIT
    # The right password, on either server, is now refused: the count is the account's.
    assert visitor.sign_in(cluster.b, "member", PASSWORD).status == 429
    assert Browser().sign_in(cluster.a, "member", PASSWORD).status == 429


def test_an_import_through_a_is_confirmed_through_b_and_both_show_it(cluster: Cluster) -> None:
    staff = Browser()
    assert staff.sign_in(cluster.a, "staffer", PASSWORD).status == 302
    partner = f"Cluster Partner {uuid.uuid4().hex[:6]}"
    job = _upload(staff, cluster.a, [commitment(partner=partner, amount_usd="7654321")])
    # The file is in the bucket, not on any app server's disk; the worker checks it.
    assert not (Path(cluster.env["ADELANTE_DATA_DIR"]) / "media").exists()
    wait_for(lambda: _state(cluster, job) == "checked", 20, "the check", cluster.processes)
    # The same session (Redis) and the same job (the database) on the other server.
    page = staff.get(cluster.b, f"/en/staff/import/jobs/{job}/")
    assert page.status == 200 and partner in page.body
    _confirm(staff, cluster.b, job)
    wait_for(lambda: _state(cluster, job) == "imported", 20, "the import", cluster.processes)

    def shown() -> bool:
        return all(
            partner in Browser().get(port, "/api/v1/commitments?page_size=100").body
            and "7,654,321" in Browser().get(port, "/en/").body
            for port in (cluster.a, cluster.b)
        )

    wait_for(shown, 10, "both servers showing the import", cluster.processes)
    assert _count(cluster, partner) == 1


def _run_django(cluster: Cluster, code: str, *args: str) -> Any:
    """Python with Django set up as the cluster's servers are (and the tests' builders
    importable); what it printed, read as JSON."""
    env = {**cluster.env, "PYTHONPATH": f"{SRC}{os.pathsep}{SRC.parent}"}
    done = subprocess.run(
        [str(BIN / "python"), "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _form_version(page: str) -> str:
    found = re.search(r'name="version" value="([^"]*)"', page)
    return found.group(1) if found else ""


def test_evidence_sent_through_a_is_verified_through_b_and_both_show_the_figure(
    cluster: Cluster,
) -> None:
    # The story: a partner uploads evidence through app server A; a reviewer verifies
    # it through B; within 10 s both servers' overviews show the new invested figure.
    from urllib3 import encode_multipart_formdata

    tag = uuid.uuid4().hex[:6]
    made = _run_django(cluster, EVIDENCE_SETUP, f"Evidence Partner {tag}", f"reporter-{tag}")
    partner, report = made["partner"], made["report"]
    amount = "4,321,987"

    reporter = Browser()
    assert reporter.sign_in(cluster.a, f"reporter-{tag}", PASSWORD).status == 302
    path = f"/en/partner/{partner}/reports/{report}/"
    form = reporter.get(cluster.a, path)
    assert form.status == 200
    body, content_type = encode_multipart_formdata(
        {
            "csrfmiddlewaretoken": reporter.cookies["csrftoken"],
            "version": _form_version(form.body),
            "action": "submit",
            "value_usd_invested": amount,
            "narrative": "Two cohorts trained; receipts attached.",
            "evidence": ("receipts.pdf", EVIDENCE_PDF, "application/pdf"),
            "evidence_description": "Receipts",
        }
    )
    sent = reporter.post(cluster.a, path, body=body, content_type=content_type)
    assert sent.status == 302, sent.body[-3000:]
    ((evidence, stored),) = cluster.query(
        "SELECT id, file FROM workflow_evidence WHERE report_id = %s", report
    )
    # The file is in the bucket, not on app server A's disk.
    assert _in_bucket(cluster, stored)
    assert not (Path(cluster.env["ADELANTE_DATA_DIR"]) / "media").exists()

    reviewer = Browser()
    assert reviewer.sign_in(cluster.b, "staffer", PASSWORD).status == 302
    review = f"/en/secretariat/reports/{report}/"
    assert reviewer.get(cluster.b, review).status == 200
    # B serves the file A received, byte for byte, through the permission-checked view.
    download = reviewer.get(cluster.b, f"/en/partner/{partner}/evidence/{evidence}/")
    assert download.status == 200 and download.body.encode() == EVIDENCE_PDF
    verified = reviewer.post(
        cluster.b,
        review,
        form={
            "csrfmiddlewaretoken": reviewer.cookies["csrftoken"],
            "action": "verify",
            "verify-level": "secretariat_reviewed",
            "verify-note": "Receipts match.",
        },
    )
    assert verified.status == 302, verified.body[-3000:]

    def shown() -> bool:
        return all(amount in Browser().get(port, "/en/").body for port in (cluster.a, cluster.b))

    wait_for(shown, 10, "both servers showing the invested figure", cluster.processes)


def test_a_killed_app_server_fails_no_get_at_the_balancer(cluster: Cluster) -> None:
    """Reads through nginx while app server B is killed (SIGKILL to gunicorn's master and its
    workers): none fails. Uploads sent at the same time either complete (302, a job with its
    file in the bucket) or are refused cleanly (502 from nginx, which never sends a POST to a
    second server): never sent twice, never a job without its file."""
    stop = threading.Event()
    failures: list[str] = []
    done = [0]
    posted: list[int] = []
    name = f"inflight-{uuid.uuid4().hex[:8]}.csv"
    staff = Browser()
    assert staff.sign_in(cluster.nginx, "staffer", PASSWORD, host="127.0.0.1").status == 302

    def read(path: str) -> None:
        visitor = Browser()
        while not stop.is_set():
            try:
                answer = visitor.get(cluster.nginx, path, host="127.0.0.1")
                if answer.status != 200:
                    failures.append(f"{path}: {answer.status}")
            except OSError as error:
                failures.append(f"{path}: {error!r}")
            done[0] += 1

    def upload() -> None:
        while not stop.is_set():
            rows = [commitment(partner=f"In flight {uuid.uuid4().hex[:6]}")]
            answer = _post_upload(staff, cluster.nginx, rows, name=name, host="127.0.0.1")
            posted.append(answer.status)

    paths = ["/en/", "/api/v1/commitments", "/en/", "/api/v1/commitments"]
    try:
        with concurrent.futures.ThreadPoolExecutor(len(paths) + 1) as pool:
            workers = [pool.submit(read, p) for p in paths] + [pool.submit(upload)]
            time.sleep(1)
            cluster.processes.kill("b")
            time.sleep(2)
            stop.set()
            for worker in workers:
                worker.result()
        assert done[0] > len(paths)
        assert failures == []
        assert posted and set(posted) <= {302, 502}, posted
        jobs = cluster.query("SELECT stored FROM exchange_importjob WHERE name = %s", name)
        # Each upload made at most one job (a 502 may still have made one, if B was killed
        # after its commit and before its answer); each job has its file.
        assert posted.count(302) <= len(jobs) <= len(posted)
        assert all(stored and _in_bucket(cluster, stored) for (stored,) in jobs)
    finally:
        cluster.start_app("b")  # back, for the other tests
        cluster.wait_ready("b")
        # The worker has checked every upload (none left for the next test's worker).
        wait_for(
            lambda: (
                not cluster.query(
                    "SELECT 1 FROM exchange_importjob WHERE name = %s AND state = 'checking'", name
                )
            ),
            30,
            "the uploads checked",
            cluster.processes,
        )


def _in_bucket(cluster: Cluster, stored: str) -> bool:
    import boto3
    import botocore.exceptions

    env = cluster.env
    s3 = boto3.client(
        "s3",
        endpoint_url=env["S3_ENDPOINT_URL"],
        region_name=env["S3_REGION"],
        aws_access_key_id=env["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=env["S3_SECRET_ACCESS_KEY"],
    )
    try:
        s3.head_object(Bucket=env["S3_BUCKET"], Key=env["S3_PREFIX"] + stored)
    except botocore.exceptions.ClientError:
        return False
    return True


def test_a_job_whose_worker_is_killed_is_run_again_and_written_once(cluster: Cluster) -> None:
    import psycopg

    staff = Browser()
    assert staff.sign_in(cluster.b, "staffer", PASSWORD).status == 302
    partner = f"Killed Worker {uuid.uuid4().hex[:6]}"
    rows = [
        commitment(partner=partner, amount_usd=str(1000 + n), summary=f"row {n}") for n in range(3)
    ]
    job = _upload(staff, cluster.b, rows)
    wait_for(lambda: _state(cluster, job) == "checked", 20, "the check", cluster.processes)
    # The test holds a lock on the commitments table: the worker's import, inside its one
    # transaction, waits for it half-way; then the worker is killed.
    with psycopg.connect(cluster.dsn) as blocker:
        blocker.execute("LOCK TABLE commitments_commitment IN EXCLUSIVE MODE")
        _confirm(staff, cluster.a, job)
        waiting = wait_for(
            lambda: cluster.query(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
                cluster.database,
            ),
            20,
            "the import waiting half-way",
            cluster.processes,
        )
        cluster.processes.kill("worker")
        blocker.rollback()
    # The killed worker's connection goes, and its transaction with it: nothing written.
    wait_for(
        lambda: not cluster.query("SELECT 1 FROM pg_stat_activity WHERE pid = %s", waiting[0][0]),
        20,
        "the killed worker's connection closing",
        cluster.processes,
    )
    assert _count(cluster, partner) == 0
    assert _state(cluster, job) == "importing"
    # A new worker, once the job has been still for longer than ADELANTE_JOB_STALLED_MINUTES,
    # queues it again as it starts, and runs it.
    wait_for(
        lambda: cluster.query(
            "SELECT 1 FROM exchange_importjob WHERE id = %s AND updated_at < now() - "
            "make_interval(secs => %s * 60)",
            uuid.UUID(job),
            float(cluster.env["ADELANTE_JOB_STALLED_MINUTES"]),
        ),
        20,
        "the job still for longer than ADELANTE_JOB_STALLED_MINUTES",
        cluster.processes,
    )
    cluster.start_worker()
    wait_for(
        lambda: _state(cluster, job) == "imported", 30, "the retried import", cluster.processes
    )
    log = cluster.processes.log_of("worker")
    assert "queued again: 1 job(s) whose worker was lost" in log, log
    assert _count(cluster, partner) == len(rows)
    written = cluster.query("SELECT written FROM exchange_importjob WHERE id = %s", uuid.UUID(job))
    assert written == [(len(rows),)]
