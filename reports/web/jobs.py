"""Work the web page starts — checking an upload, building a preview, issuing a month, making a
handout — run off the request thread, one at a time for the data folder: a single worker
thread takes the queued jobs in turn, and holds an ``flock`` on the data folder's
``.web/jobs.lock`` while one runs, so two builds never race over one folder, even from a
second server (the archive's own flock still guards ``report monthly`` against the cron run). Builds and issues run as the
command line itself, ``python -m reports …``, in a child process: the same code path, the same
lock, the same refusals, its own memory, and a crash or a hang (``--timeout``) costs the one
job. The page polls a job's state (queued, running with its seconds, done, failed).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import queue
import re
import secrets
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .store import Store

log = logging.getLogger("reports.web")
TIMEOUT = 600  # seconds a command may run (passed on as --timeout, and enforced here too)


@dataclass
class Outcome:
    ok: bool
    message: str = ""
    result: dict | None = None


def _env() -> dict:
    return dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="100")


_warm = None  # the warm process (web/warm.py), started with the first Runner


def warm_process():
    global _warm
    if _warm is None:
        from .warm import Warm

        _warm = Warm(_env())
    return _warm


def run_command(args: list[str], timeout: float = TIMEOUT, warm: bool = True
                ) -> tuple[int, str]:
    """``report …`` in a child process: (exit code, what it printed). Forked from the warm
    process (web/warm.py) when it can take it, else started afresh."""
    env = _env()
    if warm:
        done = warm_process().run(args, timeout + 30, env, said=timeout)
        if done is not None:
            return done
    try:
        proc = subprocess.run([sys.executable, "-m", "reports", *args], capture_output=True,
                              text=True, timeout=timeout + 30, env=env, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return 1, f"超过 {timeout:.0f} 秒仍未完成，已停止。"
    return proc.returncode, (proc.stdout + proc.stderr).strip()


_LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (INFO|WARNING|ERROR) ")


def summary(message: str, limit: int = 300) -> str:
    """What a failed command said, for the audit log: its warnings and errors without the
    log's timestamps, the progress lines left out; the end of it when long."""
    lines = []
    for line in message.splitlines():
        m = _LOG_LINE.match(line)
        if m and m.group(1) == "INFO":
            continue
        lines.append(line[m.end():] if m else line)
    text = " ".join(x.strip() for x in lines if x.strip())
    return text if len(text) <= limit else "…" + text[-limit:]


class Runner:
    """The queue and its one worker thread."""

    def __init__(self, store: Store, lock: Path | None = None):
        self.store, self.lock = store, lock
        self.queue: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._work, name="report-jobs", daemon=True)
        self.thread.start()
        warm_process().start()  # its imports done by the time the first preview is asked for

    def submit(self, kind: str, user: str, title: str, work: Callable[[], Outcome]) -> str:
        job_id = time.strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(4)
        self.store.add_job(job_id, kind, user, title)
        self.queue.put((job_id, kind, user, title, work))
        return job_id

    def _work(self) -> None:
        while True:
            job_id, kind, user, title, work = self.queue.get()
            try:
                with self._locked():
                    self.store.update_job(job_id, "running")
                    outcome = work()
            except Exception as exc:  # a job's failure is reported, never the server's end
                log.exception("任务 %s 失败", job_id)
                outcome = Outcome(False, f"{type(exc).__name__}: {exc}")
            self.store.update_job(job_id, "done" if outcome.ok else "failed", outcome.message,
                                  json.dumps(outcome.result or {}, ensure_ascii=False))
            self.store.audit(user, kind, f"{title}：{'完成' if outcome.ok else '失败'}"
                             + (f"（{summary(outcome.message)}）" if not outcome.ok else ""),
                             outcome.ok)
            self.queue.task_done()

    def _locked(self):
        """The data folder's job lock, held while one job runs (waits for another server's)."""
        from contextlib import contextmanager

        @contextmanager
        def held():
            if self.lock is None:
                yield
                return
            self.lock.parent.mkdir(parents=True, exist_ok=True)
            with open(self.lock, "a") as f:
                fcntl.flock(f, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(f, fcntl.LOCK_UN)
        return held()

    def idle(self, timeout: float = 60) -> bool:
        """Wait until no job is queued or running (tests)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.queue.unfinished_tasks == 0:
                return True
            time.sleep(0.05)
        return False
