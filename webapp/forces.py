"""The 43 territorial police forces of England and Wales, and which of them covers a postcode.

An applicant applies to the force for the area where they live. Police force areas follow local
authority boundaries, which postcode districts do not, so a postcode can only be mapped to a list
of *candidate* forces from the data shipped in ``webapp/data`` (there is no network lookup at run
time). When there is more than one candidate the service asks the user to choose; it never guesses.

Pure Python: no web framework or database imports, so any layer can use it.

Public API:

* :class:`Force`, :func:`all_forces`, :func:`get_force`
* :func:`normalise_postcode` - a full UK postcode in ``"SW1A 1AA"`` form, or ``None``
* :func:`normalise_outward_code` - the first half of a postcode (``"SW1A"``), or ``None``
* :func:`forces_for_postcode` - a :class:`LookupResult` for a full postcode or an outward code
* :func:`outside_great_britain` - whether a postcode lies wholly outside England, Scotland and Wales
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
FORCES_CSV = DATA_DIR / "forces.csv"
POSTCODES_CSV = DATA_DIR / "postcode_districts.csv"

WELSH_LOCALE = "cy"


@dataclass(frozen=True)
class Force:
    id: str
    name: str
    name_cy: str | None
    country: str  # "England" or "Wales"

    @property
    def is_welsh(self) -> bool:
        """Welsh forces work under the Welsh Language Standards."""
        return self.country == "Wales"

    def display_name(self, locale: str) -> str:
        """The force's name for a locale: the Welsh name for ``cy`` where the force has one."""
        if self.name_cy and locale.replace("_", "-").split("-")[0].lower() == WELSH_LOCALE:
            return self.name_cy
        return self.name


@dataclass(frozen=True)
class LookupResult:
    """What the shipped data says about a postcode.

    ``candidates`` holds 0, 1 or several forces, most likely first. Several candidates, or
    ``partly_outside_england_and_wales``, mean the user must be asked to choose. No candidates and
    not outside means we cannot tell (an invalid, unknown or non-geographic postcode): offer the
    full list of forces.
    """

    postcode: str | None
    """The normalised postcode or outward code looked up; ``None`` when the input was not valid."""
    candidates: list[Force]
    outside_england_and_wales: bool = False
    """The postcode is wholly in Scotland, Northern Ireland, a Crown dependency or overseas."""
    partly_outside_england_and_wales: bool = False
    """The district straddles the border (e.g. TD15, Berwick-upon-Tweed): the user may live
    outside England and Wales, or with one of ``candidates``."""
    matched_prefix: str | None = None
    """The data row that decided the answer (``"TD15"``, ``"B"``), for diagnostics."""

    @property
    def is_valid(self) -> bool:
        return self.postcode is not None

    @property
    def force(self) -> Force | None:
        """The force, when the data names exactly one and the user need not be asked."""
        if len(self.candidates) == 1 and not self.partly_outside_england_and_wales:
            return self.candidates[0]
        return None

    @property
    def needs_choice(self) -> bool:
        """True when the user must pick their force (or say they live outside England and Wales)."""
        return (
            self.is_valid
            and not self.outside_england_and_wales
            and (len(self.candidates) != 1 or self.partly_outside_england_and_wales)
        )


# --- Postcode format -------------------------------------------------------------------------
#
# Outward code: A9, A99, AA9, AA99, A9A, AA9A; inward code: 9AA. Letters are restricted by
# position (no Q, V or X first; no I, J or Z second; a final outward letter from a short list;
# no C, I, K, M, O or V in the inward code).

_FIRST = "[A-PR-UWYZ]"
_SECOND = "[A-HK-Y]"
_OUTWARD = (
    f"(?:{_FIRST}[0-9][0-9]?"
    f"|{_FIRST}{_SECOND}[0-9][0-9]?"
    f"|{_FIRST}[0-9][ABCDEFGHJKPSTUW]"
    f"|{_FIRST}{_SECOND}[0-9][ABEHMNPRVWXY])"
)
_INWARD = "[0-9][ABD-HJLNP-UW-Z]{2}"
_OUTWARD_RE = re.compile(_OUTWARD)
_INWARD_RE = re.compile(_INWARD)
_AREA_RE = re.compile("[A-Z]{1,2}")

# Postcodes outside the standard pattern. GIR 0AA is non-geographic (no one lives there); the
# others are British Overseas Territories, outside England and Wales.
_NON_GEOGRAPHIC_SPECIAL = {"GIR0AA": "GIR 0AA"}
_OVERSEAS_SPECIAL = {
    compact: f"{compact[:-3]} {compact[-3:]}"
    for compact in (
        "ASCN1ZZ",  # Ascension Island
        "BBND1ZZ",  # British Indian Ocean Territory
        "BIQQ1ZZ",  # British Antarctic Territory
        "FIQQ1ZZ",  # Falkland Islands
        "GX111AA",  # Gibraltar
        "PCRN1ZZ",  # Pitcairn Islands
        "SIQQ1ZZ",  # South Georgia and the South Sandwich Islands
        "STHL1ZZ",  # Saint Helena
        "TDCU1ZZ",  # Tristan da Cunha
        "TKCA1ZZ",  # Turks and Caicos Islands
    )
}


def _compact(text: object) -> str | None:
    if not isinstance(text, str):
        return None
    compact = "".join(text.split()).upper()
    return compact if 0 < len(compact) <= 8 else None


def normalise_postcode(text: object) -> str | None:
    """A full UK postcode in upper case with one space (``"SW1A 1AA"``), or ``None``.

    Accepts any case and spacing (``"sw1a1aa"``, ``" SW1A  1AA "``). Checks the format only: a
    well-formed postcode in an area the data does not know still normalises.
    """
    compact = _compact(text)
    if compact is None:
        return None
    special = _NON_GEOGRAPHIC_SPECIAL.get(compact) or _OVERSEAS_SPECIAL.get(compact)
    if special:
        return special
    outward, inward = compact[:-3], compact[-3:]
    if _OUTWARD_RE.fullmatch(outward) and _INWARD_RE.fullmatch(inward):
        return f"{outward} {inward}"
    return None


def normalise_outward_code(text: object) -> str | None:
    """The outward code (first half of a postcode, e.g. ``"SW1A"``, ``"LS1"``) or ``None``."""
    compact = _compact(text)
    if compact is not None and _OUTWARD_RE.fullmatch(compact):
        return compact
    return None


# --- Data ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    prefix: str
    force_ids: tuple[str, ...]
    outside: str  # "" or where the postcode lies instead ("Scotland", "Isle of Man", ...)


def _data_lines(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [line for line in fh if line.strip() and not line.lstrip().startswith("#")]


@cache
def _forces() -> dict[str, Force]:
    forces: dict[str, Force] = {}
    for record in csv.DictReader(_data_lines(FORCES_CSV)):
        force = Force(
            id=record["id"].strip(),
            name=record["name"].strip(),
            name_cy=(record.get("name_cy") or "").strip() or None,
            country=record["country"].strip(),
        )
        if force.id in forces:
            raise ValueError(f"{FORCES_CSV.name}: force {force.id!r} listed twice")
        forces[force.id] = force
    return forces


def _valid_prefix(prefix: str) -> bool:
    if _AREA_RE.fullmatch(prefix):
        return True
    outward, _, sector = prefix.partition(" ")
    return bool(_OUTWARD_RE.fullmatch(outward)) and (
        sector == "" or re.fullmatch("[0-9]", sector) is not None
    )


@cache
def _postcode_rows() -> dict[str, _Row]:
    forces = _forces()
    rows: dict[str, _Row] = {}
    for line_no, record in enumerate(csv.DictReader(_data_lines(POSTCODES_CSV)), start=2):
        prefix = " ".join(record["prefix"].split()).upper()
        force_ids = tuple(record["forces"].split())
        outside = record["outside"].strip()
        where = f"{POSTCODES_CSV.name} row {line_no} ({prefix})"
        if not _valid_prefix(prefix):
            raise ValueError(f"{where}: not a postcode area, district or sector")
        if prefix in rows:
            raise ValueError(f"{where}: listed twice")
        unknown = [force_id for force_id in force_ids if force_id not in forces]
        if unknown:
            raise ValueError(f"{where}: unknown force id(s) {', '.join(unknown)}")
        rows[prefix] = _Row(prefix, force_ids, outside)
    return rows


def all_forces() -> list[Force]:
    """All 43 forces, in the order of the data file (alphabetical by id)."""
    return list(_forces().values())


def get_force(force_id: str) -> Force | None:
    return _forces().get(force_id)


# --- Lookup ----------------------------------------------------------------------------------


def _prefixes(outward: str, sector: str | None) -> list[str]:
    """Most specific first: sector ("S8 8"), district ("EC1A", then "EC1"), area ("EC")."""
    prefixes = [f"{outward} {sector}"] if sector else []
    prefixes.append(outward)
    if outward[-1].isalpha():
        prefixes.append(outward[:-1])
    prefixes.append(_AREA_RE.match(outward).group())  # type: ignore[union-attr]
    return prefixes


# Where a postcode can lie outside England and Wales and still be in Great Britain.
_IN_GREAT_BRITAIN = {"", "Scotland"}


def outside_great_britain(postcode: object) -> bool:
    """True when the data puts a full postcode (or outward code) wholly outside Great Britain:
    Northern Ireland, the Isle of Man, the Channel Islands or an overseas territory. False when it
    is in Great Britain, or when the data cannot tell (an unknown or non-geographic postcode)."""
    full = normalise_postcode(postcode)
    if full in _OVERSEAS_SPECIAL.values():
        return True
    outward = full.split(" ")[0] if full is not None else normalise_outward_code(postcode)
    if outward is None:
        return False
    sector = full.split(" ")[1][0] if full is not None else None
    rows = _postcode_rows()
    for prefix in _prefixes(outward, sector):
        row = rows.get(prefix)
        if row is not None:
            return not row.force_ids and row.outside not in _IN_GREAT_BRITAIN
    return False


def forces_for_postcode(postcode: object) -> LookupResult:
    """Candidate forces for a full postcode (any case or spacing) or an outward code.

    The most specific row in the data wins: postcode sector, then district, then area.
    """
    full = normalise_postcode(postcode)
    outward = normalise_outward_code(postcode) if full is None else None
    if full is None and outward is None:
        return LookupResult(postcode=None, candidates=[])
    if full in _OVERSEAS_SPECIAL.values():
        return LookupResult(postcode=full, candidates=[], outside_england_and_wales=True)
    if full in _NON_GEOGRAPHIC_SPECIAL.values():
        return LookupResult(postcode=full, candidates=[])

    if full is not None:
        outward, inward = full.split(" ")
        sector: str | None = inward[0]
    else:
        sector = None
    assert outward is not None

    rows = _postcode_rows()
    for prefix in _prefixes(outward, sector):
        row = rows.get(prefix)
        if row is None:
            continue
        forces = _forces()
        candidates = [forces[force_id] for force_id in row.force_ids]
        return LookupResult(
            postcode=full or outward,
            candidates=candidates,
            outside_england_and_wales=bool(row.outside) and not candidates,
            partly_outside_england_and_wales=bool(row.outside) and bool(candidates),
            matched_prefix=row.prefix,
        )
    return LookupResult(postcode=full or outward, candidates=[])
