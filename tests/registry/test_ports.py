"""Ports by code and by name in both languages: what a movement stores for a port entered, how pages name
it, and the migration that turned the names stored before into codes."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.apps import apps

from exitentry.registry import ports
from exitentry.registry.models import EntryExit, TravelDocument
from factories import PersonFactory

pytestmark = pytest.mark.django_db

port_codes = importlib.import_module("exitentry.registry.migrations.0013_port_codes")


@pytest.mark.parametrize(
    "entered",
    [
        "PEK",
        "pek",
        "Beijing Capital International Airport",
        "  beijing  capital airport ",
        "北京首都国际机场",
    ],
)
def test_a_port_entered_by_its_code_or_either_name_is_stored_as_its_code(entered):
    assert ports.code_for(entered) == "PEK"


def test_a_port_the_catalogue_lacks_is_kept_as_entered_and_named_so_in_both_languages():
    assert ports.code_for("  Manzhouli  Railway Port ") == "Manzhouli Railway Port"
    assert not ports.known("Manzhouli Railway Port")
    assert ports.text("Manzhouli Railway Port").as_dict() == {
        "en": "Manzhouli Railway Port",
        "zh": "Manzhouli Railway Port",
    }


@pytest.mark.parametrize("entered", ["", "   ", "x" * (ports.MAX_LENGTH + 1)])
def test_a_blank_or_overlong_port_is_refused_in_both_languages(entered):
    with pytest.raises(ports.BadPort) as refused:
        ports.code_for(entered)
    assert "Name the port" in refused.value.text.en and "请填写口岸" in refused.value.text.zh


def test_every_port_has_a_code_and_names_in_both_languages_that_lead_back_to_it():
    for code, port in ports.PORTS.items():
        assert port.code == code and port.name.en and port.name.zh and port.name.en != port.name.zh
        assert ports.code_for(port.name.en) == ports.code_for(port.name.zh) == ports.code_for(code) == code
    assert ports.name("PKX", "zh-hans") == "北京大兴国际机场"
    assert ports.name("beijing-west-railway", "en") == "Beijing West Railway Station"


def test_the_migration_turns_the_names_stored_before_into_codes_and_keeps_the_others():
    person = PersonFactory()
    passport = TravelDocument.objects.create(
        person=person, number="C0PORT001", issuing_country="DEU", issued_on=date(2020, 1, 1),
        expires_on=date(2030, 1, 1),
    )  # fmt: skip
    stored = ["Beijing Capital Airport", "北京大兴国际机场", "Manzhouli Railway Port", "PEK"]
    for day, port in enumerate(stored, start=1):
        EntryExit.objects.create(
            person=person, direction="entry", on=date(2026, 1, day), port=port, travel_document=passport
        )
    port_codes.names_to_codes(apps, None)
    assert list(person.movements.order_by("on").values_list("port", flat=True)) == [
        "PEK",
        "PKX",
        "Manzhouli Railway Port",
        "PEK",
    ]
    port_codes.codes_to_names(apps, None)
    assert list(person.movements.order_by("on").values_list("port", flat=True)) == [
        "Beijing Capital International Airport",
        "Beijing Daxing International Airport",
        "Manzhouli Railway Port",
        "Beijing Capital International Airport",
    ]
