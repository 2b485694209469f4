"""A job's view of the data: the province as it is, or one 市州 with its 县区 as the areas.

For a 市州 job the dataset is narrowed to that 市州's projects and their funds; each
project's area becomes its 县区 (or “<市州>本级” when none is given); the 市州's own targets
become the briefing's targets; and the masthead takes the job's 编印单位 and name. The
compute stage and the templates are the same for every job.
"""

from __future__ import annotations

import dataclasses

from ..data.config import Job, Region
from ..data.model import PROVINCE_SCOPE, Dataset


def scope_word(region: Region) -> str:
    return "全州" if region.name.endswith("州") else "全市"


def formal_name(region: Region) -> str:
    """The name a title uses: the short form when it keeps its 市/州 (海西州 for 海西蒙古族藏族
    自治州), else the full name (西宁市, never 西宁招商引资工作简报)."""
    return region.short if region.short.endswith(("市", "州", "县", "区", "盟", "地区")) \
        else region.name


def scoped(ds: Dataset, job: Job) -> Dataset:
    cfg = ds.config
    overrides = {k: v for k, v in (("briefing_name", job.briefing_name),
                                   ("publisher", job.publisher), ("send_to", job.send_to),
                                   ("copy_to", job.copy_to), ("copies", job.copies))
                 if v is not None}
    if job.scope == PROVINCE_SCOPE:
        return dataclasses.replace(ds, config=dataclasses.replace(cfg, **overrides))
    region = cfg.region(job.scope)
    own = f"{formal_name(region)}本级"
    projects = tuple(dataclasses.replace(p, region=p.county or own)
                     for p in ds.projects if p.region == region.name)
    ids = {p.id for p in projects}
    areas = sorted({p.region for p in projects} - {own})
    if any(p.region == own for p in projects):
        areas.append(own)
    config = dataclasses.replace(
        cfg, regions=tuple(Region(a, a) for a in areas), scope_word=scope_word(region),
        area_word="县区", province=region.name, province_short=region.short,
        briefing_name=job.briefing_name or f"{formal_name(region)}招商引资工作简报",
        publisher=job.publisher or cfg.publisher, file_name=job.name,
        **{k: v for k, v in overrides.items() if k not in ("briefing_name", "publisher")})
    targets = tuple(dataclasses.replace(t, scope=PROVINCE_SCOPE)
                    for t in ds.targets if t.scope == region.name)
    return dataclasses.replace(ds, config=config, projects=projects,
                               funds=tuple(f for f in ds.funds if f.project_id in ids),
                               targets=targets)
