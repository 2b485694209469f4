"""Every error kind: the exact file, row (as Excel shows it), column and message."""

import pytest
from conftest import (
    PROJECTS_HEADER,
    SMALL_CONFIG,
    SMALL_FUNDS,
    SMALL_PROJECTS,
    SMALL_TARGETS,
    TODAY,
    write_dataset,
)

from reports.data.validate import load_dataset
from reports.errors import ConfigError, DataError


def problems(folder):
    with pytest.raises(DataError) as info:
        load_dataset(folder, today=TODAY)
    return [str(p) for p in info.value.problems]


def with_project(i, col, value):
    rows = [list(r) for r in SMALL_PROJECTS]
    rows[i][PROJECTS_HEADER.index(col)] = value
    return rows


@pytest.mark.parametrize("col, value, message", [
    ("市州", "火星市", "错误：签约项目.csv 第3行 “市州”列：值“火星市”，不是已知的市州（应为 西宁市、"
                     "海东市、海西蒙古族藏族自治州 之一，也可写简称或代码）"),
    ("市州", "西宁县", "错误：签约项目.csv 第3行 “市州”列：值“西宁县”，不是已知的市州（应为 西宁市、"
                     "海东市、海西蒙古族藏族自治州 之一，也可写简称或代码）是不是“西宁市”？"),
    ("产业", "航天", "错误：签约项目.csv 第3行 “产业”列：值“航天”，不是已知的产业（应为 新能源、新材料、"
                   "生态旅游 之一）"),
    ("企业类别", "世界100强", "错误：签约项目.csv 第3行 “企业类别”列：值“世界100强”，"
                          "“世界100强”不是已知的企业类别（应为 世界500强、中国500强、民营500强、"
                          "全球独角兽500强、央企，多个用“、”分隔）"),
    ("签约日期", "2024-02-30", "错误：签约项目.csv 第3行 “签约日期”列：值“2024-02-30”，不是存在的日期"),
    ("签约日期", "昨天", "错误：签约项目.csv 第3行 “签约日期”列：值“昨天”，不是有效的日期"
                     "（应如 2024-02-18、2024/2/18 或 2024年2月18日）"),
    ("签约金额（万元）", "三百万", "错误：签约项目.csv 第3行 “签约金额（万元）”列：值“三百万”，"
                           "不是有效的金额（应为数字，可带“万”“亿”单位，如 3.5亿、3500万）"),
    ("签约金额（万元）", "-100", "错误：签约项目.csv 第3行 “签约金额（万元）”列：值“-100”，金额不能为负数"),
    ("项目名称", "", "错误：签约项目.csv 第3行 “项目名称”列：不能为空"),
    ("项目编号", "P1", "错误：签约项目.csv 第3行 “项目编号”列：值“P1”，项目编号重复（第2行已使用）"),
])
def test_project_errors(tmp_path, col, value, message):
    funds = [r for r in SMALL_FUNDS if r[0] != "P2"]
    found = problems(write_dataset(tmp_path / "d", projects=with_project(1, col, value),
                                   funds=funds))
    assert message in found, found
    assert len([p for p in found if p.startswith("错误")]) == 1


def test_missing_required_column(tmp_path):
    header = [h for h in PROJECTS_HEADER if h != "市州"]
    rows = [r[:2] + r[3:] for r in SMALL_PROJECTS]
    found = problems(write_dataset(tmp_path / "d", projects=rows, headers={"projects": header}))
    assert "错误：签约项目.csv 第1行 “市州”列：缺少必填列“市州”（也可写作 region）" in found


def test_fund_errors(tmp_path):
    funds = SMALL_FUNDS + [
        ["P99", "2025-03", "10", ""],
        ["P3", "2025-01", "10", ""],      # before P3 was signed (2025-02-18)
        ["P3", "2025-13", "10", ""],
        ["P3", "2025-03", "10", ""],      # same project, month and source as row 5
        ["P5", "2025-04", "abc", ""],
        ["P5", "2025-04", "", ""],
    ]
    found = problems(write_dataset(tmp_path / "d", funds=funds))
    assert found == [
        "错误：到位资金.csv 第9行 “项目编号”列：值“P99”，在“签约项目”表中找不到这个项目编号",
        "错误：到位资金.csv 第10行 “月份”列：值“2025-01”，到位资金月份早于项目签约日期（2025年2月18日）",
        "错误：到位资金.csv 第11行 “月份”列：值“2025-13”，月份应在1到12之间",
        "错误：到位资金.csv 第12行 “月份”列：值“2025-03”，同一项目同一月份的到位资金重复（第5行）",
        "错误：到位资金.csv 第13行 “到位资金（万元）”列：值“abc”，不是有效的金额"
        "（应为数字，可带“万”“亿”单位，如 3.5亿、3500万）",
        "错误：到位资金.csv 第14行 “到位资金（万元）”列：不能为空",
    ]


def test_target_errors(tmp_path):
    targets = SMALL_TARGETS + [
        ["2025", "北京", "签约金额", "1"],
        ["2025", "全省", "引资总额", "1"],
        ["2025", "全省", "签约金额", "2"],
        ["2025", "海东", "签约项目数", "1.5"],
        ["25", "全省", "到位资金", "1"],
    ]
    found = problems(write_dataset(tmp_path / "d", targets=targets))
    assert found == [
        "错误：年度目标.csv 第8行 “范围”列：值“北京”，不是已知的范围（应为 全省、西宁市、海东市、"
        "海西蒙古族藏族自治州 之一）",
        "错误：年度目标.csv 第9行 “指标”列：值“引资总额”，不是已知的指标（应为 签约金额、签约项目数、到位资金、省外到位资金 之一）",
        "错误：年度目标.csv 第10行 “指标”列：值“签约金额”，同一年度、范围、指标的目标重复（第2行）",
        "错误：年度目标.csv 第11行 “目标（亿元）”列：值“1.5”，不是有效的数量（应为整数）",
        "错误：年度目标.csv 第12行 “年度”列：值“25”，不是有效的年度（应如 2024）",
    ]


def test_all_problems_reported_at_once(tmp_path):
    projects = with_project(1, "市州", "火星")
    projects[2][PROJECTS_HEADER.index("签约金额（万元）")] = "x"
    funds = SMALL_FUNDS + [["P404", "2025-03", "1", ""]]
    targets = SMALL_TARGETS + [["2025", "月球", "签约金额", "1"]]
    found = problems(write_dataset(tmp_path / "d", projects=projects, funds=funds, targets=targets))
    assert len(found) == 4
    assert {f.split(" ")[0] for f in found} == {"错误：签约项目.csv", "错误：到位资金.csv",
                                                 "错误：年度目标.csv"}


def test_warnings_do_not_stop(tmp_path):
    funds = SMALL_FUNDS + [["P4", "2025-04", "9999", ""]]  # cumulative > 2500万元 signed
    projects = with_project(5, "签约日期", "2027-01-01")     # P6 signed in the future
    folder = write_dataset(tmp_path / "d", projects=projects, funds=funds)
    ds = load_dataset(folder, today=TODAY)
    texts = [str(w) for w in ds.warnings]
    assert "警告：到位资金.csv 第9行 “到位资金（万元）”列：项目P4累计到位资金（10199.00万元）" \
           "超过签约金额（2500.00万元），请确认" in texts
    assert "警告：签约项目.csv 第7行 “签约日期”列：值“2027-01-01”，签约日期晚于今天，请确认" in texts


def test_unknown_column_is_a_warning(tmp_path):
    header = PROJECTS_HEADER + ["备注"]
    rows = [r + ["x"] for r in SMALL_PROJECTS]
    ds = load_dataset(write_dataset(tmp_path / "d", projects=rows, headers={"projects": header}),
                      today=TODAY)
    assert "警告：签约项目.csv 第1行 “备注”列：未知的列，已忽略" in [str(w) for w in ds.warnings]


def test_money_header_without_unit(tmp_path):
    header = PROJECTS_HEADER[:-1] + ["签约金额"]
    found = problems(write_dataset(tmp_path / "d", headers={"projects": header}))
    assert any("表头未注明金额单位" in f and "“签约金额”列" in f for f in found)


def test_missing_table_and_config(tmp_path):
    folder = write_dataset(tmp_path / "d")
    (folder / "年度目标.csv").unlink()
    found = problems(folder)
    assert found == ["错误：缺少表“年度目标”：请提供 年度目标.csv，或在 .xlsx 工作簿中建一个名为“年度目标”的工作表"]
    (folder / "config.toml").unlink()
    with pytest.raises(ConfigError, match="找不到配置文件 config.toml"):
        load_dataset(folder)


@pytest.mark.parametrize("change, message", [
    (('rounding = "half-up"', 'rounding = "up"'), "rounding 只能是 half-up 或 half-even"),
    (('name = "测试招商简报"\n', ''), "缺少 [briefing] name"),
    (('copies = 50', 'copies = "五十"'), "copies 的值 '五十' 类型不对"),
    (('[province]', '[province'), "格式有误"),
])
def test_config_errors(tmp_path, change, message):
    config = SMALL_CONFIG.replace(*change)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_dataset(write_dataset(tmp_path / "d", config=config))


def test_unparseable_csv_encoding(tmp_path):
    folder = write_dataset(tmp_path / "d")
    (folder / "签约项目.csv").write_bytes(b"\x81\x30\xff\xff\xfe\x00")
    found = problems(folder)
    assert found[0].startswith("错误：签约项目.csv：无法识别文件编码")


def test_problem_errors_survive_pickling():
    """Errors raised in the forked worker reach the parent through pickle."""
    import pickle

    from reports.errors import Problem
    from reports.typeset.glyphs import GlyphError
    problems = [Problem("不能为空", file="a.csv", row=3, column="项目名称")]
    for exc in (DataError(problems), GlyphError(problems)):
        back = pickle.loads(pickle.dumps(exc))
        assert type(back) is type(exc) and back.problems == problems and str(back) == str(exc)
