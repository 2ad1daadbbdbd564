"""Render each document type of the taxonomy as a varied, realistic A4 document with truth.

Variety comes from the layout of the label/value rows (:mod:`benchmarks.synth.layouts`), several
wordings per label, fonts, sizes, date styles, optional furniture and 1–3 pages. Wordings, layouts
and fonts marked holdout are used only by ``variant="holdout"``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from benchmarks.synth import furniture as fur
from benchmarks.synth import names as nm
from benchmarks.synth import prose
from benchmarks.synth import typefaces as fontlib
from benchmarks.synth.layouts import DEV_LAYOUTS, HOLDOUT_LAYOUTS, TRAIN_LAYOUTS, Row, draw_rows
from benchmarks.synth.names import Person, Value
from benchmarks.synth.sheet import Sheet, SynthPage

DOC_TYPES = (
    "reception_receipt",
    "birth_registration",
    "marriage_registration",
    "land_certificate_application",
    "construction_permit_application",
    "household_business_registration",
    "driving_license_exchange",
    "id_card_copy",
    "other",
)
TITLES = {
    "reception_receipt": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "birth_registration": "TỜ KHAI ĐĂNG KÝ KHAI SINH",
    "marriage_registration": "TỜ KHAI ĐĂNG KÝ KẾT HÔN",
    "land_certificate_application": "ĐƠN ĐĂNG KÝ ĐẤT ĐAI, TÀI SẢN GẮN LIỀN VỚI ĐẤT",
    "construction_permit_application": "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG",
    "household_business_registration": "GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH",
    "driving_license_exchange": "ĐƠN ĐỀ NGHỊ ĐỔI, CẤP LẠI GIẤY PHÉP LÁI XE",
    "id_card_copy": "CĂN CƯỚC CÔNG DÂN",
}
VARIANTS = ("train", "holdout", "dev")


class UnknownDocumentTypeError(ValueError):
    """The document type is not in the taxonomy."""


class UnknownLayoutError(ValueError):
    """The layout does not exist for this document type (or not in this variant)."""


@dataclass(slots=True)
class SynthDocument:
    """A rendered document, its fields normalised per the spec and as printed."""

    doc_type: str
    pages: list[SynthPage]
    fields: dict[str, str]
    printed: dict[str, str]
    layout: str = ""
    font: str = ""
    labels: list[str] = field(default_factory=list)  # label wordings used (variety checks)


# Label wordings: (train, holdout). Holdout wordings never appear in the train variant.
LABELS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "name": (("Họ, chữ đệm, tên", "Họ và tên", "Họ tên"), ("Tên đầy đủ", "Họ, tên đệm và tên")),
    "requester": (
        ("Họ, chữ đệm, tên người yêu cầu", "Họ và tên người yêu cầu", "Họ tên người yêu cầu"),
        ("Người đi đăng ký", "Tên người làm tờ khai"),
    ),
    "id": (
        (
            "Số CCCD",
            "Số định danh cá nhân",
            "Số giấy tờ tùy thân",
            "Số CMND/CCCD",
            "Số Căn cước công dân",
        ),
        ("Giấy tờ tùy thân số", "Số thẻ Căn cước", "Mã định danh"),
    ),
    "birth": (
        ("Ngày, tháng, năm sinh", "Ngày sinh", "Sinh ngày"),
        ("Ngày tháng năm sinh", "Sinh vào ngày"),
    ),
    "residence": (
        ("Nơi cư trú", "Địa chỉ thường trú", "Nơi thường trú", "Địa chỉ liên hệ"),
        ("Chỗ ở hiện tại", "Địa chỉ cư trú"),
    ),
    "gender": (("Giới tính",), ("Nam/Nữ",)),
    "birth_place": (("Nơi sinh",), ("Sinh tại",)),
    "parcel": (("Thửa đất số", "Số thửa"), ("Thửa số",)),
    "sheet": (("Tờ bản đồ số", "Số tờ bản đồ"), ("Bản đồ địa chính tờ số",)),
    "area": (("Diện tích", "Diện tích thửa đất"), ("Tổng diện tích đất",)),
    "land_address": (("Địa chỉ thửa đất", "Địa chỉ tại"), ("Vị trí thửa đất",)),
    "investor": (
        ("Tên chủ đầu tư", "Chủ đầu tư (tên chủ hộ)", "Họ tên chủ đầu tư"),
        ("Người đề nghị cấp phép",),
    ),
    "site": (("Địa điểm xây dựng", "Địa chỉ công trình"), ("Nơi xây dựng công trình",)),
    "floor_area": (("Tổng diện tích sàn", "Diện tích sàn xây dựng"), ("Diện tích sàn các tầng",)),
    "floors": (("Số tầng", "Số tầng cao"), ("Chiều cao (số tầng)",)),
    "business": (
        ("Tên hộ kinh doanh", "Tên hộ kinh doanh (ghi bằng chữ in hoa)"),
        ("Tên gọi của hộ",),
    ),
    "owner": (
        ("Tôi là (ghi họ tên bằng chữ in hoa)", "Họ và tên chủ hộ", "Tôi là"),
        ("Chủ hộ kinh doanh",),
    ),
    "business_address": (
        ("Địa chỉ trụ sở hộ kinh doanh", "Địa điểm kinh doanh"),
        ("Trụ sở đặt tại",),
    ),
    "capital": (("Vốn kinh doanh", "Tổng số vốn (bằng số; VNĐ)"), ("Số vốn đăng ký",)),
    "license_number": (("Số giấy phép lái xe", "Số GPLX", "Số"), ("Giấy phép lái xe số",)),
    "license_class": (
        ("Hạng", "Hạng giấy phép lái xe", "Hiện đã có giấy phép lái xe hạng"),
        ("Hạng GPLX đang có",),
    ),
}


# Label wordings for tuning the handling of wordings the taxonomy does not list: the "dev"
# variant prints these on the train layouts and its own (DEV_LAYOUTS), in the train fonts.
# Drawn from real forms of other years and provinces; none is a holdout wording, and none is
# in the shipped taxonomy (test_synth checks).
DEV_LABELS: dict[str, tuple[str, ...]] = {
    "name": ("Họ và tên khai sinh", "Họ, chữ đệm và tên", "Họ tên khai sinh", "Tên khai sinh"),
    "requester": ("Họ tên người khai", "Người khai", "Người yêu cầu đăng ký", "Họ, tên người khai"),
    "id": (
        "Số CMND",
        "Số thẻ CCCD",
        "CCCD/CMND số",
        "Số định danh",
        "Căn cước công dân số",
        "Số hộ chiếu/CCCD",
    ),
    "birth": (
        "Ngày sinh (ngày/tháng/năm)",
        "Ngày tháng năm sinh (ghi bằng số)",
        "Sinh ngày (dương lịch)",
    ),
    "residence": ("Nơi ở hiện nay", "Chỗ ở", "Hộ khẩu thường trú", "Thường trú tại"),
    "gender": ("Giới tính (Nam/Nữ)",),
    "birth_place": ("Nơi sinh (ghi rõ cơ sở y tế)", "Địa điểm sinh"),
    "parcel": ("Thửa đất có số hiệu", "Số hiệu thửa"),
    "sheet": ("Thuộc tờ bản đồ số", "Tờ bản đồ địa chính số", "Số hiệu tờ bản đồ"),
    "area": ("Diện tích thửa (m²)", "DT thửa đất", "Diện tích sử dụng (m²)"),
    "land_address": ("Tại địa chỉ", "Địa chỉ nơi có thửa đất"),
    "investor": ("Tên chủ nhà", "Chủ công trình", "Tên chủ công trình"),
    "site": ("Vị trí công trình", "Địa điểm công trình", "Địa chỉ lô đất xây dựng"),
    "floor_area": ("Tổng DT sàn", "Diện tích sàn (m²)"),
    "floors": ("Số tầng nổi", "Quy mô (số tầng)", "Tầng cao"),
    "business": ("Tên cơ sở kinh doanh", "Tên cửa hàng"),
    "owner": ("Họ và tên người đại diện hộ kinh doanh", "Người đại diện hộ kinh doanh"),
    "business_address": ("Địa chỉ đặt cơ sở kinh doanh", "Nơi kinh doanh", "Địa chỉ cửa hàng"),
    "capital": ("Mức vốn kinh doanh", "Vốn đầu tư", "Tổng vốn (đồng)"),
    "license_number": ("Giấy phép số", "Số GPLX đã được cấp"),
    "license_class": ("Hạng xe được phép điều khiển", "Hạng giấy phép"),
}


@dataclass(slots=True)
class Context:
    """Everything a form builder needs; ``row`` registers a field while choosing its label."""

    sheet: Sheet
    rng: random.Random
    variant: str
    layout: str
    day: dt.date
    place: str
    applicant: Person
    dossier_code: str | None
    procedure: str | None
    target_pages: int
    fields: dict[str, str] = field(default_factory=dict)
    printed: dict[str, str] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)

    def label(self, kind: str) -> str:
        train, holdout = LABELS[kind]
        if self.variant == "dev" and kind in DEV_LABELS:
            text = self.rng.choice(DEV_LABELS[kind])
        else:
            text = self.rng.choice(holdout if self.variant == "holdout" and holdout else train)
        self.labels.append(text)
        return text

    def row(self, kind_or_label: str, value: Value, key: str | None = None) -> Row:
        label = self.label(kind_or_label) if kind_or_label in LABELS else kind_or_label
        if key:
            self.fields[key] = value.normalised
            self.printed[key] = value.printed
        return Row(label, value, key)

    def rows(self, rows: Sequence[Row], layout: str | None = None) -> None:
        draw_rows(self.sheet, rows, layout or self.layout)

    def heading(self, text: str) -> None:
        self.sheet.space(1.5)
        style = self.rng.choice(("bold", "bold", "regular"))
        self.sheet.paragraph(text, style=style, first_indent_mm=0)

    def date(self, day: dt.date) -> Value:
        return nm.date_value(day, self.rng)


def layouts(doc_type: str, variant: str | None = None) -> list[str]:
    """Layouts ``doc_type`` can be drawn in: all, or those of the ``train``/``holdout``/``dev``
    variant (dev: the train layouts and :data:`DEV_LAYOUTS`, which neither tests nor the holdout
    print)."""
    if doc_type not in DOC_TYPES:
        raise UnknownDocumentTypeError(
            f"unknown document type {doc_type!r}; known: {', '.join(DOC_TYPES)}"
        )
    special = _SPECIAL_LAYOUTS.get(doc_type)
    if special is not None:
        train, holdout = special
        dev: tuple[str, ...] = ()
    else:
        train, holdout, dev = TRAIN_LAYOUTS, HOLDOUT_LAYOUTS, DEV_LAYOUTS
    if variant is None:
        return [*train, *holdout, *dev]
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}, not {variant!r}")
    if variant == "dev":
        return [*train, *dev]  # dev: the train layouts and its own
    return list(holdout if variant == "holdout" else train)


def fonts(variant: str | None = None) -> list[str]:
    """Font families usable for ``variant`` (all when None; dev uses the train fonts)."""
    return fontlib.fonts("train" if variant == "dev" else variant)


def _recipient(ctx: Context, office: str) -> str:
    ward = ctx.rng.choice(nm.WARDS)
    return f"{office} {ward}" if office.startswith("Ủy ban") else office


def _signoff(ctx: Context, head: str, name: str, *, note: str = "(Ký, ghi rõ họ tên)") -> None:
    sheet = ctx.sheet
    if ctx.target_pages >= 2 and len(sheet.pages) == 0:
        _extras(ctx)
    sheet.space(3)
    fur.place_date(sheet, ctx.place, ctx.day)
    fur.signature(sheet, [(head, note, name)])


def _extras(ctx: Context) -> None:
    """Content that continues a form on further pages: attachments, agency part, guidance."""
    sheet, rng = ctx.sheet, ctx.rng
    sheet.new_page()
    attachments = rng.sample(
        (
            "Bản sao Giấy chứng sinh",
            "Bản sao giấy tờ chứng minh nhân thân",
            "Bản vẽ thiết kế xây dựng",
            "Giấy tờ chứng minh quyền sử dụng đất",
            "Giấy ủy quyền (nếu có)",
            "Sơ đồ vị trí công trình",
            "Hợp đồng thuê địa điểm kinh doanh",
            "Giấy khám sức khỏe của người lái xe",
            "Bản sao giấy phép lái xe",
        ),
        rng.randint(2, 4),
    )
    ctx.heading(rng.choice(("Giấy tờ kèm theo:", "Hồ sơ gửi kèm gồm có:", "Tài liệu kèm theo:")))
    for i, item in enumerate(attachments, 1):
        sheet.line([(f"{i}. {item}.", "regular")], indent=sheet.px(5))
    ctx.heading(rng.choice(("PHẦN GHI CỦA CƠ QUAN TIẾP NHẬN", "Ý KIẾN CỦA CÁN BỘ TIẾP NHẬN")))
    for label in ("Ngày nhận hồ sơ", "Người nhận hồ sơ", "Ghi chú"):
        end, baseline = sheet.line([(f"{label}:", "regular")], record=False)
        sheet.record(f"{label}: {sheet.dots(end + sheet.px(1), baseline, sheet.right)}")
    if ctx.target_pages >= 3:
        sheet.new_page()
    ctx.heading(rng.choice(("HƯỚNG DẪN KÊ KHAI", "Lưu ý:", "Ghi chú:")))
    for sentence in prose.sentences(rng, prose.GUIDANCE, 2, 5):
        sheet.paragraph(sentence, scale=0.95)


# -- document types --------------------------------------------------------------------------


def _reception_receipt(ctx: Context) -> None:
    sheet, rng = ctx.sheet, ctx.rng
    code = ctx.dossier_code or nm.dossier_code(rng, ctx.day)
    proc_key = ctx.procedure or rng.choice(tuple(nm.PROCEDURES))
    proc_text = nm.PROCEDURES[proc_key][0]
    qr_where = rng.choice(("top_left", "top_right", "top_right", "bottom_left"))
    if qr_where.startswith("top"):
        fur.place_qr(
            sheet, code, where=qr_where, size_mm=rng.uniform(18, 26), caption=rng.random() < 0.5
        )
    ward = rng.choice(nm.WARDS)
    fur.header(
        sheet,
        agency=(
            f"UBND {ward.upper()}",
            rng.choice(("BỘ PHẬN MỘT CỬA", "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ")),
        ),
    )
    fur.title(sheet, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
    ctx.fields["dossier_code"] = code
    ctx.printed["dossier_code"] = code
    sheet.line(
        [(rng.choice(("Mã hồ sơ:", "Mã số hồ sơ:", "Số hồ sơ:")), "regular"), (code, "bold")],
        align=rng.choice(("center", "left")),
    )
    sheet.paragraph(
        f"Bộ phận tiếp nhận và trả kết quả {ward} tiếp nhận hồ sơ của:", first_indent_mm=10
    )
    person = ctx.applicant
    name = nm.name_value(person, rng)
    due = nm.add_working_days(ctx.day, nm.WORKING_DAYS[proc_key])
    ctx.rows(
        [
            ctx.row(
                rng.choice(("Ông/Bà", "Họ và tên người nộp", "Người nộp hồ sơ")),
                name,
                "applicant_name",
            ),
            ctx.row("id", nm.id_value(person, rng)),
            ctx.row(rng.choice(("Địa chỉ", "Nơi cư trú")), Value(person.address, person.address)),
            ctx.row("Số điện thoại", Value(f"09{rng.randrange(10**8):08d}", "")),
            ctx.row(
                rng.choice(("Nội dung yêu cầu giải quyết", "Thủ tục hành chính", "Tên thủ tục")),
                Value(proc_text, proc_text),
                "procedure",
            ),
        ]
    )
    sheet.line([("1. Thành phần hồ sơ và số lượng mỗi loại giấy tờ gồm:", "regular")])
    docs = rng.sample(
        (
            "Tờ khai theo mẫu",
            "Bản sao giấy tờ tùy thân",
            "Giấy tờ chứng minh nơi cư trú",
            "Bản vẽ thiết kế",
            "Giấy chứng sinh",
            "Giấy ủy quyền",
        ),
        rng.randint(2, 4),
    )
    sheet.table(
        [
            ["STT", "Tên giấy tờ", "Bản chính", "Bản sao"],
            *[
                [str(i), d, str(rng.randint(0, 1)), str(rng.randint(0, 2))]
                for i, d in enumerate(docs, 1)
            ],
        ],
        (0.09, 0.55, 0.18, 0.18),
        header=True,
    )
    received = ctx.date(ctx.day)
    due_value = ctx.date(due)
    ctx.fields["received_date"], ctx.printed["received_date"] = (
        received.normalised,
        received.printed,
    )
    ctx.fields["due_date"], ctx.printed["due_date"] = due_value.normalised, due_value.printed
    hh, mm = rng.randint(7, 16), rng.choice((0, 15, 30, 45, 5, 50))
    lines = [
        "2. Số lượng hồ sơ: 01 (bộ).",
        f"3. Thời gian giải quyết hồ sơ theo quy định là: {nm.WORKING_DAYS[proc_key]:02d} "
        "ngày làm việc.",
        f"4. Thời gian nhận hồ sơ: {hh:02d} giờ {mm:02d} phút, ngày {received.printed}.",
        f"5. Thời gian trả kết quả giải quyết hồ sơ: {rng.choice((8, 10, 14, 15))} giờ 00 phút, "
        f"ngày {due_value.printed}.",
        "6. Đăng ký nhận kết quả tại: "
        f"{rng.choice(('Bộ phận Một cửa', 'nhà riêng (qua bưu điện)'))}.",
    ]
    for text in lines:
        sheet.paragraph(text, first_indent_mm=0)
    sheet.space(2)
    if qr_where == "bottom_left":
        fur.place_qr(sheet, code, where="left", size_mm=rng.uniform(18, 24), caption=True)
    officer = nm.person(rng)
    fur.signature(
        sheet,
        [
            ("NGƯỜI NỘP HỒ SƠ", "(Ký và ghi rõ họ tên)", person.name),
            ("NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", officer.name),
        ],
    )


def _birth_registration(ctx: Context) -> None:
    sheet, rng, p = ctx.sheet, ctx.rng, ctx.applicant
    fur.header(sheet, form_no=rng.choice((None, "Mẫu số 01", "Mẫu TP/HT-2024-TKKS")))
    fur.title(sheet, "TỜ KHAI ĐĂNG KÝ KHAI SINH")
    fur.addressee(sheet, [_recipient(ctx, "Ủy ban nhân dân")])
    born = ctx.day - dt.timedelta(days=rng.randint(3, 55))
    kid = nm.child(rng, p, born)
    ctx.rows(
        [
            ctx.row("requester", nm.name_value(p, rng), "requester_name"),
            ctx.row("residence", Value(p.address, p.address)),
            ctx.row("id", nm.id_value(p, rng), "requester_id_number"),
            ctx.row(
                "Quan hệ với người được khai sinh", Value("Cha" if p.gender == "Nam" else "Mẹ", "")
            ),
        ]
    )
    sheet.paragraph("Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:", first_indent_mm=0)
    hospital = rng.choice(("Bệnh viện Phụ sản", "Bệnh viện Đa khoa", "Trạm Y tế", "Trung tâm Y tế"))
    birth_place = f"{hospital} {rng.choice(nm.WARDS)}, {p.province}"
    ctx.rows(
        [
            ctx.row("name", nm.name_value(kid, rng), "child_name"),
            ctx.row("birth", ctx.date(born), "child_birth_date"),
            ctx.row("gender", Value(kid.gender, kid.gender), "child_gender"),
            ctx.row("Dân tộc", Value(rng.choice(nm.ETHNICITIES), "")),
            ctx.row("Quốc tịch", Value("Việt Nam", "")),
            ctx.row("birth_place", Value(birth_place, nm.nfc(birth_place)), "birth_place"),
            ctx.row("Quê quán", Value(p.province[0].upper() + p.province[1:], "")),
        ]
    )
    other = nm.person(
        rng,
        gender="Nữ" if p.gender == "Nam" else "Nam",
        born=(p.birth_date.year - 5, p.birth_date.year + 5),
    )
    mother, father = (other, p) if p.gender == "Nam" else (p, other)
    for who, parent in (("mẹ", mother), ("cha", father)):
        ctx.rows(
            [
                ctx.row(f"Họ, chữ đệm, tên người {who}", Value(parent.name, "")),
                ctx.row("Năm sinh", Value(str(parent.birth_date.year), "")),
            ]
        )
    sheet.space(2)
    for sentence in prose.sentences(rng, prose.COMMITMENTS, 1, 2):
        sheet.paragraph(sentence)
    _signoff(ctx, "Người yêu cầu", p.name, note="(Ký, ghi rõ họ, chữ đệm, tên)")
    fur.footnotes(
        sheet,
        rng.sample(
            (
                "(1) Ghi rõ tên cơ quan đăng ký khai sinh.",
                "(2) Ghi rõ loại giấy tờ tùy thân, số, cơ quan cấp, ngày cấp.",
                "(3) Trường hợp sinh tại cơ sở y tế thì ghi rõ tên cơ sở y tế và địa chỉ.",
            ),
            rng.randint(0, 3),
        ),
    )


def _marriage_registration(ctx: Context) -> None:
    sheet, rng = ctx.sheet, ctx.rng
    groom = ctx.applicant if ctx.applicant.gender == "Nam" else nm.person(rng, gender="Nam")
    bride = ctx.applicant if ctx.applicant.gender == "Nữ" else nm.person(rng, gender="Nữ")
    fur.header(sheet, form_no=rng.choice((None, "Mẫu TP/HT-2024-TKKH")))
    fur.title(sheet, "TỜ KHAI ĐĂNG KÝ KẾT HÔN")
    fur.addressee(sheet, [_recipient(ctx, "Ủy ban nhân dân")])
    values = {}
    for role, person in (("bride", bride), ("groom", groom)):
        values[role] = (
            nm.name_value(person, rng, upper=0.2),
            ctx.date(person.birth_date),
            nm.id_value(person, rng, cmnd_share=0.1),
        )
        for key, value in zip(("name", "birth_date", "id_number"), values[role], strict=True):
            ctx.fields[f"{role}_{key}"] = value.normalised
            ctx.printed[f"{role}_{key}"] = value.printed
    if ctx.layout == "table":  # the official form: one column per spouse
        rows = [["Thông tin", "Bên nữ", "Bên nam"]]
        for i, kind in enumerate(("name", "birth", "id")):
            rows.append([ctx.label(kind), values["bride"][i].printed, values["groom"][i].printed])
        for label, fb, fg in (
            ("Dân tộc", "Kinh", "Kinh"),
            ("Quốc tịch", "Việt Nam", "Việt Nam"),
            ("Nơi cư trú", bride.address, groom.address),
            ("Kết hôn lần thứ mấy", "Lần thứ nhất", "Lần thứ nhất"),
        ):
            rows.append([label, fb, fg])
        sheet.table(rows, (0.28, 0.36, 0.36), header=True)
    else:
        for role, person, heading in (
            ("bride", bride, "THÔNG TIN BÊN NỮ"),
            ("groom", groom, "THÔNG TIN BÊN NAM"),
        ):
            ctx.heading(rng.choice((heading, heading.capitalize() + ":")))
            name, birth, ident = values[role]
            ctx.rows(
                [
                    ctx.row("name", name),
                    ctx.row("birth", birth),
                    ctx.row("Dân tộc", Value("Kinh", "")),
                    ctx.row("residence", Value(person.address, person.address)),
                    ctx.row("id", ident),
                ]
            )
    sheet.space(2)
    for sentence in prose.sentences(rng, prose.COMMITMENTS, 1, 2):
        sheet.paragraph(sentence)
    if ctx.target_pages >= 2:
        _extras(ctx)
    sheet.space(3)
    fur.place_date(sheet, ctx.place, ctx.day)
    fur.signature(
        sheet,
        [
            ("Bên nữ", "(Ký, ghi rõ họ tên)", bride.name),
            ("Bên nam", "(Ký, ghi rõ họ tên)", groom.name),
        ],
    )


def _land_certificate_application(ctx: Context) -> None:
    sheet, rng, p = ctx.sheet, ctx.rng, ctx.applicant
    fur.header(sheet, form_no=rng.choice(("Mẫu số 04a/ĐK", "Mẫu số 01/ĐK", None)))
    fur.title(
        sheet,
        "ĐƠN ĐĂNG KÝ ĐẤT ĐAI, TÀI SẢN GẮN LIỀN VỚI ĐẤT",
        rng.choice(((), ("(Dùng cho đăng ký lần đầu)",))),
    )
    fur.addressee(
        sheet,
        [
            rng.choice(
                (
                    "Văn phòng đăng ký đất đai",
                    "Chi nhánh Văn phòng đăng ký đất đai",
                    "Ủy ban nhân dân cấp xã",
                )
            )
        ],
    )
    ctx.heading(rng.choice(("I. PHẦN KÊ KHAI CỦA NGƯỜI ĐĂNG KÝ", "1. Người sử dụng đất:")))
    ctx.rows(
        [
            ctx.row("name", nm.name_value(p, rng), "applicant_name"),
            ctx.row("id", nm.id_value(p, rng), "applicant_id_number"),
            ctx.row("residence", Value(p.address, p.address)),
        ]
    )
    ctx.heading(rng.choice(("2. Thửa đất đăng ký:", "2. THÔNG TIN THỬA ĐẤT")))
    land_address = nm.address(rng)
    ctx.rows(
        [
            ctx.row("parcel", nm.integer_value(rng.randint(1, 999), rng), "parcel_number"),
            ctx.row(
                "sheet", nm.integer_value(rng.randint(1, 80), rng, pad=0.3), "map_sheet_number"
            ),
            ctx.row("area", nm.area_value(rng), "area_m2"),
            ctx.row("land_address", land_address, "land_address"),
            ctx.row(
                "Mục đích sử dụng",
                Value(
                    rng.choice(
                        ("Đất ở tại đô thị", "Đất ở tại nông thôn", "Đất trồng cây lâu năm")
                    ),
                    "",
                ),
            ),
            ctx.row("Thời hạn sử dụng", Value(rng.choice(("Lâu dài", "50 năm")), "")),
            ctx.row(
                "Nguồn gốc sử dụng",
                Value(rng.choice(("Nhận chuyển nhượng", "Được thừa kế", "Nhà nước giao đất")), ""),
            ),
        ]
    )
    ctx.heading("3. Tài sản gắn liền với đất:")
    sheet.paragraph(
        rng.choice(
            (
                "Nhà ở riêng lẻ, kết cấu bê tông cốt thép, mái tôn.",
                "Không có tài sản gắn liền với đất.",
            )
        ),
        first_indent_mm=5,
    )
    for sentence in prose.sentences(rng, prose.COMMITMENTS, 1, 1):
        sheet.paragraph(sentence)
    _signoff(ctx, "Người viết đơn", p.name)


def _construction_permit_application(ctx: Context) -> None:
    sheet, rng, p = ctx.sheet, ctx.rng, ctx.applicant
    fur.header(sheet, form_no=rng.choice((None, "Mẫu số 01")))
    fur.title(
        sheet,
        "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG",
        rng.choice(((), ("(Sử dụng cho nhà ở riêng lẻ)",))),
    )
    fur.addressee(sheet, [_recipient(ctx, "Ủy ban nhân dân")])
    ctx.heading("1. Thông tin về chủ đầu tư:")
    ctx.rows(
        [
            ctx.row("investor", nm.name_value(p, rng), "investor_name"),
            ctx.row("id", nm.id_value(p, rng), "investor_id_number"),
            ctx.row("residence", Value(p.address, p.address)),
            ctx.row("Số điện thoại", Value(f"09{rng.randrange(10**8):08d}", "")),
        ]
    )
    ctx.heading("2. Thông tin công trình:")
    site = nm.address(rng)
    floors = rng.randint(1, 6)
    ctx.rows(
        [
            ctx.row("site", site, "construction_address"),
            ctx.row("parcel", nm.integer_value(rng.randint(1, 999), rng), "parcel_number"),
            ctx.row("Diện tích lô đất", nm.area_value(rng, 40, 300)),
            ctx.row("floor_area", nm.area_value(rng, 60, 900), "floor_area_m2"),
            ctx.row("floors", nm.integer_value(floors, rng, pad=0.4), "floors"),
            ctx.row(
                "Chiều cao công trình",
                Value(f"{floors * 3 + rng.randint(1, 3)},{rng.randint(0, 9)} m", ""),
            ),
        ]
    )
    ctx.heading("3. Dự kiến thời gian hoàn thành công trình:")
    sheet.paragraph(f"{rng.randint(4, 18)} tháng kể từ ngày khởi công.", first_indent_mm=5)
    sheet.paragraph(
        "4. Cam kết: Tôi xin cam đoan làm theo đúng giấy phép được cấp, nếu sai tôi xin "
        "hoàn toàn chịu trách nhiệm và bị xử lý theo quy định của pháp luật.",
        first_indent_mm=0,
    )
    _signoff(ctx, "NGƯỜI LÀM ĐƠN", p.name)


def _household_business_registration(ctx: Context) -> None:
    sheet, rng, p = ctx.sheet, ctx.rng, ctx.applicant
    fur.header(sheet, form_no=rng.choice((None, "Phụ lục III-1")))
    fur.title(sheet, "GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH")
    fur.addressee(
        sheet,
        [rng.choice(("Phòng Tài chính - Kế hoạch", "Phòng Kinh tế", "Ủy ban nhân dân cấp xã"))],
    )
    owner_label = ctx.label("owner")
    owner = nm.name_value(p, rng, upper=1.0 if "in hoa" in owner_label else 0.3)
    ctx.rows(
        [
            ctx.row(owner_label, owner, "owner_name"),
            ctx.row("birth", ctx.date(p.birth_date)),
            ctx.row("gender", Value(p.gender, "")),
            ctx.row("id", nm.id_value(p, rng), "owner_id_number"),
            ctx.row("residence", Value(p.address, p.address)),
        ]
    )
    sheet.paragraph(
        "Đăng ký hộ kinh doanh do tôi là chủ hộ với các thông tin sau đây:", first_indent_mm=0
    )
    business = nm.business_name(rng, p)
    capital = nm.money_value(rng)
    ctx.rows(
        [
            ctx.row("business", business, "business_name"),
            ctx.row("business_address", nm.address(rng), "business_address"),
            ctx.row("Điện thoại", Value(f"0{rng.choice('389')}{rng.randrange(10**8):08d}", "")),
            ctx.row("capital", capital, "capital_vnd"),
            ctx.row("Bằng chữ", Value(nm.amount_in_words(int(capital.normalised)), "")),
            ctx.row("Số lượng lao động", Value(str(rng.randint(1, 9)), "")),
        ]
    )
    ctx.heading("Ngành, nghề kinh doanh:")
    sheet.table(
        [
            ["STT", "Tên ngành", "Mã ngành"],
            [
                "1",
                rng.choice(
                    (
                        "Bán lẻ lương thực, thực phẩm",
                        "Dịch vụ ăn uống",
                        "Sửa chữa xe có động cơ",
                        "Bán lẻ hàng may mặc",
                    )
                ),
                str(rng.choice((4711, 5610, 4520, 4771))),
            ],
        ],
        (0.1, 0.65, 0.25),
        header=True,
    )
    for sentence in prose.sentences(rng, prose.COMMITMENTS, 1, 1):
        sheet.paragraph(sentence)
    _signoff(ctx, "CHỦ HỘ KINH DOANH", p.name)


def _driving_license_exchange(ctx: Context) -> None:
    sheet, rng, p = ctx.sheet, ctx.rng, ctx.applicant
    fur.header(sheet, form_no=rng.choice((None, "Mẫu số 01")))
    if rng.random() < 0.6:  # the 3x4 photo box at the top left
        box = (sheet.left, sheet.y, sheet.left + sheet.px(30), sheet.y + sheet.px(40))
        sheet.draw.rectangle(box, outline=0, width=3)
        font = sheet.font("regular", 0.75)
        sheet.draw.text(
            (box[0] + sheet.px(3), box[1] + sheet.px(18)), "Ảnh 3 x 4 cm", font=font, fill=0
        )
        sheet.record("Ảnh 3 x 4 cm")
        sheet.y = box[3] - sheet.px(20)
    fur.title(sheet, "ĐƠN ĐỀ NGHỊ ĐỔI, CẤP LẠI GIẤY PHÉP LÁI XE")
    fur.addressee(
        sheet,
        [
            rng.choice(("Sở Giao thông vận tải", "Sở Xây dựng", "Phòng Cảnh sát giao thông"))
            + " "
            + p.province
        ],
    )
    klass = rng.choice(nm.LICENSE_CLASSES)
    ctx.rows(
        [
            ctx.row(
                rng.choice(("Tôi là", "Họ và tên", "Họ, chữ đệm, tên")),
                nm.name_value(p, rng),
                "full_name",
            ),
            ctx.row("Quốc tịch", Value("Việt Nam", "")),
            ctx.row("birth", ctx.date(p.birth_date), "birth_date"),
            ctx.row("residence", Value(p.address, p.address)),
            ctx.row("id", nm.cccd_value(p, rng), "id_number"),
            ctx.row("license_class", Value(klass, klass), "license_class"),
            ctx.row("license_number", nm.license_number(rng), "license_number"),
            ctx.row("Ngày cấp", ctx.date(ctx.day - dt.timedelta(days=rng.randint(400, 3650)))),
        ]
    )
    sheet.paragraph(
        rng.choice(
            (
                "Lý do xin đổi, cấp lại: giấy phép lái xe hết hạn sử dụng.",
                "Lý do: bị mất giấy phép lái xe, đã trình báo cơ quan công an nơi mất.",
                "Lý do: giấy phép lái xe bị hỏng, không còn sử dụng được.",
            )
        ),
        first_indent_mm=0,
    )
    sheet.paragraph(
        "Tôi xin cam đoan những điều ghi trên đây là đúng sự thật, nếu sai tôi xin "
        "hoàn toàn chịu trách nhiệm."
    )
    _signoff(ctx, "NGƯỜI LÀM ĐƠN", p.name)


BUILDERS: dict[str, Callable[[Context], None]] = {
    "reception_receipt": _reception_receipt,
    "birth_registration": _birth_registration,
    "marriage_registration": _marriage_registration,
    "land_certificate_application": _land_certificate_application,
    "construction_permit_application": _construction_permit_application,
    "household_business_registration": _household_business_registration,
    "driving_license_exchange": _driving_license_exchange,
}
# Types whose arrangement is not a label/value layout: (train, holdout) "layouts" of their own.
_SPECIAL_LAYOUTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "id_card_copy": (("card_2016", "card_2024"), ("card_2021_chip",)),
    "other": (("letter", "authorisation", "photo"), ("notice",)),
}


def render_document(
    doc_type: str,
    rng: random.Random,
    *,
    layout: str | None = None,
    font: str | None = None,
    dpi: int = 300,
    dossier_code: str | None = None,
    variant: str = "train",
    applicant: Person | None = None,
    procedure: str | None = None,
    day: dt.date | None = None,
) -> SynthDocument:
    """Render one document of ``doc_type`` with its ground truth.

    ``applicant``, ``procedure`` and ``day`` keep a dossier's documents consistent with its
    reception receipt; they are drawn at random when omitted.
    """
    if doc_type not in DOC_TYPES:
        raise UnknownDocumentTypeError(
            f"unknown document type {doc_type!r}; known: {', '.join(DOC_TYPES)}"
        )
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}, not {variant!r}")
    allowed = layouts(doc_type, variant)
    layout = layout or rng.choice(allowed)
    if layout not in layouts(doc_type):
        raise UnknownLayoutError(
            f"layout {layout!r} does not exist for {doc_type}; known: {layouts(doc_type)}"
        )
    family = fontlib.family(font or rng.choice(fonts(variant)))
    sheet = Sheet(
        family,
        rng,
        dpi=dpi,
        size_pt=rng.choice((12.0, 13.0, 13.0, 14.0)),
        leading=rng.uniform(1.3, 1.6),
        page_numbers=rng.random() < 0.5,
        margins_mm=(
            rng.uniform(15, 22),
            rng.uniform(12, 20),
            rng.uniform(15, 20),
            rng.uniform(22, 32),
        ),
    )
    day = day or nm.working_day(rng)
    ctx = Context(
        sheet=sheet,
        rng=rng,
        variant=variant,
        layout=layout,
        day=day,
        place=rng.choice(
            (
                "Hà Nội",
                "TP. Hồ Chí Minh",
                "Đà Nẵng",
                "Hải Phòng",
                "Cần Thơ",
                "Nghệ An",
                "Huế",
                "Bắc Ninh",
                "Nha Trang",
                "Vinh",
            )
        ),
        applicant=applicant or nm.person(rng),
        dossier_code=dossier_code,
        procedure=procedure,
        target_pages=rng.choices((1, 2, 3), weights=(6, 3, 1))[0],
    )
    if doc_type in BUILDERS:
        if doc_type == "reception_receipt":
            ctx.target_pages = 1
        BUILDERS[doc_type](ctx)
    else:
        from benchmarks.synth import others

        others.BUILDERS[doc_type](ctx)
    pages = sheet.finish()
    return SynthDocument(doc_type, pages, ctx.fields, ctx.printed, layout, family.name, ctx.labels)
