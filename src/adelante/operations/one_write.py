"""An answer's headers and its first piece of body leave gunicorn in one system call.

gunicorn sends a response's headers, then its body, with two `sendall` calls. An app server
killed between the two (SIGKILL, a lost machine) leaves nginx with the headers already passed
on to the reader and no body: the reader gets a truncated answer, and nginx cannot try another
server once it has sent the headers. Sent in one call, an answer that fits the socket's buffer
(every page and API answer; files are sent apart) arrives whole or not at all, and "not at all"
is what nginx retries on the next server for a GET (`proxy_next_upstream`, deploy/nginx/). The
multi-node test kills an app server under a read load and counts every GET
(tests/multinode/test_cluster.py). Installed in each worker by deploy/gunicorn.conf.py.
"""

from __future__ import annotations

from typing import Any


class _Gathered:
    """Stands for the worker's socket during an answer's first write: keeps what is sent."""

    def __init__(self, sock: Any) -> None:
        self.sock = sock
        self.parts: list[bytes] = []

    def sendall(self, data: bytes) -> None:
        self.parts.append(bytes(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sock, name)


def install() -> None:
    """Make gunicorn's responses send their headers with the first piece of their body."""
    from gunicorn.http import wsgi

    response: Any = wsgi.Response
    if getattr(response, "adelante_one_write", False):
        return
    write = response.write

    def write_headers_with_body(self: Any, data: bytes) -> None:
        if self.headers_sent:
            write(self, data)
            return
        sock = self.sock
        gathered = _Gathered(sock)
        self.sock = gathered
        try:
            write(self, data)
        finally:
            self.sock = sock
            if gathered.parts:
                sock.sendall(b"".join(gathered.parts))

    response.write = write_headers_with_body
    response.adelante_one_write = True
