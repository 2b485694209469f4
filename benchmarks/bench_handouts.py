#!/usr/bin/env python3
"""Benchmark (issue 6): 20 delegation handouts in one `report delegations` batch against one
handout built alone, each a fresh process (median of RUNS); wall time, peak RSS of the
whole process tree, time per handout, how many sections were laid out and how many reused.
The 20 delegation files (zh and en, overlapping interests and home regions, some numbered
copies) are generated into benchmarks/work/delegations-20/. Writes
benchmarks/results-handouts.json and prints a table.

    python benchmarks/bench_handouts.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work" / "delegations-20"
REPORT = str(Path(sys.executable).parent / "report")
INTERESTS = [["新能源", "新材料"], ["新能源"], ["大数据", "现代服务业"], ["生态旅游"],
             ["盐湖资源综合利用", "新材料"], ["生物医药", "装备制造"]]
HOMES = ["江苏省", "浙江省", "广东省", "北京市", "上海市", "山东省", "德国", "新加坡"]


def delegations() -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    for i in range(20):
        home = HOMES[i % len(HOMES)]
        lang = "en" if i % 4 == 3 else "zh"
        body = (f"名称: 第{i + 1}代表团\n"
                + (f"英文名称: Delegation No. {i + 1}\n" if lang == "en" else "")
                + f"来访日期: 2026-12-{i + 1:02d}\n关注产业: [{', '.join(INTERESTS[i % len(INTERESTS)])}]\n"
                f"来源地: {home}\n语言: {lang}\n份数: {5 if i % 5 == 0 else 1}\n")
        (WORK / f"d{i + 1:02d}.yaml").write_text(body, encoding="utf-8")
    return WORK


def timed(cmd: list[str]) -> tuple[float, float, str]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd} failed: {err[-2000:]}")
    import resource

    # the largest process (the batch's parent or a worker) of any run so far
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return wall, rss, out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    folder = delegations()
    single, batch, rss_single, rss_batch, stats = [], [], [], [], ""
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            out = Path(tmp) / f"single{run}"
            wall, rss, _ = timed([REPORT, "delegations", str(folder / "d01.yaml"),
                                  "--data", str(ROOT / "data"), "--out", str(out)])
            single.append(wall)
            rss_single.append(rss)
            out = Path(tmp) / f"batch{run}"
            wall, rss, stdout = timed([REPORT, "delegations", str(folder), "--data",
                                       str(ROOT / "data"), "--out", str(out)])
            batch.append(wall)
            rss_batch.append(rss)
            stats = stdout.strip().splitlines()[-1]
    m = re.search(r"章节排版(\d+)次，复用(\d+)次", stats)
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "runs": args.runs,
        "single_s": round(statistics.median(single), 3),
        "batch_20_s": round(statistics.median(batch), 3),
        "per_handout_in_batch_s": round(statistics.median(batch) / 20, 3),
        "ratio_per_handout": round(statistics.median(batch) / 20 / statistics.median(single), 3),
        "sections_laid_out": int(m.group(1)) if m else None,
        "sections_reused": int(m.group(2)) if m else None,
        "largest_process_rss_mb": round(max(rss_batch), 1),
    }
    (HERE / "results-handouts.json").write_text(json.dumps(report, ensure_ascii=False, indent=1)
                                                + "\n")
    print(f"Machine: {report['machine']}; median of {args.runs} fresh processes")
    print(f"| one handout alone | 20 in a batch | per handout in the batch | ratio | sections laid out / reused |")
    print(f"|---|---|---|---|---|")
    print(f"| {report['single_s']:.2f} s | {report['batch_20_s']:.2f} s | "
          f"{report['per_handout_in_batch_s']:.2f} s | {report['ratio_per_handout']:.2f}× | "
          f"{report['sections_laid_out']} / {report['sections_reused']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
