"""WeasyPrint: HTML from ``templates/pdf/`` to tagged PDF/UA bytes.

These functions are synchronous and slow (about half a second): the web layer calls them
through ``render_in_worker``, never directly on the event loop.

Safety: every answer reaches the page through Jinja autoescaping, so HTML or CSS typed by a
person is text; strings placed in CSS (the running header and footer) are hex-escaped by
``css_string``; WeasyPrint may fetch nothing but the ``data:`` URI of the photo.
"""

from __future__ import annotations

import base64
import io
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from webapp import i18n
from webapp.engine.fields import format_date
from webapp.engine.schema import Service
from webapp.fees import Fee
from webapp.settings import PROJECT_ROOT

from .layout import form_layout
from .summary import answers_view

LONDON = ZoneInfo("Europe/London")
# Where the paper form sends someone whose force it does not know: the site's contact page
# (no public page lists every force's postal address). The web layer passes the absolute URL.
DEFAULT_CONTACT_URL = "/contact"
PHOTO_BOX = (600, 800)  # pixels kept from the photo: plenty for 35 x 45 mm at 400 dpi


class ApplicationLike(Protocol):
    """What the PDF copy reads from an application (the model, or ``ApplicationData``): read
    only, so that the model's ``dict`` of answers is a ``Mapping`` here."""

    @property
    def reference(self) -> str: ...
    @property
    def answers(self) -> Mapping[str, Any]: ...
    @property
    def submitted_at(self) -> datetime | None: ...
    @property
    def fee_pence(self) -> int | None: ...
    @property
    def fee_description(self) -> str | None: ...
    @property
    def channel(self) -> str: ...


class ForceLike(Protocol):
    name: str
    name_cy: str | None
    postal_address: str | None
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class TakenBy:
    """How staff took an application for the applicant: who, when they started it, and (for a
    paper form) the day the form arrived. The copy states it, with how the declaration was made."""

    staff_name: str
    started_at: datetime
    received_on: date | None = None


@dataclass(frozen=True)
class ApplicationData:
    """A picklable copy of what the PDF needs from an application, to send to a worker."""

    reference: str
    answers: Mapping[str, Any]
    submitted_at: datetime | None = None
    fee_pence: int | None = None
    fee_description: str | None = None
    channel: str = "online"

    @classmethod
    def of(cls, application: ApplicationLike) -> ApplicationData:
        return cls(
            application.reference,
            dict(application.answers or {}),
            application.submitted_at,
            application.fee_pence,
            application.fee_description,
            getattr(application, "channel", None) or "online",
        )


@dataclass(frozen=True)
class ForceData:
    name: str
    name_cy: str | None = None
    postal_address: str | None = None
    phone: str | None = None
    email: str | None = None

    @classmethod
    def of(cls, force: ForceLike | None) -> ForceData | None:
        if force is None:
            return None
        return cls(force.name, force.name_cy, force.postal_address, force.phone, force.email)


# --- fees on the blank form ------------------------------------------------------------------


def fee_lines(service: Service, on: date) -> list[Fee]:
    """The fees the service declares on a date: the same table as its start page."""
    return list(service.start.fees(on)) if service.start.fees else []


# --- helpers for templates ----------------------------------------------------------------


def css_string(value: object) -> Markup:
    """A CSS string literal holding ``value`` as text: anything but letters, digits and spaces
    is hex-escaped, so nothing can end the string, the rule or the <style> element."""
    out = []
    for char in str(value):
        if char.isascii() and (char.isalnum() or char == " "):
            out.append(char)
        else:
            out.append(f"\\{ord(char):06x}")
    return Markup(f'"{"".join(out)}"')


def slot(name: str) -> str:
    """A placeholder for a CSS token inside a translated sentence (see ``css_content``)."""
    return f"\x00{name}\x00"


def css_content(message: str, **tokens: str) -> Markup:
    """A translated sentence with CSS tokens in it, for a ``content`` property:
    ``_("Page %(page)s of %(pages)s", page=slot("page"), ...)`` with ``page="counter(page)"``
    becomes ``"Page " counter(page) " of " ...``, in whatever word order the language uses."""
    parts = str(message).split("\x00")
    out = [
        Markup(tokens[part]) if index % 2 else css_string(part)
        for index, part in enumerate(parts)
        if index % 2 or part
    ]
    return Markup(" ").join(out) if out else css_string("")


def text_dir(text: object) -> str:
    """'rtl' when the first strong character is right-to-left (Arabic, Hebrew...), else 'ltr':
    what ``dir="auto"`` and ``unicode-bidi: plaintext`` do, which WeasyPrint does not support."""
    for char in str(text):
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def force_name(force: ForceLike | None) -> str:
    if force is None:
        return ""
    if i18n.get_locale() == "cy" and force.name_cy:
        return force.name_cy
    return force.name


def local_date(moment: datetime | None) -> date | None:
    local = local_time(moment)
    return local.date() if local is not None else None


def local_time(moment: datetime | None) -> datetime | None:
    """A stored moment in UK time (SQLite hands back naive datetimes, stored as UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(LONDON)


def photo_data_uri(data: bytes | None) -> str | None:
    """The photo as a small JPEG ``data:`` URI: scaled down (a 10 MB photo would make a 10 MB
    PDF), turned upright, and stripped of its metadata (camera, place). None if unreadable."""
    if not data:
        return None
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (PHOTO_BOX[0] * 2, PHOTO_BOX[1] * 2))  # fast JPEG downscale
            upright = ImageOps.exif_transpose(image).convert("RGB")
            upright.thumbnail(PHOTO_BOX)
            out = io.BytesIO()
            upright.save(out, "JPEG", quality=85)
    except Exception:  # noqa: BLE001 - any broken or hostile file: leave the photo out, never fail the PDF
        return None
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


_environment: jinja2.Environment | None = None


def environment() -> jinja2.Environment:
    global _environment
    if _environment is None:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(PROJECT_ROOT / "templates"),
            autoescape=True,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
        env.filters["css"] = css_string
        env.filters["text_dir"] = text_dir
        env.globals["css_content"] = css_content
        env.globals["slot"] = slot
        env.filters["date"] = format_date
        env.filters["pounds"] = lambda pence: Fee(int(pence), "").pounds
        _environment = env
    return _environment


def write_pdf(template: str, context: Mapping[str, Any]) -> bytes:
    """Render a template and turn it into a tagged PDF (PDF/UA-1: title, language, structure)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = environment().get_template(template).render(locale=i18n.get_locale(), **context)
    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=html, url_fetcher=fetcher, base_url=None)
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=None)  # type: ignore[no-any-return]


# --- the three documents ----------------------------------------------------------------------


def render_application_pdf(
    service: Service,
    application: ApplicationLike,
    force: ForceLike | None,
    photo_bytes: bytes | None,
    taken: TakenBy | None = None,
) -> bytes:
    """The PDF copy of a submitted application: every answer, numbered as on the paper form.
    Conditions are judged as on the day it was sent, so the copy never changes later. An
    application staff took (by phone, or from paper) says so: who, when, and how the applicant
    made the declaration."""
    sent = local_date(application.submitted_at)
    channel = getattr(application, "channel", None)
    started = local_time(taken.started_at) if taken else None
    return write_pdf(
        "pdf/application.html",
        {
            "channel": channel,
            "taken": taken,
            "started": started,
            "started_time": started.strftime("%H:%M") if started else None,
            "service_title": str(service.title),
            "force": force,
            "force_name": force_name(force),
            "application": application,
            "submitted": sent,
            "sections": answers_view(service, application.answers or {}, sent, channel=channel),
            "photo": photo_data_uri(photo_bytes),
            "declaration": [str(text) for text in service.declaration.statements],
            "confirm": str(service.declaration.confirm),
        },
    )


def render_blank_form_pdf(
    service: Service,
    force: ForceLike | None,
    *,
    today: date | None = None,
    contact_url: str = DEFAULT_CONTACT_URL,
) -> bytes:
    """The paper form, to fill in by hand: where to send it (the force's address, or how to
    find it: ``contact_url``), the fees, and a box for every question of the service."""
    return _form_pdf(service, None, force, today=today, reference=None, contact_url=contact_url)


def render_draft_pdf(
    service: Service,
    answers: Mapping[str, Any],
    force: ForceLike | None,
    *,
    reference: str | None = None,
    today: date | None = None,
    contact_url: str = DEFAULT_CONTACT_URL,
) -> bytes:
    """A draft to finish on paper: the paper form with the answers given so far filled in, and
    the unanswered boxes left empty to write in."""
    return _form_pdf(
        service, answers, force, today=today, reference=reference, contact_url=contact_url
    )


def _form_pdf(
    service: Service,
    answers: Mapping[str, Any] | None,
    force: ForceLike | None,
    *,
    today: date | None,
    reference: str | None,
    contact_url: str,
) -> bytes:
    today = today or datetime.now(LONDON).date()
    return write_pdf(
        "pdf/form.html",
        {
            "service_title": str(service.title),
            "force": force,
            "force_name": force_name(force),
            "draft": answers is not None,
            "reference": reference,
            "today": today,
            "sections": form_layout(service, answers, today),
            "fees": fee_lines(service, today),
            "declaration": service.declaration,
            "contact_url": contact_url,
        },
    )


__all__: Sequence[str] = (
    "ApplicationData",
    "ForceData",
    "TakenBy",
    "render_application_pdf",
    "render_blank_form_pdf",
    "render_draft_pdf",
)
