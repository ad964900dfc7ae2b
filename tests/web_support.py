"""Helpers for the web tests: `lawtrace serve` started on a free loopback port, and Debian's Chromium."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling out, which floods a closed network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_server(*extra: str, timeout: float = 60.0) -> Iterator[str]:
    """`lawtrace serve` in a subprocess on a free loopback port; yields its base URL, stops it on exit.

    Its output goes to a file, not a pipe: a pipe nobody reads fills up and blocks the server.
    """
    port = free_port()
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as log:
        process = subprocess.Popen([sys.executable, "-m", "lawtrace", "serve", "--host", "127.0.0.1", "--port", str(port),
                                    "--log-level", "warning", *extra], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"lawtrace serve exited with {process.returncode}:\n{log.read()}")
                try:
                    if httpx.get(base + "/v1/regimes", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"lawtrace serve did not answer on {base} within {timeout:.0f} s")
                time.sleep(0.1)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def chromium_or_reason() -> tuple[str | None, str]:
    """The Chromium to drive, or why there is none; under CI=true a missing Chromium is a failure, not a skip."""
    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if path:
        return path, ""
    return None, f"Chromium is not installed ({CHROMIUM}); install it with `apt-get install -y chromium` (.ci/run does under CI=true)"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"
