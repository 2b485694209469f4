"""Languages of the delegation handouts: the template strings' catalogues and the English
names of what the data writes in Chinese.

Template strings are written in Chinese (the bureau's language) and marked with ``_()`` /
``{% trans %}``; ``templates/i18n/en.po`` holds their English (``make i18n`` extracts new
strings into it). The catalogue is compiled at build, in memory, from the ``.po`` file
(Babel), so a stale ``.mo`` can never be used. For Chinese no catalogue is needed.

Names from the data (projects, investors, people, offices) are in English where the data
gives it (the ``英文…`` columns, ``[english]`` in config.toml, ``英文名称`` in a delegation
file), else romanised (figures/english.py: the glossary's words, pinyin for the rest; people
in pinyin, surname first). Paragraphs the data writes only in Chinese are left out of an
English handout (``report validate`` lists them). An English handout prints no Chinese unless
``[english] originals = true``: then each name is followed by its Chinese original.
"""

from __future__ import annotations

import io
import re
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


def original(english: str, chinese: str) -> Markup:
    """A name with its Chinese original after it ([english] originals = true)."""
    return Markup('%s <span class="orig" lang="zh-CN">（%s）</span>') % (english, chinese)


class Names:
    """Names in the handout's language. In Chinese every name is itself; in English the
    English given in the config or data, else romanised — never the Chinese, unless the config
    asks for the originals beside the English."""

    def __init__(self, config: Config, language: str):
        from . import english

        self.config, self.language = config, language
        self.zh = language == "zh"
        h = config.handout
        self.originals = h.originals
        self._industries = dict(h.industries_en)
        self._regions = dict(h.regions_en)
        self._english = english
        if not self.zh:
            self.glossary = english.Glossary({**_places(config), **dict(h.terms_en)})

    def _show(self, chinese: str, english: str):
        english = self._english.typographic(english)
        if self.originals and chinese and chinese != english:
            return original(english, chinese)
        return english

    def text(self, zh: str | None, en: str | None = None):
        """A name (an enterprise, a project, an office, a delegation): its English, else
        romanised."""
        if not zh and not en:
            return ""
        if self.zh:
            return zh or en or ""
        return self._show(zh or "", en or self.glossary.romanise(zh))

    def person(self, zh: str | None, en: str | None = None):
        """A person's name: its English, else pinyin surname first (Wang Haidong)."""
        if not zh and not en:
            return ""
        if self.zh:
            return zh or en or ""
        return self._show(zh or "", en or self._english.person(zh))

    def term(self, zh: str | None, en: str | None = None):
        """A fixed term (合作方式, 企业类别): its English, else the glossary's, else romanised."""
        if not zh and not en:
            return ""
        if self.zh:
            return zh or en or ""
        return self._show(zh or "", en or self.glossary.term(zh) or self.glossary.romanise(zh))

    def paragraph(self, zh: str | None, en: str | None = None):
        """Running text from the data: in English only when the data gives the English (else
        "", and the template leaves the paragraph out); each figure with its unit kept on one
        line (106.2亿元, CNY 6.47 billion, 722,300 km²)."""
        text = (zh or "") if self.zh else (self._english.typographic(en) if en else "")
        return keep_figures(text)

    def addressee(self, zh: str | None, en: str | None = None, plain: bool = False):
        """Whom a handout is for, as a sentence names it: in English "the Delegation of …",
        "the Zhejiang Entrepreneurs Study Tour" (an article before a body's name; none before
        a company's or a person's name, nor twice)."""
        name = self.plain(zh, en) if plain else self.text(zh, en)
        if self.zh:
            return name
        bare = name.striptags() if isinstance(name, Markup) else name
        if bare.lower().startswith("the ") or not _COLLECTIVE.search(bare):
            return name
        return "the " + name if plain else Markup("the ") + name

    def plain(self, zh: str | None, en: str | None = None) -> str:
        """A name as plain text (for ReportLab and PDF metadata): no markup."""
        if self.zh:
            return zh or en or ""
        if not zh and not en:
            return ""
        return self._english.typographic(en or self.glossary.romanise(zh))

    def region(self, full_name: str, short: bool = True):
        region = self.config.region(full_name)
        if self.zh:
            return region.short if short else region.name
        return self._show(region.short, self._regions.get(full_name) or
                          self.glossary.romanise(region.short))

    def industry(self, name: str):
        if self.zh:
            return name
        return self._show(name, self._industries.get(name) or self.glossary.term(name) or
                          self.glossary.romanise(name))

    def place(self, name: str):
        """A province (江苏 / 江苏省) or a country (德国)."""
        if self.zh:
            return name
        from ..data.places import province_of

        province = province_of(name)
        english = PROVINCES_EN.get(province) if province else country_en(name)
        return self._show(name, english or self.glossary.romanise(name))

    def _province_en(self) -> tuple[str, str]:
        """(short, full) English names of the province: from config.toml, else the official
        romanisation of a provincial-level division (Qinghai, Qinghai Province)."""
        c = self.config
        if c.handout.province_en:
            return c.handout.province_en.removesuffix(" Province"), c.handout.province_en
        short = PROVINCES_EN.get(c.province) or self._english.romanise(c.province_short or
                                                                        c.province)
        return short, f"{short} Province" if c.province.endswith("省") else short

    @property
    def province(self):
        c = self.config
        return (c.province_short or c.province) if self.zh else self._province_en()[0]

    @property
    def province_full(self):
        return self.config.province if self.zh else self._province_en()[1]

    @property
    def publisher(self):
        return self.text(self.config.publisher, self.config.handout.publisher_en)

    @property
    def title(self):
        h = self.config.handout
        if h.title:
            return self.text(h.title, h.title_en)
        return self.province_full

    @property
    def address(self):
        h = self.config.handout
        return self.text(h.address, h.address_en)


_COLLECTIVE = re.compile(
    r"\b(delegations?|chambers?|group|mission|tour|team|association|committee|council|"
    r"commission|federation|society|bureau|department|office|ministry|government|embassy|"
    r"consulate|union|board|entrepreneurs|enterprises)\b", re.I)
_FIGURE = re.compile(
    r"(?:CNY|RMB|USD|US\$|EUR|€|\$)\s?\d[\d,.]*(?:\s(?:trillion|billion|million|thousand))?"
    r"|\d[\d,.]*\s?(?:km²|sq\.? km|square kilometres|km|MW|GW|kW|tonnes|per cent|%)"
    r"|\d[\d,.]*\s*(?:万亿元|亿元|万元|元|万亿|亿|万平方公里|平方公里|万千瓦|千瓦|兆瓦|吉瓦|万吨|吨|"
    r"公里|千米|个|项|家|倍|%|％)")


def keep_figures(text: str) -> Markup:
    """``text`` escaped, each figure with its unit in a no-break span (class ``fig``)."""
    out, last = Markup(""), 0
    for m in _FIGURE.finditer(text or ""):
        out += text[last:m.start()] + Markup('<span class="fig">%s</span>') % m.group()
        last = m.end()
    return out + (text or "")[last:]


def _places(config: Config) -> dict[str, str]:
    """Place names a romanised name may hold: the provinces of China (江苏省, 江苏 → Jiangsu),
    the world's countries (德国 → Germany), this province's 市州 (海西州, 海西 → Haixi)."""
    from ..data.places import DOMESTIC

    places = dict(_territories())
    for name, full in DOMESTIC.items():  # 江苏省 and 江苏
        if full in PROVINCES_EN:
            places[name] = PROVINCES_EN[full]
    regions = dict(config.handout.regions_en)
    for r in config.regions:
        english = regions.get(r.name)
        if english:
            places[r.name] = english
            if r.short:
                places[r.short] = english
                places[r.short.removesuffix("州")] = english.removesuffix(" Prefecture")
    return places
