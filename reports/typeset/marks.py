"""The marks on every page of a delegation handout, drawn by ReportLab on an otherwise empty
page and stamped over the laid-out page (pdf/stamp.py): the watermark line
"仅供江苏省经贸代表团参阅" at the head, the copy number "第3份 / 共20份" at its right, the page
number at the foot (not on the cover). Drawn per copy: the layout is done once, only these
differ from copy to copy."""

from __future__ import annotations

import io

from .theme import THEME, rl_color

MM = 72 / 25.4


def draw_marks(pages: int, watermark: str, copy: str | None, numbered_from: int = 2) -> bytes:
    """A PDF of ``pages`` pages carrying only the marks."""
    from .rlfonts import BOLD, REGULAR, canvas

    width, height = THEME.page_width * MM, THEME.page_height * MM
    side = THEME.handout_margin_side * MM
    head = height - (THEME.handout_margin_top - 11) * MM  # baseline, 11 mm above the text
    foot = (THEME.handout_margin_bottom - 13) * MM
    size = THEME.handout_mark_size
    buffer = io.BytesIO()
    c = canvas(buffer, (width, height))
    red, muted = rl_color("red"), rl_color("muted")
    for n in range(1, pages + 1):
        c.setFillColor(red)
        c.setFont(BOLD, size)
        c.drawString(side, head, watermark)
        if copy:
            c.drawRightString(width - side, head, copy)
        c.setStrokeColor(red)
        c.setLineWidth(0.5)
        c.line(side, head - 2.2 * MM, width - side, head - 2.2 * MM)
        if n >= numbered_from:
            c.setFillColor(muted)
            c.setFont(REGULAR, size + 1)
            c.drawCentredString(width / 2, foot, f"— {n} —")
        c.showPage()
    c.save()
    return buffer.getvalue()
