"""The systemd units of docs/production.md are valid (systemd-analyze verify, where available)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT

UNITS = sorted((ROOT / "docs" / "systemd").glob("*.service"))


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze absent de cette machine")
def test_units_verify(tmp_path):
    assert {u.name for u in UNITS} == {"glaneur-portail.service", "glaneur-planificateur.service"}
    glaneur = Path(sys.executable).with_name("glaneur")  # the installed command, in place of /srv/glaneur's
    for unit in UNITS:
        text = unit.read_text(encoding="utf-8").replace("/srv/glaneur/.venv/bin/glaneur", str(glaneur))
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", *map(str, tmp_path.glob("*.service"))],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_units_run_the_real_commands():
    texts = {u.name: u.read_text(encoding="utf-8") for u in UNITS}
    assert "glaneur serve --db /srv/glaneur/data/glaneur.db" in texts["glaneur-portail.service"]
    assert "glaneur schedule --db /srv/glaneur/data/glaneur.db" in texts["glaneur-planificateur.service"]
    result = subprocess.run([sys.executable, "-m", "glaneur", "schedule", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
