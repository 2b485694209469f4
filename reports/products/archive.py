"""The archive of issued briefings: one folder a month, a manifest, 期号 that are never reused,
and a lock so that two runs never write it at once.

    archive/2026/10/全省.pdf          the issued briefing (PDF/A-3b, input tables attached)
    archive/2026/10/全省.v1.pdf       an earlier version, kept when the month was reissued
    archive/2026/10/manifest.json     per job: inputs with SHA-256, tool version, template
                                       set hash, output SHA-256, pages, 期号, build time
    archive/issues.json               期号 assigned per job and year
    archive/logs/monthly.log          what every run did
    archive/.lock                     flock while a run is in progress
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from contextlib import contextmanager
from pathlib import Path

from ..errors import ReportError
from ..figures.compute import Period
from ..pdf.output import write_atomic

MANIFEST = "manifest.json"


class Locked(ReportError):
    exit_code = 3


def _dump(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


class Archive:
    def __init__(self, root: Path):
        self.root = Path(root)

    @contextmanager
    def lock(self):
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / ".lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 200, 0).decode(errors="replace").strip()
                raise Locked(f"错误：另一个 report monthly 正在使用归档 {self.root}"
                             f"（{holder or '进程未知'}），本次未运行。") from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    # -- months ---------------------------------------------------------------------------
    def month_dir(self, period: Period) -> Path:
        return self.root / f"{period.year:04d}" / f"{period.month:02d}"

    def manifest(self, period: Period) -> dict:
        path = self.month_dir(period) / MANIFEST
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
        return {"period": str(period), "jobs": {}}

    def save_manifest(self, period: Period, manifest: dict) -> None:
        write_atomic(self.month_dir(period) / MANIFEST, _dump(manifest))

    def periods(self) -> list[Period]:
        found = []
        for path in self.root.glob(f"[0-9][0-9][0-9][0-9]/[0-9][0-9]/{MANIFEST}"):
            found.append(Period(int(path.parent.parent.name), int(path.parent.name)))
        return sorted(found, key=lambda p: (p.year, p.month))

    def next_version(self, period: Period, job: str) -> Path:
        folder = self.month_dir(period)
        numbers = [int(m.group(1)) for p in folder.glob(f"{job}.v*.pdf")
                   if (m := re.fullmatch(re.escape(job) + r"\.v(\d+)\.pdf", p.name))]
        return folder / f"{job}.v{max(numbers, default=0) + 1}.pdf"

    # -- 期号 -------------------------------------------------------------------------------
    def _issues(self) -> dict:
        path = self.root / "issues.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}

    def issue_number(self, job: str, period: Period) -> int:
        """The 期号 of this job's briefing for the period: the one assigned before, or the
        next unused one of its year (assigned for good by ``commit_issue``)."""
        year = self._issues().get(job, {}).get(str(period.year), {})
        if str(period) in year:
            return year[str(period)]
        return max(year.values(), default=0) + 1

    def commit_issue(self, job: str, period: Period, number: int) -> None:
        issues = self._issues()
        year = issues.setdefault(job, {}).setdefault(str(period.year), {})
        if year.get(str(period)) == number:
            return
        if number in year.values():
            raise ReportError(f"期号 {number} 已被 {job} 使用，不能重复分配")
        year[str(period)] = number
        write_atomic(self.root / "issues.json", _dump(issues))

    def entries(self):
        """(period, job, entry) for every archived briefing, oldest first."""
        for period in self.periods():
            for job, entry in sorted(self.manifest(period)["jobs"].items()):
                yield period, job, entry
