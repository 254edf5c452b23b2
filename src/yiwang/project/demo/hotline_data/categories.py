"""The 12345 category tree of 示范市 with each leaf's default unit, urgency, intake questions and
the texts the ticket generator writes for it.

Codes: two digits per level (`01` 城市管理, `0101` 道路设施, `010102` 井盖缺失破损). A leaf's
`unit` is a demo department key (`departments.py`); the routing rules send some leaves to the
county's own bureau instead. `profile` picks the mix of ticket types (see `TYPE_PROFILES`).

Templates are filled from a slot dictionary (`generator.Slots`): {loc} a full address with the
county and town, {town}, {county}, {street}, {community}, {shop}, {company}, {school},
{hospital}, {time}, {days}, {amount}, {n}, {month}, {person}. Several phrasings per leaf, and
the generator adds openings and closings by channel, so that a classifier has real work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Leaf:
    code: str
    name: str
    unit: str  # demo department key
    profile: str  # key of TYPE_PROFILES
    weight: int  # relative volume
    templates: tuple[str, ...]
    urgent: bool = False
    located: bool = False  # the ticket names (and the app sends) a place
    keywords: str = ""
    public: bool = True
    questions: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Branch:
    code: str
    name: str
    children: tuple[Leaf | Branch, ...] = field(default_factory=tuple)
    unit: str = ""


# Ticket type weights: consultation, help, complaint, report, suggestion, praise, other.
TYPE_PROFILES: dict[str, tuple[int, int, int, int, int, int, int]] = {
    "ask": (86, 5, 4, 0, 3, 1, 1),  # mostly questions (social security, housing fund ...)
    "mixed": (55, 15, 18, 2, 6, 2, 2),
    "fix": (12, 40, 38, 2, 6, 1, 1),  # something broken or a nuisance
    "complain": (10, 15, 60, 8, 5, 1, 1),
    "report": (8, 5, 40, 42, 3, 1, 1),
}

_WHERE = {"key": "location_detail", "label": "具体位置（路名、门牌或标志物）", "required": True}
_WHEN = {"key": "since", "label": "问题从何时开始", "required": False}
_NOISE = [
    {"key": "noise_source", "label": "噪声来源", "required": True,
     "options": ["施工", "娱乐场所", "广场舞", "商铺音响", "工厂设备", "其他"]},
    {"key": "noise_time", "label": "噪声主要时段", "required": True},
]  # fmt: skip
_WAGE = [
    {"key": "employer", "label": "用人单位或工地名称", "required": True},
    {"key": "amount", "label": "被拖欠金额（元）", "required": True},
    {"key": "people", "label": "涉及人数", "required": False},
]
_CONSUMER = [
    {"key": "merchant", "label": "商家名称", "required": True},
    {"key": "amount", "label": "涉及金额（元）", "required": False},
    {"key": "purchase_date", "label": "消费日期", "required": False},
]

TREE: tuple[Branch, ...] = (
    Branch(
        "01",
        "城市管理",
        unit="urban_management",
        children=(
            Branch(
                "0101",
                "道路设施",
                children=(
                    Leaf(
                        "010101",
                        "路面破损",
                        "urban_management",
                        "fix",
                        14,
                        located=True,
                        keywords="路面 坑洼 塌陷 破损",
                        templates=(
                            "{loc}路面出现一个大坑，直径约{n}0厘米，下雨积水看不见，已经有电动车摔倒。",
                            "{street}靠近{community}一段路面坑坑洼洼，过往车辆颠簸严重，希望尽快修补。",
                            "{loc}路面塌陷，周边用几块砖头围着，晚上很危险。",
                            "{town}{street}机动车道沥青开裂起包，{days}天前就这样了一直没人修。",
                        ),
                    ),
                    Leaf(
                        "010102",
                        "井盖缺失破损",
                        "urban_management",
                        "fix",
                        10,
                        urgent=True,
                        located=True,
                        keywords="井盖 窨井 雨水井 缺失",
                        questions=(_WHERE,),
                        templates=(
                            "{loc}有一个井盖破损塌陷，行人容易踩空，请尽快处理。",
                            "{street}与{street2}交叉口的窨井盖不见了，只放了一个锥桶，晚上看不清。",
                            "{community}门口的雨水井盖松动，车一压就哐哐响，{time}特别吵。",
                            "{loc}人行道上的井盖缺了一角，小孩差点掉进去。",
                        ),
                    ),
                    Leaf(
                        "010103",
                        "人行道及护栏损坏",
                        "urban_management",
                        "fix",
                        6,
                        located=True,
                        keywords="人行道 地砖 护栏 盲道",
                        templates=(
                            "{loc}人行道地砖松动翘起，下雨一踩就溅一身泥水。",
                            "{street}中间的隔离护栏被车撞倒了{n}节，一直没有修复。",
                            "{loc}的盲道被破坏，还有一段被摊位占用，视障人士无法通行。",
                        ),
                    ),
                ),
            ),
            Leaf(
                "0102",
                "路灯照明",
                "urban_management",
                "fix",
                9,
                located=True,
                keywords="路灯 不亮 照明",
                templates=(
                    "{loc}一排路灯有{n}盏不亮，晚上一片漆黑，行人很不安全。",
                    "{street}的路灯白天一直亮着，浪费电，请管理部门检查。",
                    "{community}附近{street}路灯已经坏了{days}天，晚上下班回家路上黑乎乎的。",
                    "{town}{street}路灯杆倾斜，灯罩掉下来一半，担心砸到人。",
                ),
            ),
            Leaf(
                "0103",
                "占道经营",
                "urban_management",
                "complain",
                12,
                located=True,
                keywords="占道 流动摊贩 出店经营",
                templates=(
                    "{loc}每天{time}有很多流动摊贩占道经营，车辆行人都过不去。",
                    "{shop}把桌椅摆到人行道上经营，行人只能走机动车道。",
                    "{street}菜市场门口小贩占道卖菜，早上堵得水泄不通，垃圾也没人清理。",
                    "{community}门口夜市烧烤摊占用消防通道，{time}油烟加吵闹。",
                ),
            ),
            Leaf(
                "0104",
                "违法建设",
                "urban_management",
                "report",
                8,
                located=True,
                keywords="违建 私搭乱建 加盖",
                templates=(
                    "{community}{n}号楼顶楼住户在楼顶私自加盖彩钢房，存在安全隐患。",
                    "{loc}有人在绿地上私搭乱建铁皮棚，已经建了一半，请尽快制止。",
                    "{town}{community}一户村民在未经审批的情况下扩建房屋，占用了公共道路。",
                    "{community}一楼住户把院子围起来加建房间，影响整栋楼采光和通行。",
                ),
            ),
            Leaf(
                "0105",
                "市容环境卫生",
                "urban_management",
                "fix",
                10,
                located=True,
                keywords="卫生 脏乱差 清扫",
                templates=(
                    "{loc}路边堆了很多建筑垃圾和生活垃圾，几天没人清扫，臭气熏天。",
                    "{street}沿街商铺门前卫生脏乱差，污水横流，请督促整改。",
                    "{community}后面的空地成了垃圾场，夏天蚊蝇滋生。",
                    "{loc}公共厕所长期无人打扫，门也坏了，{time}根本没法用。",
                ),
            ),
            Leaf(
                "0106",
                "垃圾清运",
                "urban_management",
                "fix",
                8,
                located=True,
                keywords="垃圾桶 清运 分类",
                templates=(
                    "{community}垃圾桶已经满出来{days}天了，垃圾车一直没来清运。",
                    "{loc}的垃圾分类亭只设了一个其他垃圾桶，厨余垃圾没地方扔。",
                    "{street}垃圾中转站{time}作业噪音大，渗滤液流到路面上，味道很重。",
                ),
            ),
            Leaf(
                "0107",
                "园林绿化",
                "urban_management",
                "mixed",
                6,
                located=True,
                keywords="树木 绿化 修剪 倒伏",
                templates=(
                    "{loc}行道树树枝太长挡住了红绿灯，开车看不清信号灯。",
                    "{community}门口一棵大树被台风吹歪，随时可能倒下压到车辆。",
                    "{street}绿化带长期没有修剪，杂草丛生，还有蛇出没。",
                    "建议在{street}沿线增加一些绿化和休息座椅，方便老人散步。",
                ),
            ),
            Leaf(
                "0108",
                "共享单车乱停放",
                "urban_management",
                "complain",
                4,
                located=True,
                keywords="共享单车 乱停 电动车",
                templates=(
                    "{loc}共享单车乱停乱放，把整个人行道都堵住了。",
                    "{street}地铁口（公交站）旁边共享单车堆成山，请运营企业及时清理。",
                    "{community}门口共享电单车停满了消防通道。",
                ),
            ),
        ),
    ),
    Branch(
        "02",
        "生态环境",
        unit="environment",
        children=(
            Branch(
                "0201",
                "噪声污染",
                children=(
                    Leaf(
                        "020101",
                        "社会生活噪声",
                        "police",
                        "complain",
                        12,
                        urgent=True,
                        located=True,
                        keywords="噪音 扰民 广场舞 KTV 装修",
                        questions=tuple(_NOISE),
                        templates=(
                            "{loc}有人跳广场舞音响开得很大，每天{time}，严重影响休息。",
                            "{community}楼下{shop}音响声音太大，{time}还在放，吵得孩子睡不着。",
                            "{community}{n}栋楼上住户每天{time}装修电钻声不断，周末也不停。",
                            "{loc}附近KTV每天唱到凌晨两三点，噪音扰民，多次反映无果。",
                            "楼上邻居{time}经常拖拽桌椅、大声喧哗，沟通多次无效，住址{community}{n}栋。",
                        ),
                    ),
                    Leaf(
                        "020102",
                        "建筑施工噪声",
                        "urban_management",
                        "complain",
                        9,
                        urgent=True,
                        located=True,
                        keywords="施工 夜间施工 打桩 噪音",
                        questions=tuple(_NOISE),
                        templates=(
                            "{loc}的工地{time}还在施工，打桩机噪音很大，附近居民无法入睡。",
                            "{street}道路改造工程连续{days}天夜间施工，挖掘机一直响到凌晨。",
                            "{community}对面的建筑工地夜间浇筑混凝土，灯光和噪音扰民，请查一下有没有夜间施工许可。",
                            "{town}{street}旁边工地每天早上五点就开始施工，噪声太大。",
                        ),
                    ),
                    Leaf(
                        "020103",
                        "工业企业噪声",
                        "environment",
                        "complain",
                        4,
                        urgent=True,
                        located=True,
                        keywords="工厂 设备 噪声 轰鸣",
                        templates=(
                            "{company}的厂房设备日夜运转，轰鸣声很大，附近{community}的居民深受其扰。",
                            "{loc}一家加工厂{time}机器一直响，墙都在震。",
                            "{town}工业区{company}冷却塔噪声很大，晚上尤其明显。",
                        ),
                    ),
                ),
            ),
            Leaf(
                "0202",
                "餐饮油烟",
                "environment",
                "complain",
                8,
                located=True,
                keywords="油烟 餐馆 烧烤 排烟",
                templates=(
                    "{shop}的油烟直接排到居民楼里，家里窗户都不敢开。",
                    "{loc}一楼的饭店没有安装油烟净化器，油烟熏黑了整面墙。",
                    "{community}楼下烧烤店每天{time}烟雾很大，还有噪音。",
                ),
            ),
            Leaf(
                "0203",
                "大气污染",
                "environment",
                "report",
                6,
                located=True,
                keywords="废气 焚烧 粉尘 异味",
                templates=(
                    "{town}有人在田里焚烧垃圾和秸秆，浓烟飘到{community}，呛得人咳嗽。",
                    "{company}烟囱{time}偷排黑烟，还有刺鼻的气味。",
                    "{loc}搅拌站粉尘很大，周边车辆和窗台一层灰。",
                    "{community}附近一直有刺鼻的化学异味，晚上更明显，怀疑有企业偷排废气。",
                ),
            ),
            Leaf(
                "0204",
                "水污染",
                "environment",
                "report",
                5,
                located=True,
                keywords="污水 偷排 河道 黑臭",
                templates=(
                    "{town}的小河变黑发臭，有企业往河里偷排污水。",
                    "{company}把废水直接排进雨水管，{street}边的水沟里都是泡沫。",
                    "{loc}河道里死鱼很多，水面漂着油污，请环保部门来检测。",
                ),
            ),
            Leaf(
                "0205",
                "固体废物",
                "environment",
                "report",
                3,
                located=True,
                keywords="倾倒 渣土 危废",
                templates=(
                    "{town}山脚下有人夜里偷偷倾倒建筑垃圾和工业废料。",
                    "{loc}空地上堆了很多废旧电池和油桶，怀疑是危险废物。",
                    "{company}把边角料堆在厂外路边，已经堆了{days}天。",
                ),
            ),
        ),
    ),
    Branch(
        "03",
        "市政公用",
        children=(
            Branch(
                "0301",
                "供水",
                children=(
                    Leaf(
                        "030101",
                        "停水",
                        "water_supply",
                        "fix",
                        9,
                        urgent=True,
                        located=True,
                        keywords="停水 没水 水压低",
                        questions=(_WHERE, _WHEN),
                        templates=(
                            "{community}从{time}开始停水，没有接到任何停水通知，什么时候恢复？",
                            "{loc}整栋楼都没水了，家里有老人和小孩，请尽快恢复供水。",
                            "{community}高层住户水压太低，{n}楼以上白天基本没水。",
                            "{street}自来水管爆裂，水冒到路面上，{community}停水了。",
                        ),
                    ),
                    Leaf(
                        "030102",
                        "水质问题",
                        "water_supply",
                        "fix",
                        4,
                        urgent=True,
                        located=True,
                        keywords="水质 浑浊 黄水 异味",
                        templates=(
                            "{community}自来水发黄浑浊，有铁锈味，不敢喝。",
                            "{loc}家里水龙头放出来的水有很重的漂白粉味道。",
                            "{community}二次供水水箱多年没清洗，水里有沉淀物。",
                        ),
                    ),
                    Leaf(
                        "030103",
                        "水表及水费",
                        "water_supply",
                        "mixed",
                        4,
                        keywords="水费 水表 缴费",
                        templates=(
                            "这个月水费突然是平时的{n}倍，家里没有漏水，怀疑水表有问题。",
                            "想咨询一下自来水户名怎么过户，房子是二手买的，需要带什么材料。",
                            "水费逾期没交被停水了，现在交了费多久可以恢复？",
                        ),
                    ),
                ),
            ),
            Branch(
                "0302",
                "供电",
                children=(
                    Leaf(
                        "030201",
                        "停电",
                        "power",
                        "fix",
                        8,
                        urgent=True,
                        located=True,
                        keywords="停电 跳闸 断电",
                        questions=(_WHERE, _WHEN),
                        templates=(
                            "{community}从{time}开始停电了，冰箱里的东西都要坏了，什么时候来电？",
                            "{loc}这几天频繁停电，一天停好几次，电器都烧坏了。",
                            "{town}{community}整个片区停电，没有提前通知。",
                            "{street}变压器冒烟有异响，现在附近都停电了。",
                        ),
                    ),
                    Leaf(
                        "030202",
                        "电费及电表",
                        "power",
                        "mixed",
                        4,
                        keywords="电费 电表 阶梯电价",
                        templates=(
                            "想咨询一下阶梯电价怎么计算，这个月电费{amount}元，感觉太高了。",
                            "家里电表走得特别快，关掉所有电器电表还在转，申请校验电表。",
                            "新房子要开通电，怎么办理用电报装，需要哪些材料？",
                        ),
                    ),
                ),
            ),
            Branch(
                "0303",
                "燃气",
                children=(
                    Leaf(
                        "030301",
                        "燃气泄漏及安全隐患",
                        "gas",
                        "fix",
                        4,
                        urgent=True,
                        located=True,
                        keywords="燃气 煤气 泄漏 漏气 气味",
                        templates=(
                            "{loc}楼道里有很浓的燃气味，怀疑管道漏气，请马上派人来看。",
                            "{shop}后厨液化气瓶随意摆放，还在用过期的钢瓶，安全隐患很大。",
                            "{community}外墙燃气管道锈蚀严重，有一段已经变形。",
                        ),
                    ),
                    Leaf(
                        "030302",
                        "燃气开户及缴费",
                        "gas",
                        "ask",
                        4,
                        keywords="燃气 开户 缴费 点火",
                        templates=(
                            "新房装修好了，想申请开通管道燃气，需要准备什么材料，多久能通气？",
                            "燃气费在哪里可以线上缴纳？账户欠费{amount}元会不会停气？",
                            "燃气灶换了新的，可以自己接管道吗，还是要燃气公司上门？",
                        ),
                    ),
                ),
            ),
            Leaf(
                "0304",
                "排水防涝",
                "housing",
                "fix",
                5,
                urgent=True,
                located=True,
                keywords="积水 内涝 下水道 堵塞",
                templates=(
                    "{loc}一下雨就积水，水深到小腿，车辆熄火，下水道堵了。",
                    "{community}污水管道堵塞，粪水从一楼地漏冒出来。",
                    "{street}雨水箅子全被垃圾堵住，今天暴雨路面成了河。",
                ),
            ),
        ),
    ),
    Branch(
        "04",
        "住房城乡建设",
        unit="housing",
        children=(
            Leaf(
                "0401",
                "物业管理",
                "housing",
                "complain",
                14,
                located=True,
                keywords="物业 物业费 小区 业委会",
                templates=(
                    "{community}物业公司收了物业费不作为，电梯坏了{days}天没人修，垃圾也不清理。",
                    "{community}物业私自上调停车费，没有经过业主大会同意。",
                    "{community}物业把小区公共收益据为己有，业主要求公开账目被拒绝。",
                    "{community}的物业公司要撤场了，小区没人管，想问问街道怎么处理。",
                    "小区{community}物业保安晚上不巡逻，最近发生了几起电动车被盗。",
                ),
            ),
            Leaf(
                "0402",
                "房屋质量",
                "housing",
                "complain",
                6,
                located=True,
                keywords="漏水 开裂 房屋质量 交房",
                templates=(
                    "{community}新交的房子墙体开裂、卫生间漏水，开发商一直推脱不维修。",
                    "{loc}的楼房外墙瓷砖脱落，砸到了楼下停的车，担心伤到人。",
                    "{community}顶楼屋面防水失效，下雨天家里到处漏水，维修基金怎么申请？",
                ),
            ),
            Leaf(
                "0403",
                "商品房交付及办证",
                "housing",
                "mixed",
                6,
                keywords="交房 延期交付 不动产证 开发商",
                templates=(
                    "买的{community}项目合同约定上个月交房，开发商一直拖延，也不给说法。",
                    "{company}开发的楼盘交房{n}年了还办不下来房产证，开发商说在走流程。",
                    "想咨询一下商品房预售资金监管账户在哪里查询。",
                ),
            ),
            Leaf(
                "0404",
                "电梯安全",
                "market",
                "fix",
                4,
                urgent=True,
                located=True,
                keywords="电梯 困人 故障 维保",
                templates=(
                    "{community}{n}号楼电梯经常突然停运，今天又困人了，维保单位不管。",
                    "{loc}商场的扶梯运行时有异响，还会突然抖动。",
                    "{community}电梯年检合格证过期了{n}个月，还在照常运行。",
                ),
            ),
            Leaf(
                "0405",
                "住房公积金",
                "housing_fund",
                "ask",
                18,
                keywords="公积金 提取 贷款 缴存",
                templates=(
                    "想咨询一下租房可以提取住房公积金吗，每个月能提多少，需要什么材料？",
                    "我在{county}买了二手房，公积金贷款最高能贷多少，需要连续缴存多久？",
                    "离职了公积金账户怎么办，可以销户提取吗？",
                    "公积金异地转移怎么办理，外地的公积金能转到示范市吗？",
                    "单位一直没有给我缴纳住房公积金，请问可以去哪里投诉？",
                    "公积金还商业贷款可以每月委托提取吗？",
                ),
            ),
            Leaf(
                "0406",
                "不动产登记",
                "real_estate",
                "ask",
                8,
                keywords="不动产证 过户 抵押 产权",
                templates=(
                    "二手房过户需要准备哪些材料？要预约吗？大概多久能拿到不动产权证书？",
                    "父母的房子想过户给子女，是走赠与还是继承，税费怎么算？",
                    "不动产证丢了，怎么补办？需要登报吗？",
                    "想查询名下有几套房，可以在网上查吗？",
                ),
            ),
            Leaf(
                "0407",
                "房屋租赁",
                "housing",
                "mixed",
                5,
                keywords="租房 押金 中介 二房东",
                templates=(
                    "租房合同到期了，房东以各种理由扣押金{amount}元不退。",
                    "{company}房产中介发布虚假房源，收了看房费后联系不上。",
                    "想咨询一下公租房怎么申请，条件是什么？",
                ),
            ),
        ),
    ),
    Branch(
        "05",
        "劳动和社会保障",
        unit="human_resources",
        children=(
            Leaf(
                "0501",
                "拖欠工资",
                "human_resources",
                "complain",
                14,
                keywords="欠薪 拖欠工资 讨薪 农民工",
                questions=tuple(_WAGE),
                templates=(
                    "来电人在{loc}的工地上做工，包工头拖欠{n}个人的工资共{amount}元，已经{days}天了。",
                    "{company}已经{n}个月没有发工资了，老板说资金周转困难，员工要求依法支付。",
                    "在{shop}打工，离职时老板扣着最后一个月工资{amount}元不发。",
                    "{town}一个装修项目拖欠农民工工资，项目负责人电话打不通。",
                    "公司以效益不好为由只发一半工资，已经持续{n}个月，{company}。",
                ),
            ),
            Leaf(
                "0502",
                "劳动合同纠纷",
                "human_resources",
                "mixed",
                7,
                keywords="劳动合同 解除 经济补偿 加班费",
                templates=(
                    "{company}不跟员工签劳动合同，也不交社保，想问怎么维权。",
                    "公司突然辞退我，没有给经济补偿，请问怎么申请劳动仲裁？",
                    "单位经常让加班却不给加班费，{company}，请劳动监察部门查处。",
                    "试用期被辞退有没有补偿？试用期最长可以约定多久？",
                ),
            ),
            Leaf(
                "0503",
                "社会保险缴费",
                "social_insurance",
                "ask",
                14,
                keywords="社保 缴费 灵活就业 断缴",
                templates=(
                    "灵活就业人员怎么参加职工养老保险？每个月要交多少钱？",
                    "社保断缴了{n}个月，可以补缴吗，对退休有什么影响？",
                    "换了工作，社保关系怎么从{county}转到市区？",
                    "单位没有按实际工资给我交社保，{company}，请问去哪里投诉？",
                    "城乡居民养老保险缴费档次有哪些，可以在手机上缴费吗？",
                ),
            ),
            Leaf(
                "0504",
                "养老金领取",
                "social_insurance",
                "ask",
                8,
                keywords="养老金 退休 待遇 认证",
                templates=(
                    "我明年{month}月退休，养老金大概能领多少，退休手续怎么办？",
                    "领取养老金需要每年做资格认证吗？老人行动不便怎么认证？",
                    "养老金这个月没有按时到账，请帮忙查一下什么原因。",
                ),
            ),
            Leaf(
                "0505",
                "医疗保险报销",
                "medical_insurance",
                "ask",
                10,
                keywords="医保 报销 异地就医 门诊",
                templates=(
                    "在外地住院，医保异地就医备案怎么办理？回来后怎么报销？",
                    "城乡居民医保明年的缴费标准是多少，什么时候开始缴费？",
                    "门诊慢特病怎么申请，报销比例是多少？",
                    "{hospital}说我的医保卡不能用，显示状态异常，怎么回事？",
                    "新生儿怎么参加医保，出生多久内要办理？",
                ),
            ),
            Leaf(
                "0506",
                "就业创业",
                "human_resources",
                "ask",
                6,
                keywords="就业 创业 补贴 招聘 培训",
                templates=(
                    "应届毕业生有什么就业补贴，怎么申请？",
                    "想申请创业担保贷款，额度多少，需要什么条件？",
                    "失业人员参加职业技能培训有没有补贴？在哪里报名？",
                ),
            ),
            Leaf(
                "0507",
                "失业保险",
                "social_insurance",
                "ask",
                4,
                keywords="失业金 失业保险 领取",
                templates=(
                    "被公司辞退了，失业保险金怎么领，能领几个月？",
                    "领取失业金期间可以同时领取其他补贴吗？",
                    "我是主动辞职的，可以领失业保险金吗？",
                ),
            ),
        ),
    ),
    Branch(
        "06",
        "市场监管",
        unit="market",
        children=(
            Leaf(
                "0601",
                "消费纠纷",
                "market",
                "complain",
                18,
                keywords="消费 退款 退货 商家 维权",
                questions=tuple(_CONSUMER),
                templates=(
                    "在{shop}买的手机用了{n}天就坏了，商家拒绝退换，只同意维修。",
                    "{shop}办理健身卡时承诺随时可退，现在要求退费{amount}元被拒绝。",
                    "在{loc}的{shop}吃饭，账单上多收了{amount}元，商家不承认。",
                    "网购的家电送到后发现有破损，{shop}客服一直推脱不处理。",
                    "{shop}装修合同没有履行完毕，已付款{amount}元，现在联系不上老板。",
                ),
            ),
            Leaf(
                "0602",
                "食品安全",
                "market",
                "report",
                10,
                located=True,
                keywords="食品 过期 变质 卫生 餐馆",
                templates=(
                    "在{shop}买的面包已经过期了还在卖，吃了以后肚子疼。",
                    "{loc}一家早餐店后厨卫生很差，老鼠到处跑，员工没有健康证。",
                    "{shop}的外卖里吃出了虫子，商家只愿意退款不道歉。",
                    "{town}集市上有人卖来源不明的散装白酒，没有任何标签。",
                    "{school}门口小卖部卖三无辣条，请市场监管部门查一查。",
                ),
            ),
            Leaf(
                "0603",
                "价格问题",
                "market",
                "complain",
                4,
                keywords="价格 乱收费 明码标价",
                templates=(
                    "{shop}商品没有明码标价，结账时价格比标签高。",
                    "{loc}停车场收费标准没有公示，停了{n}小时收了{amount}元。",
                    "节假日{shop}哄抬价格，平时{n}元的东西现在卖三倍。",
                ),
            ),
            Leaf(
                "0604",
                "产品质量",
                "market",
                "complain",
                4,
                keywords="质量 假冒 伪劣",
                templates=(
                    "在{shop}买的电动车电池充电时冒烟，怀疑是伪劣产品。",
                    "{shop}卖的品牌运动鞋疑似假货，商家不给发票。",
                    "{town}加油站的汽油加了以后车子打不着火，怀疑油品质量有问题。",
                ),
            ),
            Leaf(
                "0605",
                "预付卡退费",
                "market",
                "complain",
                6,
                keywords="预付卡 会员卡 跑路 退费",
                templates=(
                    "{shop}突然关门跑路，会员卡里还有{amount}元没消费，店里还有好多人的卡。",
                    "在{shop}给孩子报了课程，预付了{amount}元，现在机构不上课也不退钱。",
                    "{shop}的充值卡余额{amount}元，店铺转让后新老板不认。",
                ),
            ),
            Leaf(
                "0606",
                "无证经营",
                "market",
                "report",
                3,
                located=True,
                keywords="无照 无证 非法经营",
                templates=(
                    "{loc}有一家诊所没有营业执照，还在给人输液。",
                    "{community}里有人私自开设小作坊加工食品，没有任何证照。",
                    "{street}一家店铺没有营业执照卖烟花爆竹。",
                ),
            ),
        ),
    ),
    Branch(
        "07",
        "交通运输",
        unit="transport",
        children=(
            Leaf(
                "0701",
                "出租车服务",
                "transport",
                "complain",
                6,
                keywords="出租车 拒载 绕路 打表",
                templates=(
                    "今天{time}在{street}打车，车牌号闽X{plate}的出租车拒载。",
                    "出租车司机不打表，从{town}到火车站要了{amount}元，明显绕路。",
                    "乘坐出租车时把手机落在车上了，车牌号闽X{plate}，请帮忙联系司机。",
                ),
            ),
            Leaf(
                "0702",
                "公交线路及服务",
                "transport",
                "mixed",
                7,
                keywords="公交 线路 班次 站点",
                templates=(
                    "{n}路公交车班次太少，早高峰要等四十分钟，建议增加班次。",
                    "{community}附近没有公交站，建议新开一条线路到{town}。",
                    "{n}路公交车司机{time}没到站就提前开走，乘客追都追不上。",
                    "想咨询一下老年人乘公交免费卡怎么办理。",
                ),
            ),
            Leaf(
                "0703",
                "道路交通设施及信号灯",
                "traffic_police",
                "fix",
                6,
                located=True,
                keywords="红绿灯 信号灯 斑马线 交通标志",
                templates=(
                    "{street}与{street2}路口的红绿灯坏了，车辆乱行很危险。",
                    "{school}门口没有斑马线和减速带，孩子上学过马路很危险。",
                    "{loc}左转信号灯时间太短，每次只能过{n}辆车，建议调整配时。",
                ),
            ),
            Leaf(
                "0704",
                "违章停车",
                "traffic_police",
                "complain",
                8,
                located=True,
                keywords="违停 乱停车 堵路 占用",
                templates=(
                    "{loc}每天都有车辆违停，把路堵成单车道，早晚高峰走不动。",
                    "{community}门口消防通道被私家车长期占用，请交警来处理。",
                    "{street}{shop}门口大货车长期占道停放装卸货。",
                ),
            ),
            Leaf(
                "0705",
                "驾驶证及车辆业务",
                "traffic_police",
                "ask",
                6,
                keywords="驾驶证 换证 年审 违章",
                templates=(
                    "驾驶证快到期了，换证可以在网上办吗，需要体检吗？",
                    "车辆年检可以异地办理吗？六年免检怎么申领标志？",
                    "收到一个违章短信，可是那天车没有出门，怎么申诉？",
                ),
            ),
            Leaf(
                "0706",
                "网约车及货运",
                "transport",
                "complain",
                3,
                keywords="网约车 顺风车 货拉拉 运费",
                templates=(
                    "网约车司机中途加价，不给就让下车，订单是{time}从{street}出发的。",
                    "搬家叫的货车到了以后临时加价{amount}元，不给就不卸货。",
                    "想咨询网约车驾驶员从业资格证怎么考。",
                ),
            ),
        ),
    ),
    Branch(
        "08",
        "教育",
        unit="education",
        children=(
            Leaf(
                "0801",
                "入学招生",
                "education",
                "ask",
                10,
                keywords="入学 招生 学区 划片 报名",
                templates=(
                    "孩子今年上小学一年级，户籍在{county}，房子在{town}，应该去哪个学校报名？",
                    "随迁子女在示范市上学需要准备哪些材料？积分怎么算？",
                    "幼儿园报名时间是什么时候？公办幼儿园怎么摇号？",
                    "小升初的学区划分什么时候公布，{community}对应的是哪所初中？",
                ),
            ),
            Leaf(
                "0802",
                "校外培训",
                "education",
                "complain",
                4,
                keywords="培训机构 补课 退费",
                templates=(
                    "{trade}教育培训机构在周末给中小学生上学科类课程，是不是违规？",
                    "{school}老师在家里有偿补课，每人每月收{amount}元。",
                    "给孩子报的{trade}培训班机构关门了，学费{amount}元没退。",
                ),
            ),
            Leaf(
                "0803",
                "学校收费",
                "education",
                "complain",
                3,
                keywords="收费 乱收费 资料费",
                templates=(
                    "{school}要求每个学生交{amount}元的资料费，还没有收据。",
                    "{school}强制学生在指定商店购买校服，价格比外面贵很多。",
                    "{school}午托费收费标准是多少？有没有统一的规定？",
                ),
            ),
            Leaf(
                "0804",
                "校园安全及管理",
                "education",
                "mixed",
                3,
                keywords="校园 安全 食堂 欺凌",
                templates=(
                    "{school}食堂饭菜质量差，孩子吃了以后拉肚子。",
                    "{school}放学时校门口拥堵，没有人维持秩序，建议安排交通协管。",
                    "孩子在{school}被同学欺负，老师不处理，请教育局关注。",
                ),
            ),
        ),
    ),
    Branch(
        "09",
        "医疗卫生",
        unit="health",
        children=(
            Leaf(
                "0901",
                "医疗服务",
                "health",
                "mixed",
                7,
                keywords="医院 看病 挂号 服务态度",
                templates=(
                    "{hospital}挂号太难，网上一号难求，现场排队要两个小时。",
                    "{hospital}急诊医生态度恶劣，家属询问病情不耐烦。",
                    "{hospital}的检查报告要等{n}天才出，能不能快一点？",
                    "想咨询一下{hospital}周末有没有儿科门诊。",
                ),
            ),
            Leaf(
                "0902",
                "医疗纠纷",
                "health",
                "complain",
                3,
                keywords="医疗事故 纠纷 误诊",
                templates=(
                    "家人在{hospital}做手术后出现并发症，怀疑是医疗事故，医院不给病历。",
                    "{hospital}误诊导致延误治疗，多花了{amount}元，医院推卸责任。",
                    "在{hospital}住院期间被多收费，清单上有未做过的检查项目。",
                ),
            ),
            Leaf(
                "0903",
                "疫苗接种",
                "health",
                "ask",
                4,
                keywords="疫苗 接种 预防针",
                templates=(
                    "孩子的预防针在哪里打？{town}社区卫生服务中心可以打吗？",
                    "HPV疫苗怎么预约，{county}哪个接种点有？",
                    "狂犬疫苗被猫抓伤后多久内要打？周末能打吗？",
                ),
            ),
            Leaf(
                "0904",
                "药品器械",
                "market",
                "report",
                3,
                keywords="药店 药品 处方药",
                templates=(
                    "{trade}大药房没有处方就卖处方药，还卖过期药品。",
                    "网上买的保健品宣传能治病，吃了没效果，怀疑是虚假宣传。",
                    "{loc}一家药店销售没有注册证的医疗器械。",
                ),
            ),
        ),
    ),
    Branch(
        "10",
        "民政和社会事务",
        unit="civil_affairs",
        children=(
            Leaf(
                "1001",
                "低保及临时救助",
                "civil_affairs",
                "ask",
                6,
                keywords="低保 救助 困难",
                templates=(
                    "家里老人生病没有收入，想申请低保，需要什么条件，去哪里办？",
                    "{community}有一户困难家庭房子漏雨，请帮忙申请临时救助。",
                    "低保审核公示名单里有人开好车，怀疑骗保，请核查。",
                ),
            ),
            Leaf(
                "1002",
                "养老服务",
                "civil_affairs",
                "ask",
                5,
                keywords="养老院 高龄补贴 居家养老",
                templates=(
                    "八十岁以上老人的高龄津贴怎么申请？",
                    "{town}的公办养老院有床位吗，收费标准是多少？",
                    "{community}的老年食堂什么时候开，能不能送餐上门？",
                ),
            ),
            Leaf(
                "1003",
                "婚姻登记",
                "civil_affairs",
                "ask",
                4,
                keywords="结婚 离婚 登记 预约",
                templates=(
                    "结婚登记需要带什么材料，可以在{county}登记吗？周末上班吗？",
                    "离婚冷静期是多少天，需要预约吗？",
                    "结婚证丢了，怎么补领？",
                ),
            ),
            Leaf(
                "1004",
                "退役军人服务",
                "veterans",
                "ask",
                3,
                keywords="退役军人 优待 安置",
                templates=(
                    "退役军人优待证怎么申领，需要什么材料？",
                    "退役士兵自主就业的一次性经济补助什么时候发？",
                    "想咨询一下退役军人参加职业培训的补贴政策。",
                ),
            ),
        ),
    ),
    Branch(
        "11",
        "公安（非警务）",
        unit="police",
        children=(
            Leaf(
                "1101",
                "户籍办理",
                "police",
                "ask",
                9,
                keywords="户口 落户 迁移 户籍",
                templates=(
                    "想把户口从外地迁到示范市，{county}的落户条件是什么？",
                    "孩子出生了，新生儿落户需要带什么材料，去哪个派出所办？",
                    "户口本丢了怎么补办？可以在{town}派出所办吗？",
                    "大学毕业了，户口想迁回原籍{town}，需要什么手续？",
                ),
            ),
            Leaf(
                "1102",
                "居住证",
                "police",
                "ask",
                5,
                keywords="居住证 暂住 积分",
                templates=(
                    "外地人来示范市工作，居住证怎么办理，需要住满多久？",
                    "居住证到期了怎么签注，可以在网上办吗？",
                    "租房子住在{community}，房东不配合登记，居住证能办吗？",
                ),
            ),
            Leaf(
                "1103",
                "出入境证件",
                "exit_entry",
                "ask",
                5,
                keywords="护照 港澳通行证 签注",
                templates=(
                    "办护照需要多久，可以加急吗，需要预约吗？",
                    "港澳通行证签注可以在自助机上办吗？",
                    "护照快过期了，在外地可以换发吗？",
                ),
            ),
            Leaf(
                "1104",
                "身份证办理",
                "police",
                "ask",
                6,
                keywords="身份证 补办 挂失 临时身份证",
                templates=(
                    "身份证丢了怎么补办，多久能拿到，可以办临时身份证吗？",
                    "身份证快过期了，可以异地换领吗？",
                    "孩子{n}岁了需要办身份证吗，去哪里办？",
                ),
            ),
        ),
    ),
    Branch(
        "12",
        "农业农村",
        unit="agriculture",
        children=(
            Leaf(
                "1201",
                "农村宅基地及建房",
                "agriculture",
                "mixed",
                4,
                located=True,
                keywords="宅基地 建房 审批",
                templates=(
                    "{town}{community}村民想在自家宅基地上翻建房屋，审批流程是什么？",
                    "{town}{community}有人占用耕地建房，请查处。",
                    "宅基地分户以后可以再申请宅基地吗？",
                ),
            ),
            Leaf(
                "1202",
                "农资及惠农补贴",
                "agriculture",
                "mixed",
                4,
                keywords="农资 种子 化肥 补贴",
                templates=(
                    "在{town}农资店买的种子发芽率很低，怀疑是假种子，损失{amount}元。",
                    "今年的耕地地力保护补贴什么时候发放？为什么没有收到？",
                    "想咨询一下农机购置补贴怎么申请。",
                ),
            ),
            Leaf(
                "1203",
                "动物防疫及畜禽养殖",
                "agriculture",
                "report",
                3,
                located=True,
                keywords="养殖 猪场 防疫 病死",
                templates=(
                    "{town}{community}附近有养猪场，臭味很大，粪水直排到溪里。",
                    "{town}有人把病死的鸡扔在路边，请处理。",
                    "{community}有人在家里养了几十只鸡鸭，气味难闻。",
                ),
            ),
            Leaf(
                "1204",
                "林业及林权",
                "forestry",
                "mixed",
                2,
                located=True,
                keywords="林权 砍伐 山林",
                templates=(
                    "{town}有人在山上乱砍滥伐，已经砍了一大片。",
                    "林权证的继承变更怎么办理？",
                    "{town}公益林补偿款今年什么时候发？",
                ),
            ),
        ),
    ),
    Branch(
        "13",
        "营商环境和政务服务",
        unit="approval",
        children=(
            Leaf(
                "1301",
                "企业开办及审批",
                "approval",
                "ask",
                6,
                keywords="营业执照 企业开办 注册 审批",
                templates=(
                    "想开一家{line}公司，营业执照网上怎么申请，多久能办下来？",
                    "个体户营业执照经营范围怎么变更？",
                    "开一家餐馆需要办哪些证，食品经营许可证怎么申请？",
                    "{company}申请的施工许可已经超过承诺时限还没有审批结果。",
                ),
            ),
            Leaf(
                "1302",
                "税费咨询",
                "tax",
                "ask",
                8,
                keywords="税务 个税 发票 社保费",
                templates=(
                    "个人所得税年度汇算怎么操作，退税多久到账？",
                    "小规模纳税人增值税起征点是多少？每个季度怎么申报？",
                    "二手房交易要交哪些税？满五唯一怎么认定？",
                    "电子发票开错了怎么红冲？",
                ),
            ),
            Leaf(
                "1303",
                "政务服务效能",
                "efficiency",
                "complain",
                3,
                keywords="窗口 服务态度 推诿 办事难",
                templates=(
                    "在{county}政务服务中心办事，窗口工作人员态度生硬，让我来回跑了{n}次。",
                    "办理业务时工作人员说材料不全，但一次性告知的清单里没有这项。",
                    "{town}便民服务中心上班时间没人在岗，等了一个多小时。",
                    "表扬{county}政务服务中心的工作人员，耐心帮我办好了业务，服务很周到。",
                ),
            ),
            Leaf(
                "1304",
                "惠企政策",
                "industry",
                "ask",
                3,
                keywords="惠企 补贴 奖励 政策兑现",
                templates=(
                    "小微企业稳岗补贴怎么申请，{company}符合条件吗？",
                    "今年的技术改造奖励政策什么时候申报？",
                    "企业研发费用补助到了没有，在哪里可以查询进度？",
                ),
            ),
        ),
    ),
    Branch(
        "14",
        "安全生产和应急",
        unit="emergency",
        children=(
            Leaf(
                "1401",
                "安全生产隐患",
                "emergency",
                "report",
                4,
                urgent=True,
                located=True,
                keywords="安全隐患 违规 危化品 消防",
                templates=(
                    "{company}车间里堆放大量易燃物品，消防通道被堵，工人没有防护。",
                    "{loc}有人在居民楼里私设仓库存放烟花爆竹。",
                    "{town}一家小加工厂违规使用液化气，员工宿舍和车间在一起。",
                ),
            ),
            Leaf(
                "1402",
                "消防通道占用",
                "emergency",
                "complain",
                3,
                located=True,
                keywords="消防通道 堵塞 飞线充电",
                templates=(
                    "{community}楼道里堆满杂物，还有电动车在楼道里充电。",
                    "{community}有住户从楼上飞线给电动车充电，很危险。",
                    "{loc}商场的安全出口被锁住了。",
                ),
            ),
        ),
    ),
)


def leaves(tree: tuple[Branch, ...] = TREE) -> list[tuple[Leaf, tuple[Branch, ...]]]:
    """Every leaf with its ancestors (top level first)."""
    found: list[tuple[Leaf, tuple[Branch, ...]]] = []

    def walk(node: Leaf | Branch, path: tuple[Branch, ...]) -> None:
        if isinstance(node, Leaf):
            found.append((node, path))
            return
        for child in node.children:
            walk(child, (*path, node))

    for branch in tree:
        walk(branch, ())
    return found


def branches(tree: tuple[Branch, ...] = TREE) -> list[tuple[Branch, Branch | None]]:
    """Every inner node with its parent, each after its parent."""
    found: list[tuple[Branch, Branch | None]] = []

    def walk(node: Branch, parent: Branch | None) -> None:
        found.append((node, parent))
        for child in node.children:
            if isinstance(child, Branch):
                walk(child, node)

    for branch in tree:
        walk(branch, None)
    return found
