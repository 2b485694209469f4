"""A warm process for the web page's commands (issue 21): each command still runs as the
command line in a process of its own, but one forked from a process that has already
imported the tool and WeasyPrint, not started afresh — about half a second of every preview.

``Warm.run(args, seconds)`` hands ``report …`` to the warm process (``python -m
reports.web.warm``, started on first use), which forks a child per command: the child runs
``cli.main(args)`` with its output into a file and exits with its code — its own memory, its
own process group, so a crash or a hang costs that command alone: past ``seconds`` the whole
group is killed, as ``subprocess.run`` would kill a cold one. The warm process only forks and
waits; it runs no command itself, and starts no thread, so forking it is safe. It answers one
JSON line per command. Anything unexpected — it is gone, it answers nonsense, the code on
disk changed since it started (the manifests record the code's digest, which must be the code
that ran) — and the caller gets None and runs the command cold, as before; the next command
starts a new warm process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

STALE = 75  # the warm process's exit code when the code on disk is not the code it imported


class Warm:
    """The web app's handle on its warm process (one command at a time)."""

    def __init__(self, env: dict | None = None):
        self.env = env
        self.proc: subprocess.Popen | None = None
        self.lock = threading.Lock()

    def start(self) -> None:
        """The warm process, started if it is not running (it imports in the background)."""
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "reports.web.warm"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=self.env)

    def run(self, args: list[str], seconds: float, env: dict | None = None,
            said: float | None = None) -> tuple[int, str] | None:
        """(exit code, what it printed), or None: run it cold. Killed after ``seconds``
        (its message says ``said`` seconds, the limit the user set). ``env``: the command's
        environment (default: this process's now), as a cold one would get it; its working
        folder is this process's now."""
        with self.lock:
            try:
                self.start()
                request = {"args": [str(a) for a in args], "seconds": seconds,
                           "said": seconds if said is None else said,
                           "env": dict(os.environ if env is None else env), "cwd": os.getcwd()}
                self.proc.stdin.write(json.dumps(request).encode() + b"\n")
                self.proc.stdin.flush()
                reply = json.loads(self.proc.stdout.readline() or b"null")
                return int(reply["code"]), str(reply["output"])
            except (OSError, ValueError, TypeError, KeyError):
                self.stop()
                return None

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()


def _child(request: dict, out: int, err: int) -> None:
    """In the forked child: the command, as ``python -m reports`` runs it (which ends the
    process itself: products/forked.leave); never returns."""
    code = 1
    try:
        os.setpgid(0, 0)  # a group of its own: a timeout kills it and its own children
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(out, 1)
        os.dup2(err, 2)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        import runpy

        sys.argv = ["report", *request["args"]]
        runpy.run_module("reports", run_name="__main__", alter_sys=True)  # `python -m reports`
    except SystemExit as exc:  # argparse's refusals: its exit code, as on the command line
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # noqa: BLE001 — reported like an uncaught error, exit 1
        import traceback

        traceback.print_exc()
    finally:
        from ..products.forked import leave

        leave(code)  # where `python -m reports` did not already: argparse's exits, a crash


def _command(request: dict) -> tuple[int, str]:
    """(exit code, its standard output then its standard error), as run_command gives them."""
    seconds = float(request["seconds"])
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            _child(request, out.fileno(), err.fileno())
        deadline = time.monotonic() + seconds
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() > deadline:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                os.waitpid(pid, 0)
                return 1, f"超过 {float(request['said']):.0f} 秒仍未完成，已停止。"
            time.sleep(0.01)
        said = []
        for f in (out, err):
            f.seek(0)
            said.append(f.read().decode("utf-8", "replace"))
        return code, "".join(said).strip()


def main() -> None:
    """The warm process: import what every command would, then one command per line read."""
    import importlib

    from reports.products.monthly import tool_version
    from reports.typeset import render  # noqa: F401 — WeasyPrint, fonts, our patches: warm

    importlib.import_module("reports.cli")  # what `python -m reports` runs (the child runs it)

    version = tool_version()
    for line in sys.stdin.buffer:
        if tool_version() != version:
            sys.exit(STALE)
        code, output = _command(json.loads(line))
        sys.stdout.buffer.write(json.dumps({"code": code, "output": output}).encode() + b"\n")
        sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
