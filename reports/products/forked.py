"""Two cores for one briefing: a generator run in a forked child process, its items handed
to the parent one by one as soon as each is ready.

``briefing.build`` uses it so that the two halves of a build overlap: the child loads,
validates and computes the data, renders the HTML (first item) and then draws the charts and
the ledger with ReportLab (second item), while the parent imports WeasyPrint, parses the
stylesheet with its fonts, and lays out the HTML as soon as it arrives. The child's memory is
the parent's at the fork (the data is inherited, not pickled); only the items travel back.
"""

from __future__ import annotations

from ..errors import ReportError


class Forked:
    """The items a generator ``fn(*args)`` yields, computed in a forked child: the data is
    inherited, not pickled; each item comes back through a pipe as soon as it is ready, so
    the parent can start on the first while the child works on the next. ``next()`` returns
    the next item or raises the child's exception. Runs inline where fork is unavailable or
    there is only one core."""

    def __init__(self, fn, *args):
        import os

        self.pid = None
        if not hasattr(os, "fork") or len(os.sched_getaffinity(0)) < 2:
            self.inline = fn(*args)
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, leave without running any cleanup
            import pickle

            os.close(read)
            pipe = os.fdopen(write, "wb")
            try:
                try:
                    for item in fn(*args):
                        self._send(pipe, pickle, ("ok", item))
                except BaseException as exc:  # noqa: BLE001 — re-raised in the parent
                    try:
                        self._send(pipe, pickle, ("error", exc))
                    except Exception as inner:
                        self._send(pipe, pickle, ("error", RuntimeError(f"{exc!r} ({inner})")))
                pipe.close()
            finally:
                os._exit(0)
        os.close(write)
        self.pid, self.pipe = pid, os.fdopen(read, "rb")

    @staticmethod
    def _send(pipe, pickle, outcome) -> None:
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        pipe.write(len(data).to_bytes(8, "big") + data)
        pipe.flush()

    def next(self):
        import pickle

        if self.pid is None:
            return next(self.inline)
        head = self.pipe.read(8)
        if len(head) < 8:
            self.close()
            raise ReportError("图表与附表排版进程意外退出")
        kind, value = pickle.loads(self.pipe.read(int.from_bytes(head, "big")))
        if kind == "error":
            self.close()
            raise value
        return value

    def close(self, kill: bool = False) -> None:
        """Wait for the child; ``kill``: stop it first (the parent gave up: an error, a
        timeout), so that a child still at work cannot keep the parent waiting."""
        import os
        import signal

        if self.pid is not None:
            self.pipe.close()
            if kill:
                try:
                    os.kill(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            os.waitpid(self.pid, 0)
            self.pid = None
