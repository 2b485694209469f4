"""The terminal: the ``report figures`` view (the overview prose and the main tables), the
``report check`` and ``report list`` tables, and the progress bar of the long commands. The
only module that imports rich."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from ..data.config import Config
    from ..figures.compute import Figures


def show_figures(f: Figures, cfg: Config, console: Console | None = None) -> None:
    from ..figures.fmt import Formatter
    from ..typeset.templating import environment, render_text

    console = console or Console()
    fmt = Formatter.from_config(cfg.display)
    env = environment(fmt)
    console.print(render_text(env, "text/figures.j2", f=f, cfg=cfg), highlight=False, markup=False,
                  soft_wrap=True)  # the terminal wraps; rich would split 83.3% across lines

    def table(title, columns):
        t = Table(title=title, title_justify="left", caption="金额单位：亿元",
                  caption_justify="left")
        for i, c in enumerate(columns):
            text = i == 0 or c in ("市州", "产业")
            t.add_column(c, justify="left" if text else "right", no_wrap=True,
                         min_width=6 if i == 0 else None)
        return t

    t = table("分市州情况", ["市州", "项目", "签约额", "同比", "完成率", "位次", "到位资金", "同比",
                        "完成率"])
    for r in f.regions:
        t.add_row(r.short, fmt.number(r.projects), fmt.amount_in(r.signed.value),
                  fmt.signed_percent(r.signed.growth), fmt.percent(r.signed.completion, trim=False),
                  fmt.number(r.rank_signed), fmt.amount_in(r.funds.value),
                  fmt.signed_percent(r.funds.growth), fmt.percent(r.funds.completion, trim=False))
    t.add_row("合计", fmt.number(f.signed_projects.value), fmt.amount_in(f.signed.value),
              fmt.signed_percent(f.signed.growth), fmt.percent(f.signed.completion, trim=False), "",
              fmt.amount_in(f.funds.value), fmt.signed_percent(f.funds.growth),
              fmt.percent(f.funds.completion, trim=False))
    console.print(t)

    t = table("分产业情况", ["产业", "项目", "签约额", "占比", "到位资金"])
    for r in f.industries:
        t.add_row(r.name, fmt.number(r.projects), fmt.amount_in(r.signed),
                  fmt.percent(r.share_signed, trim=False), fmt.amount_in(r.funds))
    console.print(t)

    t = table("重点企业", ["类别", "项目", "企业", "签约额"])
    for r in f.tiers:
        t.add_row(r.tier, fmt.number(r.projects), fmt.number(r.enterprises), fmt.amount_in(r.amount))
    console.print(t)

    t = table(f"重点项目（前{len(f.top_projects)}个）", ["项目名称", "市州", "产业", "签约额"])
    for p in f.top_projects:
        t.add_row(p.name, cfg.region(p.region).short, p.industry, fmt.amount_in(p.amount))
    console.print(t)
    if any(not c.ok for c in f.checks):
        bad = "、".join(c.name for c in f.checks if not c.ok)
        console.print(f"[red]勾稽不平：{bad}[/red]")


PREFLIGHT_STATUS = {"pass": "通过", "fail": "未通过", "warn": "注意", "info": "提示"}


def show_preflight(report) -> None:
    """A ``report check`` result (pdf/preflight.Report) as a table and a verdict."""
    table = Table(title=f"{report.file}（{'印刷版' if report.print_variant else '屏幕版'}）",
                  title_justify="left")
    table.add_column("检查项", no_wrap=True)
    table.add_column("结果", no_wrap=True)
    table.add_column("说明")
    colours = {"pass": "green", "fail": "bold red", "warn": "bold yellow", "info": "yellow"}
    for f in report.findings:
        table.add_row(f.check, f"[{colours[f.status]}]{PREFLIGHT_STATUS[f.status]}[/]",
                      escape(f.detail))  # a detail is text, never rich markup ([print] …)
    console = Console(width=max(100, Console().width))
    console.print(table)
    warned = [f.check for f in report.findings if f.status == "warn"]
    if not report.ok:
        verdict = "[bold red]有问题，请处理后再发出[/]"
    elif warned:
        verdict = f"[green]可以发出[/]，[bold yellow]但请先看“{'”“'.join(warned)}”一项的说明[/]"
    else:
        verdict = "[green]可以发出[/]"
    console.print("结论：" + verdict)


def show_archive(archive: Path, rows: list) -> None:
    """``report list``: (period, job, manifest entry) of every archived briefing."""
    table = Table(title=f"归档 {archive}", title_justify="left")
    for name, right in (("期间", False), ("任务", False), ("期号", True), ("页数", True),
                        ("大小", True), ("版本", True), ("生成时间（UTC）", False)):
        table.add_column(name, justify="right" if right else "left", no_wrap=True)
    for period, job, e in rows:
        table.add_row(str(period), job, f"第{e['issue_number']}期", str(e["pages"]),
                      f"{e['size'] / 1024:.0f} KB", str(len(e.get("versions", [])) + 1),
                      e["built_at"].replace("T", " ").removesuffix("+00:00"))
    Console(width=max(100, Console().width)).print(table)


class ProgressBar:
    """A rich progress bar when ``enabled`` (a terminal); otherwise, with ``lines``, one line
    per step on stderr (cron, logs), or nothing (the caller logs its own lines)."""

    def __init__(self, title: str, total: int | None = None, enabled: bool = True,
                 lines: bool = False):
        import sys

        self.title, self.total, self.lines, self.done = title, total, lines, 0
        self.stream, self.progress, self.task = sys.stderr, None, None
        if enabled:
            from rich.progress import Progress

            self.progress = Progress(console=Console(stderr=True), transient=True)
            self.progress.start()

    def step(self, label: str, total: int | None = None) -> None:
        self.done += 1
        self.total = total or self.total
        if self.progress is None:
            if self.lines:
                print(f"[{self.done}/{self.total}] {label}", file=self.stream, flush=True)
            return
        if self.task is None:
            self.task = self.progress.add_task(self.title, total=self.total)
        self.progress.update(self.task, completed=self.done, description=f"{self.title} {label}")

    def note(self, text: str) -> None:
        """A line that stays, above the bar."""
        if self.progress is None:
            print(text, file=self.stream, flush=True)
        else:
            self.progress.console.print(text, markup=False, highlight=False)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
