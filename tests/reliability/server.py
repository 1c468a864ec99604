"""The app as a deployment runs it: `python -m webapp serve` in its own process, on loopback,
with a database of the test's choosing; a test can kill it (SIGKILL) and start it again."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.mail import free_port
from tests.support.pay import running_simulator

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 30.0
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no form token"
    return match.group(1)


class ServerProcess:
    """One `serve` process; the same port and database across restarts."""

    def __init__(self, database_url: str, log: Path) -> None:
        self.database_url = database_url
        self.port = free_port()
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        pay = running_simulator()  # already listening, so `serve` starts no simulator of its own
        env = {
            **os.environ,
            "ENV": "development",
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": "reliability-suite-secret-key-0123456789abcdef",
            "BASE_URL": self.url,
            "PAY_API_URL": pay.url,
            "PAY_API_KEY": pay.key,
            "PDF_WORKERS": "0",  # no worker processes to outlive a killed server
        }
        command = [sys.executable, "-m", "webapp", "serve", "--port", str(self.port)]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert self.process.poll() is None, f"serve exited: {self.log.read_text()[-2000:]}"
            assert time.monotonic() < deadline, "serve did not answer /healthz in time"
            time.sleep(0.1)

    def kill(self) -> None:
        """kill -9: no shutdown, no flushing, nothing the process can do about it."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
