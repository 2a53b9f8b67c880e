"""With DEBUG off and the documented environment, Django's deployment check reports nothing."""

import os
import subprocess
import sys

import pytest

# Each check runs the command line in processes of its own, on their own embedded database.
pytestmark = pytest.mark.any_database


def adelante(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "adelante.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


SETUP = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='adelante.settings'; django.setup()"
)


SETUP = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='adelante.settings'; django.setup()"
)


def base_env(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env["ADELANTE_DATA_DIR"] = str(tmp_path)
    env["DATABASE_URL"] = ""
    return env


def test_check_deploy_is_clean(tmp_path):
    env = base_env(tmp_path)
    env.update(
        DEBUG="0",
        SECRET_KEY="k3y-" + "x7Qp9zL2mN4vB8cR1tY6wE3uI5oA0sD" * 2,
        ALLOWED_HOSTS="adelante.example.org",
    )
    result = adelante("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_without_secret_key_and_debug_off_it_refuses_to_start(tmp_path):
    env = base_env(tmp_path)
    env["DEBUG"] = "0"
    result = adelante("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("url", ["postgres://u@db.example.org:5432/adelante"])
def test_database_url_selects_postgresql(tmp_path, url):
    env = base_env(tmp_path)
    env.update(DEBUG="1", DATABASE_URL=url)
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"{SETUP}; {code}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "django.db.backends.postgresql", result.stderr
