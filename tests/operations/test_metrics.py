"""Prometheus metrics: off by default; when on, /metrics answers the allowed addresses only."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings

from adelante.operations.metrics import allowed

WITH_METRICS = [
    settings.MIDDLEWARE[0],
    settings.MIDDLEWARE[1],
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "adelante.operations.metrics.MetricsMiddleware",
    *settings.MIDDLEWARE[2:],
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]


def test_off_by_default():
    assert settings.ADELANTE_METRICS is False
    assert "django_prometheus" not in settings.INSTALLED_APPS
    assert not [m for m in settings.MIDDLEWARE if "prometheus" in m or "metrics" in m]


@pytest.mark.django_db
def test_off_metrics_is_no_page(client):
    response = client.get("/metrics", follow=True)
    assert response.status_code == 404
    assert b"django_http" not in response.content


@pytest.mark.django_db
@override_settings(MIDDLEWARE=WITH_METRICS, ADELANTE_METRICS_ALLOWED=["10.8.0.0/16", "::1"])
def test_on_it_counts_requests_and_answers_only_the_operations_network(client):
    client.get("/en/")
    scraped = client.get("/metrics", REMOTE_ADDR="10.8.3.4", HTTP_HOST="10.0.0.5:8000")
    assert scraped.status_code == 200
    assert b"django_http_requests_total_by_method_total" in scraped.content
    assert b"django_http_responses_total_by_status_total" in scraped.content
    # Anyone else, through a proxy or not, gets nothing.
    for address, forwarded in [("203.0.113.9", ""), ("127.0.0.1", ""), ("203.0.113.9", "10.8.3.4")]:
        response = client.get("/metrics", REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=forwarded)
        assert response.status_code == 404, address
        assert b"django_http" not in response.content


def test_allowed_addresses_and_networks():
    assert allowed("127.0.0.1", ["127.0.0.1", "::1"])
    assert allowed("::ffff:10.8.0.1", ["10.8.0.0/16"])
    assert not allowed("10.9.0.1", ["10.8.0.0/16"])
    assert not allowed("not an address", ["0.0.0.0/0"])
