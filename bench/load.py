"""The load generator: wrk, with a Lua script when requests need a session cookie or a body.

Every request carries ``Accept-Encoding: br, gzip`` as a browser's would, so compression is
part of the measured cost. Sessions are used round-robin, so at 50 connections each draft
rarely sees two saves at once; a save that loses the optimistic version check gets the 409
"changed elsewhere" page, which wrk counts as a non-2xx/3xx response and we report.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass

DURATION = os.environ.get("BENCH_DURATION", "5s")
ACCEPT_ENCODING = "br, gzip"


@dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx/3xx responses plus socket errors


@dataclass(frozen=True)
class Target:
    path: str
    method: str = "GET"
    cookies: Sequence[str] = ()
    bodies: Sequence[str] = ()  # one per cookie, for POST
    headers: Sequence[tuple[str, str]] = ()  # sent with every request


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _lua_string(value: str) -> str:
    return "[==[" + value + "]==]"


def lua_script(target: Target) -> str:
    """A wrk script that sends ``target``'s requests, cycling through its sessions."""
    rows = []
    sessions = list(target.cookies) or [""]
    for index, cookie in enumerate(sessions):
        body = target.bodies[index] if target.bodies else ""
        rows.append(f"  {{{_lua_string(cookie)}, {_lua_string(body)}}},")
    content_type = (
        '["Content-Type"] = "application/x-www-form-urlencoded", '
        if target.method == "POST"
        else ""
    )
    extra_headers = "\n".join(
        f"  headers[ {_lua_string(name)} ] = {_lua_string(value)}" for name, value in target.headers
    )
    return f"""
local sessions = {{
{chr(10).join(rows)}
}}
local i = 0
request = function()
  i = (i % #sessions) + 1
  local s = sessions[i]
  local headers = {{ {content_type}["Accept-Encoding"] = "{ACCEPT_ENCODING}" }}
  if s[1] ~= "" then headers["Cookie"] = s[1] end
{extra_headers}
  local body = nil
  if s[2] ~= "" then body = s[2] end
  return wrk.format("{target.method}", {_lua_string(target.path)}, headers, body)
end
"""


def run_wrk(base_url: str, target: Target, connections: int, duration: str = DURATION) -> Load:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(target))
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{duration}",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                script.name,
                base_url + target.path,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    # Anchored: the "+/- Stdev" column also prints percentages such as "87.50%".
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    ):
        errors += sum(int(n) for n in match.groups())
    return Load(rps, p50, p99, total, errors)
