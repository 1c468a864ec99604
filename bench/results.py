"""bench/RESULTS.md: the latest run in full, and one history row per run (kept across runs)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

PATH = Path(__file__).resolve().parent / "RESULTS.md"
HISTORY_HEADING = "## History"
HISTORY_COLUMNS = [
    "date",
    "commit",
    "CPUs",
    "load",
    "wrk",
    "render Q ms",
    "render check ms",
    "Q GET ratio c1",
    "Q GET ratio c50",
    "Q POST ratio c50",
    "check ratio c50",
    "home ratio c50",
    "Q GET p99 c50 ms",
    "ceiling req/s c50",
    "PG Q GET ratio c50",
    "first visit KB",
    "Q page HTML KB",
    "slow 3G first load ms",
    "repeat load ms",
    "PDF cold s",
    "PDF warm s",
    "p99 with PDFs x c50",
    # Added later (older rows stop before these):
    "first visit KB with headers",
    "Q POST htmx ratio c50",
    "p99 with PDFs x c1",
    "p99 beside busy loops x c1",
]

BUDGETS = """## Budgets (issue 8)
- First visit (start page + first question page), everything: at most 40 KB. Further pages: at most 6 KB HTML.
- Usable in under 3 s on the throttled first visit, under 1.5 s on a repeat visit.
- Question page GET at one third or more of the bare-Starlette ceiling; render under 2 ms.
- PDF rendering raises question-page p99 by no more than 50%.
"""


def commit() -> str:
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return sha + ("+changes" if dirty else "")


def _ratio(
    report: dict[str, Any], db: str, connections: int, label_start: str
) -> tuple[float, Any]:
    loads = report["throughput"].get(db, {}).get(connections, {})
    ceiling = next(iter(loads.values())).requests_per_second if loads else float("nan")
    load = next((load for label, load in loads.items() if label.startswith(label_start)), None)
    return (load.requests_per_second / ceiling if load else float("nan")), load


def _history_row(report: dict[str, Any]) -> str:
    weight = report.get("weight", {})
    first = (
        sum(t.body_bytes for label, t in weight.items() if not label.startswith("repeat")) / 1024
    )
    first_wire = (
        sum(t.wire_bytes for label, t in weight.items() if not label.startswith("repeat")) / 1024
    )
    sizes = report.get("html_sizes") or {}
    question = next((size for page, size in sizes.items() if page == "date_of_birth"), float("nan"))
    slow = report.get("throttled", {})
    inter = report.get("pdf_interference", {})
    idle, busy = inter.get("idle c50"), inter.get("PDFs rendering c50")
    sqlite50 = report["throughput"].get("SQLite", {}).get(50, {})
    ceiling = next(iter(sqlite50.values())).requests_per_second if sqlite50 else float("nan")
    cells = [
        report["date"],
        report["commit"],
        str(report["cpus"]),
        f"{report.get('load_before', float('nan')):.1f}",
        report["duration"],
        f"{_render(report, 'question'):.2f}",
        f"{_render(report, 'check'):.2f}",
        f"{_ratio(report, 'SQLite', 1, 'question page GET')[0]:.3f}",
        f"{_ratio(report, 'SQLite', 50, 'question page GET')[0]:.3f}",
        f"{_ratio(report, 'SQLite', 50, 'question page POST')[0]:.3f}",
        f"{_ratio(report, 'SQLite', 50, 'check answers')[0]:.3f}",
        f"{_ratio(report, 'SQLite', 50, 'home page')[0]:.3f}",
        f"{(_ratio(report, 'SQLite', 50, 'question page GET')[1] or _Nan()).p99_ms:.1f}",
        f"{ceiling:.0f}",
        f"{_ratio(report, 'PostgreSQL', 50, 'question page GET')[0]:.3f}",
        f"{first:.1f}",
        f"{question / 1024:.1f}",
        f"{slow.get('first visit load_ms', float('nan')):.0f}",
        f"{slow.get('repeat visit load_ms', float('nan')):.0f}",
        f"{report['pdf']['cold_s']:.2f}",
        f"{report['pdf']['warm_median_s']:.2f}",
        f"{busy.p99_ms / idle.p99_ms:.2f}" if idle and busy else "n/a",
        f"{first_wire:.1f}",
        f"{_ratio(report, 'SQLite', 50, 'question page POST by htmx')[0]:.3f}",
        _p99_ratio(inter, "PDFs rendering c1"),
        _p99_ratio(inter, "busy loops c1"),
    ]
    return "| " + " | ".join(cells) + " |"


def _p99_ratio(interference: dict[str, Any], label: str) -> str:
    """A question-page p99 under some background work, as a multiple of the idle p99 (1 client)."""
    idle, busy = interference.get("idle c1"), interference.get(label)
    return f"{busy.p99_ms / idle.p99_ms:.2f}" if idle and busy else "n/a"


def _render(report: dict[str, Any], label_start: str) -> float:
    fast = next(iter(report["render"].values()))
    return float(next(value for label, value in fast.items() if label.startswith(label_start)))


class _Nan:
    p99_ms = float("nan")


def _latest(report: dict[str, Any]) -> list[str]:
    lines = [
        f"## Latest run: {report['date']}, commit {report['commit']}, {report['cpus']} CPUs, wrk {report['duration']} per figure",
        "",
        f"Machine load average {report.get('load_before', float('nan')):.1f} at the start and {report.get('load_after', float('nan')):.1f}"
        f" at the end ({report.get('elapsed_s', 0):.0f} s): other processes on the machine share its CPUs with the server and wrk.",
        "",
    ]
    fast, baseline = report["render"].values()
    lines += [
        "### Server render time (in-process, median; the same HTML both ways)",
        "",
        "| page | fast macros ms | govuk-frontend-jinja as shipped ms (same run) |",
        "|---|---:|---:|",
    ]
    for label, value in fast.items():
        if isinstance(value, dict):
            old = baseline[label]
            lines.append(
                f"| every question page ({value['count']}): median | {value['median']:.3f} | {old['median']:.3f} |"
            )
            lines.append(
                f"| every question page: slowest ({value['slowest']}) | {value['max']:.3f} | {old['max']:.3f} |"
            )
        else:
            lines.append(f"| {label} | {value:.3f} | {baseline[label]:.3f} |")
    for db, by_connections in report["throughput"].items():
        lines += [
            "",
            f"### Throughput and latency on {db} (ratio to the bare-Starlette ceiling, same run)",
            "",
            "| clients | target | req/s | ratio | p50 ms | p99 ms | non-2xx/3xx |",
            "|---:|---|---:|---:|---:|---:|---:|",
        ]
        for connections, loads in by_connections.items():
            ceiling = next(iter(loads.values())).requests_per_second
            for label, load in loads.items():
                lines.append(
                    f"| {connections} | {label} | {load.requests_per_second:.0f} | {load.requests_per_second / ceiling:.3f}"
                    f" | {load.p50_ms:.2f} | {load.p99_ms:.2f} | {load.errors} |"
                )
    pdf = report["pdf"]
    lines += [
        "",
        "### PDF of a full application",
        "",
        f"- cold (new process) {pdf['cold_s']:.2f} s; warm median {pdf['warm_median_s']:.2f} s (max {pdf['warm_max_s']:.2f} s);"
        f" through the worker pool {pdf['worker_warm_median_s']:.2f} s; {pdf['bytes'] / 1024:.0f} KB",
    ]
    inter = report.get("pdf_interference", {})
    if "PDF workers" in inter:
        lines.append(
            f"- {inter['PDF workers']} PDF worker process(es); wrk {inter.get('wrk duration', '?')} per figure."
            ' "Busy loops": as many do-nothing processes at nice 19,'
            " the least any background CPU work can cost the server's latency on this machine"
        )
    for connections in (1, 50):
        idle, busy = inter.get(f"idle c{connections}"), inter.get(f"PDFs rendering c{connections}")
        loops = inter.get(f"busy loops c{connections}")
        if idle and busy:
            floor = (
                f" busy loops p99 {loops.p99_ms:.2f} ms (x{loops.p99_ms / idle.p99_ms:.2f});"
                if loops
                else ""
            )
            lines.append(
                f"- question GET at {connections} client(s): idle p50 {idle.p50_ms:.2f} / p99 {idle.p99_ms:.2f} ms;{floor}"
                f" PDFs rendering p50 {busy.p50_ms:.2f} / p99 {busy.p99_ms:.2f} ms (p99 x{busy.p99_ms / idle.p99_ms:.2f},"
                f" {inter.get(f'PDFs rendered during c{connections}')} PDFs)"
            )
    weight = report.get("weight")
    if weight:
        lines += [
            "",
            "### Page weight (Chromium, compressed as served)",
            "",
            "| visit | body KB | with headers KB | requests | biggest |",
            "|---|---:|---:|---:|---|",
        ]
        for label, t in weight.items():
            biggest = ", ".join(
                f"{url} {size / 1024:.1f}"
                for url, size in sorted(t.by_url.items(), key=lambda kv: -kv[1])[:4]
            )
            lines.append(
                f"| {label} | {t.body_bytes / 1024:.1f} | {t.wire_bytes / 1024:.1f} | {t.requests} | {biggest} |"
            )
        first = [t for label, t in weight.items() if not label.startswith("repeat")]
        lines.append(
            f"| **first visit total** | **{sum(t.body_bytes for t in first) / 1024:.1f}** | {sum(t.wire_bytes for t in first) / 1024:.1f}"
            f" | {sum(t.requests for t in first)} | |"
        )
    sizes = report.get("html_sizes")
    if sizes:
        ordered = sorted(sizes.items(), key=lambda kv: kv[1])
        lines += [
            "",
            f"Further question pages, HTML only (brotli, assets cached), {len(ordered)} pages: median"
            f" {ordered[len(ordered) // 2][1] / 1024:.1f} KB, smallest {ordered[0][1] / 1024:.1f} KB ({ordered[0][0]}),"
            f" largest {ordered[-1][1] / 1024:.1f} KB ({ordered[-1][0]}); over 6 KB: "
            + (", ".join(f"{p} {s / 1024:.1f}" for p, s in ordered if s > 6 * 1024) or "none"),
        ]
    slow = report.get("throttled")
    if slow:
        lines += [
            "",
            "### Slow 3G (400 kbit/s, 2,000 ms RTT) and 4x CPU slowdown",
            "",
            "| measure | ms |",
            "|---|---:|",
        ]
        lines += [f"| {label.removesuffix(' ms')} | {value:.0f} |" for label, value in slow.items()]
    return lines


def write(report: dict[str, Any], path: Path = PATH) -> Path:
    history: list[str] = []
    if path.exists():
        text = path.read_text("utf-8")
        if HISTORY_HEADING in text:
            history = [
                line
                for line in text.split(HISTORY_HEADING, 1)[1].splitlines()
                if line.startswith("| 20")
            ]
    history.append(_history_row(report))
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m bench`); figures are measured, never asserted.",
        "Ratios compare with a bare Starlette endpoint served by the same uvicorn process in the same run.",
        "",
        BUDGETS,
        *_latest(report),
        "",
        HISTORY_HEADING,
        "",
        "| " + " | ".join(HISTORY_COLUMNS) + " |",
        "|" + "---|" * len(HISTORY_COLUMNS),
        *history,
        "",
    ]
    path.write_text("\n".join(lines), "utf-8")
    return path
