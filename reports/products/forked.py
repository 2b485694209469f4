"""Two cores for one briefing: a generator run in a forked child process, its items handed
to the parent one by one as soon as each is ready.

``briefing.build`` uses it so that the two halves of a build overlap: the child loads,
validates and computes the data, renders the HTML (first item) and then draws the charts and
the ledger with ReportLab (second item), while the parent imports WeasyPrint, parses the
stylesheet with its fonts, and lays out the HTML as soon as it arrives.

The child is a ``multiprocessing`` process of the fork context: its memory is the parent's at
the fork, so the generator and its arguments (a whole loaded dataset) are inherited, not
pickled; each item comes back through a ``Pipe`` as soon as it is made, while the child goes
on to the next. Where fork is unavailable or there is only one core, it runs inline.

Why not ``concurrent.futures.ProcessPoolExecutor`` (fork context, one worker, the generator
made by its initializer): measured, it costs 15–40 ms a build (its import before the fork, a
manager thread, a queue feeder thread), needs the number of items in advance and a private
attribute to kill its worker, and a worker whose parent was killed waits on its call queue
for good — an orphan per killed cron run. tests/test_forked.py holds this module to the
behaviour that matters: order, overlap, errors as themselves, no hang, no orphan.
"""

from __future__ import annotations

import os

from ..errors import ReportError


class _ParentGone(Exception):
    pass


def _send_all(fn, args, sender, receiver) -> None:
    """In the child: every item, or the exception that stopped it. A parent that is gone (it
    gave up, or was killed) makes a send fail: then the child just ends, quietly."""
    receiver.close()  # the parent's end, inherited: with it open, a send never fails

    def send(outcome) -> None:
        try:
            sender.send(outcome)
        except OSError:  # EPIPE, ECONNRESET: nobody reads any more
            raise _ParentGone from None

    try:
        try:
            for item in fn(*args):
                send(("ok", item))
        except _ParentGone:
            raise
        except BaseException as exc:  # noqa: BLE001 — re-raised in the parent
            try:
                send(("error", exc))
            except _ParentGone:
                raise
            except Exception as inner:  # the exception itself could not be pickled
                send(("error", RuntimeError(f"{exc!r} ({inner})")))
    except _ParentGone:
        pass
    finally:
        sender.close()


class Forked:
    """``Forked(fn, *args)``: ``next()`` returns the next item ``fn(*args)`` yields (or raises
    the child's exception); ``close(kill=False)`` waits for the child, or stops it first."""

    def __init__(self, fn, *args):
        self.process = None
        if not hasattr(os, "fork") or len(os.sched_getaffinity(0)) < 2:
            self.inline = fn(*args)
            return
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=_send_all, args=(fn, args, sender, self.receiver),
                                       daemon=True)
        self.process.start()
        sender.close()  # the child holds its end: end of file here when the child is gone

    def next(self):
        """The next item, or the child's exception raised here."""
        if self.process is None:
            return next(self.inline)
        try:
            kind, value = self.receiver.recv()
        except EOFError:
            self.close()
            raise ReportError("图表与附表排版进程意外退出") from None
        if kind == "error":
            self.close()
            raise value
        return value

    def close(self, kill: bool = False) -> None:
        """Wait for the child; ``kill``: stop it first (the parent gave up: an error, a
        timeout), so that a child still at work cannot keep the parent waiting."""
        if self.process is None:
            return
        process, self.process = self.process, None
        self.receiver.close()
        if kill:
            process.kill()
        process.join()
