"""The labelled query set: what citizens type, and the item (or bundle) each must find in the
first five hits. Kinds: colloquial words and synonyms, names and parts of names, full pinyin,
initials, one wrong character (typos), and input noise (width, case, punctuation).

Every expected name exists in `search_catalogue.py` and in the demo city's catalogue is not
assumed: the demo test picks the queries whose expected names the demo holds.
"""

from __future__ import annotations

from typing import NamedTuple


class Labelled(NamedTuple):
    query: str
    expected: str  # the name of the item or bundle
    kind: str  # colloquial, name, pinyin, initials, typo, noise
    bundle: bool = False


QUERIES: list[Labelled] = [
    # colloquial words, through synonyms and aliases
    Labelled("开饭店", "食品经营许可证核发", "colloquial"),
    Labelled("开饭店", "企业开办一件事", "colloquial", bundle=True),
    Labelled("我想开饭店怎么办", "食品经营许可证核发", "colloquial"),
    Labelled("生孩子", "生育登记", "colloquial"),
    Labelled("生孩子", "出生医学证明办理", "colloquial"),
    Labelled("开公司", "企业设立登记", "colloquial"),
    Labelled("换身份证", "居民身份证换领", "colloquial"),
    Labelled("身份证丢了", "居民身份证补领", "colloquial"),
    Labelled("取公积金", "住房公积金提取", "colloquial"),
    Labelled("二手房过户", "国有建设用地使用权及房屋所有权转移登记", "colloquial"),
    Labelled("办房产证", "不动产首次登记", "colloquial"),
    Labelled("良民证", "无犯罪记录证明开具", "colloquial"),
    Labelled("驾照到期", "机动车驾驶证换证", "colloquial"),
    Labelled("低保", "最低生活保障审批", "colloquial"),
    Labelled("退休", "职工基本养老保险待遇申领", "colloquial"),
    Labelled("养狗", "养犬登记", "colloquial"),
    Labelled("出生证", "出生医学证明办理", "colloquial"),
    Labelled("个税退税", "个人所得税综合所得汇算清缴", "colloquial"),
    Labelled("网约车司机证", "网络预约出租汽车驾驶员证核发", "colloquial"),
    Labelled("外地看病报销", "异地就医备案", "colloquial"),
    Labelled("领失业金", "失业保险金申领", "colloquial"),
    Labelled("上小学", "义务教育入学报名", "colloquial"),
    Labelled("开网吧", "互联网上网服务营业场所经营许可", "colloquial"),
    Labelled("盖房子", "乡村建设规划许可证核发", "colloquial"),
    Labelled("家里老人去世", "身后一件事", "colloquial", bundle=True),
    Labelled("准生证", "生育登记", "colloquial"),
    Labelled("社保卡", "社会保障卡申领", "colloquial"),
    # names and parts of names
    Labelled("食品经营许可证", "食品经营许可证核发", "name"),
    Labelled("居住证", "居住证办理", "name"),
    Labelled("结婚登记", "结婚登记", "name"),
    Labelled("不动产抵押", "不动产抵押登记", "name"),
    Labelled("建筑工程施工许可证", "建筑工程施工许可证核发", "name"),
    Labelled("护照", "普通护照签发", "name"),
    Labelled("港澳通行证", "往来港澳通行证签发", "name"),
    Labelled("排污许可", "排污许可证核发", "name"),
    Labelled("教师资格", "教师资格认定", "name"),
    Labelled("异地就医", "异地就医备案", "name"),
    Labelled("残疾人证", "残疾人证核发", "name"),
    Labelled("养老保险待遇", "城乡居民基本养老保险待遇申领", "name"),
    Labelled("公积金贷款", "住房公积金个人住房贷款", "name"),
    Labelled("出生一件事", "出生一件事", "name", bundle=True),
    # full pinyin
    Labelled("shenfenzheng", "居民身份证换领", "pinyin"),
    Labelled("juzhuzheng", "居住证办理", "pinyin"),
    Labelled("jiehundengji", "结婚登记", "pinyin"),
    Labelled("gongjijin", "住房公积金提取", "pinyin"),
    Labelled("shebaoka", "社会保障卡申领", "pinyin"),
    Labelled("yingyezhizhao", "企业设立登记", "pinyin"),
    Labelled("hukouqianyi", "户口迁移登记", "pinyin"),
    Labelled("chushengyixuezhengming", "出生医学证明办理", "pinyin"),
    Labelled("jiashizheng", "机动车驾驶证换证", "pinyin"),
    Labelled("wufanzuijilu", "无犯罪记录证明开具", "pinyin"),
    Labelled("shipinjingying", "食品经营许可证核发", "pinyin"),
    Labelled("shen fen zheng huan ling", "居民身份证换领", "pinyin"),
    Labelled("shenfenzheng huanling", "居民身份证换领", "pinyin"),
    # initials
    Labelled("sfz", "居民身份证换领", "initials"),
    Labelled("jzz", "居住证办理", "initials"),
    Labelled("jhdj", "结婚登记", "initials"),
    Labelled("gjj", "住房公积金提取", "initials"),
    Labelled("sbk", "社会保障卡申领", "initials"),
    Labelled("csyxzm", "出生医学证明办理", "initials"),
    Labelled("jsz", "机动车驾驶证换证", "initials"),
    Labelled("spjyxk", "食品经营许可证核发", "initials"),
    Labelled("bdcsc", "不动产首次登记", "initials"),
    Labelled("db", "最低生活保障审批", "initials"),
    Labelled("yqdj", "养犬登记", "initials"),
    # one wrong character
    Labelled("身分证", "居民身份证换领", "typo"),
    Labelled("居民身份正换领", "居民身份证换领", "typo"),
    Labelled("结婚登计", "结婚登记", "typo"),
    Labelled("营业执造", "企业设立登记", "typo"),
    Labelled("住房公积金提起", "住房公积金提取", "typo"),
    Labelled("社会保章卡", "社会保障卡申领", "typo"),
    Labelled("出生医学证名", "出生医学证明办理", "typo"),
    Labelled("居住正", "居住证办理", "typo"),
    Labelled("建筑工程施工许可正", "建筑工程施工许可证核发", "typo"),
    Labelled("失业保险金申请", "失业保险金申领", "typo"),
    Labelled("驾驶证换正", "机动车驾驶证换证", "typo"),
    Labelled("不动产低押登记", "不动产抵押登记", "typo"),
    Labelled("养犬等记", "养犬登记", "typo"),
    Labelled("无犯罪记录证民", "无犯罪记录证明开具", "typo"),
    Labelled("食品经营许可证核法", "食品经营许可证核发", "typo"),
    # input noise
    Labelled("ＳＦＺ", "居民身份证换领", "noise"),
    Labelled("  身份证　换领！！", "居民身份证换领", "noise"),
    Labelled("《结婚登记》", "结婚登记", "noise"),
    Labelled("Shebaoka", "社会保障卡申领", "noise"),
]

# The demo city (`yiwang demo`) names some of the same services differently, often as families
# of variants ("住房公积金提取（租赁住房）"). For the demo test, the names that satisfy each
# expected name: a hit counts when it is one of them or one of its variants ("name（…）").
# None: the demo catalogue has no such service, and the query is left out there.
DEMO_NAMES: dict[str, tuple[str, ...] | None] = {
    "居民身份证换领": ("居民身份证到期换领", "居民身份证损坏换领"),
    "居民身份证补领": ("居民身份证丢失补领",),
    "出生医学证明办理": ("出生医学证明首次签发",),
    "国有建设用地使用权及房屋所有权转移登记": ("不动产转移登记（存量房买卖）",),
    "不动产首次登记": ("国有建设用地使用权及房屋所有权首次登记",),
    "无犯罪记录证明开具": ("户籍证明开具（有无犯罪记录证明）",),
    "机动车驾驶证换证": ("机动车驾驶证期满换证", "机动车驾驶证损毁换证"),
    "最低生活保障审批": ("最低生活保障审核确认",),
    "职工基本养老保险待遇申领": ("职工退休申请",),
    "养犬登记": None,
    "义务教育入学报名": ("义务教育招生入学",),
    "互联网上网服务营业场所经营许可": ("互联网上网服务营业场所经营单位设立审批",),
    "居住证办理": ("居住证申领", "居住证换领补领", "居住证签注"),
    "结婚登记": ("内地居民结婚登记",),
    "普通护照签发": ("普通护照首次申请签发", "普通护照换发签发", "普通护照补发签发"),
    "往来港澳通行证签发": ("往来港澳通行证及签注签发",),
    "残疾人证核发": None,
    "住房公积金个人住房贷款": ("个人住房公积金贷款",),
    "出生一件事": ("新生儿出生一件事",),
    "户口迁移登记": ("户口迁入审批",),
}


def demo_names(labelled: Labelled) -> tuple[str, ...] | None:
    return DEMO_NAMES.get(labelled.expected, (labelled.expected,))


def satisfies(name: str, accepted: tuple[str, ...]) -> bool:
    return any(name == a or name.startswith(a + "（") for a in accepted)
