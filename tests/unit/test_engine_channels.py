"""The channel in the engine's context: a question optional only in some channels, a question
asked only in some, what follows by post, and a journey worked out per channel."""

from __future__ import annotations

from datetime import date

import pytest

from webapp import engine
from webapp.engine import Step
from webapp.engine.conditions import all_of, answer_is, channel_is, needs_channel, not_
from webapp.engine.fields import Email, Option, Radios, Text
from webapp.engine.schema import ByPost, Declaration, Question, Section, Service, StartInfo

TODAY = date(2026, 6, 1)
STAFF = ("assisted", "paper")
BY_POST = all_of(channel_is(*STAFF), answer_is("photo_route", "post"))


def make_service() -> Service:
    return Service(
        slug="channels",
        title="Channels",
        sections=[
            Section(
                "you",
                "About you",
                [
                    Question("name", "Name", Text(), name="Name"),
                    Question(
                        "email",
                        "Email",
                        Email(),
                        error="Enter your email address",
                        name="Email",
                        hint="For updates",
                        optional_for=STAFF,
                        optional_hint="Leave empty if none",
                    ),
                    Question(
                        "photo_route",
                        "How is the photo sent?",
                        Radios([Option("upload", "Upload now"), Option("post", "By post")]),
                        condition=channel_is(*STAFF),
                    ),
                    Question("photo_ref", "Photo reference", Text(), condition=not_(BY_POST)),
                ],
            ),
        ],
        start=StartInfo(summary=[], you_will_need=[], time_to_complete=""),
        declaration=Declaration(statements=[], confirm="I confirm", error="Confirm"),
        contact_email="email",
        by_post=[ByPost("photos", "Photos", BY_POST)],
    )


SERVICE = make_service()


def test_a_question_is_optional_only_in_the_channels_it_names() -> None:
    answers = {"name": "Ann"}
    online = engine.submit(SERVICE, answers, Step("email"), {"email": ""}, TODAY)
    assert [error.message for error in online.errors] == ["Enter your email address"]
    for channel in (None, "online"):
        assert engine.submit(
            SERVICE, answers, Step("email"), {"email": ""}, TODAY, channel=channel
        ).errors
    phone = engine.submit(SERVICE, answers, Step("email"), {"email": ""}, TODAY, channel="assisted")
    assert phone.errors == [] and phone.answers["email"] == ""
    # A bad address is still refused where the question is optional.
    assert engine.submit(
        SERVICE, answers, Step("email"), {"email": "nope"}, TODAY, channel="paper"
    ).errors


def test_the_relaxed_question_says_what_leaving_it_empty_means() -> None:
    online = engine.page_view(SERVICE, {"name": "Ann"}, Step("email"), today=TODAY)
    phone = engine.page_view(
        SERVICE, {"name": "Ann"}, Step("email"), today=TODAY, channel="assisted"
    )
    assert online.fields[0].params["hint"] == {"text": "For updates"}
    assert phone.fields[0].params["hint"] == {"text": "Leave empty if none"}
    assert SERVICE.questions["email"].question.optional is False  # the declaration is unchanged


def test_a_question_asked_only_in_some_channels_and_the_journey_per_channel() -> None:
    answers = {"name": "Ann", "email": "", "photo_route": "post"}
    section = SERVICE.sections[0]
    online_steps = engine.steps(SERVICE, answers, section, TODAY)
    phone_steps = engine.steps(SERVICE, answers, section, TODAY, channel="assisted")
    assert Step("photo_route") not in online_steps and Step("photo_ref") in online_steps
    assert Step("photo_route") in phone_steps and Step("photo_ref") not in phone_steps
    # The same answers are complete by phone, and not online (no email, no photo): the walk
    # cache keeps the two apart.
    assert engine.is_complete(SERVICE, answers, TODAY, channel="assisted")
    assert not engine.is_complete(SERVICE, answers, TODAY)
    assert engine.is_complete(SERVICE, answers, TODAY, channel="assisted")
    assert engine.can_visit(SERVICE, answers, Step("photo_route"), TODAY).allowed is False


def test_what_follows_by_post_and_the_contact_email() -> None:
    answers = {"name": "Ann", "email": "", "photo_route": "post"}
    assert [item.id for item in engine.awaited_by_post(SERVICE, answers, channel="assisted")] == [
        "photos"
    ]
    assert engine.awaited_by_post(SERVICE, answers) == []  # never online
    assert engine.contact_email(SERVICE, answers, channel="assisted") is None
    assert engine.contact_email(SERVICE, {**answers, "email": "a@example.com"}) == "a@example.com"


def test_needs_channel_tells_staff_only_conditions() -> None:
    assert needs_channel(channel_is("assisted"))
    assert needs_channel(BY_POST)
    assert not needs_channel(not_(BY_POST))
    assert not needs_channel(answer_is("name", "x"))
    assert not needs_channel(None)


def test_the_service_is_checked_for_an_unknown_contact_email() -> None:
    with pytest.raises(ValueError, match="contact email"):
        Service(
            slug="x",
            title="x",
            sections=SERVICE.sections,
            start=SERVICE.start,
            declaration=SERVICE.declaration,
            contact_email="nope",
        )
