"""Debian's Chromium driven by Playwright, launched the same way by every browser test.

Never a downloaded browser: `make test` installs the Debian package when it is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling out of this closed network.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require_chromium() -> None:
    """Skip locally without Chromium; in CI (`make test` installs it) its absence is a failure."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail("Chromium de Debian absent alors que `make test` doit l'installer")
    pytest.skip("Chromium de Debian absent (apt-get install -y chromium)")


def launch(playwright):
    require_chromium()
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
