"""Where the project's data lives; every path can be overridden from the CLI or environment."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("GLANEUR_DATA_DIR", PROJECT_ROOT / "data"))
DEFAULT_DB = DATA_DIR / "glaneur.db"
REGISTRY_FILE = Path(os.environ.get("GLANEUR_REGISTRY", DATA_DIR / "sources.yaml"))
MIRROR_DIR = Path(os.environ.get("GLANEUR_MIRROR", DATA_DIR / "mirror"))
TAXONOMY_FILE = DATA_DIR / "taxonomy.yaml"
DATASETTE_DIR = PROJECT_ROOT / "datasette"
