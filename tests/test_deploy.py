"""deploy/: the commands the systemd units and the crontab run are commands this tool has, with
arguments it accepts; the units name each other correctly."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

from reports.cli import build_parser

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read_string((DEPLOY / name).read_text(encoding="utf-8"))
    return parser


def arguments(command: str) -> list[str]:
    words = shlex.split(command)
    assert words[0].endswith("/.venv/bin/report"), words[0]
    return words[1:]


def test_units_run_real_commands():
    for name in ("report-monthly.service", "report-monthly-failure.service"):
        args = arguments(unit(name)["Service"]["ExecStart"])
        build_parser().parse_args(args)  # SystemExit on an unknown command or flag


def test_units_name_each_other_and_tolerate_refusals():
    service = unit("report-monthly.service")
    assert service["Unit"]["OnFailure"] == "report-monthly-failure.service"
    assert (DEPLOY / service["Unit"]["OnFailure"]).is_file()
    assert set(service["Service"]["SuccessExitStatus"].split()) == {"2", "3"}
    assert "--timeout" in service["Service"]["ExecStart"] and service["Service"]["TimeoutStartSec"]
    assert service["Service"]["User"] == "reports"
    archive = arguments(service["Service"]["ExecStart"])
    assert archive[archive.index("--archive") + 1] in service["Service"]["ReadWritePaths"]
    assert unit("report-monthly.timer")["Timer"]["OnCalendar"] == "*-*-01..05 06:00:00"


def test_crontab_keeps_output_and_runs_a_real_command():
    line = next(x for x in (DEPLOY / "crontab").read_text(encoding="utf-8").splitlines()
                if x and not x.startswith("#") and not x.startswith("MAILTO"))
    assert ">/dev/null" not in line
    command = line.split(None, 5)[5].split("&&", 1)[1].strip()
    words = shlex.split(command)
    assert words[0] == ".venv/bin/report"
    build_parser().parse_args(words[1:])


def test_systemd_accepts_the_units(tmp_path):
    """systemd's own check of the unit files, with the tool's path pointed at this checkout."""
    import shutil
    import subprocess
    import sys

    import pytest

    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    venv = Path(sys.executable).parent.parent
    names = ["report-monthly.service", "report-monthly.timer", "report-monthly-failure.service"]
    for name in names:
        text = (DEPLOY / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace("/opt/reports/.venv", str(venv)),
                                     encoding="utf-8")
    done = subprocess.run([analyze, "verify", "--man=no", *names], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr.strip() == "", done.stderr
