"""Application references: short, easy to read out over the phone, and unique.

No 0/O or 1/I (and no L, which reads like 1 in some fonts): 8 symbols from 31 give about
40 bits, so guessing one is hopeless and collisions are rare; the unique constraint and a retry
in the repository deal with the rare ones.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_PATTERN = re.compile(rf"^[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")


def new_reference() -> str:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{symbols[:4]}-{symbols[4:]}"


def normalise_reference(text: str) -> str | None:
    """Accept what people type (any case, with or without spaces and hyphen); None if it
    cannot be a reference we issued."""
    cleaned = re.sub(r"[\s-]", "", text.upper())
    candidate = f"{cleaned[:4]}-{cleaned[4:]}"
    return candidate if _PATTERN.match(candidate) else None
