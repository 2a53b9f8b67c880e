"""What a new web worker does before it takes its first request (gunicorn's post_worker_init,
deploy/gunicorn.conf.py).

Django imports the URL configuration, and with it every view module, on the first request a
process answers: about 0.3 s of CPU here (docs/benchmarks.md, "The one-second pauses"). Done
in the hook instead, it is spent while the worker's siblings still answer, and a worker that
replaces one (gunicorn's max_requests, a reload) takes no request until it is ready.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import get_resolver
from django.utils import translation


def warm_up() -> None:
    """Import the URL configuration (every view), build its reverse lookup (`reverse`,
    `{% url %}`) and load each language's catalogue. Nothing in a process whose application
    did not set Django up (another WSGI application run with the same configuration)."""
    if not settings.configured:
        return
    resolver = get_resolver()
    resolver.reverse_dict  # noqa: B018  (the property builds the lookup tables)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Commitments")
