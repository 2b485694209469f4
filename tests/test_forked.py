"""products/forked.py: the two-core overlap of a build. Items come from a forked child as soon
as each is made; its errors come back as themselves; a child that dies, or a parent that gives
up or is killed, leaves no process behind and no traceback. The Pool of ``report delegations``:
every item once, a worker that dies or hangs costs only its item, a killed parent leaves no
worker behind."""

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
from reports.products.forked import Forked, Pool


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
        from reports.products.forked import Forked, Pool

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


# -- Pool ------------------------------------------------------------------------------------

def square_or_fail(item):
    n, marker = item
    if n == 3:
        raise ValueError("three")
    if n == 4 and marker is not None and not marker.exists():
        marker.write_text("killed once")
        os.kill(os.getpid(), signal.SIGKILL)  # the first try only: the retry succeeds
    if n == 5 and marker is None:
        os.kill(os.getpid(), signal.SIGKILL)  # every time: this one is the culprit
    return n * n, os.getpid()


def test_pool_gives_every_item_once_on_several_workers():
    items = [(n, None) for n in range(6, 30)]
    results = list(Pool(square_or_fail, items, workers=2).run())
    assert sorted(item[0] for item, kind, value in results) == list(range(6, 30))
    assert all(kind == "ok" and value[0] == item[0] ** 2 for item, kind, value in results)
    assert len({value[1] for _, _, value in results}) == 2  # two workers, not one per item
    assert os.getpid() not in {value[1] for _, _, value in results}


def test_pool_an_exception_comes_back_as_itself():
    results = {item[0]: (kind, value) for item, kind, value
               in Pool(square_or_fail, [(2, None), (3, None)], workers=2).run()}
    assert results[2] == ("ok", (4, results[2][1][1]))
    kind, exc = results[3]
    assert kind == "error" and isinstance(exc, ValueError) and str(exc) == "three"


def test_pool_a_worker_killed_once_is_retried_and_the_item_succeeds(tmp_path):
    marker = tmp_path / "killed"
    items = [(n, marker) for n in (1, 2, 4, 6, 7, 8)]
    results = {item[0]: (kind, value) for item, kind, value
               in Pool(square_or_fail, items, workers=2).run()}
    assert marker.exists()  # it was killed
    assert sorted(results) == [1, 2, 4, 6, 7, 8]
    assert all(kind == "ok" for kind, _ in results.values())
    assert results[4][1][0] == 16


def test_pool_an_item_that_kills_its_worker_every_time_fails_alone():
    items = [(n, None) for n in (1, 2, 5, 6, 7, 8, 9)]
    results = {item[0]: (kind, value) for item, kind, value
               in Pool(square_or_fail, items, workers=2).run()}
    assert results.pop(5) == ("died", "被信号 SIGKILL 终止（常见原因：内存不足，被系统结束）")
    assert {n: kind for n, (kind, _) in results.items()} == dict.fromkeys((1, 2, 6, 7, 8, 9), "ok")


def sleep_on_two(n):
    if n == 2:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # no Python timer reaches it
        time.sleep(60)
    return n


def test_pool_a_hang_past_the_hard_limit_kills_that_worker_only():
    pool = Pool(sleep_on_two, [1, 2, 3, 4], workers=2, hard_limit=1.0)
    results = {item: (kind, value) for item, kind, value in pool.run()}
    kind, seconds = results.pop(2)
    assert kind == "overtime" and 1.0 <= seconds < 20
    assert results == {1: ("ok", 1), 3: ("ok", 3), 4: ("ok", 4)}
    assert pool.workers == []  # all stopped and joined


def test_pool_a_killed_parent_leaves_no_worker(tmp_path):
    """SIGKILL of the parent while one worker works and one waits: the busy one finishes its
    item and ends (nobody reads), the idle one sees the end of its pipe and ends."""
    script = tmp_path / "parent.py"
    pids = tmp_path / "pids"
    script.write_text(textwrap.dedent(f"""
        import os, time
        from reports.products.forked import Pool

        def work(n):
            with open({str(pids)!r}, "a") as f:
                f.write(f"{{os.getpid()}}\\n")
            time.sleep(n)
            return "z" * 5_000_000  # more than a pipe holds

        for item in Pool(work, [0, 1.5], workers=2).run():
            time.sleep(30)  # the parent is killed here, one worker idle, one at work
        """))
    parent = subprocess.Popen([sys.executable, str(script)], stderr=subprocess.PIPE)
    for _ in range(200):
        if pids.is_file() and len(pids.read_text().split()) == 2:
            break
        time.sleep(0.05)
    workers = [int(p) for p in pids.read_text().split()]
    time.sleep(0.3)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    for pid in workers:
        for _ in range(200):
            if not _alive(pid):
                break
            time.sleep(0.05)
        else:
            os.kill(pid, signal.SIGKILL)
            pytest.fail("a worker outlived its killed parent")
    assert b"Traceback" not in parent.stderr.read()


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return "\nState:\tZ" not in status  # a zombie no init reaps has ended all the same
