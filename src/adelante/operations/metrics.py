"""Prometheus metrics at ``/metrics``, for the operations network only (docs/deploy.md, "Metrics").

Off unless ``ADELANTE_METRICS=1``: then django-prometheus counts requests, responses and their
latency, and this middleware answers ``/metrics`` to the addresses of
``ADELANTE_METRICS_ALLOWED`` (addresses or networks; loopback by default) and a 404 to every
other. The address is the connection's own (``REMOTE_ADDR``), never ``X-Forwarded-For``: the
scraper reaches the app server directly, and the documented nginx site does not pass
``/metrics`` on. Like the health probes, it is answered before the host check and the HTTPS
redirect (a scraper asks by address, over plain HTTP inside the operations network).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from adelante.operations import networks as listed

PATH = "/metrics"

Network = listed.Network
Handler = Callable[[HttpRequest], HttpResponseBase]


def allowed(remote_addr: str, entries: Iterable[str]) -> bool:
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(
        address in network
        for network in listed.parse(tuple(entries), setting="ADELANTE_METRICS_ALLOWED")
    )


class MetricsMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info.rstrip("/") != PATH:
            return self.get_response(request)
        entries = getattr(settings, "ADELANTE_METRICS_ALLOWED", ())
        if not allowed(request.META.get("REMOTE_ADDR", ""), entries):
            return HttpResponse("Not Found\n", status=404, content_type="text/plain")
        from django_prometheus.exports import ExportToDjangoView

        response: HttpResponseBase = ExportToDjangoView(request)
        response["Cache-Control"] = "no-store"
        return response
