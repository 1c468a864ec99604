"""`make bench`: print figures (never asserted) and record them in bench/RESULTS.md.

Ratios are against a bare Starlette endpoint served by the same uvicorn process in the same run
(bench/server.py), so they compare across machines. BENCH_DURATION sets each wrk run (5s).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench import results
from bench.databases import postgres_database, sqlite_database
from bench.load import DURATION, Load, Target, run_wrk
from bench.render import QUESTION_PAGE, every_question_page
from bench.server import BARE_MIDDLEWARE_PATH, BARE_PATH
from bench.sessions import SERVICE_PATH, BenchSession, answer_body, new_session

ROOT = Path(__file__).resolve().parent.parent
SESSIONS = 50
VIRTUAL_USERS = int(os.environ.get("BENCH_VIRTUAL_USERS", "200"))
VIRTUAL_SECONDS = float(os.environ.get("BENCH_VIRTUAL_SECONDS", "60"))
CONNECTIONS = (1, 50)
# A p99 from one client over 5 s is the 20th-slowest of ~3,000 requests and moved by half
# between runs on a 2-CPU machine; the p99 comparisons run three times as long.
INTERFERENCE_DURATION = os.environ.get("BENCH_INTERFERENCE_DURATION", "15s")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """The bench app under uvicorn (uvloop and httptools when installed), one process."""

    def __init__(self, database_url: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "ENV": "development",
            "SECRET_KEY": "bench-secret-key-bench-secret-key-0123456789",
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "bench.server:create_bench_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                "--no-access-log",
                "--no-server-header",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(self.url + "/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError("bench server did not start")
            time.sleep(0.1)

    def settle(self, timeout: float = 15.0) -> None:
        """Wait until the server has worked through what the last load left queued: wrk stops
        sending at once, but requests already accepted are still being answered, and they
        would slow the start of the next figure."""
        deadline = time.monotonic() + timeout
        quick = 0
        while quick < 3 and time.monotonic() < deadline:
            started = time.perf_counter()
            httpx.get(self.url + BARE_PATH, timeout=timeout)
            quick = quick + 1 if time.perf_counter() - started < 0.005 else 0
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _targets(sessions: list[BenchSession]) -> dict[str, Target]:
    cookies = [session.cookie for session in sessions]
    question = f"{SERVICE_PATH}/{QUESTION_PAGE}"
    return {
        "bare Starlette (ceiling)": Target(BARE_PATH),
        "bare, behind the app's middleware": Target(BARE_MIDDLEWARE_PATH),
        "home page": Target("/"),
        f"question page GET ({QUESTION_PAGE})": Target(question, cookies=cookies),
        f"question page POST ({QUESTION_PAGE}, 303)": Target(
            question,
            "POST",
            cookies=cookies,
            bodies=[answer_body(session, QUESTION_PAGE) for session in sessions],
        ),
        # As htmx posts it: answered with the next page itself (webapp/web/htmx_redirects.py).
        f"question page POST by htmx ({QUESTION_PAGE}, next page in the response)": Target(
            question,
            "POST",
            cookies=cookies,
            bodies=[answer_body(session, QUESTION_PAGE) for session in sessions],
            headers=[("HX-Request", "true"), ("HX-Boosted", "true")],
        ),
        "check answers GET (full application)": Target(f"{SERVICE_PATH}/check", cookies=cookies),
    }


def throughput(server: Server, sessions: list[BenchSession]) -> dict[int, dict[str, Load]]:
    figures: dict[int, dict[str, Load]] = {}
    for connections in CONNECTIONS:
        print(f"  {connections} concurrent client(s):")
        figures[connections] = {}
        ceiling = None
        for label, target in _targets(sessions).items():
            server.settle()
            load = run_wrk(server.url, target, connections)
            ceiling = ceiling or load.requests_per_second
            figures[connections][label] = load
            errors = f"  ({load.errors} non-2xx/3xx)" if load.errors else ""
            print(
                f"    {label:44} {load.requests_per_second:8.0f} req/s  ratio {load.requests_per_second / ceiling:5.3f}"
                f"  p50 {load.p50_ms:7.2f} ms  p99 {load.p99_ms:7.2f} ms{errors}"
            )
    return figures


def _cpu_burners(count: int) -> list[subprocess.Popen[bytes]]:
    """Do-nothing loops at the lowest priority, one per PDF worker: what any background CPU
    work costs the server's latency on this machine, however little it asks of the scheduler."""
    return [
        subprocess.Popen([sys.executable, "-c", "while True: pass"], preexec_fn=lambda: os.nice(19))
        for _ in range(count)
    ]


def pdf_interference(server: Server, sessions: list[BenchSession]) -> dict[str, Load]:
    """Question-page GETs idle; beside lowest-priority busy loops (the machine's floor); then
    while two clients keep the server rendering draft PDFs."""
    from bench.pdf import pdf_pressure
    from webapp.pdf.worker import worker_count

    target = Target(
        f"{SERVICE_PATH}/{QUESTION_PAGE}", cookies=[session.cookie for session in sessions]
    )
    figures: dict[str, Any] = {"PDF workers": worker_count(), "wrk duration": INTERFERENCE_DURATION}
    for connections in CONNECTIONS:
        server.settle()
        figures[f"idle c{connections}"] = run_wrk(
            server.url, target, connections, INTERFERENCE_DURATION
        )
        burners = _cpu_burners(worker_count())
        try:
            figures[f"busy loops c{connections}"] = run_wrk(
                server.url, target, connections, INTERFERENCE_DURATION
            )
        finally:
            for burner in burners:
                burner.kill()
                burner.wait()
        server.settle()
        stop = threading.Event()
        pdf_times: list[float] = []
        thread = threading.Thread(
            target=lambda times=pdf_times, until=stop: times.extend(pdf_pressure(server.url, until))
        )
        thread.start()
        time.sleep(2)  # the pool is warm and PDFs are rendering
        try:
            figures[f"PDFs rendering c{connections}"] = run_wrk(
                server.url, target, connections, INTERFERENCE_DURATION
            )
        finally:
            stop.set()
            thread.join()
        figures[f"PDFs rendered during c{connections}"] = len(pdf_times)
    print(
        f"  {figures['PDF workers']} PDF worker(s); the busy loops are as many do-nothing processes at nice 19;"
        f" wrk {INTERFERENCE_DURATION} per figure"
    )
    for connections in CONNECTIONS:
        idle, busy = figures[f"idle c{connections}"], figures[f"PDFs rendering c{connections}"]
        loops = figures[f"busy loops c{connections}"]
        print(
            f"  question GET, {connections:2} client(s): idle p50 {idle.p50_ms:6.2f} p99 {idle.p99_ms:7.2f} ms;"
            f" busy loops p99 {loops.p99_ms:7.2f} ms (x{loops.p99_ms / max(idle.p99_ms, 0.001):.2f});"
            f" PDFs rendering p50 {busy.p50_ms:6.2f} p99 {busy.p99_ms:7.2f} ms"
            f" (p99 x{busy.p99_ms / max(idle.p99_ms, 0.001):.2f}; {figures[f'PDFs rendered during c{connections}']} PDFs)"
        )
    return figures


def database_run(name: str, database_url: str, report: dict[str, Any], browser: bool) -> None:
    print(f"\n== {name}: server throughput, 1 uvicorn process, wrk {DURATION} per figure ==")
    server = Server(database_url)
    try:
        sessions = [new_session(server.url, database_url) for _ in range(SESSIONS)]
        report["throughput"][name] = throughput(server, sessions)
        print(
            f"\n== {VIRTUAL_USERS} virtual users walking the journey for {VIRTUAL_SECONDS:.0f} s =="
        )
        from bench.virtual_users import walk

        server.settle()
        crowd = walk(server.url, VIRTUAL_USERS, VIRTUAL_SECONDS)
        report.setdefault("virtual_users", {})[name] = crowd
        print("  " + ", ".join(f"{label} {value}" for label, value in crowd.items()))
        if not browser:
            return
        print("\n== PDF rendering and question-page latency (same server) ==")
        report["pdf_interference"] = pdf_interference(server, sessions)
        print("\n== Page weight (Chromium, bytes as served, compressed) ==")
        from bench import browser as chromium

        weight = chromium.first_visit_weight(server.url)
        report["weight"] = weight
        for label, transfer in weight.items():
            print(
                f"  {label:44} {transfer.body_bytes / 1024:6.1f} KB body, {transfer.wire_bytes / 1024:6.1f} KB"
                f" with headers, {transfer.requests} requests"
            )
        first = [weight["start page"], weight["first question page (after Start now)"]]
        print(
            f"  {'first visit total':44} {sum(t.body_bytes for t in first) / 1024:6.1f} KB body, "
            f"{sum(t.wire_bytes for t in first) / 1024:6.1f} KB with headers, {sum(t.requests for t in first)} requests"
        )
        steps = [(step.page_id, step.index) for step in every_question_page()]
        sizes = chromium.page_html_bytes(server.url, sessions[0], steps)
        report["html_sizes"] = sizes
        ordered = sorted(sizes.values())
        over = {page: size for page, size in sizes.items() if size > 6 * 1024}
        print(
            f"  further question pages, HTML only (brotli): median {ordered[len(ordered) // 2] / 1024:.1f} KB,"
            f" max {ordered[-1] / 1024:.1f} KB ({max(sizes, key=sizes.__getitem__)}), {len(ordered)} pages,"
            f" {len(over)} over 6 KB"
        )
        print("\n== Slow 3G (400 kbit/s, 2,000 ms RTT) and 4x CPU slowdown, Chromium via CDP ==")
        slow = chromium.throttled(
            server.url,
            new_session(server.url, database_url),
            new_session(server.url, database_url),
            QUESTION_PAGE,
        )
        report["throttled"] = slow
        for label, value in slow.items():
            print(f"  {label:44} {value:8.0f}")
    finally:
        server.stop()


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (make bench installs it)")
    started = time.monotonic()
    report: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": results.commit(),
        "cpus": os.cpu_count(),
        "duration": DURATION,
        "throughput": {},
        "load_before": os.getloadavg()[0],
    }
    print(
        f"Blue Lamp benchmark — {report['cpus']} CPUs, commit {report['commit']}, wrk {DURATION} per figure,"
        f" load average {report['load_before']:.1f} at start (other work on the machine skews every figure)"
    )

    print("\n== Server render time, in-process (median of 300) ==")
    from bench.render import bench_render

    report["render"] = bench_render()
    fast, baseline = report["render"].values()
    print(f"  {'':44} {'fast macros':>12} {'as shipped':>12}  (same HTML; same run)")
    for label, value in fast.items():
        if isinstance(value, dict):
            old = baseline[label]
            print(f"  {label + ' (median)':44} {value['median']:9.3f} ms {old['median']:9.3f} ms")
            print(
                f"  {label + ' (slowest: ' + value['slowest'] + ')':44} {value['max']:9.3f} ms {old['max']:9.3f} ms"
            )
        else:
            print(f"  {label:44} {value:9.3f} ms {baseline[label]:9.3f} ms")

    print("\n== PDF of a full application ==")
    from bench.pdf import bench_pdf

    report["pdf"] = bench_pdf()
    for label, value in report["pdf"].items():
        print(f"  {label:44} {value:10.3f}")

    with sqlite_database() as url:
        database_run("SQLite", url, report, browser=True)
    with postgres_database() as url:
        if url is not None:
            database_run("PostgreSQL", url, report, browser=False)

    report["elapsed_s"] = time.monotonic() - started
    report["load_after"] = os.getloadavg()[0]
    path = results.write(report)
    print(
        f"\n{len(report['throughput'])} database(s) in {report['elapsed_s']:.0f} s; results in {path.relative_to(ROOT)}"
    )


if __name__ == "__main__":
    main()
