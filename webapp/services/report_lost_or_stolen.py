"""Report a lost or stolen firearm, ammunition, explosive or certificate.

Certificate holders must report these to the police (domain notes, "Lost and found property").
A short report: a straight run of pages with no task list, an exit to 999 for an emergency, and
the force for the holder's home postcode.
"""

from __future__ import annotations

from webapp.channels import STAFF_CHANNELS
from webapp.engine import flow
from webapp.engine.conditions import answer_is
from webapp.engine.fields import (
    YES,
    Address,
    Checkboxes,
    Date,
    Email,
    Option,
    Phone,
    Radios,
    Text,
    TextArea,
    YesNo,
)
from webapp.engine.finding import Proof, SearchKeys
from webapp.engine.schema import (
    Declaration,
    Page,
    Question,
    RepeatingGroup,
    Section,
    Service,
    StartInfo,
)
from webapp.engine.workflow import RECEIVED, Move, State, Workflow
from webapp.i18n import lazy_gettext as _l
from webapp.services.common_questions import family_name, given_names

GUNS = answer_is("lost_items", "firearm", "shotgun")
CERTIFICATE = answer_is("lost_items", "certificate")

in_danger = Question(
    "in_danger",
    _l("Is the crime happening now, or is anyone in danger?"),
    YesNo(),
    name=_l("Happening now or anyone in danger"),
    error=_l("Select yes if the crime is happening now or anyone is in danger"),
)

what = Section(
    "what",
    _l("What was lost or stolen"),
    [
        Question(
            "lost_items",
            _l("What has been lost or stolen?"),
            Checkboxes(
                (
                    Option("firearm", _l("A firearm")),
                    Option("shotgun", _l("A shotgun")),
                    Option("ammunition", _l("Ammunition")),
                    Option("certificate", _l("A firearm or shotgun certificate")),
                    Option("explosives", _l("Explosives")),
                )
            ),
            hint=_l("Select all that apply."),
            name=_l("What was lost or stolen"),
            error=_l("Select what has been lost or stolen"),
        ),
        Question(
            "certificate_number",
            _l("What is your certificate number?"),
            Text(max_length=30, width="10"),
            hint=_l(
                "This is printed on your certificate. If you hold more than one, give the one the items are on."
            ),
            name=_l("Certificate number"),
            error=_l("Enter your certificate number"),
        ),
        RepeatingGroup(
            "guns",
            _l("The firearms and shotguns lost or stolen"),
            _l("firearm or shotgun"),
            [
                Page(
                    "gun",
                    [
                        Question(
                            "gun_make",
                            _l("Make"),
                            Text(width="20"),
                            error=_l("Enter the make"),
                            name=_l("Make"),
                        ),
                        Question(
                            "gun_calibre",
                            _l("Calibre or gauge"),
                            Text(max_length=30, width="10"),
                            hint=_l("For example, .22 or 12"),
                            error=_l("Enter the calibre or gauge"),
                            name=_l("Calibre or gauge"),
                        ),
                        Question(
                            "gun_serial",
                            _l("Serial number"),
                            Text(max_length=60, width="20"),
                            error=_l("Enter the serial number"),
                            name=_l("Serial number"),
                        ),
                    ],
                    title=_l("About the firearm or shotgun"),
                ),
            ],
            summary=lambda ctx: ", ".join(
                filter(None, (ctx.value("gun_make"), ctx.value("gun_serial")))
            ),
            add_another=_l("Do you need to add another firearm or shotgun?"),
            add_another_error=_l("Select yes if you need to add another firearm or shotgun"),
            max=50,
            condition=GUNS,
        ),
    ],
)

what_happened = Section(
    "what_happened",
    _l("What happened"),
    [
        Question(
            "lost_or_stolen",
            _l("Were they lost or stolen?"),
            Radios(
                (
                    Option("lost", _l("Lost")),
                    Option("stolen", _l("Stolen")),
                    Option("not_sure", _l("I do not know")),
                )
            ),
            name=_l("Lost or stolen"),
            error=_l("Select if they were lost or stolen"),
        ),
        Question(
            "happened_on",
            _l("When did it happen?"),
            Date(when="past_or_today", max_years_ago=10),
            hint=_l("If you do not know, give the date you noticed. For example, 27 3 2026"),
            name=_l("When it happened"),
            error=_l("Enter the date it happened"),
        ),
        Question(
            "happened_at",
            _l("Where did it happen?"),
            TextArea(max_length=500, rows=3),
            hint=_l("An address, or the road and the nearest town"),
            name=_l("Where it happened"),
            error=_l("Enter where it happened"),
        ),
        Question(
            "already_reported",
            _l("Have you already reported this to the police?"),
            YesNo(
                reveal_if_yes=Question(
                    "crime_reference",
                    _l("Crime reference number"),
                    Text(max_length=40, width="20", spellcheck=False),
                    hint=_l("Leave this empty if you were not given one"),
                    optional=True,
                    name=_l("Crime reference number"),
                )
            ),
            name=_l("Already reported"),
            error=_l("Select yes if you have already reported this to the police"),
        ),
        Question(
            "what_happened_details",
            _l("What happened?"),
            TextArea(max_length=1200),
            hint=_l("How it was lost or stolen, and anything that could help find it"),
            name=_l("What happened"),
            error=_l("Enter what happened"),
        ),
    ],
)

your_details = Section(
    "your_details",
    _l("Your details"),
    [
        # The same ids as an application's names: staff find both by family name.
        Page(
            "name",
            [
                family_name(),
                given_names(),
            ],
            title=_l("What is your name?"),
        ),
        Question(
            "home_address",
            _l("What is your home address?"),
            Address(autocomplete=True),
            name=_l("Home address"),
        ),
        Question(
            "phone",
            _l("What is your phone number?"),
            Phone(),
            hint=_l("The police may call you about your report"),
            name=_l("Phone number"),
            error=_l("Enter your phone number"),
        ),
        Question(
            "email",
            _l("What is your email address?"),
            Email(),
            hint=_l("We will send you a confirmation of your report"),
            name=_l("Email address"),
            error=_l("Enter your email address"),
            optional_for=STAFF_CHANNELS,
            optional_hint=_l(
                "Leave this empty if the person has no email address: the police will write to them by post instead"
            ),
        ),
    ],
)

STAFF = ("caseworker", "admin")

# A report is not decided: it is read, linked to the holder's certificate record, then closed.
WORKFLOW = Workflow(
    states=[
        State(
            RECEIVED,
            "Received",
            _l("We have received your report. An officer will read it soon."),
            tag="blue",
        ),
        State(
            "reviewed",
            "Reviewed",
            _l("An officer has read your report and may contact you about it."),
            tag="purple",
        ),
        State(
            "linked",
            "Linked to holder's record",
            _l("Your report has been added to your certificate record."),
            tag="turquoise",
        ),
        State(
            "closed",
            "Closed",
            _l(
                "We have finished dealing with your report. "
                "We will contact you if we need anything else."
            ),
            final=True,
            tag="grey",
        ),
    ],
    moves=[
        Move(RECEIVED, "reviewed", STAFF, needs_note=False),
        Move("reviewed", "linked", STAFF),
        Move("linked", "closed", STAFF),
        Move(RECEIVED, "closed", ("admin",)),  # a report sent twice, closed by an administrator
    ],
)

SERVICE = Service(
    slug="report-lost-or-stolen",
    title=_l("Report a lost or stolen firearm, ammunition, explosive or certificate"),
    sections=[what, what_happened, your_details],
    flow=flow.Flow(
        [
            flow.Eligibility(
                questions=[in_danger],
                exits=[
                    flow.Exit(
                        "emergency",
                        answer_is("in_danger", YES),
                        reason=_l("the crime is happening now or someone is in danger"),
                        instead=[_l("Call 999 now.")],
                        title=_l("Call 999 now"),
                    )
                ],
            ),
            flow.ForceRouting(),
            flow.Questions(layout="straight_run"),
            flow.CheckAnswers(title=_l("Check your answers before sending your report")),
            flow.Declaration(),
            flow.Confirmation(
                title=_l("Report sent"),
                notes=[
                    flow.Note(
                        _l(
                            "You will need a replacement certificate. The police will tell you how to apply "
                            "for one."
                        ),
                        condition=CERTIFICATE,
                    )
                ],
            ),
        ]
    ),
    start=StartInfo(
        summary=[
            _l(
                "Use this service to report a lost or stolen firearm, shotgun, ammunition, explosive, "
                "or firearm or shotgun certificate."
            ),
            _l("If you hold a certificate, you must report a loss or theft to the police."),
            _l("You report it to the police force for the area where you live."),
        ],
        you_will_need=[
            _l("your certificate number"),
            _l("the make, calibre and serial number of each firearm or shotgun"),
            _l("when and where it happened"),
            _l("the crime reference number, if you have already reported it"),
        ],
        before_you_start=[_l("If the crime is happening now or anyone is in danger, call 999.")],
        time_to_complete=_l("It takes around 10 minutes."),
        after_you_apply=[
            _l("The police will review your report and record it against your certificate."),
            _l("They may contact you for more details."),
        ],
    ),
    declaration=Declaration(
        statements=[
            _l(
                "By sending this report you confirm that, to the best of your knowledge, the details "
                "you have given are correct."
            )
        ],
        confirm=_l("I confirm the information I have given is true"),
        error=_l("Select to confirm the information you have given is true"),
        button=_l("Send report"),
    ),
    contact_email="email",
    workflow=WORKFLOW,
    search_keys=SearchKeys(surname="surname", postcode="home_address"),
    identity=[Proof("email", hint=_l("The email address you gave in your report"))],
    unit_name=_l("Firearms Licensing Unit"),
    contact_team=_l("your police force’s firearms licensing team"),
    privacy=[
        _l(
            "The force uses a report of a lost or stolen firearm, ammunition, explosive or certificate "
            "to record it against the holder’s certificate and to look into what happened."
        ),
    ],
)
