"""``report monthly``: every job of a month into the archive, safe to run from cron at any
time, any number of times.

- Idempotent: a job whose inputs (data files and config), template set and tool version are
  those recorded in the manifest is not rebuilt ("已是最新"). This check reads and hashes a
  few files and imports no renderer, so an unchanged monthly rerun takes well under a second.
- An issued briefing is a record: changed inputs for an archived month are refused unless
  ``--reissue``, which keeps the earlier PDF as ``<job>.v1.pdf`` (v2, …) beside the new one.
- One job failing (bad data for one 市州, a render error) leaves every other job's output
  and the archive's earlier contents untouched; the run exits non-zero naming what failed.
- Every write is atomic; a lock keeps a second run off the same archive (exit 3).
"""

from __future__ import annotations

import hashlib
import logging
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from .. import ROOT, __version__
from ..data.load import input_files, sha256_file
from ..errors import DataError, ReportError, condense
from ..figures.compute import Period
from ..pdf.output import write_atomic
from .archive import Archive, Locked

log = logging.getLogger("reports.monthly")
PDF_VARIANT = "pdf/a-3b"


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
    """The release and a digest of the code itself, so a changed renderer rebuilds."""
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


@dataclass
class RunResult:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        failed = [o for o in self.outcomes if o.status in ("failed", "refused")]
        if not failed:
            return 0
        return 2 if all(o.bad_input for o in failed) else 1


def _setup_logging(archive: Archive) -> logging.Handler:
    (archive.root / "logs").mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(archive.root / "logs" / "monthly.log", encoding="utf-8")
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
        timeout: float | None = None) -> RunResult:
    archive = Archive(archive_dir)
    with archive.lock():
        handler = _setup_logging(archive)
        try:
            return _run(archive, Path(data_dir), period, catch_up, reissue, template_dir,
                        today or date.today(), sys.stderr.isatty() if progress is None
                        else progress, timeout)
        finally:
            logger = logging.getLogger("reports")
            logger.removeHandler(handler)
            logger.setLevel(handler.previous_level)
            handler.close()


def _run(archive, data_dir, period, catch_up, reissue, template_dir, today, progress,
         timeout=None):
    from ..data.config import load_config

    result = RunResult()
    last = previous_month(today)
    if period:
        periods = [period]
    elif catch_up and archive.periods():
        # from the last archived month (reported as up to date) to the previous month
        periods = _months(archive.periods()[-1], last) or [last]
    else:
        periods = [last]
    cfg = load_config(data_dir)
    inputs = [{"file": p.name, "sha256": sha256_file(p), "size": p.stat().st_size}
              for p in input_files(data_dir)]
    inputs_hash = hashlib.sha256("".join(i["file"] + i["sha256"] for i in inputs).encode()
                                 ).hexdigest()
    templates = template_set_hash(template_dir)
    version = tool_version()
    log.info("开始：数据 %s，归档 %s，期间 %s，任务 %s", data_dir, archive.root,
             "、".join(map(str, periods)) or "无", "、".join(j.name for j in cfg.jobs))

    todo = []
    for p in periods:
        manifest = archive.manifest(p)
        for job in cfg.jobs:
            entry = manifest["jobs"].get(job.name)
            pdf = archive.month_dir(p) / f"{job.name}.pdf"
            same = entry and entry.get("inputs_sha256") == inputs_hash and \
                entry.get("templates_sha256") == templates and \
                entry.get("tool_version") == version and pdf.is_file()
            if same:
                result.outcomes.append(Outcome(p, job.name, "up-to-date", "已是最新"))
                log.info("%s %s：已是最新，未重新生成", p, job.name)
            elif entry and pdf.is_file() and not reissue:
                msg = (f"{p} {job.name} 已印发（第{entry.get('issue_number')}期），但输入或模板已变化；"
                       "印发过的简报不会被覆盖。如需重新印发，请加 --reissue（原文件保留为 .v1.pdf）")
                result.outcomes.append(Outcome(p, job.name, "refused", msg))
                log.warning(msg)
            else:
                todo.append((p, job, entry))
    if not todo:
        return result

    from ..data.validate import load_dataset

    try:
        dataset = load_dataset(data_dir)
    except DataError as exc:
        for prob in condense(exc.problems):
            log.error(str(prob))
        for p, job, _ in todo:
            result.outcomes.append(Outcome(p, job.name, "failed", str(exc), bad_input=True))
        return result
    for w in dataset.warnings:
        log.warning(str(w))
    for n in dataset.notes:
        log.info(str(n))

    from ..figures.completeness import check_period
    from .terminal import ProgressBar

    bar = ProgressBar("生成简报", len(todo), enabled=progress)
    complete: dict = {}  # period → None, or the DataError of a month without data
    for p, job, entry in todo:
        started = time.perf_counter()
        if p not in complete:
            try:
                for w in check_period(dataset, p):
                    log.warning(str(w))
                complete[p] = None
            except DataError as exc:
                complete[p] = exc
                log.error("%s：%s", p, exc.problems[0])
        try:
            if complete[p] is not None:
                raise complete[p]
            outcome = _build_job(archive, data_dir, dataset, p, job, entry, template_dir,
                                 inputs, inputs_hash, templates, version, timeout)
            outcome.message += f"（{time.perf_counter() - started:.1f} 秒）"
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
    return result


def _build_job(archive, data_dir, dataset, period, job, entry, template_dir, inputs,
               inputs_hash, templates, version, timeout=None) -> Outcome:
    from ..data import export
    from ..typeset import render  # noqa: F401 — imported before the time limit, never inside it
    from .briefing import prepare, render_briefing
    from .jobs import scoped
    from .limits import deadline

    ds = scoped(dataset, job)
    number = entry["issue_number"] if entry else archive.issue_number(job.name, period)
    with deadline(timeout, f"{period} {job.name} 的生成"):
        prep = prepare(data_dir, period, template_dir, issue_number=number, dataset=ds)
        when = datetime(period.year, period.month, 1, tzinfo=timezone.utc)
        ids = {p.id for p in ds.projects}
        scopes = None if job.scope == "全省" else {job.scope}
        attachments = [(name, data, desc, when) for name, data, desc
                       in export.tables(dataset, period, ids, scopes)]
        rendered = render_briefing(prep, PDF_VARIANT, attachments)
    pdf = rendered.pdf

    folder = archive.month_dir(period)
    target = folder / f"{job.name}.pdf"
    versions = list(entry.get("versions", [])) if entry else []
    status = "built"
    if target.is_file():  # reissue: the issued file is kept under its version name
        keep = archive.next_version(period, job.name)
        keep.hardlink_to(target)
        versions.append({"file": keep.name, "sha256": entry.get("sha256") if entry else None,
                         "built_at": entry.get("built_at") if entry else None})
        status = "reissued"
    write_atomic(target, pdf)
    manifest = archive.manifest(period)
    manifest["jobs"][job.name] = {
        "file": target.name, "scope": job.scope, "issue_number": number,
        "sha256": hashlib.sha256(pdf).hexdigest(), "size": len(pdf),
        "pages": rendered.pages, "pdf_variant": PDF_VARIANT,
        "inputs": inputs, "inputs_sha256": inputs_hash, "templates_sha256": templates,
        "tool_version": version, "versions": versions,
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    archive.save_manifest(period, manifest)
    archive.commit_issue(job.name, period, number)
    word = "已重新印发" if status == "reissued" else "已生成"
    return Outcome(period, job.name, status,
                   f"{word}第{number}期，{rendered.pages}页，{len(pdf) / 1024:.0f} KB")


__all__ = ["run", "previous_month", "Locked", "RunResult"]
