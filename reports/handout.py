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
ReportLab and stamped on afterwards (marks.py, assemble.py), which also keeps numbered
copies cheap: the layout is done once, each copy only gets its own marks.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Callable

from .compute import Period, compute, home_portfolio, industry_portfolio
from .errors import DataError, ReportError
from .fmt import Formatter
from .handout_data import Delegation, HandoutData, load_delegation, load_handout_data
from .i18n import Names, translations
from .output import write_atomic
from .theme import ROOT, THEME

log = logging.getLogger("reports")
MAX_INVESTED_ROWS = 60  # rows of the home region's projects; the rest are counted


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


def output_stem(d: Delegation, print_variant: bool = False) -> str:
    return d.stem + ("-印刷版" if print_variant else "")


class Builder:
    """Builds handouts from one data folder; keeps laid-out shared sections for reuse."""

    def __init__(self, data_dir: Path, template_dir: Path | None = None,
                 period: Period | None = None, data: HandoutData | None = None,
                 print_variant: bool = False):
        from .glyphs import verify_fonts

        verify_fonts()
        self.data_dir = Path(data_dir)
        self.template_dir = template_dir
        self.print_variant = print_variant  # PDF/X-4 for the print shop, as report build --print
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
        self.figures = compute(ds, period)
        from .briefing import _roots

        self.roots = _roots(self.data_dir, template_dir)
        self._envs: dict[str, object] = {}
        self._docs: dict[tuple, object] = {}
        self.reused = 0  # sections taken from the cache (for the benchmark and tests)
        self.laid_out = 0

    # -- templates ---------------------------------------------------------------------
    def env(self, language: str):
        if language not in self._envs:
            from .templating import environment

            display = self.config.display
            fmt = Formatter("zh_CN" if language == "zh" else "en", display.rounding,
                            display.amount_decimals, display.percent_decimals, display.grouping)
            self._envs[language] = environment(fmt, self.template_dir, html=True, i18n=True,
                                               translations=translations(language))
        return self._envs[language]

    @cached_property
    def css(self) -> str:
        """The stylesheet, rendered once (the renderer parses it once per process too)."""
        from .briefing import print_profile
        from .templating import render_template
        from .theme import PrintTheme

        return render_template(self.env("zh"), "css/handout.css",
                               theme=PrintTheme() if self.print_variant else THEME,
                               icc_profile=print_profile(self.config).as_uri())

    def fetcher(self):
        from .render import RestrictedFetcher

        return RestrictedFetcher(self.roots)

    def warm(self) -> None:
        """Import WeasyPrint and everything else a handout needs, parse the stylesheet with
        its fonts and read the catalogues — once, before forking workers (which share it) and
        before any time limit (which must not interrupt an import)."""
        from . import assemble, marks, qr  # noqa: F401
        from .render import warm
        from .rlfonts import register_fonts

        warm(self.css, ROOT, self.fetcher())
        register_fonts()
        qr.svg_data_uri("https://example.org/")  # imports segno
        for language in ("zh", "en"):
            self.env(language)

    # -- what goes in ------------------------------------------------------------------
    def offers(self, d: Delegation, industry: str) -> list:
        return [o for o in self.data.opportunities if o.industry == industry
                and (not d.regions or o.region in d.regions)]

    @cached_property
    def _qr(self) -> str | None:
        from .qr import svg_data_uri

        website = self.config.handout.website
        return svg_data_uri(website) if website else None

    def sections(self, d: Delegation) -> list[Section]:
        """The handout's sections after the cover, in order. Shared ones have a key naming
        everything their content depends on; their contents are worked out only when a
        section is laid out, not each time it is reused."""
        from .validate import province_of

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

        def offers_section(industry):
            return Section(("offers", industry, regions, lang), "handout/offers.html",
                           lambda: {"industry": industry, "offers": offers[industry]})

        return [
            Section(("profile", lang), "handout/profile.html", lambda: {"profile": profile}),
            Section(("figures", lang), "handout/figures.html", dict),
            *map(industry_section, d.industries),
            Section(("invested", home, lang), "handout/invested.html",
                    lambda: {"home": home, "portfolio": home_portfolio(ds, self.period, home),
                             "max_rows": MAX_INVESTED_ROWS}),
            *(offers_section(i) for i in d.industries if offers[i]),
            Section(("contact", d.contact, lang), "handout/contact.html",
                    lambda: {"contact": d.contact, "qr": self._qr}),
        ]

    def _context(self, language: str, **extra) -> dict:
        return dict(f=self.figures, cfg=self.config, theme=THEME, lang=language,
                    names=Names(self.config, language), **extra)

    def _html(self, section: Section, language: str) -> str:
        from .templating import render_template

        return render_template(self.env(language), section.template,
                               **self._context(language, **section.context()))

    def _layout(self, html: str):
        from .render import render

        return render(html, ROOT, self.fetcher(), self.css)

    def document(self, section: Section, language: str):
        """The laid-out section, from the cache when another handout had the same one."""
        if section.key is not None and section.key in self._docs:
            self.reused += 1
            return self._docs[section.key]
        html = self._html(section, language)
        from . import glyphs

        glyphs.check([], html)
        doc = self._layout(html)
        self.laid_out += 1
        if section.key is not None:
            self._docs[section.key] = doc
        return doc

    # -- one handout -------------------------------------------------------------------
    def check(self, d: Delegation) -> None:
        """Texts of the delegation file that ReportLab draws (the page marks) must be in
        the sans font; the rest is checked in the HTML."""
        from . import glyphs
        from .errors import Problem

        texts = [d.name] + ([d.name_en] if d.name_en else [])
        glyphs.check([glyphs.Place(t, Problem("", file=d.file.name, field="名称"), "sans")
                      for t in texts])

    def render(self, d: Delegation) -> tuple[bytes, int]:
        """The handout's PDF without copy marks, and its page count."""
        from .render import to_pdf

        self.check(d)
        docs = [self.document(s, d.language) for s in self.sections(d)]
        contents, page = [], 2
        for doc in docs:
            label = next((b[1] for b in doc.pages[0].bookmarks if b[0] == 1), None)
            if label:
                contents.append({"title": label, "page": page})
            page += len(doc.pages)
        cover_pages = 1
        while True:  # the contents' page numbers count the cover's own pages
            shifted = [dict(c, page=c["page"] + cover_pages - 1) for c in contents]
            cover = self._layout(self._html(Section(None, "handout/cover.html", lambda: {
                "d": d, "contents": shifted, "delegation_name":
                    Names(self.config, d.language).text(d.name, d.name_en),
                # PDF/X writes "now" unless the document gives dates: the visit date
                "created": f"{d.visit_date.isoformat()}T00:00:00+00:00"
                if self.print_variant else None}), d.language))
            if len(cover.pages) == cover_pages:
                break
            cover_pages = len(cover.pages)
        pages = [p for doc in [cover, *docs] for p in doc.pages]
        if not self.print_variant:
            return to_pdf(cover.copy(pages)), len(pages)
        from .assemble import for_press
        from .briefing import PRINT_VARIANT

        return for_press(to_pdf(cover.copy(pages), PRINT_VARIANT)), len(pages)

    def marks(self, d: Delegation, pages: int, copy: int | None) -> bytes:
        from .marks import draw_marks

        gettext = translations(d.language)
        _ = gettext.gettext if gettext else (lambda s: s)
        name = Names(self.config, d.language).plain(d.name, d.name_en)
        watermark = _("仅供%(name)s参阅") % {"name": name}
        copy_text = (_("第%(n)d份 / 共%(total)d份") % {"n": copy, "total": d.copies}
                     if copy is not None else None)
        from .theme import ink

        with ink("cmyk" if self.print_variant else "rgb"):
            return draw_marks(pages, watermark, copy_text)

    def copies(self, d: Delegation) -> tuple[list[tuple[str, bytes]], int]:
        """(file name, PDF) for every copy: one file, or one per numbered copy."""
        from .assemble import Stamp, stamp

        base, pages = self.render(d)
        stem = output_stem(d, self.print_variant)
        out = []
        numbers = [None] if d.copies == 1 else range(1, d.copies + 1)
        width = len(str(d.copies))
        for n in numbers:
            marks = self.marks(d, pages, n)
            pdf = stamp(base, [Stamp(i, marks, i, 0, 0) for i in range(pages)])
            if self.print_variant:
                from .assemble import for_press

                # the copy's own content-derived IDs; its greys were made black ink once, in
                # the base, and the marks are drawn in CMYK
                pdf = for_press(pdf, black_ink=False)
            name = f"{stem}.pdf" if n is None else f"{stem}-第{n:0{width}d}份.pdf"
            out.append((name, pdf))
        return out, pages

    def build(self, d: Delegation, out_dir: Path) -> Handout:
        started = time.perf_counter()
        files, pages = self.copies(d)
        return self.write(d, out_dir, files, pages, started)

    def write(self, d: Delegation, out_dir: Path, files, pages: int, started: float) -> Handout:
        """Every copy's file, atomically, once all are made."""
        paths = write_outputs(Path(out_dir), output_stem(d, self.print_variant), files)
        return Handout(d, paths, pages, len(files[0][1]), time.perf_counter() - started)


def write_outputs(out_dir: Path, stem: str, files: list[tuple[str, bytes]]) -> list[Path]:
    """One copy: ``out/<stem>.pdf``. Numbered copies: the folder ``out/<stem>/``, replaced as a
    whole (written beside it, then swapped), so it never holds copies of two runs. Whichever
    form an earlier run left is removed only after the new one is in place."""
    from .output import OutputError, describe

    try:
        return _write_outputs(out_dir, stem, files)
    except OSError as exc:  # the folder swap; each file's own write reports itself
        raise OutputError(describe(exc, out_dir / stem)) from None


def _write_outputs(out_dir: Path, stem: str, files: list[tuple[str, bytes]]) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    single, folder = out_dir / f"{stem}.pdf", out_dir / stem
    if len(files) == 1 and files[0][0] == single.name:
        path = write_atomic(single, files[0][1])
        if folder.is_dir():
            shutil.rmtree(folder)
        return [path]
    tmp = Path(tempfile.mkdtemp(prefix=f".{stem}.", suffix=".tmp", dir=out_dir))
    try:
        paths = [write_atomic(tmp / name, data) for name, data in files]
        old = None
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{stem}.", suffix=".old", dir=out_dir))
            os.rename(folder, old / "x")
        os.rename(tmp, folder)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if single.exists():
        single.unlink()
    return [folder / p.name for p in paths]


# -- batches ---------------------------------------------------------------------------------
@dataclass
class Outcome:
    file: Path
    ok: bool
    message: str
    handout: Handout | None = None
    bad_input: bool = False


@dataclass
class BatchResult:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    laid_out: int = 0
    reused: int = 0

    @property
    def exit_code(self) -> int:
        failed = [o for o in self.outcomes if not o.ok]
        if not failed:
            return 0
        return 2 if all(o.bad_input for o in failed) else 1


_BUILDER: Builder | None = None
_OUT: Path | None = None
_TIMEOUT: float | None = None


def _one(item: tuple[int, Delegation]) -> tuple[int, Outcome, int, int]:
    """Build one handout in this process (a pool worker, or the parent)."""
    from .limits import deadline

    index, d = item
    b = _BUILDER
    before = (b.laid_out, b.reused)
    try:
        started = time.perf_counter()
        with deadline(_TIMEOUT, f"{d.file.name} 的生成"):
            files, pages = b.copies(d)
        h = b.write(d, _OUT, files, pages, started)
        outcome = Outcome(d.file, True, f"{len(h.files)}个文件，{h.pages}页，"
                          f"{h.size / 1024:.0f} KB，{h.seconds:.1f} 秒", h)
    except DataError as exc:
        outcome = Outcome(d.file, False, "\n".join(map(str, exc.problems)), bad_input=True)
    except ReportError as exc:
        outcome = Outcome(d.file, False, str(exc), bad_input=exc.exit_code == 2)
    except Exception as exc:  # one broken handout must not stop the others
        log.exception("%s 失败", d.file.name)
        outcome = Outcome(d.file, False, f"{type(exc).__name__}: {exc}")
    return index, outcome, b.laid_out - before[0], b.reused - before[1]


def _gather(finished, outcomes: dict, result: BatchResult, done: int, total: int,
            progress) -> int:
    """Record each handout's outcome as it finishes (in a worker or here)."""
    for index, outcome, laid, reused in finished:
        outcomes[index] = outcome
        result.laid_out += laid
        result.reused += reused
        done += 1
        if progress:
            progress(done, total, outcome)
    return done


def build_all(data_dir: Path, paths: list[Path], out_dir: Path,
              template_dir: Path | None = None, period: Period | None = None,
              workers: int | None = None, progress=None,
              timeout: float | None = None, print_variant: bool = False) -> BatchResult:
    """Every delegation file: bad files are reported and skipped, the others built on
    ``workers`` processes (default: the cores), sharing the data, the fonts and the parsed
    stylesheet (forked after loading), each reusing the sections it has laid out.
    ``progress(done, total, outcome)`` is called as each finishes."""
    global _BUILDER, _OUT, _TIMEOUT
    from .handout_data import delegation_files

    started = time.perf_counter()
    result = BatchResult()
    builder = Builder(data_dir, template_dir, period, print_variant=print_variant)
    delegations: list[tuple[int, Delegation]] = []
    files = delegation_files(paths)
    if not files:
        raise ReportError(f"没有找到代表团文件（.yaml）：{'、'.join(map(str, paths))}", )
    outcomes: dict[int, Outcome] = {}
    for i, path in enumerate(files):
        try:
            delegations.append((i, load_delegation(path, builder.config)))
        except DataError as exc:
            outcomes[i] = Outcome(path, False, "\n".join(map(str, exc.problems)), bad_input=True)
        except ReportError as exc:
            outcomes[i] = Outcome(path, False, str(exc), bad_input=exc.exit_code == 2)
    total, done = len(files), 0
    for o in outcomes.values():
        done += 1
        if progress:
            progress(done, total, o)
    # similar handouts next to each other: a worker then meets sections it has laid out
    delegations.sort(key=lambda item: (item[1].language, item[1].industries, item[1].regions,
                                       item[1].home))
    builder.warm()
    _BUILDER, _OUT, _TIMEOUT = builder, Path(out_dir), timeout
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    workers = max(1, min(workers, len(delegations)))
    try:
        if workers > 1 and hasattr(os, "fork"):
            import multiprocessing

            with multiprocessing.get_context("fork").Pool(workers) as pool:
                finished = pool.imap_unordered(_one, delegations)
                done = _gather(finished, outcomes, result, done, total, progress)
        else:
            done = _gather(map(_one, delegations), outcomes, result, done, total, progress)
    finally:
        _BUILDER = _OUT = _TIMEOUT = None
    result.outcomes = [outcomes[i] for i in sorted(outcomes)]
    result.seconds = time.perf_counter() - started
    return result
