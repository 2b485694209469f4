"""The data folder's ``config.toml``: who publishes the briefing, the 市州 and 产业 it knows,
and display settings. Every problem is reported at once; unknown keys are warnings."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError, Problem
from .formats import check_formats

CONFIG_NAME = "config.toml"
MAX_CONFIG = 1_000_000  # characters


def inside(folder: Path, path: Path) -> bool:
    """``path``, by its real path (links followed), is in ``folder``'s real path."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False

ROUNDING_MODES = {"half-up": "四舍五入", "half-even": "四舍六入五成双 (GB/T 8170)"}
PAGE_NUMBER_STYLES = ("gongwen", "total")  # — 3 —  |  第 3 页 共 16 页
HIDDEN_ROWS = ("error", "include", "exclude")


@dataclass(frozen=True, slots=True)
class Region:
    name: str  # 海西蒙古族藏族自治州
    short: str  # 海西州
    code: str = ""


@dataclass(frozen=True, slots=True)
class IssueStart:
    """Where a series of 期号 starts: the month that is 第``number``期. Each later month of that
    year is one more; every other year starts at 1 in January (第N期 = N月)."""

    year: int
    month: int
    number: int = 1


@dataclass(frozen=True, slots=True)
class Job:
    """One briefing a month produces: the province-wide one, or one per 市州 (same templates,
    the 市州's data, its own 编印单位 and targets)."""

    name: str  # file name in the archive: archive/2026/10/<name>.pdf
    scope: str = "全省"  # 全省 or a 市州's full name
    briefing_name: str | None = None
    publisher: str | None = None
    send_to: tuple[str, ...] | None = None
    copy_to: tuple[str, ...] | None = None
    copies: int | None = None
    issue_start: IssueStart | None = None  # where this job's 期号 start (else [briefing]'s)


@dataclass(frozen=True)
class Handout:
    """[handout] and [english]: what a delegation handout needs beyond the briefing — the
    bureau's contact details, and English names for what the data writes in Chinese. A name
    with no English is romanised (figures/english.py); ``terms`` add to the glossary it uses;
    ``originals`` prints each name's Chinese beside its English."""

    title: str = ""
    website: str = ""  # the contact page's QR code links here
    address: str = ""
    phone: str = ""
    email: str = ""
    title_en: str = ""
    province_en: str = ""
    publisher_en: str = ""
    address_en: str = ""
    industries_en: tuple[tuple[str, str], ...] = ()  # (Chinese, English)
    regions_en: tuple[tuple[str, str], ...] = ()  # (full Chinese name, English)
    terms_en: tuple[tuple[str, str], ...] = ()  # [english.terms]: more words for the glossary
    originals: bool = False  # [english] originals: the Chinese name beside the English


@dataclass(frozen=True)
class Fonts:
    """[fonts]: fonts the bureau supplies (paths in the data folder's assets/; "" = the bundled
    one) — 正文 仿宋, 报头 小标宋, 一级标题 黑体, 二级标题 楷体 — and ``grid``: the strict GB/T
    9704 style (3号 body on 22 lines × 28 characters), on by default with a body font."""

    body: str = ""
    title: str = ""
    heading: str = ""
    kai: str = ""
    grid: bool = False

    @property
    def given(self) -> dict[str, str]:
        return {role: path for role, path in (("body", self.body), ("title", self.title),
                                              ("heading", self.heading), ("kai", self.kai))
                if path}


@dataclass(frozen=True)
class Display:
    locale: str = "zh_CN"
    rounding: str = "half-up"
    amount_decimals: int = 2
    percent_decimals: int = 1
    grouping: bool = False
    top_projects: int = 10
    page_numbers: str = "gongwen"
    # 附表 rows at most: beyond, the ledger lists the largest projects and says so, instead
    # of running to thousands of pages
    ledger_max_rows: int = 3000


@dataclass(frozen=True)
class Config:
    path: Path
    province: str
    province_short: str
    regions: tuple[Region, ...]
    industries: tuple[str, ...]
    briefing_name: str
    publisher: str
    file_name: str
    send_to: tuple[str, ...] = ()
    copy_to: tuple[str, ...] = ()
    copies: int | None = None
    internal_mark: str = ""
    issue_start: IssueStart | None = None
    default_unit: str | None = None
    # [data] hidden_rows: what hidden rows of a table are — "error" (the default: say so and
    # stop), "include" (data like any other) or "exclude" (not data)
    hidden_rows: str = "error"
    display: Display = field(default_factory=Display)
    formats: tuple[str, ...] = ("pdf",)  # [briefing] formats: monthly's files (data/formats.py)
    warnings: tuple[Problem, ...] = ()
    jobs: tuple[Job, ...] = (Job("全省"),)
    handout: Handout = field(default_factory=Handout)
    print_profile: str = ""  # [print] icc_profile: the print shop's CMYK profile, in assets/
    fonts: Fonts = field(default_factory=Fonts)
    notify: tuple[str, ...] = ()  # [notify] urls: where a failed or refused monthly run is told
    # words for the area a briefing covers and the areas it is divided into; a 市州 job
    # reads 全州 / 全市 and 县区
    scope_word: str = "全省"
    area_word: str = "市州"

    def region_lookup(self) -> dict[str, str]:
        """Every accepted spelling (full name, short form, code) → the full name."""
        table: dict[str, str] = {}
        for r in self.regions:
            for key in (r.name, r.short, r.code):
                if key:
                    table[key] = r.name
        # the short form without its 州 / 市 (海西 for 海西州), when it names one region only
        stems: dict[str, set[str]] = {}
        for r in self.regions:
            for key in (r.name, r.short):
                stem = key.removesuffix("州").removesuffix("市").removesuffix("地区")
                if len(stem) >= 2 and stem != key:
                    stems.setdefault(stem, set()).add(r.name)
        for stem, names in stems.items():
            if len(names) == 1 and stem not in table:
                table[stem] = names.pop()
        return table

    def region(self, name: str) -> Region:
        return next(r for r in self.regions if r.name == name)


_KNOWN = {
    "": {"province", "briefing", "regions", "industries", "display", "data", "jobs", "handout",
         "english", "print", "notify", "fonts"},
    "fonts": {"body", "title", "heading", "kai", "grid"},
    "notify": {"urls"},
    "handout": {"title", "website", "address", "phone", "email"},
    "print": {"icc_profile"},
    "english": {"province", "publisher", "title", "address", "industries", "regions", "terms",
                "originals"},
    "jobs": {"name", "scope", "briefing_name", "publisher", "send_to", "copy_to", "copies",
             "issue_start"},
    "province": {"name", "short"},
    "briefing": {"name", "publisher", "file_name", "send_to", "copy_to", "copies",
                 "internal_mark", "issue_number", "issue_start", "formats"},
    "display": {"locale", "rounding", "amount_decimals", "percent_decimals", "grouping",
                "top_projects", "page_numbers", "ledger_max_rows"},
    "data": {"default_unit", "hidden_rows"}, "regions": {"name", "short", "code"},
}


def load_config(folder: Path, assets: bool = True) -> Config:
    """``assets``: the files it names in assets/ (fonts, colour profile) must be there — not
    when only figures are wanted (report verify: a PDF's attachments carry no fonts)."""
    path = Path(folder) / CONFIG_NAME
    where = str(path)
    if not path.is_file():
        raise ConfigError(f"错误：在数据文件夹 {folder} 中找不到配置文件 {CONFIG_NAME}。"
                          "请参照 README 中的示例创建。")
    if not inside(Path(folder), path):
        raise ConfigError(f"错误：{where} 是指向数据文件夹以外的链接（{path.resolve()}），已拒绝读取。")
    try:
        text = path.read_text(encoding="utf-8-sig")
        if len(text) > MAX_CONFIG:
            raise ConfigError(f"错误：{where} 过大（超过 {MAX_CONFIG // 1000} KB），不像是配置文件。")
        raw = tomllib.loads(text)
    except RecursionError:
        raise ConfigError(f"错误：{where} 中的表或数组嵌套过深，不像是配置文件。") from None
    except UnicodeDecodeError:
        raise ConfigError(f"错误：{where} 不是 UTF-8 编码的文本文件，请用 UTF-8 保存。") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"错误：{where} 格式有误：{exc}") from None

    errors: list[str] = []
    warnings: list[Problem] = []

    def unknown(section: str, table: dict) -> None:
        for key in table:
            if key not in _KNOWN[section]:
                label = f"[{section}] " if section else ""
                warnings.append(Problem(f"未知的配置项 {label}{key}，已忽略", file=where,
                                        warning=True))

    def get(table: dict, key: str, kind: type, section: str, required=True, default=None):
        if key not in table:
            if required:
                errors.append(f"缺少 [{section}] {key}")
            return default
        value = table[key]
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            errors.append(f"[{section}] {key} 的值 {value!r} 类型不对")
            return default
        return value

    unknown("", raw)
    province = raw.get("province", {})
    briefing = raw.get("briefing", {})
    display = raw.get("display", {})
    data = raw.get("data", {})
    for name, table in (("province", province), ("briefing", briefing),
                        ("display", display), ("data", data)):
        if not isinstance(table, dict):
            errors.append(f"[{name}] 应为一个表")
        else:
            unknown(name, table)
    if errors:
        raise ConfigError(f"错误：{where}：" + "；".join(errors))

    prov_name = get(province, "name", str, "province") or ""
    prov_short = get(province, "short", str, "province", required=False,
                     default=prov_name.rstrip("省市")) or ""

    regions: list[Region] = []
    raw_regions = raw.get("regions", [])
    if not isinstance(raw_regions, list) or not raw_regions:
        errors.append("缺少 [[regions]]（市州列表）")
    else:
        for i, r in enumerate(raw_regions, 1):
            if not isinstance(r, dict) or not isinstance(r.get("name"), str):
                errors.append(f"第{i}个 [[regions]] 缺少 name")
                continue
            unknown("regions", r)
            regions.append(Region(r["name"], str(r.get("short") or r["name"]),
                                  str(r.get("code", ""))))
    spellings: dict[str, str] = {}
    for r in regions:
        for key in {r.name, r.short, r.code} - {""}:
            if spellings.setdefault(key, r.name) != r.name:
                errors.append(f"市州名称“{key}”同时指向 {spellings[key]} 和 {r.name}")

    industries = raw.get("industries", [])
    if not isinstance(industries, list) or not industries or \
            not all(isinstance(x, str) and x for x in industries):
        errors.append("industries 应为产业名称列表")
        industries = []

    name = get(briefing, "name", str, "briefing") or ""
    publisher = get(briefing, "publisher", str, "briefing") or ""
    file_name = get(briefing, "file_name", str, "briefing", required=False, default=name)
    send_to = get(briefing, "send_to", list, "briefing", required=False, default=[])
    copy_to = get(briefing, "copy_to", list, "briefing", required=False, default=[])
    copies = get(briefing, "copies", int, "briefing", required=False)
    _copies(copies, "[briefing] copies", errors)
    mark = get(briefing, "internal_mark", str, "briefing", required=False, default="")
    if "issue_number" in briefing:
        errors.append("[briefing] issue_number 已取消：期号按月份编排（第N期 = N月），build 与 monthly 一致；"
                      "若本年度不从1月的第1期起算，请写 issue_start = { month = \"2026-09\", number = 6 }")
    issue_start = _issue_start(briefing.get("issue_start"), "[briefing] issue_start", errors)
    for key, items in (("send_to", send_to), ("copy_to", copy_to)):
        for item in items or []:
            if not isinstance(item, str):
                errors.append(f"[briefing] {key} 中的 {item!r} 应为文字（加引号）")
    if any(c in (file_name or "") for c in '/\\:*?"<>|') or (file_name or "").startswith("."):
        errors.append(f"[briefing] file_name “{file_name}” 含有不能用于文件名的字符")
    formats = check_formats(get(briefing, "formats", list, "briefing", False, ["pdf"]), errors)

    default_unit = get(data, "default_unit", str, "data", required=False)
    if default_unit is not None and default_unit not in ("元", "万元", "亿元"):
        errors.append(f"[data] default_unit 只能是 元、万元 或 亿元，而不是“{default_unit}”")
    hidden_rows = get(data, "hidden_rows", str, "data", required=False, default="error")
    if hidden_rows not in HIDDEN_ROWS:
        errors.append(f"[data] hidden_rows 只能是 {'、'.join(HIDDEN_ROWS)}，而不是“{hidden_rows}”")

    d = Display()
    disp = Display(
        locale=get(display, "locale", str, "display", False, d.locale),
        rounding=get(display, "rounding", str, "display", False, d.rounding),
        amount_decimals=get(display, "amount_decimals", int, "display", False, d.amount_decimals),
        percent_decimals=get(display, "percent_decimals", int, "display", False,
                             d.percent_decimals),
        grouping=get(display, "grouping", bool, "display", False, d.grouping),
        top_projects=get(display, "top_projects", int, "display", False, d.top_projects),
        page_numbers=get(display, "page_numbers", str, "display", False, d.page_numbers),
        ledger_max_rows=get(display, "ledger_max_rows", int, "display", False,
                            d.ledger_max_rows),
    )
    if not 1 <= disp.ledger_max_rows <= 100_000:
        errors.append("[display] ledger_max_rows 应在 1 到 100000 之间")
    if disp.rounding not in ROUNDING_MODES:
        errors.append(f"[display] rounding 只能是 {' 或 '.join(ROUNDING_MODES)}")
    if disp.page_numbers not in PAGE_NUMBER_STYLES:
        errors.append(f"[display] page_numbers 只能是 {' 或 '.join(PAGE_NUMBER_STYLES)}")
    if disp.locale not in ("zh_CN", "en"):
        errors.append("[display] locale 只能是 zh_CN 或 en")
    for key in ("amount_decimals", "percent_decimals"):
        if not 0 <= getattr(disp, key) <= 4:
            errors.append(f"[display] {key} 应在 0 到 4 之间")

    jobs: list[Job] = []
    raw_jobs = raw.get("jobs", [{"name": "全省"}])
    lookup = {key: r.name for r in regions for key in (r.name, r.short, r.code) if key}
    if not isinstance(raw_jobs, list):
        errors.append("jobs 应写作 [[jobs]] 表")
        raw_jobs = []
    for i, j in enumerate(raw_jobs, 1):
        if not isinstance(j, dict) or not isinstance(j.get("name"), str) or not j["name"]:
            errors.append(f"第{i}个 [[jobs]] 缺少 name")
            continue
        unknown("jobs", j)
        jname = j["name"]
        if any(c in jname for c in '/\\:*?"<>|') or jname.startswith(".") or ".v" in jname or \
                not jname.isprintable() or len(jname) > 40:
            errors.append(f"[[jobs]] name {jname!r} 不能用作文件名（不能含控制字符和 / \\ : * ? \" < > |，"
                          "不能以 . 开头，最多40个字）")
            continue
        for key in ("briefing_name", "publisher"):
            if key in j and not isinstance(j[key], str):
                errors.append(f"[[jobs]] “{jname}” 的 {key} 应为文字（加引号），而不是 {j[key]!r}")
        if "copies" in j and (isinstance(j["copies"], bool) or not isinstance(j["copies"], int)):
            errors.append(f"[[jobs]] “{jname}” 的 copies 应为整数，而不是 {j['copies']!r}")
        else:
            _copies(j.get("copies"), f"[[jobs]] “{jname}” 的 copies", errors)
        job_start = _issue_start(j.get("issue_start"), f"[[jobs]] “{jname}” 的 issue_start",
                                 errors)
        scope = str(j.get("scope", "全省"))
        if scope not in ("全省", prov_name):
            if scope not in lookup:
                errors.append(f"[[jobs]] “{jname}” 的 scope “{scope}” 不是“全省”或已知的市州")
                continue
            scope = lookup[scope]
        else:
            scope = "全省"
        lists = {k: tuple(map(str, j[k])) for k in ("send_to", "copy_to")
                 if isinstance(j.get(k), list)}
        jobs.append(Job(jname, scope, j.get("briefing_name"), j.get("publisher"),
                        lists.get("send_to"), lists.get("copy_to"), j.get("copies"), job_start))
    if len({j.name for j in jobs}) != len(jobs):
        errors.append("[[jobs]] 的 name 有重复")

    handout = _handout(raw, regions, tuple(industries), get, unknown, errors)
    printing = raw.get("print", {})
    profile = ""
    if not isinstance(printing, dict):
        errors.append("[print] 应为一个表")
    else:
        unknown("print", printing)
        profile = get(printing, "icc_profile", str, "print", False, "") or ""
        _asset(path.parent, profile, "[print] icc_profile", errors, assets)

    fonts_raw = raw.get("fonts", {})
    fonts = Fonts()
    if not isinstance(fonts_raw, dict):
        errors.append("[fonts] 应为一个表")
    else:
        unknown("fonts", fonts_raw)
        files = {role: get(fonts_raw, role, str, "fonts", False, "") or ""
                 for role in ("body", "title", "heading", "kai")}
        for role, file in files.items():
            _asset(path.parent, file, f"[fonts] {role}", errors, assets)
        grid = get(fonts_raw, "grid", bool, "fonts", False, bool(files["body"]))
        if grid and not files["body"]:
            errors.append("[fonts] grid = true 需要同时给出正文字体 body（如仿宋_GB2312）")
        fonts = Fonts(**files, grid=bool(grid))

    notify = raw.get("notify", {})
    urls: list = []
    if not isinstance(notify, dict):
        errors.append("[notify] 应为一个表")
    else:
        unknown("notify", notify)
        urls = get(notify, "urls", list, "notify", required=False, default=[]) or []
        if not all(isinstance(u, str) and "://" in u for u in urls):
            errors.append("[notify] urls 应为通知地址列表，如 [\"mailtos://user:pass@example.org\"]")
            urls = []

    if errors:
        raise ConfigError(f"错误：{where}：\n  " + "\n  ".join(errors))
    return Config(
        path=path, province=prov_name, province_short=prov_short, regions=tuple(regions),
        industries=tuple(industries), briefing_name=name, publisher=publisher,
        file_name=file_name, send_to=tuple(map(str, send_to)), copy_to=tuple(map(str, copy_to)),
        copies=copies, internal_mark=mark, issue_start=issue_start,
        default_unit=default_unit, hidden_rows=hidden_rows, display=disp, warnings=tuple(warnings),
        jobs=tuple(jobs) or (Job("全省"),), handout=handout, print_profile=profile,
        fonts=fonts, notify=tuple(urls), formats=formats,
    )


def _asset(folder: Path, file: str, key: str, errors: list, must_exist: bool = True) -> None:
    """A file named in config.toml that the renderer will read: it must be in the data
    folder's assets/ (by its real path), which must not itself lead out of the folder."""
    if not file:
        return
    resolved = (folder / file).resolve()
    if not inside(folder, folder / "assets"):
        errors.append("数据文件夹的 assets/ 是指向数据文件夹以外的链接，已拒绝")
    elif not resolved.is_relative_to((folder / "assets").resolve()):
        errors.append(f"{key} “{file}” 应放在数据文件夹的 assets/ 中")
    elif must_exist and not resolved.is_file():
        errors.append(f"{key}：找不到文件 {file}")


def _copies(value, what: str, errors: list) -> None:
    if value is not None and not 1 <= value <= 100_000:
        errors.append(f"{what} 应在 1 到 100000 之间，而不是 {value}")


def _issue_start(raw, what: str, errors: list) -> IssueStart | None:
    """``"2026-09"`` (第1期) or ``{ month = "2026-09", number = 6 }``."""
    if raw is None:
        return None
    month, number = (raw, 1) if isinstance(raw, str) else \
        (raw.get("month"), raw.get("number", 1)) if isinstance(raw, dict) else (None, None)
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", month) if isinstance(month, str) else None
    if not m or not 1 <= int(m.group(2)) <= 12 or isinstance(number, bool) or \
            not isinstance(number, int) or not 1 <= number <= 99:
        errors.append(f"{what} 应写作 \"2026-09\"（该月为第1期），或 {{ month = \"2026-09\", number = 6 }}"
                      "（期号 1 到 99）")
        return None
    return IssueStart(int(m.group(1)), int(m.group(2)), number)


def _handout(raw: dict, regions: list[Region], industries: tuple[str, ...], get, unknown,
             errors: list[str]) -> Handout:
    tables = {}
    for name in ("handout", "english"):
        table = raw.get(name, {})
        if not isinstance(table, dict):
            errors.append(f"[{name}] 应为一个表")
            table = {}
        unknown(name, table)
        tables[name] = table
    h, e = tables["handout"], tables["english"]
    text = {key: get(h, key, str, "handout", False, "") for key in
            ("title", "website", "address", "phone", "email")}
    if text["website"] and not text["website"].startswith(("https://", "http://")):
        errors.append(f"[handout] website “{text['website']}” 应以 https:// 或 http:// 开头")
    english = {key: get(e, key, str, "english", False, "") for key in
               ("province", "publisher", "title", "address")}
    names: dict[str, tuple] = {}
    lookup = {key: r.name for r in regions for key in (r.name, r.short, r.code) if key}
    for key, known, what in (("industries", {i: i for i in industries}, "产业"),
                             ("regions", lookup, "市州")):
        table = e.get(key, {})
        if not isinstance(table, dict):
            errors.append(f"[english.{key}] 应为“中文名 = \"English\"”形式的表")
            table = {}
        pairs = []
        for zh, en in table.items():
            if zh not in known:
                errors.append(f"[english.{key}] 中的“{zh}”不是 config.toml 中已知的{what}")
            elif not isinstance(en, str) or not en.strip():
                errors.append(f"[english.{key}] “{zh}”的英文名应为非空文本")
            else:
                pairs.append((known[zh], en.strip()))
        names[key] = tuple(pairs)
    terms = e.get("terms", {})
    terms = terms if isinstance(terms, dict) else {"[english.terms] 应为表": None}
    if bad := [zh for zh, en in terms.items() if not (isinstance(en, str) and en.strip())]:
        errors.append(f"[english.terms] 中“{bad[0]}”的英文应为非空文本（写作 中文 = \"English\"）")
    names["terms"] = tuple((zh.strip(), en.strip()) for zh, en in terms.items() if zh not in bad)
    originals = e.get("originals", False)
    if not isinstance(originals, bool):
        errors.append("[english] originals 应为 true 或 false（英文版资料是否在名称后附中文原名）")
        originals = False
    return Handout(title=text["title"], website=text["website"], address=text["address"],
                   phone=text["phone"], email=text["email"], title_en=english["title"],
                   province_en=english["province"], publisher_en=english["publisher"],
                   address_en=english["address"], industries_en=names["industries"],
                   regions_en=names["regions"], terms_en=names["terms"], originals=originals)
