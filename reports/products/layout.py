"""The layout of a briefing (products/briefing.py's ``Parts``) with WeasyPrint: with or
without the contents box, the 版记 on the last, even page, the long ledger's middle pages
left out (typeset/placement.py) — each with as few layouts of the whole briefing as it
takes."""

from __future__ import annotations

from .. import ROOT

TOC_MIN_PAGES = 8  # a table of contents when the briefing has more pages than this


def lay_out(parts, fetcher, gap: int):
    """(document, toc, gap footers): the layout, with a table of contents when the briefing
    has more than TOC_MIN_PAGES pages (one layout in the usual case: the contents box first,
    dropped only for short briefings), the 版记 on the last, even page; without the middle
    ``gap`` ledger pages (placement.py), whose footers are then read from it — None if it
    did not come out as expected."""
    from ..typeset.placement import (check_colophon, colophon_move, elide, gap_css,
                                     gap_footers)
    from ..typeset.render import render

    html = {True: parts.html_toc, False: parts.html_short}
    extra = ""
    if gap:
        html = {toc: elide(text, gap) for toc, text in html.items()}
        if None in html.values():
            return None, None, None
        extra = gap_css(gap)
    document = render(html[True], ROOT, fetcher, parts.css, extra)
    toc = True
    if len(document.pages) + gap <= TOC_MIN_PAGES + 1:  # short: try without the contents box
        short = render(html[False], ROOT, fetcher, parts.css, extra)
        if len(short.pages) + gap <= TOC_MIN_PAGES:
            document, toc = short, False
    move = colophon_move(document)
    if move and parts.colophon_page and parts.config.display.page_numbers == "gongwen":
        document, move = colophon_tail(parts, fetcher, document, move, gap)
    if move:  # the 版记 fell on an odd page: lay out again, with it on the next even page
        document = render(html[toc], ROOT, fetcher, parts.css,
                          "\n".join(filter(None, (extra, parts.colophon_css[move]))))
        check_colophon(document)
    if not gap:
        return document, toc, None
    return document, toc, gap_footers(document, gap)


def colophon_tail(parts, fetcher, document, move: str, gap: int):
    """The 版记 moved to the next even page without laying the briefing out again: every page
    before it stays as the first layout made it, and only the new pages are laid out, by
    themselves (templates/briefing/colophon-page.html). "bare" — the 版记 had its odd page to
    itself: that page becomes a blank one, and neither it nor the 版记's page is numbered
    (§7.5). "even" — it shared the page with text: the text stays, the 版记 goes on the next
    page, numbered on (the tail's first page, laid out only to make the next a left one, is
    dropped). (With 第N页 共M页 the total on every page changes: not here.) Returns
    (document, move), move None once done."""
    from ..typeset.placement import check_colophon
    from ..typeset.render import remove_elements, render

    css = parts.colophon_css[move]
    if move == "even":
        css += f"\n@page :first {{ counter-reset: page {len(document.pages) + gap} }}"
    tail = render(parts.colophon_page, ROOT, fetcher, parts.css, css)
    if len(tail.pages) != 2:
        return document, move
    if move == "bare":
        pages = document.pages[:-1] + tail.pages
    elif remove_elements(document.pages[-1], "colophon-block", ("colophon",)):
        pages = document.pages + tail.pages[1:]
    else:
        return document, move
    document = document.copy(pages)
    check_colophon(document)
    return document, None
