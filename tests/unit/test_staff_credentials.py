"""Passwords, TOTP codes and scans, without HTTP or a database."""

from __future__ import annotations

import io

import pyotp
import pytest
from pypdf import PdfWriter

from webapp import auth
from webapp.scans import ScanError, clean_scan
from webapp.web.staff.common import safe_next


@pytest.mark.parametrize(
    "password",
    ["short", "password1234", "Password1234", "qwertyuiop123", "aaaaaaaaaaaaaaaa", "liverpool2024"],
)
def test_weak_passwords_are_refused(password: str) -> None:
    assert auth.password_problem(password) is not None


def test_long_uncommon_passwords_need_no_symbols_or_capitals() -> None:
    assert auth.password_problem("purple walrus dances slowly") is None
    assert auth.password_problem("janedoe is great fun", email="janedoe@example.com") is not None


def test_common_password_list_is_shipped_and_reasonable() -> None:
    common = auth.common_passwords()
    assert 2000 < len(common) < 20000
    assert "password" in common and "123456" in common


def test_argon2id_hashes_verify_and_never_match_a_missing_account() -> None:
    stored = auth.hash_password("purple walrus dances slowly")
    assert stored.startswith("$argon2id$")
    assert auth.verify_password(stored, "purple walrus dances slowly")
    assert not auth.verify_password(stored, "purple walrus dances slowlY")
    assert not auth.verify_password(None, "purple walrus dances slowly")
    assert not auth.verify_password("not a hash", "x")


def test_totp_accepts_adjacent_steps_once_only() -> None:
    secret = auth.new_totp_secret()
    now = 1_800_000_000.0
    totp = pyotp.TOTP(secret)
    step = auth.verify_totp(secret, totp.at(now), last_step=None, now=now)
    assert step == auth.current_step(now)
    assert auth.verify_totp(secret, totp.at(now), last_step=step, now=now) is None  # reused
    assert auth.verify_totp(secret, totp.at(now + 30), last_step=step, now=now) == step + 1
    assert auth.verify_totp(secret, totp.at(now - 90), last_step=None, now=now) is None  # too old
    assert auth.verify_totp(secret, "12 34", last_step=None, now=now) is None
    assert auth.verify_totp(secret, "abcdef", last_step=None, now=now) is None


def test_qr_code_is_plain_svg_without_inline_style() -> None:
    svg = auth.totp_qr_svg(auth.totp_uri(auth.new_totp_secret(), "a@example.com"))
    assert svg.startswith("<svg") and "style=" not in svg and "<script" not in svg


@pytest.mark.parametrize(
    "target,expected",
    [
        ("/staff/applications?status=granted", "/staff/applications?status=granted"),
        ("/staff", "/staff"),
        ("https://evil.example", "/staff"),
        ("//evil.example", "/staff"),
        ("/staff/../apply", "/staff"),
        ("/\\evil", "/staff"),
        (None, "/staff"),
        ("/staffx", "/staff"),
        ("/staff/a\r\nLocation: x", "/staff"),
    ],
)
def test_safe_next(target: object, expected: str) -> None:
    assert safe_next(target) == expected


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_scans_accept_real_pdfs_and_images_only() -> None:
    assert clean_scan(_pdf()).content_type == "application/pdf"
    from tests.support.forms import png_bytes

    assert clean_scan(png_bytes()).content_type == "image/png"
    for bad in (b"", b"%PDF-1.4 junk", b"GIF89a....", b"<html>", b"\x89PNG\r\n\x1a\nbroken"):
        with pytest.raises(ScanError):
            clean_scan(bad)
    with pytest.raises(ScanError):
        clean_scan(b"%PDF-" + b"0" * (11 * 1024 * 1024))
