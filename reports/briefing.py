"""The monthly briefing: load → validate → compute → charts → HTML → glyph check → PDF → write.

``build`` gathers and checks everything before it writes anything (as MkDocs builds do):
bad data, an uncovered character or a template error leave no file behind and earlier
outputs untouched; the PDF is written atomically.
"""

from __future__ import annotations

import calendar
import logging
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .compute import Figures, Period, compute
from .config import Config
from .errors import Problem, ReportError, TemplateProblem  # noqa: F401 (re-export)
from .fmt import Formatter
from .model import Dataset
from .output import write_atomic
from .theme import ROOT, THEME
from .validate import load_dataset

log = logging.getLogger("reports")
TOC_MIN_PAGES = 8  # a table of contents when the briefing has more pages than this


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


def output_name(cfg: Config, period: Period) -> str:
    return f"{cfg.file_name}-{period.year}年{period.month:02d}月.pdf"


def _charts(f: Figures, fmt: Formatter, cfg: Config) -> dict:
    from . import charts

    return {
        "regions": charts.regions_chart([r.short for r in f.regions],
                                        [r.signed.value for r in f.regions],
                                        [r.funds.value for r in f.regions], fmt,
                                        area_word=cfg.area_word),
        "industries": charts.industries_chart([r.name for r in f.industries],
                                              [r.share_signed for r in f.industries], fmt),
        "trend": charts.trend_chart([t.this_year for t in f.trend],
                                    [t.last_year for t in f.trend], f.period.year, fmt),
    }


def _text_places(ds: Dataset, f: Figures, charts: dict):
    """Every piece of data text the briefing prints, with where it comes from."""
    from .glyphs import Place

    file, sheet = ds.table_files.get("projects", ("签约项目", None))
    columns = {"name": "项目名称", "investor": "投资方", "event": "签约活动", "origin": "投资方所在地"}
    places = []
    shown = {r.project.id: r.project for r in f.ledger}
    shown.update({p.id: p for p in f.top_projects})
    for p in shown.values():
        for attr, column in columns.items():
            value = getattr(p, attr)
            if value:
                places.append(Place(value, Problem("", file=file, sheet=sheet, row=p.row,
                                                   column=column)))
    cfg = ds.config
    config_texts = [cfg.briefing_name, cfg.publisher, cfg.internal_mark, *cfg.send_to,
                    *cfg.copy_to, cfg.province, *cfg.industries,
                    *(r.short for r in cfg.regions)]
    places += [Place(t, Problem("", file=str(cfg.path.name))) for t in config_texts if t]
    for chart in charts.values():
        places += [Place(t, Problem("", file=f"图表“{chart.title}”")) for t in chart.labels]
    return places


@dataclass
class Prepared:
    """Everything checked and computed, before any HTML: data, figures, charts, context."""

    dataset: Dataset
    figures: Figures
    context: dict
    env: object
    roots: list[Path]

    def html(self, toc: bool) -> str:
        from .templating import render_template

        return render_template(self.env, "briefing/base.html", toc=toc, **self.context)


def prepare(data_dir: Path, period: Period | None = None, template_dir: Path | None = None,
            issue_number: int | None = None, issue_date: date | None = None,
            dataset: Dataset | None = None) -> Prepared:
    """load → validate → compute → charts → glyph check; raises before anything is written.
    ``dataset``: already loaded (and scoped to a job) by the caller."""
    from . import glyphs
    from .templating import environment

    data_dir = Path(data_dir)
    ds = dataset
    if ds is None:
        ds = load_dataset(data_dir)
        for w in ds.warnings:
            log.warning(str(w))
    cfg = ds.config
    if period is None:
        latest = ds.latest_month()
        if latest is None:
            raise ReportError("数据中没有任何项目或到位资金，无法确定期间，请用 --period 指定。")
        period = Period(*latest)
    log.info("期间：%s；数据：%d个项目，%d行到位资金", period, len(ds.projects), len(ds.funds))
    figures = compute(ds, period)
    unbalanced = [c.name for c in figures.checks if not c.ok]
    if unbalanced:  # cannot happen with validated data; a wrong PDF is worse than none
        raise ReportError("内部勾稽不平：" + "、".join(unbalanced))
    fmt = Formatter.from_config(cfg.display)
    charts = _charts(figures, fmt, cfg)
    glyphs.check(_text_places(ds, figures, charts))
    issue = Issue(period.year, issue_number or cfg.issue_number or period.month,
                  issue_date or date(period.year, period.month,
                                     calendar.monthrange(period.year, period.month)[1]))
    env = environment(fmt, template_dir, html=True)
    context = dict(f=figures, cfg=cfg, theme=THEME, charts=charts, issue=issue,
                   page_numbers=cfg.display.page_numbers, created=None)
    roots = [ROOT / "fonts", ROOT / "templates", data_dir / "assets"]
    if template_dir:
        roots.append(Path(template_dir))
    return Prepared(ds, figures, context, env, roots)


def render_briefing(prep: Prepared):
    """HTML and the laid-out document, with a table of contents when it has more than
    TOC_MIN_PAGES pages (one layout in the usual case: the contents box first)."""
    from . import glyphs
    from .render import RestrictedFetcher, render

    def make(toc: bool):
        html = prep.html(toc)
        return html, render(html, ROOT, RestrictedFetcher(prep.roots))

    html, document = make(toc=True)
    glyphs.check([], html)
    if len(document.pages) <= TOC_MIN_PAGES + 1:  # short: try without the contents box
        html_short, doc_short = make(toc=False)
        if len(doc_short.pages) <= TOC_MIN_PAGES:
            html, document = html_short, doc_short
    return html, document


def build(data_dir: Path, period: Period | None = None, out_dir: Path = Path("out"),
          template_dir: Path | None = None, write_html: bool = False,
          issue_number: int | None = None, issue_date: date | None = None) -> BuildResult:
    from .render import to_pdf

    started = time.perf_counter()
    prep = prepare(data_dir, period, template_dir, issue_number, issue_date)
    html, document = render_briefing(prep)
    pdf = to_pdf(document)

    figures = prep.figures
    target = Path(out_dir) / output_name(prep.dataset.config, figures.period)
    html_path = None
    if write_html:
        html_path = write_atomic(target.with_suffix(".html"), html.encode("utf-8"))
    write_atomic(target, pdf)
    return BuildResult(target, html_path, len(document.pages), len(pdf),
                       time.perf_counter() - started, figures)
