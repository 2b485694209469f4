"""``report monthly``: every job of a month into the archive, safe to run from cron or a
systemd timer at any time, any number of times.

- The archive is reconciled first (archive.py): a disagreement between the journal of 期号,
  the manifests and the PDFs stops the run (exit 1) saying what disagrees and how to repair.
- 期号 follow the calendar (numbering.py); a month earlier than one already issued is issued
  only with ``--allow-late``.
- Idempotent: a month whose PDF is there with its SHA-256, and whose inputs are those recorded,
  is up to date without loading anything. When an input file changed, the month's own data
  (its attachments and the config it depends on) decides: unchanged — up to date, as after a
  tool upgrade or a new month's rows; changed — refused, naming the changed files and the
  figures that would change, unless ``--reissue`` (a reissue keeps its 期号 and says 更正).
- A month without data, or with far fewer fund rows than the month before, is not issued
  (exit 2, no 期号 spent) unless ``--allow-incomplete``; the month not yet over is not either.
- One job failing leaves every other job and the archive's contents untouched; the run exits
  non-zero naming what failed, and notifies ([notify] urls in config.toml).
"""

from __future__ import annotations

import hashlib
import logging
import logging.handlers
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import ROOT, __version__
from ..data.load import input_files, sha256_file
from ..errors import DataError, ReportError, condense
from ..figures.period import Period
from . import numbering
from .archive import Archive, ArchiveError, Locked, sha256

log = logging.getLogger("reports.monthly")
LOG_BYTES, LOG_KEEP = 1_000_000, 12  # monthly.log rotated at 1 MB, 12 kept


def previous_month(today: date) -> Period:
    return Period(today.year - 1, 12) if today.month == 1 else Period(today.year, today.month - 1)


def _months(start: Period, end: Period) -> list[Period]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(Period(y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


# templates of the delegation handouts: a change there does not make a briefing out of date
HANDOUT_TEMPLATES = ("handout/", "i18n/", "css/handout.css")


def _tree_hash(folders: list[Path], content: bool = True, exclude: tuple = ()) -> str:
    h = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
            if "__pycache__" in path.parts or \
                    path.relative_to(folder).as_posix().startswith(exclude):
                continue
            h.update(str(path.relative_to(folder)).encode() + b"\0")
            h.update(sha256_file(path).encode() if content else str(path.stat().st_size).encode())
    return h.hexdigest()


def tool_version() -> str:
    """The release and a digest of the code itself (recorded with each briefing)."""
    return f"{__version__}+{_tree_hash([ROOT / 'reports'])[:12]}"


def template_set_hash(template_dir: Path | None) -> str:
    folders = [ROOT / "templates"] + ([Path(template_dir)] if template_dir else [])
    fonts = _tree_hash([ROOT / "fonts"], content=False)  # 90 MB: names and sizes suffice
    return hashlib.sha256((_tree_hash(folders, exclude=HANDOUT_TEMPLATES) + fonts).encode()
                          ).hexdigest()


@dataclass
class Outcome:
    period: Period
    job: str
    status: str  # built / reissued / up-to-date / refused / failed
    message: str = ""
    bad_input: bool = False
    issued_before: bool = False  # refused: a change to a month already issued


@dataclass
class RunResult:
    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the archive's own, which stop a run

    @property
    def exit_code(self) -> int:
        if self.problems:
            return 1
        failed = [o for o in self.outcomes if o.status in ("failed", "refused")]
        if not failed:
            return 0
        return 2 if all(o.bad_input for o in failed) else 1


def _setup_logging(archive: Archive) -> logging.Handler:
    folder = archive.root / "logs"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(folder / "monthly.log", maxBytes=LOG_BYTES,
                                                       backupCount=LOG_KEEP, encoding="utf-8")
    except OSError as exc:
        from ..pdf.output import OutputError, describe

        raise OutputError(describe(exc, folder / "monthly.log")) from None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s",
                                           "%Y-%m-%d %H:%M:%S"))
    logger = logging.getLogger("reports")
    logger.addHandler(handler)
    handler.previous_level = logger.level
    logger.setLevel(logging.INFO)  # the archive log records every step
    return handler


def run(data_dir: Path, archive_dir: Path, period: Period | None = None,
        catch_up: bool = False, reissue: bool = False, template_dir: Path | None = None,
        today: date | None = None, progress: bool | None = None,
        timeout: float | None = None, allow_incomplete: bool = False,
        allow_late: bool = False) -> RunResult:
    archive = Archive(archive_dir)
    urls = _notify_urls(data_dir)
    try:
        with archive.lock():
            handler = _setup_logging(archive)
            try:
                result = _run(archive, Path(data_dir), period, catch_up, reissue, template_dir,
                              today or date.today(), sys.stderr.isatty() if progress is None
                              else progress, timeout, allow_incomplete, allow_late)
            except ReportError as exc:
                log.error("%s", exc)
                exc.logged = True  # on stderr too, when the command line logs there
                raise
            finally:
                logger = logging.getLogger("reports")
                logger.removeHandler(handler)
                logger.setLevel(handler.previous_level)
                handler.close()
    except Locked:
        raise  # another run is at work: nothing failed
    except ReportError as exc:
        _notify(urls, archive, [str(exc)])
        raise
    failed = [o for o in result.outcomes if o.status in ("failed", "refused")]
    if failed or result.problems:
        _notify(urls, archive, result.problems + [f"{o.period} {o.job}：{o.status}：{o.message}"
                                                  for o in failed])
    return result


def _notify_urls(data_dir) -> tuple[str, ...]:
    from ..data.config import load_config

    try:
        return load_config(data_dir).notify
    except ReportError:
        return ()


def _notify(urls, archive: Archive, lines: list[str]) -> None:
    if urls:
        from .notify import TITLE, send

        send(urls, f"{TITLE}：report monthly 未完成（{archive.root}）", "\n".join(lines)[:4000])


def _run(archive, data_dir, period, catch_up, reissue, template_dir, today, progress,
         timeout=None, allow_incomplete=False, allow_late=False):
    from ..data.config import load_config

    result = RunResult()
    last = previous_month(today)
    cfg = load_config(data_dir)
    jobs = {j.name: j for j in cfg.jobs}

    def expected(job: str, p: Period):
        return numbering.issue_number(numbering.series_start(cfg, jobs[job]), p.year, p.month) \
            if job in jobs else None

    issued = archive.periods()
    if period:
        periods = [period]
    elif catch_up and issued:
        # from the last archived month (checked again) to the previous month
        periods = _months(issued[-1], last) or [last]
    else:
        periods = [last]
    reconciled = archive.reconcile(expected)
    for repair in reconciled.repairs:
        log.warning("归档修复：%s", repair)
    scope = [(str(p), j) for p in periods for j in jobs] if reissue else []
    if problems := reconciled.blocking(scope):
        raise ArchiveError("错误：归档中的记录互相矛盾或文件有误，本次未生成任何简报：\n  " +
                           "\n  ".join(problems))
    issued = archive.periods()
    # the data files, and the bureau's fonts ([fonts] in assets/): a replaced font changes
    # the PDF, so it is an input like a table
    depends = input_files(data_dir) + [cfg.path.parent / f for f in cfg.fonts.given.values()]
    inputs = [{"file": p.name, "sha256": sha256_file(p), "size": p.stat().st_size}
              for p in depends]
    inputs_hash = hashlib.sha256("".join(i["file"] + i["sha256"] for i in inputs).encode()
                                 ).hexdigest()
    log.info("开始：数据 %s，归档 %s，期间 %s，任务 %s", data_dir, archive.root,
             "、".join(map(str, periods)) or "无", "、".join(jobs))

    todo, changed = [], []  # (period, job, entry, number); (…) of issued months to check
    for p in periods:
        manifest = archive.manifest(p)
        for job in cfg.jobs:
            entry = manifest["jobs"].get(job.name)
            number = expected(job.name, p)
            refuse = _refusal(p, last, allow_incomplete, number, numbering.series_start(cfg, job))
            if entry is not None:
                intact = _check_issued(archive, p, job.name, entry, reissue)
                if intact and entry.get("inputs_sha256") == inputs_hash:
                    result.outcomes.append(Outcome(p, job.name, "up-to-date",
                                                   f"已是最新（第{entry['issue_number']}期）"))
                    log.info("%s %s：已是最新，未重新生成", p, job.name)
                else:
                    changed.append((p, job, dict(entry, intact=intact), entry["issue_number"]))
            elif refuse:
                result.outcomes.append(Outcome(p, job.name, "refused", refuse, bad_input=True))
            elif not allow_late and (later := [q for q in issued if (q.year, q.month) >
                                               (p.year, p.month) and job.name in
                                               archive.manifest(q)["jobs"]]):
                msg = f"早于已印发的 {later[-1]}：补发较早月份的简报需明确决定，请加 --allow-late"
                result.outcomes.append(Outcome(p, job.name, "refused", msg, bad_input=True))
            else:
                todo.append((p, job, None, number))
    for o in result.outcomes:
        if o.status == "refused":
            log.warning("%s %s：%s", o.period, o.job, o.message)
    if not todo and not changed:
        return result
    # what a briefing made now is made with (recorded in its manifest): hashed only when one
    # is to be made, not on every up-to-date run from cron
    templates = template_set_hash(template_dir)
    version = tool_version()

    from ..data.validate import load_dataset

    try:
        dataset = load_dataset(data_dir)
    except DataError as exc:
        for prob in condense(exc.problems):
            log.error(str(prob))
        for p, job, _, _ in todo + changed:
            result.outcomes.append(Outcome(p, job.name, "failed", str(exc), bad_input=True))
        return result
    for w in dataset.warnings:
        log.warning(str(w))
    for n in dataset.notes:
        log.info(str(n))
    for p, job, entry, number in changed:
        outcome = _compare(dataset, p, job, entry, inputs, reissue)
        if outcome is None:
            todo.append((p, job, entry, number))
        else:
            result.outcomes.append(outcome)
            log.log(logging.WARNING if outcome.status == "refused" else logging.INFO, "%s %s：%s",
                    p, job.name, outcome.message)
    _issue_all(archive, data_dir, dataset, todo, result, template_dir, timeout, today, progress,
               allow_incomplete, {"inputs": inputs, "inputs_hash": inputs_hash,
                                  "templates": templates, "version": version})
    return result


def _refusal(p: Period, last: Period, allow_incomplete: bool, number, start) -> str | None:
    if (p.year, p.month) > (last.year, last.month) and not allow_incomplete:
        return "这个月尚未结束或在未来：月度简报在下个月生成（如确需提前生成，请加 --allow-incomplete）"
    if number is None:
        return f"没有期号：{numbering.before_start(start)}"
    return None


def _check_issued(archive: Archive, p: Period, job: str, entry: dict, reissue: bool) -> bool:
    """The month a run would call up to date is checked as report verify checks it: its PDF
    there, with the SHA-256 the manifest and the journal recorded. False (with --reissue) when
    it is not: it is to be made again."""
    pdf = archive.month_dir(p) / entry.get("file", f"{job}.pdf")
    if not pdf.is_file() or sha256(pdf) != entry.get("sha256"):
        if reissue:
            return False
        raise ArchiveError(f"错误：{p} {job}：已印发的 {pdf} 缺失或与记录不符（被改动、截断或替换），"
                           "本次未生成任何简报。请从备份恢复这个文件；如确需重新生成，请加 --reissue")
    return True


def _compare(dataset, p, job, entry, inputs, reissue) -> Outcome | None:
    """An issued month whose input files changed: None when it is to be (re)issued; else up
    to date (its own data did not change) or refused (naming what changed)."""
    from ..figures.compute import compute
    from ..figures.fmt import Formatter
    from ..figures.headline import changes, headline
    from .issue import attachments, fingerprint
    from .jobs import scoped

    if not entry.pop("intact", True):
        return None  # --reissue of a lost or damaged PDF
    same = entry.get("data_sha256") == fingerprint(attachments(dataset, p, job), dataset.config,
                                                   job)
    if same:
        return Outcome(p, job.name, "up-to-date",
                       f"已是最新（第{entry['issue_number']}期；输入文件有变化，但这个月的数据未变）")
    before = {i["file"]: i["sha256"] for i in entry.get("inputs", [])}
    now = {i["file"]: i["sha256"] for i in inputs}
    files = sorted(f for f in before.keys() | now.keys() if before.get(f) != now.get(f))
    scoped_ds = scoped(dataset, job)
    found = changes(entry.get("figures", {}), headline(compute(scoped_ds, p)),
                    Formatter.from_config(scoped_ds.config.display), scoped_ds.config.area_word)
    what = "；".join(found[:6]) + ("等" if len(found) > 6 else "") if found else \
        "数字未变（变的是其他内容，如名称）"
    if reissue:
        return None
    return Outcome(p, job.name, "refused", issued_before=True, message=
                   f"已印发（第{entry['issue_number']}期），但这个月的数据变了："
                   f"{'、'.join(files) or '输入文件'}有改动，{what}。印发过的简报不会被覆盖；如需更正，"
                   "请加 --reissue（期号不变，新版注明“更正”并附更正说明，原文件保留为 .v1.pdf）")


def _issue_all(archive, data_dir, dataset, todo, result, template_dir, timeout, today, progress,
               allow_incomplete, context):
    from ..figures.completeness import check_period
    from .issue import issue
    from .terminal import ProgressBar

    context = dict(context, data_dir=data_dir, template_dir=template_dir, timeout=timeout)
    complete: dict = {}  # period → None, or why the month is not issued
    bar = ProgressBar("生成简报", len(todo), enabled=progress)
    for p, job, entry, number in todo:
        started = time.perf_counter()
        if p not in complete:
            complete[p] = None
            try:
                for w in check_period(dataset, p, today):
                    if allow_incomplete:
                        log.warning("%s（--allow-incomplete：照常生成）", w)
                    else:
                        complete[p] = f"{w.message}（如确认数据已录全，请加 --allow-incomplete）"
            except DataError as exc:
                complete[p] = exc.problems[0].message
        if complete[p] is not None and entry is None:
            outcome = Outcome(p, job.name, "refused", f"未印发，未占用期号：{complete[p]}",
                              bad_input=True)
            log.warning("%s %s：%s", p, job.name, outcome.message)
            result.outcomes.append(outcome)
            bar.step(f"{p} {job.name}")
            continue
        try:
            done = issue(archive, dataset, p, job, number, entry, context, today)
            word = "已重新印发（更正）" if done.status == "reissued" else "已生成"
            outcome = Outcome(p, job.name, done.status, f"{word}第{done.number}期，{done.pages}页，"
                              f"{done.size / 1024:.0f} KB（{time.perf_counter() - started:.1f} 秒）")
            log.info("%s %s：%s", p, job.name, outcome.message)
        except DataError as exc:
            outcome = Outcome(p, job.name, "failed", "\n".join(map(str, condense(exc.problems))),
                              bad_input=True)
            log.error("%s %s 未生成：%s", p, job.name, outcome.message)
        except ReportError as exc:
            outcome = Outcome(p, job.name, "failed", str(exc), bad_input=exc.exit_code == 2)
            log.error("%s %s 失败：%s", p, job.name, exc)
        except Exception as exc:  # a render error in one job must not stop the others
            outcome = Outcome(p, job.name, "failed", f"{type(exc).__name__}: {exc}")
            log.exception("%s %s 失败", p, job.name)
        result.outcomes.append(outcome)
        bar.step(f"{p} {job.name}")
    bar.close()


__all__ = ["run", "previous_month", "Locked", "RunResult"]
