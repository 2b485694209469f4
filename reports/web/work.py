"""What the web page's jobs do, each a function returning an ``Outcome``: check an upload (the
rules of ``report validate``, every problem with its sheet, row, column and value), build its
preview (``report build`` and ``report build --print`` in a child process, the pages as
pictures, the headline figures), adopt it as the data folder's, issue a month (``report
monthly``), make a handout (``report delegations``)."""

from __future__ import annotations

import json
from pathlib import Path

from . import uploads
from .jobs import Outcome, run_command

# the Word and OFD copies a preview offers beside the PDFs, and how they are served
OFFICE = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          ".ofd": "application/ofd"}


def _problem(p) -> dict:
    return {"kind": "错误" if p.error else "警告" if p.warning else "说明", "file": p.file or "",
            "sheet": p.sheet or "", "row": p.row if p.row is not None else "",
            "column": p.column or p.field or "", "value": p.value or "", "message": p.message}


def check(folder: Path) -> Outcome:
    """The upload's tables by ``report validate``'s rules: (ok, problems as rows)."""
    from ..data.validate import load_dataset
    from ..errors import ConfigError, DataError

    try:
        ds = load_dataset(folder, extra=("opportunities",))
    except DataError as exc:
        rows = [_problem(p) for p in exc.problems]
        errors = sum(r["kind"] == "错误" for r in rows)
        return Outcome(False, f"数据有{errors}处错误", {"problems": rows})
    except ConfigError as exc:
        return Outcome(False, str(exc), {"problems": [{"kind": "错误", "file": "config.toml",
                                                      "sheet": "", "row": "", "column": "",
                                                      "value": "", "message": str(exc)}]})
    rows = [_problem(p) for p in ds.warnings + ds.notes]
    counts = {"projects": len(ds.projects), "funds": len(ds.funds), "targets": len(ds.targets),
              "opportunities": len(ds.opportunities)}
    latest = ds.latest_month()
    return Outcome(True, f"数据无误（签约项目{counts['projects']}行，到位资金{counts['funds']}行，"
                   f"年度目标{counts['targets']}行）", {"problems": rows, "counts": counts,
                                                   "latest": f"{latest[0]}-{latest[1]:02d}"
                                                   if latest else ""})


def preview(folder: Path, period: str | None) -> Outcome:
    """The briefing of an upload, screen and print, its pages as pictures and its headline
    figures (each step as the command line does it)."""
    from ..pdf.preview import render_pages

    out = folder / "out"
    if out.exists():
        import shutil

        shutil.rmtree(out)
    period_args = ["--period", period] if period else []
    # the screen version with its Word and OFD copies (for editing in Word or WPS, for an
    # 电子公文 system), then the print shop's
    for variant in (["--formats", "pdf,docx,ofd"], ["--print"]):
        code, said = run_command(["build", "--data", str(folder), "--out", str(out),
                                  "--timeout", "600", *period_args, *variant])
        if code != 0:
            return Outcome(False, said)
    pdfs = sorted(out.glob("*.pdf"), key=lambda p: ("印刷版" in p.name, p.name))
    screen = next(p for p in pdfs if "印刷版" not in p.name)
    pages = render_pages(screen, out / "pages")
    code, said = run_command(["figures", "--data", str(folder), "--json", *period_args])
    figures = _headline(json.loads(said[said.find("{"):])) if code == 0 else []
    (out / "figures.json").write_text(json.dumps(figures, ensure_ascii=False), encoding="utf-8")
    return Outcome(True, f"已生成（{len(pages)}页）", {
        "pdfs": [p.name for p in pdfs], "pages": [p.name for p in pages], "figures": figures,
        "office": sorted(p.name for p in out.glob("*") if p.suffix in OFFICE)})


def _headline(raw: dict) -> list[tuple[str, str]]:
    """A few figures as the briefing prints them, for beside the pictures."""
    from decimal import Decimal

    from ..figures.fmt import Formatter

    fmt = Formatter("zh_CN")
    out = []
    totals = raw.get("totals", raw)

    def value(key):
        item = totals.get(key)
        return item.get("value") if isinstance(item, dict) else item

    for key, label, kind in (("signed_projects", "签约项目", "count"), ("signed", "签约金额", "amount"),
                             ("funds", "到位资金", "amount"),
                             ("funds_outside", "省外到位资金", "amount")):
        v = value(key)
        if v is None:
            continue
        text = fmt.count(Decimal(str(v))) if kind == "count" else fmt.amount(Decimal(str(v)))
        out.append((label, text))
    period = raw.get("period")
    if isinstance(period, dict):
        out.insert(0, ("期间", f"{period.get('year')}年1-{period.get('month')}月"))
    return out


def adopt(data: Path, upload_id: str) -> Outcome:
    from ..data.validate import load_dataset

    moved = uploads.adopt(data, upload_id, lambda folder: load_dataset(folder))
    return Outcome(True, f"已设为当前数据；原来的表已移到 {moved}")


def issue(data: Path, archive: Path, period: str, reissue: bool, allow_late: bool) -> Outcome:
    args = ["monthly", "--data", str(data), "--archive", str(archive), "--period", period,
            "--timeout", "600"]
    if reissue:
        args.append("--reissue")
    if allow_late:
        args.append("--allow-late")
    code, said = run_command(args)
    return Outcome(code == 0, said, {"code": code})


def handout(data: Path, delegation: Path, out: Path) -> Outcome:
    code, said = run_command(["delegations", str(delegation), "--data", str(data), "--out",
                              str(out), "--timeout", "600"])
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*.pdf")) if out.is_dir() else []
    return Outcome(code == 0, said, {"files": files})
