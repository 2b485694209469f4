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
import sys

from ..errors import ReportError


class _ParentGone(Exception):
    pass


CHILD_MEMORY = 4 << 30  # bytes of address space a child may use


def _limit_memory() -> None:
    """In a child: at most CHILD_MEMORY of address space, so that a runaway — a user's
    template capturing endless output with {% set %}, a pathological table — ends in a
    MemoryError (a clean message, exit 2) instead of the machine swapping until the kernel's
    OOM killer picks something. A build's child uses a few hundred MB."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = CHILD_MEMORY if hard == resource.RLIM_INFINITY else min(CHILD_MEMORY, hard)
        if soft == resource.RLIM_INFINITY or soft > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass


PIPE_BYTES = 1 << 20  # Linux's default limit for an unprivileged process (pipe-max-size)


def _widen(connection) -> None:
    """A pipe that holds a whole item: the briefing's HTML and figures (about 100 KB) would
    not fit the default 64 KB, and the child would wait, its send blocked, until the parent —
    still importing WeasyPrint — reads, instead of drawing the charts and the ledger
    meanwhile (measured: half a second of the sample's build). Linux only; elsewhere, or
    above the system's limit, the pipe stays as it is."""
    try:
        import fcntl

        fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


def _leaving() -> None:
    """Before a process ends with os._exit (multiprocessing's children, ``leave``): what it
    made in /tmp (render.remove_font_files)."""
    render = sys.modules.get("reports.typeset.render")
    if render is not None:
        render.remove_font_files()


def leave(code: int) -> None:
    """End this process now, with ``code``: every output is written and fsynced by then; what
    is left is the interpreter freeing WeasyPrint's objects (0.3 s the system does at once).
    So: remove its temporary fonts, flush, and go. The ``report`` command and the web page's
    warm children end this way."""
    import logging

    _leaving()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def _send_all(fn, args, sender, receiver) -> None:
    """In the child: every item, or the exception that stopped it. A parent that is gone (it
    gave up, or was killed) makes a send fail: then the child just ends, quietly."""
    receiver.close()  # the parent's end, inherited: with it open, a send never fails
    _limit_memory()

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
        _leaving()


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
        _widen(sender)
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


def _serve(fn, items, conn, others) -> None:
    """In a pool worker: ``fn(items[i])`` for each index the parent sends, the outcome sent
    back, until the parent says stop (None) or is gone (end of file, a failed send)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops us
    _limit_memory()
    for other in others:  # the parent's ends, inherited: with them open, the parent's death
        other.close()     # would never reach this worker as an end of file or a failed send
    try:
        _serve_items(fn, items, conn)
    finally:
        _leaving()


def _serve_items(fn, items, conn) -> None:
    while True:
        try:
            index = conn.recv()
        except (EOFError, OSError):
            return
        if index is None:
            return
        try:
            outcome = ("ok", fn(items[index]))
        except BaseException as exc:  # noqa: BLE001 — handed to the parent as it is
            outcome = ("error", exc)
        try:
            try:
                conn.send(outcome)
            except OSError:
                raise
            except Exception as inner:  # the outcome itself could not be pickled
                conn.send(("error", RuntimeError(f"{outcome[1]!r} ({inner})")))
        except OSError:
            return


def _death(exitcode: int | None) -> str:
    import signal

    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = str(-exitcode)
        return f"被信号 {name} 终止" + ("（常见原因：内存不足，被系统结束）" if name == "SIGKILL" else "")
    return f"意外退出（退出码 {exitcode}）"


class _Worker:
    __slots__ = ("process", "conn", "index", "started")

    def __init__(self, process, conn):
        self.process, self.conn, self.index, self.started = process, conn, None, 0.0


class Pool:
    """``fn(item)`` for each of ``items`` on ``workers`` forked children, which inherit the
    parent's memory (a warmed builder, the items themselves): only an index goes to a worker
    and only the result comes back. ``run()`` yields ``(item, kind, value)`` as each is done:

    - ``"ok"``: ``value`` is what ``fn`` returned; ``"error"``: the exception it raised;
    - ``"died"``: the worker died on this item twice (the first time it is tried again in a
      new worker: the system may have killed an innocent one), ``value`` says how;
    - ``"overtime"``: it ran longer than ``hard_limit`` seconds and its worker was killed —
      the last resort for a hang no Python timer can interrupt (a loop in a C library).

    One worker dying never stops the others; a killed parent leaves no worker behind (each
    worker holds the only other end of its pipe and ends at end of file)."""

    def __init__(self, fn, items, workers: int, hard_limit: float | None = None):
        import multiprocessing

        self.fn, self.items, self.hard_limit = fn, list(items), hard_limit
        self.size = max(1, min(workers, len(self.items)))
        self.context = multiprocessing.get_context("fork")
        self.workers: list[_Worker] = []

    def _spawn(self) -> _Worker:
        mine, theirs = self.context.Pipe()
        others = [mine] + [w.conn for w in self.workers]  # the parent's ends: closed there
        process = self.context.Process(target=_serve, daemon=True,
                                       args=(self.fn, self.items, theirs, others))
        process.start()
        theirs.close()
        worker = _Worker(process, mine)
        self.workers.append(worker)
        return worker

    def _retire(self, worker: _Worker, kill: bool = False) -> None:
        self.workers.remove(worker)
        if kill:
            worker.process.kill()
        worker.conn.close()
        worker.process.join()

    def run(self):
        import time
        from collections import deque
        from multiprocessing.connection import wait

        queue = deque(range(len(self.items)))
        tries = [0] * len(self.items)
        spawned, allowed = 0, 2 * len(self.items) + self.size
        try:
            while queue or any(w.index is not None for w in self.workers):
                while queue and len(self.workers) < self.size:
                    if spawned == allowed:
                        raise ReportError("生成进程反复意外退出，已停止")
                    self._spawn()
                    spawned += 1
                for w in self.workers:
                    if w.index is None and queue:
                        w.index, w.started = queue.popleft(), time.monotonic()
                        tries[w.index] += 1
                        w.conn.send(w.index)
                busy = [w for w in self.workers if w.index is not None]
                timeout = None
                if self.hard_limit and busy:
                    now = time.monotonic()
                    timeout = max(0.0, min(w.started + self.hard_limit - now for w in busy))
                ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
                                 timeout))
                now = time.monotonic()
                for w in busy:
                    index = w.index
                    if w.conn in ready or w.process.sentinel in ready:
                        try:
                            kind, value = w.conn.recv() if w.conn.poll() else (None, None)
                        except (EOFError, OSError):
                            kind = None
                        if kind is not None:
                            w.index = None
                            yield self.items[index], kind, value
                            continue
                        self._retire(w)  # gone without an answer
                        if tries[index] < 2:
                            queue.appendleft(index)
                        else:
                            yield self.items[index], "died", _death(w.process.exitcode)
                    elif self.hard_limit and now - w.started >= self.hard_limit:
                        self._retire(w, kill=True)
                        yield self.items[index], "overtime", now - w.started
        finally:
            for w in list(self.workers):
                if w.index is None:
                    try:
                        w.conn.send(None)
                    except OSError:
                        pass
                self._retire(w, kill=w.index is not None)
