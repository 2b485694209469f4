"""The monthly briefing: load → validate → compute → glyph check → HTML → layout → PDF →
stamp the ReportLab pages in → write.

``build`` gathers and checks everything before it writes anything (as MkDocs builds do):
bad data, an uncovered character or a template error leave no file behind and earlier
outputs untouched; the PDF is written atomically.

Two cores: ``produce`` (data to HTML, then the ReportLab drawing of charts and ledger) runs
in a forked child (forked.py) while this process imports WeasyPrint, parses the stylesheet
and lays out; ``finish`` lays out, writes the PDF and stamps the drawing in
(typeset/placement.py).
"""

from __future__ import annotations

import calendar
import logging
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from .. import ROOT
from ..data.config import Config
from ..data.model import Dataset
from ..data.validate import load_dataset
from ..errors import Problem, ReportError, TemplateProblem, UsageError  # noqa: F401 (re-export)
from ..figures.completeness import check_period
from ..figures.compute import Figures, Period, compute
from ..figures.fmt import Formatter
from ..figures.ledger_cells import ledger_cells, ledger_shown, ledger_total_label
from ..pdf.output import write_atomic
from ..typeset.drawing import reportlab_parts
from ..typeset.resources import print_profile_uri, roots
from ..typeset.theme import THEME
from . import numbering
from .forked import Forked

log = logging.getLogger("reports")
PRINT_VARIANT = "pdf/x-4"  # report build --print


@dataclass
class Issue:
    year: int
    number: int
    date: date


@dataclass
class BuildResult:
    pdf: Path
    html: Path | None
    pages: int
    size: int
    seconds: float
    figures: Figures
    extras: list = None  # the .docx / .ofd written beside the PDF (--formats)


def output_name(cfg: Config, period: Period) -> str:
    return f"{cfg.file_name}-{period.year}年{period.month:02d}月.pdf"


def _text_places(ds: Dataset, f: Figures, charts: dict, data: bool = True):
    """Every piece of data text the briefing prints, with where it comes from. Text that
    ReportLab draws (the ledger, chart labels) must be in the sans alone."""
    from ..typeset.glyphs import Place

    if not data:
        return [Place(t, Problem("", file=f"图表“{c.title}”"), "sans")
                for c in charts.values() for t in c.labels]
    file, sheet = ds.table_files.get("projects", ("签约项目", None))
    columns = {"name": "项目名称", "investor": "投资方", "event": "签约活动", "origin": "投资方所在地"}
    listed = ledger_shown(f.ledger, ds.config.display.ledger_max_rows)
    in_ledger = {r.project.id for r in listed}
    places = []
    shown = {r.project.id: r.project for r in listed}
    shown.update({p.id: p for p in f.top_projects})
    for p in shown.values():
        for attr, column in columns.items():
            value = getattr(p, attr)
            if value:
                kind = "sans" if p.id in in_ledger and attr in ("name", "investor") else "any"
                places.append(Place(value, Problem("", file=file, sheet=sheet, row=p.row,
                                                   column=column), kind))
    cfg = ds.config
    config_texts = [cfg.briefing_name, cfg.publisher, cfg.internal_mark, *cfg.send_to,
                    *cfg.copy_to, cfg.province]
    places += [Place(t, Problem("", file=str(cfg.path.name))) for t in config_texts if t]
    # industries and areas appear in the ledger and the charts
    places += [Place(t, Problem("", file=str(cfg.path.name)), "sans")
               for t in (*cfg.industries, *(r.short for r in cfg.regions)) if t]
    return places


def stylesheet_text(env, cfg: Config, print_variant: bool = False) -> str:
    """The briefing's stylesheet. It depends on the config and the theme only (not on the
    figures), so it can be parsed — fonts and all — before the data is even loaded.
    ``print_variant``: colours in CMYK, bleed, crop marks, the output intent's profile."""
    from ..typeset import userfonts
    from ..typeset.templating import render_template
    from ..typeset.theme import PrintTheme

    return render_template(env, "css/briefing.css", cfg=cfg, face=userfonts.stacks(cfg),
                           theme=PrintTheme() if print_variant else THEME,
                           page_numbers=cfg.display.page_numbers,
                           icc_profile=print_profile_uri(cfg) if print_variant else "")


def print_name(name: str) -> str:
    return name.removesuffix(".pdf") + "-印刷版.pdf"


@dataclass
class Prepared:
    """Everything checked and computed, before any HTML: data, figures, charts, context."""

    dataset: Dataset
    figures: Figures
    context: dict
    env: object
    roots: list[Path]

    def html(self, toc: bool, ledger: dict | None = None, standalone: bool = False,
             stamp: bool = False) -> str:
        """``standalone``: with <base href> to the repository, so that the fonts load when
        the file is opened elsewhere (a browser, the Chromium benchmark)."""
        from ..typeset.templating import render_template

        if "charts" not in self.context:
            self.set_parts(reportlab_parts(self.figures, self.dataset.config)[0])
        context = dict(self.context, base_url=ROOT.as_uri() + "/" if standalone else None,
                       inline_css=standalone, stamp=stamp)
        return render_template(self.env, "briefing/base.html", toc=toc,
                               ledger=ledger or {"mode": "html"}, **context)

    def set_parts(self, charts: dict) -> None:
        """Charts made (maybe in another process): check their labels, add them."""
        from ..typeset import glyphs

        glyphs.check(_text_places(self.dataset, self.figures, charts, data=False))
        self.context["charts"] = charts

    def css(self) -> str:
        return stylesheet_text(self.env, self.dataset.config, self.print_variant)

    def colophon_page(self) -> str:
        from ..typeset.templating import render_template

        return render_template(self.env, "briefing/colophon-page.html", **self.context)

    def colophon_css(self) -> dict:
        from ..typeset.templating import render_template

        return {move: render_template(self.env, "css/colophon-move.css", bare=move == "bare")
                for move in ("even", "bare")}

    @property
    def print_variant(self) -> bool:
        return bool(self.context.get("print_variant"))


def prepare(data_dir: Path, period: Period | None = None, template_dir: Path | None = None,
            issue_number: int | None = None, issue_date: date | None = None,
            dataset: Dataset | None = None, print_variant: bool = False) -> Prepared:
    """load → validate → compute → charts → glyph check; raises before anything is written.
    ``dataset``: already loaded (and scoped to a job) by the caller. ``print_variant``: the
    print shop's PDF/X-4 (CMYK, bleed, crop marks)."""
    from ..typeset import glyphs
    from ..typeset.templating import environment

    data_dir = Path(data_dir)
    ds = dataset
    if ds is None:
        ds = load_dataset(data_dir)
        for w in ds.warnings:
            log.warning(str(w))
        for n in ds.notes:
            log.info(str(n))
    cfg = ds.config
    if period is None:
        latest = ds.latest_month()
        if latest is None:
            raise ReportError("数据中没有任何项目或到位资金，无法确定期间，请用 --period 指定。")
        period = Period(*latest)
    log.info("期间：%s；数据：%d个项目，%d行到位资金", period, len(ds.projects), len(ds.funds))
    if dataset is None:  # a job's data (monthly) was checked as a whole by the caller
        for w in check_period(ds, period):
            log.warning(str(w))
    figures = compute(ds, period)
    unbalanced = [c.name for c in figures.checks if not c.ok]
    if unbalanced:  # cannot happen with validated data; a wrong PDF is worse than none
        raise ReportError("内部勾稽不平：" + "、".join(unbalanced))
    glyphs.check(_text_places(ds, figures, {}))
    if issue_number is None:  # as report monthly numbers it (numbering.py)
        issue_number = numbering.issue_number(numbering.series_start(cfg), period.year,
                                              period.month)
        if issue_number is None:
            raise ReportError(f"错误：{period} 没有期号：{numbering.before_start(cfg.issue_start)}；"
                              "如确需生成，请用 --issue 指定期号")
    issue = Issue(period.year, issue_number,
                  issue_date or date(period.year, period.month,
                                     calendar.monthrange(period.year, period.month)[1]))
    env = environment(Formatter.from_config(cfg.display), template_dir, html=True)
    shown = ledger_shown(figures.ledger, cfg.display.ledger_max_rows)
    if len(shown) < len(figures.ledger):
        log.warning("附表共%d个项目，超过上限%d（[display] ledger_max_rows），只列签约金额最大的%d个",
                    len(figures.ledger), cfg.display.ledger_max_rows, len(shown))
    # PDF/X writes "now" unless the document gives dates: the issue date, so rebuilds match
    created = f"{issue.date.isoformat()}T00:00:00+00:00" if print_variant else None
    from ..typeset.userfonts import stacks

    context = dict(f=figures, cfg=cfg, theme=THEME, face=stacks(cfg), issue=issue,
                   print_variant=print_variant,
                   page_numbers=cfg.display.page_numbers, created=created,
                   base_url=None, ledger_rows=shown, correction=None,
                   ledger_total=ledger_total_label(figures, shown))
    return Prepared(ds, figures, context, env, roots(data_dir, template_dir))


@dataclass
class Rendered:
    html: Callable[[], str]  # the whole document as HTML, the ledger as an HTML table
    # (for --html and the benchmark's Chromium run), made only when asked for
    pdf: bytes
    pages: int
    extras: dict = None  # suffix → bytes: the Word and OFD files (products/office.py)


@dataclass
class Parts:
    """What the layout needs, made before it (possibly in another process): plain, picklable
    data — the HTML with and without the contents box, the stylesheet, where chart boxes and
    ledger pages go. The drawing itself (``Drawn``) follows separately."""

    figures: Figures
    config: Config
    css: str
    roots: list[Path]
    html_toc: str
    html_short: str
    charts: dict  # name → Chart (sizes; the PDF page order of the drawings)
    stamped: bool  # charts and ledger drawn by ReportLab, to be stamped in
    print_variant: bool = False  # PDF/X-4: CMYK, bleed, crop marks
    colophon_css: dict = None  # "even" / "bare" → the rules of the second pass (placement.py)
    colophon_page: str = ""  # the 版记 alone after a blank page (the "bare" case), as HTML
    issue_date: str = ""  # YYYY-MM-DD: the date of the OFD
    ledger_gap: int = 0  # ledger pages inserted after layout, not laid out (placement.py)


@dataclass
class Drawn:
    rl_pdf: bytes  # one page per chart, then the ledger's pages
    layout: object  # LedgerLayout, or None when the ledger is an HTML table
    standalone: dict  # toc → the whole document as HTML (for --html), when asked for
    docx: bytes = b""  # the Word document (products/office.py), made here beside the layout


def produce(prep: Prepared, engine: str = "reportlab", standalone: bool = False,
            office: bool = False):
    """Yields Parts — the moment the HTML is ready — then Drawn. With ReportLab typesetting
    the ledger, the page breaks come from the pure-Python pagination, so the HTML (one
    placeholder per ledger page, an empty box per chart) does not wait for ReportLab."""
    from ..typeset import glyphs
    from ..typeset.parts import chart_specs

    cfg = prep.dataset.config
    stamped = engine == "reportlab"
    html_ledger = {"mode": "html"}
    if stamped:
        from ..typeset.ledger import paginate
        from ..typeset.placement import gap_size, placeholders

        rows, total = ledger_cells(prep.figures, cfg, prep.context["ledger_rows"])
        pagination = paginate(rows, total, cfg.area_word)
        # the middle of a long ledger is inserted after layout; not for the print shop's
        # PDF/X, nor with "第N页 共M页" footers, whose total changes with every page
        gap = (gap_size(pagination.pages) if not prep.print_variant
               and cfg.display.page_numbers == "gongwen" else 0)
        prep.context["charts"] = chart_specs(prep.figures, cfg.area_word)
        ledger = {"mode": "placeholder", "pages": placeholders(pagination.layout())}
    else:
        if prep.print_variant:
            raise ReportError("错误：印刷版（--print）只能用 ReportLab 排附表（--ledger-engine reportlab）")
        charts, _, rl_pdf = reportlab_parts(prep.figures, cfg, svg=True)
        prep.set_parts(charts)
        ledger = html_ledger
    html_toc = prep.html(True, ledger=ledger, stamp=stamped)
    glyphs.check([], html_toc)
    from ..typeset import userfonts

    userfonts.check_headings(cfg, html_toc)
    html_short = prep.html(False, ledger=ledger, stamp=stamped)
    yield Parts(prep.figures, cfg, prep.css(), prep.roots, html_toc, html_short,
                prep.context["charts"], stamped, prep.print_variant, prep.colophon_css(),
                prep.colophon_page(), prep.context["issue"].date.isoformat(),
                gap if stamped else 0)

    layout = None
    if stamped:
        from ..typeset.theme import ink

        with ink("cmyk" if prep.print_variant else "rgb"):
            charts, layout, rl_pdf = reportlab_parts(prep.figures, cfg, pagination,
                                                     svg=standalone,
                                                     tagged=not prep.print_variant,
                                                     kit=bool(gap))
        prep.set_parts(charts)  # checks the chart labels
    pages = {toc: prep.html(toc, ledger=html_ledger, standalone=True)
             for toc in (True, False)} if standalone else {}
    docx = b""
    if office:  # from the HTML with the ledger as a table and the charts as boxes
        from .office import word

        docx = word(prep.html(False, ledger=html_ledger, stamp=True), rl_pdf,
                    prep.context["charts"])
    yield Drawn(rl_pdf, layout, pages, docx)


def finish(parts: Parts, stream, variant: str | None = None, attachments=(),
           formats=("pdf",)) -> Rendered:
    """Layout and PDF, with a table of contents when the briefing has more than
    TOC_MIN_PAGES pages (one layout in the usual case: the contents box first, dropped only
    for short briefings); then the ReportLab pages (``stream.next()``) stamped in."""
    from ..typeset.render import RestrictedFetcher, to_pdf
    from .layout import lay_out

    fetcher = RestrictedFetcher(parts.roots)
    document, toc, gap = lay_out(parts, fetcher, parts.ledger_gap)
    if parts.ledger_gap and gap is None:  # not as expected (a template's own footer, ...)
        log.info("附表中间的页面未能在排版后插入，改为全部排版")
        document, toc, gap = lay_out(parts, fetcher, 0)
    if parts.print_variant:
        variant = PRINT_VARIANT
    # tagged for screen readers (headings, paragraphs, tables, figures with their alt text),
    # all but the print shop's PDF/X
    pdf = to_pdf(document, variant, attachments, tags=not parts.print_variant,
                 mark=not parts.stamped)  # marked while stamping: one pass over the PDF
    from ..typeset.userfonts import check_fallback

    check_fallback(parts.config, pdf)  # before the drawing is stamped in: WeasyPrint's text
    anchors, pages = [page.anchors for page in document.pages], len(document.pages)
    del document  # its boxes freed before pikepdf's objects for the ledger's cells are made
    drawn = stream.next()
    stream.close()
    if parts.stamped:
        from ..typeset.placement import stamp_drawings

        pdf = stamp_drawings(pdf, anchors, parts.charts, drawn.layout, drawn.rl_pdf,
                             chart_alts(parts.html_toc), mark=True, gap=gap)
    if parts.print_variant:
        from ..pdf.press import for_press

        pdf = for_press(pdf, slug_mm=THEME.slug)
    from .office import ofd

    extras = {}
    if "docx" in formats:  # made by the worker while this process laid out
        extras[".docx"] = drawn.docx
    if "ofd" in formats:
        extras[".ofd"] = ofd(pdf, parts.issue_date)
    return Rendered(lambda: drawn.standalone.get(toc, ""), pdf,
                    pages + (gap.pages if gap else 0), extras)


def chart_alts(html: str) -> dict[str, str]:
    """Each chart box's alt text (templates/briefing/chart.html), by chart name."""
    import html as html_module
    import re

    return {m[1]: html_module.unescape(m[2])
            for m in re.finditer(r'id="chart-([\w-]+)" alt="([^"]*)"', html)}


def render_briefing(prep: Prepared, variant: str | None = None, attachments=(),
                    engine: str = "reportlab", standalone: bool = False,
                    formats=("pdf",)) -> Rendered:
    """A prepared briefing to PDF (and the ``formats`` beside it: Rendered.extras). Two
    cores, two engines: the HTML, then the ReportLab drawing, in a forked worker while this
    process parses the stylesheet, lays out, writes."""
    from ..typeset.glyphs import verify_fonts
    from ..typeset.render import RestrictedFetcher, warm

    verify_fonts()
    stream = Forked(produce, prep, engine, standalone, "docx" in formats)
    try:
        warm(prep.css(), ROOT, RestrictedFetcher(prep.roots))
        return finish(stream.next(), stream, variant, attachments, formats)
    except BaseException:
        stream.close(kill=True)
        raise
    finally:
        stream.close()


def _prepare_and_produce(data_dir, period, template_dir, issue_number, issue_date, engine,
                         standalone, print_variant=False, office=False):
    prep = prepare(data_dir, period, template_dir, issue_number, issue_date,
                   print_variant=print_variant)
    yield from produce(prep, engine, standalone, office)


def build(data_dir: Path, period: Period | None = None, out_dir: Path = Path("out"),
          template_dir: Path | None = None, write_html: bool = False,
          issue_number: int | None = None, issue_date: date | None = None,
          engine: str = "reportlab", timeout: float | None = None,
          print_variant: bool = False, formats=("pdf",)) -> BuildResult:
    """One briefing. From the first moment the two cores work side by side: a forked child
    loads, validates and computes the data, draws the charts and the ledger (ReportLab) and
    renders the HTML; this process meanwhile imports WeasyPrint and parses the stylesheet
    with its fonts, which depend on the config alone. Then layout, PDF, stamping, write.
    ``timeout``: seconds until everything before the write is given up (limits.Timeout).
    ``formats``: besides the PDF, "docx" and "ofd" (products/office.py), written beside it."""
    from ..data.config import load_config
    from ..typeset.glyphs import verify_fonts
    from ..typeset.templating import environment
    from .limits import deadline

    from .office import parse_formats

    started = time.perf_counter()
    formats = parse_formats(formats)
    if print_variant and formats != ("pdf",):
        raise UsageError("错误：印刷版（--print）只输出 PDF/X；Word 和 OFD 请在普通版中生成")
    verify_fonts()
    cfg = load_config(data_dir)
    stream = Forked(_prepare_and_produce, data_dir, period, template_dir, issue_number,
                     issue_date, engine, write_html, print_variant, "docx" in formats)
    try:
        # imports WeasyPrint meanwhile; outside the time limit, which must not interrupt an
        # import (a half-imported module stays broken for the rest of the process)
        from ..typeset.render import RestrictedFetcher, warm

        with deadline(timeout, "生成简报"):
            env = environment(Formatter.from_config(cfg.display), template_dir, html=True)
            warm(stylesheet_text(env, cfg, print_variant), ROOT,
                 RestrictedFetcher(roots(data_dir, template_dir)))
            parts = stream.next()
            rendered = finish(parts, stream, formats=formats)
    except BaseException:
        stream.close(kill=True)
        raise
    finally:
        stream.close()
    target = Path(out_dir) / output_name(parts.config, parts.figures.period)
    if print_variant:
        target = target.with_name(print_name(target.name))
    html_path = None
    if write_html:
        html_path = write_atomic(target.with_suffix(".html"), rendered.html().encode("utf-8"))
    extras = [write_atomic(target.with_suffix(suffix), data)
              for suffix, data in rendered.extras.items()]
    write_atomic(target, rendered.pdf)
    return BuildResult(target, html_path, rendered.pages, len(rendered.pdf),
                       time.perf_counter() - started, parts.figures, extras)
