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


def print_profile_uri(cfg) -> str:
    """The profile's file URL with a digest of its content: the stylesheet (and the profile
    parsed with it) is kept per process by its text, so a profile replaced on disk makes a
    new text and is read afresh, never served stale from a long-running process."""
    from ..data.load import sha256_file

    path = print_profile(cfg)
    try:
        digest = sha256_file(path)[:16]
    except OSError:  # reported where the profile is checked and read
        digest = "missing"
    return f"{path.as_uri()}?sha256={digest}"


def print_profile(cfg) -> Path:
    """The CMYK profile of the print variant's output intent: the print shop's, named in
    config.toml ([print] icc_profile, a file in the data folder's assets/), else the
    generic one (color/README.md)."""
    if cfg.print_profile:
        return (cfg.path.parent / cfg.print_profile).resolve()
    return ROOT / "color" / "generic-cmyk.icc"
