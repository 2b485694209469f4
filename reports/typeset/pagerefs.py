"""Page references (``target-counter(attr(href), page)``: the contents' page numbers) without a
page laid out for nothing.

WeasyPrint lays a document out in passes, and lays a page out again when a page-based counter
shown on it may have changed: it compares all the counters of that page with the values it
last saw there (layout/page.py, ``make_page``, "Step 2: local counters") — ``pages`` among
them, which is 0 in the first pass and the total after it. So in the second pass the
contents' page always looks changed, and is laid out a third time for page numbers that did
not change: 0.06 s of the sample's 0.85 s layout (its densest page).

That third layout is the one that shows the right numbers, though: the second used the
contents as evaluated at the end of the first pass, when the pages after it were not laid out
yet. Patched here: when a new pass lays out a page, each page-number lookup on it that does
not ask for ``pages`` (neither ``counter(pages)`` nor ``target-counter(…, pages)``) is told the
new total and evaluated again — with every target found so far — before the layout, not after
it. The page is then laid out twice, as it must, not three times. A lookup that asks for
``pages`` is left to WeasyPrint (tests/test_pagerefs.py). Pinned to the WeasyPrint versions of
justify.TESTED.
"""

from __future__ import annotations

import copy

_installed = False
weasyprint_make_page = None  # WeasyPrint's own, for the tests' comparison


def _wants_pages(lookup) -> bool:
    return "pages" in (lookup.missing_counters or ()) or any(
        "pages" in names for names in (lookup.missing_target_counters or {}).values())


def install() -> None:
    global _installed, weasyprint_make_page
    if _installed:
        return
    from . import justify

    justify.install()  # checks the WeasyPrint version
    from weasyprint.layout import page

    original = weasyprint_make_page = page.make_page

    def make_page(context, root_box, page_type, resume_at, page_number, page_state):
        total = page_state[1].get("pages")
        for (_, token), lookup in context.target_collector.counter_lookup_items.items():
            cached = lookup.cached_page_counter_values
            if (token == "content" and lookup.page_maker_index == page_number - 1
                    and "pages" in cached and cached["pages"] != total
                    and not _wants_pages(lookup)):
                cached["pages"] = copy.deepcopy(total)
                lookup.parse_again(cached)  # the targets found since, before the layout
        return original(context, root_box, page_type, resume_at, page_number, page_state)

    page.make_page = make_page
    _installed = True
