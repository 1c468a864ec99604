"""Section 8: the two referees."""

from __future__ import annotations

from webapp.engine.fields import (
    Address,
    Checkboxes,
    Email,
    Name,
    Number,
    Option,
    Phone,
    Text,
    TextArea,
)
from webapp.engine.schema import Page, Question, RepeatingGroup, Section
from webapp.i18n import lazy_gettext as _l

# Who cannot be a referee, from the 2025 review of Form 201 (SI 2025/914). TO CONFIRM: the
# whole list comes from that review and Avon and Somerset Constabulary's referee guidance, not
# from the current notes to Form 201 themselves; Police and Crime Commissioners, the Scottish
# Police Authority and a dealer's staff appear only in that review. Kept here, as the
# applicant's confirmation and as the referees' list, so a correction is made in one place.
NOT_A_REFEREE = [  # the same people, as the guidance for referees lists them
    _l("a member of the applicant’s family"),
    _l("a serving police officer or a member of police staff"),
    _l("a Police and Crime Commissioner or a member of their staff"),
    _l("a member of the Scottish Police Authority or its staff"),
    _l("a registered firearms dealer or one of their staff"),
]
REFEREE_IS_NOT = _l(
    "I confirm this referee is not a member of my family, a serving police officer, a member of "
    "police staff, a Police and Crime Commissioner or a member of their staff, a member of the "
    "Scottish Police Authority or its staff, or a registered firearms dealer or one of their staff"
)

REFEREES = RepeatingGroup(
    "referees",
    _l("Your referees"),
    _l("referee"),
    [
        Page(
            "referee_details",
            [
                Question(
                    "referee_name",
                    _l("Full name"),
                    Name(width="30"),
                    error=_l("Enter your referee’s full name"),
                    name=_l("Referee’s full name"),
                ),
                Question(
                    "referee_occupation",
                    _l("Job"),
                    Text(width="30"),
                    error=_l("Enter your referee’s job"),
                    name=_l("Referee’s job"),
                ),
            ],
            title=_l("Who is your referee?"),
            guide="referees",
            body=[
                _l(
                    "Your referee must know you personally, live in Great Britain and not charge you for the reference."
                )
            ],
        ),
        Question(
            "referee_address",
            _l("What is your referee’s address?"),
            Address(),
            name=_l("Referee’s address"),
        ),
        Page(
            "referee_contact",
            [
                Question(
                    "referee_phone",
                    _l("Phone number"),
                    Phone(autocomplete=None),
                    error=_l("Enter your referee’s phone number"),
                    name=_l("Referee’s phone number"),
                ),
                Question(
                    "referee_email",
                    _l("Email address"),
                    Email(autocomplete=None),
                    error=_l("Enter your referee’s email address"),
                    name=_l("Referee’s email address"),
                ),
            ],
            title=_l("How can we contact your referee?"),
        ),
        Page(
            "referee_known",
            [
                Question(
                    "referee_years",
                    _l("How many years has your referee known you?"),
                    Number(unit=_l("years"), minimum=0, maximum=110),
                    error=_l("Enter how many years your referee has known you"),
                    name=_l("Years known"),
                ),
                Question(
                    "referee_how",
                    _l("How do they know you?"),
                    TextArea(max_length=500),
                    hint=_l("For example, we have been members of the same club since 2015"),
                    error=_l("Enter how your referee knows you"),
                    name=_l("How they know you"),
                ),
            ],
            title=_l("How your referee knows you"),
        ),
        Page(
            "referee_checks",
            [
                Question(
                    "referee_not_excluded",
                    _l("Who cannot be your referee"),
                    Checkboxes((Option("confirmed", REFEREE_IS_NOT),)),
                    name=_l("Referee is not someone who cannot be a referee"),
                    error=_l(
                        "Select to confirm this referee is not someone who cannot be a referee"
                    ),
                ),
                Question(
                    "referee_agreed",
                    _l("Your referee’s agreement"),
                    Checkboxes(
                        (
                            Option(
                                "agreed",
                                _l("I confirm this referee has agreed to give me a reference"),
                            ),
                        )
                    ),
                    name=_l("Referee has agreed"),
                    error=_l("Select to confirm this referee has agreed to give you a reference"),
                ),
            ],
            title=_l("Check this referee can give you a reference"),
            guide="referees",
            body=[
                _l(
                    "The police will contact your referee, so they must have agreed to give you a "
                    "reference before you apply. Give them the guidance for referees."
                )
            ],
        ),
    ],
    summary="referee_name",
    add_another=_l("Do you need to add another referee?"),
    min=2,
    max=2,
)

referees = Section(
    "referees",
    _l("Referees"),
    [
        REFEREES,
    ],
    depends_on=["application"],
)
