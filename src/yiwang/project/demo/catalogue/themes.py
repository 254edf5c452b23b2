"""Themes, life events and search synonyms of the demo catalogue.

National themes follow the 国家政务服务平台's lists for persons (生育收养, 户籍办理 …) and legal
persons (设立变更, 准营准办 …); Sanming's seven local themes (幼有所育 … 弱有所扶) and the seven
life events of the citizen's home page (生育, 上学, 就业, 结婚, 购房, 退休, 身后事) are the ones
MISSION.md names; enterprise life events follow 国发〔2024〕3号 (from opening to closing).

An item joins a theme when its name contains one of the theme's words (`ThemeSpec.words`) and
its service objects fit the theme's audience (publication rule 9).
"""

from __future__ import annotations

from dataclasses import dataclass

from yiwang.catalog.models import Audience, ThemeKind

_P, _E = Audience.PERSON, Audience.ENTERPRISE
_T, _L = ThemeKind.THEME, ThemeKind.LIFE_EVENT


@dataclass(frozen=True)
class ThemeSpec:
    code: str
    name: str
    audience: str
    kind: str
    words: tuple[str, ...]  # an item whose name contains one of these joins the theme
    description: str = ""
    steps: tuple[str, ...] = ()  # life events: what to do, in order
    items: tuple[str, ...] = ()  # life events: the exact item names of the steps


def _themes(audience: str, table: str) -> tuple[ThemeSpec, ...]:
    """Lines of `code|name|words separated by 、|description`."""
    specs = []
    for line in table.strip().splitlines():
        code, name, words, description = line.split("|")
        specs.append(ThemeSpec(code, name, audience, _T, tuple(words.split("、")), description))
    return tuple(specs)


PERSON_THEMES: tuple[ThemeSpec, ...] = _themes(
    _P,
    """
person.birth_adoption|生育收养|出生医学证明、生育登记、新生儿、收养、生育津贴、预防接种证、计划生育|
person.household|户籍办理|出生登记、户口、户籍证明|
person.identity_documents|证件办理|居民身份证、居住证、社会保障卡、驾驶证|
person.marriage|婚姻登记|结婚登记、离婚登记、婚姻登记证|
person.education|教育科研|入学、入园、转学、学生资助、教师资格、延缓入学、高校毕业生|
person.employment|就业创业|就业、失业、创业、职业技能、个体工商户、小餐饮、人事档案|
person.social_security|社会保障|养老保险、退休、社会保障卡、失业保险金、权益记录、工伤、劳动能力、丧葬补助金|
person.medical|医疗卫生|医疗保险、医保、异地就医、医疗费用、慢特病、医疗救助、医师执业、护士执业|
person.housing|住房保障|公共租赁住房、租赁补贴、住房公积金、危房改造、房屋租赁、网签备案|
person.real_estate|不动产登记|首次登记、转移登记、抵押登记、变更登记、预告登记、注销登记、不动产|
person.social_assistance|社会救助|最低生活保障、特困人员、临时救助、残疾人、孤儿、高龄津贴、医疗救助|
person.veterans|优待抚恤|退役、残疾军人、优待、伤残、残疾等级|
person.transport|交通出行|驾驶证、机动车、电动自行车、网络预约出租汽车、从业资格|
person.exit_entry|出境入境|护照、往来港澳、往来台湾、居留许可|
person.funeral|死亡殡葬|死亡注销、丧葬补助金、殡葬|
person.legal_services|法律服务|法律援助、人民调解、仲裁、消费投诉|
person.utilities|公用事业|用水、用气、用电、燃气设施|
person.agriculture|农林牧渔|宅基地、耕地、农机、林木采伐、拖拉机、渔业、家庭农场|
""",
)

ENTERPRISE_THEMES: tuple[ThemeSpec, ...] = _themes(
    _E,
    """
enterprise.setup_change|设立变更|设立登记、变更登记、合作社登记、个体工商户、新办纳税人、单位参保、缴存登记|
enterprise.licences|准营准办|许可、经营登记、作坊登记、备案、卫生许可、执业登记|
enterprise.qualifications|资质认证|资质、专精特新、技术中心、定点申请|
enterprise.tax_fees|纳税缴费|发票、清税、完税、契税、购置税、房产税、留抵退税、出口退、涉税|
enterprise.human_resources|人力资源|就业、人力资源服务、劳务派遣、工时、招聘、劳动人事争议、吸纳就业、稳岗|
enterprise.social_security|社会保障|参保登记、工伤、职工退休、住房公积金|
enterprise.investment|投资审批|投资项目、政府投资、节能审查、招标、技术改造|
enterprise.construction|规划建设|施工许可、规划许可、用地、消防、竣工、质量安全、施工图、联合验收、预售、规划核实、帮办代办|
enterprise.transport|交通运输|道路、运输、网络预约出租汽车、港口、机动车维修、驾驶员培训、超限、涉路|
enterprise.environment|环保绿化|环境影响、排污、辐射、城市绿化、建筑垃圾、排水、生活垃圾、取水、水土保持|
enterprise.health|医疗卫生|医疗机构、放射诊疗、母婴保健、卫生许可、药品、医疗器械、托育|
enterprise.agriculture|农林牧渔|农药、兽药、动物防疫、种子、捕捞、林地、采伐、植物检疫、野生动物、农机|
enterprise.safety|安全生产|危险化学品、烟花爆竹、应急预案、安全设施、特种设备|
enterprise.culture|文体教育|娱乐场所、上网服务、演出、文艺表演、旅行社、体育、民办学校、校外培训、职业培训|
enterprise.mortgage|抵押质押|抵押、出质|
enterprise.utilities|公用事业|用水、用气、用电、燃气经营|
enterprise.closing|注销清算|注销登记、清税、销户|
""",
)

# Sanming's seven local themes (e三明): kind theme, for persons.
LOCAL_THEMES: tuple[ThemeSpec, ...] = _themes(
    _P,
    """
sanming.young_children|幼有所育|出生医学证明、生育登记、新生儿、预防接种证、入园、生育津贴|从出生到入园，孩子的事一网办
sanming.education|学有所教|入学、转学、学生资助、延缓入学|入学、转学、资助
sanming.work|劳有所得|就业、失业、创业、职业技能、劳动人事争议|就业、创业、技能与劳动权益
sanming.medical|病有所医|医疗保险、医保、异地就医、医疗费用、慢特病、医疗救助|医保参保、报销与救助
sanming.elderly|老有所养|养老保险、退休、高龄津贴、养老金|养老保险、退休与老年津贴
sanming.housing|住有所居|公共租赁住房、租赁补贴、住房公积金、危房改造、不动产|保障房、公积金与不动产
sanming.vulnerable|弱有所扶|最低生活保障、特困人员、临时救助、残疾人、孤儿、法律援助|救助、残疾人与法律援助
""",
)


def _event(code: str, name: str, audience: str, description: str, steps: str) -> ThemeSpec:
    """A life event: each step is an item's exact name followed by who handles it in brackets
    (“生育登记（卫健部门）”); the event holds exactly those items."""
    step_list = tuple(steps.split("；"))
    items = tuple(step.rsplit("（", 1)[0] for step in step_list)
    return ThemeSpec(code, name, audience, _L, (), description, step_list, items)


LIFE_EVENTS: tuple[ThemeSpec, ...] = (
    _event("life.birth", "生育", _P, "从生育登记到孩子落户、参保、办社保卡",
           "生育登记（孕前或孕期，卫健部门）；出生医学证明首次签发（助产医院）；"
           "新生儿出生登记（公安派出所）；新生儿城乡居民医保参保登记（医保部门）；"
           "社会保障卡申领（人社部门）；预防接种证办理（接种单位）；生育津贴申领（医保部门）"),
    _event("life.school", "上学", _P, "入园、入学、转学和资助",
           "幼儿园入园报名（公办幼儿园）（教育部门）；义务教育招生入学（小学一年级）（教育部门）；"
           "义务教育招生入学（初中一年级）（教育部门）；义务教育阶段学生转学（省内转学）（教育部门）；"
           "家庭经济困难学生资助（普通高中国家助学金）（教育部门）"),
    _event("life.employment", "就业", _P, "找工作、失业、创业",
           "就业登记（单位招用）（人社部门）；失业登记（城镇户籍）（人社部门）；"
           "就业创业证申领（人社部门）；失业保险金申领（人社部门）；"
           "一次性创业补贴（首次创办小微企业）（人社部门）；创业担保贷款贴息（个人创业者）（人社部门）"),
    _event("life.marriage", "结婚", _P, "结婚登记以后的落户和生育",
           "内地居民结婚登记（民政部门）；户口迁入审批（投靠亲属）（公安部门）；生育登记（卫健部门）"),
    _event("life.home_purchase", "购房", _P, "买房、贷款、过户、水电气",
           "商品房买卖合同网签备案（存量房）（住建部门）；个人住房公积金贷款（存量房）（公积金中心）；"
           "契税申报（住房）（税务部门）；不动产转移登记（存量房买卖）（不动产登记中心）；"
           "不动产抵押登记（抵押权首次登记）（不动产登记中心）；用水过户（居民）（供水公司）；"
           "用电更名过户（居民）（供电公司）；用气过户（居民）（燃气公司）；"
           "户口迁入审批（购房落户）（公安部门）"),
    _event("life.retirement", "退休", _P, "办退休、领养老金、提公积金、领高龄津贴",
           "职工退休申请（正常退休）（人社部门）；城乡居民基本养老保险待遇申领（人社部门）；"
           "住房公积金提取（离休退休）（公积金中心）；高龄津贴申领（80至89周岁）（民政部门）"),
    _event("life.after_death", "身后事", _P, "亲人去世后要办的事",
           "死亡注销户口（正常死亡）（公安部门）；惠民殡葬补贴（基本殡葬服务费用减免）（民政部门）；"
           "丧葬补助金抚恤金申领（企业职工）（人社部门）；"
           "住房公积金提取（职工死亡或被宣告死亡）（公积金中心）；"
           "不动产转移登记（继承受遗赠）（不动产登记中心）"),
    _event("business_life.start", "开办企业", _E, "营业执照、印章、发票、社保、公积金一次办",
           "企业设立登记（有限责任公司）（市场监管部门）；新办纳税人涉税事项（信息确认）（税务部门）；"
           "发票申领（全面数字化电子发票）（税务部门）；单位参保登记（企业）（社保中心）；"
           "单位住房公积金缴存登记（公积金中心）"),
    _event("business_life.restaurant", "开办餐饮店", _E, "开饭店要办的证",
           "企业设立登记（有限责任公司）（市场监管部门）；食品经营许可证核发（市场监管部门）；"
           "公共场所卫生许可（卫健部门）；设置大型户外广告审批（城管部门）；用气报装（非居民）（燃气公司）"),
    _event("business_life.construction", "项目建设", _E, "从立项到竣工验收",
           "企业投资项目备案（发改部门）；建设项目用地预审与选址意见书核发（自然资源部门）；"
           "建设用地规划许可证核发（出让用地）（自然资源部门）；建设工程规划许可证核发（自然资源部门）；"
           "建筑工程施工许可证核发（住建部门）；工程建设项目联合验收（房屋建筑工程）（行政审批局）"),
    _event("business_life.hiring", "招工用工", _E, "招人、参保、缴公积金",
           "就业登记（单位招用）（人社部门）；职工参保登记（新招录职工）（社保中心）；"
           "个人住房公积金账户设立（单位职工）（公积金中心）；"
           "企业吸纳就业补贴（吸纳重点群体就业）（人社部门）"),
    _event("business_life.closing", "企业注销", _E, "清税、注销登记、公积金",
           "清税申报（企业）（税务部门）；企业注销登记（一般注销）（市场监管部门）；"
           "单位住房公积金缴存登记（公积金中心）"),
)  # fmt: skip

ALL_THEMES: tuple[ThemeSpec, ...] = (
    *PERSON_THEMES,
    *ENTERPRISE_THEMES,
    *LOCAL_THEMES,
    *LIFE_EVENTS,
)

# Colloquial words → catalogue words (the search expands a query with them).
SYNONYMS: dict[str, str] = {
    "开饭店": "食品经营许可 企业开办 营业执照 开办餐饮店",
    "开餐馆": "食品经营许可 企业开办 营业执照 开办餐饮店",
    "开小吃店": "小餐饮经营登记 食品经营许可 个体工商户 开办餐饮店",
    "开奶茶店": "食品经营许可 小餐饮经营登记 个体工商户 开办餐饮店",
    "开公司": "企业设立登记 营业执照 企业开办",
    "办执照": "营业执照 企业设立登记 个体工商户登记",
    "开店": "个体工商户登记 营业执照 企业开办",
    "开药店": "药品零售企业许可 开办药店",
    "开超市": "食品经营许可 营业执照 开办便利店",
    "生孩子": "生育登记 出生医学证明 新生儿",
    "生娃": "生育登记 出生医学证明 新生儿",
    "准生证": "生育登记",
    "出生证": "出生医学证明",
    "上户口": "户籍 落户 新生儿出生登记 户口迁入",
    "报户口": "新生儿出生登记 户籍 落户",
    "迁户口": "户口迁入审批 落户",
    "落户": "户口迁入审批 新生儿出生登记",
    "办身份证": "居民身份证",
    "sfz": "居民身份证",
    "身份证丢了": "居民身份证丢失补领 临时居民身份证",
    "暂住证": "居住证",
    "领证": "结婚登记",
    "扯证": "结婚登记",
    "结婚": "结婚登记",
    "离婚": "离婚登记",
    "退休金": "养老保险待遇 职工退休申请 养老金",
    "养老金": "养老保险待遇 职工退休申请",
    "办退休": "职工退休申请 退休一件事",
    "提公积金": "住房公积金提取",
    "取公积金": "住房公积金提取",
    "公积金贷款": "个人住房公积金贷款",
    "买房过户": "不动产转移登记 存量房买卖 二手房转移登记",
    "二手房过户": "不动产转移登记 存量房买卖 二手房转移登记",
    "房产证": "不动产权证书 不动产登记",
    "办房产证": "不动产首次登记 不动产转移登记",
    "社保卡": "社会保障卡",
    "医保卡": "社会保障卡 医疗保险",
    "交社保": "参保登记 社会保险",
    "异地看病": "异地就医备案",
    "看病报销": "医疗费用手工（零星）报销",
    "低保": "最低生活保障",
    "失业金": "失业保险金申领",
    "找工作": "就业登记 失业登记 就业创业证",
    "驾照": "机动车驾驶证",
    "换驾照": "机动车驾驶证期满换证",
    "上牌": "机动车注册登记",
    "电动车上牌": "电动自行车登记",
    "办护照": "普通护照",
    "港澳通行证": "往来港澳通行证",
    "人死了": "死亡注销户口 丧葬补助金 身后一件事",
    "老人去世": "死亡注销户口 丧葬补助金 惠民殡葬补贴 身后一件事",
    "开发票": "发票申领",
    "报装水电": "用水报装 低压用电报装 用气报装",
    "装燃气": "用气报装",
    "盖房子": "建筑工程施工许可证核发 乡村建设规划许可证核发 农村村民宅基地审批",
    "宅基地": "农村村民宅基地审批",
    "砍树": "林木采伐许可证核发 城市绿化审批",
    "打官司": "法律援助申请",
    "残疾证": "残疾人 困难残疾人生活补贴和重度残疾人护理补贴",
    "上学报名": "义务教育招生入学 入学一件事",
    "公司注销": "企业注销登记 清税申报 企业注销",
    "注销公司": "企业注销登记 清税申报 企业注销",
    "托儿所": "托育机构备案 开办托育机构",
}  # fmt: skip
