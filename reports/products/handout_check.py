"""``report validate`` for delegations: each delegation file (or 代表团 sheet row) checked, and
for an English one, what its handout will print from names the data gives only in Chinese —
each with the English it will be printed as — and the paragraphs it will leave out."""

from __future__ import annotations

import sys
from pathlib import Path

from ..data.delegation import (WORKBOOKS, Delegation, delegation_files, load_delegation,
                               load_sheet, other_files)
from ..data.handout import PROFILE_NAME, HandoutData
from ..errors import ConfigError, DataError, Problem
from ..figures.compute import home_portfolio, industry_portfolio
from ..figures.english import has_chinese
from ..figures.i18n import Names
from .handout import MAX_INVESTED_ROWS, Builder


def check_delegations(data: Path, ds, profile, paths, print_problems) -> tuple[int, int]:
    """Each delegation file's problems, printed; for an English one, what its handout will
    print from names the data gives only in Chinese. (delegations checked, with errors)"""
    if not paths:
        return 0, 0
    notes = []
    if not (Path(data) / PROFILE_NAME).is_file():
        notes.append(Problem(f"没有{PROFILE_NAME}：代表团资料不含介绍本省的一章", note=True))
    if not ds.opportunities:
        notes.append(Problem("没有招商项目表：代表团资料不含“招商项目推介”一章，各产业章写“目前暂无"
                             "该产业的招商项目”", note=True))
    print_problems(notes, sys.stderr)
    builder = None
    checked = failed = 0
    for stray in other_files(paths):
        failed += 1
        print(f"错误：{stray.name} 不是代表团文件：代表团写在 .yaml 文件中（每个代表团一个），或 Excel "
              "文件的“代表团”工作表中（每行一个）", file=sys.stderr)
    for path in delegation_files(paths):
        try:
            if path.suffix.lower() in WORKBOOKS:
                found, bad = load_sheet(path, ds.config)
                for _, _, problems in bad:
                    failed += 1
                    print_problems(problems, sys.stderr)
                checked += len(found) + len(bad)
            else:
                found = [load_delegation(path, ds.config)]
                checked += 1
        except DataError as exc:
            checked, failed = checked + 1, failed + 1
            print_problems(exc.problems, sys.stderr)
            continue
        except ConfigError as exc:
            checked, failed = checked + 1, failed + 1
            print(str(exc), file=sys.stderr)
            continue
        for d in found:
            if d.language != "en":
                continue
            if builder is None:
                builder = Builder(data, data=HandoutData(ds, profile, ds.opportunities))
            gaps = english_gaps(builder, d)
            if gaps:
                print(f"{d.label}（英文版）：以下内容数据中只有中文——名称将按词汇表（templates/i18n/"
                      "glossary.csv）和拼音译出，段落不印。请核对，或在数据中补写英文：",
                      file=sys.stderr)
                for p in gaps:
                    print(str(p), file=sys.stderr)
    return checked, failed



def english_gaps(builder: Builder, d: Delegation) -> list[Problem]:
    """What the English handout of ``d`` prints that the data gives only in Chinese (for
    ``report validate``): each name with the English it will be printed as (romanised),
    each paragraph left out, each opportunity described from its own figures."""
    names, ds, profile = Names(builder.config, "en"), builder.data.dataset, builder.data.profile
    files = ds.table_files
    gaps: list[Problem] = []
    seen: set = set()

    def gap(where: tuple, zh, english, message=None, **place):
        if not zh or not has_chinese(zh) or (where, zh) in seen:
            return
        seen.add((where, zh))
        shown = english if message is None else None
        text = message or f"没有英文，英文版印作“{_plain(shown)}”"
        gaps.append(Problem(text, value=zh, warning=True, **place))

    def table(key):
        file, sheet = files.get(key, (None, None))
        return {"file": file, "sheet": sheet}

    home = d.home
    shown = [p for i in d.industries
             for p in industry_portfolio(ds, builder.period, i).projects[:6]]
    shown += home_portfolio(ds, builder.period, home).projects[:MAX_INVESTED_ROWS]
    for p in shown:
        if not p.name_en:
            gap(("p", p.id), p.name, names.text(p.name), row=p.row, column="英文项目名称",
                **table("projects"))
        if not p.investor_en:
            gap(("i", p.investor), p.investor, names.text(p.investor), row=p.row,
                column="英文投资方", **table("projects"))
    for i in d.industries:
        for o in builder.offers(d, i):
            place = dict(row=o.row, **table("opportunities"))
            if not o.name_en:
                gap(("o", o.row), o.name, names.text(o.name), column="英文项目名称", **place)
            if o.mode and not o.mode_en and not names.glossary.term(o.mode):
                gap(("m", o.row), o.mode, names.term(o.mode), column="英文合作方式", **place)
            if o.contact and not o.contact_en:
                gap(("c", o.row), o.contact, names.person(o.contact), column="英文联系人",
                    **place)
            if o.intro and not o.intro_en:
                gap(("d", o.row), o.intro[:30], None, "没有英文简介，英文版印按地区、产业和投资估算"
                    "写成的一句话", column="英文项目简介", **place)
        text = profile.industries.get(i, ("", ""))
        if text[0] and not text[1]:
            gap(("t", i), text[0][:30], None, "没有英文内容，英文版不印这一段",
                file=PROFILE_NAME, field=f"产业介绍.{i}.英文内容")
    if profile.intro and not profile.intro_en:
        gap(("pi",), profile.intro[:30], None, "没有英文，英文版不印这一段", file=PROFILE_NAME,
            field="英文概况")
    for n, a in enumerate(profile.advantages, 1):
        if not a.text_en:
            gap(("pa", n), a.title, None, "没有英文内容，英文版不印这一项", file=PROFILE_NAME,
                field=f"优势第{n}项.英文内容")
    for n, k in enumerate(profile.figures, 1):
        if not (k.label_en and k.value_en):
            gap(("pf", n), k.label, None, "没有英文名称或数值，英文版不印这一项",
                file=PROFILE_NAME, field=f"主要数据第{n}项")
    where = {"file": d.file.name}
    if not d.name_en:
        gap(("dn",), d.name, names.text(d.name), field="英文名称", **where)
    if d.contact is not None:
        if not d.contact.name_en:
            gap(("cn",), d.contact.name, names.person(d.contact.name), field="联系人.英文姓名",
                **where)
        if d.contact.title and not d.contact.title_en:
            gap(("ct",), d.contact.title, names.text(d.contact.title), field="联系人.英文职务",
                **where)
    h, config = builder.config.handout, "config.toml"
    for key, zh, en in (("publisher", builder.config.publisher, h.publisher_en),
                        ("title", h.title, h.title_en), ("address", h.address, h.address_en)):
        if zh and not en:
            gap(("cfg", key), zh, names.text(zh), file=config, field=f"[english] {key}")
    regions_en, industries_en = dict(h.regions_en), dict(h.industries_en)
    for i in d.industries:
        if i not in industries_en:
            gap(("ci", i), i, names.industry(i), file=config, field=f"[english.industries] {i}")
    for r in builder.config.regions:
        if r.name not in regions_en:
            gap(("cr", r.name), r.name, names.region(r.name), file=config,
                field=f"[english.regions] {r.name}")
    return gaps


def _plain(text) -> str:
    return text.striptags() if hasattr(text, "striptags") else str(text)
