"""The project's URLs plus one API view that fails, to see how a server error is answered."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from adelante.urls import urlpatterns as project


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("api/v1/boom", boom), *project]
