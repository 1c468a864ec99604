"""python -m webapp serve | migrate | seed-demo | create-staff | purge | worker | send-email |
reconcile-payments"""

from __future__ import annotations

import argparse
import logging
import sys

from webapp.settings import ConfigurationError, Settings


def _serve(settings: Settings, args: argparse.Namespace) -> None:
    import uvicorn

    from webapp.app import create_app
    from webapp.local_pay import local_pay_simulator

    with local_pay_simulator(settings):
        uvicorn.run(
            create_app(settings),
            host=args.host,
            port=args.port,
            workers=None,
            access_log=False,  # our own request log carries no personal data
            server_header=False,  # says nothing useful, and costs bytes on every response
            proxy_headers=settings.production,
            log_level="info",
        )


def _migrate(settings: Settings, _args: argparse.Namespace) -> None:
    from webapp.store.migrate import upgrade

    upgrade(settings.database_url)


def _seed_demo(settings: Settings, _args: argparse.Namespace) -> None:
    if settings.production:
        raise ConfigurationError("seed-demo refuses to load demo data in production")
    from webapp.store.seed import seed_demo

    seed_demo(settings.database_url)


def _purge(settings: Settings, _args: argparse.Namespace) -> None:
    """Delete drafts untouched for the retention period (run daily from a scheduler)."""
    import asyncio
    from datetime import timedelta

    from webapp.store.db import create_app_engine, session_factory, unit_of_work
    from webapp.store.models import utcnow
    from webapp.store.resume import purge

    async def run() -> dict[str, int]:
        engine = create_app_engine(settings.database_url)
        try:
            async with unit_of_work(session_factory(engine)) as session:
                return await purge(
                    session, now=utcnow(), retention=timedelta(days=settings.draft_retention_days)
                )
        finally:
            await engine.dispose()

    counts = asyncio.run(run())
    logging.getLogger("webapp.purge").info(
        "purged: %s", ", ".join(f"{k} {v}" for k, v in counts.items())
    )


def _worker(settings: Settings, args: argparse.Namespace) -> None:
    """Deliver the email outbox: forever (`worker`) or once (`send-email`, for cron)."""
    import asyncio

    from webapp.notify import run_worker

    asyncio.run(run_worker(settings, once=args.once, interval=args.interval))


def _reconcile_payments(settings: Settings, args: argparse.Namespace) -> None:
    """Settle the payments whose person never came back from GOV.UK Pay (run every few minutes)."""
    import asyncio

    from webapp.payments import PayClient
    from webapp.reconcile import reconcile, summary
    from webapp.store.db import create_app_engine, session_factory

    async def run() -> str:
        engine = create_app_engine(settings.database_url)
        pay = PayClient(settings.pay_api_url, settings.pay_api_key)
        try:
            counts = await reconcile(session_factory(engine), pay, quiet_minutes=args.quiet_minutes)
        finally:
            await pay.aclose()
            await engine.dispose()
        return summary(counts)

    print(asyncio.run(run()))


def _create_staff(settings: Settings, args: argparse.Namespace) -> None:
    from webapp.staff_setup import StaffSetupError, create_staff

    try:
        created = create_staff(
            settings.database_url,
            force_id=args.force,
            email=args.email,
            password=args.password,
            role=args.role,
            name=args.name or "",
        )
    except StaffSetupError as exc:
        raise ConfigurationError(str(exc)) from None
    print(f"created {args.role} {created.email} (id {created.id})")
    print(f"TOTP secret: {created.totp_secret}")
    print(f"TOTP URI: {created.totp_uri}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m webapp")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the app over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=_serve)
    commands.add_parser("migrate", help="bring the database schema up to date").set_defaults(
        run=_migrate
    )
    commands.add_parser("seed-demo", help="load forces and demo data").set_defaults(run=_seed_demo)
    staff = commands.add_parser(
        "create-staff", help="create a staff account (prints its TOTP secret)"
    )
    staff.add_argument("--force", required=True, help="force id, e.g. west-yorkshire")
    staff.add_argument("--email", required=True)
    staff.add_argument("--password", required=True, help="12 characters or more, not a common one")
    staff.add_argument(
        "--role",
        required=True,
        choices=["admin", "caseworker", "national_admin"],
        help="national_admin counts only for the lead force (LEAD_FORCE)",
    )
    staff.add_argument("--name", default="")
    staff.set_defaults(run=_create_staff)
    commands.add_parser(
        "purge", help="delete drafts untouched for the retention period"
    ).set_defaults(run=_purge)
    worker = commands.add_parser("worker", help="deliver queued email, retrying until it is sent")
    worker.add_argument("--interval", type=float, default=5.0, help="seconds between polls")
    worker.set_defaults(run=_worker, once=False)
    send = commands.add_parser("send-email", help="deliver the email that is due now, once")
    send.set_defaults(run=_worker, once=True, interval=0.0)
    reconcile = commands.add_parser(
        "reconcile-payments", help="settle payments whose person never came back from GOV.UK Pay"
    )
    reconcile.add_argument(
        "--quiet-minutes",
        type=float,
        default=5.0,
        help="leave payments changed more recently than this (their person may still return)",
    )
    reconcile.set_defaults(run=_reconcile_payments)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        settings = Settings.from_env()
        args.run(settings, args)
    except ConfigurationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
