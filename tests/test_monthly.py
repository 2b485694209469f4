"""report monthly: idempotent runs, reissue with versions kept, one failing job, the lock,
a writer killed mid-write, catch-up, 期号, and the PDF/A-3b archive copy."""

from __future__ import annotations

import json
import os
from datetime import date

import pytest
from conftest import SMALL_CONFIG, SMALL_FUNDS, write_dataset
from pdfcheck import flat, text
from pypdf import PdfReader

from reports.cli import main
from reports.figures.compute import Period
from reports.pdf import output
from reports.products import monthly
from reports.products.archive import Archive, Locked
from reports.products.briefing import build

JOBS = SMALL_CONFIG + """
[[jobs]]
name = "全省"

[[jobs]]
name = "西宁"
scope = "西宁市"
publisher = "西宁市投资促进局"
"""
TODAY = date(2025, 4, 3)  # previous month: 2025-03


@pytest.fixture
def data(tmp_path):
    return write_dataset(tmp_path / "data", config=JOBS)


def run(data, archive, **kw):
    kw.setdefault("today", TODAY)
    return monthly.run(data, archive, progress=False, **kw)


def statuses(result):
    return {(str(o.period), o.job): o.status for o in result.outcomes}


def test_second_run_builds_nothing(data, tmp_path):
    archive = tmp_path / "archive"
    first = run(data, archive)
    assert statuses(first) == {("2025-03", "全省"): "built", ("2025-03", "西宁"): "built"}
    assert first.exit_code == 0
    pdf = archive / "2025" / "03" / "全省.pdf"
    stamp = pdf.stat().st_mtime_ns
    second = run(data, archive)
    assert statuses(second) == {("2025-03", "全省"): "up-to-date", ("2025-03", "西宁"): "up-to-date"}
    assert second.exit_code == 0 and pdf.stat().st_mtime_ns == stamp
    log = (archive / "logs" / "monthly.log").read_text(encoding="utf-8")
    assert "已是最新" in log and "已生成第3期" in log  # 期号 follow the calendar: March, 第3期


def test_manifest_records_everything(data, tmp_path):
    archive = tmp_path / "archive"
    run(data, archive)
    manifest = json.loads((archive / "2025" / "03" / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["jobs"]["全省"]
    assert {i["file"] for i in entry["inputs"]} == {"config.toml", "签约项目.csv", "到位资金.csv",
                                                  "年度目标.csv"}
    assert all(len(i["sha256"]) == 64 for i in entry["inputs"])
    pdf = (archive / "2025" / "03" / "全省.pdf").read_bytes()
    import hashlib
    assert entry["sha256"] == hashlib.sha256(pdf).hexdigest() and entry["size"] == len(pdf)
    assert entry["pages"] >= 4 and entry["issue_number"] == 3
    assert entry["tool_version"].startswith("0.1.0+") and len(entry["templates_sha256"]) == 64
    assert entry["built_at"].endswith("+00:00")
    assert manifest["jobs"]["西宁"]["scope"] == "西宁市"


def test_changed_input_refused_then_reissued_keeping_v1(data, tmp_path, capsys):
    archive = tmp_path / "archive"
    run(data, archive)
    folder = archive / "2025" / "03"
    issued = (folder / "全省.pdf").read_bytes()
    write_dataset(data, config=JOBS, funds=SMALL_FUNDS + [["P5", "2025-03", "100", ""]])
    refused = run(data, archive)
    # P5 is 海东's: the province's month changed, 西宁's did not
    assert statuses(refused) == {("2025-03", "全省"): "refused", ("2025-03", "西宁"): "up-to-date"}
    assert refused.exit_code == 1
    message = next(o.message for o in refused.outcomes if o.job == "全省")
    assert "--reissue" in message and "到位资金.csv有改动" in message
    assert "到位资金由5100万元更正为5200万元" in message
    assert (folder / "全省.pdf").read_bytes() == issued
    assert not (folder / "全省.v1.pdf").exists()
    reissued = run(data, archive, reissue=True)
    assert statuses(reissued) == {("2025-03", "全省"): "reissued", ("2025-03", "西宁"): "up-to-date"}
    assert (folder / "全省.v1.pdf").read_bytes() == issued
    assert (folder / "全省.pdf").read_bytes() != issued
    assert "到位资金5200万元" in flat(text(folder / "全省.pdf"))
    entry = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["jobs"]["全省"]
    assert entry["issue_number"] == 3  # a reissue keeps its 期号
    assert entry["versions"][0]["file"] == "全省.v1.pdf"
    # CLI exit code for a refusal
    write_dataset(data, config=JOBS)
    args = ["monthly", "--data", str(data), "--archive", str(archive), "--period", "2025-03"]
    assert main(args) == 1
    assert "未重新印发" in capsys.readouterr().out


def test_one_failing_job_leaves_the_others(data, tmp_path):
    config = JOBS.replace('publisher = "西宁市投资促进局"', 'publisher = "西宁\U00020000投资促进局"')
    (data / "config.toml").write_text(config, encoding="utf-8")
    archive = tmp_path / "archive"
    result = run(data, archive)
    assert statuses(result) == {("2025-03", "全省"): "built", ("2025-03", "西宁"): "failed"}
    assert result.exit_code == 2
    assert "U+20000" in next(o.message for o in result.outcomes if o.job == "西宁")
    folder = archive / "2025" / "03"
    assert (folder / "全省.pdf").is_file() and not (folder / "西宁.pdf").exists()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["jobs"]) == {"全省"}
    issues = json.loads((archive / "issues.json").read_text(encoding="utf-8"))["jobs"]
    assert "西宁" not in issues  # no 期号 spent on a failed build


def test_bad_data_fails_every_job_exit_2(data, tmp_path, capsys):
    write_dataset(data, config=JOBS, funds=SMALL_FUNDS + [["PX", "2025-03", "1", ""]])
    archive = tmp_path / "archive"
    assert main(["monthly", "--data", str(data), "--archive", str(archive),
                 "--period", "2025-03"]) == 2
    assert not (archive / "2025").exists()
    assert "找不到这个项目编号" in (archive / "logs" / "monthly.log").read_text(encoding="utf-8")


def test_concurrent_run_exits_3(data, tmp_path, capsys):
    archive = tmp_path / "archive"
    run(data, archive)
    before = sorted(p.relative_to(archive) for p in archive.rglob("*") if p.is_file())
    with Archive(archive).lock():
        with pytest.raises(Locked):
            run(data, archive)
        assert main(["monthly", "--data", str(data), "--archive", str(archive),
                     "--period", "2025-03"]) == 3
        assert "正在使用归档" in capsys.readouterr().err
    after = sorted(p.relative_to(archive) for p in archive.rglob("*") if p.is_file())
    assert before == after
    assert statuses(run(data, archive))[("2025-03", "全省")] == "up-to-date"


def test_lock_across_processes(data, tmp_path):
    import subprocess
    import sys
    archive = tmp_path / "archive"
    code = ("import sys, time; from reports.products.archive import Archive\n"
            f"with Archive({str(archive)!r}).lock():\n"
            "    print('locked', flush=True); time.sleep(5)\n")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        other = subprocess.run([sys.executable, "-m", "reports.cli", "monthly", "--data", str(data),
                                "--archive", str(archive), "--period", "2025-03"],
                               capture_output=True, text=True)
        assert other.returncode == 3, other.stderr
    finally:
        holder.kill()
        holder.wait()


def test_killed_mid_write_leaves_no_partial_file(data, tmp_path, monkeypatch):
    archive = tmp_path / "archive"
    real_fsync = os.fsync

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "fsync", disk_full)
    result = run(data, archive)
    assert {o.status for o in result.outcomes} == {"failed"}
    assert result.exit_code == 1
    monkeypatch.setattr(output.os, "fsync", real_fsync)
    folder = archive / "2025" / "03"
    leftovers = [p.name for p in folder.iterdir()] if folder.exists() else []
    assert leftovers == []  # no PDF, no temporary file, no manifest
    # and an issued month survives a failing reissue untouched
    run(data, archive)
    manifest_before = (folder / "manifest.json").read_bytes()
    pdf_before = (folder / "全省.pdf").read_bytes()
    write_dataset(data, config=JOBS, funds=SMALL_FUNDS + [["P5", "2025-03", "100", ""]])

    def explode(fd):
        raise KeyboardInterrupt  # killed while writing

    monkeypatch.setattr(output.os, "fsync", explode)
    with pytest.raises(KeyboardInterrupt):
        run(data, archive, reissue=True)
    monkeypatch.setattr(output.os, "fsync", real_fsync)
    assert (folder / "manifest.json").read_bytes() == manifest_before
    assert (folder / "全省.pdf").read_bytes() == pdf_before
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_catch_up_builds_exactly_the_missing_months(tmp_path):
    # December 2024 has data (a month without any is never issued: see the next test)
    data = write_dataset(tmp_path / "data", config=JOBS,
                         funds=SMALL_FUNDS + [["P1", "2024-12", "100", ""]])
    archive = tmp_path / "archive"
    run(data, archive, period=Period(2024, 12))
    result = run(data, archive, catch_up=True)  # today 2025-04-03: up to 2025-03
    built = sorted(k for k, v in statuses(result).items() if v == "built")
    assert built == [(m, j) for m in ("2025-01", "2025-02", "2025-03") for j in ("全省", "西宁")]
    assert statuses(result)[("2024-12", "全省")] == "up-to-date"
    issues = json.loads((archive / "issues.json").read_text(encoding="utf-8"))["jobs"]
    assert {m: e["number"] for m, e in issues["全省"].items()} == \
        {"2024-12": 12, "2025-01": 1, "2025-02": 2, "2025-03": 3}
    assert {e["state"] for e in issues["全省"].values()} == {"issued"}
    assert {o.status for o in run(data, archive, catch_up=True).outcomes} == {"up-to-date"}


def test_a_month_without_data_is_not_issued(data, tmp_path):
    """The timer on the 1st, before anyone has entered last month: no 第N期 full of zeros."""
    archive = tmp_path / "archive"
    result = run(data, archive, today=date(2025, 6, 1))  # May 2025: no row at all
    assert {o.status for o in result.outcomes} == {"refused"} and result.exit_code == 2
    assert "2025年5月没有任何数据" in result.outcomes[0].message
    assert "数据中最近的月份是2025年7月" in result.outcomes[0].message  # P6, signed 2025-07
    assert not (archive / "2025" / "05").exists() and not (archive / "issues.json").exists()


def test_archive_copy_is_pdfa3b_with_sources_and_same_text(data, tmp_path):
    archive = tmp_path / "archive"
    run(data, archive)
    pdf = archive / "2025" / "03" / "全省.pdf"
    reader = PdfReader(str(pdf))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in xmp or 'pdfaid:part="3"' in xmp
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp or 'pdfaid:conformance="B"' in xmp
    assert "/OutputIntents" in reader.trailer["/Root"]
    files = reader.attachments
    assert set(files) == {"projects.csv", "funds.csv", "targets.csv", "config.toml"}
    projects = files["projects.csv"][0].decode("utf-8-sig")
    assert "P3,西宁储能项目,西宁市" in projects and "30000" in projects
    # the attached tables load back with the same figures
    from reports.data.validate import load_dataset
    from reports.figures.compute import compute
    back = tmp_path / "back"
    back.mkdir()
    (back / "config.toml").write_text(JOBS, encoding="utf-8")
    for name, (content, *_) in files.items():
        (back / name).write_bytes(content)
    original = compute(load_dataset(data), Period(2025, 3))
    again = compute(load_dataset(back), Period(2025, 3))
    assert (again.signed, again.funds, again.funds_outside) == \
        (original.signed, original.funds, original.funds_outside)
    plain = build(data, Period(2025, 3), tmp_path / "plain")  # build numbers as monthly does
    assert text(pdf) == text(plain.pdf) and "2025年第3期" in text(plain.pdf)
    # reproducible: rebuilding the archive copy from scratch gives the same bytes
    again = tmp_path / "again"
    run(data, again)
    assert (again / "2025" / "03" / "全省.pdf").read_bytes() == pdf.read_bytes()


def test_region_job_is_scoped(data, tmp_path):
    archive = tmp_path / "archive"
    run(data, archive)
    body = flat(text(archive / "2025" / "03" / "西宁.pdf"))
    assert "西宁市招商引资工作简报" in body and "西宁市投资促进局" in body
    assert "1-3月，全市新签约招商引资项目1个，签约金额3亿元" in body
    assert "分县区情况" in body and "西宁市本级" in body
    assert "海东铜箔项目" not in body  # another 市州's project


def test_list_command(data, tmp_path, capsys):
    archive = tmp_path / "archive"
    run(data, archive)
    assert main(["list", "--archive", str(archive)]) == 0
    out = capsys.readouterr().out
    assert "2025-03" in out and "全省" in out and "西宁" in out and "第3期" in out


def test_default_period_is_previous_month():
    assert monthly.previous_month(date(2026, 1, 1)) == Period(2025, 12)
    assert monthly.previous_month(date(2026, 11, 27)) == Period(2026, 10)
