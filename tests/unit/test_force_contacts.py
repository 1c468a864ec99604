"""A force's contact for one service: its own values for the service, else the force's, else
(for the unit) the service's declared name; and what the audit log keeps of a change."""

from __future__ import annotations

from webapp.services import SERVICES
from webapp.store.audit import changed
from webapp.store.force_services import clean_places, resolve, takes_online
from webapp.store.models import Force, ForceService

SERVICE = next(iter(SERVICES.values()))


def _force(**values: object) -> Force:
    base: dict[str, object] = {
        "id": "kent",
        "name": "Kent Police",
        "name_cy": None,
        "country": "England",
        "on_platform": True,
        "postal_address": "Force HQ\nMaidstone",
        "phone": "101",
        "email": None,
        "opening_hours": "9 to 5",
        "processing_time": "12 weeks",
    }
    return Force(**{**base, **values})


def test_empty_service_values_fall_back_to_the_force_and_the_declared_unit() -> None:
    contact = resolve(
        _force(),
        ForceService(force_id="kent", service=SERVICE.slug, offered=True, places=[]),
        SERVICE,
    )
    assert contact.postal_address == "Force HQ\nMaidstone" and contact.phone == "101"
    assert contact.processing_time == "12 weeks" and contact.email is None
    assert contact.unit_name == (str(SERVICE.unit_name) if SERVICE.unit_name else None)


def test_the_services_own_values_win() -> None:
    row = ForceService(
        force_id="kent",
        service=SERVICE.slug,
        offered=True,
        unit_name="Central Unit",
        phone="01622 000000",
        email="unit@kent.example",
        processing_time="6 weeks",
        places=["Maidstone station"],
    )
    contact = resolve(_force(), row, SERVICE)
    assert (
        contact.unit_name,
        contact.phone,
        contact.email,
        contact.processing_time,
        contact.places,
    ) == ("Central Unit", "01622 000000", "unit@kent.example", "6 weeks", ["Maidstone station"])
    assert contact.opening_hours == "9 to 5"  # not given for the service: the force's


def test_a_force_takes_a_service_online_only_when_on_the_platform_and_switched_on() -> None:
    on = ForceService(force_id="kent", service=SERVICE.slug, offered=True)
    off = ForceService(force_id="kent", service=SERVICE.slug, offered=False)
    assert takes_online(_force(), on)
    assert not takes_online(_force(), off)
    assert not takes_online(_force(), None)  # never chosen about: not taken
    assert not takes_online(_force(on_platform=False), on)
    assert not takes_online(None, on)


def test_places_are_one_a_line_without_blanks_or_repeats() -> None:
    assert clean_places(["  Maidstone  station ", "", "Dover", "Maidstone station", "x" * 500]) == [
        "Maidstone station",
        "Dover",
        "x" * 200,
    ]


def test_the_audit_keeps_only_what_changed() -> None:
    assert changed({"a": 1, "b": "x", "c": []}, {"a": 1, "b": "y", "c": ["p"]}) == (
        {"b": "x", "c": []},
        {"b": "y", "c": ["p"]},
    )
    assert changed({"a": 1}, {"a": 1}) == ({}, {})
