"""The figures an issued briefing is checked by: recorded in the archive's manifest when it is
issued, recomputed from its attached data by ``report verify``, and compared when a month is
reissued — the 更正说明 lists, in words, what changed from the version issued before.

Values are exact (Decimal as text, counts as integers); words come from the Formatter, as
the briefing prints them.
"""

from __future__ import annotations

from decimal import Decimal

from .compute import Figures
from .fmt import Formatter

# (key, label, kind): kind "amount" (元) or "count"
TOTALS = (("signed_projects", "新签约项目", "count"), ("signed", "签约金额", "amount"),
          ("funds", "到位资金", "amount"), ("funds_outside", "省外到位资金", "amount"),
          ("funds_month", "当月到位资金", "amount"))


def headline(f: Figures) -> dict[str, str]:
    """Flat, exact, JSON-ready: the totals, then each area's and industry's amounts."""
    out = {key: str(getattr(f, key).value) for key, _, _ in TOTALS}
    for r in f.regions:
        out[f"area:{r.name}:signed"] = str(r.signed.value)
        out[f"area:{r.name}:funds"] = str(r.funds.value)
    for r in f.industries:
        out[f"industry:{r.name}:signed"] = str(r.signed)
        out[f"industry:{r.name}:funds"] = str(r.funds)
    return out


def _label(key: str, area_word: str) -> tuple[str, str]:
    for k, label, kind in TOTALS:
        if key == k:
            return label, kind
    group, name, what = key.split(":")
    measure = "签约金额" if what == "signed" else "到位资金"
    return f"{name}{measure}", "amount"


def changes(old: dict, new: dict, fmt: Formatter, area_word: str = "市州") -> list[str]:
    """Each figure that differs, as a sentence: 签约金额由2307.75亿元更正为2310.25亿元."""
    out = []
    # in the order the briefing has them: the totals, then each area, then each industry
    # (a recorded dict comes back from JSON with its keys sorted)
    for key in list(new) + [k for k in old if k not in new]:
        before, after = old.get(key), new.get(key)
        if before is not None and after is not None and Decimal(before) == Decimal(after):
            continue
        label, kind = _label(key, area_word)

        def words(value):
            if value is None:
                return "—"
            return fmt.count(int(Decimal(value))) if kind == "count" else fmt.amount(Decimal(value))
        out.append(f"{label}由{words(before)}更正为{words(after)}")
    return out


def same(a: dict, b: dict) -> bool:
    """Two headline records of the same figures (by value: 1.0 is 1)."""
    return a.keys() == b.keys() and all(Decimal(a[k]) == Decimal(b[k]) for k in a)
