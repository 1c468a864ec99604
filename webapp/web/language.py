"""English or Welsh: the person's choice (a plain `?lang=cy` link on any public page), else
what their browser asks for (`Accept-Language`), else English. Staff pages stay English.

The choice is kept in the session and on every draft the session has open, so that letters and
emails about the application go in the language it was made in.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from babel import negotiate_locale
from starlette.datastructures import URL, QueryParams
from starlette.requests import HTTPConnection

from webapp import i18n
from webapp.store import browser_sessions, drafts
from webapp.store.db import unit_of_work
from webapp.web.drafts import SESSION_ID, open_draft_ids

SESSION_LOCALE = "locale"
PARAMETER = "lang"
STAFF_PREFIX = "/staff"

# Each language is named in itself, as the GOV.UK language select does.
NAMES = {"en": "English", "cy": "Cymraeg"}


def is_staff_path(path: str) -> bool:
    return path == STAFF_PREFIX or path.startswith(STAFF_PREFIX + "/")


def requested(query: QueryParams) -> str | None:
    """The language a `?lang=` link asks for, if it is one we have."""
    value = query.get(PARAMETER)
    return value if value in i18n.SUPPORTED_LOCALES else None


def from_accept_language(header: str | None) -> str | None:
    """The best of our languages for an `Accept-Language` header, by its q-values; None when
    it names none of them (the caller falls back to English)."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and tag != "*" and quality > 0:
            # Highest quality first; equal qualities keep the order the browser gave.
            ranked.append((-quality, position, tag.strip()))
    preferred = [tag for _q, _p, tag in sorted(ranked)]
    return negotiate_locale(preferred, list(i18n.SUPPORTED_LOCALES), sep="-")


def locale_for(connection: HTTPConnection) -> str:
    """The language to draw this request's pages in."""
    if is_staff_path(connection.url.path):
        return i18n.DEFAULT_LOCALE
    chosen = (connection.scope.get("session") or {}).get(SESSION_LOCALE)
    if chosen in i18n.SUPPORTED_LOCALES:
        return str(chosen)
    return from_accept_language(connection.headers.get("accept-language")) or i18n.DEFAULT_LOCALE


def without_parameter(url: URL) -> str:
    """The same page without `?lang=`: where a language link leads once the choice is kept."""
    rest = [(key, value) for key, value in QueryParams(url.query).multi_items() if key != PARAMETER]
    return url.path + (f"?{urlencode(rest)}" if rest else "")


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    href: str
    current: bool


def links(url: URL, current: str) -> list[LanguageLink]:
    """The header's language select: each language, linking to this same page in it."""
    rest = [(key, value) for key, value in QueryParams(url.query).multi_items() if key != PARAMETER]
    return [
        LanguageLink(
            code=code,
            name=NAMES[code],
            href=f"{url.path}?{urlencode([*rest, (PARAMETER, code)])}",
            current=code == current,
        )
        for code in i18n.SUPPORTED_LOCALES
    ]


async def choose(connection: HTTPConnection, language: str) -> None:
    """Keep the choice for the session, and on the drafts it has open (if it is still live:
    a copied cookie of an ended session changes nothing)."""
    session: MutableMapping[str, Any] = connection.session
    session[SESSION_LOCALE] = language
    draft_ids = open_draft_ids(session)
    if not draft_ids:
        return
    app_state = connection.scope["app"].state
    idle = timedelta(seconds=app_state.settings.session_idle_seconds)
    async with unit_of_work(app_state.sessions) as db:
        if await browser_sessions.is_live(db, session.get(SESSION_ID), idle=idle):
            await drafts.set_language(db, draft_ids, language)
