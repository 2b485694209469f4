#!/usr/bin/env python3
"""Make the fictional Qinghai sample dataset in data/ (deterministic: same script, same bytes).

    python scripts/make_sample_data.py            # writes data/ and data/excel/
    python scripts/make_sample_data.py --projects 10000 --funds 100000 --out DIR  # benchmark size

Writes the three tables as CSV the way Excel in China exports them (签约项目.csv in GBK,
到位资金.csv in UTF-8 with BOM, 年度目标.csv in UTF-8), a config.toml, and the same data as
one .xlsx workbook in data/excel/ (real dates and numbers in cells). Every optional column is
used, every 企业类别 occurs, and typed forms vary (3.5亿, 12,000, 2024年2月18日, 2024/3/5).
The figures are invented; names of enterprises are fictional.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import shutil
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

REGIONS = [  # name, short, code, weight, counties
    ("西宁市", "西宁", "630100", 24, ["城东区", "城中区", "城西区", "城北区", "湟中区", "大通县", "湟源县"]),
    ("海东市", "海东", "630200", 14, ["乐都区", "平安区", "民和县", "互助县", "化隆县", "循化县"]),
    ("海北藏族自治州", "海北州", "632200", 7, ["门源县", "祁连县", "海晏县", "刚察县"]),
    ("黄南藏族自治州", "黄南州", "632300", 5, ["同仁市", "尖扎县", "泽库县", "河南县"]),
    ("海南藏族自治州", "海南州", "632500", 14, ["共和县", "同德县", "贵德县", "兴海县", "贵南县"]),
    ("果洛藏族自治州", "果洛州", "632600", 3, ["玛沁县", "班玛县", "甘德县", "达日县", "久治县", "玛多县"]),
    ("玉树藏族自治州", "玉树州", "632700", 4, ["玉树市", "杂多县", "称多县", "治多县", "囊谦县", "曲麻莱县"]),
    ("海西蒙古族藏族自治州", "海西州", "632800", 29, ["德令哈市", "格尔木市", "茫崖市", "乌兰县", "都兰县", "天峻县"]),
]
INDUSTRIES = [  # name, weight, typical amount (万元), project words
    ("盐湖资源综合利用", 10, 120000, ["盐湖提锂", "钾肥扩能", "氯化钾深加工", "卤水综合利用", "硼资源开发"]),
    ("新能源", 20, 250000, ["光伏发电", "风电", "光热电站", "储能电站", "光伏制氢", "源网荷储一体化"]),
    ("新材料", 10, 90000, ["锂电池正极材料", "碳纤维", "高纯晶硅", "铝基新材料", "电子铜箔"]),
    ("有色冶金", 6, 110000, ["铜冶炼技改", "镁合金", "铅锌冶炼", "铝板带箔"]),
    ("大数据", 6, 60000, ["绿色算力中心", "大数据产业园", "云计算中心", "智算中心"]),
    ("生态旅游", 10, 30000, ["文旅综合体", "生态旅游度假区", "自驾车营地", "民宿集群", "景区提升"]),
    ("绿色有机农畜产品", 14, 15000, ["牦牛肉精深加工", "藏羊养殖", "青稞深加工", "枸杞种植加工", "有机饲草"]),
    ("生物医药", 7, 25000, ["藏药产业化", "冬虫夏草精深加工", "中藏药材种植", "医疗器械"]),
    ("装备制造", 6, 40000, ["光伏组件制造", "新能源装备", "锂电装备", "专用车辆"]),
    ("现代服务业", 11, 20000, ["现代物流园", "商贸综合体", "冷链物流", "职业教育"]),
]
ORIGINS = [  # where investors come from, weight
    ("江苏省", 12), ("浙江省", 10), ("广东省", 10), ("北京市", 10), ("上海市", 8), ("山东省", 7),
    ("四川省", 5), ("陕西省", 4), ("福建省", 4), ("天津市", 3), ("湖北省", 3), ("河南省", 3),
    ("青海省", 14), ("香港特别行政区", 2), ("新加坡", 1), ("德国", 1),
]
PREFIX = {"江苏省": "苏", "浙江省": "浙", "广东省": "粤", "北京市": "京", "上海市": "沪", "山东省": "鲁",
          "四川省": "川", "陕西省": "秦", "福建省": "闽", "天津市": "津", "湖北省": "楚", "河南省": "豫",
          "青海省": "青", "香港特别行政区": "港", "新加坡": "星", "德国": "德"}
WORDS = ["华", "恒", "中", "能", "源", "通", "汇", "嘉", "鼎", "泰", "晟", "远", "航", "宏", "瑞", "博",
         "昆", "仑", "盛", "达", "新", "利", "天", "合", "安", "信", "和", "锦", "海", "峰"]
SUFFIX = ["科技有限公司", "集团有限公司", "股份有限公司", "实业有限公司", "投资有限公司", "能源有限公司",
          "发展有限公司", "控股集团有限公司"]
EVENTS = {  # event name → date (all projects signed at the event carry this date)
    2024: [("第23届青洽会", date(2024, 6, 12)), ("2024年青海（上海）招商推介会", date(2024, 9, 20))],
    2025: [("第24届青洽会", date(2025, 6, 11)), ("2025年青海（深圳）招商推介会", date(2025, 10, 16))],
    2026: [("第25届青洽会", date(2026, 6, 10)), ("2026年青海（南京）招商推介会", date(2026, 9, 24))],
}
TIER_CHOICES = [  # (tiers, probability)
    ("世界500强", 0.03), ("中国500强", 0.07), ("民营500强", 0.05), ("全球独角兽500强", 0.008),
    ("中国500强、央企", 0.03), ("央企", 0.015),
]
YEARS = {2024: 12, 2025: 12, 2026: 10}  # year → months of data
GROWTH = {2024: 0.8, 2025: 0.95, 2026: 1.35}  # amounts grow year on year, as in real reports
EVENT_SHARE = {2024: 0.3, 2025: 0.33, 2026: 0.42}
PROJECTS_PER_YEAR = {2024: 118, 2025: 136, 2026: 122}

HEAD_PROJECTS = ["项目编号", "项目名称", "市州", "县区", "产业", "投资方", "投资方所在地", "企业类别",
                 "签约日期", "签约活动", "签约金额（万元）", "建设类型", "项目状态"]
HEAD_FUNDS = ["项目编号", "月份", "到位资金（万元）", "资金来源"]
HEAD_TARGETS = ["年度", "范围", "指标", "目标（亿元）"]


def weighted(rng: random.Random, items):
    return rng.choices([i[0] for i in items], weights=[i[1] for i in items])[0]


def make(projects_per_year: dict[int, int], rng: random.Random, fund_rows_cap: int | None = None):
    projects, funds = [], []
    names_seen = set()
    n = 0
    for year, count in projects_per_year.items():
        last_month = YEARS.get(year, 12)
        events = EVENTS.get(year, [])
        for _ in range(count):
            n += 1
            region = rng.choices(REGIONS, weights=[r[3] for r in REGIONS])[0]
            industry = rng.choices(INDUSTRIES, weights=[i[1] for i in INDUSTRIES])[0]
            origin = weighted(rng, ORIGINS)
            tiers = ""
            for t, p in TIER_CHOICES:
                if rng.random() < p:
                    tiers = t
                    break
            words = "".join(rng.sample(WORDS, 2))
            investor = PREFIX[origin] + words + rng.choice(SUFFIX)
            if origin in ("新加坡", "德国"):
                investor = {"新加坡": "新加坡", "德国": "德国"}[origin] + words + "国际有限公司"
            if "央企" in tiers:
                investor = "中国" + words + rng.choice(["能源建设集团有限公司", "电力投资集团有限公司",
                                                        "化工集团有限公司"])
            county = rng.choice(region[4]) if rng.random() < 0.85 else ""
            place = county.rstrip("县区市") if county else region[1].rstrip("州市")
            name = f"{place}{rng.choice(industry[3])}项目"
            if name in names_seen:
                name = name.removesuffix("项目") + rng.choice(["（二期）", "（三期）", "扩建"]) + "项目"
            names_seen.add(name)
            event = ""
            if events and rng.random() < EVENT_SHARE[year]:
                event, signed = events[0] if rng.random() < 0.7 else events[1]
                if (signed.year, signed.month) > (year, last_month):
                    event, signed = "", None
            else:
                signed = None
            if signed is None:
                start = date(year, 1, 1)
                end = date(year, last_month, 28)
                signed = start + timedelta(days=rng.randrange((end - start).days + 1))
            amount = Decimal(int(rng.lognormvariate(0, 0.9) * industry[2] * GROWTH[year] / 100) * 100)
            amount = max(amount, Decimal(500))
            if tiers and "500强" in tiers:
                amount *= 2
            kind = "" if rng.random() < 0.8 else rng.choice(["新建", "续建"])
            status = rng.choice(["已签约", "已签约", "已开工", "已开工", "已投产", ""])
            pid = f"QH{year}-{n:05d}"
            projects.append(dict(id=pid, name=name, region=region, county=county,
                                 industry=industry[0], investor=investor, origin=origin,
                                 tiers=tiers, signed=signed, event=event, amount=amount,
                                 kind=kind, status=status))
            # funds: monthly from the month after signing, a share of the amount each month
            share = Decimal(str(round(rng.uniform(0.15, 0.7), 2)))
            months = []
            y, m = signed.year, signed.month
            while True:
                m += 1
                if m > 12:
                    y, m = y + 1, 1
                if y not in YEARS or (y == max(YEARS) and m > YEARS[y]):
                    break
                months.append((y, m))
            months = [ym for ym in months if rng.random() < 0.75][:14]
            for (fy, fm) in months:
                part = (amount * share / 14 * Decimal(str(round(rng.uniform(0.4, 1.6), 2))))
                part = part.quantize(Decimal("0.01"))
                if part <= 0:
                    continue
                source = "" if rng.random() < 0.9 else ("省内" if origin == "青海省" else "省外")
                funds.append(dict(id=pid, year=fy, month=fm, amount=part, source=source))
    return projects, funds


def targets_for(projects, funds):
    """Targets around the actual figures, so completions land between 80% and 130%."""
    rng = random.Random(7)
    rows = []
    for year in YEARS:
        ps = [p for p in projects if p["signed"].year == year]
        fs = [f for f in funds if f["year"] == year]
        scale = Decimal(12) / YEARS[year]
        def target(x):
            t = Decimal(x) * scale * Decimal(str(round(rng.uniform(0.8, 1.15), 2))) / 10000
            return t.quantize(Decimal("1")) if t > 100 else t.quantize(Decimal("0.1"))
        sign = sum(p["amount"] for p in ps)
        fund = sum(f["amount"] for f in fs)
        outside = sum(f["amount"] for f in fs
                      if next(p for p in projects if p["id"] == f["id"])["origin"] != "青海省")
        rows.append([year, "全省", "签约金额", target(sign)])
        rows.append([year, "全省", "签约项目数", int(len(ps) * scale * Decimal("0.95"))])
        rows.append([year, "全省", "到位资金", target(fund)])
        rows.append([year, "全省", "省外到位资金", target(outside)])
        for region in REGIONS:
            rs = sum(p["amount"] for p in ps if p["region"] == region)
            ids = {p["id"] for p in ps if p["region"] == region}
            rf = sum(f["amount"] for f in fs if next(p for p in projects if p["id"] == f["id"])["region"] == region)
            rows.append([year, region[1], "签约金额", target(rs)])
            rows.append([year, region[1], "到位资金", target(rf)])
    return rows


def typed_amount(rng, amount: Decimal) -> str:
    """How staff type 万元 amounts: mostly plain, some with separators or a unit in the cell."""
    r = rng.random()
    if r < 0.06 and amount >= 10000:
        return f"{(amount / 10000).normalize():f}亿"
    if r < 0.15 and amount >= 1000:
        return f"{int(amount):,}"
    return f"{amount.normalize():f}"


def typed_date(rng, d: date) -> str:
    r = rng.random()
    if r < 0.1:
        return f"{d.year}/{d.month}/{d.day}"
    if r < 0.2:
        return f"{d.year}年{d.month}月{d.day}日"
    return d.isoformat()


def project_row(rng, p, typed=True):
    region = p["region"][0] if rng.random() < 0.7 else p["region"][1]
    return [p["id"], p["name"], region, p["county"], p["industry"], p["investor"], p["origin"],
            p["tiers"], typed_date(rng, p["signed"]) if typed else p["signed"], p["event"],
            typed_amount(rng, p["amount"]) if typed else float(p["amount"]), p["kind"], p["status"]]


def csv_bytes(rows, encoding: str) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding)


CONFIG = """\
# 招商引资工作简报 — 数据文件夹配置（UTF-8）。各项含义见 README。

# 产业：签约项目表“产业”列只能取这些值
industries = [
{industries}
]

[province]
name = "青海省"
short = "青海"

[briefing]
name = "青海省招商引资工作简报"
publisher = "青海省投资促进局"
file_name = "招商引资工作简报"   # 输出文件名：招商引资工作简报-2026年10月.pdf
internal_mark = "内部资料 注意保存"
copies = 120
send_to = ["省委办公厅", "省人大常委会办公厅", "省政府办公厅", "省政协办公厅"]
copy_to = ["省发展改革委", "省商务厅", "省工业和信息化厅", "各市州人民政府"]
# formats = ["pdf", "docx", "ofd"]   # report monthly 同时生成 Word 和 OFD（GB/T 33190）版本

[display]
locale = "zh_CN"
rounding = "half-up"      # half-up = 四舍五入；half-even = 四舍六入五成双（GB/T 8170）
amount_decimals = 2       # 亿元、万元金额最多保留的小数位（末尾的0不显示）
percent_decimals = 1
grouping = false          # true：五位及以上整数加千分撇（12,345）
top_projects = 10
page_numbers = "gongwen"  # gongwen：— 3 —；total：第 3 页 共 16 页
ledger_max_rows = 3000    # 附表最多列出的项目数；超过时只列签约金额最大的项目并加注

[data]
default_unit = "万元"     # 表头未注明单位时，金额按此单位理解

# 本单位提供的字体（可选，放在数据文件夹的 assets/ 中；须允许嵌入 PDF）。给出正文字体后按
# GB/T 9704 严格版式排版：正文3号、每页22行、每行28字（grid = false 可关闭）；未给出的用内置开源字体。
# [fonts]
# body = "assets/仿宋_GB2312.ttf"      # 正文、版记：仿宋
# title = "assets/方正小标宋简体.ttf"  # 报头：小标宋
# heading = "assets/黑体.ttf"          # 一级标题：黑体
# kai = "assets/楷体_GB2312.ttf"       # 二级标题：楷体

# report monthly 每月生成的简报：全省一份；可为市州各加一份（该市州的数据、目标与编印单位）
[[jobs]]
name = "全省"

[[jobs]]
name = "海西州"
scope = "海西州"
publisher = "海西州投资促进局"
copies = 60

# 代表团资料（report delegations）：联系方式；二维码链接到 website
[handout]
title = "投资青海 共赢未来"
website = "https://invest.qinghai.example/"
address = "青海省西宁市城西区五四西路12号"
phone = "0971-6300000"
email = "invest@qinghai.example"

# 英文版资料用的英文名称。数据中没有英文名的名称，按 templates/i18n/glossary.csv 的词汇和拼音译出
# （可在 [english.terms] 中为本单位增补词汇）；英文版不印中文，originals = true 时在名称后附中文原名。
[english]
province = "Qinghai Province"
publisher = "Qinghai Provincial Investment Promotion Bureau"
title = "Invest in Qinghai"
address = "12 Wusi West Road, Chengxi District, Xining, Qinghai"

[english.industries]
{industries_en}

[english.regions]
{regions_en}

# 市州：全称、简称、行政区划代码（表中三者皆可）
{regions}"""

INDUSTRIES_EN = {
    "盐湖资源综合利用": "Salt-lake resources", "新能源": "New energy", "新材料": "New materials",
    "有色冶金": "Non-ferrous metallurgy", "大数据": "Big data", "生态旅游": "Eco-tourism",
    "绿色有机农畜产品": "Green organic farm produce", "生物医药": "Biomedicine",
    "装备制造": "Equipment manufacturing", "现代服务业": "Modern services",
}
REGIONS_EN = {
    "西宁市": "Xining", "海东市": "Haidong", "海北藏族自治州": "Haibei Prefecture",
    "黄南藏族自治州": "Huangnan Prefecture", "海南藏族自治州": "Hainan Prefecture",
    "果洛藏族自治州": "Golog Prefecture", "玉树藏族自治州": "Yushu Prefecture",
    "海西蒙古族藏族自治州": "Haixi Prefecture",
}


def config_text() -> str:
    industries = "\n".join(f'  "{i[0]}",' for i in INDUSTRIES)
    regions = "\n".join(f'[[regions]]\nname = "{r[0]}"\nshort = "{r[1]}"\ncode = "{r[2]}"\n'
                        for r in REGIONS)
    return CONFIG.format(
        industries=industries, regions=regions,
        industries_en="\n".join(f'"{k}" = "{v}"' for k, v in INDUSTRIES_EN.items()),
        regions_en="\n".join(f'"{k}" = "{v}"' for k, v in REGIONS_EN.items()))


# 招商项目 (opportunities offered to investors) for the delegation handouts: industry →
# (Chinese words, English words, typical investment in 亿元)
OFFERS = {
    "盐湖资源综合利用": ([("盐湖提锂综合开发", "salt-lake lithium extraction"), ("镁系新材料", "magnesium materials"),
                  ("钾肥深加工", "potash fertiliser processing")], 30),
    "新能源": ([("光伏制氢一体化", "solar-to-hydrogen complex"), ("风光储一体化基地", "wind, solar and storage base"),
             ("光热发电", "concentrated solar power plant"), ("抽水蓄能电站", "pumped-storage power station")], 60),
    "新材料": ([("锂电池负极材料", "lithium battery anode materials"), ("高性能铝合金", "high-performance aluminium alloys"),
             ("碳纤维复合材料", "carbon-fibre composites")], 20),
    "有色冶金": ([("铜箔深加工", "copper foil processing"), ("铅锌资源综合回收", "lead-zinc resource recovery")], 15),
    "大数据": ([("绿色算力中心", "green computing centre"), ("数据要素产业园", "data industry park")], 25),
    "生态旅游": ([("国家公园入口社区", "national park gateway community"), ("高原康养度假区", "plateau wellness resort"),
              ("自驾车旅游营地", "self-drive camping site")], 5),
    "绿色有机农畜产品": ([("牦牛乳制品加工", "yak dairy processing"), ("青稞精深加工", "highland barley processing"),
                  ("冷链物流中心", "cold-chain logistics centre")], 3),
    "生物医药": ([("藏药现代化生产基地", "modern Tibetan medicine plant"), ("中藏药材种植加工", "herbal medicine farming and processing")], 6),
    "装备制造": ([("光伏组件生产线", "PV module production line"), ("储能电池装备制造", "battery storage equipment plant")], 12),
    "现代服务业": ([("陆港物流园", "inland port logistics park"), ("职业技能培训基地", "vocational training centre")], 4),
}
MODES = [("独资", "Wholly owned"), ("合资", "Joint venture"), ("合作经营", "Cooperative operation"),
         ("股权合作", "Equity partnership"), ("特许经营", "Concession")]
CONTACTS = ["王海东", "李晓梅", "张建国", "才让卓玛", "马文华", "赵德明", "韩雪", "祁永福"]
CONTACTS_EN = {"王海东": "Wang Haidong", "李晓梅": "Li Xiaomei", "张建国": "Zhang Jianguo",
               "才让卓玛": "Tsering Drolma", "马文华": "Ma Wenhua", "赵德明": "Zhao Deming",
               "韩雪": "Han Xue", "祁永福": "Qi Yongfu"}
HEAD_OFFERS = ["项目名称", "市州", "产业", "投资估算（亿元）", "合作方式", "项目简介", "联系人", "联系电话",
               "英文项目名称", "英文合作方式", "英文项目简介", "英文联系人"]


def cny_en(yi: Decimal) -> str:
    """An amount in 亿元 as English writes it: 亿 is a hundred million (50.7亿 = CNY 5.07
    billion, 7.0亿 = CNY 700 million)."""
    yuan = yi * 100_000_000
    if yuan >= 1_000_000_000:
        return f"CNY {(yuan / 1_000_000_000).normalize():f} billion"
    return f"CNY {(yuan / 1_000_000).normalize():f} million"

PROFILE = """\
# 省情简介：代表团资料中“走进青海”一章的内容，由工作人员维护（UTF-8）。
# 每项可另写“英文…”字段，供英文版资料使用；未写英文的段落和数据不印在英文版中（report validate 会列出）。
概况: >-
  青海省地处青藏高原东北部，是长江、黄河、澜沧江的发源地，被誉为“中华水塔”。
  全省面积72.23万平方公里，辖2个地级市、6个自治州，资源富集，生态地位重要，
  正加快建设世界级盐湖产业基地、国家清洁能源产业高地、国际生态旅游目的地和绿色有机农畜产品输出地。
英文概况: >-
  Qinghai lies in the north-east of the Qinghai-Tibet Plateau, where the Yangtze, the Yellow
  River and the Lancang (Mekong) rise. Its 722,300 square kilometres hold two cities and six
  autonomous prefectures, rich natural resources and an ecology of national importance. The
  province is building a world-class salt-lake industry base, a national centre of clean
  energy, an international eco-tourism destination and an exporter of green organic produce.
优势:
  - 标题: 资源优势
    英文标题: Resources
    内容: 柴达木盆地盐湖资源储量丰富，钾、锂、镁、钠储量居全国前列；太阳能、风能资源富集，可开发的清洁能源规模大。
    英文内容: The salt lakes of the Qaidam Basin hold some of China's largest reserves of potassium, lithium, magnesium and sodium; sunshine and wind resources are among the richest in the country.
  - 标题: 政策优势
    英文标题: Policies
    内容: 叠加西部大开发、生态保护和高质量发展等政策，对重点产业项目在用地、用能、融资、人才等方面给予支持。
    英文内容: National policies for the development of western China and for ecological protection apply, with support for key industrial projects in land, energy, financing and talent.
  - 标题: 区位优势
    英文标题: Location
    内容: 地处连接西藏、新疆与内地的战略通道，兰青、青藏铁路和高速公路网连通全国，西宁陆港通达中亚和欧洲。
    英文内容: Qinghai links Tibet and Xinjiang with the rest of China; railways and expressways connect it nationwide, and the Xining inland port has freight trains to Central Asia and Europe.
主要数据:
  - 名称: 国土面积
    英文名称: Area
    数值: 72.23万平方公里
    英文数值: 722,300 km²
  - 名称: 清洁能源装机占比
    英文名称: Clean energy share of installed capacity
    数值: 90%以上
    英文数值: over 90%
  - 名称: 盐湖资源潜在价值
    英文名称: Potential value of salt-lake resources
    数值: 百万亿元级
    英文数值: in the order of CNY 100 trillion
  - 名称: 国家公园
    英文名称: National parks
    数值: 三江源、祁连山等
    英文数值: Sanjiangyuan, Qilian Mountains and others
产业介绍:
  新能源:
    内容: 青海光照资源全国领先，已建成海南州、海西州两个千万千瓦级清洁能源基地，正推进风光储一体化和绿电制氢。
    英文内容: Qinghai has some of China's best sunshine. Two clean-energy bases of over ten gigawatts each operate in Hainan and Haixi prefectures; integrated wind-solar-storage and green hydrogen projects are under way.
  新材料:
    内容: 依托盐湖锂、镁资源和清洁电力，形成锂电材料、铝基和镁基新材料等产业链。
    英文内容: Lithium and magnesium from the salt lakes and clean power support chains of battery materials and aluminium- and magnesium-based materials.
  盐湖资源综合利用:
    内容: 以察尔汗盐湖为核心，建设世界级盐湖产业基地，发展钾、锂、镁、钠等资源综合利用。
    英文内容: Around the Qarhan Salt Lake, a world-class salt-lake industry base develops potassium, lithium, magnesium and sodium.
  生态旅游:
    内容: 青海湖、三江源、祁连山、茶卡盐湖等自然景观独特，正打造国际生态旅游目的地。
"""

DELEGATIONS = {
    "江苏省经贸代表团.yaml": """\
# 代表团资料：report delegations data/delegations/ 为本文件夹中每个代表团生成一份 PDF。
名称: 江苏省经贸代表团
来访日期: 2026-11-18
关注产业: [新能源, 新材料]
来源地: 江苏省          # 省份或国家：列出该地企业已在青海投资的项目
语言: zh               # zh 中文；en 英文
份数: 20               # 大于1时每页标“第N份 / 共M份”
联系人:
  姓名: 王海东
  职务: 青海省投资促进局项目推介处
  电话: 0971-6300012
  邮箱: wanghd@qinghai.example
""",
    "德国商会代表团.yaml": """\
名称: 中国德国商会代表团
英文名称: Delegation of the German Chamber of Commerce in China
来访日期: 2026-12-03
关注产业: [新能源, 生物医药, 装备制造]
来源地: 德国
语言: en
份数: 1
联系人:
  姓名: 李晓梅
  英文姓名: Li Xiaomei
  职务: 外资服务处
  英文职务: Foreign Investment Services Division
  电话: +86 971 6300018
  邮箱: lixm@qinghai.example
""",
    "浙江企业家考察团.yaml": """\
名称: 浙江企业家考察团
来访日期: 2026-12-10
关注产业: [大数据, 现代服务业, 生态旅游]
关注市州: [西宁, 海东]   # 可不写：不写即全省
来源地: 浙江
语言: zh
份数: 5
""",
}


def offers(rng: random.Random) -> list[list]:
    rows = []
    n = 0
    for industry, (words, size) in OFFERS.items():
        for zh, en in words:
            for region in rng.sample(REGIONS, 2):
                n += 1
                county = rng.choice(region[4])
                place = county.rstrip("县区市")
                amount = Decimal(str(round(size * rng.uniform(0.3, 2.0), 1)))
                mode_zh, mode_en = rng.choice(MODES)
                intro = (f"项目位于{region[0]}{county}，拟建设{zh}项目，总投资约{amount}亿元。"
                         f"当地已具备水、电、路等配套条件，可享受{industry}产业扶持政策。")
                # every third offer has no English: an English handout romanises its name
                # (templates/i18n/glossary.csv) and describes it from its own figures
                english = n % 3 != 0
                region_en = REGIONS_EN[region[0]]
                contact = rng.choice(CONTACTS)
                rows.append([
                    f"{place}{zh}项目", region[1], industry, f"{amount}", mode_zh, intro,
                    contact, f"0971-63{rng.randrange(10000, 99999)}",
                    f"{region_en} {en} project" if english else "",
                    mode_en if english else "",
                    (f"A {en} project in {region_en}, with an estimated investment of "
                     f"{cny_en(amount)}. Water, power and road access are in place; "
                     f"{INDUSTRIES_EN[industry].lower()} support policies apply.") if english else "",
                    CONTACTS_EN[contact],
                ])
    return rows


def write_handout_data(out: Path) -> None:
    """招商项目.csv (UTF-8 with BOM), 省情简介.yaml and delegations/ — from their own random
    stream, so the briefing's tables stay the same bytes."""
    rng = random.Random(20261127)
    rows = [HEAD_OFFERS] + offers(rng)
    (out / "招商项目.csv").write_bytes(b"\xef\xbb\xbf" + csv_bytes(rows, "utf-8"))
    (out / "省情简介.yaml").write_text(PROFILE, encoding="utf-8")
    folder = out / "delegations"
    folder.mkdir(exist_ok=True)
    for name, text in DELEGATIONS.items():
        (folder / name).write_text(text, encoding="utf-8")


def write_xlsx(path: Path, projects, funds, targets, rng):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "签约项目"
    ws.append(HEAD_PROJECTS)
    for p in projects:
        ws.append(project_row(rng, p, typed=False))
    ws2 = wb.create_sheet("到位资金")
    ws2.append(HEAD_FUNDS)
    for f in funds:
        ws2.append([f["id"], f"{f['year']}-{f['month']:02d}", float(f["amount"]), f["source"]])
    ws3 = wb.create_sheet("年度目标")
    ws3.append(HEAD_TARGETS)
    for t in targets:
        ws3.append([t[0], t[1], t[2], float(t[3]) if not isinstance(t[3], int) else t[3]])
    for sheet in wb.worksheets:
        for col in "ABCDEFGHIJKLM":
            sheet.column_dimensions[col].width = 16
    wb.properties.creator = "make_sample_data.py"
    import datetime as _dt
    fixed = _dt.datetime(2026, 11, 1)
    wb.properties.created = wb.properties.modified = fixed
    buf = io.BytesIO()
    wb.save(buf)
    # zip entries carry the current time: rewrite them with a fixed one, so the same script
    # gives the same bytes
    import zipfile
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed_info = zipfile.ZipInfo(info.filename, date_time=(2026, 11, 1, 0, 0, 0))
            fixed_info.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with now
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-11-01T00:00:00Z", data)
            dst.writestr(fixed_info, data)
    path.write_bytes(out.getvalue())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "data")
    ap.add_argument("--projects", type=int, help="total projects (benchmark datasets)")
    ap.add_argument("--funds", type=int, help="approximate fund rows (benchmark datasets)")
    ap.add_argument("--xlsx-only", action="store_true", help="write only the workbook")
    ap.add_argument("--year-counts", metavar="2024=118,2025=136,2026=122",
                    help="projects per year (benchmark datasets: the 2026 count is the size of "
                         "the 2026-10 ledger)")
    args = ap.parse_args(argv)
    rng = random.Random(20261101)
    per_year = dict(PROJECTS_PER_YEAR)
    if args.projects:
        total = sum(per_year.values())
        per_year = {y: args.projects * c // total for y, c in per_year.items()}
        per_year[2026] += args.projects - sum(per_year.values())
    if args.year_counts:
        per_year = {int(y): int(n) for y, n in
                    (item.split("=") for item in args.year_counts.split(","))}
    projects, funds = make(per_year, rng)
    if args.funds and funds:
        while len(funds) < args.funds:  # pad with more months by splitting rows by source
            extra = []
            for f in funds:
                if len(funds) + len(extra) >= args.funds:
                    break
                if not f["source"]:
                    extra.append(dict(f, source="境外", amount=(f["amount"] / 3).quantize(Decimal("0.01"))))
            if not extra:
                break
            funds.extend(extra)
    large = args.projects or args.year_counts
    targets = targets_for(projects, funds) if not large else []
    if large:  # cheap targets for large synthetic sets
        for year in YEARS:
            targets.append([year, "全省", "签约金额", 10000])
            targets.append([year, "全省", "到位资金", 4000])
            for r in REGIONS:
                targets.append([year, r[1], "签约金额", 1000])
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.toml").write_text(config_text(), encoding="utf-8")
    if not args.xlsx_only:
        rows = [HEAD_PROJECTS] + [project_row(rng, p) for p in projects] + [[""] * 3, []]
        (out / "签约项目.csv").write_bytes(csv_bytes(rows, "gb18030"))
        rows = [HEAD_FUNDS] + [[f["id"], f"{f['year']}-{f['month']:02d}" if rng.random() < 0.9
                                else f"{f['year']}年{f['month']}月",
                                f"{f['amount'].normalize():f}", f["source"]] for f in funds]
        (out / "到位资金.csv").write_bytes(b"\xef\xbb\xbf" + csv_bytes(rows, "utf-8"))
        rows = [HEAD_TARGETS] + [[t[0], t[1], t[2], t[3]] for t in targets]
        (out / "年度目标.csv").write_bytes(csv_bytes(rows, "utf-8"))
        if not large:
            write_handout_data(out)
        excel = out / "excel"
        excel.mkdir(exist_ok=True)
        shutil.copy(out / "config.toml", excel / "config.toml")
        write_xlsx(excel / "青海省招商台账.xlsx", projects, funds, targets, rng)
    else:
        write_xlsx(out / "台账.xlsx", projects, funds, targets, rng)
    print(f"{out}: {len(projects)} projects, {len(funds)} fund rows, {len(targets)} targets")


if __name__ == "__main__":
    main()
