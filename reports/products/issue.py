"""Issuing one month's briefing of one job into the archive, as a record.

The PDF is made in memory, with its data attached (every row its figures depend on, and
config.toml) and those attachments loaded back and recomputed to the same figures before
anything is written. Then, in this order, each step durable before the next: the 期号 reserved
in the journal; for a reissue the issued file kept as ``.vN.pdf``; the new PDF; the month's
manifest; the journal entry marked issued. A failure in between undoes what it can at once,
and the next run's ``Archive.reconcile`` finishes or undoes the rest.

A reissue keeps its 期号 and says so: 更正 in the masthead with the date, and a 更正说明 that
lists each figure that differs from the version issued before.

With ``[briefing] formats = ["pdf", "docx", "ofd"]`` the Word and OFD copies are made in the same
build, written beside the PDF after it and recorded in the manifest (``extras``: file name →
SHA-256). They are copies for offices, made from the record: a reissue replaces them (the
earlier PDF is what is kept).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sys
import time
from datetime import date, datetime, timezone

from ..data.config import Config, Job
from ..data.model import Dataset
from ..errors import ReportError
from ..figures.fmt import Formatter
from ..figures.headline import changes, headline, same
from ..pdf.output import write_atomic
from .archive import Archive, sha256

PDF_VARIANT = "pdf/a-3b"
PAUSE = "REPORTS_PAUSE_AT"  # fault injection for the kill-window tests: hold the writer here


def _step(name: str) -> None:
    """``REPORTS_PAUSE_AT=<step>`` holds the writer after that step (reserved, kept, pdf,
    manifest) so that a test can kill it exactly there (tests/test_archive.py)."""
    if os.environ.get(PAUSE) == name:
        print(f"{PAUSE} {name}", file=sys.stderr, flush=True)
        time.sleep(60)


def relevant_config(cfg: Config, job: Job) -> str:
    """What of config.toml a job's briefing depends on, canonically: a change to [handout]
    or to another job is not a change to this briefing."""
    keep = ("province", "province_short", "regions", "industries", "briefing_name", "publisher",
            "file_name", "send_to", "copy_to", "copies", "internal_mark", "issue_start",
            "display")
    return repr([(k, getattr(cfg, k)) for k in keep] + [("job", job)])


def fingerprint(tables: list[tuple[str, bytes, str]], cfg: Config, job: Job) -> str:
    """The data a month's briefing of a job is made from: its attachments' tables and the
    config it depends on. Equal fingerprints, equal figures."""
    h = hashlib.sha256()
    for name, data, _ in tables:
        if name != "config.toml":
            h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    h.update(relevant_config(cfg, job).encode())
    return h.hexdigest()


def attachments(dataset: Dataset, period, job: Job) -> list[tuple[str, bytes, str]]:
    from ..data import export

    return export.tables(dataset, period, job.scope, dataset.config.path.read_bytes())


@dataclasses.dataclass
class Issued:
    status: str  # built / reissued
    number: int
    pages: int
    size: int


def issue(archive: Archive, dataset: Dataset, period, job: Job, number: int, entry: dict | None,
          context: dict, today: date) -> Issued:
    """Make, check and write one briefing. ``entry``: the manifest entry of the version issued
    before (a reissue), else None. ``context``: data_dir, template_dir, timeout, inputs,
    inputs_hash, templates, version."""
    from ..typeset import render  # noqa: F401 — imported before the time limit, never inside it
    from .briefing import prepare, render_briefing
    from .jobs import scoped
    from .limits import deadline
    from .verify import reproduce

    cfg = dataset.config
    ds = scoped(dataset, job)
    tables = attachments(dataset, period, job)
    when = datetime(period.year, period.month, 1, tzinfo=timezone.utc)
    with deadline(context["timeout"], f"{period} {job.name} 的生成"):
        correction = None
        prep = prepare(context["data_dir"], period, context["template_dir"], issue_number=number,
                       dataset=ds)
        figures = headline(prep.figures)
        if entry is not None:
            fmt = Formatter.from_config(ds.config.display)
            found = changes(entry.get("figures", {}), figures, fmt, ds.config.area_word)
            correction = {"date": today, "changes": found, "version": len(entry.get("versions", [])) + 2}
            prep.context["correction"] = correction
        rendered = render_briefing(prep, PDF_VARIANT, [(n, d, desc, when) for n, d, desc in tables],
                                   formats=cfg.formats)
        again = reproduce({name: data for name, data, _ in tables}, period, job.name)
        if not same(again, figures):
            raise ReportError(f"错误：{period} {job.name}：附件中的数据重新计算后与简报的数字不一致，未印发。"
                              "这是本工具的缺陷，请报告")
    pdf = rendered.pdf
    digest = hashlib.sha256(pdf).hexdigest()
    folder = archive.month_dir(period)
    target = folder / f"{job.name}.pdf"
    versions = list(entry.get("versions", [])) if entry else []
    # the issued version is kept — when it is there as it was issued; a lost or damaged one
    # stays a record in the manifest (its SHA-256), not a file
    intact = bool(entry) and target.is_file() and sha256(target) == entry.get("sha256")
    kept = archive.next_version(period, job.name) if intact else None
    if entry:
        archive.reserve(job.name, period, number, old_sha256=entry.get("sha256"),
                        kept=kept.name if kept else "")
    else:
        archive.reserve(job.name, period, number)
    _step("reserved")
    wrote = saved = False
    extras = {}  # the Word and OFD copies ([briefing] formats), made in the same build
    try:
        if kept is not None:
            kept.hardlink_to(target)
            _step("kept")
        if entry:
            versions.append({"file": kept.name if kept else None, "sha256": entry.get("sha256"),
                             "built_at": entry.get("built_at"), "figures": entry.get("figures"),
                             **({} if kept else {"lost": True})})
        write_atomic(target, pdf)
        wrote = True
        _step("pdf")
        for suffix, data in rendered.extras.items():
            extras[target.with_suffix(suffix)] = hashlib.sha256(data).hexdigest()
            write_atomic(target.with_suffix(suffix), data)
        manifest = archive.manifest(period)
        manifest["jobs"][job.name] = {
            "file": target.name, "scope": job.scope, "issue_number": number,
            "sha256": digest, "size": len(pdf), "pages": rendered.pages,
            "pdf_variant": PDF_VARIANT, "inputs": context["inputs"],
            "inputs_sha256": context["inputs_hash"], "data_sha256": fingerprint(tables, cfg, job),
            "templates_sha256": context["templates"], "tool_version": context["version"],
            "figures": figures, "versions": versions,
            "extras": {path.name: digest for path, digest in extras.items()},
            "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        if correction:
            manifest["jobs"][job.name]["correction"] = {"date": today.isoformat(),
                                                        "changes": correction["changes"]}
        archive.save_manifest(period, manifest)
        saved = True
        _step("manifest")
        archive.commit(job.name, period, number, digest)
    except BaseException:
        if not saved:  # nothing recorded: undo what was written (the next run would, too)
            _undo(archive, period, job.name, target, digest if wrote else None, kept, entry)
            for path, extra_digest in extras.items():
                if path.is_file() and sha256(path) == extra_digest and not entry:
                    path.unlink()
        raise
    return Issued("reissued" if entry else "built", number, rendered.pages, len(pdf))


def _undo(archive, period, job, target, written, kept, entry) -> None:
    try:
        if entry is None:
            if written and target.is_file() and sha256(target) == written:
                target.unlink()
            archive.release(job, period)
            return
        if kept is not None and kept.is_file():
            if not target.is_file() or sha256(target) != entry.get("sha256"):
                os.replace(kept, target)
            else:
                kept.unlink()
        if target.is_file() and sha256(target) == entry.get("sha256"):
            archive.commit(job, period, entry["issue_number"], entry["sha256"])
    except (OSError, ReportError):
        pass  # the disk that failed the write fails this too: reconcile, next run
