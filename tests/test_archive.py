"""The monthly archive as a record (issue 14): 期号 spent once and by the calendar, journal and
manifests and PDFs reconciled under faults, issued PDFs verified, attachments that reproduce
the figures, refusals, reissues that say 更正, notices to the operator, clear errors."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from conftest import SMALL_FUNDS, write_dataset
from pdfcheck import flat, text
from test_monthly import JOBS, TODAY

from reports.cli import main
from reports.errors import ConfigError
from reports.figures.compute import Period
from reports.products import archive as archive_module
from reports.products import issue as issue_module
from reports.products import monthly
from reports.products.archive import Archive, ArchiveError, Locked

MARCH = Period(2025, 3)


def run(data, archive, **kw):
    kw.setdefault("today", TODAY)
    return monthly.run(data, archive, progress=False, **kw)


def statuses(result):
    return {(str(o.period), o.job): o.status for o in result.outcomes}


def journal(archive):
    return json.loads((archive / "issues.json").read_text(encoding="utf-8"))["jobs"]


@pytest.fixture
def data(tmp_path):
    # data for every month from 2024-12 to 2025-03 (a month without any is never issued)
    funds = SMALL_FUNDS + [["P1", "2024-12", "100", ""]]
    return write_dataset(tmp_path / "data", config=JOBS, funds=funds)


# -- 期号 ---------------------------------------------------------------------------------
def test_numbers_follow_the_calendar_not_build_order(data, tmp_path):
    archive = tmp_path / "a"
    run(data, archive, period=MARCH)
    run(data, archive, period=Period(2025, 1), allow_late=True)  # built after March
    numbers = {m: e["number"] for m, e in journal(archive)["全省"].items()}
    assert numbers == {"2025-03": 3, "2025-01": 1}
    # a clock set back changes nothing: the numbers are the months'
    assert statuses(run(data, archive, period=MARCH, today=date(2025, 4, 1)))[("2025-03", "全省")] \
        == "up-to-date"


def test_a_month_earlier_than_one_issued_needs_a_decision(data, tmp_path):
    archive = tmp_path / "a"
    run(data, archive, period=MARCH)
    result = run(data, archive, period=Period(2025, 2))
    assert statuses(result) == {("2025-02", "全省"): "refused", ("2025-02", "西宁"): "refused"}
    assert "早于已印发的 2025-03" in result.outcomes[0].message and "--allow-late" in \
        result.outcomes[0].message
    assert "2025-02" not in journal(archive)["全省"] and result.exit_code == 2


def test_issue_start_mid_year_and_build_agrees(data, tmp_path):
    config = JOBS.replace('[briefing]\n', '[briefing]\nissue_start = { month = "2025-02", number = 5 }\n')
    (data / "config.toml").write_text(config, encoding="utf-8")
    archive = tmp_path / "a"
    run(data, archive, period=MARCH)
    assert journal(archive)["全省"]["2025-03"]["number"] == 6  # Feb 第5期, Mar 第6期
    assert "2025年第6期" in text(archive / "2025" / "03" / "全省.pdf")
    from reports.products.briefing import build
    built = build(data, MARCH, tmp_path / "out")
    assert "2025年第6期" in text(built.pdf)
    before = run(data, archive, period=Period(2025, 1), allow_late=True)
    assert "期号从2025年2月的第5期起算" in before.outcomes[0].message
    # a series cannot be renumbered afterwards: changing issue_start stops the run
    (data / "config.toml").write_text(JOBS, encoding="utf-8")
    with pytest.raises(ArchiveError, match="印发过的期号不能改变"):
        run(data, archive, period=MARCH)


def test_old_issue_number_setting_is_an_error_saying_what_to_use(data):
    config = JOBS.replace('[briefing]\n', '[briefing]\nissue_number = 4\n')
    (data / "config.toml").write_text(config, encoding="utf-8")
    from reports.data.config import load_config
    with pytest.raises(ConfigError, match="issue_number 已取消.*issue_start"):
        load_config(data)


# -- the journal under faults ---------------------------------------------------------------
def test_killed_between_manifest_and_journal_commit_is_completed_next_run(data, tmp_path,
                                                                           monkeypatch):
    """The PDF and manifest written, the journal not yet marked: the next run completes it,
    calls the month up to date, and the next month still gets its own number."""
    archive = tmp_path / "a"

    def killed(*a, **k):
        raise KeyboardInterrupt  # SIGKILL in the window: nothing after this runs
    monkeypatch.setattr(Archive, "commit", killed)
    monkeypatch.setattr(issue_module, "_undo", lambda *a, **k: None)  # no cleanup either
    with pytest.raises(KeyboardInterrupt):
        run(data, archive, period=Period(2025, 2))
    monkeypatch.undo()
    assert journal(archive)["全省"]["2025-02"]["state"] == "reserved"
    again = run(data, archive, period=Period(2025, 2))
    assert statuses(again)[("2025-02", "全省")] == "up-to-date"
    assert journal(archive)["全省"]["2025-02"]["state"] == "issued"
    run(data, archive, period=MARCH)
    assert journal(archive)["全省"]["2025-03"]["number"] == 3
    log = (archive / "logs" / "monthly.log").read_text(encoding="utf-8")
    assert "已写好而未登记完成，已补记" in log


def test_killed_after_the_pdf_before_the_manifest_leaves_no_issue(data, tmp_path, monkeypatch):
    """An orphan PDF (written, never recorded) is removed, and the month built again under
    the same number — not a second 期号."""
    archive = tmp_path / "a"
    monkeypatch.setattr(Archive, "save_manifest",
                        lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    monkeypatch.setattr(issue_module, "_undo", lambda *a, **k: None)
    with pytest.raises(KeyboardInterrupt):
        run(data, archive, period=MARCH)
    monkeypatch.undo()
    assert (archive / "2025" / "03" / "全省.pdf").is_file()  # the orphan
    again = run(data, archive, period=MARCH)
    assert statuses(again)[("2025-03", "全省")] == "built"
    assert journal(archive)["全省"]["2025-03"] == {
        "number": 3, "state": "issued",
        "sha256": archive_module.sha256(archive / "2025" / "03" / "全省.pdf")}
    assert "删除了中断的运行留下的未登记文件" in (archive / "logs" / "monthly.log").read_text("utf-8")


def test_disk_full_after_the_pdf_undoes_it_and_spends_no_number(data, tmp_path, monkeypatch):
    archive = tmp_path / "a"
    real = archive_module.Archive.save_manifest

    def full(self, period, manifest):
        raise archive_module.OutputError("错误：无法写入 manifest.json：磁盘空间不足")
    monkeypatch.setattr(Archive, "save_manifest", full)
    result = run(data, archive, period=MARCH)
    assert {o.status for o in result.outcomes} == {"failed"} and result.exit_code == 1
    assert not (archive / "2025" / "03" / "全省.pdf").exists()
    assert journal(archive) == {}  # reservations released
    monkeypatch.setattr(Archive, "save_manifest", real)
    assert {o.status for o in run(data, archive, period=MARCH).outcomes} == {"built"}


@pytest.mark.parametrize("damage", ["delete", "empty", "old backup", "corrupt"])
def test_a_lost_or_damaged_journal_stops_the_run_and_repair_rebuilds_it(data, tmp_path,
                                                                         damage, capsys):
    archive = tmp_path / "a"
    run(data, archive, period=Period(2025, 2))
    backup = (archive / "issues.json").read_bytes()
    run(data, archive, period=MARCH)
    journal_file = archive / "issues.json"
    if damage == "delete":
        journal_file.unlink()
    elif damage == "empty":
        journal_file.write_text("{}", encoding="utf-8")
    elif damage == "old backup":
        journal_file.write_bytes(backup)
    else:
        journal_file.write_text('{"version": 2, "jobs": {', encoding="utf-8")
    args = ["monthly", "--data", str(data), "--archive", str(archive), "--period", "2025-03"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "report verify --archive" in err and "--repair" in err
    assert main(["verify", "--archive", str(archive), "--repair"]) == 0
    assert "已按 manifest.json 重建 issues.json" in capsys.readouterr().out
    assert {m: e["number"] for m, e in journal(archive)["全省"].items()} == \
        {"2025-02": 2, "2025-03": 3}
    assert main(args) == 0


def test_corrupt_manifest_is_a_clear_error(data, tmp_path, capsys):
    archive = tmp_path / "a"
    run(data, archive, period=MARCH)
    (archive / "2025" / "03" / "manifest.json").write_text("{broken", encoding="utf-8")
    assert main(["monthly", "--data", str(data), "--archive", str(archive),
                 "--period", "2025-03"]) == 1
    err = capsys.readouterr().err
    assert "manifest.json 已损坏" in err and "Traceback" not in err


# -- the lock -----------------------------------------------------------------------------
def test_deleting_the_lock_file_does_not_break_the_lock(data, tmp_path):
    archive = tmp_path / "a"
    with Archive(archive).lock():
        (archive / ".lock").unlink()
        with pytest.raises(Locked):
            run(data, archive, period=MARCH)


# -- issued PDFs verified ------------------------------------------------------------------------
def test_a_truncated_pdf_is_never_up_to_date(data, tmp_path, capsys):
    archive = tmp_path / "a"
    run(data, archive, period=MARCH)
    pdf = archive / "2025" / "03" / "全省.pdf"
    pdf.write_bytes(pdf.read_bytes()[:1000])
    with pytest.raises(ArchiveError, match="与记录不符"):
        run(data, archive, period=MARCH)
    assert main(["verify", "--archive", str(archive)]) == 1
    assert "全省.pdf 与记录不符" in capsys.readouterr().err


def test_a_deleted_pdf_with_changed_inputs_is_not_quietly_rebuilt(data, tmp_path):
    archive = tmp_path / "a"
    run(data, archive, period=MARCH)
    folder = archive / "2025" / "03"
    original = json.loads((folder / "manifest.json").read_text("utf-8"))["jobs"]["全省"]
    (folder / "全省.pdf").unlink()
    write_dataset(data, config=JOBS, funds=SMALL_FUNDS + [["P1", "2024-12", "100", ""],
                                                          ["P5", "2025-03", "100", ""]])
    with pytest.raises(ArchiveError, match="不见了"):
        run(data, archive, period=MARCH)
    result = run(data, archive, period=MARCH, reissue=True)
    assert statuses(result)[("2025-03", "全省")] == "reissued"
    entry = json.loads((folder / "manifest.json").read_text("utf-8"))["jobs"]["全省"]
    assert entry["issue_number"] == 3
    assert entry["versions"][0] == {"file": None, "sha256": original["sha256"],
                                    "built_at": original["built_at"],
                                    "figures": original["figures"], "lost": True}


def test_a_killed_reissue_is_undone_from_the_kept_version(data, tmp_path, monkeypatch):
    archive = tmp_path / "a"
    run(data, archive, period=MARCH)
    folder = archive / "2025" / "03"
    issued = (folder / "全省.pdf").read_bytes()
    write_dataset(data, config=JOBS, funds=SMALL_FUNDS + [["P1", "2024-12", "100", ""],
                                                          ["P5", "2025-03", "100", ""]])
    monkeypatch.setattr(Archive, "save_manifest",
                        lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    monkeypatch.setattr(issue_module, "_undo", lambda *a, **k: None)
    with pytest.raises(KeyboardInterrupt):
        run(data, archive, period=MARCH, reissue=True)
    monkeypatch.undo()
    assert (folder / "全省.pdf").read_bytes() != issued  # the new one, never recorded
    result = run(data, archive, period=MARCH)  # reconciled: the issued version is back
    assert (folder / "全省.pdf").read_bytes() == issued
    assert statuses(result)[("2025-03", "全省")] == "refused"
    assert not (folder / "全省.v1.pdf").exists()


# -- attachments reproduce the briefing -----------------------------------------------------
@pytest.mark.parametrize("job", ["全省", "西宁"])
def test_attachments_give_the_same_figures_with_report_figures(data, tmp_path, capsys, job):
    from reports.pdf.attachments import read_attachments

    # later rows than the period, and funds of a project signed two years before
    write_dataset(data, config=JOBS, funds=SMALL_FUNDS + [["P1", "2024-12", "100", ""],
                                                          ["P7", "2025-04", "5", ""]])
    archive = tmp_path / "a"
    run(data, archive, period=MARCH)
    extracted = tmp_path / "extracted"
    extracted.mkdir()
    for name, content in read_attachments(archive / "2025" / "03" / f"{job}.pdf").items():
        (extracted / name).write_bytes(content)
    assert sorted(p.name for p in extracted.iterdir()) == \
        ["config.toml", "funds.csv", "projects.csv", "targets.csv"]
    figures = []
    for folder in (data, extracted):
        assert main(["figures", "--data", str(folder), "--period", "2025-03", "--job", job,
                     "--json"]) == 0
        figures.append(without_rows(json.loads(capsys.readouterr().out)))
    assert figures[0] == figures[1]


def without_rows(value):
    """Row numbers are where a project is in a file, not a figure."""
    if isinstance(value, dict):
        return {k: without_rows(v) for k, v in value.items() if k != "row"}
    if isinstance(value, list):
        return [without_rows(v) for v in value]
    return value


def test_verify_reproduces_every_briefing(data, tmp_path, capsys):
    archive = tmp_path / "a"
    run(data, archive, period=Period(2025, 2))
    run(data, archive, period=MARCH)
    assert main(["verify", "--archive", str(archive)]) == 0
    assert "4份简报，4份的附件数据重新计算后与记录的数字一致" in capsys.readouterr().out
    manifest = archive / "2025" / "03" / "manifest.json"
    m = json.loads(manifest.read_text("utf-8"))
    m["jobs"]["全省"]["figures"]["signed"] = "1"  # a record that the data does not give
    manifest.write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    assert main(["verify", "--archive", str(archive)]) == 1
    assert "附件中的数据重新计算后与印发时记录的数字不同（signed）" in capsys.readouterr().err


# -- refusals ------------------------------------------------------------------------------
def test_incomplete_month_refused_unless_allowed(data, tmp_path, monkeypatch):
    from reports.figures import completeness

    monkeypatch.setattr(completeness, "MIN_ROWS", 4)
    # February with one fund row after January's six
    january = [[p, "2025-01", "10", s] for p in ("P1", "P2", "P7") for s in ("省外", "省内")]
    funds = [f for f in SMALL_FUNDS if f[1] != "2025-01"] + january + [["P1", "2024-12", "100", ""]]
    write_dataset(data, config=JOBS, funds=funds)
    archive = tmp_path / "a"
    refused = run(data, archive, period=Period(2025, 2))
    assert {o.status for o in refused.outcomes} == {"refused"} and refused.exit_code == 2
    assert "2025年2月的到位资金只有1行，上个月有6行" in refused.outcomes[0].message
    assert "未占用期号" in refused.outcomes[0].message and not (archive / "issues.json").exists()
    allowed = run(data, archive, period=Period(2025, 2), allow_incomplete=True)
    assert {o.status for o in allowed.outcomes} == {"built"}


def test_a_month_not_over_or_in_the_future_is_refused(data, tmp_path):
    for p in (Period(2025, 4), Period(9999, 12)):
        result = run(data, tmp_path / "a", period=p)
        assert {o.status for o in result.outcomes} == {"refused"} and result.exit_code == 2
        assert "尚未结束或在未来" in result.outcomes[0].message


# -- reissue --------------------------------------------------------------------------------
def test_reissue_says_correction_and_lists_the_changed_figures(data, tmp_path):
    archive = tmp_path / "a"
    run(data, archive, period=MARCH)
    write_dataset(data, config=JOBS, funds=SMALL_FUNDS + [["P1", "2024-12", "100", ""],
                                                          ["P5", "2025-03", "100", ""]])
    run(data, archive, period=MARCH, reissue=True, today=date(2025, 4, 20))
    body = flat(text(archive / "2025" / "03" / "全省.pdf"))
    assert "2025年第3期（更正）" in body and "本期于2025年4月20日更正" in body
    assert "更正说明" in body and "到位资金由5100万元更正为5200万元" in body
    assert "海东市到位资金由500万元更正为600万元" in body
    assert (archive / "2025" / "03" / "全省.v1.pdf").is_file()


# -- notices -------------------------------------------------------------------------------
@pytest.fixture
def receiver():
    got = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            got.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *a):
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"json://127.0.0.1:{server.server_port}/hook", got
    server.shutdown()


def test_failed_or_refused_run_notifies_the_operator(data, tmp_path, receiver):
    url, got = receiver
    (data / "config.toml").write_text(JOBS + f'\n[notify]\nurls = ["{url}"]\n', encoding="utf-8")
    archive = tmp_path / "a"
    assert run(data, archive, period=MARCH).exit_code == 0
    assert got == []  # nothing to say
    run(data, archive, period=Period(2025, 2))  # earlier than March: refused
    assert len(got) == 1 and "report monthly 未完成" in got[0]["title"]
    assert "2025-02 全省：refused" in got[0]["message"] and "--allow-late" in got[0]["message"]
    (archive / "2025" / "03" / "全省.pdf").write_bytes(b"%PDF-1.7 damaged")
    with pytest.raises(ArchiveError):
        run(data, archive, period=MARCH)
    assert len(got) == 2 and "与记录不符" in got[1]["message"]


def test_report_notify_command(data, receiver, capsys):
    url, got = receiver
    (data / "config.toml").write_text(JOBS + f'\n[notify]\nurls = ["{url}"]\n', encoding="utf-8")
    assert main(["notify", "--data", str(data), "report-monthly.service 失败"]) == 0
    assert got[0]["message"] == "report-monthly.service 失败"


# -- catch-up and late changes ----------------------------------------------------------------
def test_catch_up_is_quiet_after_a_change_that_does_not_touch_the_month(data, tmp_path):
    archive = tmp_path / "a"
    run(data, archive, period=MARCH)
    # a new row for April: March's data is unchanged
    write_dataset(data, config=JOBS, funds=SMALL_FUNDS + [["P1", "2024-12", "100", ""],
                                                          ["P3", "2025-04", "10", ""]])
    result = run(data, archive, catch_up=True, today=date(2025, 4, 3))
    assert {o.status for o in result.outcomes} == {"up-to-date"} and result.exit_code == 0
    assert "这个月的数据未变" in result.outcomes[0].message


# -- clear errors ---------------------------------------------------------------------------------
@pytest.mark.parametrize("old, new, words", [
    ('copies = 50', 'copies = -5', "[briefing] copies 应在 1 到 100000 之间，而不是 -5"),
    ('publisher = "西宁市投资促进局"', 'publisher = 123', "的 publisher 应为文字（加引号），而不是 123"),
    ('name = "西宁"', 'name = "西宁\\u0007"', "不能用作文件名（不能含控制字符"),
])
def test_wrong_config_values_are_clear_errors(data, tmp_path, capsys, old, new, words):
    config = JOBS.replace(old, new, 1)
    assert config != JOBS
    (data / "config.toml").write_text(config, encoding="utf-8")
    assert main(["monthly", "--data", str(data), "--archive", str(tmp_path / "a"),
                 "--period", "2025-03"]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


@pytest.mark.parametrize("errno_, words", [(30, "文件系统为只读"), (28, "磁盘空间不足")])
def test_read_only_or_full_archive_is_a_clear_error(data, tmp_path, capsys, monkeypatch,
                                                    errno_, words):
    """The archive's disk refuses writes (root writes through a mode, so the refusal is made
    by the writer, as the kernel makes it): a sentence, exit 1, nothing half-written."""
    import logging.handlers
    import tempfile

    from reports.pdf import output

    def refused(*a, **k):
        raise OSError(errno_, os.strerror(errno_))
    monkeypatch.setattr(logging.handlers, "RotatingFileHandler", refused)
    args = ["monthly", "--data", str(data), "--archive", str(tmp_path / "a"), "--period", "2025-03"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    monkeypatch.undo()
    monkeypatch.setattr(output.tempfile, "mkstemp", refused)
    assert main(args) == 1
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert tempfile.mkstemp  # the real one, for the rest of the suite


def test_log_is_rotated(data, tmp_path, monkeypatch):
    monkeypatch.setattr(monthly, "LOG_BYTES", 200)
    archive = tmp_path / "a"
    for _ in range(3):
        run(data, archive, period=MARCH)
    assert (archive / "logs" / "monthly.log.1").is_file()


@pytest.mark.parametrize("reissue", [False, True], ids=["issue", "reissue"])
def test_sigkill_at_any_moment_leaves_a_consistent_archive(data, tmp_path, reissue):
    """A real `report monthly` killed (SIGKILL) at different moments, each time run again:
    afterwards one normal run finishes, `report verify` finds everything as recorded, March is
    第3期 and nothing else was numbered."""
    import signal
    import subprocess
    import sys
    import time

    archive = tmp_path / "a"
    cmd = [str(Path(sys.executable).parent / "report"), "monthly", "--data", str(data),
           "--archive", str(archive), "--period", "2025-03"]
    if reissue:
        assert subprocess.run(cmd, capture_output=True).returncode == 0
        write_dataset(data, config=JOBS, funds=SMALL_FUNDS + [["P1", "2024-12", "100", ""],
                                                              ["P5", "2025-03", "100", ""]])
        cmd.append("--reissue")
    for delay in (0.4, 0.8, 1.2, 1.6, 2.0, 2.6):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert main(["verify", "--archive", str(archive)]) == 0
    entries = journal(archive)
    assert {m: e["number"] for m, e in entries["全省"].items()} == {"2025-03": 3}
    assert {e["state"] for job in entries.values() for e in job.values()} == {"issued"}
    folder = archive / "2025" / "03"
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))["jobs"]["全省"]
    listed = {manifest["file"]} | {v["file"] for v in manifest["versions"] if v["file"]}
    on_disk = {p.name for p in folder.glob("全省*.pdf")}
    assert on_disk == listed  # no stray copy of any version
    if reissue:
        assert "到位资金5200万元" in flat(text(folder / "全省.pdf"))
        assert len(manifest["versions"]) == 1


@pytest.mark.parametrize("step, reissue", [("reserved", False), ("pdf", False), ("manifest", False),
                                           ("reserved", True), ("kept", True), ("pdf", True),
                                           ("manifest", True)])
def test_sigkill_in_each_window_of_the_writer(data, tmp_path, step, reissue):
    """The writer held after each of its steps (REPORTS_PAUSE_AT) and killed there: the next
    run reconciles — the month issued once, as 第3期, the files as recorded, no stray copy; a
    killed reissue leaves the issued version or the new one, never a mix."""
    import signal
    import subprocess
    import sys

    from reports.products.issue import PAUSE

    archive = tmp_path / "a"
    cmd = [str(Path(sys.executable).parent / "report"), "monthly", "--data", str(data),
           "--archive", str(archive), "--period", "2025-03"]
    if reissue:
        assert subprocess.run(cmd, capture_output=True).returncode == 0
        issued = (archive / "2025" / "03" / "全省.pdf").read_bytes()
        write_dataset(data, config=JOBS, funds=SMALL_FUNDS + [["P1", "2024-12", "100", ""],
                                                              ["P5", "2025-03", "100", ""]])
        cmd.append("--reissue")
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, **{PAUSE: step}))
    for line in proc.stderr:
        if line.startswith(f"{PAUSE} {step}"):
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    folder = archive / "2025" / "03"
    if reissue and step in ("reserved", "kept", "pdf"):  # before the manifest: not reissued
        again = subprocess.run(cmd[:-1], capture_output=True, text=True)  # without --reissue
        assert again.returncode == 1 and "未重新印发" in again.stdout, again.stdout + again.stderr
        assert (folder / "全省.pdf").read_bytes() == issued
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert main(["verify", "--archive", str(archive)]) == 0
    entries = journal(archive)
    assert entries["全省"]["2025-03"]["number"] == 3 and entries["全省"]["2025-03"]["state"] == "issued"
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))["jobs"]["全省"]
    listed = {manifest["file"]} | {v["file"] for v in manifest["versions"] if v["file"]}
    assert {p.name for p in folder.glob("全省*.pdf")} == listed
    assert len(manifest["versions"]) == (1 if reissue else 0)
    if reissue:
        assert (folder / "全省.v1.pdf").read_bytes() == issued


def test_a_kept_version_deleted_or_changed_is_found(data, tmp_path, capsys):
    archive = tmp_path / "a"
    run(data, archive, period=MARCH)
    write_dataset(data, config=JOBS, funds=SMALL_FUNDS + [["P1", "2024-12", "100", ""],
                                                          ["P5", "2025-03", "100", ""]])
    run(data, archive, period=MARCH, reissue=True)
    kept = archive / "2025" / "03" / "全省.v1.pdf"
    original = kept.read_bytes()
    kept.write_bytes(original[:-10] + b"0123456789")  # same size, other bytes
    assert main(["verify", "--archive", str(archive)]) == 1
    assert "保留的旧版本" in capsys.readouterr().err
    kept.unlink()
    with pytest.raises(ArchiveError, match="保留的旧版本"):
        run(data, archive, period=MARCH)


def test_a_forked_child_does_not_keep_the_archive_locked(tmp_path):
    """The lock's descriptor is inherited by every forked child (a build's drawing process, a
    delegation worker); the child closes its copy, so a parent killed while a child is still at
    work leaves the archive free for the next run."""
    import time

    from reports.products.forked import Forked

    def slow():
        yield "started"
        time.sleep(3)
        yield "done"

    archive = Archive(tmp_path / "a")
    with archive.lock():
        child = Forked(slow)
        assert child.next() == "started"  # the child runs (and would hold the lock) …
    try:
        with archive.lock():  # without the fix: Locked, the child holding the inherited lock
            pass
    finally:
        child.close(kill=True)
