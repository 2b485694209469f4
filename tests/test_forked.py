"""products/forked.py: the two-core overlap of a build. Items come from a forked child as soon
as each is made; its errors come back as themselves; a child that dies, or a parent that gives
up or is killed, leaves no process behind and no traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from reports.errors import DataError, Problem, ReportError
from reports.products.forked import Forked


@pytest.fixture(autouse=True)
def no_hang():
    """A child or parent stuck for good fails the test instead of stalling the suite."""
    def expired(signum, frame):
        raise TimeoutError("hung: a send or a wait that never ends")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def pids_and_items(marker: Path):
    yield os.getpid()
    marker.write_text(str(time.monotonic()))  # the child is on the second item already
    yield "x" * 3_000_000


def test_items_come_from_a_child_in_order_and_the_next_is_made_meanwhile(tmp_path):
    marker = tmp_path / "second"
    stream = Forked(pids_and_items, marker)
    try:
        child = stream.next()
        assert child != os.getpid()
        time.sleep(0.5)
        asked = time.monotonic()
        assert marker.is_file() and float(marker.read_text()) < asked  # overlap
        assert stream.next() == "x" * 3_000_000
    finally:
        stream.close()
    assert stream.process is None


def failing():
    yield 1
    raise DataError([Problem("值不对", file="签约项目.csv", row=7, column="签约金额", value="abc")])


def test_the_childs_exception_is_raised_here_as_itself():
    stream = Forked(failing)
    assert stream.next() == 1
    with pytest.raises(DataError) as caught:
        stream.next()
    problem = caught.value.problems[0]
    assert (problem.file, problem.row, problem.column, problem.value) == \
        ("签约项目.csv", 7, "签约金额", "abc")
    assert stream.process is None  # waited for


def dies():
    yield "first"
    os._exit(3)


def test_a_child_that_dies_gives_a_clear_error():
    stream = Forked(dies)
    assert stream.next() == "first"
    with pytest.raises(ReportError, match="排版进程意外退出"):
        stream.next()


def unpicklable():
    yield lambda: None  # a lambda cannot be pickled


def test_an_item_that_cannot_travel_is_an_error_not_a_hang():
    stream = Forked(unpicklable)
    with pytest.raises(Exception, match="pickle|lambda"):
        stream.next()


def slow():
    yield "first"
    time.sleep(60)
    yield "never"


def test_close_with_kill_does_not_wait_for_a_child_at_work():
    stream = Forked(slow)
    assert stream.next() == "first"
    process = stream.process
    started = time.monotonic()
    stream.close(kill=True)
    assert time.monotonic() - started < 5
    assert not process.is_alive()


def test_giving_up_without_reading_everything_ends_the_child(tmp_path):
    stream = Forked(pids_and_items, tmp_path / "m")
    stream.next()  # the second item is never read
    process = stream.process
    stream.close()
    assert not process.is_alive() and process.exitcode == 0


def test_a_killed_parent_leaves_no_child_and_no_traceback(tmp_path):
    """SIGKILL of the parent while the child works: the child finishes its item, finds
    nobody reading, and ends quietly."""
    script = tmp_path / "parent.py"
    pid_file = tmp_path / "child.pid"
    script.write_text(textwrap.dedent(f"""
        import os, time
        from reports.products.forked import Forked

        def work():
            open({str(pid_file)!r}, "w").write(str(os.getpid()))
            time.sleep(1.0)
            yield "y" * 5_000_000  # more than a pipe holds

        stream = Forked(work)
        time.sleep(30)
        """))
    parent = subprocess.Popen([sys.executable, str(script)], stderr=subprocess.PIPE)
    for _ in range(100):
        if pid_file.is_file() and pid_file.read_text():
            break
        time.sleep(0.05)
    child = int(pid_file.read_text())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    for _ in range(100):  # the orphan is reaped by init once it ends
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        os.kill(child, signal.SIGKILL)
        pytest.fail("the child outlived its killed parent")
    assert b"Traceback" not in parent.stderr.read()


def test_inline_on_one_core(monkeypatch, tmp_path):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    stream = Forked(pids_and_items, tmp_path / "m")
    assert stream.process is None
    assert stream.next() == os.getpid()
    assert len(stream.next()) == 3_000_000
    stream.close()
