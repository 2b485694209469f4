"""The archive of issued briefings: one folder a month, a manifest, a journal of 期号, and a
lock so that two runs never write it at once.

    archive/2026/10/全省.pdf          the issued briefing (PDF/A-3b, its data attached)
    archive/2026/10/全省.v1.pdf       an earlier version, kept when the month was reissued
    archive/2026/10/manifest.json     per job: inputs with SHA-256, the data fingerprint, tool
                                       version, template set, the PDF's SHA-256, pages, 期号,
                                       headline figures, build time, versions
    archive/issues.json               the journal: per job and month its 期号 and state
    archive/logs/monthly.log          what every run did (rotated)

An issued briefing is a record. Its 期号 is written to the journal (``reserved``) before its
PDF is written, and marked ``issued`` with the PDF's SHA-256 only after the PDF and the
manifest are in place; a reissue is ``reissuing`` until its new PDF and manifest are. Every
run reconciles the journal, the manifests and the PDFs first (``reconcile``): a step that a
killed run left half-done is completed or rolled back where that is unambiguous (a PDF never
recorded is removed; a reissue that did not finish is undone from its kept version); any other
disagreement stops the run, saying what disagrees and how to repair it — never by renumbering.

The lock is an flock on the archive directory itself: deleting a file cannot break it.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..data.load import sha256_file as sha256  # noqa: F401 (verify, issue, monthly use it)
from ..errors import ReportError
from ..figures.period import Period
from ..pdf.output import OutputError, describe, write_atomic

MANIFEST = "manifest.json"
JOURNAL = "issues.json"
REPAIR = "report verify --archive {root} --repair"


_HELD: set[int] = set()  # descriptors of the archive locks this process holds


def _forget_locks_in_child() -> None:
    """A forked child (a build's drawing, a delegation worker) inherits the lock's descriptor,
    and with it the lock: if the parent is killed, a child still at work would keep the archive
    locked from the next run. The child closes its copies; the parent's lock stays."""
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_locks_in_child)


class Locked(ReportError):
    exit_code = 3


class ArchiveError(ReportError):
    """The archive disagrees with itself, or a file of it is unreadable: nothing was written."""

    exit_code = 1


def _dump(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()




@dataclass
class Reconciled:
    """What ``reconcile`` found: problems stop the run; repairs were made (and are logged)."""

    problems: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    # (month, job) → an issued PDF missing or not as recorded: a reissue of it may go ahead
    pdfs: dict[tuple[str, str], str] = field(default_factory=dict)

    def blocking(self, reissued=()) -> list[str]:
        """Everything that stops a run, but the PDFs of the months it is told to reissue."""
        return self.problems + [m for key, m in self.pdfs.items() if key not in set(reissued)]


class Archive:
    def __init__(self, root: Path):
        self.root = Path(root)

    def _read_json(self, path: Path, default):
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return default
        except OSError as exc:
            raise ArchiveError(f"错误：无法读取归档文件 {path}：{exc.strerror}") from None
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ArchiveError(f"错误：归档文件 {path} 已损坏（不是有效的 JSON：{exc}）。请从备份恢复"
                               f"这个文件；若是 {JOURNAL}，也可运行 {REPAIR.format(root=self.root)}"
                               "，按各月的 manifest.json 重建") from None
        if not isinstance(data, dict):
            raise ArchiveError(f"错误：归档文件 {path} 的内容不对（应为一个 JSON 对象）。请从备份恢复")
        return data

    def _write(self, path: Path, data) -> None:
        write_atomic(path, _dump(data))

    # -- the lock ---------------------------------------------------------------------------
    @contextmanager
    def lock(self):
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as exc:
            raise OutputError(describe(exc, self.root)) from None
        info = self.root / ".lock"  # who holds it, for the message only: the lock is the folder
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                try:
                    holder = info.read_text(encoding="utf-8", errors="replace").strip()[:200]
                except OSError:
                    holder = ""
                raise Locked(f"错误：另一个 report monthly 正在使用归档 {self.root}"
                             f"（{holder or '进程未知'}），本次未运行。") from None
            _HELD.add(fd)
            try:
                info.write_text(f"pid {os.getpid()}", encoding="utf-8")
            except OSError:
                pass  # a read-only archive: the run will say so when it writes
            yield
        finally:
            _HELD.discard(fd)
            os.close(fd)  # closing releases the lock

    # -- months -------------------------------------------------------------------------------
    def month_dir(self, period: Period) -> Path:
        return self.root / f"{period.year:04d}" / f"{period.month:02d}"

    def manifest(self, period: Period) -> dict:
        data = self._read_json(self.month_dir(period) / MANIFEST, None)
        if data is None:
            return {"period": str(period), "jobs": {}}
        if not isinstance(data.get("jobs"), dict):
            raise ArchiveError(f"错误：{self.month_dir(period) / MANIFEST} 的内容不对（缺少 jobs）。"
                               "请从备份恢复")
        return data

    def save_manifest(self, period: Period, manifest: dict) -> None:
        self._write(self.month_dir(period) / MANIFEST, manifest)

    def periods(self) -> list[Period]:
        found = []
        for path in self.root.glob(f"[0-9][0-9][0-9][0-9]/[0-9][0-9]/{MANIFEST}"):
            month = int(path.parent.name)
            if 1 <= month <= 12:
                found.append(Period(int(path.parent.parent.name), month))
        return sorted(found, key=lambda p: (p.year, p.month))

    def next_version(self, period: Period, job: str) -> Path:
        folder = self.month_dir(period)
        numbers = [int(m.group(1)) for p in folder.glob(f"{job}.v*.pdf")
                   if (m := re.fullmatch(re.escape(job) + r"\.v(\d+)\.pdf", p.name))]
        return folder / f"{job}.v{max(numbers, default=0) + 1}.pdf"

    def entries(self):
        """(period, job, entry) for every archived briefing, oldest first."""
        for period in self.periods():
            for job, entry in sorted(self.manifest(period)["jobs"].items()):
                yield period, job, entry

    # -- the journal of 期号 -------------------------------------------------------------------
    def journal(self) -> dict:
        """job → month ("2026-10") → {"number", "state", "sha256", ...}. The first format
        (job → year → month → number) is read as issued numbers."""
        data = self._read_json(self.root / JOURNAL, {})
        if data and "jobs" not in data:  # the first format
            jobs: dict = {}
            for job, years in data.items():
                for months in (years or {}).values():
                    for month, number in (months or {}).items():
                        jobs.setdefault(job, {})[month] = {"number": number, "state": "issued"}
            return jobs
        jobs = data.get("jobs", {})
        if not isinstance(jobs, dict):
            raise ArchiveError(f"错误：{self.root / JOURNAL} 的内容不对。请运行 "
                               f"{REPAIR.format(root=self.root)}")
        return jobs

    def save_journal(self, jobs: dict) -> None:
        self._write(self.root / JOURNAL, {"version": 2, "jobs": jobs})

    def reserve(self, job: str, period: Period, number: int, **extra) -> None:
        """Write the 期号 down before anything of the briefing is: durable (write_atomic
        fsyncs) before the PDF exists."""
        journal = self.journal()
        entry = journal.get(job, {}).get(str(period))
        if entry and entry["number"] != number:
            raise ArchiveError(f"错误：{period} {job} 在 {JOURNAL} 中是第{entry['number']}期，"
                               f"现在算得第{number}期：期号不能改变。请检查 config.toml 的 issue_start")
        state = "reissuing" if entry and entry.get("state") == "issued" else "reserved"
        journal.setdefault(job, {})[str(period)] = dict(entry or {}, number=number, state=state,
                                                        **extra)
        self.save_journal(journal)

    def commit(self, job: str, period: Period, number: int, pdf_sha256: str) -> None:
        journal = self.journal()
        entry = journal.setdefault(job, {}).setdefault(str(period), {"number": number})
        entry.update(number=number, state="issued", sha256=pdf_sha256)
        for key in ("old_sha256", "kept"):
            entry.pop(key, None)
        self.save_journal(journal)

    def release(self, job: str, period: Period) -> None:
        """A reservation whose build failed before anything was written: forget it."""
        journal = self.journal()
        entry = journal.get(job, {}).get(str(period))
        if entry and entry.get("state") == "reserved":
            del journal[job][str(period)]
            if not journal[job]:
                del journal[job]
            self.save_journal(journal)

    # -- reconciliation ---------------------------------------------------------------------
    def reconcile(self, expected=None, full: bool = False) -> Reconciled:
        """Journal, manifests and PDFs against each other; ``expected(job, period)``: the 期号
        config.toml gives (None: not known). ``full``: hash every PDF (report verify); else
        only its size is checked here, and monthly hashes the months it touches."""
        result = Reconciled()
        repair = REPAIR.format(root=self.root)
        journal = self.journal()
        changed = False
        manifests = {p: self.manifest(p) for p in self.periods()}
        for period, manifest in manifests.items():
            for job, entry in manifest["jobs"].items():
                where = f"{period} {job}"
                pdf = self.month_dir(period) / entry.get("file", f"{job}.pdf")
                record = journal.get(job, {}).get(str(period))
                if record is None:
                    result.problems.append(
                        f"{where}：manifest.json 记录已印发第{entry.get('issue_number')}期，但 {JOURNAL} "
                        f"中没有这一期（{JOURNAL} 可能被删除、清空或换成了旧备份）。期号不会重新编排；"
                        f"请从备份恢复 {JOURNAL}，或运行 {repair} 按 manifest 重建")
                    continue
                if record["number"] != entry.get("issue_number"):
                    result.problems.append(
                        f"{where}：manifest.json 是第{entry.get('issue_number')}期，{JOURNAL} 却是第"
                        f"{record['number']}期。请从备份恢复其中一个，或运行 {repair}")
                state = record.get("state")
                if state == "reserved":  # killed after the manifest, before the commit
                    if pdf.is_file() and sha256(pdf) == entry.get("sha256"):
                        record.update(state="issued", sha256=entry["sha256"])
                        changed = True
                        result.repairs.append(f"{where}：第{record['number']}期已写好而未登记完成，已补记")
                    continue
                if state == "reissuing":
                    changed |= self._finish_reissue(period, job, entry, record, pdf, result)
                    continue
                if not pdf.is_file():
                    result.pdfs[(str(period), job)] = (
                        f"{where}：已印发的 {pdf} 不见了。请从备份恢复这个文件；如确需重新生成，"
                        "请加 --reissue（期号不变，原文件的 SHA-256 仍记录在 manifest 中）")
                elif pdf.stat().st_size != entry.get("size") or \
                        (full and sha256(pdf) != entry.get("sha256")):
                    result.pdfs[(str(period), job)] = (
                        f"{where}：已印发的 {pdf} 与记录不符（大小或 SHA-256 不同：文件被改动、截断或替换）。"
                        "请从备份恢复；如确需重新生成，请加 --reissue")
                for v in entry.get("versions", []):  # the kept versions are records too
                    kept = self.month_dir(period) / v["file"] if v.get("file") else None
                    if kept is not None and (not kept.is_file() or
                                             (full and sha256(kept) != v.get("sha256"))):
                        result.problems.append(
                            f"{where}：保留的旧版本 {kept} 缺失或与记录不符。请从备份恢复这个文件")
                if record.get("sha256") and record["sha256"] != entry.get("sha256"):
                    result.problems.append(f"{where}：{JOURNAL} 与 manifest.json 记录的 SHA-256 不同。"
                                           f"请运行 {repair}")
                if expected and (number := expected(job, period)) is not None and \
                        number != entry.get("issue_number"):
                    result.problems.append(
                        f"{where}：已印发为第{entry.get('issue_number')}期，按现在的 config.toml 却是第{number}"
                        "期：印发过的期号不能改变。请把 issue_start 改回原来的设置")
        for job, months in journal.items():
            numbers: dict[tuple[int, int], str] = {}
            for month, record in list(months.items()):
                period = Period.parse(month)
                key = (period.year, record["number"])
                if key in numbers:
                    result.problems.append(f"{job}：第{record['number']}期同时登记给了 {numbers[key]} 和 "
                                           f"{month}。请从备份恢复 {JOURNAL}，或运行 {repair}")
                numbers[key] = month
                in_manifest = job in manifests.get(period, {"jobs": {}})["jobs"]
                if record.get("state") == "issued" and not in_manifest:
                    result.problems.append(
                        f"{month} {job}：{JOURNAL} 记录已印发第{record['number']}期，但这个月的 "
                        "manifest.json 中没有它（manifest 可能被删除或换成了旧备份）。请从备份恢复")
                elif record.get("state") == "reserved" and not in_manifest:
                    # killed before the manifest: nothing of it was issued; the 期号 stays its own
                    orphan = self.month_dir(period) / f"{job}.pdf"
                    if orphan.is_file():
                        orphan.unlink()
                        result.repairs.append(f"{month} {job}：删除了中断的运行留下的未登记文件 {orphan.name}"
                                              f"（第{record['number']}期将重新生成）")
        if changed and not result.problems:
            self.save_journal(journal)
        return result

    def _finish_reissue(self, period, job, entry, record, pdf, result) -> bool:
        """A reissue a killed run left: done when the manifest has the new PDF; otherwise
        the issued version comes back from the copy kept before."""
        where = f"{period} {job}"
        if pdf.is_file() and entry.get("sha256") == sha256(pdf) and \
                entry.get("sha256") != record.get("old_sha256"):
            record.update(state="issued", sha256=entry["sha256"])
            record.pop("old_sha256", None), record.pop("kept", None)
            result.repairs.append(f"{where}：重新印发已完成而未登记，已补记")
            return True
        kept = self.month_dir(period) / record.get("kept", "")
        if record.get("kept") and kept.is_file() and sha256(kept) == record.get("old_sha256"):
            if not pdf.is_file() or sha256(pdf) != record["old_sha256"]:
                os.replace(kept, pdf)
            else:
                kept.unlink()
            record.update(state="issued", sha256=record["old_sha256"])
            record.pop("old_sha256", None), record.pop("kept", None)
            result.repairs.append(f"{where}：中断的重新印发已撤销，恢复了原来印发的版本")
            return True
        if pdf.is_file() and sha256(pdf) == record.get("old_sha256"):
            record.update(state="issued", sha256=record["old_sha256"])
            record.pop("old_sha256", None), record.pop("kept", None)
            result.repairs.append(f"{where}：中断的重新印发未改动原文件，已恢复登记")
            return True
        # the issued file was already lost or damaged when the reissue began (it kept nothing)
        record.update(state="issued", sha256=record.get("old_sha256"))
        record.pop("old_sha256", None), record.pop("kept", None)
        result.pdfs[(str(period), job)] = (f"{where}：一次重新印发被中断，原来印发的 {pdf} 已缺失或与记录"
                                           "不符。请从备份恢复；或再次加 --reissue 重新生成")
        return True

    def rebuild_journal(self) -> list[str]:
        """``report verify --repair``: the journal again from the manifests (whose PDFs have
        been checked): each issued month with the 期号 its manifest — and its PDF — carry."""
        jobs: dict = {}
        for period, job, entry in self.entries():
            jobs.setdefault(job, {})[str(period)] = {"number": entry["issue_number"],
                                                     "state": "issued", "sha256": entry["sha256"]}
        self.save_journal(jobs)
        return [f"{m} {j}：第{e['number']}期" for j, months in jobs.items() for m, e in months.items()]
