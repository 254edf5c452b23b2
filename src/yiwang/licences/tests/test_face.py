from datetime import date

from yiwang.licences.face import FaceProblem, clean_face, schema_problems
from yiwang.licences.tests.factories import BUSINESS_FACE, MARRIAGE_FACE


def test_values_become_strings_in_schema_order():
    cleaned, problems = clean_face(
        BUSINESS_FACE,
        {
            "entity_type": "有限责任公司",
            "registered_capital": 50.0,
            "legal_representative": " 王建国 ",
        },
    )
    assert problems == []
    assert cleaned == {
        "legal_representative": "王建国",
        "registered_capital": "50",
        "entity_type": "有限责任公司",
    }
    assert list(cleaned) == ["legal_representative", "registered_capital", "entity_type"]


def test_decimals_keep_their_digits_and_dates_their_iso_form():
    cleaned, _ = clean_face(
        BUSINESS_FACE,
        {"legal_representative": "王", "registered_capital": "12.50", "entity_type": "合伙企业"},
    )
    assert cleaned["registered_capital"] == "12.5"
    cleaned, _ = clean_face(
        MARRIAGE_FACE, {"spouse_name": "李", "registered_on": date(2020, 5, 20)}
    )
    assert cleaned == {"spouse_name": "李", "registered_on": "2020-05-20"}


def test_every_problem_is_reported_at_once():
    _, problems = clean_face(
        BUSINESS_FACE,
        {"registered_capital": "五十万", "entity_type": "股份公司", "colour": "红"},
    )
    assert problems == [
        FaceProblem("face.colour", "此类证照没有“colour”信息项"),
        FaceProblem("face.legal_representative", "请填写“法定代表人”"),
        FaceProblem("face.registered_capital", "“注册资本（万元）”应为数字"),
        FaceProblem("face.entity_type", "“类型”应为以下之一：有限责任公司、个人独资企业、合伙企业"),
    ]


def test_optional_fields_may_be_left_out_and_long_text_is_refused():
    _, problems = clean_face(MARRIAGE_FACE, {"spouse_name": "李", "registered_on": "2020-5-2"})
    assert problems == [FaceProblem("face.registered_on", "“登记日期”应为日期（如 2026-01-31）")]
    _, problems = clean_face(
        MARRIAGE_FACE, {"spouse_name": "李" * 51, "registered_on": "2020-05-02"}
    )
    assert problems == [FaceProblem("face.spouse_name", "“配偶姓名”不能超过 50 个字")]


def test_a_broken_schema_is_described_item_by_item():
    problems = schema_problems(
        [
            {"key": "Name", "label": "姓名"},
            {"key": "a", "label": "", "kind": "colour"},
            {"key": "a", "label": "甲", "kind": "choice"},
            "x",
        ]
    )
    assert [p.message for p in problems] == [
        "第 1 项的 key 应为小写英文字母开头的标识",
        "第 2 项缺少中文名称",
        "第 2 项的类型应为 text、date、number、choice",
        "信息项“a”重复",
        "第 3 项是选项类型，需要列出可选值",
        "第 4 项应为对象",
    ]
    assert schema_problems({"key": "a"}) == [FaceProblem("face_fields", "证面信息项应为列表")]
