"""`python -m webapp create-staff` and the demo administrator from `seed-demo`."""

from __future__ import annotations

import uuid

import pyotp
import pytest

from webapp import cli
from webapp.staff_setup import DEMO_EMAIL, DEMO_TOTP_SECRET


def test_create_staff_prints_a_working_totp_secret(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    email = f"first.admin.{uuid.uuid4().hex[:8]}@example.police.uk"
    code = cli.main(
        [
            "create-staff",
            "--force",
            "kent",
            "--email",
            email,
            "--password",
            "kentish orchards in spring",
            "--role",
            "admin",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and email in out
    secret = out.split("TOTP secret: ")[1].split()[0]
    assert pyotp.TOTP(secret).now().isdigit()
    assert "otpauth://totp/" in out
    # The same email twice, a weak password, an unknown force: clear errors, exit code 2.
    assert (
        cli.main(
            [
                "create-staff",
                "--force",
                "kent",
                "--email",
                email,
                "--password",
                "kentish orchards in spring",
                "--role",
                "admin",
            ]
        )
        == 2
    )
    assert (
        cli.main(
            [
                "create-staff",
                "--force",
                "kent",
                "--email",
                "x" + email,
                "--password",
                "password1234",
                "--role",
                "admin",
            ]
        )
        == 2
    )
    assert (
        cli.main(
            [
                "create-staff",
                "--force",
                "atlantis",
                "--email",
                "y" + email,
                "--password",
                "kentish orchards in spring",
                "--role",
                "admin",
            ]
        )
        == 2
    )


def test_seed_demo_made_the_documented_demo_administrator(sqlite_url: str) -> None:
    from sqlalchemy import text

    from webapp.store.db import create_sync_engine

    engine = create_sync_engine(sqlite_url)
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT role, demo, totp_secret FROM staff_member WHERE email = :e"),
            {"e": DEMO_EMAIL},
        ).one()
    engine.dispose()
    assert row[0] == "admin" and bool(row[1]) and row[2] == DEMO_TOTP_SECRET
