"""Delegations, as staff write them: one YAML file per visit, or one row per visit in a sheet
named 代表团 of an Excel workbook (``report template`` makes one with dropdowns).

Both are read into the same ``Delegation`` with the same checks, and every problem names the
place as the writer sees it: the file and line of a YAML file, the file, sheet, row and column
of a sheet — in Chinese. The mistakes staff make in YAML are explained before PyYAML sees
them, at the line where they are: a full-width colon (名称：…), a tab used to indent, a colon
with no space after it (名称:…). A 来源地 must be a province of China or a country (CLDR's
names), and is kept under that one name (江苏 → 江苏省, 日本国 → 日本); anything else is refused
with the nearest known name ("是否指“德国”？"), never printed as it is.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import ConfigError, DataError, ProblemLog
from .config import Config
from .places import COUNTRIES, DOMESTIC, country_of, place_name, province_of
from .yamlfile import join_lines, read_yaml

LANGUAGES = ("zh", "en")
MAX_COPIES = 500
SHEET = "代表团"
WORKBOOKS = (".xlsx", ".xlsm", ".xls")
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Contact:
    name: str = ""
    name_en: str = ""
    title: str = ""
    title_en: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Delegation:
    file: Path
    name: str  # 江苏省经贸代表团
    visit_date: date
    industries: tuple[str, ...]  # as in config.industries
    regions: tuple[str, ...]  # full 市州 names; empty: all
    home: str  # 江苏省 / 德国 — where the delegation (and its enterprises) come from
    language: str = "zh"
    copies: int = 1
    name_en: str = ""
    contact: Contact | None = None
    row: int | None = None  # the row of the 代表团 sheet it was read from
    file_name: str = ""  # a sheet row's output name (its 文件名, else its 名称)

    @property
    def stem(self) -> str:
        return self.file_name or self.file.stem

    @property
    def label(self) -> str:
        """Where it was written, as messages name it."""
        if self.row is None:
            return self.file.name
        return f"{self.file.name}［{SHEET}］第{self.row}行（{self.name}）"


# -- the fields, in either spelling --------------------------------------------------------
DELEGATION_KEYS = {
    "name": ("名称", "name"),
    "name_en": ("英文名称", "name_en"),
    "visit_date": ("来访日期", "visit_date", "date"),
    "industries": ("关注产业", "industries"),
    "regions": ("关注市州", "regions"),
    "home": ("来源地", "home"),
    "language": ("语言", "language"),
    "copies": ("份数", "copies"),
    "contact": ("联系人", "contact"),
}
CONTACT_KEYS = {
    "name": ("姓名", "name"), "name_en": ("英文姓名", "name_en"),
    "title": ("职务", "title"), "title_en": ("英文职务", "title_en"),
    "phone": ("电话", "phone"), "email": ("邮箱", "email"),
}


def check_home(home: str) -> str | None:
    """What is wrong with a 来源地, or None: a province of China (江苏, 江苏省, 江苏省苏州市) or a
    country or region as CLDR names it (德国; 德国慕尼黑 counts as 德国)."""
    if province_of(home) or country_of(home):
        return None
    known = sorted(set(DOMESTIC) | COUNTRIES)
    guess = difflib.get_close_matches(home, known, n=1, cutoff=0.5)
    stripped = re.sub(r"(国|共和国|联邦共和国|王国)$", "", home)
    if stripped != home and (stripped in COUNTRIES or stripped + "国" in COUNTRIES):
        guess = [stripped if stripped in COUNTRIES else stripped + "国"]
    hint = f"：是否指“{guess[0]}”？" if guess else "（写省份，如 江苏 或 江苏省；或国家，如 德国）"
    return f"不是已知的省份或国家名称{hint}"


class Reader:
    """One delegation's fields, from a YAML mapping or a sheet row: ``get(key)`` the raw value,
    ``error(key, message, value)`` the problem at its place."""

    def __init__(self, values: dict, error, missing):
        self.values, self.error, self.missing = values, error, missing
        self.failed = lambda: False  # whether any field of it was wrong (set by the caller)

    def text(self, key: str, required: bool = False, limit: int = 2000) -> str:
        value = self.values.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.missing(key, "不能为空")
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, (str, int, float, date)):
            self.error(key, "应为一段文字", value)
            return ""
        text = join_lines(unicodedata.normalize("NFC", str(value).strip()))
        if len(text) > limit:
            self.error(key, f"内容过长（{len(text)}个字符，最多{limit}个）", text[:40])
            return ""
        return text

    def texts(self, key: str) -> list[str]:
        """A list (``[a, b]`` or one item per line ``- a``), or one text with 、，, separators."""
        value = self.values.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [t for t in re.split(r"[、，,；;\s]+", value) if t]
        if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
            return [str(v).strip() for v in value if str(v).strip()]
        self.error(key, "应为一个列表，如 [新能源, 新材料]", value)
        return []


def build(r: Reader, config: Config, file: Path, contact: Contact | None,
          row: int | None = None, file_name: str = "") -> Delegation | None:
    """A Delegation from its fields, or None when any is wrong (each reported to ``r``)."""
    from . import values as cells

    name = r.text("name", required=True, limit=60)
    visit = r.values.get("visit_date")
    if isinstance(visit, (int, float)) and not isinstance(visit, bool):
        visit = str(visit)
    if visit is None or visit == "":
        r.missing("visit_date", "不能为空（写作 2026-11-18）")
        visit = None
    elif isinstance(visit, str):
        try:
            visit = cells.parse_date(visit)
        except ValueError:
            hint = "要写年份" if re.fullmatch(r"\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]?\s*", visit) \
                else "不是有效的日期"
            r.error("visit_date", f"{hint}：写作 2026-12-03（或 2026年12月3日）", visit)
            visit = None
    elif not isinstance(visit, date):
        visit = cells.parse_date(visit) if hasattr(visit, "year") else None
        if visit is None:
            r.error("visit_date", "不是有效的日期（写作 2026-11-18）", r.values.get("visit_date"))
    industries, wanted = [], r.texts("industries")
    for item in wanted:
        if item not in config.industries:
            r.error("industries", f"“{item}”不是 config.toml 中的产业（可选："
                    f"{'、'.join(config.industries)}）", item)
        elif item not in industries:
            industries.append(item)
    if not wanted and r.values.get("industries") in (None, [], ""):
        r.missing("industries", "至少写一个产业")
    lookup = config.region_lookup()
    regions = []
    for item in r.texts("regions"):
        if item in ("全省", config.province, config.province_short):
            continue
        if item not in lookup:
            r.error("regions", "不是 config.toml 中的市州（写全称、简称或代码）", item)
        elif lookup[item] not in regions:
            regions.append(lookup[item])
    home = r.text("home", required=True, limit=40)
    if home and (problem := check_home(home)):
        r.error("home", problem, home)
    elif home:
        home = place_name(home)  # one name for a place: 江苏 → 江苏省, 日本国 → 日本
    language = (r.text("language") or "zh").lower()
    language = {"中文": "zh", "zh_cn": "zh", "zh-cn": "zh", "chinese": "zh", "英文": "en",
                "english": "en", "en_us": "en", "en-us": "en", "英语": "en"}.get(language, language)
    if language not in LANGUAGES:
        r.error("language", "只能是 zh（中文）或 en（英文）", language)
    copies = r.values.get("copies", 1)
    if copies in (None, ""):
        copies = 1
    if isinstance(copies, float) and copies.is_integer():
        copies = int(copies)
    if isinstance(copies, str) and copies.strip().isdigit():
        copies = int(copies.strip())
    if isinstance(copies, bool) or not isinstance(copies, int) or not 1 <= copies <= MAX_COPIES:
        r.error("copies", f"应为1到{MAX_COPIES}之间的整数", copies)
        copies = 1
    name_en = r.text("name_en", limit=160)
    if not isinstance(visit, date) or r.failed():
        return None
    return Delegation(file, name, visit, tuple(industries), tuple(regions), home, language,
                      copies, name_en, contact, row, file_name)


# -- YAML ------------------------------------------------------------------------------------
_KEY = r"[^\s:：#'\"\[\]{},-][^:：#'\"\[\]{},]*?"


def lint_yaml(text: str, keys: set[str]) -> list[str]:
    """The mistakes staff make in a YAML file, each at its line, in Chinese — found before
    PyYAML, whose own message would name a later line and a parser's term."""
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.split("#", 1)[0] if "#" in line and not re.search(r"['\"]", line) else line
        if not stripped.strip():
            continue
        indent = re.match(r"[ \t]*", stripped).group()
        if "\t" in indent:
            problems.append(f"第{number}行：行首用了制表符（Tab）缩进；YAML 只能用空格缩进，请把 Tab "
                            "换成两个空格")
            continue
        m = re.match(rf"\s*(?:-\s+)?({_KEY})\s*：", stripped)
        if m and ":" not in stripped[:m.end()]:
            key = m.group(1).strip()
            problems.append(f"第{number}行：“{key}：”用了中文冒号“：”，请改为英文冒号加一个空格："
                            f"“{key}: ”")
            continue
        m = re.match(rf"\s*(?:-\s+)?({_KEY}):(\S)", stripped)
        if m and m.group(1).strip() in keys:
            key = m.group(1).strip()
            problems.append(f"第{number}行：“{key}:”后面缺少空格：写作“{key}: "
                            f"{stripped[m.end() - 1:].strip()[:20]}”")
    return problems


def _line_of(text: str, spellings: tuple[str, ...]) -> int | None:
    """The line where a top-level key is written (for messages)."""
    for number, line in enumerate(text.splitlines(), 1):
        if any(re.match(rf"{re.escape(s)}\s*:", line) for s in spellings):
            return number
    return None


def load_delegation(path: Path, config: Config) -> Delegation:
    """One delegation file (YAML), checked against the config's 产业 and 市州; every problem
    at once, each naming the file, the field and its line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        text = ""  # read_yaml says what is wrong with the file
    keys = {s for spellings in (*DELEGATION_KEYS.values(), *CONTACT_KEYS.values())
            for s in spellings}
    lint = lint_yaml(text, keys)
    if lint:
        raise ConfigError(f"错误：{path}：\n" + "\n".join(lint))
    raw = read_yaml(path)
    log = ProblemLog()
    if not isinstance(raw, dict):
        log.error("内容应为“字段: 值”形式的列表（每行一个字段，如“名称: 江苏省经贸代表团”）",
                  file=path.name)
        log.raise_if_errors()
    values, names = {}, {}
    by_spelling = {s: k for k, spellings in DELEGATION_KEYS.items() for s in spellings}
    for key, value in raw.items():
        k = by_spelling.get(str(key).strip())
        if k is None:
            log.error(f"未知的字段（可用：{'、'.join(s[0] for s in DELEGATION_KEYS.values())}）",
                      file=path.name, field=str(key))
        elif k in values:
            log.error("字段重复出现", file=path.name, field=str(key))
        else:
            values[k], names[k] = value, str(key)

    def where(key):
        name = names.get(key, DELEGATION_KEYS[key][0])
        line = _line_of(text, (name,))
        return f"{name}（第{line}行）" if line else name

    def error(key, message, value=None):
        log.error(message, file=path.name, field=where(key),
                  value=None if value is None else str(value)[:200])

    def missing(key, message):
        log.error(message, file=path.name, field=where(key))

    reader = Reader(values, error, missing)
    reader.failed = lambda: bool(log.errors)
    contact = None
    if "contact" in values:
        c = values["contact"]
        if not isinstance(c, dict):
            error("contact", "应写作几行“姓名: …”“电话: …”（缩进两个空格）")
        else:
            c_spelling = {s: k for k, spellings in CONTACT_KEYS.items() for s in spellings}
            c_values = {}
            for key, value in c.items():
                k = c_spelling.get(str(key).strip())
                if k is None:
                    log.error(f"未知的字段（可用：{'、'.join(s[0] for s in CONTACT_KEYS.values())}）",
                              file=path.name, field=f"{names['contact']}.{key}")
                else:
                    c_values[k] = value
            cr = Reader(c_values, lambda k, m, v=None: error("contact", f"{k}：{m}", v),
                        lambda k, m: error("contact", f"{CONTACT_KEYS[k][0]}{m}"))
            contact = Contact(**{k: cr.text(k, limit=80) for k in CONTACT_KEYS})
            if not contact.name:
                cr.text("name", required=True)
    d = build(reader, config, path, contact)
    log.raise_if_errors()
    return d


# -- the 代表团 sheet --------------------------------------------------------------------------
def sheet_fields():
    from .schema import Field

    return (
        Field("name", "名称", note="如 江苏省经贸代表团；英文版另填“英文名称”"),
        Field("name_en", "英文名称", required=False, note="英文版资料用，如 Delegation of …"),
        Field("visit_date", "来访日期", note="如 2026-12-03"),
        Field("industries", "关注产业", note="config.toml 中的产业，多个用“、”分隔：新能源、新材料"),
        Field("regions", "关注市州", required=False, note="可不填（全省）；多个用“、”分隔"),
        Field("home", "来源地", note="省份（江苏 或 江苏省）或国家（德国）"),
        Field("language", "语言", required=False, note="zh（中文，默认）或 en（英文）"),
        Field("copies", "份数", required=False, note="大于1时每份标“第N份 / 共M份”"),
        Field("contact", "联系人", required=False, note="本次接待联系人姓名"),
        Field("contact_en", "联系人英文姓名", required=False),
        Field("title", "联系人职务", required=False),
        Field("title_en", "联系人英文职务", required=False),
        Field("phone", "联系人电话", required=False),
        Field("email", "联系人邮箱", required=False),
        Field("file_name", "文件名", required=False, note="输出 PDF 的文件名，可不填（用名称）"),
    )


def load_sheet(path: Path, config: Config) -> tuple[list, list]:
    """The 代表团 sheet of a workbook: (delegations, problems of rows that failed, each row's
    as one entry (row, problems)). A workbook without that sheet is a ConfigError."""
    from .header import normalise
    from .rows import read_table
    from .workbook import read_workbook

    path = Path(path)
    log = ProblemLog()
    grids = read_workbook(path, log, lambda name: normalise(name) in (SHEET, "delegations"))
    if not grids:
        if log.errors:
            raise DataError(log.problems)
        raise ConfigError(f"错误：{path.name} 中没有名为“{SHEET}”的工作表：代表团资料的 Excel 文件每行一个"
                          f"代表团，写在“{SHEET}”工作表中（report template 生成的模板里有这张表）。")
    fields = sheet_fields()
    table = read_table(grids[0], "delegations", fields, log, None)
    if table is None or not table.ok:
        raise DataError(log.problems)
    delegations, failed = [], []
    header = table.columns.header
    for number, cells in table.rows:
        row_log = ProblemLog()
        place = {"file": path.name, "sheet": SHEET, "row": number}
        values = {key: cells[i] if i < len(cells) else None
                  for key, i in table.columns.index.items()}
        if all(v in (None, "") for v in values.values()):
            continue

        def error(key, message, value=None, place=place):
            row_log.error(message, column=header.get(key), value=None if value is None
                          else str(value)[:200], **place)

        def missing(key, message, place=place):
            row_log.error(message, column=header.get(key) or dict(
                (f.key, f.name) for f in fields)[key], **place)

        r = Reader(values, error, missing)
        r.failed = lambda row_log=row_log: bool(row_log.errors)
        contact = None
        if values.get("contact"):
            contact = Contact(r.text("contact", limit=80), r.text("contact_en", limit=80),
                              r.text("title", limit=80), r.text("title_en", limit=80),
                              r.text("phone", limit=80), r.text("email", limit=80))
        name = r.text("name", limit=60)
        file_name = r.text("file_name", limit=60) or name
        d = build(r, config, path, contact, number, file_name)
        if d is None:
            failed.append((number, name, row_log.problems))
        else:
            delegations.append(d)
    return delegations, failed


def delegation_files(paths: list[Path]) -> list[Path]:
    """Files given, and the delegation files of folders given (YAML files and workbooks), in
    name order; hidden files and Excel's lock files (~$…) skipped."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(f for f in p.iterdir()
                            if f.suffix.lower() in YAML_SUFFIXES + WORKBOOKS
                            and not f.name.startswith((".", "~$")) and f.is_file())
        else:
            files.append(p)
    return files


def other_files(paths: list[Path]) -> list[Path]:
    """Files in the folders given that are not delegation files (a .txt, a .docx): reported,
    never silently skipped — a visit written in one would otherwise get no handout."""
    found = []
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(f for f in p.iterdir() if f.is_file()
                            and f.suffix.lower() not in YAML_SUFFIXES + WORKBOOKS
                            and not f.name.startswith((".", "~$")))
    return found


def output_clashes(stems: list[tuple[object, str]]) -> dict:
    """Entries whose outputs would have one name (X.yaml and X.yml; a file and a sheet row of
    that name; also X and x, for the Windows shares the PDFs go to): each → another of them.
    All are refused: which of two is meant is not for this tool to guess."""
    groups: dict[str, list] = {}
    for entry, stem in stems:
        groups.setdefault(stem.casefold(), []).append(entry)
    return {e: group[1] if e == group[0] else group[0]
            for group in groups.values() if len(group) > 1 for e in group}

