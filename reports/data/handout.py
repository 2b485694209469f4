"""What a delegation handout is made of besides the delegation (data/delegation.py), read and
checked: the province profile (``省情简介.yaml``) and the optional ``招商项目`` table of
opportunities.

Every problem names the file and the field as the user wrote it, in Chinese, and all of a
file's problems are reported at once (exit 2, nothing written). Keys may be written in
Chinese or English (``名称`` or ``name``), as staff prefer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError, DataError, Problem, ProblemLog
from .config import Config, inside
from .delegation import (Contact, Delegation, Reader, delegation_files, load_delegation,
                         output_clashes)
from .model import Opportunity
from .yamlfile import read_yaml

PROFILE_NAME = "省情简介.yaml"


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


class _Fields:
    """Reads the keys of one YAML mapping (Chinese or English spelling), collecting problems
    as ``Problem(file=…, field=<field>)``."""

    def __init__(self, raw, file: str, log: ProblemLog, keys: dict[str, tuple[str, ...]],
                 prefix: str = ""):
        self.file, self.log, self.prefix = file, log, prefix
        self.values: dict[str, object] = {}
        self.names: dict[str, str] = {k: spellings[0] for k, spellings in keys.items()}
        self.reader = Reader(self.values, self.error, lambda key, message: self.log.error(
            message, file=self.file, field=self.names[key]))
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

        self.reader = Reader(self.values, self.error, lambda key, message: self.log.error(
            message, file=self.file, field=self.names[key]))

    def error(self, key: str, message: str, value=None) -> None:
        self.log.error(message, file=self.file, field=self.names[key],
                       value=None if value is None else str(value)[:200])

    def text(self, key: str, required: bool = False, limit: int = 2000) -> str:
        return self.reader.text(key, required, limit)

    def texts(self, key: str) -> list[str]:
        """A list (``[a, b]`` or one item per line ``- a``), or one text with 、，, separators."""
        return self.reader.texts(key)


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
    intro, intro_en = top.text("intro", limit=3000), top.text("intro_en", limit=3000)
    log.raise_if_errors()  # after every field is read: an over-long 概况 is an error too
    return Profile(intro, intro_en, advantages, figures, industries)


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


__all__ = ["Contact", "Delegation", "Opportunity", "Profile", "load_delegation", "load_profile",
           "load_handout_data", "delegation_files", "output_clashes", "read_yaml", "DataError",
           "Problem"]
