"""Chinese justification (两端对齐) for WeasyPrint.

WeasyPrint 70 justifies by stretching spaces only, and Chinese has none: every line of a Chinese
paragraph ends ragged. This module extends WeasyPrint's line layout in one place, and only on the
WeasyPrint versions it is tested with (``TESTED``; any other stops the build with a message):

``justify_line`` (layout/inline.py) is called for every line of a ``text-align: justify`` block
but its last. When the line holds Chinese, the room left is spread evenly over the gaps after its
characters, none after the last one, none inside a figure kept on one line (``white-space:
nowrap``, our ``<span class="fig">``: the gap after the figure takes its share instead). The space
is Pango letter spacing of the text box (``Layout.set_text``, text/line_break.py), so the text
and its extraction are unchanged: no character is inserted. A line without Chinese keeps
WeasyPrint's own justification (spaces).

Pango sets a letter spacing given to a whole text half before and half after each character but
the first, which amounts to the full spacing after every character of the box: exactly the
gaps wanted. (On a single character inside a text it splits it around that character, which is
why punctuation compression — half an em off the first of "），" — is not done this way; see
README.) A text box's layout is remade for drawing from its text and style (``reactivate``), so
the spacing is kept on the ``Layout`` object and reapplied there.
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
    """The justification's letter spacing of a text box (``cjk_extra``, kept on the Layout),
    on top of the style's own."""
    extra = getattr(layout, "cjk_extra", 0.0)
    if not extra or not layout.text:
        return
    ffi, pango = line_break.ffi, line_break.pango
    base = layout.style["letter_spacing"]
    base = 0 if base == "normal" else base
    attr_list = pango.pango_layout_get_attributes(layout.layout)
    if attr_list == ffi.NULL:
        attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    attr = pango.pango_attr_letter_spacing_new(round((base + extra) * line_break.TO_UNITS))
    attr.start_index, attr.end_index = 0, len(layout.text.encode("utf-8"))
    pango.pango_attr_list_change(attr_list, attr)
    pango.pango_layout_set_attributes(layout.layout, attr_list)


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
    last = texts[-1]
    plan: dict[int, tuple[int, bool]] = {}  # box → (gaps it opens, spaced inside or after)
    for b in texts:
        n = len(b.text.rstrip(" "))
        nowrap = b.style["white_space"] in ("nowrap", "pre")
        if b is last:
            gaps = 0 if nowrap else n - 1  # nothing after the line's last character
        else:
            gaps = 1 if nowrap else n  # a figure: only the gap after it
        if gaps > 0:
            plan[id(b)] = (gaps, nowrap)
    count = sum(g for g, _ in plan.values())
    if not count:
        return False
    _spread(context, line, plan, extra_width / count, 0.0, line_break)
    return True


def _spread(context, box, plan, each, x_advance, line_break):
    """Move every box by the room given before it; text boxes spaced inside (letter spacing)
    or, for a figure, after."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        gaps, nowrap = plan.get(id(box), (0, False))
        if gaps and not nowrap:
            layout = line_break.Layout(box.style, box.justification_spacing)
            layout.cjk_extra = each
            layout.set_text(box.text)
            layout.deactivate()
            box.pango_layout = layout
            box.width += each * gaps
        x_advance += each * gaps
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
