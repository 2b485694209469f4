"""The web page's commands forked from a warm process (web/warm.py): the same exit codes,
output and PDFs as a command started afresh; a command past its time killed with all it
started; a warm process that is gone, or whose code is stale, costs nothing but speed."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from conftest import SAMPLE

from reports.web import jobs
from reports.web.warm import Warm


@pytest.mark.parametrize("args", [
    ["validate", "--data", str(SAMPLE)],
    ["figures", "--data", str(SAMPLE), "--json", "--period", "2026-10"],
    ["validate", "--data", "/nonexistent"],  # exit 2, a sentence
    ["bogus"],  # argparse's refusal, exit 2
], ids=["validate", "figures-json", "no-data", "unknown"])
def test_warm_command_answers_as_a_cold_one(args):
    cold = jobs.run_command(args, warm=False)
    warm = jobs.run_command(args)
    assert warm == cold


def test_a_preview_build_is_the_same_pdf(tmp_path):
    out = {}
    for warm in (False, True):
        code, said = jobs.run_command(["build", "--data", str(SAMPLE), "--out",
                                       str(tmp_path / str(warm))], warm=warm)
        assert code == 0, said
        out[warm] = next((tmp_path / str(warm)).glob("*.pdf")).read_bytes()
    assert out[True] == out[False]


def test_the_environment_and_folder_are_the_callers_now(tmp_path, monkeypatch):
    warm = Warm()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").symlink_to(SAMPLE)  # report validate's default: ./data
    code, said = warm.run(["validate"], 60, env=dict(os.environ, COLUMNS="100"))
    warm.stop()
    assert code == 0 and "OK：data 数据无误" in said


def test_a_command_past_its_time_is_killed_with_its_children(tmp_path):
    warm = Warm()
    try:
        warm.run(["validate", "--data", "/nonexistent"], 60)  # warm: imports done
        started = time.monotonic()
        code, said = warm.run(["build", "--data", str(SAMPLE), "--out", str(tmp_path)], 0.3,
                              said=600)
        assert time.monotonic() - started < 5
        assert code == 1 and said == "超过 600 秒仍未完成，已停止。"
        assert not list(tmp_path.glob("*.pdf"))
        time.sleep(0.2)
        assert _children(warm.proc.pid) == []  # nothing of the build left running
    finally:
        warm.stop()


def test_a_warm_process_gone_means_cold_then_a_new_one():
    process = jobs.warm_process()
    assert process.run(["validate", "--data", "/nonexistent"], 60)[0] == 2
    first = process.proc.pid
    os.kill(first, signal.SIGKILL)
    process.proc.wait()
    code, said = jobs.run_command(["validate", "--data", "/nonexistent"])  # cold, or a new one
    assert code == 2 and "config.toml" in said
    assert process.run(["validate", "--data", "/nonexistent"], 60)[0] == 2
    assert process.proc.pid != first


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def test_code_changed_on_disk_means_no_answer_and_an_exit():
    """The manifests record the digest of the code on disk, which must be the code that ran:
    a warm process whose code changed since it started answers nothing and ends (the caller
    runs the command cold, and the next one starts a new warm process)."""
    import json
    import subprocess
    import sys

    from reports.web.warm import STALE

    code = ("import reports.products.monthly as m, reports.web.warm as w\n"
            "versions = iter(['started with this', 'changed since'])\n"
            "m.tool_version = lambda: next(versions)\n"
            "w.main()\n")
    request = {"args": ["validate", "--data", "/nonexistent"], "seconds": 60, "said": 60,
               "env": {}, "cwd": "/"}
    done = subprocess.run([sys.executable, "-c", code], input=json.dumps(request) + "\n",
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == STALE and done.stdout == ""
