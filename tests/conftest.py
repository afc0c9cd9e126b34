"""Shared fixtures: one real offline crawl per test session, and a real Datasette server."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import ROOT, glaneur


@pytest.fixture(scope="session")
def offline_db(tmp_path_factory) -> Path:
    """The whole offline mirror crawled and built once; tests must not modify it."""
    db = tmp_path_factory.mktemp("offline") / "glaneur.db"
    glaneur("crawl", "--offline", "--db", str(db))
    return db


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


@pytest.fixture(scope="session")
def portal(offline_db) -> Iterator[str]:
    """A real `glaneur serve` (Datasette) on 127.0.0.1, serving the offline database."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "glaneur", "serve", "--db", str(offline_db), "--port", str(port)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/-/versions.json")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
