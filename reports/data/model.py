"""Typed rows of a validated dataset. Amounts are ``Decimal`` 元; nothing here is formatted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from ..errors import Problem
from .config import Config

if TYPE_CHECKING:  # the annotation only: the readers are not imported for the model
    from .load import SourceFile

TIERS = ("世界500强", "中国500强", "民营500强", "全球独角兽500强", "央企")
TOP500_TIERS = TIERS[:3]  # 三类500强
KINDS = ("新建", "续建")
STATUSES = ("已签约", "已开工", "已投产")
SOURCES = ("省外", "省内", "境外")
INDICATORS = ("签约金额", "签约项目数", "到位资金", "省外到位资金")
PROVINCE_SCOPE = "全省"


@dataclass(frozen=True, slots=True)
class Project:
    id: str
    name: str
    region: str
    industry: str
    investor: str
    signed_on: date
    amount: Decimal
    county: str | None = None
    origin: str | None = None
    tiers: tuple[str, ...] = ()
    event: str | None = None
    kind: str | None = None
    status: str | None = None
    row: int = 0
    name_en: str | None = None  # English names, for English handouts only
    investor_en: str | None = None

    def kind_in(self, year: int) -> str:
        """建设类型 as typed, or derived: signed in ``year`` → 新建, earlier → 续建."""
        return self.kind or ("新建" if self.signed_on.year >= year else "续建")


@dataclass(frozen=True, slots=True)
class Fund:
    project_id: str
    year: int
    month: int
    amount: Decimal
    source: str | None  # 省外 / 省内 / 境外, derived from the project's origin when blank


@dataclass(frozen=True, slots=True)
class Target:
    year: int
    scope: str  # 全省 or a 市州's full name
    indicator: str
    value: Decimal  # 元 for money indicators, a count for 签约项目数


@dataclass(frozen=True)
class Opportunity:
    """A project offered to investors (招商项目)."""

    name: str
    region: str  # full 市州 name
    industry: str
    investment: Decimal | None  # 投资估算, 元
    mode: str | None = None  # 合作方式
    intro: str | None = None  # 项目简介
    contact: str | None = None
    phone: str | None = None
    name_en: str | None = None
    mode_en: str | None = None
    intro_en: str | None = None
    contact_en: str | None = None
    row: int = 0


@dataclass
class Dataset:
    config: Config
    projects: tuple[Project, ...]
    funds: tuple[Fund, ...]
    targets: tuple[Target, ...]
    opportunities: tuple[Opportunity, ...] = ()  # 招商项目, when asked for
    sources: list[SourceFile] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # 说明: how the files were read
    # table key → (file, sheet) it was read from, to name places in later messages
    table_files: dict[str, tuple[str, str | None]] = field(default_factory=dict)

    def latest_month(self) -> tuple[int, int] | None:
        months = [(f.year, f.month) for f in self.funds]
        months += [(p.signed_on.year, p.signed_on.month) for p in self.projects]
        return max(months) if months else None
