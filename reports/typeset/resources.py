"""What the renderer may read: the bundled folders (fonts/, templates/, color/), the data
folder's assets/ and a user's template folder — nothing else (render.RestrictedFetcher
enforces it) — and the CMYK profile of the print variant's output intent."""

from __future__ import annotations

from pathlib import Path

from .. import ROOT


def roots(data_dir: Path, template_dir: Path | None) -> list[Path]:
    """Folders the renderer may read from."""
    found = [ROOT / "fonts", ROOT / "templates", ROOT / "color", Path(data_dir) / "assets"]
    return found + ([Path(template_dir)] if template_dir else [])


def print_profile(cfg) -> Path:
    """The CMYK profile of the print variant's output intent: the print shop's, named in
    config.toml ([print] icc_profile, a file in the data folder's assets/), else the
    generic one (color/README.md)."""
    if cfg.print_profile:
        return (cfg.path.parent / cfg.print_profile).resolve()
    return ROOT / "color" / "generic-cmyk.icc"
