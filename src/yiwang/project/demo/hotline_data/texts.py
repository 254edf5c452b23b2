"""Words the ticket generator draws from: shop kinds, lines of business, hospitals, times, how
each channel frames what a reporter says, and what units write in their replies."""

from __future__ import annotations

import random

from yiwang.hotline.workflow import Channel, TicketType

SHOP_KINDS = (
    "超市", "便利店", "餐厅", "酒楼", "火锅店", "烧烤店", "奶茶店", "健身会所", "美容美发店",
    "手机店", "家电城", "装饰公司", "母婴店", "洗车店", "快捷酒店", "服装店", "水果店",
    "面馆", "网吧", "KTV",
)  # fmt: skip
LINES = (
    "建筑工程", "物流", "食品", "电子科技", "贸易", "机械制造", "服装", "家具", "餐饮管理",
    "物业管理", "装饰工程", "汽车服务", "茶业", "竹木制品", "水产", "新材料",
)  # fmt: skip
HOSPITALS = (
    "示范市第一医院", "示范市第二医院", "示范市中医院", "示范市妇幼保健院", "{county}人民医院",
    "{county}中医院", "{town}卫生院", "{town}社区卫生服务中心",
)  # fmt: skip
TIMES = (
    "每天晚上10点以后", "凌晨1点左右", "每天早上6点前", "中午12点到2点", "晚上8点到11点",
    "周末全天", "昨天晚上11点", "今天上午", "昨天下午", "最近一周", "夜里12点以后",
    "每天傍晚",
)  # fmt: skip

_PHONE_OPEN = ("来电人反映：", "市民来电反映，", "来电人称，", "来电反映：", "市民来电：", "")
_PHONE_ASK = ("来电人咨询：", "市民来电咨询，", "来电人询问：", "来电咨询：")
_PHONE_CLOSE = (
    "请相关部门核实处理。", "来电人要求尽快处理。", "希望相关部门尽快解决。", "请协调解决。",
    "", "来电人希望得到答复。", "来电人情绪激动，请尽快处理。",
)  # fmt: skip
_WRITTEN_OPEN = ("您好，", "你好，", "尊敬的领导：", "", "")
_WRITTEN_CLOSE = ("谢谢！", "盼复。", "请尽快处理。", "", "麻烦了。")
_APP_CLOSE = ("", "附照片。", "见照片。", "麻烦尽快处理，谢谢！", "")
_ENTERPRISE_OPEN = ("企业反映：", "我司反映：", "")
_ENTERPRISE_CLOSE = ("恳请协调解决。", "请予以支持。", "")


def frame(rng: random.Random, core: str, channel: str, ticket_type: str) -> str:
    """The text as it reaches the hotline: operators write calls in the third person."""
    if channel in (Channel.PHONE, Channel.SMS):
        if ticket_type == TicketType.CONSULTATION:
            return f"{rng.choice(_PHONE_ASK)}{core}"
        return f"{rng.choice(_PHONE_OPEN)}{core}{rng.choice(_PHONE_CLOSE)}"
    if channel in (Channel.APP, Channel.OPEN311):
        return f"{core}{rng.choice(_APP_CLOSE)}"
    if channel == Channel.ENTERPRISE:
        return f"{rng.choice(_ENTERPRISE_OPEN)}{core}{rng.choice(_ENTERPRISE_CLOSE)}"
    return f"{rng.choice(_WRITTEN_OPEN)}{core}{rng.choice(_WRITTEN_CLOSE)}"


# What the lead unit did, by top-level category ("*": any).
FIXES: dict[str, tuple[str, ...]] = {
    "*": ("已按规定处理完毕", "已责令相关责任人整改到位", "已向诉求人解释相关政策规定"),
    "01": ("已安排养护队伍完成修复", "已对占道行为依法劝离并加强巡查", "已清理完毕并纳入日常巡查",
           "已责令当事人限期拆除，逾期将依法强制拆除"),
    "02": ("执法人员已现场检查，责令整改并将跟踪复查", "已对噪声源进行劝导，当事人承诺不再扰民",
           "已对该企业立案调查，责令停止违法排放"),
    "03": ("抢修人员已到场处置，现已恢复正常", "已完成设施检修，并告知用户注意事项",
           "已核对计量数据，误差在允许范围内"),
    "04": ("已约谈物业服务企业，责令限期整改", "已组织开发商与业主协商，制定维修方案",
           "已督促维保单位完成检修并复检合格"),
    "05": ("已责令用人单位限期支付拖欠工资，现已全部支付", "已组织劳资双方调解，达成一致意见",
           "已告知诉求人申请劳动仲裁的途径和所需材料"),
    "06": ("已组织双方调解，商家同意退款", "执法人员已现场检查，对违法行为立案查处",
           "已责令经营者下架问题商品并整改"),
    "07": ("已对驾驶员进行批评教育并按规定处理", "已调整信号配时并加强路段巡逻",
           "已将建议转交公交集团研究，拟于下月优化班次"),
    "08": ("已责令学校整改并退还相关费用", "已约谈培训机构负责人，责令停止违规培训",
           "已向诉求人说明招生政策和学区划分"),
    "09": ("已责令医院核查并向诉求人说明情况", "已组织医患双方调解",
           "已督促医院优化挂号和检查流程"),
    "13": ("已督促窗口加强服务规范，对相关人员批评教育", "已协调加快审批进度，现已办结",
           "已向企业解读政策并指导申报"),
}  # fmt: skip


# Vague texts: a caller who does not say much. The category is the operator's guess, and no
# model can tell the unit from the words alone.
VAGUE = (
    "{loc}的问题反映好几次了，一直没有人来处理，请相关部门尽快解决。",
    "之前反映过的问题到现在还没解决，具体情况来电人说不清楚，要求有关部门联系他。",
    "想问一下{town}这边的这个事情应该找哪个部门，打了好几个电话都说不归他们管。",
    "{community}这边的情况很严重，希望领导重视，派人来看一下。",
    "来电人情绪激动，表示{county}的相关部门办事推诿，要求给个说法。",
    "{town}{street}附近的问题，请有关部门核实处理。",
)
