"""python -m webapp serve | migrate | seed-demo"""

from __future__ import annotations

import argparse
import logging
import sys

from webapp.settings import ConfigurationError, Settings


def _serve(settings: Settings, args: argparse.Namespace) -> None:
    import uvicorn

    from webapp.app import create_app

    uvicorn.run(
        create_app(settings),
        host=args.host,
        port=args.port,
        workers=None,
        access_log=False,  # our own request log carries no personal data
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m webapp")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the app over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=_serve)
    commands.add_parser("migrate", help="bring the database schema up to date").set_defaults(run=_migrate)
    commands.add_parser("seed-demo", help="load forces and demo data").set_defaults(run=_seed_demo)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        settings = Settings.from_env()
        args.run(settings, args)
    except ConfigurationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
