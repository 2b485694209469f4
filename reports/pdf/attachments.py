"""The files attached to a PDF (an archived briefing's data), read back for ``report verify``."""

from __future__ import annotations

from pathlib import Path

import pikepdf


def read_attachments(path: Path) -> dict[str, bytes]:
    """File name → bytes of every embedded file; ValueError when the PDF cannot be read."""
    try:
        with pikepdf.open(path) as pdf:
            return {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}
    except (pikepdf.PdfError, OSError) as exc:
        raise ValueError(f"无法读取 {path}：{exc}") from None
