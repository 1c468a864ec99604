"""A force administrator's own force's price list for a service that charges from one
(``Service.price_list``): the items the public can pay for, each with its price before VAT and
the VAT on it. Items are switched off rather than deleted (a payment under way may name one).

As with the force's other settings, the force is always the signed-in administrator's own: an
item of another force is not found. Every change is audited with the values before and after.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from webapp.engine.fields.base import clean_text
from webapp.engine.schema import Service
from webapp.fees import (
    MAX_PAYMENT_PENCE,
    STANDARD_VAT_PERCENT,
    MoneyError,
    format_pounds,
    parse_pounds,
    vat_on,
)
from webapp.security import form_handler
from webapp.services import SERVICES
from webapp.store import audit, price_list
from webapp.store.db import unit_of_work
from webapp.store.models import Force
from webapp.store.price_list import PriceItem

from .common import client_ip, flash, member, redirect, render, staff_only, take_flash

STANDARD, NO_VAT = "standard", "none"
VAT_RATES = {STANDARD: STANDARD_VAT_PERCENT, NO_VAT: 0}
MONEY_ERRORS = {
    "empty": "Enter the price before VAT",
    "format": "Enter the price before VAT in pounds and pence, like 173.30",
    "decimals": "The price before VAT must have no more than 2 numbers after the decimal point",
    "negative": "The price before VAT must be more than £0",
}


def _service(request: Request) -> Service:
    service = SERVICES.get(request.path_params["service"])
    if service is None or service.price_list is None:
        raise HTTPException(status_code=404)
    return service


def _list_url(service: Service) -> str:
    return f"/staff/admin/services/{service.slug}/prices"


async def _own_force(request: Request) -> Force:
    async with request.app.state.sessions() as session:
        force: Force | None = await session.get(Force, member(request).force_id)
    if force is None:
        raise HTTPException(status_code=404)
    return force


def vat_rate_of(item: PriceItem) -> str:
    """Which rate an item's VAT was worked out at (the list keeps the amounts, not the rate)."""
    return NO_VAT if item.vat_pence == 0 else STANDARD


@staff_only(admin=True)
async def list_page(request: Request) -> Response:
    service = _service(request)
    force = await _own_force(request)
    async with request.app.state.sessions() as session:
        items = await price_list.items_of(session, force.id, service.slug)
    return render(
        request,
        "staff/admin_prices.html",
        {
            "service": service,
            "own_force": force,
            "items": items,
            "list_url": _list_url(service),
            "flash": take_flash(request),
        },
    )


def _form_page(
    request: Request,
    service: Service,
    force: Force,
    values: dict[str, Any],
    item_id: int | None,
    problems: dict[str, str] | None = None,
) -> Response:
    errors = [{"text": text, "href": f"#{name}"} for name, text in (problems or {}).items()]
    return render(
        request,
        "staff/admin_price_edit.html",
        {
            "service": service,
            "own_force": force,
            "values": values,
            "item_id": item_id,
            "list_url": _list_url(service),
            "action": f"{_list_url(service)}/{item_id if item_id is not None else 'new'}",
            "field_errors": problems or {},
            "errors": errors,
        },
    )


def _shown(item: PriceItem | None) -> dict[str, Any]:
    """An item as the form shows it (a new item: offered, at the standard rate)."""
    if item is None:
        return {"name": "", "name_cy": "", "price": "", "vat": STANDARD, "offered": "yes"}
    pence = item.net_pence
    return {
        "name": item.name,
        "name_cy": item.name_cy or "",
        "price": f"{pence // 100}.{pence % 100:02d}",
        "vat": vat_rate_of(item),
        "offered": "yes" if item.offered else "no",
    }


def read_form(form: FormData) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """(what was typed, the values to save, what is wrong: field id -> message)."""
    typed = {
        "name": " ".join(clean_text(form.get("name"), limit=500).split()),
        "name_cy": " ".join(clean_text(form.get("name_cy"), limit=500).split()),
        "price": clean_text(form.get("price"), limit=50),
        "vat": clean_text(form.get("vat"), limit=20),
        "offered": clean_text(form.get("offered"), limit=20),
    }
    problems: dict[str, str] = {}
    limit = price_list.NAME_LIMIT
    if not typed["name"]:
        problems["name"] = "Enter the name of the item"
    elif len(typed["name"]) > limit:
        problems["name"] = f"The name must be {limit} characters or fewer"
    if len(typed["name_cy"]) > limit:
        problems["name_cy"] = f"The Welsh name must be {limit} characters or fewer"
    net = 0
    try:
        net = parse_pounds(typed["price"])
    except MoneyError as error:
        problems["price"] = MONEY_ERRORS[error.reason]
    else:
        if net <= 0:
            problems["price"] = MONEY_ERRORS["negative"]
    if typed["vat"] not in VAT_RATES:
        problems["vat"] = "Select whether VAT is charged on this item"
    vat = vat_on(net, VAT_RATES.get(typed["vat"], 0))
    if "price" not in problems and net + vat > MAX_PAYMENT_PENCE:
        problems["price"] = (
            f"The price including VAT must be {format_pounds(MAX_PAYMENT_PENCE)} or less"
        )
    if typed["offered"] not in ("yes", "no"):
        problems["offered"] = "Select whether the public can pay for this item"
    values = {
        "name": typed["name"],
        "name_cy": typed["name_cy"],
        "net_pence": net,
        "vat_pence": vat,
        "offered": typed["offered"] == "yes",
    }
    return typed, values, problems


@staff_only(admin=True)
async def new_page(request: Request) -> Response:
    service = _service(request)
    return _form_page(request, service, await _own_force(request), _shown(None), None)


async def _item(request: Request, service: Service, force: Force) -> PriceItem:
    raw = request.path_params["item"]
    if not raw.isdigit() or len(raw) > 12:
        raise HTTPException(status_code=404)
    async with request.app.state.sessions() as session:
        item = await price_list.item_of(session, force.id, service.slug, int(raw))
    if item is None:  # no such item, or another force's
        raise HTTPException(status_code=404)
    return item


@staff_only(admin=True)
async def edit_page(request: Request) -> Response:
    service = _service(request)
    force = await _own_force(request)
    item = await _item(request, service, force)
    return _form_page(request, service, force, _shown(item), item.id)


async def _record(
    request: Request, session: Any, service: Service, name: str, **change: Any
) -> None:
    await audit.record(
        session,
        "changed price list",
        ip=client_ip(request),
        member=member(request),
        detail=f"{service.title}: {name}",
        **change,
    )


@form_handler
@staff_only(admin=True)
async def new_submit(request: Request, form: FormData) -> Response:
    service = _service(request)
    force = await _own_force(request)
    typed, values, problems = read_form(form)
    if problems:
        return _form_page(request, service, force, typed, None, problems)
    try:
        async with unit_of_work(request.app.state.sessions) as session:
            item = await price_list.add(session, force.id, service.slug, values)
            await _record(
                request, session, service, item.name, before={}, after=price_list.as_values(item)
            )
    except IntegrityError:  # another administrator added one of the same name at that moment
        problems = {"name": "An item with this name was added just now: check the list"}
        return _form_page(request, service, force, typed, None, problems)
    flash(request, f"Added {values['name']} to the price list")
    return redirect(_list_url(service))


@form_handler
@staff_only(admin=True)
async def edit_submit(request: Request, form: FormData) -> Response:
    service = _service(request)
    force = await _own_force(request)
    found = await _item(request, service, force)
    typed, values, problems = read_form(form)
    if problems:
        return _form_page(request, service, force, typed, found.id, problems)
    async with unit_of_work(request.app.state.sessions) as session:
        item = await price_list.item_of(session, force.id, service.slug, found.id)
        if item is None:
            raise HTTPException(status_code=404)
        before, after = await price_list.change(session, item, values)
        was, now = audit.changed(before, after)
        if now:
            await _record(request, session, service, item.name, before=was, after=now)
    flash(request, f"Saved {values['name']}" if now else f"Nothing changed for {values['name']}")
    return redirect(_list_url(service))


PREFIX = "/staff/admin/services/{service}/prices"
routes = [
    Route(PREFIX, list_page, methods=["GET"], name="staff_admin_prices"),
    Route(f"{PREFIX}/new", new_page, methods=["GET"], name="staff_admin_price_new"),
    Route(f"{PREFIX}/new", new_submit, methods=["POST"], name="staff_admin_price_add"),
    Route(f"{PREFIX}/{{item}}", edit_page, methods=["GET"], name="staff_admin_price"),
    Route(f"{PREFIX}/{{item}}", edit_submit, methods=["POST"], name="staff_admin_price_save"),
]
