"""QR codes, as vector SVG (segno: pure Python, deterministic). The only module that imports
segno. The code is drawn as one SVG path, so it stays sharp at any print size."""

from __future__ import annotations


def svg_data_uri(url: str) -> str:
    """A ``data:image/svg+xml`` URI of the QR code for ``url`` (error correction M, a quiet
    zone of 4 modules as ISO/IEC 18004 asks), sized by its container (viewBox only)."""
    import segno

    code = segno.make(url, error="m", micro=False)
    return code.svg_data_uri(scale=1, border=4, omitsize=True, dark="#000000", light="#ffffff")
