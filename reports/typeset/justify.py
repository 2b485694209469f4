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
font: the OpenType feature ``chws`` added to the bundled serif by scripts/add_chws.py, which
HarfBuzz applies when the stylesheet asks for it.) A text box's layout is remade for drawing
from its text and style (``reactivate``), so the spacing is kept on the ``Layout`` object and
reapplied there.
"""

from __future__ import annotations


TESTED = ("70.0",)  # WeasyPrint versions this extension is tested with (tests/test_justify.py)
CLOSING = set("，。、；：？！）》」』】〕〉”’…")
OPENING = set("（《「『【〔〈“‘")
_installed = False


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
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    if weasyprint.__version__ not in TESTED:
        raise UntestedWeasyPrint(
            f"WeasyPrint {weasyprint.__version__} 未经测试：中文两端对齐与标点挤压（reports/typeset/"
            f"justify.py）只在 WeasyPrint {'、'.join(TESTED)} 上验证过。请安装 pyproject.toml 固定的"
            "版本（make setup），或在新版本上运行 tests/test_justify.py 通过后把它加入 TESTED。")
    original_set_text = line_break.Layout.set_text
    original_justify = inline.justify_line

    def set_text(self, text, justify=False):
        original_set_text(self, text, justify)
        _spacing(self, line_break)

    def justify_line(context, line, extra_width):
        if not _justify_cjk(context, line, extra_width, line_break):
            original_justify(context, line, extra_width)

    line_break.Layout.set_text = set_text
    inline.justify_line = justify_line
    _installed = True


def _spacing(layout, line_break) -> None:
    """The justification's letter spacing (``cjk_extra``) on the runs of CJK characters of a
    text box (``cjk_runs``, kept on the Layout), on top of the style's own spacing."""
    extra = getattr(layout, "cjk_extra", 0.0)
    runs = getattr(layout, "cjk_runs", ())
    if not extra or not runs or not layout.text:
        return
    ffi, pango = line_break.ffi, line_break.pango
    base = layout.style["letter_spacing"]
    base = 0 if base == "normal" else base
    attr_list = pango.pango_layout_get_attributes(layout.layout)
    if attr_list == ffi.NULL:
        attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    offsets = [0]
    for ch in layout.text:
        offsets.append(offsets[-1] + len(ch.encode("utf-8")))
    for first, last in runs:
        if last >= len(layout.text):
            continue
        attr = pango.pango_attr_letter_spacing_new(round((base + extra) * line_break.TO_UNITS))
        attr.start_index, attr.end_index = offsets[first], offsets[last + 1]
        pango.pango_attr_list_change(attr_list, attr)
    pango.pango_layout_set_attributes(layout.layout, attr_list)


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
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        out.append(box)
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                _text_boxes(child, out)
    else:
        out.append(None)
    return out


def _justify_cjk(context, line, extra_width, line_break) -> bool:
    """Spread ``extra_width`` over the gaps of a line holding Chinese; False when there is
    nothing to spread it over (WeasyPrint's own justification then)."""
    found = _text_boxes(line, [])
    texts = [b for b in found if b is not None and b.text]
    if not texts or line.style["direction"] == "rtl" or \
            not any(is_cjk(ch) for b in texts for ch in b.text):
        return False
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
    if count <= 0:
        return False
    _spread(context, line, plan, extra_width / count, 0.0, line_break)
    return True


def _spread(context, box, plan, each, x_advance, line_break):
    """Move every box by the room given before it; text boxes spaced inside (letter spacing
    of their CJK runs), and the gap after each widened."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        inside, after, runs = plan.get(id(box), (0.0, 0.0, []))
        if inside:
            layout = line_break.Layout(box.style, box.justification_spacing)
            layout.cjk_extra, layout.cjk_runs = each, tuple(runs)
            layout.set_text(box.text)
            layout.deactivate()
            box.pango_layout = layout
            box.width += each * inside
        x_advance += each * (inside + after)
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _spread(context, child, plan, each, x_advance, line_break)
        box.width += x_advance - before
    else:
        box.translate(x_advance, 0)
    return x_advance
