"""The A4 PDF of a licence that its holder downloads from the wallet (ADR 0014).

reportlab draws straight onto the page: the title, the licence's particulars and every face
field, the QR code of the verify URL as vector squares, the trust level, and the trust level's
watermark repeated diagonally in light grey. A licence that is not valid says so in large red
letters. Chinese is set in reportlab's built-in CID font STSong-Light, which PDF readers supply
themselves: no font file is shipped or embedded.
"""

from __future__ import annotations

import io
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from yiwang.licences.holders import mask_holder_code
from yiwang.licences.models import Licence
from yiwang.licences.rendering.facts import (
    chinese_date,
    face_rows,
    shown_status,
    validity_text,
)
from yiwang.licences.rendering.qr import QUIET_ZONE, qr_matrix
from yiwang.licences.services import watermark_for
from yiwang.licences.workflow import LicenceStatus, TrustLevel

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 56.0  # about 20 mm
LABEL_WIDTH = 120.0
QR_SIZE = 128.0

TEXT = HexColor("#1f2328")
MUTED = HexColor("#4d5560")
PRIMARY = HexColor("#1d5fb8")
ERROR = HexColor("#b3261e")
WATERMARK = Color(0.55, 0.6, 0.68, alpha=0.18)


def _wrap(text: str, size: float, width: float) -> list[str]:
    """Lines of `text` no wider than `width`: Chinese breaks between any two characters, so
    measuring character by character is enough (long identifiers break the same way)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for char in paragraph:
            if line and pdfmetrics.stringWidth(line + char, FONT, size) > width:
                lines.append(line)
                line = ""
            line += char
        lines.append(line)
    return lines


class _Page:
    """A cursor down one A4 page."""

    def __init__(self, canvas: Canvas, watermark: str) -> None:
        self.canvas = canvas
        self.watermark = watermark
        self.y = PAGE_HEIGHT - MARGIN

    def room_for(self, height: float) -> None:
        """Start a new page (watermarked too) when `height` points would reach the footer."""
        if self.y - height < MARGIN + 48:
            self.canvas.showPage()
            _watermark(self.canvas, self.watermark)
            self.y = PAGE_HEIGHT - MARGIN

    def centred(self, text: str, size: float, colour: Color = TEXT, gap: float = 0.5) -> None:
        self.canvas.setFillColor(colour)
        self.canvas.setFont(FONT, size)
        for line in _wrap(text, size, PAGE_WIDTH - 2 * MARGIN):
            self.y -= size
            self.canvas.drawCentredString(PAGE_WIDTH / 2, self.y, line)
            self.y -= size * gap

    def row(self, label: str, value: str, *, size: float = 12, right: float = 0) -> None:
        """A label and its value; the value wraps in its column, `right` points short of the
        margin (beside the QR code)."""
        width = PAGE_WIDTH - 2 * MARGIN - LABEL_WIDTH - right
        lines = _wrap(value or "—", size, width)
        self.room_for(len(lines) * size * 1.35 + size)
        self.y -= size
        self.canvas.setFont(FONT, size - 1)
        self.canvas.setFillColor(MUTED)
        self.canvas.drawString(MARGIN, self.y, label)
        self.canvas.setFont(FONT, size)
        self.canvas.setFillColor(TEXT)
        for index, line in enumerate(lines):
            if index:
                self.y -= size * 1.35
            self.canvas.drawString(MARGIN + LABEL_WIDTH, self.y, line)
        self.y -= size * 0.9

    def rule(self) -> None:
        self.y -= 4
        self.canvas.setStrokeColor(HexColor("#b8c0cc"))
        self.canvas.setLineWidth(0.6)
        self.canvas.line(MARGIN, self.y, PAGE_WIDTH - MARGIN, self.y)
        self.y -= 8


def _watermark(canvas: Canvas, text: str) -> None:
    """The trust level's watermark, repeated across the page at 30°, light enough to read
    through."""
    if not text:
        return
    canvas.saveState()
    canvas.setFillColor(WATERMARK)
    canvas.setFont(FONT, 13)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(30)
    width = pdfmetrics.stringWidth(text, FONT, 13) + 40
    for row, offset in enumerate(range(-int(PAGE_HEIGHT), int(PAGE_HEIGHT), 90)):
        shift = (row % 2) * width / 2
        x = -PAGE_WIDTH - shift
        while x < PAGE_WIDTH:
            canvas.drawString(x, offset, text)
            x += width
    canvas.restoreState()


def _status_banner(page: _Page, status: str) -> None:
    """A licence that is not valid says so across the page, in red, in a box."""
    label = str(LicenceStatus(status).label)
    note = _("此证照%(status)s，不能作为有效证照使用") % {"status": label}
    height = 64.0
    top = page.y - 6
    canvas = page.canvas
    canvas.setStrokeColor(ERROR)
    canvas.setLineWidth(3)
    canvas.rect(MARGIN, top - height, PAGE_WIDTH - 2 * MARGIN, height, stroke=1, fill=0)
    canvas.setFillColor(ERROR)
    canvas.setFont(FONT, 30)
    canvas.drawCentredString(PAGE_WIDTH / 2, top - 36, label)
    canvas.setFont(FONT, 12)
    canvas.drawCentredString(PAGE_WIDTH / 2, top - 55, note)
    page.y = top - height - 10


def _qr(canvas: Canvas, url: str, *, x: float, y: float, size: float) -> None:
    """The QR code as filled squares (crisp at any zoom), on white, quiet zone included."""
    matrix = qr_matrix(url)
    modules = len(matrix) + 2 * QUIET_ZONE
    unit = size / modules
    canvas.saveState()
    canvas.setFillColor(HexColor("#ffffff"))
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#000000"))
    path = canvas.beginPath()
    for r, row in enumerate(matrix):
        top = y + size - (r + QUIET_ZONE) * unit
        for c, dark in enumerate(row):
            if dark:
                path.rect(x + (c + QUIET_ZONE) * unit, top - unit, unit, unit)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def licence_pdf(licence: Licence, *, verify_url: str, now: datetime | None = None) -> bytes:
    """The licence as a one-page A4 PDF. `verify_url` is the absolute URL of its public verify
    page, which the QR code carries."""
    now = now or timezone.now()
    status = shown_status(licence, today=timezone.localtime(now).date())
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{licence.licence_type.name} {licence.number}")
    canvas.setAuthor(licence.issuer_name)
    canvas.setSubject(licence.identifier)
    canvas.setCreator("Yiwang")

    watermark = watermark_for(licence)
    _watermark(canvas, watermark)

    page = _Page(canvas, watermark)
    page.centred(_("电子证照"), 12, MUTED, gap=0.8)
    page.centred(licence.licence_type.name, 26, PRIMARY, gap=0.9)
    if status != LicenceStatus.VALID:
        _status_banner(page, status)
    page.rule()

    # The particulars beside the QR code, then the face fields across the page.
    qr_top = page.y
    beside = QR_SIZE + 16
    page.row(_("证照编号"), licence.number, right=beside)
    page.row(_("持证主体"), licence.holder_name, right=beside)
    page.row(
        _("持证主体代码"),
        mask_holder_code(licence.holder_code_type, licence.holder_code),
        right=beside,
    )
    page.row(_("颁证单位"), licence.issuer_name, right=beside)
    page.row(_("颁证日期"), chinese_date(licence.issued_on), right=beside)
    page.row(_("有效期"), validity_text(licence), right=beside)
    page.row(_("状态"), str(LicenceStatus(status).label), right=beside)
    qr_x = PAGE_WIDTH - MARGIN - QR_SIZE
    _qr(canvas, verify_url, x=qr_x, y=qr_top - QR_SIZE, size=QR_SIZE)
    canvas.setFont(FONT, 9)
    canvas.setFillColor(MUTED)
    canvas.drawCentredString(qr_x + QR_SIZE / 2, qr_top - QR_SIZE - 12, _("扫码核验真伪"))
    page.y = min(page.y, qr_top - QR_SIZE - 20)
    page.row(_("证照标识"), licence.identifier, size=10)
    page.rule()
    for row in face_rows(licence):
        page.row(row.label, row.value)
    page.rule()
    page.row(_("可信等级"), str(TrustLevel(licence.trust_level).label))
    page.row(_("核验网址"), verify_url, size=9)

    # The footer: the watermark once in plain words, and when this copy was made.
    canvas.setFillColor(MUTED)
    footer_y = MARGIN
    if watermark:
        canvas.setFont(FONT, 9)
        for line in reversed(_wrap(watermark, 9, PAGE_WIDTH - 2 * MARGIN)):
            canvas.drawString(MARGIN, footer_y + 14, line)
            footer_y += 12
    canvas.setFont(FONT, 9)
    made = timezone.localtime(now)
    canvas.drawString(
        MARGIN,
        MARGIN,
        _("本文件由持证人于 %(when)s 从电子证照库下载，以扫码核验结果为准。")
        % {"when": f"{chinese_date(made.date())} {made:%H:%M}"},
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
