"""The words of a justified line as one piece of text for readers that copy or extract it.

A justified Chinese line (typeset/justify.py) spreads its characters apart. The PDF holds no
space characters, but PDF viewers guess word breaks from gaps: poppler (pdftotext, Evince) and
PDFium (Chrome's viewer, WPS) would copy "从 投 资 方 来 源 地 看". Each line of body text is
therefore wrapped in a marked-content sequence whose /ActualText is the line's own characters
(ISO 32000-1 §14.9.4), which both honour: what is copied is exactly what was written.

A line is a run of consecutive text pieces of one font at one baseline within a text object —
only in the fonts given (the body face), never in the tables' sans, whose cells share a baseline
but are not one text. The characters come from the font's own ToUnicode map.
"""

from __future__ import annotations

import io
import re

import pikepdf

_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_BFRANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def to_unicode(font) -> dict[int, str] | None:
    """A font's ToUnicode map (bfchar and bfrange entries): code → characters."""
    if "/ToUnicode" not in font:
        return None
    data = font.ToUnicode.read_bytes()
    table: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in _BFCHAR.findall(block):
            table[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in _BFRANGE.findall(block):
            start = int(dst, 16)
            for i in range(int(hi, 16) - int(lo, 16) + 1):
                if start + i < 0x110000:
                    table[int(lo, 16) + i] = chr(start + i)
    return table


def _text(operands, table: dict[int, str]) -> str:
    out = []
    items = operands[0] if isinstance(operands[0], pikepdf.Array) else [operands[0]]
    for item in items:
        if isinstance(item, pikepdf.String):
            raw = bytes(item)
            for i in range(0, len(raw) - 1, 2):  # Identity-H: two bytes a glyph
                out.append(table.get(int.from_bytes(raw[i:i + 2], "big"), ""))
    return "".join(out)


def mark_lines(pdf: bytes, font_names: set[str]) -> bytes:
    """The PDF with each line set in one of ``font_names`` (PostScript names without their
    subset prefix) wrapped in /Span << /ActualText (its characters) >> BDC … EMC."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        changed = False
        decoded: dict = {}  # font object → its ToUnicode table (pages share their fonts)
        for page in doc.pages:
            fonts = page.obj.get("/Resources", {}).get("/Font", {})
            tables = {}
            for key, font in dict(fonts).items():
                name = str(font.get("/BaseFont", "")).lstrip("/").split("+", 1)[-1]
                if name in font_names or any(name.startswith(n + "-") for n in font_names):
                    if font.objgen not in decoded:
                        decoded[font.objgen] = to_unicode(font)
                    if decoded[font.objgen]:
                        tables[str(key)] = decoded[font.objgen]
            if not tables:
                continue
            marked = 0
            out: list = []
            run: list = []  # (text, ops) of the line being gathered
            held: list = []  # Tm / Tf waiting for the text they place
            state = {"font": None, "y": None, "run_font": None, "run_y": None}

            def flush():
                nonlocal marked
                if run:
                    marked += 1
                    text = "".join(t for t, _ in run)
                    out.append(([pikepdf.Name("/Span"),
                                 pikepdf.Dictionary(ActualText=pikepdf.String(text))],
                                pikepdf.Operator("BDC")))
                    for _, ops in run:
                        out.extend(ops)
                    out.append(([], pikepdf.Operator("EMC")))
                    run.clear()

            for operands, op in pikepdf.parse_content_stream(page):
                name = str(op)
                if name == "Tm":
                    state["y"] = float(operands[5])
                    held.append((operands, op))
                    continue
                if name == "Tf":
                    state["font"] = str(operands[0])
                    if run and state["font"] != state["run_font"]:
                        flush()
                    held.append((operands, op))
                    continue
                if name in ("TJ", "Tj") and state["font"] in tables:
                    if run and (state["y"] != state["run_y"]
                                or state["font"] != state["run_font"]):
                        flush()
                    state["run_font"], state["run_y"] = state["font"], state["y"]
                    run.append((_text(operands, tables[state["font"]]),
                                held + [(operands, op)]))
                    held = []
                    continue
                if run:
                    flush()
                if held:
                    out.extend(held)
                    held = []
                out.append((operands, op))
            flush()
            out.extend(held)
            if marked:
                page.Contents = doc.make_stream(pikepdf.unparse_content_stream(out))
                changed = True
        if not changed:
            return pdf
        buffer = io.BytesIO()
        doc.save(buffer, deterministic_id=True)
        return buffer.getvalue()
