"""Page tests in real headless Chromium (Debian's package) driven by Python Playwright.

Without Chromium, Playwright or axe-core these tests are skipped and say why, unless
ADELANTE_REQUIRE_BROWSER=1 (as .ci/run sets), which turns a missing tool into a failure.
"""

from __future__ import annotations

import functools
import json
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.signals import request_finished, request_started

from tests import snapshots

# Playwright's synchronous API runs an event loop in the test thread; Django's guard against
# database calls from async code would refuse the test's own set-up queries.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("ADELANTE_CHROMIUM", "/usr/bin/chromium"))
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def _missing() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Python Playwright is not installed"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if not AXE.exists():
        return f"no axe-core at {AXE} (npm ci)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # (In parallel runs every browser test goes to the same worker: tests/conftest.py, GROUPS.)
    browser_tests = [
        item for item in items if "tests/browser/" in str(item.fspath).replace(os.sep, "/")
    ]
    missing = _missing()
    if missing is None:
        return
    if os.environ.get("ADELANTE_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"browser tests are required but cannot run: {missing}")
    skip = pytest.mark.skip(reason=f"browser tests skipped: {missing}")
    for item in browser_tests:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
    # The browser's connections are closed: let the live server's threads see it and end
    # before the server (stopped next, with the session) stops sharing the database with them.
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=30)


class PageProblems:
    """Console errors, failed requests and requests that leave the server."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.errors: list[str] = []

    def attach(self, page: Any) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        page.on("request", self._request)

    def _failed(self, request: Any) -> None:
        # The browser's own PDF viewer (the reviewer's evidence preview, issue 15) streams the
        # file through a chrome-extension:// URL, cut when the page moves on: not the site's.
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            return
        # Likewise the preview's own request for the file (`?inline=1`, in its frame) is
        # aborted by the browser when the page moves on before the file has loaded: a timing
        # of the machine, not a failure of the site (any other failure of it still counts).
        if "inline=1" in parts.query and request.failure == "net::ERR_ABORTED":
            return
        self.errors.append(f"failed: {request.url} ({request.failure})")

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def _response(self, response: Any) -> None:
        if response.status >= 400 and not getattr(self, "expect_error", False):
            self.errors.append(f"{response.status}: {response.url}")

    def _request(self, request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https") and f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.errors.append(f"request left the server: {request.url}")


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    opened = context.new_page()
    problems = PageProblems(live_server.url)
    problems.attach(opened)
    opened.problems = problems
    yield opened
    close(context)
    assert problems.errors == []


def close(context: Any) -> None:
    """Close a browser context, then wait until the live server has answered every request
    it had started: none may outlive its test (the next test's flush would pull the database
    from under it)."""
    context.close()
    assert LIVE_REQUESTS.wait_until_idle(timeout=120), "the live server is still answering"


class Requests:
    """Requests being answered outside the main thread (by the live server's threads), from
    Django's request_started and request_finished signals."""

    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    def started(self, **kwargs: Any) -> None:
        if threading.current_thread() is not threading.main_thread():
            with self.changed:
                self.count += 1

    def finished(self, **kwargs: Any) -> None:
        if threading.current_thread() is not threading.main_thread():
            with self.changed:
                self.count -= 1
                self.changed.notify_all()

    def wait_until_idle(self, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.count <= 0, timeout)


LIVE_REQUESTS = Requests()
request_started.connect(LIVE_REQUESTS.started, dispatch_uid="tests.browser.started")
request_finished.connect(LIVE_REQUESTS.finished, dispatch_uid="tests.browser.finished")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) in the page and return its violations.

    axe is evaluated through the browser's DevTools protocol, not added as an inline script
    tag: the pages' Content-Security-Policy refuses inline scripts (docs/security.md)."""
    if page.evaluate("typeof axe") == "undefined":
        page.evaluate(f"{_axe_source()}\n;undefined")
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def screenshots(page: Any, name: str) -> list[Path]:
    """Full-page screenshots at 1280 px and 375 px wide, kept as test artefacts."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^\w.-]+", "_", name)
    paths = []
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
        path = ARTIFACTS / f"{safe}-{width}.png"
        # Written whole, then renamed: two runs at once (SQLite and PostgreSQL) never leave
        # a half-written picture.
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.write_bytes(page.screenshot(full_page=True))
        partial.replace(path)
        paths.append(path)
    page.set_viewport_size({"width": 1280, "height": 900})
    return paths


def check_page(page: Any, url: str, name: str) -> None:
    """Load a page: no console error, no failed request, no axe violation; screenshots."""
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)
    screenshots(page, name)
    page.set_viewport_size({"width": 375, "height": 900})
    # Charts resize on the next frames (ResizeObserver): let the layout settle first.
    page.wait_for_timeout(500)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert overflow <= 0, f"{url} scrolls sideways at 375 px by {overflow} px"


@pytest.fixture(autouse=True)
def initial_database(request: pytest.FixtureRequest) -> None:
    """Every live-server test starts from the rows migrations left (vocabularies, role groups,
    due-diligence questions), copied back exactly (tests/snapshots.py).

    pytest-django's serialized rollback does that only on the connection object the test
    database was created with. Playwright's synchronous API leaves an asyncio loop marked as
    running in the test's thread, and Django (asgiref) then hands the test another connection
    object, without the serialized contents: depending on which fixture first touched the
    database, nothing was put back after the previous test's flush (hence the re-seeding once
    done here). Put the rows back on that object too, and adopt it for the next tests.
    """
    if "live_server" not in request.fixturenames:
        return
    from django.db import connection

    request.getfixturevalue("transactional_db")
    if not snapshots.adopted(connection):
        snapshots.restore_initial(connection)
        snapshots.adopt(connection)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After the last of a run of live-server tests (pytest-django flushed the database when
    it ended), put back the rows migrations left, for the tests that follow in this process:
    they run in a transaction on the database as they find it. (In parallel runs the browser
    tests go first on their worker, and other tests follow.)"""
    try:
        return (yield)
    finally:
        # (nextitem None: the session ended and the test database is gone.)
        if _live(item) and nextitem is not None and not _live(nextitem):
            from django.db import connection
            from pytest_django.plugin import blocking_manager_key

            with item.config.stash[blocking_manager_key].unblock():
                snapshots.restore_initial(connection)


def _live(item: pytest.Item) -> bool:
    return "live_server" in getattr(item, "fixturenames", ())
