"""gunicorn sends an answer's headers and body in one call once `one_write` is installed, so an
app server killed between two calls cannot leave a reader with headers and no body."""

from __future__ import annotations

import socket
import types
from typing import Any

from gunicorn.config import Config
from gunicorn.http import wsgi

from adelante.operations.one_write import install


class Counted:
    """A real socket whose `sendall` calls are counted."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.calls = 0

    def sendall(self, data: bytes) -> None:
        self.calls += 1
        self.sock.sendall(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sock, name)


def answer(body: bytes) -> tuple[int, bytes]:
    """Serve one answer through gunicorn's Response on a socket pair: (calls, bytes read)."""
    ours, theirs = socket.socketpair()
    with ours, theirs:
        counted = Counted(ours)
        request = types.SimpleNamespace(version=(1, 1), method="GET", should_close=lambda: False)
        response = wsgi.Response(request, counted, Config())
        response.start_response(
            "200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(body)))]
        )
        response.write(body)
        response.write(b"")  # what gunicorn does with an empty piece: nothing more is sent
        ours.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := theirs.recv(65536):
            received += chunk
    return counted.calls, received


def test_headers_and_body_leave_in_one_call_and_arrive_whole():
    body = b"<!doctype html>" + b"x" * 30_000
    install()
    install()  # twice changes nothing
    calls, received = answer(body)
    assert calls == 1
    head, _, rest = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK") and b"Content-Length: 30015" in head
    assert rest == body


def test_later_pieces_of_a_long_answer_follow_as_before():
    install()
    ours, theirs = socket.socketpair()
    with ours, theirs:
        counted = Counted(ours)
        request = types.SimpleNamespace(version=(1, 1), method="GET", should_close=lambda: False)
        response = wsgi.Response(request, counted, Config())
        response.start_response("200 OK", [("Content-Length", "6")])
        response.write(b"abc")
        response.write(b"def")
        ours.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := theirs.recv(65536):
            received += chunk
    assert counted.calls == 2
    assert received.endswith(b"\r\n\r\nabcdef")
