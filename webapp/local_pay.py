"""In development, `serve` starts the GOV.UK Pay simulator when PAY_API_URL points at it.

The simulator (simulators/govuk_pay) is its own process, as GOV.UK Pay is its own service; this
only saves a developer starting it by hand. Production never gets here: its settings refuse a
local PAY_API_URL.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

from webapp.settings import Settings, is_local_url

log = logging.getLogger("webapp.local_pay")
START_SECONDS = 15.0


def _listening(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


@contextlib.contextmanager
def local_pay_simulator(settings: Settings) -> Iterator[subprocess.Popen[bytes] | None]:
    """Run the simulator for as long as the block runs, if it is wanted and not already up."""
    parts = urlsplit(settings.pay_api_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    if settings.production or not is_local_url(settings.pay_api_url) or _listening(host, port):
        yield None
        return
    # The simulator accepts exactly the key the app will send.
    env = {**os.environ, "SIMULATOR_PAY_KEY": settings.pay_api_key}
    command = [sys.executable, "-m", "simulators.govuk_pay", "--host", host, "--port", str(port)]
    process = subprocess.Popen(command, env=env)
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _listening(host, port):
            if process.poll() is not None or time.monotonic() > deadline:
                log.warning("the GOV.UK Pay simulator did not start: payments will be unavailable")
                break
            time.sleep(0.1)
        else:
            log.info("GOV.UK Pay simulator on %s://%s:%d", parts.scheme, host, port)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
