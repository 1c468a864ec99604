"""PDF render time for a full application: cold (a fresh process: imports, fonts, first
layout) and warm (the same process again), directly and through the worker pool.

    python -m bench.pdf
"""

from __future__ import annotations

import asyncio
import io
import re
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime

import httpx

from tests.support.firearms import COMPLETE

RUNS = 5


def png_bytes(width: int = 700, height: int = 900) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 180, 160)).save(out, format="PNG")
    return out.getvalue()


def render_once() -> int:
    """One full application PDF (all parts, photo); its size in bytes."""
    from webapp.pdf import ApplicationData, ForceData, render_application_pdf
    from webapp.services.firearm_certificate import SERVICE

    application = ApplicationData("BENC-HMRK", COMPLETE, datetime.now(UTC), 20200, "Bench")
    force = ForceData("West Yorkshire Police", None, "Firearms Licensing\nWakefield\nWF1 3QP")
    return len(render_application_pdf(SERVICE, application, force, png_bytes(700, 900)))


def _cold() -> float:
    code = (
        "import time; t = time.perf_counter(); from bench.pdf import render_once; render_once(); "
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


async def _through_workers() -> list[float]:
    from webapp.pdf import (
        ApplicationData,
        ForceData,
        render_application_pdf,
        render_in_worker,
        shutdown_workers,
        warm_up,
    )
    from webapp.services.firearm_certificate import SERVICE

    await warm_up()
    application = ApplicationData("BENC-HMRK", COMPLETE, datetime.now(UTC), 20200, "Bench")
    force = ForceData("West Yorkshire Police")
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        await render_in_worker(render_application_pdf, SERVICE, application, force, png_bytes())
        times.append(time.perf_counter() - start)
    shutdown_workers()
    return times


def bench_pdf() -> dict[str, float]:
    """Seconds: cold render in a new process, then median warm renders in-process and via the pool."""
    cold = _cold()
    render_once()
    warm = []
    for _ in range(RUNS):
        start = time.perf_counter()
        size = render_once()
        warm.append(time.perf_counter() - start)
    pooled = asyncio.run(_through_workers())
    return {
        "cold_s": cold,
        "warm_median_s": statistics.median(warm),
        "warm_max_s": max(warm),
        "worker_warm_median_s": statistics.median(pooled),
        "bytes": float(size),
    }


def pdf_pressure(base_url: str, stop: threading.Event, clients: int = 2) -> list[float]:
    """Keep the server rendering draft PDFs (never cached) until ``stop`` is set, from
    ``clients`` sessions each holding a draft; returns each download's seconds. Run it in a
    thread while measuring question-page GETs, to compare their p99 with an idle server."""
    service = f"{base_url}/apply/firearm-certificate"
    times: list[float] = []

    def one_client() -> None:
        with httpx.Client(timeout=60) as client:
            page = client.get(service).text
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            client.post(f"{service}/start", data={"csrf_token": token})
            page = client.get(f"{service}/force").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            client.post(f"{service}/force", data={"csrf_token": token, "postcode": "LS1 1UR"})
            while not stop.is_set():
                start = time.perf_counter()
                response = client.get(f"{service}/draft.pdf")
                response.raise_for_status()
                times.append(time.perf_counter() - start)

    threads = [threading.Thread(target=one_client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


if __name__ == "__main__":
    for name, value in bench_pdf().items():
        print(f"pdf {name:22} {value:10.3f}")
