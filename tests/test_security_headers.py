"""Every response carries the Content-Security-Policy and the Permissions-Policy: pages in both
languages, the admin, the API (documents, errors, docs), downloads and error pages."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
ADDRESSES = [
    "/en/",
    "/es/commitments/",
    "/en/commitments/download.csv",
    "/en/join/",
    "/en/accounts/sign-in/",
    "/en/admin/login/",
    "/en/no-such-page/",
    "/en/?as_of=2023",
    "/api/v1/figures/committed",
    "/api/v1/figures/committed?as_of=0",
    "/api/v1/docs",
    "/api/v1/openapi.json",
    "/downloads/adelante-record.json",
]


def directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


@pytest.mark.parametrize("address", ADDRESSES)
def test_every_response_has_both_policies(client, address):
    response = client.get(address)
    found = directives(response["Content-Security-Policy"])
    for name, value in POLICY.items():
        assert found[name] == value, (address, name, found)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    features = response["Permissions-Policy"]
    assert "camera=()" in features and "geolocation=()" in features


def test_no_template_has_inline_script_or_style():
    """Nothing inline for the policy to refuse (the reports' self-contained HTML document,
    downloaded as a file, aside)."""
    from pathlib import Path

    import adelante

    root = Path(adelante.__file__).parent
    offenders = []
    for template in root.rglob("templates/**/*.html"):
        if template.name == "document.html" and template.parent.name == "reports":
            continue
        text = template.read_text()
        for bad in ("style=", "<style", "onclick=", "onload=", "onchange=", "javascript:"):
            if bad in text:
                offenders.append(f"{template.relative_to(root)}: {bad}")
        if "<script" in text.replace("<script src=", ""):
            offenders.append(f"{template.relative_to(root)}: inline <script>")
    assert offenders == []
