"""Languages of the delegation handouts: the template strings' catalogues and the English
names of what the data writes in Chinese.

Template strings are written in Chinese (the bureau's language) and marked with ``_()`` /
``{% trans %}``; ``templates/i18n/en.po`` holds their English (``make i18n`` extracts new
strings into it). The catalogue is compiled at build, in memory, from the ``.po`` file
(Babel), so a stale ``.mo`` can never be used. For Chinese no catalogue is needed.

Names from the data (projects, investors, people) have no translation unless the data
gives one (the ``英文…`` columns, ``[english]`` in config.toml, ``英文名称`` in a delegation
file). An English handout then prints the Chinese original, marked 「…」 — a legend says so —
so a reader always knows which words are untranslated.
"""

from __future__ import annotations

import io
from functools import lru_cache

from markupsafe import Markup

from .. import ROOT
from ..data.config import Config

CATALOGUES = ROOT / "templates" / "i18n"
DOMAIN = "handout"

# Provincial-level divisions in English (official romanisation)
PROVINCES_EN = {
    "北京市": "Beijing", "天津市": "Tianjin", "上海市": "Shanghai", "重庆市": "Chongqing",
    "河北省": "Hebei", "山西省": "Shanxi", "辽宁省": "Liaoning", "吉林省": "Jilin",
    "黑龙江省": "Heilongjiang", "江苏省": "Jiangsu", "浙江省": "Zhejiang", "安徽省": "Anhui",
    "福建省": "Fujian", "江西省": "Jiangxi", "山东省": "Shandong", "河南省": "Henan",
    "湖北省": "Hubei", "湖南省": "Hunan", "广东省": "Guangdong", "海南省": "Hainan",
    "四川省": "Sichuan", "贵州省": "Guizhou", "云南省": "Yunnan", "陕西省": "Shaanxi",
    "甘肃省": "Gansu", "青海省": "Qinghai", "台湾省": "Taiwan", "内蒙古自治区": "Inner Mongolia",
    "广西壮族自治区": "Guangxi", "西藏自治区": "Tibet", "宁夏回族自治区": "Ningxia",
    "新疆维吾尔自治区": "Xinjiang", "香港特别行政区": "Hong Kong", "澳门特别行政区": "Macao",
}

_catalogues: dict[str, object] = {}


def translations(language: str):
    """gettext translations for ``language`` (``None`` for Chinese: the source language)."""
    if language == "zh":
        return None
    if language not in _catalogues:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po
        from babel.support import Translations

        path = CATALOGUES / f"{language}.po"
        try:
            with open(path, "rb") as f:
                catalog = read_po(f, locale=language, domain=DOMAIN)
        except OSError as exc:
            from ..errors import ReportError

            raise ReportError(f"错误：无法读取译文目录 {path}：{exc.strerror}") from None
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        _catalogues[language] = Translations(buffer, domain=DOMAIN)
    return _catalogues[language]


@lru_cache(maxsize=None)
def _territories() -> dict[str, str]:
    """Chinese territory name → English (Babel's CLDR data), built once."""
    from babel import Locale

    english = Locale("en").territories
    return {zh: english[code] for code, zh in Locale.parse("zh_CN").territories.items()
            if code in english}


def country_en(name: str) -> str | None:
    """德国 → Germany, None when unknown."""
    return _territories().get(name)


def original(text: str) -> Markup:
    """A Chinese name with no English on record, as an English handout prints it."""
    return Markup('<span class="orig" lang="zh-CN">「%s」</span>') % text


class Names:
    """Names in the handout's language. In Chinese every name is itself; in English the
    English given in the config or data, else the flagged Chinese original."""

    def __init__(self, config: Config, language: str):
        self.config, self.language = config, language
        self.zh = language == "zh"
        h = config.handout
        self._industries = dict(h.industries_en)
        self._regions = dict(h.regions_en)

    def _pick(self, zh: str | None, en: str | None):
        if not zh and not en:
            return ""
        if self.zh:
            return zh or ""
        return en if en else original(zh)

    def text(self, zh: str | None, en: str | None = None):
        """A data field with an optional English column."""
        return self._pick(zh, en)

    def plain(self, zh: str | None, en: str | None = None) -> str:
        """The same as plain text (for ReportLab and PDF metadata): 「…」 without markup."""
        if self.zh or en:
            return (zh if self.zh else en) or ""
        return f"「{zh}」" if zh else ""

    def region(self, full_name: str, short: bool = True):
        region = self.config.region(full_name)
        return self._pick(region.short if short else region.name, self._regions.get(full_name))

    def industry(self, name: str):
        return self._pick(name, self._industries.get(name))

    def place(self, name: str):
        """A province (江苏 / 江苏省) or a country (德国)."""
        if self.zh:
            return name
        from ..data.places import province_of

        province = province_of(name)
        english = PROVINCES_EN.get(province) if province else country_en(name)
        return english or original(name)

    def _province_en(self) -> tuple[str | None, str | None]:
        """(short, full) English names of the province: from config.toml, else the official
        romanisation of a provincial-level division (Qinghai, Qinghai Province)."""
        c = self.config
        if c.handout.province_en:
            return c.handout.province_en.removesuffix(" Province"), c.handout.province_en
        short = PROVINCES_EN.get(c.province)
        if short is None:
            return None, None
        return short, f"{short} Province" if c.province.endswith("省") else short

    @property
    def province(self):
        c = self.config
        return self._pick(c.province_short or c.province, self._province_en()[0])

    @property
    def province_full(self):
        return self._pick(self.config.province, self._province_en()[1])

    @property
    def publisher(self):
        return self._pick(self.config.publisher, self.config.handout.publisher_en)

    @property
    def title(self):
        h = self.config.handout
        if h.title:
            return self._pick(h.title, h.title_en)
        return self.province_full

    @property
    def address(self):
        h = self.config.handout
        return self._pick(h.address, h.address_en)
