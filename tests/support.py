"""Helpers shared by the tests (import as `tests.support`)."""

from __future__ import annotations

import os
import subprocess
import sys
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
