"""WeasyPrint's C declarations parsed ahead of time (reports/typeset/fastffi.py): used when the cache
is writable, silently not used otherwise — the PDF is the same either way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import write_dataset

PROBE = """
import sys, reports.typeset.render
ffi = sys.modules["weasyprint.text.ffi"].ffi
print(type(ffi).__module__)
"""


def run(code: str, cache: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, XDG_CACHE_HOME=cache)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=True)


def test_precompiled_when_the_cache_is_writable(tmp_path):
    first = run(PROBE, str(tmp_path))
    assert first.stdout.strip() == "_cffi_backend"  # the compiled FFI, not cffi.api.FFI
    assert first.stderr == "" and "generating" not in first.stdout
    made = list((tmp_path / "reports-cffi").glob("_reports_weasyprint_ffi_*.py"))
    assert len(made) == 1
    assert run(PROBE, str(tmp_path)).stdout.strip() == "_cffi_backend"  # reused


def test_weasyprint_as_it_is_without_a_cache(tmp_path):
    assert run(PROBE, "/proc/no-cache-here").stdout.strip() == "cffi.api"


def test_same_pdf_either_way(tmp_path):
    data = write_dataset(tmp_path / "d")
    report = str(Path(sys.executable).parent / "report")
    outputs = []
    for cache in (str(tmp_path / "cache"), "/proc/no-cache-here"):
        out = tmp_path / f"out-{len(outputs)}"
        env = dict(os.environ, XDG_CACHE_HOME=cache)
        done = subprocess.run([report, "build", "--data", str(data), "--period", "2025-03",
                               "--out", str(out)], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("已生成：") and done.stdout.count("\n") == 1
        outputs.append(next(out.glob("*.pdf")).read_bytes())
    assert outputs[0] == outputs[1]
