"""Nothing left behind in the temporary directory: WeasyPrint copies our fonts (about 50 MB)
into a folder there for fontconfig and removes it only when collected — which a process that
ends with os._exit (the `report` command, its forked workers) never is. A monthly cron run
that left 50 MB a time would fill the disk (typeset/render.remove_font_files)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import SAMPLE

from reports.web.warm import Warm


def leftovers(tmp) -> list[str]:
    return sorted(p.name for p in tmp.iterdir())


@pytest.mark.parametrize("args", [
    ["build", "--data", str(SAMPLE), "--out", "{out}"],
    ["monthly", "--data", str(SAMPLE), "--archive", "{out}", "--period", "2026-10"],
    ["delegations", str(SAMPLE / "delegations"), "--data", str(SAMPLE), "--out", "{out}"],
], ids=["build", "monthly", "delegations"])
def test_a_run_leaves_no_fonts_in_tmp(args, tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    args = [a.replace("{out}", str(tmp_path / "out")) for a in args]
    done = subprocess.run([sys.executable, "-m", "reports", *args], capture_output=True,
                          text=True, env=dict(os.environ, TMPDIR=str(tmp)), timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert any((tmp_path / "out").rglob("*.pdf"))
    assert leftovers(tmp) == []


def test_a_web_command_leaves_no_fonts_in_tmp(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    warm = Warm(dict(os.environ, TMPDIR=str(tmp)))
    try:
        code, said = warm.run(["build", "--data", str(SAMPLE), "--out", str(tmp_path / "out")],
                              300, env=dict(os.environ, TMPDIR=str(tmp)))
        assert code == 0, said
    finally:
        warm.stop()
    assert leftovers(tmp) == []


def _killed_build(tmp_path, appears: str, pause: float):
    """A build with its own temporary directory, killed with SIGKILL once ``appears`` (a
    glob) is there; (that directory, its environment, the killed process's pid)."""
    import signal
    import time

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(tmp))
    killed = subprocess.Popen([sys.executable, "-m", "reports", "build", "--data", str(SAMPLE),
                               "--out", str(tmp_path / "a")], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not any(tmp.glob(appears)) and time.monotonic() < deadline:
        time.sleep(pause)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    return tmp, env, killed.pid


def _next_build(tmp_path, env) -> None:
    done = subprocess.run([sys.executable, "-m", "reports", "build", "--data", str(SAMPLE),
                           "--out", str(tmp_path / "b")], env=env, capture_output=True)
    assert done.returncode == 0


def test_a_killed_runs_fonts_are_removed_by_the_next(tmp_path):
    """A run killed (SIGKILL: the OOM killer, a power cut) cannot remove its folder; the next
    run removes the folders whose makers are gone, and leaves a living one's alone."""
    tmp, env, _ = _killed_build(tmp_path, "weasyprint-*/.reports-pid", 0.05)
    assert len(leftovers(tmp)) == 1  # what the killed run left
    alive = tmp / "weasyprint-alive"
    alive.mkdir()
    (alive / ".reports-pid").write_text(str(os.getpid()))
    _next_build(tmp_path, env)
    assert leftovers(tmp) == ["weasyprint-alive"]


def test_a_run_killed_while_copying_its_fonts_is_cleaned_up_too(tmp_path):
    """Killed the moment its fonts' folder appears (before a font is in it): the folder is
    already marked with its maker, so the next run removes it."""
    tmp, env, pid = _killed_build(tmp_path, "weasyprint-*", 0.002)
    folder, = tmp.glob("weasyprint-*")
    assert (folder / ".reports-pid").read_text() == str(pid)
    _next_build(tmp_path, env)
    assert leftovers(tmp) == []
