"""Where uploaded and stored files live: local disk, or an S3-compatible object store
(docs/deploy.md, "Files in object storage").

Read by `adelante.settings` before Django is configured. Without ``S3_BUCKET`` files stay in
``<data dir>/media`` on the machine's own disk, as on one machine. With ``S3_BUCKET`` the
default storage (evidence files, due-diligence documents, uploaded import files, and what
`adelante backup` copies) is django-storages' S3 backend, so every app server and worker reads
and writes the same files:

``S3_BUCKET``               the bucket (required to turn object storage on)
``S3_ENDPOINT_URL``         an S3-compatible store's address (MinIO, Ceph, ...); unset for AWS
``S3_REGION``               the bucket's region (e.g. ``eu-west-1``); unset: the SDK's default
``S3_ACCESS_KEY_ID``        the access key, with ``S3_SECRET_ACCESS_KEY``; both unset: the
``S3_SECRET_ACCESS_KEY``    standard AWS chain (environment, shared files, instance role)
``S3_PREFIX``               a folder inside the bucket for this deployment's files
``S3_URL_EXPIRE_SECONDS``   lifetime of a signed URL, 300 by default

Files are private: no ACL is set on an object (the bucket's own policy applies, which should
block public access), URLs are always signed and short-lived, and a name already taken is
never overwritten (a new name is chosen). The pages never hand out an object's URL: a
permission-checked view streams the file (adelante/workflow/views/common.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

S3_BACKEND = "storages.backends.s3.S3Storage"
FILESYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"
#: A signed URL's lifetime when S3_URL_EXPIRE_SECONDS is not set.
DEFAULT_URL_EXPIRE_SECONDS = 300


def default_storage(environ: Mapping[str, str]) -> dict[str, Any]:
    """`STORAGES["default"]` for this environment."""
    bucket = (environ.get("S3_BUCKET") or "").strip()
    if not bucket:
        return {"BACKEND": FILESYSTEM_BACKEND}
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "location": (environ.get("S3_PREFIX") or "").strip().strip("/"),
        # Private objects: no ACL header (the bucket's policy decides, and should block public
        # access); URLs, if ever made, are signed and expire; names are never reused.
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": int(
            environ.get("S3_URL_EXPIRE_SECONDS") or DEFAULT_URL_EXPIRE_SECONDS
        ),
        "file_overwrite": False,
        # Signature version 4: what every current store (AWS, MinIO) accepts.
        "signature_version": "s3v4",
    }
    optional = {
        "endpoint_url": environ.get("S3_ENDPOINT_URL"),
        "region_name": environ.get("S3_REGION"),
        "access_key": environ.get("S3_ACCESS_KEY_ID"),
        "secret_key": environ.get("S3_SECRET_ACCESS_KEY"),
    }
    options.update({k: v.strip() for k, v in optional.items() if v and v.strip()})
    if "endpoint_url" in options:
        # Self-hosted stores are usually addressed by path (http://minio:9000/bucket/name),
        # not by a bucket subdomain.
        options["addressing_style"] = "path"
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
