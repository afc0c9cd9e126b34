"""What the portal needs besides resources: Datasette's command line and portal-only tables."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import sqlite_utils

from glaneur.paths import DATASETTE_DIR


def prepare_portal(db: sqlite_utils.Database, today: date | None = None) -> None:
    """Tables the portal reads that the build derives (run at the end of every build)."""
    db["portal_settings"].upsert_all(
        [{"key": "today", "value": (today or date.today()).isoformat()}], pk="key"
    )


def datasette_args(db_path: Path, port: int, host: str = "127.0.0.1") -> list[str]:
    """Datasette serves the file under the name `glaneur`, whatever the file is called."""
    served = Path(db_path).resolve()
    if served.name != "glaneur.db":
        link_dir = Path(tempfile.mkdtemp(prefix="glaneur-serve-"))
        (link_dir / "glaneur.db").symlink_to(served)
        served = link_dir / "glaneur.db"
    return [
        "serve", "-i", str(served),
        "--metadata", str(DATASETTE_DIR / "metadata.yml"),
        "--template-dir", str(DATASETTE_DIR / "templates"),
        "--plugins-dir", str(DATASETTE_DIR / "plugins"),
        "--static", f"static:{DATASETTE_DIR / 'static'}",
        "--host", host, "--port", str(port),
        "--setting", "sql_time_limit_ms", "2000",
        "--setting", "facet_time_limit_ms", "400",
        "--setting", "suggest_facets", "off",
        "--setting", "default_page_size", "30",
    ]
