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


def _tagged(operands) -> bool:
    """A tagged PDF's marked content: /Tag << /MCID n >> BDC."""
    return (len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary)
            and "/MCID" in operands[1])


def _leading_closers(held: list) -> list:
    """The held operators up to the last one that closes something opened before them."""
    depth, cut = 0, 0
    for i, (_, op) in enumerate(held):
        if str(op) in ("BT", "BDC"):
            depth += 1
        elif str(op) in ("ET", "EMC"):
            if depth:
                depth -= 1
            else:
                cut = i + 1
    return held[:cut]


def _unclosed(ops: list) -> list[int] | None:
    """Where the BT and BDC are that ``ops`` opens and does not close; None when an ET or EMC
    closes something opened before them, or the wrong thing."""
    stack: list[int] = []
    for i, (_, op) in enumerate(ops):
        name = str(op)
        if name in ("BT", "BDC"):
            stack.append(i)
        elif name in ("ET", "EMC"):
            if not stack or str(ops[stack[-1]][1]) != {"ET": "BT", "EMC": "BDC"}[name]:
                return None
            stack.pop()
    return stack


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
            held: list = []  # Tm / Tf / BT / ET / BDC / EMC waiting for the text they place
            state = {"font": None, "y": None, "run_font": None, "run_y": None}

            def flush():
                """Close the line: its ActualText span around its pieces, once the text
                objects and tagged spans it opened are closed again (a tagged PDF puts each
                piece in its own /Span <</MCID n>> BDC BT … ET EMC). What it opened and the
                text after closes (one BT for several lines) stays outside the span."""
                nonlocal marked, held
                if not run:
                    return
                ops = [o for _, piece in run for o in piece]
                while held and _unclosed(ops) and _unclosed(ops + held[:1]) is not None \
                        and len(_unclosed(ops + held[:1])) < len(_unclosed(ops)):
                    ops.append(held.pop(0))
                open_ = _unclosed(ops)
                first_text = next(i for i, (_, o) in enumerate(ops) if str(o) in ("TJ", "Tj"))
                if open_ is None or (open_ and max(open_) > first_text):
                    out.extend(ops)  # cannot be wrapped here: leave the line as it is
                else:
                    cut = max(open_) + 1 if open_ else 0
                    marked += 1
                    out.extend(ops[:cut])
                    out.append(([pikepdf.Name("/Span"), pikepdf.Dictionary(
                        ActualText=pikepdf.String("".join(t for t, _ in run)))],
                        pikepdf.Operator("BDC")))
                    out.extend(ops[cut:])
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
                if name in ("BT", "ET", "EMC") or (name == "BDC" and _tagged(operands)):
                    held.append((operands, op))
                    continue
                if name in ("TJ", "Tj") and state["font"] in tables:
                    if run and (state["y"] != state["run_y"]
                                or state["font"] != state["run_font"]
                                or _unclosed([o for _, p in run for o in p] + held)
                                is None):
                        flush()
                    if not run:
                        closers = _leading_closers(held)
                        out.extend(closers)
                        held = held[len(closers):]
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
