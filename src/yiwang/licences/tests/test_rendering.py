"""Rendering a licence: face rows, the QR code of its verify URL, and the PDF read back."""

from __future__ import annotations

import io
from datetime import date

import pytest
import segno
from pypdf import PdfReader

from yiwang.licences.models import Licence
from yiwang.licences.rendering.facts import face_rows, shown_status, validity_text
from yiwang.licences.rendering.pdf import licence_pdf
from yiwang.licences.rendering.qr import qr_matrix, qr_svg, verify_path, verify_url
from yiwang.licences.services import licence_status_change
from yiwang.licences.tests.factories import (
    BUSINESS_FACE,
    citizen,
    enterprise,
    make_department,
    make_licence,
    make_licence_type,
    make_staff,
    marriage_face,
)
from yiwang.licences.workflow import HolderKind, LicenceStatus, TrustLevel, ValidityRule

pytestmark = pytest.mark.django_db

BASE = "https://zwfw.example.gov.cn"


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def marriage(verified_person):
    person = verified_person("王建国")
    licence_type = make_licence_type(name="结婚证")
    issuer = make_department(name="示范市民政局")
    licence = make_licence(
        holder=citizen(person),
        licence_type=licence_type,
        issuer=issuer,
        face=marriage_face(spouse_name="李秀英", remarks="补发"),
        issued_on=date(2024, 5, 20),
    )
    return person, licence


def test_face_rows_follow_the_schema_with_labels_and_chinese_dates(marriage):
    _, licence = marriage
    assert [(r.label, r.value) for r in face_rows(licence)] == [
        ("配偶姓名", "李秀英"),
        ("登记日期", "2020年5月20日"),
        ("备注", "补发"),
    ]


def test_face_rows_keep_values_the_schema_no_longer_lists(marriage):
    _, licence = marriage
    Licence.objects.filter(pk=licence.pk).update(face={**licence.face, "old_field": "旧值"})
    licence.refresh_from_db()
    assert face_rows(licence)[-1].label == "old_field"
    assert face_rows(licence)[-1].value == "旧值"


def test_validity_reads_long_term_or_a_range(marriage, verified_person):
    _, licence = marriage
    assert licence.valid_to is None
    assert validity_text(licence) == "长期有效"
    five_years = make_licence_type(validity_rule=ValidityRule.FIXED_YEARS, validity_years=5)
    fixed = make_licence(
        holder=citizen(verified_person("赵敏")),
        licence_type=five_years,
        issued_on=date(2024, 1, 5),
    )
    assert validity_text(fixed) == "2024年1月5日 至 2029年1月4日"


def test_a_valid_licence_past_its_end_shows_as_expired(verified_person):
    fixed = make_licence(
        holder=citizen(verified_person("周芷若")),
        licence_type=make_licence_type(validity_rule=ValidityRule.STATED),
        issued_on=date(2020, 1, 1),
        valid_to=date(2021, 1, 1),
    )
    assert fixed.status == LicenceStatus.VALID
    assert shown_status(fixed, today=date(2021, 1, 1)) == LicenceStatus.VALID
    assert shown_status(fixed, today=date(2021, 1, 2)) == LicenceStatus.EXPIRED


def test_the_qr_code_carries_the_absolute_verify_url(marriage):
    _, licence = marriage
    path = verify_path(licence.identifier)
    assert path == f"/licences/verify/{licence.identifier}/"
    url = verify_url(licence.identifier, base_url=BASE + "/")
    assert url == BASE + path
    matrix = qr_matrix(url)
    expected = segno.make(url, error="m", micro=False)
    assert len(matrix) == expected.symbol_size(border=0)[0]
    assert matrix == [[bool(m) for m in row] for row in expected.matrix]
    svg = qr_svg(url, label="核验二维码")
    assert svg.startswith('<svg role="img" viewBox=')
    assert "<title>核验二维码</title>" in svg
    assert 'class="licence-qr-code"' in svg
    assert "width=" not in svg.split(">", 1)[0]  # scales with its container


def test_pdf_has_the_particulars_face_fields_trust_level_and_watermark(marriage):
    person, licence = marriage
    url = verify_url(licence.identifier, base_url=BASE)
    pdf = licence_pdf(licence, verify_url=url)
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert reader.metadata is not None
    assert reader.metadata.title == f"结婚证 {licence.number}"
    text = _text(pdf)
    squashed = text.replace("\n", "")
    for expected in [
        "电子证照",
        "结婚证",
        licence.number,
        "王建国",
        person.citizen_id[:4] + "**********" + person.citizen_id[-4:],
        "示范市民政局",
        "2024年5月20日",
        "长期有效",
        "配偶姓名",
        "李秀英",
        "登记日期",
        "2020年5月20日",
        "备注",
        "补发",
        "A级：发证机关签发",
        "扫码核验真伪",
        "此件由示范市民政局提供，仅供办理政务服务事项时使用，有效期至长期",
    ]:
        assert expected in text, expected
    # Long values wrap, so the identifier and URL are checked without the line breaks.
    assert licence.identifier in squashed
    assert url in squashed
    assert person.citizen_id not in squashed
    assert "已吊销" not in text


def test_pdf_of_a_revoked_licence_says_so_prominently(marriage):
    _, licence = marriage
    head = make_staff(licence.issuer, "department_head")
    licence_status_change(
        licence=licence, to_status=LicenceStatus.REVOKED, reason="以欺骗手段取得", actor=head
    )
    licence.refresh_from_db()
    text = _text(licence_pdf(licence, verify_url=verify_url(licence.identifier, base_url=BASE)))
    assert "已吊销" in text
    assert "此证照已吊销，不能作为有效证照使用" in text


def test_pdf_of_a_trust_level_c_licence_has_no_watermark(verified_person):
    licence = make_licence(holder=citizen(verified_person("杨过")), trust_level=TrustLevel.C)
    text = _text(licence_pdf(licence, verify_url=verify_url(licence.identifier, base_url=BASE)))
    assert "C级：申请人上传" in text
    assert "此件" not in text


def test_pdf_of_an_enterprise_licence_shows_its_full_credit_code(enterprise_of):
    company = enterprise_of("钱学森")
    business = make_licence_type(
        name="营业执照", holder_kind=HolderKind.ENTERPRISE, face_fields=BUSINESS_FACE
    )
    licence = make_licence(
        holder=enterprise(company),
        licence_type=business,
        face={
            "legal_representative": "钱学森",
            "registered_capital": "100",
            "entity_type": "有限责任公司",
        },
    )
    text = _text(licence_pdf(licence, verify_url=verify_url(licence.identifier, base_url=BASE)))
    for expected in [company.name, company.uscc, "法定代表人", "注册资本（万元）", "100"]:
        assert expected in text.replace("\n", ""), expected


def test_pdf_with_many_face_fields_continues_on_more_pages(verified_person):
    schema = [
        {"key": f"f{i}", "label": f"信息项{i}", "kind": "text", "required": True} for i in range(60)
    ]
    licence = make_licence(
        holder=citizen(verified_person("郭靖")),
        licence_type=make_licence_type(face_fields=schema),
        face={f"f{i}": f"值{i}" for i in range(60)},
    )
    pdf = licence_pdf(licence, verify_url=verify_url(licence.identifier, base_url=BASE))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3
    text = _text(pdf)
    for i in range(60):
        assert f"信息项{i}" in text
        assert f"值{i}" in text
    last = reader.pages[-1].extract_text()
    assert "值59" in last
    assert "本文件由持证人于" in last
