"""Results rendered from a template per procedure, in Vietnamese, with embedded fonts.

Each template is data (title, rows of label → field); one renderer lays them out in the
administrative style of Decree 30/2020: agency and national motto header, number and date,
title, body, and a signature block (job title, room for the signature, name). The top
right of page 1 is left free for the agency seal's signature and the bottom left for the
verification QR code.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from signing.errors import TemplateError
from signing.fonts import find_font

Formatter = Callable[[str], str]

# fpdf2 subsets fonts with fontTools, which warns about every table it cannot subset
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)


def format_date(value: str) -> str:
    """ISO date (the taxonomy's normal form) → dd/mm/yyyy as printed on Vietnamese papers."""
    try:
        return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
    except ValueError:
        return value  # already printed form: keep as reviewed


def format_vnd(value: str) -> str:
    """Integer amount → "100.000.000 đồng" (dot thousands separator)."""
    digits = value.replace(".", "").replace(",", "").replace(" ", "")
    if not digits.isdigit():
        return value
    return f"{int(digits):,}".replace(",", ".") + " đồng"


def _plain(value: str) -> str:
    return value


@dataclass(frozen=True)
class Row:
    label: str
    field: str
    required: bool = True
    fmt: Formatter = _plain


@dataclass(frozen=True)
class ResultTemplate:
    """One kind of result document."""

    name: str
    title: str
    subtitle_field: str | None
    rows: tuple[Row, ...]
    closing: str = ""


TEMPLATES: dict[str, ResultTemplate] = {
    t.name: t
    for t in (
        ResultTemplate(
            name="birth_registration_extract",
            title="TRÍCH LỤC KHAI SINH",
            subtitle_field=None,
            rows=(
                Row("Họ, chữ đệm, tên", "child_name"),
                Row("Ngày, tháng, năm sinh", "child_birth_date", fmt=format_date),
                Row("Giới tính", "child_gender"),
                Row("Dân tộc", "child_ethnicity", required=False),
                Row("Quốc tịch", "child_nationality", required=False),
                Row("Nơi sinh", "birth_place"),
                Row("Họ, chữ đệm, tên người mẹ", "mother_name", required=False),
                Row("Họ, chữ đệm, tên người cha", "father_name", required=False),
                Row("Người đi đăng ký khai sinh", "requester_name"),
                Row("Số định danh cá nhân người đi đăng ký", "requester_id_number"),
            ),
            closing="Trích lục này được cấp từ Sổ đăng ký khai sinh điện tử.",
        ),
        ResultTemplate(
            name="household_business_certificate",
            title="GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH",
            subtitle_field=None,
            rows=(
                Row("Tên hộ kinh doanh", "business_name"),
                Row("Địa điểm kinh doanh", "business_address"),
                Row("Ngành, nghề kinh doanh", "business_lines", required=False),
                Row("Vốn kinh doanh", "capital_vnd", fmt=format_vnd),
                Row("Chủ hộ kinh doanh", "owner_name"),
                Row("Số định danh cá nhân", "owner_id_number"),
            ),
        ),
        ResultTemplate(
            name="generic_decision",
            title="QUYẾT ĐỊNH",
            subtitle_field="subject",
            rows=(
                Row("Điều 1", "decision_text"),
                Row("Điều 2", "effect_text", required=False),
                Row("Nơi nhận", "recipients", required=False),
            ),
        ),
    )
}

_BY_PROCEDURE = {
    "birth_registration": "birth_registration_extract",
    "household_business_registration": "household_business_certificate",
}


def template_for_procedure(procedure: str) -> str:
    """The template name for a procedure (the generic decision for all others)."""
    return _BY_PROCEDURE.get(procedure, "generic_decision")


@dataclass(frozen=True)
class ResultContext:
    """What every result carries besides the procedure's own fields."""

    dossier_code: str
    agency_name: str  # e.g. "ỦY BAN NHÂN DÂN XÃ AN BÌNH"
    place: str  # printed before the date: "An Bình, ngày ..."
    signer_name: str
    signer_title: str  # e.g. "CHỦ TỊCH" or "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    issued_on: dt.date
    document_number: str | None = None
    parent_agency: str | None = None  # e.g. "UBND HUYỆN ..." above the agency


def _nfc(value: object) -> str:
    text = unicodedata.normalize("NFC", str(value)).strip()
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        raise TemplateError(f"value {text!r} contains control characters")
    return text


class _Doc(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="pt", format="A4")
        self.set_margins(57, 60, 43)  # ~20 mm left, ~15 mm right: Decree 30 layout
        self.set_auto_page_break(True, margin=110)  # room for the QR code at the bottom
        self.add_font("serif", "", str(find_font("serif")))
        self.add_font("serif", "B", str(find_font("serif-bold")))
        self.add_font("serif", "I", str(find_font("serif-italic")))
        self.set_creator("hoso")


def render_result(template: str, values: Mapping[str, object], context: ResultContext) -> bytes:
    """Render ``template`` filled with the dossier's reviewed ``values`` as PDF bytes."""
    try:
        tpl = TEMPLATES[template]
    except KeyError:
        raise TemplateError(
            f"unknown result template {template!r}; available: {', '.join(sorted(TEMPLATES))}"
        ) from None
    fields = {k: _nfc(v) for k, v in values.items() if v is not None and str(v).strip()}
    missing = [r.field for r in tpl.rows if r.required and r.field not in fields]
    if tpl.subtitle_field and tpl.subtitle_field not in fields:
        missing.insert(0, tpl.subtitle_field)
    if missing:
        raise TemplateError(
            f"template {template!r} needs the fields {', '.join(missing)}; "
            "fill them in the dossier review before issuing"
        )

    pdf = _Doc()
    pdf.set_title(tpl.title)
    pdf.set_subject(context.dossier_code)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    left_w = width * 0.42
    top = pdf.get_y()

    # header: agency (left) and national title and motto (right), then the number (left)
    # and place and date (right) on one line below the taller of the two
    pdf.set_font("serif", "", 11)
    if context.parent_agency:
        pdf.multi_cell(left_w, 14, _nfc(context.parent_agency).upper(), align="C")
    pdf.set_font("serif", "B", 11)
    pdf.multi_cell(left_w, 14, _nfc(context.agency_name).upper(), align="C")
    left_bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + left_w, top)
    pdf.set_font("serif", "B", 10.5)
    pdf.cell(
        width - left_w,
        14,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        align="C",
        new_x=XPos.LEFT,
        new_y=YPos.NEXT,
    )
    pdf.set_font("serif", "B", 11.5)
    pdf.cell(
        width - left_w,
        14,
        "Độc lập - Tự do - Hạnh phúc",
        align="C",
        new_x=XPos.LEFT,
        new_y=YPos.NEXT,
    )
    line_y = max(pdf.get_y(), left_bottom) + 6
    pdf.set_xy(pdf.l_margin, line_y)
    pdf.set_font("serif", "", 11)
    number = _nfc(context.document_number) if context.document_number else "......"
    pdf.cell(left_w, 16, f"Số: {number}", align="C")
    pdf.set_xy(pdf.l_margin + left_w, line_y)
    pdf.set_font("serif", "I", 11)
    d = context.issued_on
    pdf.cell(
        width - left_w,
        16,
        f"{_nfc(context.place)}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}",
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(24)

    # title
    pdf.set_font("serif", "B", 14)
    pdf.multi_cell(width, 20, tpl.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if tpl.subtitle_field:
        pdf.set_font("serif", "B", 12)
        pdf.multi_cell(
            width,
            16,
            f"Về việc {fields[tpl.subtitle_field]}",
            align="C",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    pdf.ln(14)

    # body
    for row in tpl.rows:
        if row.field not in fields:
            continue
        pdf.set_font("serif", "B", 12)
        label = f"{row.label}: " if not row.label.startswith("Điều") else f"{row.label}. "
        pdf.write(18, label)
        pdf.set_font("serif", "", 12)
        pdf.write(18, row.fmt(fields[row.field]))
        pdf.ln(22)
    pdf.set_font("serif", "", 12)
    pdf.write(18, f"Mã hồ sơ: {context.dossier_code}")
    pdf.ln(22)
    if tpl.closing:
        pdf.set_font("serif", "I", 11)
        pdf.multi_cell(width, 16, tpl.closing, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    # signature block: title, room for the officer's signature, name (kept on one page)
    block_h = 16 * (context.signer_title.count("\n") + 1) + 80 + 18
    if pdf.get_y() + 24 + block_h > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(24)
    block_x = pdf.l_margin + width * 0.45
    pdf.set_x(block_x)
    pdf.set_font("serif", "B", 12)
    pdf.multi_cell(
        width * 0.55,
        16,
        _nfc(context.signer_title).upper(),
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(80)
    pdf.set_x(block_x)
    pdf.multi_cell(
        width * 0.55, 18, _nfc(context.signer_name), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    return bytes(pdf.output())
