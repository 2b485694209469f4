"""Whole-paragraph line breaking for justified Chinese (断行), on top of WeasyPrint's line layout.

WeasyPrint breaks a paragraph greedily: each line takes all that fits. In Chinese running text
that is nearly always right — a break is allowed between almost any two characters — except
before something that may not be split: a figure kept on one line (``2307.75亿元``, our
``<span class="fig">``) that does not fit goes down whole and leaves the line before it short,
so justification (typeset/justify.py) spreads several ems over its gaps (0.2 em between
characters, measured in the sample). And a closing mark may not start a line (避头), so a line
that has room for "，" but not for the character before it as well pushes that character down.

This module breaks each justified paragraph holding Chinese as a whole, as TeX does (Knuth and
Plass): of all the ways to break it, the one with the least total cost, where a line costs more
the looser it is (the cube of the room between its characters) and for each mark it squeezes
— little for a closing mark ending it (行末, clreq §6.2.2.3 ①: "，" stays with its character),
more for a bracket or quotation mark inside it (④, 夹注符号外侧); commas and stops inside a line
are never squeezed — and a last line of one character (孤字) costs much. So a loose line takes
characters from the lines before it, or pulls its figure in by squeezing marks, when that is
better overall; a line that cannot be helped stays as it was (a figure wider than all the room
a paragraph can give).

The cost is reckoned on a model of the paragraph: its characters and their advances (measured
with Pango once per font and size), where it may break (Pango's UAX #14 rules on the whole
text, never inside a figure kept on one line), what each mark gives up squeezed (the font's
``halt``, measured: 0 for a font without it) and the gaps justification spreads into. When the
best breaks are WeasyPrint's own, the paragraph is left to WeasyPrint: the same lines as before.
Otherwise WeasyPrint lays out each line of the plan itself, its width limited to halfway
between the planned break and the next one, so that its own splitter ends the line there; a
line planned wider than the type area is squeezed to fit by justify.fit_line. Each line is
checked against the plan, and at the first disagreement the rest of the paragraph is
WeasyPrint's own. Pinned to the WeasyPrint versions of justify.TESTED.
"""

from __future__ import annotations

import bisect
import contextvars
import logging
from dataclasses import dataclass

from . import justify

log = logging.getLogger("reports.linebreak")

STRETCH = 0.1  # em between characters of a line of badness 100 (TeX's scale: cubic)
LINE = 10  # the cost of one line more
FINAL_MARK = 3  # a closing mark squeezed at a line's end (行尾挤压)
INNER_MARK = 15  # a bracket or quotation mark squeezed inside a line (夹注符号外侧)
LONE = 300  # a last line of one character (孤字)
OVERFULL = 10000  # the badness of a line wider than the box (when nothing else fits)
WINDOW = 10  # em: breaks considered before the longest line that fits
MAX_CHARS = 20000  # longer paragraphs are left to WeasyPrint

_LIMIT = contextvars.ContextVar("reports_line_limit", default=None)
_modules: dict = {}
_installed = False


def install() -> None:
    """Patch WeasyPrint once (after justify.install, which checks its version): the line
    iterator of block layout, and the line splitter's width when a plan limits it."""
    global _installed
    if _installed:
        return
    justify.install()
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import block, inline, leader, percent
    from weasyprint.text import line_break

    _modules.update(boxes=boxes, inline=inline, leader=leader, percent=percent,
                    line_break=line_break)
    original_split = inline.split_inline_box
    original_iter = inline.iter_line_boxes

    def split_inline_box(context, box, position_x, max_x, *args):
        limit = _LIMIT.get()
        if limit is not None and isinstance(box, boxes.LineBox):
            max_x = position_x + limit
        return original_split(context, box, position_x, max_x, *args)

    def iter_line_boxes(context, box, position_y, bottom_space, skip_stack, containing_block,
                        absolute_boxes, fixed_boxes, first_letter_style, first_line_style):
        plan = None
        # floats (the contents' page numbers) above the paragraph narrow none of its lines
        clear = all(shape.position_y + shape.margin_height() <= position_y
                    for shape in context.excluded_shapes)
        if clear and not (first_letter_style or first_line_style):
            plan = _plan(box, skip_stack, containing_block)
        if plan is None:
            return original_iter(context, box, position_y, bottom_space, skip_stack,
                                 containing_block, absolute_boxes, fixed_boxes,
                                 first_letter_style, first_line_style)
        return _planned(plan, context, box, position_y, bottom_space, skip_stack,
                        containing_block, absolute_boxes, fixed_boxes)

    inline.split_inline_box = split_inline_box
    inline.iter_line_boxes = block.iter_line_boxes = iter_line_boxes
    _installed = True


class _Ineligible(Exception):
    pass


@dataclass
class Model:
    """A paragraph as the breaker sees it. Positions are indexes into ``text``; a line
    [a, b) starts at a and ends before b."""

    text: str
    x: list[float]  # x[i]: advance of text[:i] (CSS px, as WeasyPrint measures)
    gaps: list[float]  # gaps[i]: justification weight of the gaps among text[:i]
    breaks: list[int]  # where a line may end (ascending), len(text) last
    marks: list[int]  # brackets and quotation marks that may be squeezed inside a line
    gain: dict[int, float]  # what a mark gives up squeezed (those, and closing marks ending a line)
    em: float
    starts: dict[int, int]  # id(box) → position of its first character

    def line(self, a: int, b: int) -> tuple[int, int, float]:
        """The line [a, b) without its leading and trailing spaces: start, end, width."""
        while a < b and self.text[a] == " ":
            a += 1
        e = b
        while e > a and self.text[e - 1] == " ":
            e -= 1
        return a, e, self.x[e] - self.x[a]


def _plan(box, skip_stack, containing_block) -> dict | None:
    """start → (end, width limit) for the lines of this paragraph from ``skip_stack``, or None
    to leave it to WeasyPrint (not a justified Chinese paragraph, or the greedy lines are good).
    The model and the plans are kept on the box: a paragraph resumed on the next page follows
    the plan it was started with."""
    style = box.style
    if style["text_align_all"] != "justify" or style["direction"] != "ltr":
        return None
    state = box.__dict__.get("_reports_lines")
    if state is None:
        try:
            state = {"model": _model(box), "plans": {}}
        except _Ineligible:
            state = {"model": None}
        box._reports_lines = state
    model = state["model"]
    if model is None:
        return None
    width = containing_block.width
    start = _position(model, box, skip_stack)
    for (w, _, _), plan in state["plans"].items():
        if w == width and plan is not None and start in plan:
            return plan
    if skip_stack is None:
        _modules["percent"].resolve_one_percentage(box, "text_indent", width)
        indent = box.text_indent
    else:
        indent = 0
    key = (width, indent, start)
    if key not in state["plans"]:
        state["plans"][key] = _make_plan(model, start, width, indent)
    return state["plans"][key]


def _model(box) -> Model:
    """The paragraph's characters, advances, gap weights, breaks and squeezable marks."""
    boxes = _modules["boxes"]
    pieces: list = []  # (text box, group of the figure it belongs to or None)
    starts: dict[int, int] = {}
    length = 0

    def walk(node, group):
        nonlocal length
        starts[id(node)] = length
        if isinstance(node, boxes.TextBox):
            ws = node.style["white_space"]
            if "\n" in node.text or ws not in ("normal", "nowrap"):
                raise _Ineligible
            pieces.append((node, group if group is not None else
                           (id(node) if ws == "nowrap" else None)))
            length += len(node.text)
        elif isinstance(node, (boxes.LineBox, boxes.InlineBox)):
            if isinstance(node, boxes.InlineBox):
                for side in ("left", "right"):
                    if node.style[f"margin_{side}"].value or node.style[f"padding_{side}"].value \
                            or node.style[f"border_{side}_width"]:
                        raise _Ineligible
                if group is None and node.style["white_space"] == "nowrap":
                    group = id(node)
            for child in node.children:
                if not child.is_in_normal_flow() or getattr(child, "is_leader", False):
                    raise _Ineligible
                walk(child, group)
        else:
            raise _Ineligible  # an image, an inline block: WeasyPrint's own breaking

    walk(box, None)
    text = "".join(p.text for p, _ in pieces)
    if not text or len(text) > MAX_CHARS or not any(justify.is_cjk(ch) for ch in text):
        raise _Ineligible
    x, cjk, group, marks, gain = [0.0], [], [], [], {}
    keys: dict[int, str] = {}  # id(style) → its font key: text boxes share their styles
    for piece, g in pieces:
        base = len(cjk)
        key = keys.get(id(piece.style))
        if key is None:
            key = keys[id(piece.style)] = _modules["line_break"]._font_style_cache_key(
                piece.style, include_size=True)
        table = justify.halt_amounts(piece.style, key)
        for i, advance in enumerate(_advances(piece.style, piece.text, key)):
            x.append(x[-1] + advance)
            ch = piece.text[i]
            cjk.append(justify.is_cjk(ch))
            group.append(g)
            if table.get(ch) and (ch in justify.CLOSING or justify.squeezable(piece.text, i)):
                gain[base + i] = table[ch]  # when it ends a line, or (a bracket) inside one
                if justify.squeezable(piece.text, i):
                    marks.append(base + i)
    gaps = [0.0]
    for i in range(len(text) - 1):
        inside = group[i] is not None and group[i] == group[i + 1]
        gaps.append(gaps[-1] + (0.0 if inside else (cjk[i] + cjk[i + 1]) / 2))
    gaps.append(gaps[-1])
    attrs = _modules["line_break"].get_log_attrs(text, box.style["lang"])
    breaks = [i for i in range(1, len(text)) if attrs[i].is_line_break
              and not (group[i - 1] is not None and group[i - 1] == group[i])]
    breaks.append(len(text))
    return Model(text, x, gaps, breaks, marks, gain, box.style["font_size"], starts)


_ADVANCES: dict = {}


def _advances(style, text: str, font_key: str) -> list[float]:
    """Each character's advance in ``style``: from a table per font and size, filled by
    measuring new characters with Pango (each between two ideographs); a run of adjacent marks,
    which ``chws`` sets closer, measured as a run."""
    table = _ADVANCES.setdefault((font_key, style["letter_spacing"], style["word_spacing"]), {})
    new = sorted(set(text) - table.keys())
    if new:
        measured = justify.advances(style, "一" + "一".join(new) + "一")
        table.update(zip(new, measured[1::2]))
    out = [table[ch] for ch in text]
    i = 0
    while i < len(text):  # runs of two or more marks
        j = i
        while j < len(text) and text[j] in justify.MARKS:
            j += 1
        if j - i >= 2:
            run = text[i:j]
            if run not in table:
                table[run] = justify.advances(style, "一" + run + "一")[1:-1]
            out[i:j] = table[run]
        i = max(j, i + 1)
    return out


def _cost(model: Model, a: int, b: int, width: float, first: int) -> float | None:
    """The cost of the line [a, b) in a box ``width`` wide (Knuth–Plass demerits: the square
    of a line's badness plus its penalties), None when it cannot fit even squeezed."""
    a, e, natural = model.line(a, b)
    penalty = 0.0
    over = natural - width
    if over > 0:  # squeezed in justify's order: a closing mark ending the line, then brackets
        lo, hi = bisect.bisect_left(model.marks, a), bisect.bisect_left(model.marks, e - 1)
        final = [e - 1] if model.text[e - 1] in justify.CLOSING and e - 1 in model.gain else []
        for i in final + model.marks[lo:hi][::-1]:
            over -= model.gain[i]
            penalty += FINAL_MARK if final and i == final[0] else INNER_MARK
            if over <= 1e-6:
                break
        if over > 1e-6:
            return None
    if b == len(model.text):  # the last line is not spread
        body = sum(ch not in justify.MARKS and ch != " " for ch in model.text[a:e])
        if a > first and body <= 1:
            penalty += LONE
        return (LINE + penalty) ** 2
    slack = max(0.0, -over)  # what is left after squeezing, or the room of an unsqueezed line
    weights = model.gaps[e - 1] - model.gaps[a] if e > a else 0.0
    # a line with no gap to spread into (a figure alone) stays short: as bad as one gap that wide
    spread = slack / max(weights, 1.0 if weights == 0 else weights) / model.em
    badness = 100 * (spread / STRETCH) ** 3
    return (LINE + badness + penalty) ** 2


def _greedy(model: Model, start: int, width: float, indent: float) -> list[int]:
    """The ends of the lines as WeasyPrint breaks them: each line as long as fits."""
    ends, a = [], start
    while a < len(model.text):
        room = width - (indent if a == start else 0)
        i = bisect.bisect_right(model.breaks, a)
        best = model.breaks[i]  # the first break, even when it does not fit
        while i < len(model.breaks) and model.line(a, model.breaks[i])[2] <= room + 1e-6:
            best = model.breaks[i]
            i += 1
        ends.append(best)
        a = best
    return ends


def _make_plan(model: Model, start: int, width: float, indent: float) -> dict | None:
    """The plan for the lines from ``start``: start → (end, width limit); None when the best
    breaks are those WeasyPrint finds by itself."""
    ends = _best(model, start, width, indent)
    if ends is None or ends == _greedy(model, start, width, indent):
        return None
    plan, a = {}, start
    for b in ends:
        room = width - (indent if a == start else 0)
        natural = model.line(a, b)[2]
        if b == len(model.text):
            limit = max(room, natural) + model.em
        else:  # halfway to the next break: WeasyPrint's splitter stops at b, and only there
            after = model.breaks[bisect.bisect_right(model.breaks, b)]
            limit = (natural + model.line(a, after)[2]) / 2
        plan[a] = (b, limit)
        a = b
    return plan


def _best(model: Model, start: int, width: float, indent: float) -> list[int] | None:
    """The line ends of least total cost from ``start``: dynamic programming over the breaks in
    text order. A cost is (overflow, demerits), compared in that order: where some unit is wider
    than the box (a long figure) the least overflowing breaks win first. Ties go to the earlier
    candidate."""
    n = len(model.text)
    best: dict[int, tuple[float, float, int]] = {start: (0.0, 0.0, -1)}
    xs = [model.x[b] for b in model.breaks]
    for a in [start] + [b for b in model.breaks if b > start]:
        if a not in best or a == n:
            continue
        over, total, _ = best[a]
        room = width - (indent if a == start else 0)
        # from the last break well short of the box (lines shorter than that are never best)
        i = bisect.bisect_right(model.breaks, a)
        i = min(max(i, bisect.bisect_left(xs, model.x[a] + room - WINDOW * model.em) - 1),
                len(model.breaks) - 1)
        found = False
        for b in model.breaks[i:]:
            cost = _cost(model, a, b, room, start)
            if cost is None and found:
                break
            overflow = 0.0
            if cost is None:  # nothing fits: the first break, overfull, as WeasyPrint would
                overflow, cost = max(0.0, model.line(a, b)[2] - room), (LINE + OVERFULL) ** 2
            found = True
            candidate = (over + overflow, total + cost, a)
            if b not in best or candidate[:2] < best[b][:2]:
                best[b] = candidate
            if overflow or cost == (LINE + OVERFULL) ** 2:
                break
    if n not in best:
        return None
    ends, b = [], n
    while b != start:
        ends.append(b)
        b = best[b][2]
    return ends[::-1]


def _position(model: Model, box, skip_stack) -> int:
    """The position in the paragraph's text where ``skip_stack`` resumes."""
    if skip_stack is None:
        return model.starts.get(id(box), 0)
    (index, sub), = skip_stack.items()
    if isinstance(box, _modules["boxes"].TextBox):
        return model.starts[id(box)] + len(box.text.encode()[:index].decode("utf-8", "ignore"))
    if index >= len(box.children):
        return len(model.text)
    return _position(model, box.children[index], sub)


def _planned(plan, context, box, position_y, bottom_space, skip_stack, containing_block,
             absolute_boxes, fixed_boxes):
    """WeasyPrint's iter_line_boxes, each line's width limited as the plan says; a line the
    plan made wider than the box squeezed to fit. At the first line that does not end where
    planned, the rest is WeasyPrint's own."""
    inline, percent = _modules["inline"], _modules["percent"]
    model = box._reports_lines["model"]
    percent.resolve_percentages(box, containing_block)
    if skip_stack is None:
        percent.resolve_one_percentage(box, "text_indent", containing_block.width)
    else:
        box.text_indent = 0
    first_line_style = first_letter_style = None
    while True:
        step = plan.get(_position(model, box, skip_stack)) if plan else None
        token = _LIMIT.set(step[1] if step else None)
        try:
            line, resume_at = inline.get_next_linebox(
                context, box, position_y, bottom_space, skip_stack, containing_block,
                absolute_boxes, fixed_boxes, first_letter_style, first_line_style)
        finally:
            _LIMIT.reset(token)
        if line is None:
            return
        _modules["leader"].handle_leader(context, line, containing_block)
        position_y = line.position_y + line.height
        if step:
            end = len(model.text) if resume_at is None else _position(model, box, resume_at)
            if end != step[0]:  # WeasyPrint measured otherwise: the rest is its own
                log.debug("断行计划未被采用：计划在第%d字处换行，实际在第%d字处", step[0], end)
                plan = None
            justify.fit_line(line, containing_block.width, last=resume_at is None)
        yield line, resume_at
        if resume_at is None:
            return
        skip_stack = resume_at
        box.text_indent = 0
