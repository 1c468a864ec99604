"""The hostile set, the ways a form is mangled, and a client that posts them and keeps count.

A form body is built by hand (not by httpx) so that it can hold what a browser never sends but
an attacker can: unpaired surrogates (as the bytes a lax encoder writes), a field twice, a field
missing, a wrong or absent form token."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote_plus

from starlette.testclient import TestClient

from tests.support.hostile import SCRIPT, SCRIPT_MARKER, form_fields, typed_shown

# Each kind of hostile value once or twice, by name.
HOSTILE: dict[str, str] = {
    "empty": "",
    "blank": "   \t  ",
    "long": "x" * 100_000,
    "long-arabic": "ش" * 50_000,  # 100 KB of two-byte characters
    "rtl": "\u202eevil\u202c مرحبا עברית",
    "emoji": "😀🔫👨\u200d👩\u200d👧 ☃",
    "control": "a\x00b\x07\x1b[31m\x7f",
    "combining": "Z\u0351\u0334a\u0353\u033el\u0316\u0310g\u0325o\u0301 e\u0301",
    "json": '{"$gt": ""} \\u0000 %00',
    "surrogate": "a\ud800b\udfff",
    "int32": "2147483648",
    "int32-negative": "-2147483649",
    "float-huge": "1e308",
    "digits-400": "9" * 400,
    "nan": "NaN",
    "arabic-digits": "١٢٣٤٥٦",
    "fullwidth-digits": "１２３",
    "zero": "0",
    "html": SCRIPT + '"><img src=x onerror=alert(1)>',
    "attribute": '" autofocus onfocus="alert(1)',
    "sql": "'; DROP TABLE application; --",
    "sql-or": "' OR '1'='1",
    "path": "../../../etc/passwd",
    "crlf": "a\r\nSet-Cookie: x=1",
}
# Values no field changes when it keeps what was typed: each must come back exactly on a page
# that re-renders with an error (date boxes keep 20 characters, all of these fit).
KEPT_AS_TYPED = {"html", "sql", "int32", "float-huge"}
SHORT_BOX = 20
LONG = 10_000
# Dates no calendar has, as (day, month, year).
IMPOSSIBLE_DATES = [
    ("31", "2", "2023"),
    ("0", "0", "0"),
    ("2147483648", "2147483648", "2147483648"),
    ("32", "13", "99999999999"),
    ("-1", "1", "1900"),
]
WRONG_TOKEN = "forged-token-value-that-is-long-enough-123"

Pairs = list[tuple[str, str]]


def encode(pairs: Pairs) -> bytes:
    """A urlencoded body; a lone surrogate goes as the bytes a lax encoder would write."""
    return b"&".join(
        quote_plus(name.encode("utf-8", "surrogatepass")).encode()
        + b"="
        + quote_plus(value.encode("utf-8", "surrogatepass")).encode()
        for name, value in pairs
    )


@dataclass
class Case:
    """One mangled post of a form."""

    label: str
    pairs: Pairs
    token: str | None  # None: the session's own token
    kept: str | None = None  # the value every text field must show if the page re-renders


def date_groups(fields: dict[str, str]) -> dict[str, list[str]]:
    """Date inputs by question: {'dob': ['dob-day', 'dob-month', 'dob-year']}."""
    groups: dict[str, list[str]] = {}
    for name, kind in fields.items():
        if kind == "date":
            groups.setdefault(name.rsplit("-", 1)[0], []).append(name)
    return groups


def cases(fields: dict[str, str]) -> Iterator[Case]:
    """Every mangling of a form with these fields: each hostile value in every field at once,
    in each field alone (the others missing), and twice over; impossible dates; no fields;
    a wrong token and none."""
    names = list(fields)
    for label, value in HOSTILE.items():
        yield Case(
            f"{label}/all",
            [(name, value) for name in names] + [("unexpected_extra", value)],
            None,
            kept=value if label in KEPT_AS_TYPED else None,
        )
        if len(value) <= LONG:  # the 100 KB values, the costliest, go in all fields at once
            for name in names:
                yield Case(f"{label}/only {name}", [(name, value)], None)
        yield Case(
            f"{label}/twice", [pair for name in names for pair in ((name, value),) * 2], None
        )
        if len(value) > LONG:
            continue
        # Which of two values a form reads must not matter to its safety.
        yield Case(
            f"{label}/after a blank", [p for n in names for p in ((n, ""), (n, value))], None
        )
        yield Case(f"{label}/before a 1", [p for n in names for p in ((n, value), (n, "1"))], None)
    for day, month, year in IMPOSSIBLE_DATES:
        pairs: Pairs = []
        for group in date_groups(fields).values():
            for name in group:
                part = name.rsplit("-", 1)[1]
                pairs.append((name, {"day": day, "month": month, "year": year}.get(part, day)))
        if pairs:
            yield Case(f"date {day}/{month}/{year}", pairs, None)
    yield Case("no fields", [], None)
    yield Case("wrong token", [(name, "x") for name in names], WRONG_TOKEN)
    yield Case("no token", [(name, "x") for name in names], "")


@dataclass
class Tally:
    """What the fuzz saw: requests made, their times, and every failure."""

    requests: int = 0
    by_status: dict[int, int] = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    echoed: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    tokens_accepted: list[str] = field(default_factory=list)
    kept_checked: int = 0

    def count(self, status: int, seconds: float) -> None:
        self.requests += 1
        self.by_status[status] = self.by_status.get(status, 0) + 1
        self.seconds.append(seconds)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else 0.0

    def figures(self) -> str:
        median = statistics.median(self.seconds) if self.seconds else 0.0
        return (
            f"{self.requests} requests, statuses {dict(sorted(self.by_status.items()))}, "
            f"p50 {median * 1000:.1f} ms, p99 {self.percentile(0.99) * 1000:.1f} ms, "
            f"{self.kept_checked} fields seen to keep what was typed"
        )


_FORM_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Fuzzer:
    """Posts cases to forms through one client, checking every answer as it comes."""

    client: TestClient
    tally: Tally
    token: str = ""

    def get(self, url: str) -> tuple[int, str, str]:
        """(status, location, HTML) of a GET, counted and checked like any other request."""
        started = time.perf_counter()
        response = self.client.get(url, follow_redirects=False)
        self._check(url, f"GET {url[:120]}", response.status_code, response.text, started)
        found = _FORM_TOKEN.search(response.text)
        if found:
            self.token = found.group(1)
        return response.status_code, response.headers.get("location", ""), response.text

    def post(self, url: str, case: Case, fields: dict[str, str]) -> tuple[int, str, str]:
        token = self.token if case.token is None else case.token
        pairs = [*case.pairs, ("csrf_token", token)] if token else case.pairs
        started = time.perf_counter()
        response = self.client.post(
            url,
            content=encode(pairs),
            headers={"content-type": "application/x-www-form-urlencoded"},
            follow_redirects=False,
        )
        where = f"POST {url} [{case.label}]"
        self._check(url, where, response.status_code, response.text, started)
        if case.token is not None and response.status_code != 403:
            self.tally.tokens_accepted.append(f"{where}: {response.status_code}, not 403")
        if case.kept is not None and response.status_code == 200 and _has_errors(response.text):
            for name, kind in fields.items():
                # A password is never shown back, by design.
                if kind in ("radio", "checkbox", "file", "hidden", "submit", "password"):
                    continue
                self.tally.kept_checked += 1
                if not _kept(response.text, name, kind, case.kept):
                    self.tally.lost.append(f"{where}: {name}")
        return response.status_code, response.headers.get("location", ""), response.text

    def _check(self, url: str, where: str, status: int, html: str, started: float) -> None:
        self.tally.count(status, time.perf_counter() - started)
        if status >= 500:
            self.tally.server_errors.append(f"{where}: {status}")
        if SCRIPT_MARKER in html:
            self.tally.echoed.append(where)


def _kept(html: str, name: str, kind: str, value: str) -> bool:
    """Shown as typed; an email address as it will be used; a box for something short (a date's part, a reference) keeps its first
    SHORT_BOX characters of a longer value."""
    if kind == "email" and typed_shown(html, name, kind, value.strip().lower()):
        return True  # an address shown as it will be used: trimmed, in lower case
    return typed_shown(html, name, kind, value) or (
        len(value) > SHORT_BOX and typed_shown(html, name, kind, value[:SHORT_BOX])
    )


def _has_errors(html: str) -> bool:
    return 'class="govuk-error-summary"' in html


def fields_of(html: str) -> dict[str, str]:
    """The inputs of the page's first POST form (not the cookie banner's or a search's)."""
    forms = re.findall(r'<form[^>]*method="post"[^>]*>(.*?)</form>', html, re.S | re.I)
    main = max(forms, key=len) if forms else ""
    return form_fields(main)
