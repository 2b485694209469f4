"""``report verify``: is the archive what it says it is? Every manifest entry's PDF is there
with its SHA-256; the journal of 期号 agrees; each PDF's attached data loads back and gives the
headline figures its manifest recorded. ``--repair`` rebuilds the journal from the manifests
(when it was lost or damaged) — the only repair that is never a guess: each 期号 is the one
its issued PDF carries.

``reproduce`` is also how ``report monthly`` checks a briefing's attachments before it issues it.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError, DataError, ReportError
from .archive import JOURNAL, Archive, ArchiveError


def reproduce(files: dict[str, bytes], period, job_name: str) -> dict[str, str]:
    """The headline figures of a job's briefing for ``period``, from its attached files
    (projects.csv, funds.csv, targets.csv, config.toml) alone."""
    from ..data.validate import load_dataset
    from ..figures.compute import compute
    from ..figures.headline import headline
    from .jobs import scoped

    with tempfile.TemporaryDirectory(prefix="reports-verify-") as tmp:
        folder = Path(tmp)
        for name, data in files.items():
            if "/" in name or name.startswith("."):
                raise ValueError(f"附件名不对：{name!r}")
            (folder / name).write_bytes(data)
        ds = load_dataset(folder, assets=False)  # figures only: no fonts come with them
        job = next((j for j in ds.config.jobs if j.name == job_name), None)
        if job is None:
            raise ValueError(f"附件的 config.toml 中没有任务“{job_name}”")
        return headline(compute(scoped(ds, job), period))


@dataclass
class Verified:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    briefings: int = 0
    reproduced: int = 0


def verify(root: Path, repair: bool = False) -> Verified:
    from ..pdf.attachments import read_attachments

    archive = Archive(root)
    out = Verified()
    with archive.lock():
        try:
            rec = archive.reconcile(full=True)
        except ArchiveError as exc:
            if not (repair and JOURNAL in str(exc)):
                raise
            rec = None
        if repair and (rec is None or any(JOURNAL in p for p in rec.problems)):
            lost = _pdf_problems(archive)
            if lost:
                out.problems += lost + [f"已印发的 PDF 有问题，{JOURNAL} 未重建：请先从备份恢复这些文件"]
                return out
            rebuilt = archive.rebuild_journal()
            out.notes.append(f"已按 manifest.json 重建 {JOURNAL}：" + "；".join(rebuilt))
            rec = archive.reconcile(full=True)
        out.problems += rec.blocking()
        out.notes += rec.repairs
        for period, job, entry in archive.entries():
            out.briefings += 1
            pdf = archive.month_dir(period) / entry.get("file", f"{job}.pdf")
            if (str(period), job) in rec.pdfs:
                continue  # missing or not as recorded: said so
            from .archive import sha256

            for name, digest in entry.get("extras", {}).items():  # the Word and OFD copies
                extra = archive.month_dir(period) / name
                if not extra.is_file() or sha256(extra) != digest:
                    out.problems.append(f"{period} {job}：{name} 缺失或与记录不符（Word/OFD 副本；"
                                        "可从 PDF 的数据重新生成：report build --formats）")
            if "figures" not in entry:
                out.notes.append(f"{period} {job}：manifest 中没有记录数字（旧版本印发），只核对了 SHA-256")
                continue
            try:
                files = read_attachments(pdf)
                if not {"projects.csv", "funds.csv", "targets.csv", "config.toml"} <= set(files):
                    out.problems.append(f"{period} {job}：{pdf.name} 的附件不全（应有 projects.csv、"
                                        "funds.csv、targets.csv 和 config.toml）")
                    continue
                again = reproduce(files, period, job)
            except (ValueError, DataError, ConfigError, ReportError) as exc:
                detail = "；".join(map(str, exc.problems[:3])) if isinstance(exc, DataError) else str(exc)
                out.problems.append(f"{period} {job}：附件中的数据无法重新读取：{detail}")
                continue
            from decimal import Decimal

            differ = [k for k in entry["figures"]
                      if k not in again or Decimal(entry["figures"][k]) != Decimal(again[k])]
            if differ or set(again) != set(entry["figures"]):
                out.problems.append(f"{period} {job}：附件中的数据重新计算后与印发时记录的数字不同"
                                    f"（{'、'.join(differ[:5]) or '项目不同'}）")
            else:
                out.reproduced += 1
    return out


def _pdf_problems(archive: Archive) -> list[str]:
    from .archive import sha256

    found = []
    for period, job, entry in archive.entries():
        pdf = archive.month_dir(period) / entry.get("file", f"{job}.pdf")
        if not pdf.is_file() or sha256(pdf) != entry.get("sha256"):
            found.append(f"{period} {job}：{pdf} 缺失或与记录不符")
    return found
