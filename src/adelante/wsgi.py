"""The WSGI entry point (`gunicorn adelante.wsgi`).

A configuration error (no SECRET_KEY with DEBUG off, for example) is said in one line on
standard error, and the process stops with status 3, which gunicorn takes for "the worker
failed to boot" (it stops instead of starting workers again and again).
"""

import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "adelante.settings")
try:
    application = get_wsgi_application()
except ImproperlyConfigured as exc:
    print(f"adelante: {exc}", file=sys.stderr, flush=True)
    sys.exit(3)
