"""python -m simulators.govuk_pay [--host 127.0.0.1] [--port 8765]"""

from __future__ import annotations

import argparse

import uvicorn

from simulators.govuk_pay.app import create_app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m simulators.govuk_pay")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    # One worker: the payments live in this process's memory.
    uvicorn.run(create_app(), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
