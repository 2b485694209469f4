"""English for what the data writes only in Chinese: names romanised, fixed terms from a
glossary, quotation marks made typographic. The only module that imports pypinyin.

An English handout prints no Chinese (unless ``[english] originals = true`` asks for the
original beside each name). Where the data gives an English name (the ``英文…`` columns and
fields), that is used; where it does not:

- a person (联系人, 姓名): pinyin, surname first, each part capitalised — 王海东 → Wang Haidong,
  欧阳明 → Ouyang Ming (GB/T 28039-2011; compound surnames and the surnames read otherwise than
  the character's common reading, 单 Shan, 曾 Zeng, from a table). Tibetan and Mongolian names
  have their own romanisation (才让卓玛 is Tsering Drolma, not Cairang Zhuoma): they need the
  data's English, and ``report validate`` lists every one that has none;
- anything else — an enterprise, a project, an office, a delegation: the words the glossary
  knows in English, longest first (templates/i18n/glossary.csv, which a template author
  extends without Python, and ``[english.terms]`` in config.toml; with the province, the
  市州, the provinces of China and the world's countries), the rest in pinyin, one capitalised
  word per run: 浙汇控股集团有限公司 → Zhehui Holding Group Co., Ltd.; 格尔木光伏发电项目 →
  Golmud PV Power Project. Place names of Tibetan and Mongolian origin are in the glossary
  (格尔木 Golmud, 玛沁 Maqên), not left to pinyin.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache

from .. import ROOT

GLOSSARY = ROOT / "templates" / "i18n" / "glossary.csv"

# 复姓, and surnames whose reading differs from the character's usual one
SURNAMES = {
    "欧阳": "Ouyang", "司马": "Sima", "上官": "Shangguan", "诸葛": "Zhuge", "东方": "Dongfang",
    "皇甫": "Huangfu", "尉迟": "Yuchi", "公孙": "Gongsun", "慕容": "Murong", "令狐": "Linghu",
    "长孙": "Zhangsun", "宇文": "Yuwen", "司徒": "Situ", "夏侯": "Xiahou", "轩辕": "Xuanyuan",
    "端木": "Duanmu", "申屠": "Shentu", "澹台": "Tantai", "太史": "Taishi", "万俟": "Moqi",
    "单于": "Chanyu", "呼延": "Huyan", "赫连": "Helian", "独孤": "Dugu", "南宫": "Nangong",
    "单": "Shan", "曾": "Zeng", "解": "Xie", "仇": "Qiu", "朴": "Piao", "查": "Zha", "区": "Ou",
    "盖": "Ge", "覃": "Qin", "缪": "Miao", "翟": "Zhai", "乐": "Yue", "召": "Shao", "秘": "Bi",
    "繁": "Po", "员": "Yun", "种": "Chong", "过": "Guo", "长": "Chang", "重": "Chong", "尉": "Yu",
    "柏": "Bai", "薄": "Bo",
}
PUNCTUATION = {"（": " (", "）": ") ", "、": ", ", "，": ", ", "；": "; ", "：": ": ",
               "·": " ", "•": " ", "—": "–", "“": "“", "”": "”", "《": "", "》": "",
               "「": "", "」": "", "　": " "}
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_INITIAL_VOWEL = re.compile(r"^[aoeāáǎàōóǒòēéěè]")


def has_chinese(text: str) -> bool:
    return bool(_HAN.search(text or ""))


@lru_cache(maxsize=1)
def glossary() -> dict[str, str]:
    """templates/i18n/glossary.csv: 中文,English, one term a line (# comments)."""
    terms: dict[str, str] = {}
    with open(GLOSSARY, encoding="utf-8") as f:
        for row in csv.reader(line for line in f if line.strip() and not line.startswith("#")):
            if len(row) >= 2 and row[0].strip() and row[1].strip():
                terms[row[0].strip()] = row[1].strip()
    return terms


def warm() -> None:
    """Load the pinyin dictionaries now (a batch's parent, before it forks its workers)."""
    _pinyin("青海")
    glossary()


def _pinyin(run: str) -> str:
    """A run of characters as one pinyin word: 城西 → Chengxi, 格尔木 → Ge’ermu (an apostrophe
    where a syllable starting with a, o or e would run into the one before)."""
    from pypinyin import lazy_pinyin

    word = ""
    for syllable in lazy_pinyin(run, v_to_u=True, errors="ignore"):
        if word and _INITIAL_VOWEL.match(syllable):
            word += "’"
        word += syllable
    return word[:1].upper() + word[1:]


def person(name: str) -> str:
    """A Chinese personal name in pinyin, surname first: 王海东 → Wang Haidong."""
    name = name.strip()
    if not has_chinese(name):
        return name
    surname = next((s for s in sorted(SURNAMES, key=len, reverse=True)
                    if name.startswith(s) and len(name) > len(s)), None)
    if surname is not None:
        family, given = SURNAMES[surname], name[len(surname):]
    else:
        family, given = _pinyin(name[0]), name[1:]
    return f"{family} {_pinyin(given)}".strip() if given else family


class Glossary:
    """The glossary's words and a caller's own (places, ``[english.terms]``), to romanise
    names with."""

    def __init__(self, extra: dict[str, str] | None = None):
        self.terms = {**glossary(), **(extra or {})}
        self.longest = max(map(len, self.terms), default=1)

    def term(self, text: str) -> str | None:
        """The glossary's English for exactly this (a 合作方式, 企业类别 …), or None."""
        return self.terms.get(text.strip())

    def romanise(self, text: str) -> str:
        """A name in English: the words the glossary knows, the longest that matches at each
        place; pinyin for the rest, one word per run; Chinese punctuation as English."""
        out: list[str] = []
        run = ""
        i = 0

        def flush():
            nonlocal run
            if run:
                out.append(_pinyin(run))
                run = ""

        while i < len(text):
            for size in range(min(self.longest, len(text) - i), 0, -1):
                english = self.terms.get(text[i:i + size])
                if english is not None:
                    flush()
                    out.append(english)
                    i += size
                    break
            else:
                ch = text[i]
                if ch in PUNCTUATION:
                    flush()
                    out.append(PUNCTUATION[ch])
                elif _HAN.match(ch):
                    run += ch
                else:
                    flush()
                    out.append(ch)
                i += 1
        flush()
        joined = ""
        for piece in out:
            if joined and piece and joined[-1].isalnum() and (piece[0].isalnum() or
                                                               piece[0] in "“("):
                joined += " "
            joined += piece
        joined = re.sub(r"\s+", " ", joined).replace(" ,", ",")
        return joined.replace("( ", "(").replace(" )", ")").strip(" ,;:")


@lru_cache(maxsize=1)
def _default() -> Glossary:
    return Glossary()


def romanise(text: str) -> str:
    """A name in English by the glossary alone (see Glossary.romanise)."""
    return _default().romanise(text)


_QUOTES = [(re.compile(r"(^|[\s(\[{—–-])'"), r"\1‘"), (re.compile(r"'"), "’"),
           (re.compile(r'(^|[\s(\[{—–-])"'), r"\1“"), (re.compile(r'"'), "”")]


def typographic(text: str) -> str:
    """Straight quotes and apostrophes as an English typesetter sets them: China's → China’s,
    "green" → “green”."""
    for pattern, repl in _QUOTES:
        text = pattern.sub(repl, text)
    return text
