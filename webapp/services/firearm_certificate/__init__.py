"""Apply for a firearm or shotgun certificate, new or renewal (the joint Form 201).

The whole public service, in the order the form asks. Facts marked "to confirm" in the domain
notes (the time-abroad threshold, who cannot be a referee) are constants at the top.
"""

from __future__ import annotations

from datetime import date

from webapp.engine import flow
from webapp.engine.conditions import answer_is
from webapp.engine.context import Context
from webapp.engine.fields import YES
from webapp.engine.finding import Proof, SearchKeys
from webapp.engine.rules import (
    at_least,
    at_least_one,
    covers_years,
    differs_from_earlier_items,
    ends_after,
    postcode_not_in,
    requires,
)
from webapp.engine.schema import ByPost, Declaration, Rule, Service, StartInfo
from webapp.fees import Fee
from webapp.forces import outside_great_britain
from webapp.i18n import gettext
from webapp.i18n import lazy_gettext as _l

from .about_you import about_you
from .application import CLAIMS_EXEMPTION, EXEMPTION_GROUNDS, application
from .common import ADDRESS_YEARS, FAC, SGC
from .convictions import convictions
from .fees import fee_for
from .firearms import firearms
from .health import health
from .photo import PHOTOS_BY_POST, photo
from .referee_guide import REFEREE_GUIDE
from .referees import referees
from .security import security
from .shotguns import shotguns
from .workflow import WORKFLOW


def fees_on(on: date) -> list[Fee]:
    """Every fee a Form 201 application can cost, for the start page."""
    return [
        fee_for("grant", None, coterminous=False, on=on),
        fee_for("renewal", None, coterminous=False, on=on),
        fee_for(None, "grant", coterminous=False, on=on),
        fee_for(None, "renewal", coterminous=False, on=on),
        fee_for("grant", "grant", coterminous=True, on=on),
        fee_for("renewal", "renewal", coterminous=True, on=on),
    ]


def application_fee(ctx: Context, on: date) -> Fee:
    """The fee to pay; nothing to pay online when an exemption is claimed (staff check it)."""
    if CLAIMS_EXEMPTION(ctx):
        ground = EXEMPTION_GROUNDS.get(str(ctx.value("fee_exemption_ground")))
        return Fee(
            0,
            gettext(
                "Fee exemption claimed: %(reason)s — to be checked by staff",
                reason=str(ground) if ground is not None else gettext("no reason given"),
            ),
        )
    fac = ctx.value("fac_kind") if FAC(ctx) else None
    sgc = ctx.value("sgc_kind") if SGC(ctx) else None
    return fee_for(fac, sgc, coterminous=ctx.value("coterminous") == YES, on=on)


SERVICE = Service(
    slug="firearm-certificate",
    title=_l("Apply for a firearm or shotgun certificate"),
    # The home postcode chooses the force, and the home address must agree with it (the law sends
    # the application to the force where the applicant lives: Firearms Act 1968 s26A/s26B); a
    # long application is worked through as a task list.
    flow=flow.Flow(
        [
            flow.ForceRouting(confirm_with="home_address"),
            flow.Questions(layout="task_list"),
            flow.CheckAnswers(),
            flow.Declaration(),
            flow.Payment(),
            flow.Confirmation(),
        ]
    ),
    sections=[
        application,
        about_you,
        health,
        convictions,
        firearms,
        shotguns,
        security,
        referees,
        photo,
    ],
    start=StartInfo(
        summary=[
            _l(
                "Use this service to apply for a new firearm or shotgun certificate, or to renew one."
            ),
            _l(
                "You apply to the police force for the area where you live. A certificate lasts 5 years."
            ),
        ],
        you_will_need=[
            _l("your current certificate, if you are renewing"),
            _l("your addresses for the last 5 years"),
            _l("your GP practice’s details, and any others from the last 10 years"),
            _l("details of any convictions or cautions"),
            _l("details of the firearms and shotguns you have or want"),
            _l("the details of 2 people who can be your referees"),
            _l("a digital photo of yourself"),
        ],
        time_to_complete=_l(
            "It takes around 45 minutes. You can save your answers and come back later."
        ),
        fees=fees_on,
        paying=_l(
            "You pay the fee by debit or credit card at the end. Your application is sent to the "
            "police when you have paid."
        ),
        before_you_start=[
            _l(
                "If you are renewing, apply at least 8 weeks before your certificate expires. "
                "Your certificate then stays valid while the police decide, for up to 8 weeks."
            )
        ],
        after_you_apply=[
            _l(
                "The police will contact your GP and your referees, and an officer will visit you at home."
            ),
            _l("It usually takes between 8 and 15 weeks to get a decision."),
        ],
    ),
    declaration=Declaration(
        statements=[
            _l(
                "By sending this application you confirm that, to the best of your knowledge, the details "
                "you have given are correct and complete."
            )
        ],
        warning=_l(
            "It is a criminal offence to knowingly give false information to get a certificate."
        ),
        confirm=_l("I confirm the information I have given is true and complete"),
        error=_l("Select to confirm the information you have given is true and complete"),
    ),
    rules=[
        Rule(
            "fac_current",
            requires(
                answer_is("fac_kind", "renewal"),
                ("fac_number", "fac_expiry"),
                _l("Enter your current firearm certificate number and expiry date"),
            ),
            "fac_number",
        ),
        Rule(
            "sgc_current",
            requires(
                answer_is("sgc_kind", "renewal"),
                ("sgc_number", "sgc_expiry"),
                _l("Enter your current shotgun certificate number and expiry date"),
            ),
            "sgc_number",
        ),
        Rule(
            "phone_numbers",
            at_least_one(("home_phone", "mobile_phone"), _l("Enter a home or mobile phone number")),
            "home_phone",
        ),
        Rule(
            "previous_address_dates",
            ends_after(
                "previous_from",
                "previous_to",
                _l("The date you moved out must be after the date you moved in"),
            ),
            "previous_to",
        ),
        Rule(
            "previous_addresses_add_another",
            covers_years(
                ADDRESS_YEARS,
                since="moved_in",
                group="previous_addresses",
                start="previous_from",
                end="previous_to",
            ),
        ),
        Rule(
            "referee_known",
            at_least(
                "referee_years", 2, _l("Your referee must have known you for at least 2 years")
            ),
            "referee_years",
        ),
        Rule(
            "referee_address",
            postcode_not_in(
                "referee_address",
                outside_great_britain,
                _l(
                    "Your referee must live in Great Britain (England, Scotland or Wales). Someone "
                    "who lives in Northern Ireland, the Isle of Man or the Channel Islands cannot "
                    "be your referee"
                ),
            ),
            "referee_address",
        ),
        Rule(
            "referee_address",
            differs_from_earlier_items(
                "referees",
                ("referee_name", "referee_address"),
                _l(
                    "Your referees must be 2 different people: you have given the same name and "
                    "address for both"
                ),
            ),
            "referee_address",
        ),
        Rule(
            "ammunition_amounts",
            lambda ctx: (
                str(_l("The rounds you keep must be at least the rounds you buy at one time"))
                if (ctx.value("ammo_hold") or 0) < (ctx.value("ammo_buy") or 0)
                else None
            ),
            "ammo_hold",
        ),
    ],
    fee=application_fee,
    contact_email="email",
    by_post=[ByPost("photos", _l("Photos"), PHOTOS_BY_POST)],
    guides=[REFEREE_GUIDE],
    unit_name=_l("Firearms Licensing Unit"),
    contact_team=_l("your police force’s firearms licensing team"),
    workflow=WORKFLOW,
    search_keys=SearchKeys(
        surname="surname", postcode="home_address", date_of_birth="date_of_birth"
    ),
    identity=[Proof("date_of_birth", hint=_l("For example, 27 3 1980"))],
    privacy=[
        _l("The force decides a firearm or shotgun application as the Firearms Act 1968 requires."),
        _l(
            "To decide a firearm or shotgun application, the force may contact your GP, your referees, "
            "and other police forces. It records the application on the national firearms licensing system."
        ),
    ],
)
