"""Documents that are not label/value forms: identity-card photocopies and "other" papers.

Identity cards are drawn at true size (or enlarged, as photocopies often are) on an A4 sheet,
front above back; "other" covers letters, authorisations, agency notices and photo pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from benchmarks.synth import furniture as fur
from benchmarks.synth import names as nm
from benchmarks.synth import prose
from benchmarks.synth import typefaces as fontlib
from benchmarks.synth.forms import Context
from benchmarks.synth.names import Value

MONO = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")


class _Card:
    """Absolute-position text on a card drawn on the sheet, recording each line."""

    def __init__(self, ctx: Context, x: int, y: int, scale: float) -> None:
        self.ctx, self.x, self.y, self.scale = ctx, x, y, scale
        self.sheet = ctx.sheet

    def mm(self, value: float) -> int:
        return self.sheet.px(value * self.scale)

    def text(
        self,
        mx: float,
        my: float,
        text: str,
        *,
        style: str = "regular",
        pt: float = 6.5,
        centre: float | None = None,
    ) -> None:
        font = self.sheet.font(style, pt * self.scale / self.sheet.size_pt)
        x = self.x + self.mm(mx)
        if centre is not None:
            x = self.x + self.mm(centre) - font.getlength(text) / 2
        self.sheet.draw.text((x, self.y + self.mm(my)), text, font=font, fill=20, anchor="ls")
        self.sheet.record(text)

    def frame(self) -> None:
        box = (self.x, self.y, self.x + self.mm(85.6), self.y + self.mm(54))
        self.sheet.draw.rounded_rectangle(
            box, radius=self.mm(3), outline=60, fill=self.ctx.rng.randint(205, 235), width=3
        )

    def photo(self, mx: float, my: float) -> None:
        x0, y0 = self.x + self.mm(mx), self.y + self.mm(my)
        w, h = self.mm(20), self.mm(26)
        self.sheet.draw.rectangle((x0, y0, x0 + w, y0 + h), fill=150)
        self.sheet.draw.ellipse(
            (x0 + w * 0.25, y0 + h * 0.15, x0 + w * 0.75, y0 + h * 0.6), fill=95
        )
        self.sheet.draw.pieslice((x0, y0 + h * 0.6, x0 + w, y0 + h * 1.4), 180, 360, fill=70)


def _id_card_copy(ctx: Context) -> None:
    sheet, rng, p = ctx.sheet, ctx.rng, ctx.applicant
    scale = rng.choice((1.0, 1.2, 1.41))
    kind = ctx.layout
    name = Value(p.name.upper(), p.name.upper())
    number = Value(p.cccd, p.cccd)
    birth = nm.date_value(p.birth_date, rng, style="dd/mm/yyyy")
    gender = Value(p.gender, p.gender)
    residence = Value(p.address, p.address)
    for key, value in (
        ("id_number", number),
        ("full_name", name),
        ("birth_date", birth),
        ("gender", gender),
        ("residence", residence),
    ):
        ctx.fields[key], ctx.printed[key] = value.normalised, value.printed
    sheet.space(rng.uniform(5, 30))
    x = sheet.left + rng.randint(0, max(0, sheet.right - sheet.left - sheet.px(85.6 * scale)))
    front = _Card(ctx, x, sheet.y, scale)
    front.frame()
    front.text(0, 6, fur.NATION, style="bold", pt=6.5, centre=50)
    front.text(0, 10, "Độc lập - Tự do - Hạnh phúc", style="bold", pt=6.5, centre=50)
    title = "CĂN CƯỚC" if kind == "card_2024" else "CĂN CƯỚC CÔNG DÂN"
    front.text(0, 16, title, style="bold", pt=9, centre=52)
    if kind == "card_2024":
        front.text(0, 19.5, "IDENTITY CARD", pt=6, centre=52)
    front.photo(3, 16)
    wrap = 85.6 - 26 - 3
    labels = {
        "card_2016": (
            "Số:",
            "Họ và tên:",
            "Ngày sinh:",
            "Giới tính:",
            "Quốc tịch:",
            "Nơi thường trú:",
        ),
        "card_2021_chip": (
            "Số / No.:",
            "Họ và tên / Full name:",
            "Ngày sinh / Date of birth:",
            "Giới tính / Sex:",
            "Quốc tịch / Nationality:",
            "Nơi thường trú / Place of residence:",
        ),
        "card_2024": (
            "Số định danh cá nhân:",
            "Họ, chữ đệm và tên khai sinh:",
            "Ngày, tháng, năm sinh:",
            "Giới tính:",
            "Quốc tịch:",
            "Nơi cư trú:",
        ),
    }[kind]
    front.text(26, 24, f"{labels[0]} {number.printed}", style="bold", pt=7.5)
    front.text(26, 29, labels[1], pt=6)
    front.text(26, 33, name.printed, style="bold", pt=7.5)
    front.text(26, 37.5, f"{labels[2]} {birth.printed}", pt=5.8)
    front.text(
        26,
        41,
        f"{labels[3]} {gender.printed}   {labels[4]} Việt Nam",
        pt=5.2 if kind == "card_2021_chip" else 5.8,
    )
    residence_lines = sheet.wrap(
        f"{labels[5]} {residence.printed}", front.mm(wrap), scale=5.8 * scale / sheet.size_pt
    )
    for i, part in enumerate(residence_lines[:3]):
        front.text(26, 44.5 + 3.2 * i, part, pt=5.8)
    if len(residence_lines) > 3:  # what the card cannot print is not truth
        ctx.fields.pop("residence")
        ctx.printed.pop("residence")
    ages = [a for a in (25, 40, 60) if p.birth_date.year + a > ctx.day.year]
    expiry = p.birth_date.replace(year=p.birth_date.year + ages[0]) if ages else None
    front.text(3, 46, f"Có giá trị đến: {expiry:%d/%m/%Y}" if expiry else "Không thời hạn", pt=5)
    sheet.y += front.mm(54) + sheet.px(rng.uniform(8, 25))
    back = _Card(ctx, x, sheet.y, scale)
    back.frame()
    issued = ctx.day - dt.timedelta(days=rng.randint(100, 2500))
    back.text(
        3,
        8,
        "Đặc điểm nhân dạng: "
        + rng.choice(("Nốt ruồi cách 2cm dưới mép trái", "Sẹo chấm cách 1cm trên đuôi mắt phải")),
        pt=6,
    )
    back.text(3, 14, f"Ngày, tháng, năm: {issued:%d/%m/%Y}", pt=6)
    back.text(3, 19, "CỤC TRƯỞNG CỤC CẢNH SÁT", style="bold", pt=6)
    back.text(3, 23, "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", style="bold", pt=6)
    officer = nm.person(rng)
    back.text(3, 33, officer.name, style="bold", pt=6.5)
    for i in range(2):  # fingerprint boxes
        bx = back.x + back.mm(60 + 12.5 * i)
        sheet.draw.rectangle(
            (bx, back.y + back.mm(24), bx + back.mm(11), back.y + back.mm(37)), outline=60, width=2
        )
    surname = p.name.upper().split()
    # The draws stand where random check digits once did, so every seed keeps its truth.
    for _ in range(5):
        rng.randint(0, 9)
    birth, until = f"{p.birth_date:%y%m%d}", f"{expiry or ctx.day:%y%m%d}"
    sex = "M" if p.gender == "Nam" else "F"
    line1 = f"IDVNM{p.cccd[3:]}{_icao_check(p.cccd[3:])}{p.cccd}<<{_icao_check(p.cccd)}"
    line2 = f"{birth}{_icao_check(birth)}{sex}{until}{_icao_check(until)}VNM<<<<<<<<<<<"
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    mrz = [
        line1,
        line2 + str(_icao_check(composite)),
        _ascii(surname[0]) + "<<" + "<".join(_ascii(w) for w in surname[1:]),
    ]
    mono = fontlib.load(MONO, round(7.5 * scale / 72 * sheet.dpi))
    for i, line in enumerate(mrz):
        line = (line + "<" * 30)[:30]
        sheet.draw.text(
            (back.x + back.mm(4), back.y + back.mm(40 + 4.5 * i)),
            line,
            font=mono,
            fill=20,
            anchor="ls",
        )
        sheet.record(line)
    sheet.y += back.mm(54) + sheet.px(10)
    if rng.random() < 0.5:  # certified copy
        sheet.line(
            [("CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH", "bold")],
            scale=0.85,
            x0=sheet.left,
            x1=(sheet.left + sheet.right) // 2 + sheet.px(20),
            align="center",
        )
        sheet.line(
            [
                (
                    f"Số chứng thực: {rng.randint(1, 999)} Quyển số: 01/{ctx.day.year}-SCT/BS",
                    "regular",
                )
            ],
            scale=0.85,
            x0=sheet.left,
            x1=(sheet.left + sheet.right) // 2 + sheet.px(20),
            align="center",
        )
        fur.place_date(sheet, ctx.place, ctx.day, align="left")
        fur.signature(sheet, [("CÔNG CHỨC TƯ PHÁP - HỘ TỊCH", "", officer.name)])


def _icao_check(field: str) -> int:
    """The ICAO 9303 check digit: weights 7, 3, 1 over digits, letters A=10..Z=35 and '<'=0.
    Written here apart from ``ocr.mrz.check_digit`` so that the truth does not share its bugs."""
    values = [int(c) if c.isdigit() else 0 if c == "<" else ord(c) - 55 for c in field]
    return sum(v * (7, 3, 1)[i % 3] for i, v in enumerate(values)) % 10


def _ascii(word: str) -> str:
    import unicodedata

    stripped = unicodedata.normalize("NFD", word.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in stripped if not unicodedata.combining(ch))


def _letter(ctx: Context) -> None:
    sheet, rng, p = ctx.sheet, ctx.rng, ctx.applicant
    fur.header(sheet)
    title = rng.choice(("ĐƠN ĐỀ NGHỊ", "ĐƠN XIN XÁC NHẬN", "BẢN CAM KẾT", "ĐƠN TRÌNH BÀY"))
    fur.title(
        sheet, title, rng.choice(((), ("(V/v xác nhận nơi cư trú)",), ("(V/v sửa chữa nhà ở)",)))
    )
    fur.addressee(sheet, [f"Ủy ban nhân dân {rng.choice(nm.WARDS)}"])
    ctx.rows(
        [
            ctx.row("Tôi tên là", Value(p.name, "")),
            ctx.row("Sinh ngày", nm.date_value(p.birth_date, rng)),
            ctx.row("residence", Value(p.address, "")),
        ],
        layout="dotted",
    )
    for sentence in prose.sentences(rng, prose.LETTER, 3, 6):
        sheet.paragraph(sentence)
    if ctx.target_pages >= 2:
        sheet.new_page()
        for sentence in prose.sentences(rng, prose.LETTER + prose.GUIDANCE, 4, 8):
            sheet.paragraph(sentence)
    sheet.paragraph("Tôi xin chân thành cảm ơn!")
    fur.place_date(sheet, ctx.place, ctx.day)
    fur.signature(sheet, [("Người làm đơn", "(Ký, ghi rõ họ tên)", p.name)])


def _authorisation(ctx: Context) -> None:
    sheet, rng, p = ctx.sheet, ctx.rng, ctx.applicant
    agent = nm.person(rng)
    fur.header(sheet)
    fur.title(sheet, "GIẤY ỦY QUYỀN")
    for heading, who in (("BÊN ỦY QUYỀN (Bên A):", p), ("BÊN ĐƯỢC ỦY QUYỀN (Bên B):", agent)):
        ctx.heading(heading)
        ctx.rows(
            [
                ctx.row("Họ và tên", Value(who.name, "")),
                ctx.row("Số CCCD", Value(who.cccd, "")),
                ctx.row("Địa chỉ", Value(who.address, "")),
            ]
        )
    ctx.heading("NỘI DUNG ỦY QUYỀN:")
    for sentence in prose.sentences(rng, prose.LETTER, 2, 4):
        sheet.paragraph(sentence)
    fur.place_date(sheet, ctx.place, ctx.day)
    fur.signature(
        sheet,
        [
            ("BÊN ỦY QUYỀN", "(Ký, ghi rõ họ tên)", p.name),
            ("BÊN ĐƯỢC ỦY QUYỀN", "(Ký, ghi rõ họ tên)", agent.name),
        ],
        mark=0,
    )


def _notice(ctx: Context) -> None:
    sheet, rng = ctx.sheet, ctx.rng
    ward = rng.choice(nm.WARDS)
    fur.header(
        sheet,
        agency=("UỶ BAN NHÂN DÂN", ward.upper()),
        doc_number=f"Số: {rng.randint(1, 999)}/TB-UBND",
    )
    fur.place_date(sheet, ctx.place, ctx.day)
    fur.title(
        sheet,
        "THÔNG BÁO",
        (rng.choice(("Về việc tiếp nhận hồ sơ trực tuyến", "Về lịch tiếp công dân")),),
    )
    for sentence in prose.sentences(rng, prose.GUIDANCE, 3, 6):
        sheet.paragraph(sentence)
    sheet.space(3)
    top = sheet.y
    sheet.line([("Nơi nhận:", "bold")], scale=0.85)
    for item in ("- Như trên;", "- Lưu: VT."):
        sheet.line([(item, "regular")], scale=0.8)
    sheet.y = top
    fur.signature(sheet, [("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", nm.person(rng).name)])


def _photo(ctx: Context) -> None:
    """A photograph printed on paper (site photo): smooth shapes, no text except a caption."""
    sheet, rng = ctx.sheet, ctx.rng
    gen = np.random.default_rng(rng.getrandbits(63))
    w, h = sheet.right - sheet.left, sheet.px(rng.uniform(110, 170))
    small = gen.normal(128, 45, (h // 40 + 2, w // 40 + 2)).clip(0, 255).astype(np.uint8)
    photo = Image.fromarray(small, "L").resize((w, h), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(photo)
    for _ in range(rng.randint(3, 8)):
        x0, y0 = rng.randint(0, w), rng.randint(0, h)
        draw.rectangle(
            (x0, y0, x0 + rng.randint(100, w // 2), y0 + rng.randint(100, h // 2)),
            fill=rng.randint(30, 220),
        )
    photo = photo.filter(ImageFilter.GaussianBlur(6))
    sheet.space(rng.uniform(10, 30))
    sheet.paste(photo, sheet.left)
    sheet.y += h + sheet.px(4)
    if rng.random() < 0.7:
        sheet.line(
            [
                (
                    rng.choice(
                        ("Ảnh hiện trạng công trình", "Hình ảnh thửa đất", "Ảnh chụp mặt tiền nhà")
                    ),
                    "italic",
                )
            ],
            align="center",
        )


BUILDERS: dict[str, Callable[[Context], None]] = {
    "id_card_copy": _id_card_copy,
    "other": lambda ctx: {
        "letter": _letter,
        "authorisation": _authorisation,
        "photo": _photo,
        "notice": _notice,
    }[ctx.layout](ctx),
}
