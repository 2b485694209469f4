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

def place_name(origin: str) -> str:
    """The one name an origin is counted and printed under: its province in full (江苏, 江苏省
    and 江苏省苏州市 are all 江苏省; 香港 is 香港特别行政区), a country as CLDR names it
    (德国慕尼黑 → 德国), anything else as written."""
    return province_of(origin) or country_of(origin) or origin


# Countries and regions abroad, as CLDR names them in Chinese (Babel 2.19, zh_CN territories of
# the two-letter codes and the world regions; made once, kept here so that data/ does not import
# Babel), with the short forms staff write. An origin that is neither a province nor one of these
# is an error: guessed as 境外, a typo would move a project's funds out of 省外到位资金.
COUNTRIES = frozenset("""
    不丹 东帝汶 中非共和国 丹麦 乌克兰 乌兹别克斯坦 乌干达 乌拉圭 乍得 也门 亚美尼亚 以色列 伊拉克 伊朗 休达及梅利利亚 伯利兹 佛得角 俄罗斯 保加利亚 克利珀顿岛
    克罗地亚 关岛 冈比亚 冰岛 几内亚 几内亚比绍 列支敦士登 刚果（布） 刚果（金） 利比亚 利比里亚 加拿大 加纳 加纳利群岛 加蓬 匈牙利 北马其顿 北马里亚纳群岛
    南乔治亚和南桑威奇群岛 南极洲 南苏丹 南非 博茨瓦纳 卡塔尔 卢旺达 卢森堡 印度 印度尼西亚 危地马拉 厄瓜多尔 厄立特里亚 叙利亚 古巴 吉尔吉斯斯坦 吉布提 哈萨克斯坦
    哥伦比亚 哥斯达黎加 喀麦隆 图瓦卢 土库曼斯坦 土耳其 圣卢西亚 圣基茨和尼维斯 圣多美和普林西比 圣巴泰勒米 圣文森特和格林纳丁斯 圣皮埃尔和密克隆群岛 圣诞岛 圣赫勒拿
    圣马力诺 圭亚那 坦桑尼亚 埃及 埃塞俄比亚 基里巴斯 塔吉克斯坦 塞内加尔 塞尔维亚 塞拉利昂 塞浦路斯 塞舌尔 墨西哥 多哥 多米尼克 多米尼加共和国 奥兰群岛 奥地利
    委内瑞拉 孟加拉国 安哥拉 安圭拉 安提瓜和巴布达 安道尔 密克罗尼西亚 尼加拉瓜 尼日利亚 尼日尔 尼泊尔 巴勒斯坦领土 巴哈马 巴基斯坦 巴巴多斯 巴布亚新几内亚 巴拉圭
    巴拿马 巴林 巴西 布基纳法索 布隆迪 布韦岛 希腊 帕劳 库克群岛 库拉索 开曼群岛 德国 意大利 所罗门群岛 托克劳 拉脱维亚 挪威 捷克 摩尔多瓦 摩洛哥 摩纳哥 文莱
    斐济 斯威士兰 斯洛伐克 斯洛文尼亚 斯瓦尔巴和扬马延 斯里兰卡 新加坡 新喀里多尼亚 新西兰 日本 智利 朝鲜 柬埔寨 根西岛 格林纳达 格陵兰 格鲁吉亚 梵蒂冈 比利时
    毛里塔尼亚 毛里求斯 汤加 沙特阿拉伯 法国 法属南部领地 法属圣马丁 法属圭亚那 法属波利尼西亚 法罗群岛 波兰 波多黎各 波斯尼亚和黑塞哥维那 泰国 泽西岛 津巴布韦
    洪都拉斯 海地 澳大利亚 爱尔兰 爱沙尼亚 牙买加 特克斯和凯科斯群岛 特立尼达和多巴哥 特里斯坦-达库尼亚群岛 玻利维亚 瑙鲁 瑞典 瑞士 瓜德罗普 瓦利斯和富图纳 瓦努阿图
    留尼汪 白俄罗斯 百慕大 皮特凯恩群岛 直布罗陀 福克兰群岛 科威特 科摩罗 科特迪瓦 科科斯（基林）群岛 科索沃 秘鲁 突尼斯 立陶宛 索马里 约旦 纳米比亚 纽埃 缅甸
    罗马尼亚 美国 美国本土外小岛屿 美属维尔京群岛 美属萨摩亚 老挝 肯尼亚 芬兰 苏丹 苏里南 英国 英属印度洋领地 英属维尔京群岛 荷兰 荷属加勒比区 荷属圣马丁 莫桑比克
    莱索托 菲律宾 萨克岛 萨尔瓦多 萨摩亚 葡萄牙 蒙古 蒙特塞拉特 西撒哈拉 西班牙 诺福克岛 贝宁 赞比亚 赤道几内亚 赫德岛和麦克唐纳群岛 越南 迪戈加西亚岛 阿塞拜疆
    阿富汗 阿尔及利亚 阿尔巴尼亚 阿拉伯联合酋长国 阿曼 阿根廷 阿森松岛 阿鲁巴 韩国 马尔代夫 马恩岛 马拉维 马提尼克 马来西亚 马约特 马绍尔群岛 马耳他 马达加斯加
    马里 黎巴嫩 黑山
    东亚 东南亚 东欧 东非 中亚 中美洲 中非 亚洲 加勒比地区 北欧 北美洲 北非 南亚 南欧 南美洲 南部非洲 大洋洲 密克罗尼西亚地区 拉丁美洲 撒哈拉以南非洲 欧洲
    澳大拉西亚 玻利尼西亚 美拉尼西亚 美洲 美洲北部 西亚 西欧 西非 非洲
    阿联酋 沙特 英格兰 苏格兰 南韩 港澳台 欧盟 中东 北美 南美 东盟 海外 国外 境外 外资
""".split())
# words staff write for where an investor is from, and the 资金来源 they mean
REGION_WORDS = {"省内": "省内", "本省": "省内", "省外": "省外", "外省": "省外", "国内": "省外",
                "境外": "境外", "国外": "境外", "海外": "境外", "外资": "境外", "港澳台": "境外"}


def country_of(origin: str) -> str | None:
    """``德国`` / ``德国慕尼黑`` → ``德国``; None when not a known country or region."""
    if origin in COUNTRIES:
        return origin
    for n in range(min(len(origin), 12), 1, -1):
        if origin[:n] in COUNTRIES:
            return origin[:n]
    return None
