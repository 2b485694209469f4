"""What a delegation handout is made of, read and checked: the delegation file (YAML, one per
visit), the province profile (``省情简介.yaml``) and the optional ``招商项目`` table of
opportunities. The only module that imports PyYAML (``yaml.safe_load``: no tags, no code).

Every problem names the file and the field as the user wrote it, in Chinese, and all of a
file's problems are reported at once (exit 2, nothing written). Keys may be written in
Chinese or English (``名称`` or ``name``), as staff prefer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import ConfigError, DataError, Problem, ProblemLog
from .config import Config, inside
from .model import Opportunity

PROFILE_NAME = "省情简介.yaml"
LANGUAGES = ("zh", "en")
MAX_COPIES = 500


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

    @property
    def stem(self) -> str:
        return self.file.stem


@dataclass(frozen=True)
class Advantage:
    title: str
    text: str
    title_en: str = ""
    text_en: str = ""


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    label_en: str = ""
    value_en: str = ""


@dataclass(frozen=True)
class Profile:
    """省情简介: a few paragraphs and figures staff keep up to date by hand."""

    intro: str = ""
    intro_en: str = ""
    advantages: tuple[Advantage, ...] = ()
    figures: tuple[KeyFigure, ...] = ()
    industries: dict = field(default_factory=dict)  # 产业 → (text, text_en)


# -- YAML ------------------------------------------------------------------------------------
MAX_YAML = 1_000_000  # characters of one delegation or profile file
MAX_DEPTH = 20  # nesting of lists and mappings: these files need three or four


def read_yaml(path: Path):
    """A YAML file → plain data, or a ConfigError naming the file and line. No aliases (a
    464-byte alias bomb expands to a gigabyte; these files never need one), no deep nesting,
    no huge file: all refused before any data is built."""
    import yaml

    try:
        data = Path(path).read_bytes()
        if len(data) > MAX_YAML * 4:
            raise ConfigError(f"错误：{path} 过大（超过 {MAX_YAML // 1000} KB），不像是代表团或省情文件。")
        text = data.decode("utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"错误：无法读取 {path}：{exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"错误：{path} 不是 UTF-8 编码的文本文件，请用 UTF-8 保存。") from None
    if len(text) > MAX_YAML:
        raise ConfigError(f"错误：{path} 过大（超过 {MAX_YAML // 1000} KB），不像是代表团或省情文件。")

    class Refused(yaml.YAMLError):
        def __init__(self, problem, mark):
            self.problem, self.problem_mark = problem, mark

    class Loader(yaml.SafeLoader):
        """Safe, and dates stay text (checked by values.parse_date, with our messages):
        PyYAML would raise a bare ValueError on 2026-13-01. No alias, nothing deep."""

        depth = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                raise Refused("不允许使用别名（*名称）：请直接写出内容", self.peek_event().start_mark)
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH:
                    raise Refused(f"嵌套超过{MAX_DEPTH}层", self.peek_event().start_mark)
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    Loader.yaml_implicit_resolvers = {
        key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    try:
        return yaml.load(text, Loader=Loader)  # noqa: S506 — a SafeLoader subclass
    except RecursionError:
        raise ConfigError(f"错误：{path}：YAML 嵌套过深，不像是代表团或省情文件。") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" 第{mark.line + 1}行" if mark is not None else ""
        what = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"错误：{path}{where}：YAML 格式有误（{what}）。"
                          "请检查冒号、缩进和引号。") from None


_CJK = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")


def _join_lines(text: str) -> str:
    """A YAML block folded over several lines (``>-``) joins them with spaces: right between
    English words, wrong between Chinese characters (“水塔”。 全省) — those go."""
    return _CJK_GAP.sub("", text)


class _Fields:
    """Reads the keys of one YAML mapping (Chinese or English spelling), collecting problems
    as ``Problem(file=…, field=<field>)``."""

    def __init__(self, raw, file: str, log: ProblemLog, keys: dict[str, tuple[str, ...]],
                 prefix: str = ""):
        self.file, self.log, self.prefix = file, log, prefix
        self.values: dict[str, object] = {}
        self.names: dict[str, str] = {k: spellings[0] for k, spellings in keys.items()}
        if not isinstance(raw, dict):
            log.error("内容应为“字段: 值”形式的列表（YAML 映射）", file=file,
                      field=prefix.rstrip(".") or None)
            return
        by_spelling = {s: k for k, spellings in keys.items() for s in spellings}
        for key, value in raw.items():
            k = by_spelling.get(str(key).strip())
            if k is None:
                log.error(f"未知的字段（可用：{'、'.join(s[0] for s in keys.values())}）",
                          file=file, field=prefix + str(key))
            elif k in self.values:
                log.error("字段重复出现", file=file, field=prefix + str(key))
            else:
                self.values[k] = value
                self.names[k] = prefix + str(key)

    def error(self, key: str, message: str, value=None) -> None:
        self.log.error(message, file=self.file, field=self.names[key],
                       value=None if value is None else str(value)[:200])

    def text(self, key: str, required: bool = False, limit: int = 2000) -> str:
        value = self.values.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.log.error("不能为空", file=self.file, field=self.names[key])
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float, date)):
            self.error(key, "应为一段文字", value)
            return ""
        text = _join_lines(str(value).strip())
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


# -- delegation files ------------------------------------------------------------------------
_DELEGATION_KEYS = {
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
_CONTACT_KEYS = {
    "name": ("姓名", "name"), "name_en": ("英文姓名", "name_en"),
    "title": ("职务", "title"), "title_en": ("英文职务", "title_en"),
    "phone": ("电话", "phone"), "email": ("邮箱", "email"),
}


def load_delegation(path: Path, config: Config) -> Delegation:
    """One delegation file, checked against the config's 产业 and 市州."""
    path = Path(path)
    log = ProblemLog()
    fields = _Fields(read_yaml(path), path.name, log, _DELEGATION_KEYS)
    name = fields.text("name", required=True, limit=60)
    visit = fields.values.get("visit_date")
    if isinstance(visit, (int, float)) and not isinstance(visit, bool):
        visit = str(visit)
    if visit is None:
        log.error("不能为空（写作 2026-11-18）", file=path.name, field=fields.names["visit_date"])
    elif isinstance(visit, str):
        from . import values

        try:
            visit = values.parse_date(visit)
        except ValueError:
            fields.error("visit_date", "不是有效的日期（写作 2026-11-18）", visit)
            visit = None
    elif not isinstance(visit, date):
        fields.error("visit_date", "不是有效的日期（写作 2026-11-18）", visit)
        visit = None

    industries, wanted = [], fields.texts("industries")
    for item in wanted:
        if item not in config.industries:
            fields.error("industries", f"“{item}”不是 config.toml 中的产业（可选："
                         f"{'、'.join(config.industries)}）", item)
        elif item not in industries:
            industries.append(item)
    if not wanted and fields.values.get("industries") in (None, [], ""):
        log.error("至少写一个产业", file=path.name, field=fields.names["industries"])
    lookup = config.region_lookup()
    regions = []
    for item in fields.texts("regions"):
        if item in ("全省", config.province, config.province_short):
            continue
        if item not in lookup:
            fields.error("regions", "不是 config.toml 中的市州（写全称、简称或代码）", item)
        elif lookup[item] not in regions:
            regions.append(lookup[item])
    home = fields.text("home", required=True, limit=40)
    language = (fields.text("language") or "zh").lower()
    if language in ("中文", "zh_cn", "zh-cn", "chinese"):
        language = "zh"
    if language in ("英文", "english", "en_us", "en-us"):
        language = "en"
    if language not in LANGUAGES:
        fields.error("language", "只能是 zh（中文）或 en（英文）", language)
    copies = fields.values.get("copies", 1)
    if isinstance(copies, bool) or not isinstance(copies, int) or not 1 <= copies <= MAX_COPIES:
        fields.error("copies", f"应为1到{MAX_COPIES}之间的整数", copies)
        copies = 1
    contact = None
    if "contact" in fields.values:
        c = _Fields(fields.values["contact"], path.name, log, _CONTACT_KEYS,
                    prefix=fields.names["contact"] + ".")
        contact = Contact(**{k: c.text(k, limit=80) for k in _CONTACT_KEYS})
        if not contact.name:
            c.text("name", required=True)
    log.raise_if_errors()
    return Delegation(path, name, visit, tuple(industries), tuple(regions), home, language,
                      copies, fields.text("name_en", limit=160), contact)


def output_clashes(files: list[Path]) -> dict[Path, Path]:
    """Files whose outputs would have one name (X.yaml and X.yml, or a/X.yaml and b/X.yaml;
    also X and x, for the Windows shares the PDFs go to): each of them → another of them.
    All are refused: which of two files is meant is not for this tool to guess."""
    groups: dict[str, list[Path]] = {}
    for f in files:
        groups.setdefault(f.stem.casefold(), []).append(f)
    return {f: group[1] if f == group[0] else group[0]
            for group in groups.values() if len(group) > 1 for f in group}


def delegation_files(paths: list[Path]) -> list[Path]:
    """Files given, and the ``.yaml``/``.yml`` files of folders given, in name order."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(f for f in p.iterdir() if f.suffix.lower() in (".yaml", ".yml")
                            and not f.name.startswith((".", "~$")) and f.is_file())
        else:
            files.append(p)
    return files


# -- profile ---------------------------------------------------------------------------------
_PROFILE_KEYS = {
    "intro": ("概况", "intro"), "intro_en": ("英文概况", "intro_en"),
    "advantages": ("优势", "advantages"), "figures": ("主要数据", "figures"),
    "industries": ("产业介绍", "industries"),
}
_ADVANTAGE_KEYS = {"title": ("标题", "title"), "text": ("内容", "text"),
                   "title_en": ("英文标题", "title_en"), "text_en": ("英文内容", "text_en")}
_FIGURE_KEYS = {"label": ("名称", "label"), "value": ("数值", "value"),
                "label_en": ("英文名称", "label_en"), "value_en": ("英文数值", "value_en")}
_INDUSTRY_KEYS = {"text": ("内容", "text"), "text_en": ("英文内容", "text_en")}


def load_profile(folder: Path, config: Config) -> Profile:
    """``省情简介.yaml`` of the data folder; an empty profile when there is none."""
    path = Path(folder) / PROFILE_NAME
    if not path.is_file():
        return Profile()
    if not inside(Path(folder), path):
        raise ConfigError(f"错误：{path} 是指向数据文件夹以外的链接（{path.resolve()}），已拒绝读取。")
    log = ProblemLog()
    top = _Fields(read_yaml(path) or {}, path.name, log, _PROFILE_KEYS)

    def items(key, keys, required):
        raw = top.values.get(key) or []
        if not isinstance(raw, list):
            top.error(key, "应为一个列表（每项以“- ”开头）")
            return []
        out = []
        for i, item in enumerate(raw, 1):
            f = _Fields(item, path.name, log, keys, prefix=f"{top.names[key]}第{i}项.")
            out.append({k: f.text(k, required=k in required, limit=3000) for k in keys})
        return out

    advantages = tuple(Advantage(**a) for a in items("advantages", _ADVANTAGE_KEYS,
                                                     ("title", "text")))
    figures = tuple(KeyFigure(**f) for f in items("figures", _FIGURE_KEYS, ("label", "value")))
    industries = {}
    raw = top.values.get("industries") or {}
    if not isinstance(raw, dict):
        top.error("industries", "应写作“产业名称: 介绍”")
        raw = {}
    for name, value in raw.items():
        if name not in config.industries:
            log.error("不是 config.toml 中的产业", file=path.name,
                      field=f"{top.names['industries']}.{name}")
            continue
        if isinstance(value, str):
            industries[name] = (value.strip(), "")
        else:
            f = _Fields(value, path.name, log, _INDUSTRY_KEYS,
                        prefix=f"{top.names['industries']}.{name}.")
            industries[name] = (f.text("text", limit=3000), f.text("text_en", limit=3000))
    log.raise_if_errors()
    return Profile(top.text("intro", limit=3000), top.text("intro_en", limit=3000),
                   advantages, figures, industries)


@dataclass
class HandoutData:
    """The data folder as a handout sees it."""

    dataset: object  # Dataset
    profile: Profile
    opportunities: tuple[Opportunity, ...]


def load_handout_data(folder: Path) -> HandoutData:
    from .validate import load_dataset

    dataset = load_dataset(folder, extra=("opportunities",))
    return HandoutData(dataset, load_profile(folder, dataset.config), dataset.opportunities)


__all__ = ["Delegation", "Opportunity", "Profile", "load_delegation", "load_profile",
           "load_handout_data", "delegation_files", "read_yaml", "DataError", "Problem"]
