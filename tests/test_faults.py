"""Faults (issue 7): disk full, a read-only output folder, a missing or corrupt font, a
broken template, a killed process — each gives a clear message and a non-zero exit, writes
no partial file and leaves earlier outputs as they were."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reports.cli import main
from reports.pdf import output

NAME = "测试简报-2025年03月.pdf"


@pytest.fixture
def earlier(small_data, tmp_path):
    """An output folder holding an earlier briefing."""
    out = tmp_path / "out"
    out.mkdir()
    (out / NAME).write_bytes(b"%PDF-1.7 earlier issue")
    return out


def build(data, out, *extra) -> int:
    return main(["build", "--data", str(data), "--period", "2025-03", "--out", str(out), *extra])


def unchanged(out: Path) -> bool:
    return [p.name for p in out.iterdir()] == [NAME] and \
        (out / NAME).read_bytes() == b"%PDF-1.7 earlier issue"


def test_disk_full(small_data, earlier, monkeypatch, capsys):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.os, "fsync", full)
    assert build(small_data, earlier) == 1
    err = capsys.readouterr().err
    assert f"错误：无法写入 {earlier / NAME}：磁盘空间不足（No space left on device）" in err
    assert "Traceback" not in err
    assert unchanged(earlier)


def test_read_only_output_folder(small_data, earlier, monkeypatch, capsys):
    if os.geteuid() == 0:  # root writes anywhere: make the file system say no
        def read_only(*args, **kwargs):
            raise OSError(errno.EROFS, "Read-only file system")

        monkeypatch.setattr(output.tempfile, "mkstemp", read_only)
        reason = "文件系统为只读"
    else:
        earlier.chmod(0o555)
        reason = "没有写入权限"
    try:
        assert build(small_data, earlier) == 1
    finally:
        earlier.chmod(0o755)
    err = capsys.readouterr().err
    assert f"错误：无法写入 {earlier / NAME}：{reason}" in err and "已有的文件未被改动" in err
    assert unchanged(earlier)


def fonts_copy(tmp_path: Path) -> Path:
    """The bundled fonts, linked into a folder of their own that a test may damage."""
    from reports.typeset.theme import FONTS_DIR

    folder = tmp_path / "fonts"
    folder.mkdir()
    for f in FONTS_DIR.iterdir():
        (folder / f.name).symlink_to(f)
    return folder


@pytest.mark.parametrize("damage", ["missing", "truncated", "not a font"])
def test_missing_or_corrupt_font(small_data, earlier, tmp_path, monkeypatch, capsys, damage):
    from reports.typeset import glyphs
    from reports.typeset.theme import THEME

    folder = fonts_copy(tmp_path)
    victim = folder / THEME.sans_bold
    real = victim.resolve()
    victim.unlink()
    if damage == "truncated":
        victim.write_bytes(real.read_bytes()[:100_000])
    elif damage == "not a font":
        victim.write_bytes(b"<html>404 Not Found</html>" + b" " * (real.stat().st_size - 26))
    monkeypatch.setattr(glyphs, "FONTS_DIR", folder)
    assert build(small_data, earlier) == 1
    err = capsys.readouterr().err
    assert f"fonts/{THEME.sans_bold}" in err and "git checkout -- fonts/" in err
    assert {"missing": "缺失", "truncated": "已损坏（100000 字节", "not a font": "不是字体文件"}[damage] \
        in err
    assert unchanged(earlier)


def test_template_with_a_syntax_error(small_data, earlier, tmp_path, capsys):
    user = tmp_path / "tpl" / "briefing" / "sections"
    user.mkdir(parents=True)
    (user / "overview.html").write_text("<p>{{ f.signed.value|amount }</p>\n", encoding="utf-8")
    assert build(small_data, earlier, "--template", str(tmp_path / "tpl")) == 2
    err = capsys.readouterr().err
    assert "tpl/briefing/sections/overview.html 第1行有误：unexpected '}'" in err
    assert "Traceback" not in err
    assert unchanged(earlier)


def test_killed_process_leaves_the_earlier_file_or_a_whole_new_one(small_data, earlier):
    """SIGKILL at different moments of a real `report build`: at the final name there is
    always the earlier file or a complete new PDF, never part of one; the next run cleans up
    what the killed one left."""
    report = str(Path(sys.executable).parent / "report")
    cmd = [report, "build", "--data", str(small_data), "--period", "2025-03", "--out",
           str(earlier)]
    seen = set()
    for delay in (0.3, 0.6, 0.9, 1.2):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        data = (earlier / NAME).read_bytes()
        if data == b"%PDF-1.7 earlier issue":
            seen.add("earlier")
        else:
            seen.add("new")
            assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
            check = subprocess.run(["qpdf", "--check", str(earlier / NAME)],
                                   capture_output=True, text=True)
            assert check.returncode == 0, check.stdout
            (earlier / NAME).write_bytes(b"%PDF-1.7 earlier issue")
    assert "earlier" in seen
    # a temporary file as a killed writer leaves it (its process is gone)
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = earlier / f".{NAME}.{dead.pid}.abc123.tmp"
    stale.write_bytes(b"%PDF-1.7 half")
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    assert sorted(p.name for p in earlier.iterdir()) == [NAME]


def test_handout_folder_survives_a_failed_write(tmp_path, monkeypatch, capsys):
    from conftest import SAMPLE

    visit = SAMPLE / "delegations" / "浙江企业家考察团.yaml"
    out = tmp_path / "out"
    assert main(["delegations", str(visit), "--data", str(SAMPLE), "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in (out / "浙江企业家考察团").iterdir()}
    assert len(before) == 6  # 5 numbered copies, and all 5 in one file for the printer
    calls = []

    def full_on_third(fd):
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.os, "fsync", full_on_third)
    assert main(["delegations", str(visit), "--data", str(SAMPLE), "--out", str(out)]) == 1
    assert "磁盘空间不足" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in (out / "浙江企业家考察团").iterdir()} == before
    assert [p.name for p in out.iterdir()] == ["浙江企业家考察团"]
