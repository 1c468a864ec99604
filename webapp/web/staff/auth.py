"""Staff sign-in: email and password, then a code from an authenticator app (set up on first
sign-in), then a new server-side session. Failures are all written to the audit log, capped per
client, and make the client that keeps failing at one account wait longer and longer
(``webapp/throttle.py``): never the account's owner trying from elsewhere."""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import timedelta
from typing import Any

import anyio
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from webapp import auth as credentials
from webapp.notify import queue_sign_in_attempts
from webapp.security import form_handler
from webapp.store import audit
from webapp.store import resume as attempts
from webapp.store import staff as accounts
from webapp.store.db import unit_of_work
from webapp.store.models import utcnow
from webapp.throttle import Throttle
from webapp.web.fixed_forms import attempts_key
from webapp.web.routing import form_page

from .common import (
    SESSION_PENDING,
    SESSION_TOKEN,
    client_ip,
    log,
    redirect,
    render,
    safe_next,
    signed_in_member,
)

# Between the password and the code, at most this long.
PENDING_SECONDS = 5 * 60
RATE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_CLIENT = 20
# Per account and client: 5 wrong tries, then 15 minutes, doubling with every 5 more.
SIGN_IN_THROTTLE = Throttle()
WRONG_DETAILS = "Enter a correct email address and password"
LOCKED = (
    "You cannot sign in from this device for now because of too many failed attempts. "
    "Try again later, or ask an administrator in your force to unlock your account"
)
WRONG_CODE = "Enter the correct 6-digit code from your authenticator app"


def account_tag(email: str) -> str:
    """Names an account in the attempts store without writing its address there."""
    return "staff:" + hashlib.sha256(email.encode()).hexdigest()[:16]


def _pair_key(request: Request, email: str) -> str:
    """This client trying this account."""
    return attempts_key(request, account_tag(email))


async def _too_many(request: Request, email: str | None) -> bool:
    """This client has failed too often at any accounts lately (a 429 for everything)."""
    async with request.app.state.sessions() as session:
        by_client = await audit.recent_failures(session, ip=client_ip(request), within=RATE_WINDOW)
    return by_client >= MAX_FAILURES_PER_CLIENT


async def _waiting(request: Request, email: str) -> bool:
    """This client must wait before trying this account again."""
    async with request.app.state.sessions() as session:
        failures, last = await attempts.failures_and_last(
            session, _pair_key(request, email), utcnow() - SIGN_IN_THROTTLE.memory
        )
    return not SIGN_IN_THROTTLE.may_try(failures, last, utcnow())


async def _refuse_rate_limited(request: Request, email: str | None) -> Response:
    log.warning("staff: sign-in rate limited")
    async with unit_of_work(request.app.state.sessions) as session:
        await audit.record(
            session,
            "sign-in refused",
            ip=client_ip(request),
            email=email,
            detail="too many attempts",
        )
    return render(request, "staff/too_many_attempts.html", {}, status_code=429)


def _sign_in_page(request: Request, **context: Any) -> Response:
    errors = context.pop("errors", None)
    return render(
        request,
        "staff/sign_in.html",
        {
            "next": safe_next(request.query_params.get("next")),
            "errors": errors,
            **context,
        },
        status_code=200,
    )


async def sign_in(request: Request) -> Response:
    if await signed_in_member(request) is not None:
        return redirect(safe_next(request.query_params.get("next")))
    return _sign_in_page(request, email="")


async def _fail(
    request: Request, member: accounts.StaffMember | None, email: str, why: str
) -> bool:
    """Audit a failed attempt and count it against this client at this account; True if the
    client must now wait."""
    moment = utcnow()
    key = _pair_key(request, email)
    async with unit_of_work(request.app.state.sessions) as session:
        attempts.record_attempt(session, key, failed=True, now=moment)
        await session.flush()
        failures, last = await attempts.failures_and_last(
            session, key, moment - SIGN_IN_THROTTLE.memory
        )
        locked = not SIGN_IN_THROTTLE.may_try(failures, last, moment)
        if member is not None and locked and failures % SIGN_IN_THROTTLE.free_tries == 0:
            # This failure made the client wait (first, or longer): the owner hears of it.
            queue_sign_in_attempts(session, member.email, failures, moment)
        await audit.record(
            session,
            audit.SIGN_IN_FAILED,
            ip=client_ip(request),
            email=email,
            force_id=member.force_id if member else None,
            detail=why + (" (account locked)" if locked else ""),
        )
    return locked


@form_handler
async def sign_in_submit(request: Request, form: FormData) -> Response:
    email = accounts.normalise_email(str(form.get("email") or ""))[:254]
    password = str(form.get("password") or "")[: credentials.MAX_PASSWORD_LENGTH]
    target = safe_next(form.get("next"))
    errors = []
    if not email:
        errors.append({"text": "Enter your email address", "href": "#email"})
    if not password:
        errors.append({"text": "Enter your password", "href": "#password"})
    if errors:
        return _sign_in_page(request, email=email, errors=errors)
    if await _too_many(request, email):
        return await _refuse_rate_limited(request, email)
    if await _waiting(request, email):
        # Counted against this client (its wait grows), not against the account.
        await _fail(request, None, email, "tried while waiting")
        return _sign_in_page(request, email=email, errors=[{"text": LOCKED, "href": "#email"}])
    async with request.app.state.sessions() as session:
        found = await accounts.by_email(session, email)
    usable = found is not None and found.active
    ok = await anyio.to_thread.run_sync(
        credentials.verify_password, found.password_hash if usable and found else None, password
    )
    if found is not None and found.locked():
        await _refuse(request, found, "account locked")
        return _sign_in_page(request, email=email, errors=[{"text": LOCKED, "href": "#email"}])
    if not ok or found is None or not usable:
        locked = await _fail(request, found if usable else None, email, "wrong email or password")
        message = LOCKED if locked else WRONG_DETAILS
        return _sign_in_page(request, email=email, errors=[{"text": message, "href": "#email"}])
    if found.demo and request.app.state.settings.production:
        await _refuse(request, found, "demo account in production")
        return _sign_in_page(
            request, email=email, errors=[{"text": WRONG_DETAILS, "href": "#email"}]
        )
    # The password is right: the account is not unlocked until the code is right too.
    request.session[SESSION_PENDING] = {"id": found.id, "at": int(time.time()), "next": target}
    return redirect("/staff/sign-in/code" if found.totp_confirmed else "/staff/sign-in/set-up")


async def _refuse(request: Request, member: accounts.StaffMember, why: str) -> None:
    log.warning("staff: sign-in refused: %s", why)
    async with unit_of_work(request.app.state.sessions) as session:
        await audit.record(
            session, "sign-in refused", ip=client_ip(request), member=member, detail=why
        )


async def _pending_member(request: Request) -> accounts.StaffMember | None:
    pending = request.session.get(SESSION_PENDING)
    if not isinstance(pending, dict) or not isinstance(pending.get("id"), int):
        return None
    if not isinstance(pending.get("at"), int) or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(SESSION_PENDING, None)
        return None
    async with request.app.state.sessions() as session:
        found: accounts.StaffMember | None = await session.get(accounts.StaffMember, pending["id"])
    if found is None or not found.active:
        return None
    return found


def _code_context(
    request: Request, member: accounts.StaffMember, setting_up: bool
) -> dict[str, Any]:
    context: dict[str, Any] = {"setting_up": setting_up}
    if setting_up:
        uri = credentials.totp_uri(member.totp_secret, member.email)
        secret = member.totp_secret
        context.update(
            qr_svg=credentials.totp_qr_svg(uri),
            secret_groups=[secret[i : i + 4] for i in range(0, len(secret), 4)],
        )
    return context


async def _code_page(request: Request, setting_up: bool) -> Response:
    found = await _pending_member(request)
    if found is None or found.totp_confirmed == setting_up:
        return redirect("/staff/sign-in")
    return render(request, "staff/code.html", _code_context(request, found, setting_up))


async def code(request: Request) -> Response:
    return await _code_page(request, setting_up=False)


async def set_up(request: Request) -> Response:
    return await _code_page(request, setting_up=True)


async def _code_submit(request: Request, form: FormData, setting_up: bool) -> Response:
    found = await _pending_member(request)
    if found is None or found.totp_confirmed == setting_up:
        return redirect("/staff/sign-in")
    if await _too_many(request, found.email):
        return await _refuse_rate_limited(request, found.email)
    if await _waiting(request, found.email):
        request.session.pop(SESSION_PENDING, None)
        await _fail(request, None, found.email, "tried while waiting")
        return _sign_in_page(
            request, email=found.email, errors=[{"text": LOCKED, "href": "#email"}]
        )
    if found.locked():
        request.session.pop(SESSION_PENDING, None)
        await _refuse(request, found, "account locked")
        return _sign_in_page(
            request, email=found.email, errors=[{"text": LOCKED, "href": "#email"}]
        )
    typed = str(form.get("code") or "")[:20]
    step = credentials.verify_totp(found.totp_secret, typed, last_step=found.last_totp_step)
    if step is not None:
        async with unit_of_work(request.app.state.sessions) as session:
            if not await accounts.use_totp_step(session, found, step):
                step = None
    if step is None:
        why = "wrong or reused code" if typed.strip() else "no code"
        locked = await _fail(request, found, found.email, why)
        if locked:
            request.session.pop(SESSION_PENDING, None)
            return _sign_in_page(
                request, email=found.email, errors=[{"text": LOCKED, "href": "#email"}]
            )
        context = _code_context(request, found, setting_up)
        context.update(error=WRONG_CODE, errors=[{"text": WRONG_CODE, "href": "#code"}])
        return render(request, "staff/code.html", context)
    if found.must_change_password:
        # An administrator reset the password: the one-time password and the code were right,
        # and the member now chooses their own before any session starts.
        pending = dict(request.session.get(SESSION_PENDING) or {})
        pending.update(at=int(time.time()), code_ok=True, set_up=setting_up)
        request.session[SESSION_PENDING] = pending
        return redirect("/staff/sign-in/new-password")
    return await _start_session(request, found, setting_up)


async def _choosing_member(request: Request) -> accounts.StaffMember | None:
    """The member between a right one-time password and code and their own new password."""
    found = await _pending_member(request)
    pending = request.session.get(SESSION_PENDING) or {}
    if found is None or pending.get("code_ok") is not True or not found.must_change_password:
        return None
    return found


async def new_password(request: Request) -> Response:
    if await _choosing_member(request) is None:
        return redirect("/staff/sign-in")
    return render(request, "staff/new_password.html", {})


@form_handler
async def new_password_submit(request: Request, form: FormData) -> Response:
    found = await _choosing_member(request)
    if found is None:
        return redirect("/staff/sign-in")
    password = str(form.get("password") or "")
    problem = credentials.password_problem(password, email=found.email)
    if problem is None and await anyio.to_thread.run_sync(
        credentials.verify_password, found.password_hash, password
    ):
        problem = "Choose a password that is different from the one-time password"
    if problem is not None:
        return render(
            request,
            "staff/new_password.html",
            {
                "error": problem,
                "errors": [{"text": problem, "href": "#password"}],
            },
        )
    password_hash = await anyio.to_thread.run_sync(credentials.hash_password, password)
    async with request.app.state.sessions() as session:
        await accounts.choose_password(session, found.id, password_hash)
        await audit.record(
            session,
            "changed own password",
            ip=client_ip(request),
            member=found,
            before={"must_change_password": True},
            after={"must_change_password": False},
        )
        await session.commit()
    set_up_now = bool((request.session.get(SESSION_PENDING) or {}).get("set_up"))
    return await _start_session(request, found, set_up_now)


async def _start_session(
    request: Request, member: accounts.StaffMember, set_up_now: bool
) -> Response:
    pending = request.session.get(SESSION_PENDING) or {}
    target = safe_next(pending.get("next"))
    # Rotate: nothing from before sign-in (including the CSRF secret) survives it.
    pair = _pair_key(request, member.email)
    request.session.clear()
    token = secrets.token_urlsafe(32)
    async with unit_of_work(request.app.state.sessions) as session:
        await attempts.forget_failures(session, pair)  # the owner got in: this client starts afresh
        await accounts.open_session(session, member, token, client_ip(request))
        if set_up_now:
            await audit.record(
                session, "second factor set up", ip=client_ip(request), member=member
            )
        await audit.record(session, "signed in", ip=client_ip(request), member=member)
    request.session[SESSION_TOKEN] = token
    return redirect(target)


@form_handler
async def code_submit(request: Request, form: FormData) -> Response:
    return await _code_submit(request, form, setting_up=False)


@form_handler
async def set_up_submit(request: Request, form: FormData) -> Response:
    return await _code_submit(request, form, setting_up=True)


@form_handler
async def sign_out(request: Request, form: FormData) -> Response:
    token = request.session.get(SESSION_TOKEN)
    if isinstance(token, str):
        member = await signed_in_member(request)
        async with unit_of_work(request.app.state.sessions) as session:
            await accounts.close_session(session, token)
            if member is not None:
                await audit.record(session, "signed out", ip=client_ip(request), member=member)
    request.session.clear()
    return redirect("/staff/signed-out")


async def signed_out(request: Request) -> Response:
    return render(request, "staff/signed_out.html", {})


routes = [
    *form_page("/staff/sign-in", sign_in, sign_in_submit, "staff_sign_in"),
    *form_page("/staff/sign-in/code", code, code_submit, "staff_code"),
    *form_page("/staff/sign-in/set-up", set_up, set_up_submit, "staff_set_up"),
    *form_page(
        "/staff/sign-in/new-password", new_password, new_password_submit, "staff_new_password"
    ),
    Route("/staff/sign-out", sign_out, methods=["POST"], name="staff_sign_out"),
    Route("/staff/signed-out", signed_out, methods=["GET"], name="staff_signed_out"),
]
