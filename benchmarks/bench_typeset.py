#!/usr/bin/env python3
"""What Chinese typesetting costs (issue 17: goal < 5% of build time) and what it does.

Builds the sample briefing and one Chinese handout in fresh processes, alternating three modes:
``off`` (WeasyPrint alone: ragged Chinese, no /ActualText), ``justify`` (typeset/justify.py
and pdf/actualtext.py: 两端对齐 with squeezing, lines broken greedily) and ``all`` (also
typeset/linebreak.py: paragraphs broken as a whole). Reports the median wall time of each and
the differences; inside one ``all`` build, the time spent in each part (the paragraph model,
choosing breaks, spreading lines, marking lines for copying); and from the PDFs, the loosest
justified line and how many lines are loose, with and without the breaker.

    make bench            # with the other benchmarks
    python benchmarks/bench_typeset.py --runs 9
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# Run inside each fresh process: switch parts off before WeasyPrint is patched, build, and
# (mode "profile") time the parts.
RUNNER = r"""
import json, sys, time
mode, argv = sys.argv[1], sys.argv[2:]
sys.path.insert(0, {root!r})
from reports.typeset import justify, linebreak
from reports.pdf import actualtext
spent = {{}}
def timed(module, name, key):
    original = getattr(module, name)
    def wrapper(*a, **k):
        t = time.perf_counter()
        try:
            return original(*a, **k)
        finally:
            spent[key] = spent.get(key, 0.0) + time.perf_counter() - t
    setattr(module, name, wrapper)
if mode == "off":
    justify._installed = linebreak._installed = True  # nothing patched: WeasyPrint alone
    actualtext.mark_lines = lambda pdf, fonts: pdf
elif mode == "justify":
    linebreak._installed = True
elif mode == "profile":
    if argv[0] == "delegations":  # handouts in this process, not in forked workers
        import os
        del os.fork
    timed(linebreak, "_model", "model")
    timed(linebreak, "_make_plan", "breaks")
    timed(justify, "_justify_cjk", "spread")
    timed(actualtext, "mark_lines", "actualtext")
from reports.cli import main
start = time.perf_counter()
code = main(argv)
spent["build"] = time.perf_counter() - start
if mode == "profile":
    print(json.dumps(spent))
sys.exit(code)
"""


def build_commands(tmp: Path) -> dict[str, list[str]]:
    zh = ROOT / "data" / "delegations" / "江苏省经贸代表团.yaml"
    return {
        "briefing": ["build", "--data", str(ROOT / "data"), "--out", str(tmp / "b")],
        "handout": ["delegations", str(zh), "--data", str(ROOT / "data"), "--out",
                    str(tmp / "h"), "--jobs", "1"],
    }


def run(mode: str, argv: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", RUNNER.format(root=str(ROOT)), mode, *argv],
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{mode} {argv[0]} failed: {proc.stderr[-2000:]}")
    return wall, proc.stdout


def looseness(pdf: Path) -> dict:
    """The justified body lines of a PDF (lines of the serif at body size followed by a line of
    the same paragraph): how many, the loosest gap between characters (em), how many over
    0.1 and 0.15 em."""
    from collections import defaultdict

    import pdfplumber

    gaps = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            body = [c for c in page.chars if "Serif" in c["fontname"] and 13.5 < c["size"] < 14.5]
            rows = defaultdict(list)
            for c in body:
                rows[round(c["top"])].append(c)
            tops = sorted(rows)
            for a, b in zip(tops, tops[1:]):
                line = sorted(rows[a], key=lambda c: c["x0"] + c["x1"])
                if b - a < 30 and len(line) > 4:
                    left_next = min(c["x0"] for c in rows[b])
                    left_this = min(c["x0"] for c in line)
                    if abs(left_next - left_this) < 30:  # b continues a's paragraph
                        gaps.append(max(q["x0"] - p["x0"] - 14 for p, q in zip(line, line[1:])
                                        if q["x0"] - p["x0"] >= 13.9) / 14)
    return {"lines": len(gaps), "loosest_em": round(max(gaps, default=0), 3),
            "over_0.1_em": sum(g > 0.1 for g in gaps), "over_0.15_em": sum(g > 0.15 for g in gaps)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args(argv)
    report: dict = {"runs": args.runs, "cases": {}}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for case, cmd in build_commands(tmp).items():
            print(f"… {case}", file=sys.stderr, flush=True)
            walls: dict[str, list[float]] = {"off": [], "justify": [], "all": []}
            for _ in range(args.runs):  # alternate the modes run by run
                for mode in walls:
                    walls[mode].append(run(mode, cmd)[0])
            parts = [json.loads(run("profile", cmd)[1].strip().splitlines()[-1])
                     for _ in range(3)]
            median = {m: statistics.median(w) for m, w in walls.items()}
            profile = {k: round(statistics.median(p.get(k, 0.0) for p in parts) * 1000, 1)
                       for k in ("model", "breaks", "spread", "actualtext", "build")}
            report["cases"][case] = {
                "wall_s": {m: round(v, 3) for m, v in median.items()},
                "wall_s_all": {m: [round(x, 3) for x in w] for m, w in walls.items()},
                "typesetting_share": round((median["all"] - median["off"]) / median["all"], 3),
                "breaker_share": round((median["all"] - median["justify"]) / median["all"], 3),
                "in_process_ms": profile,
                "in_process_share": round(sum(v for k, v in profile.items() if k != "build")
                                          / profile["build"], 3),
            }
        # what the breaker changes, on the same briefing
        for mode in ("justify", "all"):
            out = tmp / f"look-{mode}"
            run(mode, ["build", "--data", str(ROOT / "data"), "--out", str(out)])
            report["cases"]["briefing"][f"lines_{mode}"] = looseness(next(out.glob("*.pdf")))
    (HERE / "results-typeset.json").write_text(json.dumps(report, ensure_ascii=False, indent=1)
                                               + "\n")
    print(f"median of {args.runs} fresh processes, alternating")
    print(f"{'case':<9} {'off s':>7} {'justify s':>10} {'all s':>7} {'all−off':>8} "
          f"{'in-process ms (model/breaks/spread/actualtext of build)':>58}")
    for case, r in report["cases"].items():
        w, p = r["wall_s"], r["in_process_ms"]
        print(f"{case:<9} {w['off']:>7.3f} {w['justify']:>10.3f} {w['all']:>7.3f} "
              f"{r['typesetting_share']:>7.1%} "
              f"{p['model']:>10} / {p['breaks']} / {p['spread']} / {p['actualtext']} of "
              f"{p['build']} ({r['in_process_share']:.1%})")
    b = report["cases"]["briefing"]
    print(f"briefing body lines, greedy → whole-paragraph: {b['lines_justify']} → {b['lines_all']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
