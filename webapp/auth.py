"""Staff credentials: argon2id password hashes, the password rule, and TOTP second factors.

The password rule follows NCSC and NIST guidance: long enough, not a known common password, and
no composition rules. TOTP is RFC 6238 (30-second steps, 6 digits, SHA-1), which every
authenticator app understands; a code is accepted once only, by remembering the last step used.
No HTTP and no SQL here.
"""

from __future__ import annotations

import hmac
import time
from functools import cache
from pathlib import Path

import pyotp
import segno
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from webapp.numbers import ascii_digits

COMMON_PASSWORDS = Path(__file__).parent / "data" / "common-passwords.txt"
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
TOTP_ISSUER = "Blue Lamp"
# Codes from the step before and after are accepted too: phone clocks drift.
TOTP_WINDOW = 1

# argon2-cffi's defaults are argon2id with RFC 9106's low-memory profile.
_hasher = PasswordHasher()
# Verified against when an email matches no account, so the reply takes just as long.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def password_problem(password: str, *, email: str = "") -> str | None:
    """Why a new password is not allowed, as a GOV.UK error message; None if it is fine."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password must be {MIN_PASSWORD_LENGTH} characters or more"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Password must be {MAX_PASSWORD_LENGTH} characters or fewer"
    lowered = password.lower()
    squashed = "".join(lowered.split())
    if lowered in common_passwords() or squashed in common_passwords():
        return "Password is too common: choose one that other people are unlikely to use"
    if len(set(password)) < 4:
        return "Password is too easy to guess: use more different characters"
    local_part = email.split("@", 1)[0].lower()
    if local_part and len(local_part) >= 4 and local_part in lowered:
        return "Password must not contain your email address"
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Constant work whether or not the account exists (pass None for a missing account)."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=TOTP_ISSUER)


def totp_qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (no external image, nothing sent anywhere)."""
    qr = segno.make(uri, error="m", micro=False)
    return qr.svg_inline(scale=4, dark="#0b0c0c", light="#ffffff", omitsize=False)


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // 30)


def verify_totp(
    secret: str, code: str, *, last_step: int | None, now: float | None = None
) -> int | None:
    """The time step the code belongs to if it is right and newer than the last one used."""
    code = "".join(code.split())
    if len(code) != 6 or ascii_digits(code, max_digits=6) is None:
        return None
    totp = pyotp.TOTP(secret)
    step = current_step(now)
    matched = None
    for candidate in range(step - TOTP_WINDOW, step + TOTP_WINDOW + 1):
        expected = totp.generate_otp(candidate)
        if hmac.compare_digest(expected, code):
            matched = candidate
    if matched is None or (last_step is not None and matched <= last_step):
        return None
    return matched
