"""Delegation handouts: a PDF made for one visiting delegation, in Chinese or English.

load (data folder, profile, 招商项目, the delegation file) → compute (latest period's
figures, the industries' and the home region's portfolios) → HTML per section (Jinja, with
gettext for English) → WeasyPrint → one PDF → page marks (ReportLab) → write.

Each section is its own small document, so that a section common to several handouts — the
profile, the figures, an industry, the projects of one home region, an industry's
opportunity sheets — is laid out once per process and reused: its pages are combined with
each handout's own cover and contact page (``Document.copy(pages)``, see
../shared/docs/engine-notes.md). Everything that differs per handout or per copy on every
page — "仅供江苏省经贸代表团参阅", "第3份 / 共20份", the page number — is drawn by
ReportLab and stamped on afterwards (typeset/marks.py, pdf/stamp.py), which also keeps numbered
copies cheap: the layout is done once, each copy only gets its own marks.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Callable

from .. import ROOT
from ..data.handout import Delegation, HandoutData, load_handout_data
from ..errors import ReportError
from ..figures.completeness import check_period
from ..figures.compute import Period, compute, home_portfolio, industry_portfolio
from ..figures.fmt import Formatter
from ..figures.i18n import Names, translations
from ..pdf.output import write_outputs
from ..typeset.resources import print_profile_uri, roots
from ..typeset.theme import THEME

log = logging.getLogger("reports")
MAX_INVESTED_ROWS = 60  # rows of the home region's projects; the rest are counted
SPARSE = 0.35  # a chapter's last page used less than this: the next chapter follows on it
CACHED_SECTIONS = 24  # laid-out sections kept for reuse, least recently used dropped first


def _used(page) -> float:
    """How much of a laid-out page's content area its content fills (0–1), from the top: the
    height of the page's part of the root box."""
    box = page._page_box
    root = next((c for c in box.children if c.element_tag == "html"), None)
    if root is None or not box.height:
        return 1.0
    return (root.position_y + root.margin_height() - box.content_box_y()) / box.height


@dataclass
class Section:
    key: tuple | None  # None: this handout's own (not shared)
    template: str
    context: Callable[[], dict]  # called only when the section is laid out, not when reused


@dataclass
class Handout:
    delegation: Delegation
    files: list[Path]
    pages: int
    size: int  # bytes of one copy
    seconds: float
    extras: list = None  # the Word and OFD files beside it (--formats)


def output_stem(d: Delegation, print_variant: bool = False) -> str:
    return d.stem + ("-印刷版" if print_variant else "")


class Builder:
    """Builds handouts from one data folder; keeps laid-out shared sections for reuse."""

    def __init__(self, data_dir: Path, template_dir: Path | None = None,
                 period: Period | None = None, data: HandoutData | None = None,
                 print_variant: bool = False, formats=("pdf",)):
        from ..typeset.glyphs import verify_fonts

        verify_fonts()
        self.data_dir = Path(data_dir)
        self.template_dir = template_dir
        self.print_variant = print_variant  # PDF/X-4 for the print shop, as report build --print
        self.formats = tuple(formats)  # besides the PDF: "docx", "ofd" (products/office.py)
        self.data = data or load_handout_data(self.data_dir)
        ds = self.data.dataset
        for w in ds.warnings:
            log.warning(str(w))
        self.config = ds.config
        if period is None:
            latest = ds.latest_month()
            if latest is None:
                raise ReportError("数据中没有任何项目或到位资金，无法确定期间，请用 --period 指定。")
            period = Period(*latest)
        self.period = period
        for w in check_period(ds, period):
            log.warning(str(w))
        self.figures = compute(ds, period)
        self.roots = roots(self.data_dir, template_dir)
        self._envs: dict[str, object] = {}
        self._docs: OrderedDict[tuple, object] = OrderedDict()
        self.reused = 0  # sections taken from the cache (for the benchmark and tests)
        self.laid_out = 0

    # -- templates ---------------------------------------------------------------------
    def env(self, language: str):
        if language not in self._envs:
            from ..typeset.templating import environment

            display = self.config.display
            fmt = Formatter("zh_CN" if language == "zh" else "en", display.rounding,
                            display.amount_decimals, display.percent_decimals, display.grouping)
            self._envs[language] = environment(fmt, self.template_dir, html=True, i18n=True,
                                               translations=translations(language))
        return self._envs[language]

    @cached_property
    def css(self) -> str:
        """The stylesheet, rendered once (the renderer parses it once per process too)."""
        from ..typeset.templating import render_template
        from ..typeset.theme import PrintTheme

        return render_template(self.env("zh"), "css/handout.css",
                               theme=PrintTheme() if self.print_variant else THEME,
                               icc_profile=print_profile_uri(self.config)
                               if self.print_variant else "")

    def fetcher(self):
        from ..typeset.render import RestrictedFetcher

        return RestrictedFetcher(self.roots)

    def warm(self, english: bool = True) -> None:
        """Import WeasyPrint and everything else a handout needs, parse the stylesheet with
        its fonts and read the catalogues — once, before forking workers (which share it) and
        before any time limit (which must not interrupt an import); with ``english``, also the
        pinyin dictionaries English names may need (0.2 s and 55 MB: not for a Chinese batch)."""
        from ..pdf import press, stamp  # noqa: F401
        from ..typeset import marks, qr  # noqa: F401
        from ..typeset.render import warm
        from ..typeset.rlfonts import register_fonts

        warm(self.css, ROOT, self.fetcher())
        register_fonts()
        qr.svg_data_uri("https://example.org/")  # imports segno
        for language in ("zh", "en"):
            self.env(language)
        if english:
            from ..figures.english import warm as warm_english

            warm_english()

    # -- what goes in ------------------------------------------------------------------
    def offers(self, d: Delegation, industry: str) -> list:
        return [o for o in self.data.opportunities if o.industry == industry
                and (not d.regions or o.region in d.regions)]

    @cached_property
    def _qr(self) -> str | None:
        from ..typeset.qr import svg_data_uri

        website = self.config.handout.website
        return svg_data_uri(website) if website else None

    def sections(self, d: Delegation) -> list[Section]:
        """The handout's sections after the cover, in order. Shared ones have a key naming
        everything their content depends on; their contents are worked out only when a
        section is laid out, not each time it is reused."""
        from ..data.places import province_of

        lang, regions = d.language, d.regions
        ds, f, profile = self.data.dataset, self.figures, self.data.profile
        offers = {industry: self.offers(d, industry) for industry in d.industries}
        rows = {r.name: r for r in f.industries}
        home = province_of(d.home) or d.home  # 浙江 and 浙江省: one section

        def industry_section(industry):
            return Section(("industry", industry, regions, lang), "handout/industry.html",
                           lambda: {"industry": industry, "row": rows.get(industry),
                                    "portfolio": industry_portfolio(ds, self.period, industry),
                                    "text": profile.industries.get(industry, ("", "")),
                                    "offers": offers[industry], "regions": regions,
                                    "offers_total": sum((o.investment for o in offers[industry]
                                                         if o.investment is not None),
                                                        Decimal(0))})

        chosen = tuple(i for i in d.industries if offers[i])
        profile_given = bool(profile.intro or profile.advantages or profile.figures)
        return [
            *([Section(("profile", lang), "handout/profile.html", lambda: {"profile": profile})]
              if profile_given else []),
            Section(("figures", lang), "handout/figures.html", dict),
            *map(industry_section, d.industries),
            Section(("invested", home, lang), "handout/invested.html",
                    lambda: {"home": home, "portfolio": home_portfolio(ds, self.period, home),
                             "max_rows": MAX_INVESTED_ROWS}),
            *([Section(("offers", chosen, regions, lang), "handout/offers.html",
                       lambda: {"groups": [(i, offers[i]) for i in chosen]})] if chosen else []),
            Section(("contact", d.contact, lang), "handout/contact.html",
                    lambda: {"contact": d.contact, "qr": self._qr}),
        ]

    def _context(self, language: str, **extra) -> dict:
        return dict(f=self.figures, cfg=self.config, theme=THEME, lang=language,
                    names=Names(self.config, language), bare=False, **extra)

    def _html(self, section: Section, language: str, bare: bool = False) -> str:
        from ..typeset.templating import render_template

        context = self._context(language, **section.context())
        context["bare"] = bare
        return render_template(self.env(language), section.template, **context)

    def _run_html(self, run: list[Section], language: str) -> str:
        """Chapters laid out as one document, each after the other (not each on a new page)."""
        from markupsafe import Markup

        from ..typeset.templating import render_template

        chapters = [Markup(self._html(s, language, bare=True)) for s in run]
        return render_template(self.env(language), "handout/run.html",
                               **self._context(language, chapters=chapters))

    def _layout(self, html: str):
        from ..typeset.render import render

        return render(html, ROOT, self.fetcher(), self.css)

    def document(self, run: list[Section] | Section, language: str):
        """The laid-out section (or run of chapters laid out together), from the cache when
        another handout had the same one."""
        run = [run] if isinstance(run, Section) else run
        key = tuple(s.key for s in run) if all(s.key is not None for s in run) else None
        if key is not None and key in self._docs:
            self.reused += 1
            self._docs.move_to_end(key)
            return self._docs[key]
        html = self._html(run[0], language) if len(run) == 1 else self._run_html(run, language)
        from ..typeset import glyphs

        glyphs.check([], html)
        doc = self._layout(html)
        self.laid_out += 1
        if key is not None:
            self._docs[key] = doc
            while len(self._docs) > CACHED_SECTIONS:  # the least recently used goes: a
                self._docs.popitem(last=False)  # long batch stays flat in memory
        return doc

    def flowing(self, sections: list[Section], language: str) -> list:
        """The chapters laid out, each starting a new page — except after a chapter whose
        last page would stand nearly empty (less than ``SPARSE`` of it used: a table's last
        rows, a one-line chapter): the next chapter then follows it on that page, the two
        laid out as one document (and so on, while the last page stays nearly empty)."""
        docs, i = [], 0
        while i < len(sections):
            run = [sections[i]]
            doc = self.document(run, language)
            while i + len(run) < len(sections) and _used(doc.pages[-1]) < SPARSE:
                run.append(sections[i + len(run)])
                doc = self.document(run, language)
            docs.append(doc)
            i += len(run)
        return docs

    # -- one handout -------------------------------------------------------------------
    def check(self, d: Delegation) -> None:
        """Texts of the delegation file that ReportLab draws (the page marks) must be in
        the sans font; the rest is checked in the HTML."""
        from ..errors import Problem
        from ..typeset import glyphs

        texts = [d.name] + ([d.name_en] if d.name_en else [])
        glyphs.check([glyphs.Place(t, Problem("", file=d.file.name, field="名称"), "sans")
                      for t in texts])

    def render(self, d: Delegation) -> tuple[bytes, int]:
        """The handout's PDF without copy marks, and its page count."""
        from ..typeset.render import to_pdf

        self.check(d)
        docs = self.flowing(self.sections(d), d.language)
        contents, page = [], 2
        for doc in docs:
            for p in doc.pages:
                contents += [{"title": b[1], "page": page} for b in p.bookmarks if b[0] == 1]
                page += 1
        cover_pages = 1
        while True:  # the contents' page numbers count the cover's own pages
            shifted = [dict(c, page=c["page"] + cover_pages - 1) for c in contents]
            cover = self._layout(self._html(Section(None, "handout/cover.html", lambda: {
                "d": d, "contents": shifted, "delegation_name":
                    Names(self.config, d.language).addressee(d.name, d.name_en),
                # PDF/X writes "now" unless the document gives dates: the visit date
                "created": f"{d.visit_date.isoformat()}T00:00:00+00:00"
                if self.print_variant else None}), d.language))
            if len(cover.pages) == cover_pages:
                break
            cover_pages = len(cover.pages)
        pages = [p for doc in [cover, *docs] for p in doc.pages]
        if not self.print_variant:  # tagged, as the briefing (its marks become artifacts)
            return to_pdf(cover.copy(pages), tags=True), len(pages)
        from ..pdf.press import for_press
        from .briefing import PRINT_VARIANT

        from ..typeset.theme import THEME

        return for_press(to_pdf(cover.copy(pages), PRINT_VARIANT), slug_mm=THEME.slug), len(pages)

    def marks(self, d: Delegation, pages: int, copy: int | None) -> bytes:
        from ..typeset.marks import draw_marks

        gettext = translations(d.language)
        _ = gettext.gettext if gettext else (lambda s: s)
        name = Names(self.config, d.language).addressee(d.name, d.name_en, plain=True)
        watermark = _("仅供%(name)s参阅") % {"name": name}
        copy_text = (_("第%(n)d份 / 共%(total)d份") % {"n": copy, "total": d.copies}
                     if copy is not None else None)
        from ..typeset.theme import ink

        with ink("cmyk" if self.print_variant else "rgb"):
            return draw_marks(pages, watermark, copy_text)

    def copies(self, d: Delegation) -> tuple[list[tuple[str, bytes]], int]:
        """(file name, PDF) for every copy: one file, or one per numbered copy and all of them
        in one more (``…-全部N份.pdf``) for the printer."""
        from ..pdf.stamp import Stamp, stamp

        base, pages = self.render(d)
        stem = output_stem(d, self.print_variant)
        out, all_marks = [], []
        numbers = [None] if d.copies == 1 else range(1, d.copies + 1)
        width = len(str(d.copies))
        for n in numbers:
            marks = self.marks(d, pages, n)
            all_marks.append(marks)
            name = f"{stem}.pdf" if n is None else f"{stem}-第{n:0{width}d}份.pdf"
            out.append((name, self._pressed(stamp(base, [Stamp(i, marks, i, 0, 0)
                                                         for i in range(pages)]))))
        if len(out) > 1:  # and all of them in one file, for the printer: one job
            from ..pdf.stamp import copies_in_one

            out.append((f"{stem}-全部{d.copies}份.pdf",
                        self._pressed(copies_in_one(base, all_marks, pages))))
        single = out[0][1] if d.copies == 1 else None  # watermarked, no copy number
        return out + self.office(d, base, pages, single), pages

    def office(self, d: Delegation, base: bytes, pages: int,
               watermarked: bytes | None = None) -> list[tuple[str, bytes]]:
        """The Word and OFD files (``formats``): Word from the chapters' HTML, the cover's
        first; OFD from the PDF with its watermark and without a copy number (the single
        copy's own, ``watermarked``, when there is one)."""
        from .office import ofd, word

        out = []
        if "docx" in self.formats:
            cover = Section(None, "handout/cover.html", lambda: {
                "d": d, "contents": [], "created": None, "delegation_name":
                    Names(self.config, d.language).addressee(d.name, d.name_en)})
            html = [self._html(s, d.language) for s in [cover, *self.sections(d)]]
            out.append((output_stem(d) + ".docx", word(html)))
        if "ofd" in self.formats:
            if watermarked is None:
                from ..pdf.stamp import Stamp, stamp

                marks = self.marks(d, pages, None)
                watermarked = stamp(base, [Stamp(i, marks, i, 0, 0) for i in range(pages)])
            out.append((output_stem(d) + ".ofd", ofd(watermarked, d.visit_date.isoformat())))
        return out

    def _pressed(self, pdf: bytes) -> bytes:
        """A print copy's own content-derived IDs (its greys were made black ink once, in the
        base, and the marks are drawn in CMYK); a screen copy as it is."""
        if not self.print_variant:
            return pdf
        from ..pdf.press import for_press

        return for_press(pdf, black_ink=False)

    def build(self, d: Delegation, out_dir: Path) -> Handout:
        started = time.perf_counter()
        files, pages = self.copies(d)
        return self.write(d, out_dir, files, pages, started)

    def write(self, d: Delegation, out_dir: Path, files, pages: int, started: float) -> Handout:
        """Every copy's file, atomically, once all are made; the Word and OFD files beside
        them (``out/<stem>.docx``, ``.ofd``)."""
        from ..pdf.output import write_atomic

        pdfs = [(name, data) for name, data in files if name.endswith(".pdf")]
        paths = write_outputs(Path(out_dir), output_stem(d, self.print_variant), pdfs)
        extras = [write_atomic(Path(out_dir) / name, data) for name, data in files
                  if not name.endswith(".pdf")]
        return Handout(d, paths, pages, len(pdfs[0][1]), time.perf_counter() - started, extras)
