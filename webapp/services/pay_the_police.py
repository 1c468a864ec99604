"""Pay the police for something a force charges for: a copy of a road collision report, a
witness statement, photographs (domain notes, "Paying the police").

Each force sets its own prices in the back office (``price_list``): the person chooses the
force from a list, then one of that force's items, and gives the reference the force gave them.
The fee is the chosen item's price from the force's list, never anything posted. Fixed penalty
fines are not paid to the police: the first question says where they are paid instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from webapp.engine import flow
from webapp.engine.conditions import answer_is
from webapp.engine.context import Context
from webapp.engine.fields import YES, Email, Option, Phone, RuntimeRadios, Text, YesNo
from webapp.engine.finding import Proof, SearchKeys
from webapp.engine.prices import Example, Price, PriceList, price_of, prices_in
from webapp.engine.schema import Declaration, Page, Question, Rule, Section, Service, StartInfo
from webapp.engine.workflow import RECEIVED, Move, State, Workflow
from webapp.fees import Fee, format_pounds
from webapp.i18n import gettext
from webapp.i18n import lazy_gettext as _l
from webapp.services.common_questions import family_name, given_names

ITEM = "item"


def price_label(price: Price) -> str:
    """'Full collision report — £207.96 including VAT (£173.30 plus £34.66 VAT)'."""
    if price.vat_pence == 0:
        return gettext(
            "%(name)s — %(total)s (no VAT)",
            name=price.display_name(),
            total=format_pounds(price.total_pence),
        )
    return gettext(
        "%(name)s — %(total)s including VAT (%(net)s plus %(vat)s VAT)",
        name=price.display_name(),
        total=format_pounds(price.total_pence),
        net=format_pounds(price.net_pence),
        vat=format_pounds(price.vat_pence),
    )


def price_options(facts: Any) -> Sequence[Option] | None:
    prices = prices_in(facts)
    if prices is None:
        return None
    return [Option(price.code, price_label(price)) for price in prices]


def item_fee(ctx: Context, on: date) -> Fee:
    """The chosen item's price from the force's list, VAT included. The journey cannot reach
    the fee without a priced item (the item page's rule), so a missing price is a fault, never
    a free case."""
    price = price_of(ctx.value(ITEM))
    if price is None:
        raise LookupError("the item chosen has no price in the force's list")
    name = price.display_name()
    if price.vat_pence == 0:
        return Fee(price.total_pence, name)
    return Fee(
        price.total_pence,
        gettext(
            "%(name)s: %(net)s plus %(vat)s VAT",
            name=name,
            net=format_pounds(price.net_pence),
            vat=format_pounds(price.vat_pence),
        ),
    )


def _priced(ctx: Context) -> str | None:
    """With the force's prices known, the answer must be one of them (a force whose list is
    empty leaves nothing to choose, and nothing typed instead is a price)."""
    if prices_in() is not None and price_of(ctx.value(ITEM)) is None:
        return gettext("Select what you are paying for")
    return None


fixed_penalty = Question(
    "fixed_penalty",
    _l("Are you paying a fixed penalty notice or a fine?"),
    YesNo(),
    hint=_l("For example, a speeding fine or a parking ticket"),
    name=_l("Paying a fixed penalty or a fine"),
    error=_l("Select yes if you are paying a fixed penalty notice or a fine"),
)

payment = Section(
    "payment",
    _l("What you are paying for"),
    [
        Question(
            ITEM,
            _l("What are you paying for?"),
            RuntimeRadios(read_options=price_options),
            hint=_l("These are the police force’s own prices."),
            name=_l("What you are paying for"),
            error=_l("Select what you are paying for"),
        ),
        Question(
            "force_reference",
            _l("What reference did the police give you?"),
            Text(max_length=30, width="20", spellcheck=False),
            hint=_l(
                "This is in the letter or email the police sent you about your request, "
                "for example a collision reference number"
            ),
            name=_l("Police reference"),
            error=_l("Enter the reference the police gave you"),
        ),
    ],
)

your_details = Section(
    "your_details",
    _l("Your details"),
    [
        Page(
            "name",
            [
                family_name(),
                given_names(),
            ],
            title=_l("What is your name?"),
        ),
        Question(
            "email",
            _l("What is your email address?"),
            Email(),
            hint=_l("We will send your receipt to this address"),
            name=_l("Email address"),
            error=_l("Enter your email address"),
        ),
        Question(
            "phone",
            _l("What is your phone number?"),
            Phone(),
            hint=_l("The police may call you if there is a problem with your payment"),
            optional=True,
            name=_l("Phone number"),
        ),
    ],
)

STAFF = ("caseworker", "admin")

# A payment is not decided: the force provides what was paid for, then closes the case.
WORKFLOW = Workflow(
    states=[
        State(
            RECEIVED,
            "Received",
            _l("We have received your payment. The police will deal with your request soon."),
            tag="blue",
        ),
        State(
            "provided",
            "Provided",
            _l("The police have sent you what you paid for."),
            tag="green",
        ),
        State(
            "closed",
            "Closed",
            _l("We have finished dealing with your payment."),
            final=True,
            tag="grey",
        ),
    ],
    moves=[
        Move(RECEIVED, "provided", STAFF, needs_note=False),
        Move("provided", "closed", STAFF, needs_note=False),
        Move(RECEIVED, "closed", ("admin",)),  # paid twice or for the wrong thing: refunded
    ],
)

SERVICE = Service(
    slug="pay-the-police",
    title=_l("Pay the police for a report, statement or photographs"),
    sections=[payment, your_details],
    rules=[Rule(ITEM, _priced, question=ITEM)],
    fee=item_fee,
    # A development database's lists: the two collision report prices one force charges
    # (domain notes), and two made-up prices, named as examples, for the rest.
    price_list=PriceList(
        examples=(
            Example("Full collision report", 17330),
            Example("Basic collision details", 4380),
            Example("Witness statement (example price)", 5000),
            Example("Photographs (example price)", 2500),
        )
    ),
    flow=flow.Flow(
        [
            flow.Eligibility(
                questions=[fixed_penalty],
                exits=[
                    flow.Exit(
                        "fixed-penalty",
                        answer_is("fixed_penalty", YES),
                        reason=_l("fixed penalties and fines are not paid to the police"),
                        instead=[
                            _l(
                                "Pay a fixed penalty notice to HM Courts and Tribunals Service. "
                                "Search GOV.UK for ‘Pay a fixed penalty notice’."
                            ),
                            _l(
                                "You will need the notice number printed on your fixed penalty "
                                "notice."
                            ),
                            _l("To pay a court fine, use the details on your notice of fine."),
                        ],
                        title=_l("Fixed penalties are not paid to the police"),
                    )
                ],
            ),
            flow.ForceRouting(
                from_list=True,
                question=_l("Which police force are you paying?"),
                hint=_l("This is the force that gave you the reference."),
                error=_l("Select the police force you are paying"),
            ),
            flow.Questions(layout="straight_run"),
            flow.CheckAnswers(title=_l("Check your answers before paying")),
            flow.Declaration(),
            flow.Payment(),
            flow.Confirmation(title=_l("Payment complete")),
        ]
    ),
    start=StartInfo(
        summary=[
            _l(
                "Use this service to pay a police force for something it charges for, such as a "
                "copy of a road collision report, a witness statement or photographs."
            ),
            _l("Each police force sets its own prices. You will see them before you pay."),
            _l(
                "You cannot pay a fixed penalty notice or a fine here: they are paid to the courts."
            ),
        ],
        you_will_need=[
            _l("the reference the police gave you"),
            _l("a debit or credit card"),
            _l("an email address for your receipt"),
        ],
        time_to_complete=_l("It takes around 5 minutes."),
        after_you_apply=[
            _l("We will email you a receipt."),
            _l("The police force will send you what you paid for."),
        ],
        paying=_l("You pay by debit or credit card after checking your answers."),
    ),
    declaration=Declaration(
        statements=[
            _l(
                "By continuing you confirm that, to the best of your knowledge, the details you "
                "have given are correct."
            )
        ],
        confirm=_l("I confirm the details I have given are correct"),
        error=_l("Select to confirm the details you have given are correct"),
        button=_l("Continue to payment"),
    ),
    contact_email="email",
    workflow=WORKFLOW,
    search_keys=SearchKeys(surname="surname"),
    identity=[Proof("email", hint=_l("The email address you gave when you paid"))],
    contact_team=_l("the police force you paid"),
    privacy=[
        _l(
            "The force uses your payment details to match your payment to your request and to "
            "send you what you paid for."
        ),
    ],
)
