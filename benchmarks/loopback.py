"""A small cluster on loopback, for tests/multinode (docs/deploy.md, "Tested as a cluster") and
`python -m benchmarks cluster` (docs/benchmarks.md):
nginx from Debian's package in front of two gunicorn app servers, one `adelante worker`, all
sharing one PostgreSQL database of their own, the Redis on 127.0.0.1:6379 (under a key prefix
of their own) and an S3 bucket on moto's server. Every process runs in a process group of its
own, so SIGKILL to the group kills a gunicorn master and its workers at once (a machine that
stops), and teardown leaves nothing running."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
SRC = ROOT / "src"
BIN = Path(sys.executable).parent
SECRET = "cluster-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
PASSWORD = "a-long-cluster-password-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


@dataclass
class Browser:
    """One visitor: cookies kept by name (the Secure ones too: TLS ended at the proxy, which
    these requests stand in for), CSRF token sent back, Origin as the browser would send it."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        port: int,
        method: str,
        path: str,
        *,
        host: str | None = None,
        form: Mapping[str, str] | None = None,
        body: bytes | None = None,
        content_type: str = "",
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        # Direct to an app server, as from a proxy on this machine that ended TLS; through
        # nginx its own X-Forwarded-Proto (see the wrapper) is sent instead.
        host = host or f"127.0.0.1:{port}"
        sent = {"Host": host, "X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            sent["Origin"] = f"https://{host}"
            sent["Referer"] = f"https://{host}{path}"
            if "csrftoken" in self.cookies:
                sent["X-CSRFToken"] = self.cookies["csrftoken"]
            if form is not None:
                body = urlencode(form).encode()
                content_type = "application/x-www-form-urlencoded"
            sent["Content-Type"] = content_type
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            client.request(method, path, body=body, headers=sent)
            response = client.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            client.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, text)

    def get(self, port: int, path: str, **kwargs: Any) -> Answer:
        return self.request(port, "GET", path, **kwargs)

    def post(self, port: int, path: str, **kwargs: Any) -> Answer:
        return self.request(port, "POST", path, **kwargs)

    def sign_in(self, port: int, username: str, password: str, host: str | None = None) -> Answer:
        self.get(port, "/en/accounts/sign-in/", host=host)  # the CSRF cookie
        return self.post(
            port,
            "/en/accounts/sign-in/",
            host=host,
            form={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
            },
        )


def nginx_wrapper(folder: Path, port: int, upstreams: list[int]) -> Path:
    """The shipped site (deploy/nginx/adelante.conf), its HTTPS server only, changed just
    enough to run here: the upstream's servers are the two app servers; it listens on plain
    HTTP on a loopback port (TLS is not what is tested here: the deploy kit's test checks the
    TLS part with `nginx -t`) and says X-Forwarded-Proto: https, as it does behind its TLS;
    logs and temporary files in `folder`. Everything else (the retries of idempotent requests,
    the headers, the body limit) is the site as shipped."""
    site = (DEPLOY / "nginx" / "adelante.conf").read_text(encoding="utf-8")
    servers = "\n".join(
        f"    server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in upstreams
    )
    site, n_upstream = re.subn(
        r"(upstream adelante \{\n)(?:\s*server [^\n]*\n)+", rf"\g<1>{servers}\n", site
    )
    # The port-80 server (it only redirects to HTTPS) goes.
    site, n_redirect = re.subn(r"server \{\s*listen 80;.*?\n\}\n", "", site, flags=re.S)
    site, n_listen = re.subn(
        r"(\s*listen \S*443 ssl http2;)+", f"\n    listen 127.0.0.1:{port};", site
    )
    site, n_ssl = re.subn(r"\n\s*ssl_[a-z_]+ [^\n]*;", "", site)
    site, n_proto = re.subn(r"X-Forwarded-Proto \$scheme;", "X-Forwarded-Proto https;", site)
    assert (n_upstream, n_redirect, n_listen, n_proto) == (1, 1, 1, 1), site
    assert n_ssl >= 2 and "proxy_next_upstream error timeout" in site
    site = site.replace("/var/log/nginx/", f"{folder}/")
    (folder / "site.conf").write_text(site, encoding="utf-8")
    temp = "\n".join(
        f"    {kind}_temp_path {folder}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    wrapper = folder / "nginx.conf"
    wrapper.write_text(
        f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\ndaemon off;\n"
        f"worker_processes 1;\nevents {{}}\n"
        f"http {{\n{temp}\n    access_log {folder}/access.log;\n"
        f"    include {folder}/site.conf;\n}}\n",
        encoding="utf-8",
    )
    return wrapper


class Processes:
    """The cluster's processes by name, each the leader of its own process group."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.running: dict[str, subprocess.Popen[bytes]] = {}
        self.paths: dict[str, Path] = {}
        self.started = 0

    def start(self, name: str, command: list[str], env: Mapping[str, str]) -> None:
        self.started += 1
        self.paths[name] = self.folder / f"{name}.{self.started}.log"
        log = self.paths[name].open("wb")
        self.running[name] = subprocess.Popen(
            command,
            env=dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def kill(self, name: str) -> None:
        """SIGKILL to the whole group: the process and every child it made."""
        process = self.running.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def kill_all(self) -> None:
        for name in list(self.running):
            self.kill(name)

    def log_of(self, name: str) -> str:
        """What the running process called `name` has written so far."""
        return self.paths[name].read_text(errors="replace")

    def alive(self, name: str) -> bool:
        return self.running[name].poll() is None

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
            for p in sorted(self.folder.glob("*.log"))
        )


def wait_for(check: Any, seconds: float, what: str, processes: Processes | None = None) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            logs = processes.logs() if processes else ""
            raise AssertionError(f"{what}: not within {seconds} s\n{logs}")
        time.sleep(0.1)
