"""The words of a justified line as one piece of text for readers that copy or extract it.

A justified Chinese line (typeset/justify.py) spreads its characters apart. The PDF holds no
space characters, but PDF viewers guess word breaks from gaps: poppler (pdftotext, Evince) and
PDFium (Chrome's viewer, WPS) would copy "从 投 资 方 来 源 地 看". Each line of body text is
therefore wrapped in a marked-content sequence whose /ActualText is the line's own characters
(ISO 32000-1 §14.9.4), which both honour: what is copied is exactly what was written.

A line is a run of consecutive text pieces of one font at one baseline within a text object —
only in the fonts given (the body face), never in the tables' sans, whose cells share a baseline
but are not one text. The characters come from the font's own ToUnicode map.

In a tagged PDF each piece of a line (WeasyPrint's text box) is already a marked-content
sequence of its own, /Span <</MCID n>>, in its own text object. A span around them would be
read by poppler but makes PDFium drop the line altogether; so the pieces of a line become one
tagged span carrying the line's /ActualText (``_merge_tagged``).
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


def _parent_tree(doc) -> dict | None:
    """A tagged PDF's parent tree: StructParents key → the array of elements by MCID."""
    root = doc.Root.get("/StructTreeRoot")
    if root is None or "/ParentTree" not in root:
        return None
    nums = root.ParentTree.get("/Nums", [])
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums) - 1, 2)}


def _merge_tagged(ops: list, tagged: list[int], text: str, structure, page) -> list | None:
    """A tagged line as one marked-content sequence: WeasyPrint puts each piece of a line
    (a text box) in /Span <</MCID n>> … EMC of its own, and an /ActualText span around them
    makes PDFium drop the line. So the pieces become one /Span with the first piece's MCID
    and the line's /ActualText, and the others' /Span elements are taken out of the tree (the
    line is read where it starts: reading order stays). None when that does not hold."""
    if structure is None or "/StructParents" not in page.obj:
        return None
    mapping = structure.get(int(page.obj.StructParents))
    if mapping is None:
        return None
    mcids = [int(ops[i][0][1].MCID) for i in tagged]
    try:
        elems = [mapping[m] for m in mcids]
    except IndexError:
        return None
    if not all(e is not None and e.get("/S") == "/Span" and "/P" in e for e in elems):
        return None  # a link's text (its MCID in the /Link itself): left as it is
    drop: set[int] = set(tagged)  # the tagged BDCs and the EMCs that close them
    stack: list[int] = []
    for i, (_, op) in enumerate(ops):
        name = str(op)
        if name in ("BDC", "BMC"):
            stack.append(i)
        elif name == "EMC":
            if not stack:
                return None
            if stack.pop() in tagged:
                drop.add(i)
    if stack:
        return None
    kept = [item for i, item in enumerate(ops) if i not in drop]
    if _unclosed(kept) != []:
        return None
    for e in elems[1:]:  # the line is read where it starts: the others leave the tree
        parent = e.P
        parent.K = pikepdf.Array([k for k in parent.K
                                  if not (isinstance(k, pikepdf.Object) and k.is_indirect
                                          and k.objgen == e.objgen)])
    for m in mcids[1:]:
        mapping[m] = None  # a null: no element owns this MCID any more
    props = pikepdf.Dictionary(MCID=mcids[0], ActualText=pikepdf.String(text))
    return ([([pikepdf.Name("/Span"), props], pikepdf.Operator("BDC"))] + kept
            + [([], pikepdf.Operator("EMC"))])


def mark_lines(pdf: bytes, font_names: set[str]) -> bytes:
    """The PDF with each line set in one of ``font_names`` (PostScript names without their
    subset prefix) wrapped in /Span << /ActualText (its characters) >> BDC … EMC."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        if not mark_document(doc, font_names):
            return pdf
        buffer = io.BytesIO()
        doc.save(buffer, deterministic_id=True)
        return buffer.getvalue()


def mark_document(doc: pikepdf.Pdf, font_names: set[str]) -> bool:
    """``mark_lines`` on an open PDF (stamp.py marks and stamps in one pass); whether any
    line was marked."""
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
        structure = _parent_tree(doc)
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
            text = "".join(t for t, _ in run)
            tagged = [i for i, (operands, o) in enumerate(ops)
                      if str(o) == "BDC" and _tagged(operands)]
            first_text = next(i for i, (_, o) in enumerate(ops) if str(o) in ("TJ", "Tj"))
            if tagged and tagged[0] < first_text:
                merged = _merge_tagged(ops, tagged, text, structure, page)
                if merged is not None:
                    marked += 1
                    out.extend(merged)
                    run.clear()
                    return
            open_ = _unclosed(ops)
            if open_ is None or (open_ and max(open_) > first_text):
                out.extend(ops)  # cannot be wrapped here: leave the line as it is
            else:
                cut = max(open_) + 1 if open_ else 0
                marked += 1
                out.extend(ops[:cut])
                out.append(([pikepdf.Name("/Span"), pikepdf.Dictionary(
                    ActualText=pikepdf.String(text))], pikepdf.Operator("BDC")))
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
    return changed
