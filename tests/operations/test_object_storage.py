"""Files in an S3-compatible object store (docs/deploy.md, "Files in object storage"), against a
real S3 server on loopback: moto's server mode, in a thread of the test process, spoken to over
HTTP by boto3 exactly as MinIO or AWS would be. Nothing of ours is mocked: the settings come from
the same function the deployment's environment goes through (adelante.operations.storage).

Without moto installed these tests are skipped, saying why; ADELANTE_REQUIRE_S3=1 (.ci/run)
turns that skip into a failure."""

from __future__ import annotations

import csv
import datetime
import io
import os
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from adelante.accounts.grants import grant
from adelante.accounts.groups import SECRETARIAT_REVIEWER
from adelante.exchange import jobs
from adelante.exchange.models import ImportJob, JobState
from adelante.operations import backup, storage
from adelante.partners.models import Membership, MembershipRole
from adelante.workflow import reporting
from adelante.workflow.models import Evidence
from tests import builders
from tests.exchange.conftest import commitment as commitment_row
from tests.exchange.workers import work
from tests.operations.drill import snapshot
from tests.operations.test_backup import restore_elsewhere, small_record
from tests.workflow.conftest import PDF_BYTES

KEY = "adelante-test"
SECRET = "adelante-test-secret"
REGION = "us-east-1"


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """An S3 server on a free loopback port for the whole session."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        reason = 'moto\'s server mode is not installed (pip install "moto[server]")'
        if os.environ.get("ADELANTE_REQUIRE_S3") == "1":
            pytest.fail(f"ADELANTE_REQUIRE_S3=1, but {reason}")
        pytest.skip(reason)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def _environ(endpoint: str, bucket: str) -> dict[str, str]:
    return {
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": REGION,
        "S3_ACCESS_KEY_ID": KEY,
        "S3_SECRET_ACCESS_KEY": SECRET,
        "S3_PREFIX": "adelante/",
    }


def _new_bucket(client: Any) -> str:
    name = f"adelante-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name)
    return name


@pytest.fixture
def s3(s3_endpoint: str) -> Any:
    """boto3's client for the server: how the tests look into the bucket, beside our code."""
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
    )


@pytest.fixture
def bucket(s3: Any, s3_endpoint: str, settings: Any) -> str:
    """A new, empty bucket, made the default storage for the test (the settings fixture sends
    Django's setting_changed, which drops the storages Django had already made)."""
    name = _new_bucket(s3)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage.default_storage(_environ(s3_endpoint, name)),
    }
    return name


def _user(username: str, partner: Any = None) -> User:
    user = User.objects.create_user(username, password="a-long-test-password-1")
    if partner is not None:
        Membership.objects.create(user=user, partner=partner, role=MembershipRole.MEMBER)
    return user


def keys(s3: Any, bucket: str) -> list[str]:
    listed = s3.list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listed.get("Contents", []))


def test_without_a_bucket_files_stay_on_disk_and_with_one_they_are_private():
    assert storage.default_storage({}) == {"BACKEND": storage.FILESYSTEM_BACKEND}
    assert storage.default_storage({"S3_BUCKET": " "})["BACKEND"] == storage.FILESYSTEM_BACKEND
    aws = storage.default_storage({"S3_BUCKET": "files", "S3_REGION": "eu-west-1"})
    assert aws["BACKEND"] == storage.S3_BACKEND
    options = aws["OPTIONS"]
    assert options["bucket_name"] == "files" and options["region_name"] == "eu-west-1"
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["querystring_expire"] == 300 and options["file_overwrite"] is False
    # No keys given: boto3's own chain (environment, shared files, instance role) decides.
    assert "access_key" not in options and "secret_key" not in options
    assert "endpoint_url" not in options and options["location"] == ""


@pytest.mark.django_db
def test_evidence_uploaded_through_the_form_is_in_the_bucket_and_served_only_to_those_allowed(
    bucket, s3
):
    partner = builders.partner("Café Ejemplo S.A.")
    member = _user("maria", partner)
    outsider = _user("otto", builders.partner("Otra Organización"))
    reviewer = _user("rita")
    reviewer.groups.add(Group.objects.get_or_create(name=SECRETARIAT_REVIEWER)[0])
    made = builders.commitment(
        partner.name, "1000000", datetime.date(2023, 2, 6), countries=("GT",)
    )
    report = reporting.start_report(
        user=member,
        commitment=made,
        period_start=datetime.date(2023, 2, 6),
        period_end=datetime.date(2023, 6, 30),
    )
    client = Client()
    client.force_login(member)
    edit = reverse("workflow:report_edit", kwargs={"partner": partner.slug, "pk": report.pk})
    version = client.get(edit).context["form"]["version"].value()
    response = client.post(
        edit,
        {
            "action": "save",
            "version": version,
            "evidence": SimpleUploadedFile("receipts.pdf", PDF_BYTES),
            "evidence_description": "Receipts",
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    # In the bucket, under the deployment's prefix, by its random name; not on the disk.
    assert keys(s3, bucket) == [f"adelante/{evidence.file.name}"]
    stored = s3.get_object(Bucket=bucket, Key=f"adelante/{evidence.file.name}")
    assert stored["Body"].read() == PDF_BYTES
    # Private: the object's only grant is its owner's (no ACL is ever set on upload).
    grants = s3.get_object_acl(Bucket=bucket, Key=f"adelante/{evidence.file.name}")["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    assert all("URI" not in g["Grantee"] for g in grants)

    url = reverse("workflow:evidence_file", kwargs={"partner": partner.slug, "pk": evidence.pk})
    for user in (member, reviewer):
        client.force_login(user)
        served = client.get(url)
        assert served.status_code == 200, user
        # Streamed through the permission-checked view, not a redirect to the store.
        assert b"".join(served.streaming_content) == PDF_BYTES
        assert served["Content-Disposition"].startswith("attachment;")
        assert served["Cache-Control"] == "private, no-store"
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    # An object gone from the store is a 404, not a 500.
    s3.delete_object(Bucket=bucket, Key=f"adelante/{evidence.file.name}")
    client.force_login(member)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_url_of_a_stored_file_is_signed_and_short_lived(bucket):
    name = default_storage.save("evidence/1/proof.pdf", ContentFile(PDF_BYTES))
    query = parse_qs(urlsplit(default_storage.url(name)).query)
    assert query["X-Amz-Expires"] == ["300"]
    assert "X-Amz-Signature" in query and "X-Amz-Credential" in query
    # A second file under the same name gets a name of its own: nothing is overwritten.
    assert default_storage.save("evidence/1/proof.pdf", ContentFile(b"%PDF-1.4 other")) != name


@pytest.mark.django_db
def test_readyz_proves_the_bucket_answers_and_leaves_nothing_there(bucket, s3, client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json()["checks"]["storage"] == "ok"
    assert keys(s3, bucket) == []


@pytest.mark.django_db
def test_a_staff_import_reads_its_upload_from_the_bucket(bucket, s3):
    user = _user("staffer")
    grant(user, "secretariat-reviewer")
    client = Client()
    client.force_login(user)
    out = io.StringIO()
    rows = [commitment_row(partner=f"Partner {i}", amount_usd=str(1000 + i)) for i in range(3)]
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    upload = SimpleUploadedFile("commitments.csv", out.getvalue().encode(), "text/csv")
    response = client.post("/en/staff/import/", {"kind": "commitments", "file": upload})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert keys(s3, bucket) == [f"adelante/{job.stored}"]

    # The worker (any machine) reads the file from the bucket.
    assert work() == 1
    job.refresh_from_db()
    assert job.state == JobState.CHECKED and job.checked == 3

    # An upload no job names, older than a day, is found by listing the bucket and deleted.
    orphan = default_storage.save(f"{jobs.UPLOADS}/orphan.csv", ContentFile(b"a,b\n"))
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=2)
    jobs.delete_abandoned(now=later)
    assert f"adelante/{orphan}" not in keys(s3, bucket)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_and_restore_round_trip_the_files_through_the_object_store(
    bucket, s3, s3_endpoint, tmp_path, monkeypatch, scratch_database_url
):
    """Backed up from one bucket, restored by another process (its storage set by the
    environment, as a deployment's is) into an empty bucket: the same files, figures, history."""
    evidence = small_record()
    before = snapshot()
    assert list(before["files"]) == [evidence.file.name]

    manifest = backup.create_backup(output=tmp_path / "backup")
    assert [f["name"] for f in manifest["files"]] == [evidence.file.name]
    copied = (tmp_path / "backup" / "files" / evidence.file.name).read_bytes()
    original = s3.get_object(Bucket=bucket, Key=f"adelante/{evidence.file.name}")["Body"]
    assert copied == original.read()

    target = _new_bucket(s3)
    for name, value in _environ(s3_endpoint, target).items():
        monkeypatch.setenv(name, value)
    after = restore_elsewhere(tmp_path / "backup", tmp_path / "restored", scratch_database_url)
    assert after["files"] == before["files"]
    assert after["figures"] == before["figures"]
    assert keys(s3, target) == [f"adelante/{evidence.file.name}"]
