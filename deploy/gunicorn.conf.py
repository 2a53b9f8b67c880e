"""gunicorn's configuration for Adelante (docs/deploy.md, "The web server").

    gunicorn -c deploy/gunicorn.conf.py adelante.wsgi:application

Everything that differs between machines comes from the environment, the same file the
service reads (/etc/adelante/adelante.env; deploy/adelante.env.example lists each variable):

    ADELANTE_BIND                where to listen (default 127.0.0.1:8000; "0.0.0.0:8000" when
                                 nginx runs on another machine, behind a firewall)
    ADELANTE_WEB_WORKERS         worker processes (default 2 x CPUs + 1)
    ADELANTE_WEB_THREADS         requests each worker answers at once, in threads (default 1:
                                 synchronous workers)
    ADELANTE_WEB_TIMEOUT         seconds a request may take before its worker is replaced
                                 (default 300, nginx's proxy_read_timeout in deploy/nginx/)
    ADELANTE_TRUSTED_PROXIES     the proxies whose X-Forwarded-* headers are believed (the same
                                 setting Adelante reads for client addresses)
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

from adelante.operations.gunicorn_logs import GunicornLogger, gunicorn_logging

_env = os.environ

bind = [_env.get("ADELANTE_BIND", "127.0.0.1:8000")]

# Synchronous workers by default: nginx buffers the whole request and the whole answer
# (proxy_request_buffering, proxy_buffering), so a slow client never holds a worker, and a
# worker's request is one thread with one database connection. With ADELANTE_WEB_THREADS above
# 1, each worker answers that many requests at once in threads (gthread): a request that
# computes (a page or API answer for a new state of the record) then no longer holds up the
# cached answers sent to the same worker; each thread has its own database connection.
threads = int(_env.get("ADELANTE_WEB_THREADS") or 1)
worker_class = "gthread" if threads > 1 else "sync"
workers = int(_env.get("ADELANTE_WEB_WORKERS") or multiprocessing.cpu_count() * 2 + 1)

# A worker silent for this long is killed and replaced (a hung request). The same as nginx's
# proxy_read_timeout, so nginx never gives up on a request that gunicorn still lets run.
timeout = int(_env.get("ADELANTE_WEB_TIMEOUT") or 300)
# On SIGTERM (systemctl stop, restart) workers finish the requests they have, for up to this
# long, before they are killed. Below systemd's TimeoutStopSec (90 s by default).
graceful_timeout = 30
# The longest request line gunicorn reads (its maximum; nginx's large_client_header_buffers
# is 8k too): a longer query string up to it reaches Adelante, which answers its own 414 page
# (adelante/portal/middleware.py); beyond it, gunicorn answers 414 itself.
limit_request_line = 8190
# Keep-alive with nginx's upstream connections (threaded workers; nginx's keepalive). nginx
# closes an idle one after 4 s (its upstream keepalive_timeout), before gunicorn does.
keepalive = 5
# A worker is replaced after this many requests, so a slow leak in any library cannot grow for
# ever; but rarely, and at times spread wide apart. A new worker spends about a second of CPU
# importing the application before it answers anything, and while it does its server has one
# worker fewer: at 2,000 (+0-200) requests, as before, each worker was replaced every few
# seconds under load, the two workers of a server were often replaced together, and requests
# waited a second or more for one to start. Those were the one-second pauses that set every
# p95 of the cluster benchmark (docs/benchmarks.md, "The one-second pauses"). Now each worker
# is replaced after 100,000 to 150,000 requests (hours, at a busy site's rates), each at its
# own count, so two replacements seldom overlap.
max_requests = 100_000
max_requests_jitter = 50_000

# The heartbeat file each worker touches: in memory, never on a disk that may stall
# (gunicorn's own advice; /dev/shm is tmpfs on Debian).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# X-Forwarded-Proto (and the other forwarded headers) are believed only from these
# addresses; Adelante's own ADELANTE_TRUSTED_PROXIES, so there is one list to keep. Without
# it, gunicorn's default: loopback only.
forwarded_allow_ips = (
    ",".join(p.strip() for p in _env.get("ADELANTE_TRUSTED_PROXIES", "").split(",") if p.strip())
    or "127.0.0.1,::1"
)

# No access log: Adelante writes one JSON line per request itself (logger adelante.request,
# with the request id, status and duration; docs/deploy.md, "Logs"), and nginx keeps its own.
accesslog = None
# gunicorn's own messages (start, stop, worker timeouts): standard error, to the journal, as
# JSON lines with the same fields as the application's (LOG_FORMAT=text: plain text). An
# access log turned on (--access-logfile -) is written the same way, with the method, path,
# status and duration as fields.
errorlog = "-"
loglevel = "info"
logconfig_dict = gunicorn_logging(log_format=_env.get("LOG_FORMAT") or "json", level=loglevel)
logger_class = GunicornLogger
# The process's name in ps and top.
proc_name = "adelante-web"
# No control socket (gunicorn 24+'s gunicornc interface, unused here). Its default path is one
# per user ($XDG_RUNTIME_DIR or ~/.gunicorn/gunicorn.ctl): two app servers run by one user on
# one machine would share it, the second taking it from the first.
control_socket_disable = True


def post_worker_init(worker: Any) -> None:
    """Before a new worker takes its first request: import what Django imports on the first
    one (the URL configuration and every view, about 0.3 s), so that no reader waits for it
    (adelante/operations/warm_up.py)."""
    from adelante.operations.one_write import install
    from adelante.operations.warm_up import warm_up

    # An app server killed mid-answer must not leave a reader with headers and no body.
    install()
    warm_up()


def child_exit(server: Any, worker: Any) -> None:
    """With Prometheus metrics under several workers, forget a worker's live gauges when it
    exits (prometheus_client's multi-process mode; docs/deploy.md, "Metrics")."""
    if _env.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
