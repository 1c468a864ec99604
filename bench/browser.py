"""What a person on a slow phone gets: bytes on the wire, and throttled load times, measured in
Debian's Chromium through the DevTools protocol (CDP)."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.sessions import SERVICE_PATH, BenchSession
from tests.support.browser import CHROMIUM_ARGS, chromium_path

# DevTools' "Slow 3G" preset: 400 kbit/s each way, 2,000 ms round trip; and 4x CPU slowdown.
SLOW_3G = {
    "offline": False,
    "latency": 2000,
    "downloadThroughput": 400 * 1000 / 8,
    "uploadThroughput": 400 * 1000 / 8,
}
CPU_SLOWDOWN = 4

LCP_OBSERVER = """
window.__lcp = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__lcp = entry.startTime;
}).observe({type: 'largest-contentful-paint', buffered: true});
"""


@dataclass
class Transfer:
    """Bytes received (as served: compressed), with and without response headers."""

    requests: int = 0
    wire_bytes: int = 0  # headers + body
    body_bytes: int = 0
    by_url: dict[str, int] = field(default_factory=dict)


class _Meter:
    """Counts what each response put on the wire (Playwright's request sizes, from CDP)."""

    def __init__(self, page: Any) -> None:
        self._finished: list[Any] = []
        page.on("requestfinished", lambda request: self._finished.append(request))

    def reset(self) -> Transfer:
        transfer = Transfer()
        for request in self._finished:
            sizes = request.sizes()
            body, headers = sizes["responseBodySize"], sizes["responseHeadersSize"]
            response = request.response()
            status = response.status if response is not None else 0
            if body <= 0 and not 300 <= status < 400:  # served from the browser's cache
                continue
            transfer.requests += 1
            transfer.body_bytes += max(body, 0)
            transfer.wire_bytes += max(body, 0) + max(headers, 0)
            url = request.url.split("?")[0].rstrip("/").split("/")[-1] or "/"
            transfer.by_url[url] = transfer.by_url.get(url, 0) + max(body, 0)
        self._finished.clear()
        return transfer


def _launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


def first_visit_weight(base_url: str) -> dict[str, Transfer]:
    """A first visit, JavaScript on: the start page, then 'Start now' to the first question
    (the force postcode page). Then the same two pages again with a warm cache."""
    from playwright.sync_api import sync_playwright

    results: dict[str, Transfer] = {}
    with sync_playwright() as playwright:
        browser = _launch(playwright)
        context = browser.new_context()
        page = context.new_page()
        meter = _Meter(page)
        page.goto(base_url + SERVICE_PATH, wait_until="networkidle")
        page.wait_for_timeout(1000)
        results["start page"] = meter.reset()
        page.get_by_role("button", name="Start now").click()
        page.wait_for_url(f"**{SERVICE_PATH}/force")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1000)  # let the last requestfinished events arrive
        results["first question page (after Start now)"] = meter.reset()
        page.goto(base_url + f"{SERVICE_PATH}/force", wait_until="networkidle")
        page.wait_for_timeout(1000)
        results["repeat visit (question page reloaded)"] = meter.reset()
        browser.close()
    return results


def page_html_bytes(
    base_url: str, session: BenchSession, steps: list[tuple[str, int | None]]
) -> dict[str, int]:
    """Each question page's HTML as served with brotli (body bytes), with a complete draft."""
    sizes = {}
    with httpx.Client(
        base_url=base_url, headers={"Cookie": session.cookie, "Accept-Encoding": "br, gzip"}
    ) as client:
        for page_id, index in steps:
            path = f"{SERVICE_PATH}/{page_id}" + (f"/{index}" if index is not None else "")
            with client.stream("GET", path) as response:
                if response.status_code != 200:
                    continue
                raw = b"".join(response.iter_raw())
            sizes[page_id] = len(raw)
    return sizes


def _timings(page: Any) -> dict[str, float]:
    page.wait_for_timeout(300)  # let the last LCP entry arrive
    return page.evaluate(
        """() => {
          const nav = performance.getEntriesByType('navigation')[0];
          return {load_ms: nav.loadEventEnd, lcp_ms: window.__lcp};
        }"""
    )


def _throttle(context: Any, page: Any) -> Any:
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    return cdp


def _cookie(base_url: str, session: BenchSession) -> dict[str, Any]:
    name, value = session.cookie.split("=", 1)
    return {"name": name, "value": value, "url": base_url}


def throttled(
    base_url: str, session_js: BenchSession, session_nojs: BenchSession, page_id: str
) -> dict[str, float]:
    """Slow 3G and 4x CPU: first and repeat visit to a question page (load event, LCP), then a
    POST of its answer until the next page is usable, with JavaScript and without."""
    from playwright.sync_api import sync_playwright

    url = base_url + f"{SERVICE_PATH}/{page_id}"
    figures: dict[str, float] = {}
    with sync_playwright() as playwright:
        browser = _launch(playwright)
        for label, session, javascript in (
            ("js", session_js, True),
            ("no-js", session_nojs, False),
        ):
            context = browser.new_context(java_script_enabled=javascript)
            context.add_cookies([_cookie(base_url, session)])
            context.add_init_script(LCP_OBSERVER)
            page = context.new_page()
            _throttle(context, page)
            page.goto(url, wait_until="load")
            if javascript:
                first = _timings(page)
                figures["first visit load_ms"], figures["first visit lcp_ms"] = (
                    first["load_ms"],
                    first["lcp_ms"],
                )
                page.goto(url, wait_until="load")
                repeat = _timings(page)
                figures["repeat visit load_ms"], figures["repeat visit lcp_ms"] = (
                    repeat["load_ms"],
                    repeat["lcp_ms"],
                )
                page.wait_for_function("() => window.htmx !== undefined", timeout=60_000)
            else:
                page.goto(url, wait_until="load")  # a repeat visit: assets cached
            start = time.perf_counter()
            page.get_by_role("button", name="Continue").click()
            if javascript:  # boosted: htmx swaps the next page in and pushes its URL
                page.wait_for_function(
                    f"() => location.pathname !== '{SERVICE_PATH}/{page_id}'", timeout=60_000
                )
            else:
                page.wait_for_url(
                    lambda current: not current.endswith(f"/{page_id}"),
                    wait_until="load",
                    timeout=60_000,
                )
            figures[f"POST answer + next page ({label}) ms"] = (time.perf_counter() - start) * 1000
            context.close()
        browser.close()
    return figures


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
