"""Chinese justification (两端对齐) for WeasyPrint.

WeasyPrint 70 justifies by stretching spaces only, and Chinese has none: every line of a Chinese
paragraph ends ragged. This module extends WeasyPrint's line layout in one place, and only on the
WeasyPrint versions it is tested with (``TESTED``; any other stops the build with a message):

``justify_line`` (layout/inline.py) is called for every line of a ``text-align: justify`` block
but its last. When the line holds Chinese, the room left is spread over the gaps between its
characters: a CJK–CJK gap takes a full share, a CJK–Latin gap half, none inside a Latin word or
a number (10月, 第25届), none inside a figure kept on one line (``white-space: nowrap``, our
``<span class="fig">``), none after the last character. The space is Pango letter spacing of
the CJK runs of each text box (``Layout.set_text``, text/line_break.py) plus the gap after the
box, so the text is unchanged: no character is inserted. A line without Chinese keeps
WeasyPrint's own justification (spaces).

Pango gives a spaced character half the spacing before it and half after, none before a text's
first character and none after its last (measured on Pango 1.50; the gap to the next box is
then ours to add). (On a single character inside a text it splits the spacing around it, so
punctuation compression — 标点挤压, half an em off "）" in "），" — is not done here but by the
font: the OpenType feature ``chws`` added to the bundled serif by scripts/add_features.py, which
HarfBuzz applies when the stylesheet asks for it.) A text box's layout is remade for drawing
from its text and style (``reactivate``), so the spacing is kept on the ``Layout`` object and
reapplied there.

A line that must give up room (the paragraph line breaker, typeset/linebreak.py, planned it
that way: a line-final "，" kept beside its character instead of pushing it down, a figure pulled
onto a loose line) is squeezed before it is spread: single full-width marks set in half an em
by the font's ``halt`` feature, in clreq's order (§6.2.2.3) — a closing mark ending the line
first (行末), then brackets and quotation marks inside the line, from its end — until the line
fits, never more than needed; a comma or stop inside a line keeps its em. A mark next to another
mark is left to ``chws``. The widths are measured again after the squeeze, so a font
without ``halt`` squeezes nothing rather than misplacing anything.
"""

from __future__ import annotations


TESTED = ("70.0",)  # WeasyPrint versions this extension is tested with (tests/test_justify.py)
CLOSING = set("，。、；：？！）》」』】〕〉”’…")
OPENING = set("（《「『【〔〈“‘")
MARKS = CLOSING | OPENING
BRACKETS = set("（）《》「」『』【】〔〕〈〉“”‘’")  # 夹注符号: squeezed inside a line
_installed = False
_modules: dict = {}  # WeasyPrint's modules, once installed


class UntestedWeasyPrint(RuntimeError):
    pass


def is_cjk(ch: str) -> bool:
    """A character set on the CJK em grid: ideographs, kana, CJK and full-width punctuation."""
    code = ord(ch)
    return (0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF
            or 0x20000 <= code <= 0x3FFFF or ch in CLOSING or ch in OPENING)


def install() -> None:
    """Patch WeasyPrint once. Raises UntestedWeasyPrint on a version not in TESTED: a silent
    ragged (or misjustified) briefing on an upgrade is worse than a clear stop."""
    global _installed
    if _installed:
        return
    import weasyprint
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    if weasyprint.__version__ not in TESTED:
        raise UntestedWeasyPrint(
            f"WeasyPrint {weasyprint.__version__} 未经测试：中文两端对齐与标点挤压（reports/typeset/"
            f"justify.py）只在 WeasyPrint {'、'.join(TESTED)} 上验证过。请安装 pyproject.toml 固定的"
            "版本（make setup），或在新版本上运行 tests/test_justify.py 通过后把它加入 TESTED。")
    _modules.update(line_break=line_break, boxes=boxes)
    original_set_text = line_break.Layout.set_text
    original_justify = inline.justify_line

    def set_text(self, text, justify=False):
        original_set_text(self, text, justify)
        _spacing(self, line_break)

    def justify_line(context, line, extra_width):
        if not _justify_cjk(line, extra_width):
            original_justify(context, line, extra_width)

    line_break.Layout.set_text = set_text
    inline.justify_line = justify_line
    _installed = True


def _spacing(layout, line_break) -> None:
    """The justification's letter spacing (``cjk_extra``) on the runs of CJK characters of a
    text box (``cjk_runs``, kept on the Layout), on top of the style's own spacing; and the
    font feature ``halt`` on the marks squeezed to half an em (``cjk_halt``: their indexes)."""
    extra = getattr(layout, "cjk_extra", 0.0)
    runs = getattr(layout, "cjk_runs", ())
    halt = getattr(layout, "cjk_halt", ())
    if not ((extra and runs) or halt) or not layout.text:
        return
    ffi, pango = line_break.ffi, line_break.pango
    attr_list = pango.pango_layout_get_attributes(layout.layout)
    if attr_list == ffi.NULL:
        attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    offsets = [0]
    for ch in layout.text:
        offsets.append(offsets[-1] + len(ch.encode("utf-8")))
    if extra and runs:
        base = layout.style["letter_spacing"]
        base = 0 if base == "normal" else base
        for first, last in runs:
            if last >= len(layout.text):
                continue
            attr = pango.pango_attr_letter_spacing_new(
                round((base + extra) * line_break.TO_UNITS))
            attr.start_index, attr.end_index = offsets[first], offsets[last + 1]
            pango.pango_attr_list_change(attr_list, attr)
    for i in halt:
        if i < len(layout.text):
            # inserted beside the style's own features ("chws"): Pango hands HarfBuzz both,
            # each with its range, so the rest of the text is shaped as before
            attr = pango.pango_attr_font_features_new(b"halt 1")
            attr.start_index, attr.end_index = offsets[i], offsets[i + 1]
            pango.pango_attr_list_insert(attr_list, attr)
    pango.pango_layout_set_attributes(layout.layout, attr_list)


def advances(style, text: str, halt: tuple[int, ...] = ()) -> list[float]:
    """The advance of each character of ``text`` set in ``style`` on one line (CSS px): the
    widths of the glyphs of its cluster (a character inside a cluster gets 0)."""
    line_break = _modules["line_break"]
    ffi = line_break.ffi
    layout = line_break.Layout(style)
    layout.cjk_halt = halt
    layout.set_text(text)
    line, _ = layout.get_first_line()
    starts, byte = {}, 0
    for i, ch in enumerate(text):
        starts[byte] = i
        byte += len(ch.encode("utf-8"))
    out = [0.0] * len(text)
    run = line.runs
    while run != ffi.NULL:
        item, glyphs = run.data.item, run.data.glyphs
        for g in range(glyphs.num_glyphs):
            i = starts.get(item.offset + glyphs.log_clusters[g])
            if i is not None:
                out[i] += glyphs.glyphs[g].geometry.width * line_break.FROM_UNITS
        run = run.next
    layout.deactivate()
    return out


_HALT: dict[str, dict[str, float]] = {}


def halt_amounts(style, font_key: str | None = None) -> dict[str, float]:
    """How much each full-width mark gives up when set with ``halt`` in this style's font
    (CSS px; 0 for a font without the feature, such as a bureau's own 仿宋), measured once per
    font and size: each mark between two ideographs, so ``chws`` does not act."""
    key = font_key or _modules["line_break"]._font_style_cache_key(style, include_size=True)
    table = _HALT.get(key)
    if table is None:
        marks = sorted(MARKS)
        text = "一" + "一".join(marks) + "一"
        where = range(1, len(text), 2)
        full = advances(style, text)
        half = advances(style, text, tuple(where))
        table = {ch: max(0.0, full[i] - half[i]) for ch, i in zip(marks, where)
                 if full[i] - half[i] > 0.01}
        _HALT[key] = table
    return table


def squeezable(text: str, i: int) -> bool:
    """A bracket or quotation mark inside a line that ``halt`` may squeeze (its outer blank
    half: clreq's 夹注符号外侧, the first kind of mark squeezed inside a line): one with no mark
    beside it in its text (a pair is ``chws``'s). Commas and stops inside a line are never
    squeezed: set in half an em they read as Latin commas beside the full-width ones."""
    return text[i] in BRACKETS and not (i > 0 and text[i - 1] in MARKS) and \
        not (i + 1 < len(text) and text[i + 1] in MARKS)


def _runs(text: str) -> list[tuple[int, int]]:
    """(first, last) index of each run of CJK characters."""
    runs, start = [], None
    for i, ch in enumerate(text):
        if is_cjk(ch):
            start = i if start is None else start
        elif start is not None:
            runs.append((start, i - 1))
            start = None
    if start is not None:
        runs.append((start, len(text) - 1))
    return runs


def _weights(text: str) -> float:
    """The gaps inside a text spaced on its CJK runs, in units of the spacing: Pango gives each
    spaced character half the spacing on either side, but none before the first character and
    none after the last — so a CJK–CJK gap gets it whole, a CJK–Latin gap half, a gap inside a
    Latin word or a number none."""
    flags = [is_cjk(ch) for ch in text]
    return sum((a + b) / 2 for a, b in zip(flags, flags[1:]))


def _text_boxes(box, out: list) -> list:
    """The line's boxes in order: text boxes, and None for an atomic inline (a barrier)."""
    boxes = _modules["boxes"]
    if isinstance(box, boxes.TextBox):
        out.append(box)
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                _text_boxes(child, out)
    else:
        out.append(None)
    return out


def fit_line(line, available_width: float, last: bool) -> None:
    """A line wider than its box (planned so by typeset/linebreak.py): squeezed to fit, then,
    unless it ends its paragraph, spread like any justified line."""
    if line.width > available_width:
        _justify_cjk(line, available_width - line.width, spread=not last)


def _squeeze(texts: list, need: float) -> tuple[dict[int, tuple[int, ...]], float]:
    """The marks to set in half an em so that a line gives up ``need`` (CSS px), as few as will
    do, in clreq's order (§6.2.2.3): a closing mark ending the line first (行末), then brackets
    and quotation marks inside it from the line's end. Returns the indexes for each text box
    and the room they give."""
    candidates = []
    for b in texts:
        text = b.text.rstrip(" ")
        table = halt_amounts(b.style)
        candidates.extend((b, i, table.get(text[i], 0.0)) for i in range(len(text))
                          if squeezable(text, i))
    last = next((b for b in reversed(texts) if b.text.rstrip(" ")), None)
    if last is not None:
        text = last.text.rstrip(" ")
        if text[-1] in CLOSING:
            candidates = [c for c in candidates if c[:2] != (last, len(text) - 1)]
            candidates.append((last, len(text) - 1, halt_amounts(last.style).get(text[-1], 0.0)))
    chosen: dict[int, list[int]] = {}
    gained = 0.0
    for b, i, amount in reversed(candidates):
        if gained >= need - 1e-6:
            break
        if amount:
            chosen.setdefault(id(b), []).append(i)
            gained += amount
    return {k: tuple(sorted(v)) for k, v in chosen.items()}, gained


def _justify_cjk(line, extra_width, spread: bool = True) -> bool:
    """Spread ``extra_width`` over the gaps of a line holding Chinese (squeezing marks first
    when it is negative); False when there is nothing to spread it over (WeasyPrint's own
    justification then)."""
    found = _text_boxes(line, [])
    texts = [b for b in found if b is not None and b.text]
    if not texts or line.style["direction"] == "rtl" or \
            not any(is_cjk(ch) for b in texts for ch in b.text):
        return False
    halts: dict[int, tuple[int, ...]] = {}
    if extra_width < 0:
        halts, gained = _squeeze(texts, -extra_width)
        extra_width = max(0.0, extra_width + gained)
    plan: dict[int, tuple[float, float, list]] = {}  # box → (inside, after, CJK runs)
    for k, b in enumerate(texts):
        text = b.text.rstrip(" ")
        if not text:
            continue
        nowrap = b.style["white_space"] in ("nowrap", "pre")
        inside, runs = (0.0, []) if nowrap else (_weights(text), _runs(text))
        after = 0.0
        if k + 1 < len(texts) and texts[k + 1].text:
            # the gap to the next box, whole when both sides are CJK, half when one is
            after = (is_cjk(text[-1]) + is_cjk(texts[k + 1].text[0])) / 2
        plan[id(b)] = (inside, after, runs)
    count = sum(inside + after for inside, after, _ in plan.values())
    if count <= 0 and not halts:
        return False
    each = extra_width / count if spread and count > 0 else 0.0
    _spread(line, plan, halts, each, 0.0)
    return True


def _spread(box, plan, halts, each, x_advance):
    """Move every box by the room given before it; text boxes spaced inside (letter spacing
    of their CJK runs) and squeezed (``halt`` on the marks in ``halts``), and the gap after
    each widened. A squeezed box is measured again: its width is what its font gives."""
    boxes, line_break = _modules["boxes"], _modules["line_break"]
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        inside, after, runs = plan.get(id(box), (0.0, 0.0, []))
        halt = halts.get(id(box), ())
        if (inside and each) or halt:
            layout = line_break.Layout(box.style, box.justification_spacing)
            layout.cjk_extra, layout.cjk_runs, layout.cjk_halt = each, tuple(runs), halt
            layout.set_text(box.text)
            if halt:
                first, _ = layout.get_first_line()
                width, _ = line_break.line_size(first, box.style)
                x_advance += width - box.width
                box.width = width
            else:
                box.width += each * inside
                x_advance += each * inside
            layout.deactivate()
            box.pango_layout = layout
        x_advance += each * after
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _spread(child, plan, halts, each, x_advance)
        box.width += x_advance - before
    else:
        box.translate(x_advance, 0)
    return x_advance
