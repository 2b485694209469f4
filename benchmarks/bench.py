#!/usr/bin/env python3
"""Speed benchmark (issues 5, 21): our whole `report build` process against headless Chromium
and plain WeasyPrint rendering the same document's HTML (`report build --html`: the whole
briefing with the ledger as an HTML table), and against Typst typesetting the same briefing
(benchmarks/typst/briefing.typ from `report figures --json`, the same fonts and charts;
typst_peer.py), for the sample briefing and for 1,000 and 3,000 ledger rows. Runs alternate between the three, each a fresh process; the median of RUNS is
reported with wall time, peak RSS (wait4), PDF bytes and pages. Also: an unchanged monthly
rerun. Writes benchmarks/results.json and prints a table.

    make bench                    # this and the data benchmark
    python benchmarks/bench.py --runs 5 --cases sample,1000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
VENV_BIN = Path(sys.executable).parent
REPORT = str(VENV_BIN / "report")
PERIOD = "2026-10"
CHROMIUM_FLAGS = [  # headless print, kept off the network (the machine has none anyway)
    "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--no-first-run", "--disable-quic",
    "--metrics-recording-only", "--host-resolver-rules=MAP * ~NOTFOUND",
]


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of a fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}): {err[-2000:]}")
    return wall, usage.ru_maxrss / 1024


def pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def dataset(case: str) -> Path:
    if case == "sample":
        return ROOT / "data"
    folder = WORK / f"ledger-{case}"
    if not (folder / "config.toml").exists():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "make_sample_data.py"),
                        "--year-counts", f"2024=300,2025=300,2026={case}", "--out", str(folder)],
                       check=True, stdout=subprocess.DEVNULL)
    return folder


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def run_case(case: str, runs: int, tmp: Path) -> dict:
    data = dataset(case)
    out = tmp / case
    # the HTML of the same document (ledger as an HTML table), for Chromium and WeasyPrint
    subprocess.run([REPORT, "build", "--data", str(data), "--period", PERIOD, "--out",
                    str(out / "html"), "--html"], check=True, stdout=subprocess.DEVNULL)
    html = next((out / "html").glob("*.html"))
    engines = {
        "ours": lambda i: [REPORT, "build", "--data", str(data), "--period", PERIOD,
                           "--out", str(out / f"ours{i}")],
        "weasyprint": lambda i: [sys.executable, "-m", "weasyprint", str(html),
                                 str(out / f"weasy{i}.pdf")],
    }
    try:
        import typst  # noqa: F401  (benchmark-only: pip install typst)
    except ImportError:
        print("typst (PyPI) not installed: no Typst peer", file=sys.stderr)
    else:
        peer = out / "typst"
        subprocess.run([sys.executable, str(HERE / "typst_peer.py"), "prepare", str(data),
                        PERIOD, str(peer)], check=True)
        engines["typst"] = lambda i: [sys.executable, str(HERE / "typst_peer.py"), "compile",
                                      str(peer), str(out / f"typst{i}.pdf")]
    browser = chromium()
    if browser:
        engines["chromium"] = lambda i: [browser, *CHROMIUM_FLAGS,
                                         f"--user-data-dir={out / f'profile{i}'}",
                                         f"--print-to-pdf={out / f'chromium{i}.pdf'}",
                                         html.as_uri()]
    results: dict[str, dict] = {name: {"wall": [], "rss": []} for name in engines}
    for i in range(runs):  # alternate the engines run by run
        for name, cmd in engines.items():
            wall, rss = timed(cmd(i))
            results[name]["wall"].append(wall)
            results[name]["rss"].append(rss)
    files = {"ours": next((out / "ours0").glob("*.pdf")), "weasyprint": out / "weasy0.pdf",
             "chromium": out / "chromium0.pdf", "typst": out / "typst0.pdf"}
    summary = {}
    for name, r in results.items():
        summary[name] = {
            "wall_s": round(statistics.median(r["wall"]), 3),
            "wall_s_all": [round(x, 3) for x in r["wall"]],
            "peak_rss_mb": round(statistics.median(r["rss"]), 1),
            "pdf_bytes": files[name].stat().st_size, "pages": pages(files[name]),
        }
    ours = summary["ours"]
    for other in ("chromium", "weasyprint", "typst"):
        if other in summary:
            ours[f"time_vs_{other}"] = round(ours["wall_s"] / summary[other]["wall_s"], 3)
            ours[f"bytes_vs_{other}"] = round(ours["pdf_bytes"] / summary[other]["pdf_bytes"], 3)
    ours["s_per_page"] = round(ours["wall_s"] / ours["pages"], 4)
    return summary


def monthly_rerun(tmp: Path) -> float:
    archive = tmp / "archive"
    cmd = [REPORT, "monthly", "--data", str(ROOT / "data"), "--archive", str(archive),
           "--period", PERIOD]
    timed(cmd)  # first run builds
    return round(statistics.median(timed(cmd)[0] for _ in range(3)), 3)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cases", default="sample,1000,3000")
    args = ap.parse_args(argv)
    cases = args.cases.split(",")
    report = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                         f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
                         f"Python {platform.python_version()}, "
                         f"{platform.freedesktop_os_release().get('PRETTY_NAME', '')}",
              "chromium": subprocess.run([chromium(), "--version"], capture_output=True,
                                         text=True).stdout.strip() if chromium() else None,
              "runs": args.runs, "cases": {}}
    with tempfile.TemporaryDirectory() as tmp:
        # what the engines leave in the temporary directory (plain WeasyPrint's copies of the
        # fonts, 47 MB a run; Chromium's profile) goes with the benchmark's own folder
        scratch = Path(tmp) / "tmp"
        scratch.mkdir()
        os.environ["TMPDIR"] = str(scratch)
        for case in cases:
            print(f"… {case}", file=sys.stderr, flush=True)
            report["cases"][case] = run_case(case, args.runs, Path(tmp))
        report["monthly_unchanged_rerun_s"] = monthly_rerun(Path(tmp))
    (HERE / "results.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    print(f"Machine: {report['machine']}; {report['chromium']}; median of {args.runs} fresh processes")
    print(f"{'case':<8} {'engine':<11} {'wall s':>7} {'RSS MB':>7} {'PDF KB':>8} {'pages':>6}"
          f" {'ours/Chromium':>14} {'ours/naive':>11} {'ours/Typst':>11}")
    for case, summary in report["cases"].items():
        for name, r in summary.items():
            ratio_c = f"{r['time_vs_chromium']:.2f}× / {r['bytes_vs_chromium']:.2f}×" \
                if "time_vs_chromium" in r else ""
            ratio_w = f"{r['time_vs_weasyprint']:.2f}×" if "time_vs_weasyprint" in r else ""
            ratio_t = f"{r['time_vs_typst']:.2f}×" if "time_vs_typst" in r else ""
            print(f"{case:<8} {name:<11} {r['wall_s']:>7.2f} {r['peak_rss_mb']:>7.0f} "
                  f"{r['pdf_bytes'] / 1024:>8.0f} {r['pages']:>6} {ratio_c:>14} {ratio_w:>11} "
                  f"{ratio_t:>11}")
    print(f"(ours/Chromium: time / PDF bytes.) Unchanged monthly rerun: "
          f"{report['monthly_unchanged_rerun_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
