"""The deployment kit (deploy/; docs/deploy.md): nginx accepts the site, gunicorn loads its
configuration and serves the application with it, and the systemd units are valid and run
commands the installation has."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Every check runs processes of its own (nginx, gunicorn, adelante), on an embedded database of
# their own or none.
pytestmark = pytest.mark.any_database

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
SRC = ROOT / "src"
BIN = Path(sys.executable).parent
#: Debian's nginx is in /usr/sbin, which a user's PATH may not have.
NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None
)
SECRET = "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def _env(data_dir: Path, **values: str) -> dict[str, str]:
    """A production-like environment: DEBUG off, a key, the embedded database in data_dir."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ADELANTE_", "DJANGO_", "PROMETHEUS_"))
        and k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "LOG_FORMAT"}
    }
    env.update(
        PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
        SECRET_KEY=SECRET,
        DEBUG="0",
        ADELANTE_ENV="production",
        ADELANTE_DATA_DIR=str(data_dir),
        ALLOWED_HOSTS="127.0.0.1",
        PYTHONWARNINGS="ignore",
        **values,
    )
    return env


# -- nginx ---------------------------------------------------------------------------------


def _site_in_a_wrapper(tmp_path: Path) -> Path:
    """The site, its certificate and log paths pointed at files made here, inside the smallest
    nginx.conf that includes it (as Debian's includes sites-enabled/ in its http block)."""
    key, certificate = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=adelante.example.org", "-keyout", str(key), "-out", str(certificate)),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    site = (DEPLOY / "nginx" / "adelante.conf").read_text(encoding="utf-8")
    site, certificates = re.subn(
        r"ssl_certificate\s+\S+;", f"ssl_certificate {tmp_path}/cert.pem;", site
    )
    site, keys = re.subn(
        r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {tmp_path}/key.pem;", site
    )
    assert certificates == keys == 1
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    temp = "\n".join(
        f"    {kind}_temp_path {tmp_path}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    wrapper = tmp_path / "nginx.conf"
    wrapper.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n{temp}\n    access_log {tmp_path}/access.log;\n"
        f"    include {tmp_path}/site.conf;\n}}\n",
        encoding="utf-8",
    )
    return wrapper


def _nginx_t(wrapper: Path) -> subprocess.CompletedProcess[str]:
    folder = str(wrapper.parent)
    return subprocess.run(
        [str(NGINX), "-t", "-q", "-e", f"{folder}/error.log", "-p", folder, "-c", str(wrapper)],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.skipif(
    not shutil.which("nginx"), reason="nginx is not installed (.ci/run installs it)"
)
def test_nginx_accepts_the_site(tmp_path):
    wrapper = _site_in_a_wrapper(tmp_path)
    done = _nginx_t(wrapper)
    assert done.returncode == 0, done.stderr
    # ... and the same check refuses a broken site: it does test something.
    site = tmp_path / "site.conf"
    site.write_text(site.read_text().replace("proxy_next_upstream ", "proxy_next_upstrem "))
    assert _nginx_t(wrapper).returncode != 0


def test_nginx_closes_idle_upstream_connections_before_gunicorn_does():
    """A request nginx sends on a kept-alive connection that gunicorn is closing at that moment
    fails; a POST is not retried, so it would be a 502. nginx must give idle connections up
    first (threaded workers keep them alive; deploy/gunicorn.conf.py's keepalive)."""
    site = (DEPLOY / "nginx" / "adelante.conf").read_text(encoding="utf-8")
    (upstream,) = re.findall(r"upstream adelante \{(.*?)\}", site, flags=re.S)
    (nginx_idle,) = re.findall(r"^\s*keepalive_timeout (\d+)s;", upstream, flags=re.M)
    config = (DEPLOY / "gunicorn.conf.py").read_text(encoding="utf-8")
    (gunicorn_idle,) = re.findall(r"^keepalive = (\d+)$", config, flags=re.M)
    assert int(nginx_idle) < int(gunicorn_idle)


def test_the_site_retries_idempotent_requests_only_and_closes_metrics():
    site = (DEPLOY / "nginx" / "adelante.conf").read_text(encoding="utf-8")
    directives = [line.split("#")[0].strip() for line in site.splitlines()]
    (retry,) = [d for d in directives if d.startswith("proxy_next_upstream ")]
    assert retry == "proxy_next_upstream error timeout http_502 http_503;"
    assert "non_idempotent" not in retry  # a POST is never sent twice
    assert "proxy_set_header X-Request-ID $request_id;" in directives
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in directives
    assert re.search(r"location = /metrics \{\s*return 404;\s*\}", site)
    assert "return 301 https://$host$request_uri;" in directives
    assert len([d for d in directives if d.startswith("server ") and ":8000" in d]) >= 2


# -- gunicorn ------------------------------------------------------------------------------


@pytest.mark.parametrize("threads", ["", "4"])
def test_gunicorn_loads_its_configuration_and_the_application(tmp_path, threads):
    """Synchronous workers by default; threaded ones (gthread) with ADELANTE_WEB_THREADS."""
    done = subprocess.run(
        [
            *(str(BIN / "gunicorn"), "--check-config", "--print-config"),
            *("-c", str(DEPLOY / "gunicorn.conf.py"), "adelante.wsgi:application"),
        ],
        env=_env(tmp_path / "data", ADELANTE_WEB_THREADS=threads),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    printed = dict(
        (k.strip(), v.strip())
        for k, _, v in (line.partition("=") for line in done.stdout.splitlines())
    )
    assert printed["worker_class"] == ("gthread" if threads else "sync")
    assert printed["threads"] == (threads or "1")


def test_workers_are_replaced_rarely_and_each_at_its_own_count(tmp_path):
    """A new worker spends about a second importing the application before it answers, and its
    server has a worker fewer meanwhile. Replaced every 2,000 (+0-200) requests, the workers of
    a server under load were replaced every few seconds and often together, and requests
    waited a second or more: the pauses that set every p95 of the cluster benchmark
    (docs/benchmarks.md, "The one-second pauses"). Still replaced (a slow leak cannot grow for
    ever), but after at least 50,000 requests, at counts drawn from a range wide enough that
    two workers seldom go together."""
    done = subprocess.run(
        [
            *(str(BIN / "gunicorn"), "--check-config", "--print-config"),
            *("-c", str(DEPLOY / "gunicorn.conf.py"), "adelante.wsgi:application"),
        ],
        env=_env(tmp_path / "data"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    printed = dict(
        (k.strip(), v.strip())
        for k, _, v in (line.partition("=") for line in done.stdout.splitlines())
    )
    assert int(printed["max_requests"]) >= 50_000
    assert int(printed["max_requests_jitter"]) >= int(printed["max_requests"]) // 4


WARMED = """
import runpy, sys
import django
django.setup()
from django.conf import settings
config = runpy.run_path(sys.argv[1])
before = settings.ROOT_URLCONF in sys.modules
config["post_worker_init"](None)
print(before, settings.ROOT_URLCONF in sys.modules)
"""


def test_a_new_worker_imports_the_views_before_its_first_request(tmp_path):
    """gunicorn's post_worker_init runs after the application loads and before the worker
    accepts: Django's lazy import of the URL configuration (every view, about 0.3 s) is done
    there, not in the first reader's request."""
    done = subprocess.run(
        [sys.executable, "-c", WARMED, str(DEPLOY / "gunicorn.conf.py")],
        env={**_env(tmp_path / "data"), "DJANGO_SETTINGS_MODULE": "adelante.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str, **headers: str) -> http.client.HTTPResponse:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    client.request("GET", path, headers=headers)
    response = client.getresponse()
    response.read()
    return response


def _wait_until_it_answers(port: int, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"gunicorn exited: {server.communicate()[1][-2000:]}")
        try:
            if _get(port, "/healthz").status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not answer within 60 s")


def test_gunicorn_with_the_configuration_serves_and_stops_cleanly(tmp_path):
    data = tmp_path / "data"
    port = _free_port()
    home = tmp_path / "home"
    home.mkdir()
    env = _env(data, ADELANTE_BIND=f"127.0.0.1:{port}", ADELANTE_WEB_WORKERS="1")
    # Where gunicorn would put its control socket (none: two servers would share the path).
    env.update(HOME=str(home), XDG_RUNTIME_DIR=str(home))
    # The database and the static files, as the service's installation makes them (at once:
    # collectstatic does not need the database).
    preparing = [
        subprocess.Popen(
            [str(BIN / "adelante"), *command, "-v", "0"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in (["migrate"], ["collectstatic", "--no-input"])
    ]
    for process in preparing:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-c",
            str(DEPLOY / "gunicorn.conf.py"),
            "adelante.wsgi:application",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until_it_answers(port, server)
        # Through a proxy on this machine (trusted: loopback) that ended TLS.
        page = _get(port, "/en/", **{"X-Forwarded-Proto": "https", "X-Request-ID": "rid-12345678"})
        assert page.status == 200
        assert page.getheader("X-Request-ID") == "rid-12345678"
        # Without the proxy's header the request was plain HTTP: the HTTPS redirect.
        assert _get(port, "/en/").status == 301
        assert _get(port, "/readyz").status == 200
        assert not list(home.rglob("*.ctl"))
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=60)
    assert server.returncode == 0, err[-2000:]
    # Every line, gunicorn's own included, is one JSON object with the application's fields.
    lines = [json.loads(line) for line in err.splitlines() if line.strip()]
    fields = {"time", "level", "logger", "message", "request_id", "run_id", "status"}
    assert all(fields <= set(line) for line in lines), err[-2000:]
    gunicorn = [line["message"] for line in lines if line["logger"] == "gunicorn.error"]
    assert any(m.startswith("Starting gunicorn") for m in gunicorn), gunicorn
    assert "Shutting down: Master" in gunicorn
    # No access log: the only request lines are Adelante's own (JSON, with the request id).
    assert '"GET /en/ HTTP/1.1"' not in out + err
    assert not [line for line in lines if line["logger"] == "gunicorn.access"]
    assert '"request_id": "rid-12345678"' in err


def test_an_access_log_turned_on_is_json_with_the_request_fields(tmp_path):
    """gunicorn's access log (off in the kit) as JSON lines too, with method, path, status and
    duration as fields; on a WSGI application of three lines (no database needed)."""
    (tmp_path / "tiny.py").write_text(
        "def application(environ, start_response):\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
        "    return [b'ok']\n",
        encoding="utf-8",
    )
    port = _free_port()
    env = _env(tmp_path / "data", ADELANTE_BIND=f"127.0.0.1:{port}", ADELANTE_WEB_WORKERS="1")
    command = [str(BIN / "gunicorn"), "-c", str(DEPLOY / "gunicorn.conf.py")]
    server = subprocess.Popen(
        [*command, "--chdir", str(tmp_path), "--access-logfile", "-", "tiny:application"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until_it_answers(port, server)
        assert _get(port, "/hello?who=x").status == 200
    finally:
        server.send_signal(signal.SIGTERM)
        _out, err = server.communicate(timeout=60)
    lines = [json.loads(line) for line in err.splitlines() if line.strip()]
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    hello = [line for line in access if line["path"] == "/hello"]
    assert len(hello) == 1, err[-2000:]
    assert hello[0]["method"] == "GET" and hello[0]["status"] == 200
    assert hello[0]["duration_ms"] >= 0 and "GET /hello?who=x HTTP/1.1" in hello[0]["message"]


def test_metrics_of_two_gunicorn_workers_add_up(tmp_path):
    """Prometheus's multi-process mode (PROMETHEUS_MULTIPROC_DIR, docs/deploy.md "Metrics"):
    requests answered by either of two workers are counted once each on /metrics, whichever
    worker answers it."""
    metrics = tmp_path / "metrics"
    metrics.mkdir()
    port = _free_port()
    env = _env(
        tmp_path / "data",
        ADELANTE_BIND=f"127.0.0.1:{port}",
        ADELANTE_WEB_WORKERS="2",
        ADELANTE_METRICS="1",
        PROMETHEUS_MULTIPROC_DIR=str(metrics),
    )
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-c",
            str(DEPLOY / "gunicorn.conf.py"),
            "adelante.wsgi:application",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until_it_answers(port, server)
        # /metrics itself is counted (before the middleware that answers it); each request on
        # a new connection, until both workers have answered some (each keeps its own file).
        sent = 0
        while len(list(metrics.glob("counter_*.db"))) < 2 and sent < 500:
            assert _get(port, "/metrics").status == 200
            sent += 1
        assert len(list(metrics.glob("counter_*.db"))) == 2
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        client.request("GET", "/metrics")
        text = client.getresponse().read().decode()
        client.close()
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=60)
    found = re.search(r"^django_http_requests_before_middlewares_total (\S+)$", text, re.M)
    assert found, text[:2000]
    assert float(found.group(1)) == sent + 1


# -- systemd -------------------------------------------------------------------------------

UNITS = sorted((DEPLOY / "systemd").glob("adelante-*.*"))


def _directives(unit: Path) -> list[tuple[str, str, str]]:
    """(section, key, value) for every line: keys may repeat (ExecStart= of a oneshot)."""
    section, found = "", []
    for line in unit.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        found.append((section, key.strip(), value.strip()))
    return found


def test_the_units_run_commands_the_installation_has():
    services = [u for u in UNITS if u.suffix == ".service"]
    assert {u.name for u in UNITS} >= {
        "adelante-web.service",
        "adelante-worker.service",
        "adelante-daily.service",
        "adelante-daily.timer",
    }
    for unit in services:
        directives = _directives(unit)
        values = {(s, k): v for s, k, v in directives}
        assert values[("Service", "User")] == "adelante", unit.name
        assert values[("Service", "EnvironmentFile")] == "/etc/adelante/adelante.env"
        assert values[("Service", "NoNewPrivileges")] == "yes"
        assert values[("Service", "ProtectSystem")] == "strict"
        assert "/var/lib/adelante" in values[("Service", "ReadWritePaths")].split()
        commands = [v for s, k, v in directives if k in {"ExecStart", "ExecStartPre"}]
        assert commands, unit.name
        for command in commands:
            program = command.lstrip("-@+!:").split()[0]
            if program.startswith("/srv/adelante/venv/bin/"):
                # The installation's commands: the ones this environment has installed.
                name = Path(program).name
                assert name in {"adelante", "gunicorn"} and (BIN / name).exists(), command
            else:
                assert Path(program).exists(), command
    web = dict(((s, k), v) for s, k, v in _directives(DEPLOY / "systemd" / "adelante-web.service"))
    assert (
        "-c /etc/adelante/gunicorn.conf.py adelante.wsgi:application"
        in web[("Service", "ExecStart")]
    )
    worker = _directives(DEPLOY / "systemd" / "adelante-worker.service")
    assert ("Service", "Restart", "always") in worker
    daily = [
        v
        for s, k, v in _directives(DEPLOY / "systemd" / "adelante-daily.service")
        if k == "ExecStart"
    ]
    assert [c.split()[1:] for c in daily] == [["send-reminders"], ["cleanup"]]


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="no systemd-analyze here")
def test_systemd_verifies_the_units(tmp_path):
    """systemd's own check, with the installation's paths pointed at this environment's
    commands; a warning (an unknown key, a bad value) fails too."""
    for unit in UNITS:
        text = unit.read_text(encoding="utf-8").replace("/srv/adelante/venv/bin/", f"{BIN}/")
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    done = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / u.name) for u in UNITS)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "", done.stderr
