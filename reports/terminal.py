"""The terminal: the ``report figures`` view (the overview prose and the main tables), and
the progress bar of the long commands."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .compute import Figures
from .config import Config
from .fmt import Formatter
from .templating import environment, render_text


def show_figures(f: Figures, cfg: Config, console: Console | None = None) -> None:
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
