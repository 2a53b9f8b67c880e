"""Request ids and JSON logs: one JSON object per line, with the request's id (taken from a sane
X-Request-ID, otherwise made) or the run's id, echoed in the response."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from adelante.operations import context
from adelante.operations.logs import logging_config


@pytest.fixture
def json_lines():
    """The project's JSON handler (its LOGGING's formatter and filter) on a string, for the
    adelante loggers; the lines written, parsed."""
    config = logging_config(log_format="json", level="INFO")
    stream = io.StringIO()
    formatter_options = dict(config["formatters"]["json"])
    factory = formatter_options.pop("()")
    module, _, name = factory.rpartition(".")
    formatter = getattr(__import__(module, fromlist=[name]), name)(**formatter_options)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(context.ContextFilter())
    logger = logging.getLogger("adelante")
    saved = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved)


@pytest.mark.django_db
def test_each_request_gets_an_id_echoed_and_logged(client, json_lines):
    response = client.get("/en/")
    made = response["X-Request-ID"]
    assert len(made) == 32
    lines = json_lines()
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == made
    assert line["logger"] == "adelante.request"
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["status"] == response.status_code
    assert isinstance(line["duration_ms"], float)
    assert line["time"].endswith("+00:00")
    assert set(line) >= {"time", "level", "logger", "message", "request_id", "path"}


@pytest.mark.django_db
def test_a_sane_id_from_the_proxy_is_kept_and_others_are_replaced(client, json_lines):
    sane = "3f2b8c1d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
    assert client.get("/en/", HTTP_X_REQUEST_ID=sane)["X-Request-ID"] == sane
    for bad in ["", "short", "x" * 200, 'a"b\nc{"level": "ERROR"}', "with spaces in it ok"]:
        given = client.get("/en/", HTTP_X_REQUEST_ID=bad)["X-Request-ID"]
        assert given != bad and context.SANE_ID.fullmatch(given)
    assert json_lines()[0]["request_id"] == sane


def test_log_lines_inside_a_run_carry_its_id(json_lines):
    log = logging.getLogger("adelante.operations.test")
    with context.run("adelante send-reminders") as run_id:
        log.warning("a line of the run")
    log.warning("outside")
    inside, outside = json_lines()
    assert inside["run_id"] == run_id and inside["request_id"] == ""
    assert inside["path"] == "adelante send-reminders"
    assert outside["run_id"] == ""


def test_an_exception_stays_on_one_line(json_lines):
    try:
        raise ValueError("broken\non two lines")
    except ValueError:
        logging.getLogger("adelante.operations.test").exception("failed")
    (line,) = json_lines()
    assert "ValueError: broken" in line["exc_info"]


def test_an_unknown_log_format_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        logging_config(log_format="xml", level="INFO")


@pytest.mark.any_database  # the command line in its own process
def test_a_command_logs_json_lines_with_its_run_id(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(ADELANTE_DATA_DIR=str(tmp_path), DATABASE_URL="", DEBUG="0", LOG_LEVEL="INFO")
    code = (
        "import logging, sys\n"
        "from django.core.management import BaseCommand\n"
        "import adelante.cli as cli\n"
        "sys.argv = ['adelante', 'check']\n"
        "from django.core.management.commands import check\n"
        "original = check.Command.handle\n"
        "def handle(self, *a, **k):\n"
        "    logging.getLogger('adelante.test').info('checking')\n"
        "    return original(self, *a, **k)\n"
        "check.Command.handle = handle\n"
        "cli.main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    (line,) = [json.loads(x) for x in done.stderr.splitlines() if "checking" in x]
    assert len(line["run_id"]) == 32
    assert line["path"] == "adelante check"


@pytest.mark.django_db
def test_django_s_own_response_lines_carry_the_request_id(client, json_lines):
    """Django logs a 404 after the middleware has returned: the line still has the id."""
    logger = logging.getLogger("django.request")
    adelante_handlers = logging.getLogger("adelante").handlers
    logger.addHandler(adelante_handlers[-1])
    try:
        response = client.get("/en/nothing-here/")
    finally:
        logger.removeHandler(adelante_handlers[-1])
    assert response.status_code == 404
    django_line = next(line for line in json_lines() if line["logger"] == "django.request")
    assert django_line["request_id"] == response["X-Request-ID"]
    assert django_line["status"] == 404
    assert django_line["path"] == "/en/nothing-here/"
