"""A complete, valid firearms application, as stored answers and as the forms a person posts.
Shared by the unit, integration and end-to-end tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from webapp.engine import Step
from webapp.services.firearm_certificate import SERVICE
from webapp.uk_time import uk_today

BASE = f"/apply/{SERVICE.slug}"


def step_of(url: str) -> Step | None:
    """The question page a URL (or path) shows, or None for the journey's other pages."""
    path = urlsplit(url).path
    if not path.startswith(BASE + "/"):
        return None
    parts = path.removeprefix(BASE + "/").split("/")
    if parts[0] not in SERVICE.pages:
        return None
    return Step(parts[0], int(parts[1]) if len(parts) > 1 else None)


def address(line1: str, town: str, postcode: str) -> dict[str, str]:
    return {"line1": line1, "line2": "", "town": town, "county": "", "postcode": postcode}


def referee(name: str, years: str) -> dict[str, Any]:
    return {
        "referee_name": name,
        "referee_occupation": "Teacher",
        "referee_address": address("2 Mill Lane", "York", "YO1 7HH"),
        "referee_phone": "01632 960001",
        "referee_email": "ref@example.com",
        "referee_years": years,
        "referee_how": "Neighbour",
        "referee_not_excluded": ["confirmed"],
        "referee_agreed": ["agreed"],
    }


def _expiry() -> dict[str, str]:
    """A certificate expiry comfortably in the future, whenever the tests run."""
    when = uk_today() + timedelta(days=120)
    return {"day": str(when.day), "month": when.strftime("%b").lower(), "year": str(when.year)}


# Raw answers as the web layer stores them: a first firearm certificate with a renewed shotgun
# certificate, expiring together; moved home 3 years ago, so one previous address.
COMPLETE: dict[str, Any] = {
    "certificates": ["fac", "sgc"],
    "fac_kind": "grant",
    "sgc_kind": "renewal",
    "sgc_number": "SG/1234",
    "sgc_expiry": _expiry(),
    "coterminous": "yes",
    "fee_exemption": "no",
    "gender": "female",
    "title": "Ms",
    "surname": "Jones",
    "forenames": "Ann Mary",
    "has_other_names": "yes",
    "other_names": [{"other_surname": "Smith", "other_forenames": "Ann Mary"}],
    "other_names_add_another": "no",
    "home_address": address("1 High Street", "Leeds", "ls1 1ur"),
    "moved_in": {"month": "3", "year": "2023"},
    "home_phone": "",
    "mobile_phone": "07700 900982",
    "email": "ann@example.com",
    "previous_addresses": [
        {
            "previous_address": address("9 Old Road", "Bradford", "BD1 1AA"),
            "previous_from": {"month": "1", "year": "2019"},
            "previous_to": {"month": "3", "year": "2023"},
        }
    ],
    "previous_addresses_add_another": "no",
    "height": "170",
    "date_of_birth": {"day": "3", "month": "February", "year": "1980"},
    "place_of_birth": "Leeds, England",
    "nationality": "British",
    "employment": "retired",
    "abroad": "no",
    "conditions": ["none"],
    "gp_name": "High Street Surgery",
    "gp_address": address("5 High Street", "Leeds", "LS1 2AB"),
    "gp_phone": "0113 496 0000",
    "gp_email": "",
    "has_previous_gps": "no",
    "unregistered": "no",
    "other_doctors": "no",
    "medical_consent": ["agree"],
    "has_convictions": "no",
    "refused": "no",
    "firearms": [
        {
            "firearm_status": "held",
            "firearm_type": "rifle",
            "firearm_calibre": ".22 LR",
            "firearm_make": "CZ",
            "firearm_serial": "A12345",
            "firearm_parts": "",
            "firearm_reason": "target",
            "firearm_where": "Leeds Rifle Club, member 42",
        }
    ],
    "firearms_add_another": "no",
    "needs_ammunition": "yes",
    "ammunition": [
        {"ammo_calibre": ".22 LR", "ammo_buy": "500", "ammo_hold": "1,000", "ammo_expanding": "no"}
    ],
    "ammunition_add_another": "no",
    "has_shotguns": "no",
    "storage": "cabinet",
    "storage_location": "Bolted to the wall in the bedroom cupboard",
    "others_access": "no",
    "other_address": "no",
    "referees": [referee("Bob Lee", "12"), referee("Cara Singh", "3")],
    "photo_route": "upload",  # asked only when staff take the application (phone or paper)
    "photo": {"id": "1", "filename": "me.jpg", "content_type": "image/jpeg", "size": 1000},
}


class Form(dict):  # type: ignore[type-arg]
    def getlist(self, key: str) -> list[str]:
        value = self.get(key, [])
        return value if isinstance(value, list) else [value]


def form_for(step: Step, answers: dict[str, Any] = COMPLETE) -> Form:
    """The form a person would post on a page, built from stored answers (COMPLETE unless given)."""
    ref = SERVICE.pages[step.page_id]
    source: dict[str, Any] = answers
    if ref.group is not None and not ref.is_add_another:
        source = answers[ref.group.id][step.index or 0]
    form = Form()
    for question in ref.page.all_questions():
        value = source.get(question.id, answers.get(question.id))
        form.update(question.field.form_data(question, value))
    if ref.is_add_another and ref.group is not None:
        form[ref.group.more_question_id] = answers.get(ref.group.more_question_id, "no")
    return form
