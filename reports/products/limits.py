"""Time limits: ``--timeout`` stops a build that runs too long (a pathological input, a
hung font) with a clear message instead of hanging a cron job. The limit is a SIGALRM
timer in the process that lays out; what was not finished is not written."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

from ..errors import ReportError


class Timeout(ReportError):
    exit_code = 1


@contextmanager
def deadline(seconds: float | None, what: str):
    """Raise ``Timeout`` in this block after ``seconds`` (None or 0: no limit). Only the
    main thread can take signals; elsewhere the block runs without a limit."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        # an exception raised where Python only reports it (a __del__, a gc callback) is
        # swallowed: ask again soon, until one gets through
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        raise Timeout(f"错误：{what}超过 {seconds:g} 秒，已停止（--timeout）；未写出任何文件。")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
