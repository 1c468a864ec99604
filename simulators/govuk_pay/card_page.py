"""The hosted card page at _links.next_url: a plain HTML form, no JavaScript.

It behaves as a GOV.UK Pay test account's page does: the mock card numbers decide the outcome,
and the user is sent back to the service's return_url when the payment has finished.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from simulators.govuk_pay import cards
from simulators.govuk_pay.api import _sim
from simulators.govuk_pay.store import CardDetails, Payment

STYLESHEET = Path(__file__).with_name("card_page.css")

# Field name -> (label, hint, autocomplete, width class).
FIELDS = {
    "card_number": ("Card number", "", "cc-number", "wide"),
    "expiry_month": ("Month", "", "cc-exp-month", "narrow"),
    "expiry_year": ("Year", "", "cc-exp-year", "narrow"),
    "cardholder_name": ("Name on card", "", "cc-name", "wide"),
    "cvc": (
        "Card security code",
        "The last 3 digits on the back of the card",
        "cc-csc",
        "narrow",
    ),
    "email": ("Email (optional)", "We’ll send your payment confirmation here", "email", "wide"),
}


@dataclass
class Form:
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)


def _pounds(pence: int) -> str:
    return f"£{pence // 100:,}.{pence % 100:02d}"


def _input(name: str, form: Form) -> str:
    label, hint, autocomplete, width = FIELDS[name]
    ident = name.replace("_", "-")
    described = []
    parts = [f'<div class="group{" group-error" if name in form.errors else ""}">']
    parts.append(f'<label for="{ident}">{escape(label)}</label>')
    if hint:
        parts.append(f'<p class="hint" id="{ident}-hint">{escape(hint)}</p>')
        described.append(f"{ident}-hint")
    if name in form.errors:
        parts.append(
            f'<p class="error-message" id="{ident}-error">'
            f'<span class="visually-hidden">Error:</span> {escape(form.errors[name])}</p>'
        )
        described.append(f"{ident}-error")
    numeric = name in ("card_number", "expiry_month", "expiry_year", "cvc")
    attributes = ' inputmode="numeric"' if numeric else ""
    if described:
        attributes += f' aria-describedby="{" ".join(described)}"'
    kind = "email" if name == "email" else "text"
    value = escape(form.values.get(name, ""))
    parts.append(
        f'<input class="input {width}" id="{ident}" name="{name}" type="{kind}" '
        f'autocomplete="{autocomplete}" spellcheck="false" value="{value}"{attributes}>'
    )
    parts.append("</div>")
    return "".join(parts)


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} – GOV.UK Pay simulator</title>"
        '<link rel="stylesheet" href="/card_page.css"></head><body>'
        '<a class="skip-link" href="#main-content">Skip to main content</a>'
        '<header class="header"><p class="header-name">GOV.UK Pay simulator</p>'
        '<p class="header-note">Test payments only: no money is taken</p></header>'
        f'<main id="main-content" class="main">{body}</main></body></html>'
    )


def render(payment: Payment, form: Form) -> str:
    title = "Enter card details"
    summary = ""
    if form.errors:
        title = f"Error: {title}"
        items = "".join(
            f'<li><a href="#{name.replace("_", "-")}">{escape(message)}</a></li>'
            for name, message in form.errors.items()
        )
        summary = (
            '<div class="error-summary" role="alert" tabindex="-1">'
            '<h2 class="error-summary-title">There is a problem</h2>'
            f'<ul class="error-summary-list">{items}</ul></div>'
        )
    telephone = (
        '<p class="inset">This is a telephone payment: enter the card details the caller '
        "reads out.</p>"
        if payment.moto
        else ""
    )
    pid = escape(payment.payment_id)
    expiry = (
        '<fieldset class="group" aria-describedby="expiry-hint">'
        '<legend>Expiry date</legend><p class="hint" id="expiry-hint">For example, 10 30</p>'
        f'<div class="date">{_input("expiry_month", form)}{_input("expiry_year", form)}</div>'
        "</fieldset>"
    )
    body = (
        f"{summary}<h1>Enter card details</h1>{telephone}"
        f'<p class="summary">{escape(payment.description)}: '
        f"<strong>{_pounds(payment.amount)}</strong></p>"
        f'<form method="post" action="/card_details/{pid}" novalidate>'
        f"{_input('card_number', form)}{expiry}{_input('cardholder_name', form)}"
        f"{_input('cvc', form)}{_input('email', form)}"
        '<button class="button" type="submit">Continue</button></form>'
        f'<form method="post" action="/card_details/{pid}/cancel">'
        '<button class="button button-secondary" type="submit">Cancel payment</button></form>'
    )
    return _page(title, body)


def check(
    values: dict[str, str], year_now: int, month_now: int
) -> tuple[dict[str, str], str | None]:
    """The errors on the form, and the test card's outcome when there are none."""
    errors: dict[str, str] = {}
    outcome = cards.outcome_for(values.get("card_number", ""))
    if not values.get("card_number"):
        errors["card_number"] = "Enter a card number"
    elif outcome is None:
        errors["card_number"] = "Enter a valid card number"
    month, year = values.get("expiry_month", ""), values.get("expiry_year", "")
    if not (month.isdigit() and 1 <= int(month) <= 12 and year.isdigit() and len(year) in (2, 4)):
        errors["expiry_month"] = "Enter a valid expiry date"
    else:
        full_year = int(year) + (2000 if len(year) == 2 else 0)
        if (full_year, int(month)) < (year_now, month_now):
            errors["expiry_month"] = "The card has expired: enter a card with a future expiry date"
    if not values.get("cardholder_name", "").strip():
        errors["cardholder_name"] = "Enter the name as it appears on the card"
    cvc = values.get("cvc", "")
    if not (cvc.isdigit() and len(cvc) in (3, 4)):
        errors["cvc"] = "Enter a valid card security code"
    email = values.get("email", "").strip()
    if email and ("@" not in email or len(email) > 254):
        errors["email"] = "Enter a valid email address"
    return errors, (None if errors else outcome)


def card_details(values: dict[str, str]) -> CardDetails:
    number = cards.digits_only(values["card_number"])
    return CardDetails(
        last_digits=number[-4:],
        first_digits=number[:6],
        brand=cards.brand_of(number),
        expiry_date=f"{int(values['expiry_month']):02d}/{values['expiry_year'][-2:]}",
        cardholder_name=values["cardholder_name"].strip(),
    )


def _back_to_service(payment: Payment) -> Response:
    return RedirectResponse(payment.return_url, status_code=303)


def _unknown() -> Response:
    body = "<h1>Payment not found</h1><p>This payment link is not known to the simulator.</p>"
    return HTMLResponse(_page("Payment not found", body), status_code=404)


async def show(request: Request) -> Response:
    store = _sim(request).store
    payment = store.get(request.path_params["payment_id"])
    if payment is None:
        return _unknown()
    if payment.finished:
        return _back_to_service(payment)
    store.start(payment)
    return HTMLResponse(render(payment, Form(values={"email": payment.email or ""})))


async def submit(request: Request) -> Response:
    sim = _sim(request)
    payment = sim.store.get(request.path_params["payment_id"])
    if payment is None:
        return _unknown()
    if payment.finished:
        return _back_to_service(payment)
    sim.store.start(payment)
    form = await request.form()
    values = {name: str(form.get(name, "")).strip() for name in FIELDS}
    now = sim.clock.now()
    errors, outcome = check(values, now.year, now.month)
    if outcome is None:
        return HTMLResponse(render(payment, Form(values, errors)))
    sim.store.authorise(payment, card_details(values), outcome)
    return _back_to_service(payment)


async def cancel(request: Request) -> Response:
    store = _sim(request).store
    payment = store.get(request.path_params["payment_id"])
    if payment is None:
        return _unknown()
    store.cancel(payment, "P0030", "Payment was cancelled by the user")
    return _back_to_service(payment)


async def stylesheet(_request: Request) -> Response:
    return Response(STYLESHEET.read_text(encoding="utf-8"), media_type="text/css")


routes = [
    Route("/card_details/{payment_id}", show, methods=["GET"]),
    Route("/card_details/{payment_id}", submit, methods=["POST"]),
    Route("/card_details/{payment_id}/cancel", cancel, methods=["POST"]),
    Route("/card_page.css", stylesheet, methods=["GET"]),
]
