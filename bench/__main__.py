"""`make bench`: print figures (never asserted). Ratios are against a bare Starlette endpoint
served by the same server process in the same run, so they compare across machines."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.server import BARE_PATH

ROOT = Path(__file__).resolve().parent.parent
DURATION = os.environ.get("BENCH_DURATION", "5s")


@dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url: str, connections: int) -> Load:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{DURATION}", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    return Load(rps, p50, p99)


class Server:
    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "bench.server:create_bench_app",
             "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning",
             "--no-access-log"],
            cwd=ROOT,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(self.url + "/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("bench server did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def first_visit_bytes(url: str) -> tuple[int, int]:
    """Bytes on the wire (compressed, headers excluded) and requests for a first visit."""
    from playwright.sync_api import sync_playwright

    from tests.support.browser import CHROMIUM_ARGS, chromium_path

    total = 0
    count = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        responses = []
        page.on("response", responses.append)
        page.goto(url, wait_until="networkidle")
        for response in responses:
            total += response.request.sizes()["responseBodySize"]
            count += 1
        browser.close()
    return total, count


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (make bench installs it)")
    server = Server()
    try:
        print(f"Blue Lamp benchmark — {os.cpu_count()} CPUs, {DURATION} per figure\n")
        targets = {"bare Starlette (ceiling)": BARE_PATH, "home page": "/"}
        for connections in (1, 50):
            print(f"{connections} concurrent client(s):")
            ceiling = None
            for label, path in targets.items():
                load = run_wrk(server.url + path, connections)
                ceiling = ceiling or load.requests_per_second
                print(
                    f"  {label:28} {load.requests_per_second:9.0f} req/s"
                    f"  ratio {load.requests_per_second / ceiling:5.2f}"
                    f"  p50 {load.p50_ms:7.2f} ms  p99 {load.p99_ms:7.2f} ms"
                )
        size, requests = first_visit_bytes(server.url + "/")
        print(f"\nfirst visit to the home page: {size / 1024:.1f} KB in {requests} requests")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
