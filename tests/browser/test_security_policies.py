"""The Content-Security-Policy holds in a real browser: the portal (with its charts), a
workflow page, the admin and the API docs load and work with no policy violation, and the
policy really is enforced (an inline script is refused and reported)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from adelante.accounts.grants import grant
from tests.exchange.workers import work
from tests.snapshots import load_real_record

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "a long and unguessable passphrase"

#: Records every `securitypolicyviolation` event of the page, from before its first script.
LISTEN = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""


@pytest.fixture
def watched(page: Any) -> Any:
    """The page, with CSP violations collected from the DOM event and from the console."""
    page.add_init_script(LISTEN)
    page.console_violations = []
    page.on(
        "console",
        lambda m: (
            page.console_violations.append(m.text) if "Content Security Policy" in m.text else None
        ),
    )
    return page


def no_violations(page: Any) -> None:
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__violations") == [], page.url
    assert page.console_violations == [], page.url


def test_portal_pages_and_charts(watched: Any, live_server: Any) -> None:
    load_real_record()
    response = watched.goto(f"{live_server.url}/en/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "camera=()" in response.headers["permissions-policy"]
    # The charts are drawn (Chart.js from our own static files, on a canvas).
    watched.wait_for_function("document.querySelectorAll('canvas').length > 0")
    assert watched.evaluate(
        "[...document.querySelectorAll('canvas')].every(c => c.width > 0 && c.height > 0)"
    )
    no_violations(watched)
    for path in ("/en/countries/gt/", "/es/commitments/?country=HN", "/en/join/"):
        watched.goto(f"{live_server.url}{path}")
        no_violations(watched)
    # The join form's honeypot stays off-screen without an inline style.
    box = watched.locator("#id_website").bounding_box()
    assert box is not None and box["x"] < -1000


def test_admin_signs_in_and_works(watched: Any, live_server: Any) -> None:
    User.objects.create_superuser("ada", "ada@example.org", PASSWORD)
    watched.goto(f"{live_server.url}/en/admin/")
    no_violations(watched)  # the admin's sign-in page
    watched.get_by_label("Username").fill("ada")
    watched.get_by_label("Password").fill(PASSWORD)
    watched.get_by_role("button", name="Sign in").click()
    watched.wait_for_url("**/en/admin/")
    no_violations(watched)
    # A change list with its actions and a change form with its widgets (admin scripts).
    watched.goto(f"{live_server.url}/en/admin/auth/user/")
    assert watched.locator("#changelist").count() == 1
    no_violations(watched)
    watched.goto(f"{live_server.url}/en/admin/auth/user/add/")
    no_violations(watched)
    # (The admin's pages link no icon, so the browser asks for /favicon.ico: not a policy matter.)
    watched.problems.errors[:] = [e for e in watched.problems.errors if "404" not in e]


def test_the_api_docs_render_from_local_files(watched: Any, live_server: Any) -> None:
    response = watched.goto(f"{live_server.url}/api/v1/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # Swagger UI drew the operations from the OpenAPI document.
    watched.wait_for_selector(".opblock", timeout=15000)
    assert watched.locator(".opblock").count() > 10
    no_violations(watched)


def test_an_inline_script_is_refused_and_reported(watched: Any, live_server: Any) -> None:
    """The check itself can fail: the policy is enforced, and a violation is seen."""
    watched.goto(f"{live_server.url}/en/methodology/")
    watched.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.__ran = true'; document.body.append(s); }"""
    )
    watched.wait_for_function("window.__violations.length > 0")
    assert watched.evaluate("window.__ran === undefined")
    assert any("script-src" in v for v in watched.evaluate("window.__violations"))
    # (The page fixture fails a test on console errors: this one is expected.)
    watched.problems.errors[:] = [e for e in watched.problems.errors if "Content Security" not in e]


def test_the_import_job_page_follows_its_job_with_htmx(watched: Any, live_server: Any, tmp_path):
    """The staff's import page: htmx (our own static file, no inline styles) polls the job's
    status while a worker runs it, then the page shows the outcome; no violation throughout."""
    grant(User.objects.create_user("sam", "sam@example.org", PASSWORD), "secretariat-reviewer")
    base = live_server.url
    watched.goto(f"{base}/en/accounts/sign-in/")
    watched.get_by_label("Username").fill("sam")
    watched.get_by_label("Password").fill(PASSWORD)
    watched.get_by_role("button", name="Sign in").click()
    watched.wait_for_load_state()
    upload = tmp_path / "commitments.csv"
    upload.write_text(
        "partner,partner_type,announced_on,round,amount_usd,countries,focus,summary,source_url\n"
        "Acme Textiles,company,2024-03-01,Round 9,1500000,GT,jobs,Opens a plant,"
        "https://example.org/acme\n"
    )
    watched.goto(f"{base}/en/staff/import/")
    watched.get_by_label("What the file holds").select_option("commitments")
    watched.get_by_label("CSV or XLSX file").set_input_files(str(upload))
    watched.get_by_role("button", name="Check the file (dry run)").click()
    watched.wait_for_url("**/staff/import/jobs/**")
    assert watched.evaluate("typeof htmx") == "object"
    assert watched.evaluate("document.querySelectorAll('style').length") == 0
    watched.wait_for_selector("text=waiting for a worker")
    assert work() == 1  # the worker checks the file; the page learns it by polling
    watched.wait_for_selector("text=would create 1", timeout=15000)
    no_violations(watched)
    watched.get_by_role("button", name="Import all of it").click()
    watched.wait_for_selector("text=all or nothing")
    assert work() == 1
    watched.wait_for_selector("text=1 created", timeout=15000)
    no_violations(watched)
