"""Seed the national code lists of GB/T 39046-2020 Appendix A (administrators may add local ones)."""

from django.db import migrations

CODE_LISTS = {
    "A.1": [("00", "行政权力事项"), ("01", "行政许可"), ("02", "行政处罚"), ("03", "行政强制"),
            ("04", "行政征收"), ("05", "行政给付"), ("06", "行政检查"), ("07", "行政确认"),
            ("08", "行政奖励"), ("09", "行政裁决"), ("10", "其他行政权力"), ("20", "公共服务")],
    "A.2": [("1", "国家级"), ("2", "省级"), ("3", "市级"), ("4", "县级"), ("5", "镇（乡、街道）级"),
            ("6", "村（社区）级"), ("7", "分级管理")],
    "A.3": [("1", "法定机关"), ("2", "授权组织"), ("3", "受委托组织"), ("9", "其他")],
    "A.4": [("1", "自然人"), ("2", "企业法人"), ("3", "事业法人"), ("4", "社会组织法人"),
            ("5", "行政机关"), ("6", "其他组织")],
    "A.5": [("1", "窗口办理"), ("2", "电脑端网上办理"), ("3", "移动端网上申请"), ("4", "快递申请"),
            ("9", "其他")],
    "A.6": [("1", "即办件"), ("2", "承诺件"), ("9", "其他")],
    "A.7": [("1", "延长审批"), ("2", "除延长审批之外的情况")],
    "A.8": [("1", "非常满意"), ("2", "满意"), ("3", "基本满意"), ("4", "不满意"), ("5", "非常不满意")],
}


def seed(apps, schema_editor):
    entry = apps.get_model("catalog", "CodeListEntry")
    for code_list, values in CODE_LISTS.items():
        for order, (code, name) in enumerate(values):
            entry.objects.update_or_create(
                code_list=code_list, code=code, defaults={"name": name, "order": order}
            )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
