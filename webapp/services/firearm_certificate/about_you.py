"""Section 2: about the applicant (names, addresses, contact details, work, time abroad)."""

from __future__ import annotations

from webapp.channels import STAFF_CHANNELS
from webapp.engine.conditions import answer_is
from webapp.engine.fields import (
    YES,
    Address,
    Date,
    Email,
    Name,
    Number,
    Option,
    Phone,
    Radios,
    Text,
    YesNo,
)
from webapp.engine.schema import Page, Question, RepeatingGroup, Section
from webapp.i18n import lazy_gettext as _l
from webapp.services.common_questions import family_name, given_names

from .common import ABROAD_MONTHS, ABROAD_YEARS, WORKING, details, moved_in_within_address_years

# The GOV.UK names pattern: one page, an optional title as free text, names as on official
# documents, in the paper form's order (staff key paper forms in by its numbers). The ids
# stay 'title', 'surname' and 'forenames': the PDF, letters and staff search read them.
NAME_PAGE = Page(
    "name",
    [
        Question(
            "title",
            _l("Title"),
            Text(max_length=20, width="5", autocomplete="honorific-prefix", spellcheck=False),
            hint=_l("For example, Mr, Mrs, Ms, Mx or Dr"),
            optional=True,
            name=_l("Title"),
        ),
        family_name(),
        given_names(
            hint=_l(
                "All of them, in order, as they are written on your passport or driving licence"
            )
        ),
    ],
    title=_l("What is your name?"),
)

OTHER_NAMES = RepeatingGroup(
    "other_names",
    _l("Your other names"),
    _l("other name"),
    [
        Page(
            "other_name",
            [
                Question(
                    "other_surname",
                    _l("Family name"),
                    Name(),
                    error=_l("Enter the family name"),
                    name=_l("Family name"),
                ),
                Question(
                    "other_forenames",
                    _l("Given names"),
                    Name(width="30"),
                    error=_l("Enter the given names"),
                    name=_l("Given names"),
                ),
            ],
            title=_l("Other name"),
        ),
    ],
    summary=lambda ctx: (
        f"{ctx.value('other_forenames') or ''} {ctx.value('other_surname') or ''}".strip()
    ),
    add_another=_l("Do you need to add another name?"),
    max=10,
    add_another_error=_l("Select yes if you need to add another name"),
    condition=answer_is("has_other_names", YES),
)

PHONE_NUMBERS_PAGE = Page(
    "phone_numbers",
    [
        # Each may be left out, but not both (the page says so, and a rule checks it).
        Question(
            "home_phone",
            _l("Home phone number"),
            Phone(autocomplete="home tel"),
            optional=True,
            say_optional=False,
            name=_l("Home phone number"),
        ),
        Question(
            "mobile_phone",
            _l("Mobile phone number"),
            Phone(autocomplete="mobile tel"),
            optional=True,
            say_optional=False,
            name=_l("Mobile phone number"),
        ),
    ],
    title=_l("What are your phone numbers?"),
    body=[_l("Give at least one number.")],
)

PREVIOUS_ADDRESSES = RepeatingGroup(
    "previous_addresses",
    _l("Your previous addresses"),
    _l("previous address"),
    [
        Question(
            "previous_address",
            _l("What was your previous address?"),
            Address(),
            name=_l("Address"),
        ),
        Page(
            "previous_address_dates",
            [
                Question(
                    "previous_from",
                    _l("When did you move in?"),
                    Date(day=False, when="past_or_today"),
                    name=_l("The date you moved in"),
                ),
                Question(
                    "previous_to",
                    _l("When did you move out?"),
                    Date(day=False, when="past_or_today"),
                    name=_l("The date you moved out"),
                ),
            ],
            title=_l("When did you live at this address?"),
        ),
    ],
    summary=lambda ctx: ", ".join(
        (ctx.value("previous_address") or {}).get(part, "") for part in ("line1", "postcode")
    ),
    add_another=_l("Do you need to add another previous address?"),
    add_another_error=_l("Select yes if you need to add another previous address"),
    hint=_l("Give every address you have lived at in the last 5 years."),
    condition=moved_in_within_address_years,
)

WORK_DETAILS_PAGE = Page(
    "work_details",
    [
        Question("work_address", _l("Work address"), Address(), name=_l("Work address")),
        Question(
            "work_phone",
            _l("Work phone number"),
            Phone(autocomplete="work tel"),
            error=_l("Enter your work phone number"),
            name=_l("Work phone number"),
        ),
        Question(
            "work_email",
            _l("Work email address"),
            Email(autocomplete="work email"),
            optional=True,
            name=_l("Work email address"),
        ),
    ],
    title=_l("Your work details"),
    condition=WORKING,
)

about_you = Section(
    "about_you",
    _l("About you"),
    [
        Question(
            "gender",
            _l("What is your gender?"),
            Radios(
                (
                    Option("male", _l("Male")),
                    Option("female", _l("Female")),
                    Option("other", _l("Other")),
                )
            ),
            name=_l("Gender"),
            error=_l("Select your gender"),
        ),
        NAME_PAGE,
        Question(
            "has_other_names",
            _l("Have you ever been known by another name?"),
            YesNo(),
            hint=_l("For example, a surname before you married, or a name you used to be known by"),
            error=_l("Select yes if you have ever been known by another name"),
            name=_l("Other names"),
        ),
        OTHER_NAMES,
        Question(
            "home_address",
            _l("What is your home address?"),
            Address(autocomplete=True),
            name=_l("Home address"),
        ),
        Question(
            "moved_in",
            _l("When did you move to this address?"),
            Date(day=False, when="past_or_today", max_years_ago=110),
            name=_l("The date you moved in"),
            error=_l("Enter the month and year you moved to this address"),
        ),
        PHONE_NUMBERS_PAGE,
        Question(
            "email",
            _l("What is your email address?"),
            Email(),
            hint=_l("We will use this to send you updates about your application"),
            error=_l("Enter your email address"),
            name=_l("Email address"),
            optional_for=STAFF_CHANNELS,
            optional_hint=_l(
                "Leave this empty if the applicant has no email address: the police will write to them by post instead"
            ),
        ),
        PREVIOUS_ADDRESSES,
        Question(
            "height",
            _l("How tall are you?"),
            Number(unit=_l("cm"), minimum=50, maximum=250),
            hint=_l("Enter your height in centimetres"),
            error=_l("Enter your height"),
            name=_l("Height"),
        ),
        Question(
            "date_of_birth",
            _l("What is your date of birth?"),
            Date(when="past", max_years_ago=120, autocomplete="bday"),
            error=_l("Enter your date of birth"),
            name=_l("Date of birth"),
        ),
        Question(
            "place_of_birth",
            _l("Where were you born?"),
            Text(width="30"),
            hint=_l("Town or city, and country"),
            error=_l("Enter where you were born"),
            name=_l("Place of birth"),
        ),
        Question(
            "nationality",
            _l("What is your nationality?"),
            Text(width="20"),
            hint=_l("If you have more than one, give them all"),
            error=_l("Enter your nationality"),
            name=_l("Nationality"),
        ),
        Question(
            "employment",
            _l("Which of these describes you?"),
            Radios(
                (
                    Option("employed", _l("Employed")),
                    Option("self_employed", _l("Self-employed")),
                    Option("student", _l("In full-time education")),
                    Option("retired", _l("Retired")),
                    Option("unemployed", _l("Not working")),
                )
            ),
            name=_l("Work"),
            error=_l("Select which of these describes you"),
        ),
        Question(
            "occupation",
            _l("What is your job?"),
            Text(width="30", autocomplete="organization-title"),
            error=_l("Enter your job"),
            name=_l("Job"),
            condition=WORKING,
        ),
        WORK_DETAILS_PAGE,
        Question(
            "abroad",
            _l(
                "In the last %(years)s years, have you lived outside the UK for %(months)s months or more?",
                years=ABROAD_YEARS,
                months=ABROAD_MONTHS,
            ),
            YesNo(
                reveal_if_yes=details(
                    "abroad_details",
                    _l("Give the countries and dates"),
                    _l("Countries and dates abroad"),
                    _l("Enter the countries and dates"),
                )
            ),
            name=_l("Time abroad"),
            error=_l("Select yes if you have lived outside the UK"),
        ),
    ],
    depends_on=["application"],
)
