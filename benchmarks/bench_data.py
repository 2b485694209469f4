#!/usr/bin/env python3
"""Benchmark: load + validate + compute on a generated 10,000-project, 100,000-fund-row
workbook (.xlsx), each run in a fresh process; median wall time and peak RSS of 3 runs.

Goal (issue 2): under 3 s and 500 MB on the 2-core machine. Writes benchmarks/results-data.json.
"""

from __future__ import annotations

import json
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work" / "data-10k"
RUNS = 3

CHILD = r"""
import sys, time, resource
t0 = time.perf_counter()
from reports.data.validate import load_dataset
from reports.figures.compute import compute, Period
ds = load_dataset(sys.argv[1])
f = compute(ds, Period(2026, 10))
assert all(c.ok for c in f.checks)
t1 = time.perf_counter()
print(t1 - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(ds.projects), len(ds.funds))
"""


def main() -> int:
    if not (WORK / "台账.xlsx").exists():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "make_sample_data.py"),
                        "--projects", "10000", "--funds", "100000", "--xlsx-only",
                        "--out", str(WORK)], check=True)
    times, rss = [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", CHILD, str(WORK)], check=True,
                             capture_output=True, text=True, cwd=ROOT).stdout.split()
        wall = time.perf_counter() - start
        times.append(wall)
        rss.append(int(out[1]) / 1024)
        projects, funds = int(out[2]), int(out[3])
    result = {
        "benchmark": "load+validate+compute, .xlsx",
        "projects": projects, "fund_rows": funds,
        "runs": RUNS, "wall_s_median": round(statistics.median(times), 3),
        "wall_s_all": [round(t, 3) for t in times],
        "peak_rss_mb_median": round(statistics.median(rss), 1),
        "goal": "< 3 s and < 500 MB",
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
                   f"{platform.python_version()}, {len(__import__('os').sched_getaffinity(0))} cores",
    }
    result["goal_met"] = result["wall_s_median"] < 3 and result["peak_rss_mb_median"] < 500
    (HERE / "results-data.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    print(f"{projects} projects, {funds} fund rows (.xlsx): median {result['wall_s_median']} s "
          f"(runs {result['wall_s_all']}), peak RSS {result['peak_rss_mb_median']} MB "
          f"— goal < 3 s, < 500 MB: {'met' if result['goal_met'] else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
