"""`adelante initiative create|list` and the service behind it (founding.found_initiative)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from adelante.catalogue.models import Metric
from adelante.errors import Conflict, Invalid
from adelante.initiatives.founding import Founding, found_initiative
from adelante.initiatives.models import Initiative

pytestmark = pytest.mark.django_db

COASTAL = [
    "create",
    "--slug", "coastal-resilience",
    "--name", "Coastal Resilience Pledges",
    "--name-es", "Compromisos de Resiliencia Costera",
    "--countries", "KE, tz;MZ,MG",
    "--synthetic",
    "--languages-pending", "fr",
    "--currency", "usd",
    "--reason", "second initiative",
]  # fmt: skip


def run(*args: str) -> str:
    out = StringIO()
    call_command("initiative", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_create_makes_the_initiative_with_its_countries_in_order():
    printed = run(*COASTAL)
    made = Initiative.objects.get(slug="coastal-resilience")
    assert "coastal-resilience" in printed and "KE, TZ, MZ, MG" in printed
    assert made.country_codes() == ("KE", "TZ", "MZ", "MG")
    assert (made.synthetic, made.languages_pending, made.display_currency) == (True, "fr", "USD")
    assert made.name_es == "Compromisos de Resiliencia Costera"
    assert not made.primary
    primary = Initiative.objects.get(primary=True)
    assert made.position > primary.position
    assert made.history.get().history_change_reason == "second initiative"
    assert made.countries.get(code="MZ").history.count() == 1


def test_list_shows_every_initiative_primary_first_with_its_labels():
    run(*COASTAL)
    lines = run("list").splitlines()
    assert lines[0].startswith("central-america-forward\t")
    assert "GT,SV,HN" in lines[0] and "primary" in lines[0]
    assert lines[1].startswith("coastal-resilience\t")
    assert "KE,TZ,MZ,MG" in lines[1]
    assert "synthetic" in lines[1] and "fr" in lines[1]


def test_an_unknown_country_is_refused_by_name_and_nothing_is_made():
    args = [*COASTAL]
    args[args.index("--countries") + 1] = "KE,XX,QQ"
    with pytest.raises(CommandError, match="XX, QQ"):
        run(*args)
    assert not Initiative.objects.filter(slug="coastal-resilience").exists()


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--countries", "KE,TZ,KE", "named twice: KE"),
        ("--countries", " ", "at least one country"),
        ("--languages-pending", "french!", "french!"),
        ("--slug", "not a slug", "slug"),
        ("--currency", "dollars", "ISO 4217"),
        # The shape of a code, but no ISO 4217 currency's.
        ("--currency", "XYZ", "XYZ is not an ISO 4217 currency code"),
    ],
)
def test_bad_fields_are_refused_with_a_message(option, value, message):
    args = [*COASTAL]
    args[args.index(option) + 1] = value
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert Initiative.objects.count() == 1


def test_a_taken_slug_is_a_conflict_unless_asked_to_leave_it():
    run(*COASTAL)
    with pytest.raises(CommandError, match="already an initiative coastal-resilience"):
        run(*COASTAL)
    printed = run(*COASTAL, "--if-missing")
    assert "left as it is" in printed
    assert Initiative.objects.filter(slug="coastal-resilience").count() == 1


def test_the_service_refuses_with_field_errors():
    with pytest.raises(Invalid) as refused:
        found_initiative(Founding(slug="x", name="X", countries=["ZZ"]))
    assert "countries" in refused.value.field_errors
    found_initiative(Founding(slug="x", name="X", countries=["ke"]))
    with pytest.raises(Conflict):
        found_initiative(Founding(slug="x", name="Y", countries=["TZ"]))
    assert Initiative.objects.get(slug="x").country_codes() == ("KE",)


def test_change_sets_only_the_options_given():
    run(*COASTAL)
    Metric.objects.create(code="mangroves", name_en="Mangroves", name_es="Manglares", unit="people")
    printed = run(
        "change", "coastal-resilience", "--countries", "MZ,KE,UG", "--name", "Coastal Pledges",
        "--no-synthetic", "--languages-pending", "", "--accent-colour", "#123456",
        "--metrics", "mangroves", "--position", "9", "--reason", "tidy",
    )  # fmt: skip
    assert "Changed initiative coastal-resilience" in printed and "countries" in printed
    made = Initiative.objects.get(slug="coastal-resilience")
    assert made.country_codes() == ("MZ", "KE", "UG")
    assert (made.name, made.name_es) == ("Coastal Pledges", "Compromisos de Resiliencia Costera")
    assert (made.synthetic, made.languages_pending, made.accent_colour) == (False, "", "#123456")
    assert [m.code for m in made.metrics.all()] == ["mangroves"] and made.position == 9
    assert made.history.latest().history_change_reason == "tidy"
    printed = run("change", "coastal-resilience", "--primary")
    assert list(Initiative.objects.filter(primary=True)) == [made]
    assert "nothing" in run("change", "coastal-resilience")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere", "--name", "X"], "No initiative “nowhere”; the initiatives are: "),
        (
            ["coastal-resilience", "--metrics", "mangroves,sea"],
            "No catalogue metric mangroves, sea",
        ),
        (["coastal-resilience", "--countries", "KE,XX"], "Not ISO 3166-1 country codes: XX."),
        (["central-america-forward", "--no-primary"], "unrecognized arguments"),
    ],
)
def test_change_refuses_with_a_message(args, message):
    run(*COASTAL)
    with pytest.raises(CommandError, match=message):
        run("change", *args)
    assert Initiative.objects.get(slug="coastal-resilience").country_codes()[-1] == "MG"


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path


def refused(*args: str) -> CommandError:
    with pytest.raises(CommandError) as refusal:
        run(*args)
    return refusal.value


def test_create_and_change_set_a_logo_and_no_logo_removes_it(media):
    (media / "wave.png").write_bytes(PNG)
    run(*COASTAL, "--logo", str(media / "wave.png"))
    made = Initiative.objects.get(slug="coastal-resilience")
    assert made.logo.name.startswith("initiatives/wave") and made.logo.name.endswith(".png")
    with made.logo.open("rb") as stored:
        assert stored.read() == PNG
    # A JPEG named .png is kept under the name of what it is.
    (media / "sun.png").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 32)
    printed = run("change", "coastal-resilience", "--logo", str(media / "sun.png"))
    assert "logo" in printed
    made.refresh_from_db()
    assert made.logo.name.startswith("initiatives/sun") and made.logo.name.endswith(".jpg")
    run("change", "coastal-resilience", "--no-logo", "--reason", "no logo")
    made.refresh_from_db()
    assert not made.logo
    assert made.history.latest().history_change_reason == "no logo"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("wave.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "never SVG"),
        ("wave.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "never SVG"),
        ("notes.png", b"not an image at all", "never SVG"),
        ("huge.png", PNG + b"\x00" * (1024 * 1024), "A logo is at most 1024 KB"),
    ],
)
def test_a_bad_logo_is_one_line_and_nothing_is_written(media, name, content, message):
    run(*COASTAL)
    made = Initiative.objects.get(slug="coastal-resilience")
    rows = made.history.count()
    (media / name).write_bytes(content)
    error = refused("change", "coastal-resilience", "--logo", str(media / name), "--name", "X")
    assert message in str(error) and "\n" not in str(error)
    assert error.returncode == 1
    made.refresh_from_db()
    assert (made.name, bool(made.logo), made.history.count()) == (
        "Coastal Resilience Pledges",
        False,
        rows,
    )
    assert not (media / "media").exists() or not list((media / "media").rglob("*"))
    # Creating with it writes nothing either.
    error = refused(*COASTAL[:2], "other", *COASTAL[3:], "--logo", str(media / name))
    assert message in str(error)
    assert not Initiative.objects.filter(slug="other").exists()


def test_a_logo_that_cannot_be_read_is_one_line(media):
    error = refused(*COASTAL, "--logo", str(media / "missing.png"))
    assert str(error).startswith("Cannot read the logo ") and "missing.png" in str(error)
    assert not Initiative.objects.filter(slug="coastal-resilience").exists()


def test_logo_and_no_logo_are_not_given_together(media):
    run(*COASTAL)
    (media / "wave.png").write_bytes(PNG)
    with pytest.raises(CommandError, match="not allowed with argument"):
        run("change", "coastal-resilience", "--logo", str(media / "wave.png"), "--no-logo")
