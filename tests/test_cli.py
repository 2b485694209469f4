"""The command line, driven in-process: exit codes, messages, output."""

import json

import pytest
from conftest import SAMPLE, SMALL_FUNDS, write_dataset

from reports import cli
from reports.cli import main


def test_validate_ok(small_data, capsys):
    assert main(["validate", "--data", str(small_data)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK：") and "签约项目7行，到位资金7行，年度目标6行" in out


def test_validate_bad_data_exit_2(tmp_path, capsys):
    folder = write_dataset(tmp_path / "d", funds=SMALL_FUNDS + [["PX", "2025-03", "1", ""]])
    assert main(["validate", "--data", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "错误：到位资金.csv 第9行 “项目编号”列：值“PX”，在“签约项目”表中找不到这个项目编号" in err
    assert "数据有1处错误，未生成任何文件" in err
    assert "Traceback" not in err


def test_missing_folder_is_clean(tmp_path, capsys):
    assert main(["validate", "--data", str(tmp_path / "nope")]) == 2
    assert "找不到配置文件" in capsys.readouterr().err


def test_figures_text(small_data, capsys):
    assert main(["figures", "--data", str(small_data), "--period", "2025-03"]) == 0
    out = capsys.readouterr().out
    assert "签约金额4.48亿元，同比增长149.1%" in out
    assert "分市州情况" in out and "海西州" in out


def test_figures_default_period_is_latest_month(small_data, capsys):
    assert main(["figures", "--data", str(small_data), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == {"year": 2025, "month": 7}  # P6 signed 2025-07-01


def test_figures_json_raw_values(small_data, capsys):
    assert main(["figures", "--data", str(small_data), "--period", "2025-03", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["signed"]["value"] == "448456700"  # exact, in one form: 12345.67万 is 123456700
    assert data["signed"]["completion"] == "0.4484567"
    assert data["funds"]["growth"] == "5.375"
    assert data["regions"][0]["short"] == "西宁"


def test_bad_period_argument(small_data, capsys):
    import pytest
    with pytest.raises(SystemExit) as info:
        main(["figures", "--data", str(small_data), "--period", "2025-13"])
    assert info.value.code == 2
    assert "应为 YYYY-MM" in capsys.readouterr().err


def test_sample_figures(capsys):
    assert main(["figures", "--data", str(SAMPLE), "--period", "2026-10"]) == 0
    out = capsys.readouterr().out
    assert "1-10月，全省新签约招商引资项目" in out


def test_validate_checks_the_handout_data_too(tmp_path, capsys):
    import shutil

    from conftest import SAMPLE

    assert main(["validate", "--data", str(SAMPLE)]) == 0
    assert "招商项目52行，省情简介.yaml（3项优势，4项数据）" in capsys.readouterr().out
    data = tmp_path / "d"
    shutil.copytree(SAMPLE, data, ignore=shutil.ignore_patterns("excel", "delegations"))
    (data / "省情简介.yaml").write_text("优势: 5\n", encoding="utf-8")
    assert main(["validate", "--data", str(data)]) == 2
    assert "错误：省情简介.yaml 字段“优势”：应为一个列表" in capsys.readouterr().err


@pytest.mark.parametrize("command", sorted(cli.COMMANDS))
def test_a_command_parsed_alone_as_among_all(command, capsys):
    """main() builds only the named command's parser: its help is the one the full parser
    gives, and anything after it parses the same."""
    def help_of(parser) -> str:
        with pytest.raises(SystemExit):
            parser.parse_args([command, "--help"])
        return capsys.readouterr().out

    assert help_of(cli.build_parser(command)) == help_of(cli.build_parser())
