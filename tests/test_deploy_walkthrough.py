"""docs/deploy.md, walked through on paper: every shell command it gives names something real.

This machine has no systemd running (nothing can be enabled or started), no DNS name and no
certificate authority, so the walkthrough cannot be run end to end here (docs/deploy.md,
"What was verified here"). What can be checked is that each command of its shell blocks
refers to things that exist: the programs (on this machine, or listed below as Debian's and
absent here), the installation's commands (`adelante`, `gunicorn`, `pip` in the virtual
environment), each `adelante` subcommand, each file of the kit it copies, each unit it
enables or starts, and each variable it sets (in deploy/adelante.env.example).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands

pytestmark = pytest.mark.any_database

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "deploy.md"
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
INSTALLED = "/srv/adelante/venv/bin/"
KIT = "/srv/adelante/deploy/"
#: Programs the guide uses that this machine does not have, each with why that is fine.
ABSENT_HERE = {
    "certbot": "Debian's certbot package (step 1 installs it); no certificate is issued here",
}
#: Words that start a line of a shell block without being a program.
SHELL_WORDS = {"set", ".", "exec", "sh"}


def shell_blocks() -> list[str]:
    """The text of every ```sh block of the guide (indented ones in lists included)."""
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"^( *)```sh\n(.*?)^\1```", text, flags=re.M | re.S)
    return [re.sub(rf"^{indent}", "", body, flags=re.M) for indent, body in blocks]


def commands() -> list[list[str]]:
    """Each simple command of the shell blocks, as words: lines split at ;, &&, || and |,
    comments dropped, the guide's `as_adelante` wrapper and leading VAR=value taken off.
    Crontab lines and the wrapper's own definition are left out."""
    found = []
    for block in shell_blocks():
        for line in block.splitlines():
            line = line.strip()
            if not line or line.startswith("as_adelante()") or re.match(r"\d", line):
                continue
            lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|")
            lexer.whitespace_split = True
            lexer.commenters = "#"
            words: list[str] = []
            for token in [*lexer, ";"]:
                if set(token) <= set(";&|"):
                    if words:
                        found.append(words)
                    words = []
                else:
                    words.append(token)
    return [strip(words) for words in found if strip(words)]


def strip(words: list[str]) -> list[str]:
    if words and words[0] == "as_adelante":
        words = words[1:]
    while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
        words = words[1:]
    return words


def assignments() -> set[str]:
    """The variables the guide sets (VAR=value at the start of a line or a command)."""
    names = set()
    for block in shell_blocks():
        names |= set(re.findall(r"(?:^|\s)([A-Z][A-Z0-9_]*)=", block, flags=re.M))
    return names


def test_the_guide_has_its_commands():
    found = commands()
    programs = {words[0] for words in found}
    # The walkthrough's steps, so that a parser that finds nothing cannot pass.
    assert {"apt-get", "install", "systemctl", f"{INSTALLED}adelante", "nginx"} <= programs
    assert len(found) > 25


def test_every_program_exists_here_or_is_known_to_be_debians():
    missing = set()
    for words in commands():
        program = words[0]
        if program.startswith(INSTALLED) or program == "adelante" or program in SHELL_WORDS:
            continue
        here = shutil.which(program) or any(
            os.access(f"{folder}/{program}", os.X_OK) for folder in ("/usr/sbin", "/sbin")
        )
        if not here and program not in ABSENT_HERE:
            missing.add(program)
    assert not missing, f"programs the guide uses that are neither here nor listed: {missing}"


def test_the_installations_commands_and_adelantes_subcommands_exist():
    subcommands = set(get_commands())
    for words in commands():
        program = words[0]
        if program.startswith(INSTALLED):
            assert (BIN / program.removeprefix(INSTALLED)).exists(), words
            program = program.removeprefix(INSTALLED)
        if program == "adelante":
            assert len(words) > 1 and words[1] in subcommands, words


def test_every_file_of_the_kit_it_copies_exists():
    for words in commands():
        for word in words:
            if word.startswith(KIT):
                matches = list(DEPLOY.glob(word.removeprefix(KIT)))
                assert matches, f"{word} is not in deploy/"


def test_every_unit_it_enables_starts_or_lists_exists():
    units = {p.name for p in (DEPLOY / "systemd").iterdir()}
    named = set()
    for words in commands():
        if words[0] != "systemctl":
            continue
        for word in words[2:]:
            if word.startswith("adelante-") and "*" not in word:
                named.add(word)
                assert word in units or f"{word}.service" in units, word
    assert {"adelante-web", "adelante-worker", "adelante-daily.timer"} <= named


def test_every_variable_it_sets_is_in_the_environment_file_example():
    example = (DEPLOY / "adelante.env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", example, flags=re.M))
    assert assignments() - listed == set()
    assert {"S3_BUCKET", "DATABASE_URL"} <= assignments()


def test_the_units_adelante_commands_are_real_subcommands_with_options_they_accept():
    """Each unit's `adelante …` command names a subcommand, and its options are ones that
    subcommand's parser accepts (gunicorn's command line is checked by test_deploy_kit.py,
    with --check-config)."""
    from django.core.management import load_command_class

    subcommands = get_commands()
    seen = 0
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        for line in unit.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            if key.strip() not in {"ExecStart", "ExecStartPre"}:
                continue
            words = shlex.split(value.strip().lstrip("-@+!:"))
            if words[0] in {"/bin/sh", "/usr/bin/sh"} and words[1] == "-c":
                # systemd's escapes undone; what the shell computes, $(…), is one word.
                script = words[2].replace("$$", "$").replace("%%", "%")
                script = re.sub(r"\$\([^)]*\)", "computed", script)
                words = [w for w in shlex.split(script) if w != "exec"]
            if words[0] != f"{INSTALLED}adelante":
                continue
            name = words[1]
            assert name in subcommands, (unit.name, words)
            command = load_command_class(subcommands[name], name)
            # A wrong option or a missing required one is a CommandError here.
            command.create_parser("adelante", name).parse_args(words[2:])
            seen += 1
    assert seen == 4  # send-reminders, cleanup, worker and backup
