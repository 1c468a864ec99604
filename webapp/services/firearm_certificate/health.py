"""Section 3: the applicant's health and GP practices, and consent to ask their doctors."""

from __future__ import annotations

from webapp.engine.conditions import answer_is
from webapp.engine.fields import YES, Address, Checkboxes, Email, Label, Option, Phone, Text, YesNo
from webapp.engine.schema import Page, Question, RepeatingGroup, Section
from webapp.i18n import lazy_gettext as _l

from .common import GP_YEARS, details

HEALTH_CONDITIONS = (
    ("stress", _l("Acute stress reaction or post-traumatic stress disorder (PTSD)")),
    ("self_harm", _l("Suicidal thoughts, self-harm or harming others")),
    ("depression", _l("Depression or anxiety")),
    ("dementia", _l("Dementia")),
    ("psychosis", _l("Mania, bipolar disorder or a psychotic illness")),
    ("personality", _l("A personality disorder")),
    (
        "neurological",
        _l(
            "A neurological condition, for example multiple sclerosis, Parkinson’s, Huntington’s or epilepsy"
        ),
    ),
    ("neurodevelopmental", _l("A neurodevelopmental condition, for example autism or ADHD")),
    ("substance", _l("Alcohol or drug misuse")),
    ("other", _l("Any other condition that could affect your safe use of firearms")),
)


def condition_option(value: str, label: Label) -> Option:
    """A condition to tick, with a box for its details revealed under it once ticked."""
    return Option(
        value,
        label,
        reveal=details(
            f"health_{value}_details",
            _l(
                "Give details of ‘%(condition)s’, including when and any treatment", condition=label
            ),
            _l("Details of ‘%(condition)s’", condition=label),
            _l("Enter details of ‘%(condition)s’", condition=label),
        ),
    )


GP_PRACTICE_PAGE = Page(
    "gp_practice",
    [
        Question(
            "gp_name",
            _l("Practice name"),
            Text(width="30"),
            error=_l("Enter the name of your GP practice"),
            name=_l("GP practice name"),
        ),
        Question("gp_address", _l("Address"), Address(), name=_l("GP practice address")),
        Question(
            "gp_phone",
            _l("Phone number"),
            Phone(autocomplete=None),
            error=_l("Enter your GP practice’s phone number"),
            name=_l("GP practice phone number"),
        ),
        Question(
            "gp_email",
            _l("Email address"),
            Email(autocomplete=None),
            optional=True,
            name=_l("GP practice email address"),
        ),
    ],
    title=_l("Your GP practice"),
)

PREVIOUS_GPS = RepeatingGroup(
    "previous_gps",
    _l("Your previous GP practices"),
    _l("previous GP practice"),
    [
        Page(
            "previous_gp",
            [
                Question(
                    "previous_gp_name",
                    _l("Practice name"),
                    Text(width="30"),
                    error=_l("Enter the name of the GP practice"),
                    name=_l("GP practice name"),
                ),
                Question(
                    "previous_gp_address",
                    _l("Address"),
                    Address(),
                    name=_l("GP practice address"),
                ),
            ],
            title=_l("Previous GP practice"),
        ),
    ],
    summary="previous_gp_name",
    add_another=_l("Do you need to add another GP practice?"),
    add_another_error=_l("Select yes if you need to add another GP practice"),
    condition=answer_is("has_previous_gps", YES),
)

MEDICAL_CONSENT_PAGE = Page(
    "medical_consent_page",
    [
        Question(
            "medical_consent",
            _l("Your agreement"),
            Checkboxes(
                (
                    Option(
                        "agree",
                        _l(
                            "I agree that the police can ask my GP and any doctor who has treated me for information about my health"
                        ),
                    ),
                )
            ),
            error=_l(
                "Select that you agree to the police asking for information about your health"
            ),
            name=_l("Consent to medical information"),
        ),
    ],
    title=_l("Your medical information"),
    body=[
        _l(
            "The police will ask your GP about your health. Your GP will also add a note to your medical record "
            "that you hold a certificate."
        ),
        _l(
            "You also need to ask your GP, or another doctor registered with the General Medical Council, to fill in a "
            "medical form. You may have to pay for this."
        ),
    ],
)

health = Section(
    "health",
    _l("Your health"),
    [
        Question(
            "conditions",
            _l("Have you ever been diagnosed with or treated for any of these?"),
            Checkboxes(
                (
                    *(condition_option(value, label) for value, label in HEALTH_CONDITIONS),
                    Option("none", _l("No, none of these"), exclusive=True, divider=True),
                )
            ),
            hint=_l("Select all that apply, including conditions you no longer have."),
            name=_l("Health conditions"),
            error=_l(
                "Select the conditions you have been diagnosed with or treated for, or ‘No, none of these’"
            ),
        ),
        GP_PRACTICE_PAGE,
        Question(
            "has_previous_gps",
            _l(
                "Have you been registered with another GP practice in the last %(years)s years?",
                years=GP_YEARS,
            ),
            YesNo(),
            name=_l("Other GP practices"),
            error=_l("Select yes if you have been registered with another GP practice"),
        ),
        PREVIOUS_GPS,
        Question(
            "unregistered",
            _l(
                "In the last %(years)s years, was there any time you were not registered with a GP "
                "in the UK?",
                years=GP_YEARS,
            ),
            YesNo(
                reveal_if_yes=details(
                    "unregistered_details",
                    _l("Give the dates you were not registered with a GP, and why"),
                    _l("Time not registered: details"),
                    _l("Enter the dates you were not registered with a GP"),
                )
            ),
            name=_l("Time not registered with a GP"),
            error=_l("Select yes if there was a time you were not registered"),
        ),
        Question(
            "other_doctors",
            _l(
                "In the last %(years)s years, have you been treated by a doctor other than your GP?",
                years=GP_YEARS,
            ),
            YesNo(
                reveal_if_yes=details(
                    "other_doctors_details",
                    _l("Give each doctor’s name and address, and what they treated you for"),
                    _l("Other doctors: details"),
                    _l("Enter the details of the other doctors who treated you"),
                )
            ),
            hint=_l("For example, privately or abroad"),
            name=_l("Other doctors"),
            error=_l("Select yes if you have been treated by another doctor"),
        ),
        MEDICAL_CONSENT_PAGE,
    ],
    depends_on=["application"],
)
