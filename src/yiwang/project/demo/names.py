"""Pools of Chinese names for the demo population and business registry.

Surnames are weighted roughly by how common they are, with the Fujian favourites (林, 陈, 黄)
raised. Every character here is an ordinary one: the names must look like real people's names
without being anyone in particular.
"""

from __future__ import annotations

import random

# (surname, weight)
SURNAMES: tuple[tuple[str, int], ...] = (
    ("陈", 60), ("林", 60), ("黄", 40), ("张", 40), ("李", 40), ("王", 40), ("吴", 25),
    ("刘", 25), ("郑", 22), ("杨", 18), ("蔡", 14), ("许", 14), ("谢", 14), ("周", 14),
    ("徐", 12), ("赖", 10), ("游", 8), ("邱", 10), ("罗", 10), ("曾", 10), ("何", 9),
    ("江", 9), ("苏", 9), ("高", 9), ("朱", 9), ("胡", 8), ("郭", 8), ("洪", 8), ("庄", 7),
    ("叶", 8), ("魏", 6), ("傅", 6), ("詹", 5), ("卢", 6), ("余", 6), ("范", 5), ("方", 6),
    ("赵", 8), ("孙", 7), ("马", 6), ("梁", 6), ("宋", 5), ("唐", 5), ("韩", 5), ("冯", 5),
    ("邓", 5), ("曹", 4), ("彭", 5), ("萧", 4), ("田", 4), ("董", 4), ("潘", 5), ("袁", 4),
    ("蒋", 4), ("杜", 4), ("程", 4), ("姚", 4), ("沈", 4), ("钟", 5), ("姜", 3), ("崔", 3),
    ("谭", 3), ("陆", 3), ("汪", 3), ("廖", 5), ("石", 3), ("金", 3), ("夏", 3), ("付", 3),
    ("邹", 3), ("熊", 3), ("白", 2), ("孟", 2), ("秦", 2), ("侯", 2), ("薛", 2), ("雷", 3),
    ("龚", 2), ("邵", 2), ("严", 3), ("戴", 3), ("柯", 3), ("温", 3), ("欧阳", 2), ("上官", 1),
    ("司马", 1),
)  # fmt: skip

MALE_GIVEN = (
    "伟", "强", "磊", "军", "勇", "杰", "涛", "明", "斌", "超", "华", "辉", "鹏", "俊", "峰",
    "建", "国", "志", "文", "海", "波", "宇", "浩", "博", "凯", "翔", "晨", "阳", "林", "鑫",
    "东", "亮", "成", "刚", "平", "正", "永", "健", "世", "广", "兴", "良", "坤", "德", "铭",
    "荣", "瑞", "嘉", "睿", "泽", "轩", "豪", "锦", "清", "松", "福", "祥", "宏", "毅", "彬",
)  # fmt: skip

FEMALE_GIVEN = (
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "玲", "燕", "婷", "雪", "慧", "琳",
    "颖", "倩", "洁", "梅", "莉", "兰", "红", "晶", "欣", "怡", "佳", "雯", "悦", "琪", "璐",
    "蕾", "薇", "萍", "妍", "淑", "月", "凤", "彤", "馨", "萱", "诗", "梦", "晓", "思", "雨",
    "涵", "茜", "瑶", "珊", "春", "桂", "英", "华", "琴", "惠", "丹", "莹", "蓉", "宁", "青",
)  # fmt: skip

# A few citizens whose names are written with the middle dot (Uyghur naming), with the 6-digit
# code of a real Xinjiang district: the real-name check must compare such names correctly.
DOTTED_NAMES: tuple[tuple[str, bool], ...] = (
    ("阿依古丽·艾买提", False),
    ("买买提·吐尔逊", True),
    ("古丽娜尔·阿不都", False),
    ("艾尔肯·热合曼", True),
)
DOTTED_NAME_REGION = "650102"

_SURNAME_LIST = [surname for surname, _ in SURNAMES]
_SURNAME_WEIGHTS = [weight for _, weight in SURNAMES]


def person_name(rng: random.Random, *, male: bool) -> str:
    """A surname and a one- or two-character given name (two in about seven cases of ten)."""
    surname = rng.choices(_SURNAME_LIST, weights=_SURNAME_WEIGHTS, k=1)[0]
    pool = MALE_GIVEN if male else FEMALE_GIVEN
    if rng.random() < 0.7:
        first, second = rng.sample(pool, 2)
        return f"{surname}{first}{second}"
    return f"{surname}{rng.choice(pool)}"


# Trade names (字号) and lines of business for the business registry.
TRADE_NAME_CHARACTERS = (
    "鑫", "盛", "恒", "达", "华", "源", "同", "创", "瑞", "丰", "兴", "隆", "博", "远", "嘉",
    "禾", "宏", "图", "汇", "通", "福", "金", "穗", "绿", "野", "闽", "峰", "海", "晟", "东",
    "升", "永", "泰", "祥", "和", "德", "润", "安", "顺", "茂", "启", "航", "众", "信", "天",
    "成", "锦", "程", "智", "联", "聚", "力", "康", "宁", "清", "溪", "云", "山", "新", "港",
)  # fmt: skip

LINES_OF_BUSINESS = (
    "餐饮管理", "信息技术", "商贸", "建筑工程", "物流", "食品", "农业科技", "茶业", "医药",
    "教育咨询", "文化传媒", "物业管理", "装饰工程", "汽车服务", "旅游开发", "电子商务",
    "环保科技", "机械制造", "服装", "家具", "水产", "竹木制品", "电子科技", "房地产开发",
)  # fmt: skip


def trade_name(rng: random.Random) -> str:
    first, second = rng.sample(TRADE_NAME_CHARACTERS, 2)
    return f"{first}{second}"


STREET_NAMES = (
    "人民路", "府前路", "解放路", "中山路", "建设路", "新华路", "滨江路", "湖滨路", "朝阳路",
    "东环路", "西环路", "北大街", "南大街", "文化路", "青年路", "五一路", "八一路", "学府路",
    "工业路", "创业大道", "和平街", "胜利街", "河滨路", "龙泉路",
)  # fmt: skip

COMMUNITY_NAMES = (
    "幸福社区", "和平社区", "新村社区", "光明社区", "建设社区", "文化社区", "育才社区",
    "春晖社区", "阳光社区", "锦绣社区", "翠苑社区", "龙腾社区", "金桥社区", "东湖社区",
    "花园社区", "长青社区", "振兴社区", "康乐社区", "团结社区", "友谊社区", "滨河社区",
    "书院社区", "梧桐社区", "紫荆社区",
)  # fmt: skip

VILLAGE_NAMES = (
    "石门村", "上坪村", "下洋村", "坑头村", "岭后村", "樟树村", "后垅村", "前洋村", "山头村",
    "水口村", "黄坑村", "大坪村", "洋中村", "新厝村", "东坑村", "桥头村", "龙井村", "茶园村",
    "杉林村", "枫林村", "湖头村", "塘边村", "田心村", "长坑村", "高岭村", "官庄村", "马坪村",
    "岩下村", "上洋村", "半岭村", "吉山村", "李坊村", "陈坑村", "林洋村", "溪源村", "竹园村",
)  # fmt: skip
