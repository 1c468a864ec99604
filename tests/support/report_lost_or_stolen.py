"""The report of a lost or stolen firearm: its URL and what a person types on each page of its
straight run, in the order the pages come (shared by the journey and accessibility suites)."""

from __future__ import annotations

from typing import Any

from webapp.services.report_lost_or_stolen import SERVICE

BASE = f"/apply/{SERVICE.slug}"
POSTCODE = "LS1 1UR"

RUN: list[tuple[str, dict[str, Any]]] = [
    ("lost_items", {"lost_items": ["shotgun", "certificate"]}),
    ("certificate_number", {"certificate_number": "SG/12345"}),
    ("gun/0", {"gun_make": "Beretta", "gun_calibre": "12", "gun_serial": "BR-0001"}),
    ("guns_add_another", {"guns_add_another": "yes"}),
    ("gun/1", {"gun_make": "Browning", "gun_calibre": "20", "gun_serial": "BN-0002"}),
    ("guns_add_another", {"guns_add_another": "no"}),
    ("lost_or_stolen", {"lost_or_stolen": "stolen"}),
    ("happened_on", {"happened_on-day": "3", "happened_on-month": "2", "happened_on-year": "2026"}),
    ("happened_at", {"happened_at": "12 Park Road, Leeds"}),
    ("already_reported", {"already_reported": "yes", "crime_reference": "13/98765/26"}),
    ("what_happened_details", {"what_happened_details": "The cabinet was forced open overnight."}),
    ("name", {"surname": "Okafor", "forenames": "Ada"}),
    (
        "home_address",
        {
            "home_address-line1": "12 Park Road",
            "home_address-town": "Leeds",
            "home_address-postcode": POSTCODE,
        },
    ),
    ("phone", {"phone": "0113 496 0000"}),
    ("email", {"email": "ada@example.com"}),
]
