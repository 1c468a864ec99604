"""One Settings object, read from the environment (see the README for each variable)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"

# A secret that must never sign anything in production.
_DEVELOPMENT_SECRET_FILE = "secret_key"


DEVELOPMENT_PAY_API_URL = "http://127.0.0.1:8765"
DEVELOPMENT_PAY_API_KEY = "api_test_bluelamp_development"
_TEST_KEY_PREFIX = "api_test_"
_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "0.0.0.0"})


def is_local_url(url: str) -> bool:
    """True for an address on this machine, such as the GOV.UK Pay simulator's."""
    host = (urlsplit(url).hostname or "").lower()
    return host in _LOCAL_HOSTS or host.endswith(".localhost") or host.startswith("127.")


class ConfigurationError(RuntimeError):
    """The environment cannot run the service safely."""


def _development_secret() -> str:
    """Generate once and keep under var/, so sessions survive a restart in development."""
    VAR_DIR.mkdir(exist_ok=True)
    path = VAR_DIR / _DEVELOPMENT_SECRET_FILE
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _default_database_url() -> str:
    return f"sqlite:///{VAR_DIR / 'bluelamp.sqlite3'}"


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    database_url: str = field(default_factory=_default_database_url)
    secret_key: str = ""
    base_url: str = "http://127.0.0.1:8000"
    smtp_url: str | None = None
    # GOV.UK Pay: in development the local simulator (python -m simulators.govuk_pay), which
    # `serve` starts when nothing answers there; production refuses both defaults.
    pay_api_url: str = DEVELOPMENT_PAY_API_URL
    pay_api_key: str = DEVELOPMENT_PAY_API_KEY
    # How long a public session lives without activity (WCAG 2.2.1: warned before it ends).
    session_idle_seconds: int = 30 * 60
    # How long before the end the timeout dialog warns (at least 2 minutes).
    session_warning_seconds: int = 5 * 60
    # Save and come back later: a resume link's life, and how long an untouched draft is kept
    # before `python -m webapp purge` deletes it (the privacy notice states this period).
    resume_link_days: int = 28
    draft_retention_days: int = 28
    # Resume by reference, date of birth and postcode: failures allowed per reference (then it
    # is locked for resume_lock_hours) and per client per hour.
    resume_max_failures: int = 5
    resume_lock_hours: int = 24
    resume_client_max_failures: int = 20
    # Email: GOV.UK Notify when a key is set, else SMTP_URL, else the development log.
    email_from: str = "Blue Lamp <no-reply@bluelamp.invalid>"
    notify_api_key: str | None = None
    notify_template_id: str | None = None
    # The force that runs the platform for the others: its staff read the public's feedback.
    lead_force: str | None = None
    # Where the public can write about the website itself (problems, other formats).
    contact_email: str = "help@bluelamp.invalid"
    # Largest request body accepted; a photo upload is the biggest legitimate body.
    max_request_bytes: int = 12 * 1024 * 1024

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def session_cookie(self) -> str:
        # __Host- binds the cookie to this exact origin over HTTPS (no Domain, Path=/).
        return "__Host-session" if self.production else "session"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        mode = env.get("ENV", "development")
        if mode not in ("development", "production"):
            raise ConfigurationError("ENV must be 'development' or 'production'")
        secret = env.get("SECRET_KEY", "")
        if mode == "production" and len(secret) < 32:
            raise ConfigurationError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production"
            )
        pay_api_url = env.get("PAY_API_URL") or DEVELOPMENT_PAY_API_URL
        pay_api_key = env.get("PAY_API_KEY") or DEVELOPMENT_PAY_API_KEY
        if mode == "production" and (
            is_local_url(pay_api_url) or not pay_api_url.startswith("https://")
        ):
            raise ConfigurationError(
                "PAY_API_URL must be GOV.UK Pay's API over HTTPS in production, not the simulator"
            )
        if mode == "production" and pay_api_key.startswith(_TEST_KEY_PREFIX):
            raise ConfigurationError("PAY_API_KEY must be a live GOV.UK Pay key in production")
        return cls(
            env=mode,
            database_url=env.get("DATABASE_URL") or _default_database_url(),
            secret_key=secret or _development_secret(),
            base_url=env.get("BASE_URL", cls.base_url).rstrip("/"),
            smtp_url=env.get("SMTP_URL") or None,
            email_from=env.get("EMAIL_FROM") or cls.email_from,
            notify_api_key=env.get("NOTIFY_API_KEY") or None,
            notify_template_id=env.get("NOTIFY_TEMPLATE_ID") or None,
            pay_api_url=pay_api_url.rstrip("/"),
            pay_api_key=pay_api_key,
            lead_force=env.get("LEAD_FORCE") or None,
            contact_email=env.get("CONTACT_EMAIL") or cls.contact_email,
        )
