"""Helpers shared by the tests (import as `tests.support`)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_TODAY = "2026-11-20"


def glaneur(*args: str, env: dict | None = None, check: bool = True, timeout: int = 300):
    """Run the real CLI in a subprocess (Twisted's reactor runs once per process)."""
    full_env = {**os.environ, "GLANEUR_TODAY": DEMO_TODAY, **(env or {})}
    result = subprocess.run(
        [sys.executable, "-m", "glaneur", *args],
        cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"glaneur {' '.join(args)} a échoué :\n{result.stdout}\n{result.stderr}")
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"Serveur injoignable : {url}")


@contextmanager
def serve_portal(db_path: Path, env: dict | None = None, start_timeout: float = 30) -> Iterator[str]:
    """`glaneur serve` in a subprocess on a free 127.0.0.1 port; yields its base URL (a large
    database needs a longer `start_timeout`: the facet index is built before the first request)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "glaneur", "serve", "--db", str(db_path), "--port", str(port)],
        cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/-/versions.json", timeout=start_timeout)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
