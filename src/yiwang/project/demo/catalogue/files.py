"""The files the demo guides offer: a specimen of each result (结果样本, SVG) and a blank form
for each application form among the materials (空白表格, an Excel sheet, as real halls offer).

They are written to the default storage under readable names, once: a file already there is
left alone, so loading the demo again writes nothing.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from html import escape

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

SAMPLE_DIR = "catalog/samples/demo"
FORM_DIR = "catalog/forms/demo"
FORM_ENDINGS = ("申请书", "申请表", "登记表", "审批表", "申报表", "备案表", "信息表", "审核表")


def is_form(name: str) -> bool:
    """Whether a material is a form the applicant fills in (申请书, 登记表 …)."""
    return name.endswith(FORM_ENDINGS)


def sample_path(result_name: str) -> str:
    return f"{SAMPLE_DIR}/{result_name}（样本）.svg"


def form_path(form_name: str) -> str:
    return f"{FORM_DIR}/{form_name}.xlsx"


def sample_svg(result_name: str) -> bytes:
    """A recognisable specimen: the result's name, a frame, and 样本 across it."""
    name = escape(result_name)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="595" height="420" viewBox="0 0 595 420">'
        '<rect x="10" y="10" width="575" height="400" fill="#fffdf5" stroke="#b22" '
        'stroke-width="6"/>'
        '<rect x="24" y="24" width="547" height="372" fill="none" stroke="#b22" stroke-width="1"/>'
        f'<text x="297" y="110" font-size="34" text-anchor="middle" fill="#222">{name}</text>'
        '<text x="297" y="170" font-size="16" text-anchor="middle" fill="#555">'
        "示范市·编号SFS-0000-000000</text>"
        '<text x="80" y="240" font-size="16" fill="#555">持证人（单位）：××××</text>'
        '<text x="80" y="275" font-size="16" fill="#555">'
        "有效期限：××××年××月××日至××××年××月××日</text>"
        '<text x="400" y="350" font-size="16" fill="#555">发证机关（盖章）</text>'
        '<text x="297" y="270" font-size="120" text-anchor="middle" fill="#b22" '
        'fill-opacity="0.18" transform="rotate(-20 297 230)">样本</text>'
        "</svg>"
    ).encode()


_FIELDS = (
    "申请人（单位）名称",
    "统一社会信用代码或公民身份号码",
    "法定代表人（负责人）",
    "联系人",
    "联系电话",
    "通讯地址",
    "申请事项",
    "申请内容（可另附页）",
)
_PLEDGE = "申请人承诺：所填内容及所附材料真实、有效，如有虚假，愿承担相应的法律责任。"
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def blank_form(form_name: str) -> bytes:
    """An A4 form: title, instructions, a boxed table of the usual fields, pledge, signature."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "申请表"
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 60
    sheet.merge_cells("A1:B1")
    sheet["A1"] = form_name
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells("A2:B2")
    sheet["A2"] = "填表说明：可在线填写后打印，或用黑色签字笔填写；内容须真实、完整、清晰。"
    for row, label in enumerate(_FIELDS, start=4):
        sheet.cell(row, 1, label).border = _BOX
        sheet.cell(row, 2).border = _BOX
        sheet.row_dimensions[row].height = 60 if label.startswith("申请内容") else 24
    last = 4 + len(_FIELDS)
    sheet.merge_cells(start_row=last + 1, start_column=1, end_row=last + 1, end_column=2)
    sheet.cell(last + 1, 1, _PLEDGE).alignment = Alignment(wrap_text=True)
    sheet.cell(last + 3, 1, "申请人签字（盖章）：")
    sheet.cell(last + 4, 1, "日期：      年    月    日")
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ensure_files(*, results: set[str], forms: set[str]) -> int:
    """Write the specimens and blank forms that are not in storage yet; how many were written."""
    written = 0
    wanted: list[tuple[str, Callable[[str], bytes], str]]
    wanted = [(sample_path(n), sample_svg, n) for n in sorted(results)]
    wanted += [(form_path(n), blank_form, n) for n in sorted(forms)]
    for path, build, name in wanted:
        if not default_storage.exists(path):
            default_storage.save(path, ContentFile(build(name)))
            written += 1
    return written
