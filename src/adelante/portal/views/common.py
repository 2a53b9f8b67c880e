"""What every portal page shares: the date it shows, bad parameters as a 400 page, caching."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from adelante.portal.caching import cached_page
from adelante.portal.dates import ViewDate, view_date
from adelante.portal.problems import BadParameters

View = Callable[..., HttpResponse]
A = TypeVar("A")
B = TypeVar("B")


def without(request: HttpRequest, names: tuple[str, ...] | list[str]) -> str:
    """This page's URL with some query parameters left out."""
    kept = [(k, v) for k, values in request.GET.lists() for v in values if k not in names]
    query = urlencode(kept)
    return request.path + (f"?{query}" if query else "")


def bad_parameters(request: HttpRequest, problem: BadParameters) -> HttpResponse:
    """The 400 page: what is wrong with which parameter, and the page without it."""
    return render(
        request,
        "portal/400.html",
        {"problems": problem.problems, "retry_url": without(request, problem.drop)},
        status=400,
    )


def portal_page(view: View) -> View:
    """A GET page: cached by record state, bad parameters answered with a 400 page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except BadParameters as problem:
            return bad_parameters(request, problem)

    return cached_page(wrapper)


def page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, context, status=status)


def date_of(request: HttpRequest) -> ViewDate:
    return view_date(request.GET)


def read_both(first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """Both readers' values (the date, the page's own parameters); every problem of both in
    one `BadParameters`, so the 400 page's link leaves out every bad parameter at once
    instead of one at a time."""
    values: list[Any] = []
    problems: list[str] = []
    drop: list[str] = []
    for read in (first, second):
        try:
            values.append(read())
        except BadParameters as problem:
            problems += problem.problems
            drop += problem.drop
    if problems:
        raise BadParameters(problems, drop=drop)
    return values[0], values[1]


def hidden_params(request: HttpRequest, leave_out: tuple[str, ...]) -> list[tuple[str, str]]:
    """The query parameters a form must carry along (as hidden inputs) to keep the view."""
    return [
        (k, v)
        for k, values in request.GET.lists()
        for v in values
        if k not in leave_out and k != "page"
    ]
