"""Making staff accounts from the command line (`python -m webapp create-staff`) and the demo
force administrator that `seed-demo` loads for development."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp import auth as credentials
from webapp.store.db import create_sync_engine
from webapp.store.models import Force
from webapp.store.staff import ROLES, StaffMember, normalise_email

# Development only: documented in the README, refused at sign-in when ENV=production.
DEMO_FORCE = "west-yorkshire"
DEMO_EMAIL = "demo.admin@example.gov.uk"
DEMO_PASSWORD = "blue lamp demo administrator"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPBLUELAMPDEMO2345"


class StaffSetupError(ValueError):
    pass


@dataclass(frozen=True)
class CreatedStaff:
    id: int
    email: str
    totp_secret: str
    totp_uri: str


def _add(
    session: Session,
    *,
    force_id: str,
    email: str,
    password: str,
    role: str,
    name: str,
    demo: bool,
    totp_secret: str | None,
) -> CreatedStaff:
    email = normalise_email(email)
    if role not in ROLES:
        raise StaffSetupError(f"role must be one of: {', '.join(ROLES)}")
    if session.get(Force, force_id) is None:
        raise StaffSetupError(
            f"no force with id {force_id!r} (run `python -m webapp seed-demo` or migrate first)"
        )
    if "@" not in email:
        raise StaffSetupError("email must be an email address")
    problem = credentials.password_problem(password, email=email)
    if problem and not demo:
        raise StaffSetupError(problem)
    if session.scalar(select(StaffMember.id).where(StaffMember.email == email)) is not None:
        raise StaffSetupError(f"an account for {email} already exists")
    secret = totp_secret or credentials.new_totp_secret()
    member = StaffMember(
        force_id=force_id,
        email=email,
        name=name,
        role=role,
        password_hash=credentials.hash_password(password),
        totp_secret=secret,
        # The secret is printed (or documented) here, so the second factor is ready to use.
        totp_confirmed=True,
        failed_attempts=0,
        active=True,
        demo=demo,
    )
    session.add(member)
    session.flush()
    return CreatedStaff(member.id, email, secret, credentials.totp_uri(secret, email))


def create_staff(
    database_url: str, *, force_id: str, email: str, password: str, role: str, name: str = ""
) -> CreatedStaff:
    engine = create_sync_engine(database_url)
    try:
        with Session(engine) as session, session.begin():
            return _add(
                session,
                force_id=force_id,
                email=email,
                password=password,
                role=role,
                name=name or email,
                demo=False,
                totp_secret=None,
            )
    finally:
        engine.dispose()


def seed_demo_admin(session: Session) -> bool:
    """Add the demo force administrator if missing; True if added."""
    if session.scalar(select(StaffMember.id).where(StaffMember.email == DEMO_EMAIL)) is not None:
        return False
    _add(
        session,
        force_id=DEMO_FORCE,
        email=DEMO_EMAIL,
        password=DEMO_PASSWORD,
        role="admin",
        name="Demo Administrator",
        demo=True,
        totp_secret=DEMO_TOTP_SECRET,
    )
    return True
