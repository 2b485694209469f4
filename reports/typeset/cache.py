"""Folders for caches that only save time: compiled Jinja templates (templating.py) and
WeasyPrint's compiled C declarations (fastffi.py). Losing one costs a few tenths of a second,
never a different PDF."""

from __future__ import annotations

import os
from pathlib import Path


def cache_folder(name: str) -> Path | None:
    """A writable folder for caches that only save time ($XDG_CACHE_HOME/<name>, else
    ~/.cache/<name>), or None when there is none: callers then work without it."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None
