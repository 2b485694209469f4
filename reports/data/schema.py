"""The tables of a data folder and their columns, as staff name them: one place that the
header finder (header.py), the validator (validate.py) and the template workbook
(template.py) all read.

A column is found by its Chinese name, its English key (``amount``, or ``签约金额[amount]``)
or one of a few unambiguous other names staff use (``所属市州`` for 市州). Anything else that
merely resembles a column is not guessed at: header.py reports it.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_TEXT = 500  # characters in one text cell; a longer one is almost surely a paste error

# Table key → the names a file or sheet may have (Chinese first, as staff name them).
TABLES = {
    "projects": ("签约项目", "projects"),
    "funds": ("到位资金", "funds"),
    "targets": ("年度目标", "targets"),
    "opportunities": ("招商项目", "opportunities"),  # optional: delegation handouts only
}
REQUIRED_TABLES = ("projects", "funds", "targets")  # what a briefing reads


@dataclass(frozen=True)
class Field:
    key: str
    name: str
    required: bool = True
    money: bool = False  # an amount: its header carries the unit, （万元）
    limit: int = MAX_TEXT  # characters, for text columns
    aliases: tuple[str, ...] = ()
    note: str = ""  # what goes in it (the template's 说明 sheet)
    template: bool = True  # a column of the 台账模板 (an alternative layout's is not)


FIELDS: dict[str, tuple[Field, ...]] = {
    "projects": (
        Field("id", "项目编号", aliases=("项目代码",), note="每个项目一个，不重复；到位资金表用它对应项目"),
        Field("name", "项目名称", aliases=("项目名",)),
        Field("region", "市州", aliases=("所属市州", "市(州)", "所在市州"),
              note="config.toml 中的市州全称、简称或代码"),
        Field("county", "县区", required=False, aliases=("所属县区", "县(区)", "县(市、区)")),
        Field("industry", "产业", aliases=("所属产业", "产业类别"), note="config.toml 中的产业"),
        Field("investor", "投资方", aliases=("投资方名称", "投资主体", "投资企业")),
        Field("origin", "投资方所在地", required=False, aliases=("投资方来源地",),
              note="省份（江苏 或 江苏省）或国家；资金来源为空时据此区分省内、省外、境外"),
        Field("tier", "企业类别", required=False,
              note="世界500强、中国500强、民营500强、全球独角兽500强、央企，多个用“、”分隔"),
        Field("signed_on", "签约日期", aliases=("签约时间",), note="如 2026-03-18"),
        Field("event", "签约活动", required=False, note="如 第25届青洽会（历届之间会比较）"),
        Field("amount", "签约金额", money=True, aliases=("协议金额",),
              note="数字，单位见表头；也可写 3.5亿、3500万"),
        Field("kind", "建设类型", required=False, note="新建 或 续建；空白时按签约年份推定"),
        Field("status", "项目状态", required=False, note="已签约、已开工 或 已投产"),
        Field("name_en", "英文项目名称", required=False,
              note="英文版代表团资料用，可不填：不填时按词汇表和拼音译出"),
        Field("investor_en", "英文投资方", required=False,
              note="投资方的英文名（如其营业执照或官网所写），可不填：不填时按词汇表和拼音译出"),
    ),
    "funds": (
        Field("project_id", "项目编号", aliases=("项目代码",), note="签约项目表中的项目编号"),
        Field("month", "月份", aliases=("到位月份", "到位时间"),
              note="如 2026-10（请用文本，不要写成 2026.10 这样的数字）"),
        Field("year", "年份", required=False, aliases=("年度",), template=False,
              note="可不填；填了年份，月份可只写 10 或 10月"),
        Field("amount", "到位资金", money=True, aliases=("到位资金额", "实际到位资金"),
              note="该项目该月到位的资金，单位见表头"),
        Field("source", "资金来源", required=False,
              note="省外、省内 或 境外；空白时按投资方所在地推定"),
    ),
    "targets": (
        Field("year", "年度", aliases=("年份",)),
        Field("scope", "范围", note="全省 或 某个市州"),
        Field("indicator", "指标", note="签约金额、签约项目数、到位资金 或 省外到位资金"),
        Field("target", "目标", money=True, aliases=("目标值", "目标任务"),
              note="金额单位见表头；签约项目数为个数"),
    ),
    "opportunities": (
        Field("name", "项目名称", aliases=("项目名",)),
        Field("region", "市州", aliases=("所属市州", "市(州)", "所在市州")),
        Field("industry", "产业", aliases=("所属产业", "产业类别")),
        Field("investment", "投资估算", required=False, money=True, aliases=("总投资",)),
        Field("mode", "合作方式", required=False),
        Field("intro", "项目简介", required=False, limit=2000),
        Field("contact", "联系人", required=False),
        Field("phone", "联系电话", required=False),
        Field("name_en", "英文项目名称", required=False),
        Field("contact_en", "英文联系人", required=False,
              note="联系人姓名的英文写法；藏族、蒙古族等姓名须填写（拼音不是其通行写法）"),
        Field("mode_en", "英文合作方式", required=False),
        Field("intro_en", "英文项目简介", required=False, limit=4000),
    ),
}

# Columns staff add that carry nothing we read, recognised so they raise no warning.
IGNORED = ("序号", "编号序号", "行号")


def table_name(key: str) -> str:
    return TABLES[key][0]
