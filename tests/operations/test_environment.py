"""Where the data directory is, and when a development secret key is acceptable."""

from __future__ import annotations

import re
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from adelante.operations import environment
from adelante.operations.environment import KEY_FILE, SAID, Run, data_dir, secret_key

ROOT = environment.PACKAGE_DIR.parents[1]


@pytest.fixture(autouse=True)
def said_is_undone(monkeypatch):
    """Saying the key marks os.environ (for child processes); undo it after each test."""
    monkeypatch.setenv(SAID, "")


def test_the_data_directory_is_the_setting_or_the_installation_never_the_current_folder(
    tmp_path, monkeypatch
):
    assert data_dir({"ADELANTE_DATA_DIR": str(tmp_path / "d")}) == tmp_path / "d"
    monkeypatch.chdir(tmp_path)
    found = data_dir({})
    assert found == environment.installation_data_dir().resolve()
    assert tmp_path not in found.parents
    # From a source checkout: its var/; installed as a package: the Python prefix's.
    if (ROOT / "pyproject.toml").is_file():
        assert found == (ROOT / "var").resolve()
    else:
        assert found == (environment.Path(sys.prefix) / "var" / "adelante").resolve()


def test_a_set_key_is_used_as_it_is(tmp_path):
    assert secret_key({"SECRET_KEY": "k"}, debug=False, directory=tmp_path) == "k"


def test_with_debug_off_and_no_key_it_is_a_one_line_error(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set") as refused:
        secret_key({}, debug=False, directory=tmp_path)
    assert "\n" not in str(refused.value)
    assert not (tmp_path / KEY_FILE).exists()


def test_a_development_key_is_kept_in_the_data_directory_and_said_once(tmp_path, capsys):
    environ: dict[str, str] = {}
    first = secret_key(environ, debug=True, directory=tmp_path)
    said = capsys.readouterr().err.splitlines()
    assert len(said) == 1 and "new development key" in said[0] and str(tmp_path) in said[0]
    assert (tmp_path / KEY_FILE).read_text() == first
    # Said once: a process that was told (the variable is inherited) says nothing more.
    assert secret_key({SAID: "1"}, debug=True, directory=tmp_path) == first
    assert capsys.readouterr().err == ""


def test_adelante_env_development_allows_one_and_production_never(tmp_path, capsys):
    assert secret_key({"ADELANTE_ENV": "development"}, debug=False, directory=tmp_path)
    capsys.readouterr()
    with pytest.raises(ImproperlyConfigured):
        secret_key({"ADELANTE_ENV": "production"}, debug=True, directory=tmp_path)
    with pytest.raises(ImproperlyConfigured, match="ADELANTE_ENV"):
        secret_key({"ADELANTE_ENV": "staging"}, debug=True, directory=tmp_path)


def test_the_command_line_uses_a_development_key_already_kept_there(tmp_path, capsys):
    """`adelante figures` after scripts/demo.sh, with DEBUG off: the demo's key, said once."""
    with pytest.raises(ImproperlyConfigured):
        secret_key({}, debug=False, directory=tmp_path, run=Run(command_line=True))
    kept = secret_key({SAID: "1"}, debug=True, directory=tmp_path)
    assert secret_key({}, debug=False, directory=tmp_path, run=Run(command_line=True)) == kept
    assert "development key kept in" in capsys.readouterr().err
    # The web server never does.
    with pytest.raises(ImproperlyConfigured):
        secret_key({}, debug=False, directory=tmp_path, run=Run(command_line=False))


def test_without_a_data_directory_the_key_lasts_the_run_and_nothing_is_made(tmp_path, capsys):
    missing = tmp_path / "missing"
    assert secret_key({}, debug=True, directory=missing)
    assert "for this run only" in capsys.readouterr().err
    assert not missing.exists()


READS = re.compile(
    r'(?:env_flag\(|environ\.get\(|environ\[|env\.get\(|getenv\()\s*"([A-Z][A-Z0-9_]+)"'
)
#: Read by the code, but not configuration: the run's own marks and the test suite's.
NOT_CONFIGURATION = {SAID, "DJANGO_SETTINGS_MODULE"}


def test_the_environment_file_example_lists_every_variable():
    """deploy/adelante.env.example names every variable the package reads (set or commented)."""
    read = set()
    # The package, and gunicorn's configuration (the same environment file feeds both).
    for path in [*(ROOT / "src" / "adelante").rglob("*.py"), ROOT / "deploy" / "gunicorn.conf.py"]:
        read |= set(READS.findall(path.read_text(encoding="utf-8")))
    assert {"SECRET_KEY", "DATABASE_URL", "EMAIL_HOST", "SENTRY_DSN", "ADELANTE_BIND"} <= read
    example = (ROOT / "deploy" / "adelante.env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert read - NOT_CONFIGURATION - listed == set()
