#!/usr/bin/env python3
"""The Typst peer of the speed benchmark (issue 21): prepares a folder with the briefing's
figures (`report figures --json`), its names, and the three charts as ReportLab draws them
(SVG) beside benchmarks/typst/briefing.typ; ``compile`` is what is timed, in a fresh process:

    python benchmarks/typst_peer.py prepare DATA_DIR PERIOD FOLDER
    python benchmarks/typst_peer.py compile FOLDER OUT.pdf
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def prepare(data: Path, period: str, folder: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from reports.data.validate import load_dataset
    from reports.figures.compute import Period, compute
    from reports.typeset.drawing import reportlab_parts

    folder.mkdir(parents=True, exist_ok=True)
    figures = subprocess.run([str(Path(sys.executable).parent / "report"), "figures", "--data",
                              str(data), "--period", period, "--json"], check=True,
                             capture_output=True).stdout
    (folder / "figures.json").write_bytes(figures)
    ds = load_dataset(data)
    cfg = ds.config
    f = compute(ds, Period.parse(period))
    charts, _, _ = reportlab_parts(f, cfg, svg=True)
    for name, chart in charts.items():
        (folder / f"{name}.svg").write_text(chart.svg, encoding="utf-8")
    meta = {"name": cfg.briefing_name, "publisher": cfg.publisher, "issue": f.period.month,
            "date": f"{f.period.year}年{f.period.month}月", "send_to": list(cfg.send_to),
            "copy_to": list(cfg.copy_to), "copies": cfg.copies or 0,
            "regions": {r.name: r.short for r in cfg.regions},
            "charts": {name: c.width for name, c in charts.items()}}
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    shutil.copy(HERE / "typst" / "briefing.typ", folder / "briefing.typ")


def compile_(folder: Path, out: Path) -> None:
    import typst

    typst.compile(str(folder / "briefing.typ"), output=str(out), root=str(folder),
                  font_paths=[str(ROOT / "fonts")], ignore_system_fonts=True)


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4]))
    else:
        compile_(Path(sys.argv[2]), Path(sys.argv[3]))
