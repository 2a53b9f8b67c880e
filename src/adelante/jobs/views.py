"""The pages that follow a job: the job's page and the small status fragment it polls.

A job's id says nothing to anyone but the person who started it: anonymous visitors are sent
to the sign-in page; a signed-in person who may not start such jobs gets a 404 (not even that
the job exists); then the role's own check (two-factor included) runs, and the view finds only
the person's own jobs (`own_job`, a 404 for anyone else's).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

from adelante.jobs.queue import Job, stalled

R = TypeVar("R", bound=HttpResponseBase)
View = Callable[..., R]


def job_view(
    *,
    required: Callable[[View[R]], View[R]],
    may_start: Callable[[AbstractBaseUser | AnonymousUser], bool],
) -> Callable[[View[R]], View[R]]:
    """A decorator for a job's pages: `required` is the role's access decorator (sign-in,
    role, two-factor), `may_start` says who may start such jobs."""

    def decorate(view: View[R]) -> View[R]:
        checked = required(view)

        @wraps(view)
        def wrapped(request: HttpRequest, job_id: str) -> R:
            if request.user.is_authenticated and not may_start(request.user):
                raise Http404
            return checked(request, job_id)

        return wrapped

    return decorate


def own_job(model: type[Any], request: HttpRequest, job_id: str) -> Any:
    """The job, if it is this person's; 404 for anyone else (and for no such job)."""
    job = model._default_manager.filter(pk=job_id, user=request.user).first()
    if job is None:
        raise Http404
    return job


def status_fragment(
    request: HttpRequest, template: str, context: Mapping[str, Any], job: Job
) -> HttpResponse:
    """The fragment the job's page polls (htmx) while the job works; once it is done, the
    whole page is loaded again to show the outcome."""
    response = render(request, template, dict(context))
    if not job.working:
        response["HX-Refresh"] = "true"
    return response


def requeue_if_stalled(job: Any, requeue: Callable[[], object]) -> None:
    """Opening the page of a job whose worker is gone queues it again (`requeue`), and the
    page shows the job as it is then."""
    if stalled(job):
        requeue()
        job.refresh_from_db()
