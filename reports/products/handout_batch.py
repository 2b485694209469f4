"""``report delegations``: many handouts at once, on both cores.

The data, fonts, stylesheet and catalogues are loaded once (``Builder.warm``), then the
delegations are built in a pool of forked workers that share them (``forked.Pool``: a worker
that dies or hangs costs its one handout, not the batch); each worker keeps the
sections it has laid out, and similar handouts are sent next to each other so that it meets
them again. A bad delegation file is reported and skipped; one failing handout never stops
the others.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..data.delegation import (WORKBOOKS, Delegation, delegation_files, load_delegation,
                               load_sheet, other_files, output_clashes)
from ..errors import DataError, ReportError, UsageError
from ..figures.compute import Period
from ..pdf.output import name_problem
from .handout import Builder, Handout

log = logging.getLogger("reports")


@dataclass
class Outcome:
    label: str  # the file, or the file and row of a 代表团 sheet
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
        with deadline(_TIMEOUT, f"{d.label} 的生成"):
            files, pages = b.copies(d)
        h = b.write(d, _OUT, files, pages, started)
        outcome = Outcome(d.label, True, f"{len(h.files)}个文件，{h.pages}页，"
                          f"{h.size / 1024:.0f} KB，{h.seconds:.1f} 秒", h)
    except DataError as exc:
        outcome = Outcome(d.label, False, "\n".join(map(str, exc.problems)), bad_input=True)
    except ReportError as exc:
        outcome = Outcome(d.label, False, str(exc), bad_input=exc.exit_code == 2)
    except Exception as exc:  # one broken handout must not stop the others
        log.exception("%s 失败", d.label)
        outcome = Outcome(d.label, False, f"{type(exc).__name__}: {exc}")
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


def _pooled(delegations: list[tuple[int, Delegation]], workers: int, timeout: float | None):
    """``_one`` for each delegation on forked workers (forked.Pool): a worker that dies (the
    system out of memory, a crash in a C library) or hangs past the time limit where no timer
    can reach it costs that one handout, reported as failed; the others go on."""
    from .forked import Pool

    hard = timeout + max(10.0, timeout / 4) if timeout else None
    for (index, d), kind, value in Pool(_one, delegations, workers, hard).run():
        if kind == "ok":
            yield value
            continue
        if kind == "died":
            message = f"错误：生成 {d.label} 的进程{value}；重试一次仍然如此，未写出文件。"
        elif kind == "overtime":
            message = (f"错误：{d.label} 的生成超过 {timeout:g} 秒且无法中断，"
                       f"已在 {value:.0f} 秒时结束其进程（--timeout）；未写出文件。")
        else:
            message = f"错误：{d.label} 的生成中断：{type(value).__name__}: {value}"
        log.error("%s", message)
        yield index, Outcome(d.label, False, message), 0, 0


def build_all(data_dir: Path, paths: list[Path], out_dir: Path,
              template_dir: Path | None = None, period: Period | None = None,
              workers: int | None = None, progress=None,
              timeout: float | None = None, print_variant: bool = False,
              formats=("pdf",)) -> BatchResult:
    """Every delegation file: bad files are reported and skipped, the others built on
    ``workers`` processes (default: the cores), sharing the data, the fonts and the parsed
    stylesheet (forked after loading), each reusing the sections it has laid out.
    ``progress(done, total, outcome)`` is called as each finishes. ``formats``: besides the
    PDF, "docx" and "ofd" (products/office.py), beside each handout."""
    global _BUILDER, _OUT, _TIMEOUT
    started = time.perf_counter()
    result = BatchResult()
    from .office import parse_formats

    formats = parse_formats(formats)
    if print_variant and formats != ("pdf",):
        raise UsageError("错误：印刷版（--print）只输出 PDF/X；Word 和 OFD 请在普通版中生成")
    builder = Builder(data_dir, template_dir, period, print_variant=print_variant,
                      formats=formats)
    delegations: list[tuple[int, Delegation]] = []
    files = delegation_files(paths)
    strays = other_files(paths)
    if not files and not strays:
        raise ReportError(f"没有找到代表团文件（.yaml 或含“代表团”工作表的 .xlsx）："
                          f"{'、'.join(map(str, paths))}", )
    outcomes: dict[int, Outcome] = {}
    entries: list[tuple[str, object]] = []  # (label, a Delegation or an Outcome)
    for path in strays:
        entries.append((path.name, Outcome(path.name, False, f"错误：{path.name} 不是代表团文件："
                        "代表团写在 .yaml 文件中（每个代表团一个），或 Excel 文件的“代表团”工作表中"
                        "（每行一个）", bad_input=True)))
    for path in files:
        if path.suffix.lower() not in WORKBOOKS and (reason := name_problem(path.stem)):
            entries.append((path.name, Outcome(path.name, False, f"错误：文件名“{path.stem}”"
                            f"{reason}：它会用作输出文件名，请改名", bad_input=True)))
            continue
        try:
            if path.suffix.lower() in WORKBOOKS:
                found, failed = load_sheet(path, builder.config)
                entries += [(d.label, d) for d in found]
                entries += [(f"{path.name}［代表团］第{row}行（{name}）", Outcome(
                    f"{path.name}［代表团］第{row}行（{name}）", False,
                    "\n".join(map(str, problems)), bad_input=True))
                    for row, name, problems in failed]
            else:
                d = load_delegation(path, builder.config)
                entries.append((d.label, d))
        except DataError as exc:
            entries.append((path.name, Outcome(path.name, False,
                                               "\n".join(map(str, exc.problems)), bad_input=True)))
        except ReportError as exc:
            entries.append((path.name, Outcome(path.name, False, str(exc),
                                               bad_input=exc.exit_code == 2)))
    ds = [(i, e) for i, (_, e) in enumerate(entries) if isinstance(e, Delegation)]
    clashes = output_clashes([(i, d.stem) for i, d in ds])
    for i, (label, entry) in enumerate(entries):
        if not isinstance(entry, Delegation):
            outcomes[i] = entry
            continue
        if (reason := name_problem(entry.stem)) is not None:  # a sheet row's 文件名 or 名称
            outcomes[i] = Outcome(label, False, f"错误：“{entry.stem}”{reason}：它会用作输出文件名，"
                                  "请在“代表团”工作表的“文件名”列另写一个", bad_input=True)
        elif i in clashes:
            other = entries[clashes[i]][0]
            outcomes[i] = Outcome(label, False, f"错误：与 {other} 的输出同名（{entry.stem}），"
                                  "两份资料会互相覆盖：请改名其中一个", bad_input=True)
        else:
            delegations.append((i, entry))
    files = entries
    total, done = len(files), 0
    for o in outcomes.values():
        done += 1
        if progress:
            progress(done, total, o)
    # similar handouts next to each other: a worker then meets sections it has laid out
    delegations.sort(key=lambda item: (item[1].language, item[1].industries, item[1].regions,
                                       item[1].home))
    builder.warm(english=any(d.language == "en" for _, d in delegations))
    _BUILDER, _OUT, _TIMEOUT = builder, Path(out_dir), timeout
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    try:
        if hasattr(os, "fork"):
            done = _gather(_pooled(delegations, workers, timeout), outcomes, result, done,
                           total, progress)
        else:
            done = _gather(map(_one, delegations), outcomes, result, done, total, progress)
    finally:
        _BUILDER = _OUT = _TIMEOUT = None
    result.outcomes = [outcomes[i] for i in sorted(outcomes)]
    result.seconds = time.perf_counter() - started
    return result
