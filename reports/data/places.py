"""Places as the ledger names them: China's provincial-level divisions, in full and short
(江苏 = 江苏省), and which of them count as 境外. ``投资方所在地`` and a delegation's 来源地 are
resolved here; every other origin is a country or region abroad."""

from __future__ import annotations

import re

# Provincial-level divisions of China (full and short names): an origin that is one of them
# is domestic (省内 or 省外); any other origin is taken to be a country or region abroad (境外).
PROVINCES = (
    "北京市 天津市 上海市 重庆市 河北省 山西省 辽宁省 吉林省 黑龙江省 江苏省 浙江省 安徽省 福建省 "
    "江西省 山东省 河南省 湖北省 湖南省 广东省 海南省 四川省 贵州省 云南省 陕西省 甘肃省 青海省 "
    "台湾省 内蒙古自治区 广西壮族自治区 西藏自治区 宁夏回族自治区 新疆维吾尔自治区 "
    "香港特别行政区 澳门特别行政区"
).split()
DOMESTIC = {p: p for p in PROVINCES}
for _p in PROVINCES:
    _short = re.sub(r"(省|市|特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", _p)
    DOMESTIC[_short] = _p
# Hong Kong, Macao and Taiwan funds are counted as 境外 in Chinese investment statistics.
OVERSEAS_DOMESTIC = {"香港特别行政区", "澳门特别行政区", "台湾省"}


def province_of(origin: str) -> str | None:
    """``江苏`` / ``江苏省`` / ``江苏省苏州市`` → ``江苏省``; None for a foreign place."""
    if origin in DOMESTIC:
        return DOMESTIC[origin]
    for name, full in DOMESTIC.items():
        if len(name) >= 2 and origin.startswith(name):
            return full
    return None
