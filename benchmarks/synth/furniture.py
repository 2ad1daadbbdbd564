"""The furniture every Vietnamese administrative paper carries, in its common variants.

National motto header (with or without an agency block), title, "Kính gửi", the place-and-date
line, signature blocks with a handwritten scribble, footnotes, and the reception receipt's QR code.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import qrcode
from PIL import Image

from benchmarks.synth.names import place_date_line
from benchmarks.synth.sheet import Segment, Sheet

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTOS = ("Độc lập - Tự do - Hạnh phúc", "Độc lập – Tự do – Hạnh phúc")


def header(
    sheet: Sheet,
    *,
    agency: Sequence[str] = (),
    form_no: str | None = None,
    doc_number: str | None = None,
) -> None:
    """Motto block (right, or centred without an agency) and the agency block on the left."""
    rng = sheet.rng
    motto = rng.choice(MOTTOS)
    if form_no:
        sheet.line(
            [(form_no, rng.choice(("bold", "italic", "regular")))], align="right", scale=0.85
        )
    right_block: list[tuple[Sequence[Segment], float]] = [
        ([(NATION, "bold")], 0.92),
        ([(motto, "bold")], 0.98),
    ]
    if not agency:
        sheet.line(right_block[0][0], align="center", scale=right_block[0][1])
        sheet.line(right_block[1][0], align="center", scale=right_block[1][1])
        _underline(sheet, motto, (sheet.left, sheet.right))
        sheet.space(4)
        return
    mid = sheet.left + round((sheet.right - sheet.left) * 0.40)
    left_block: list[tuple[Sequence[Segment], float]] = [
        ([(a, "bold" if i else "regular")], 0.92) for i, a in enumerate(agency)
    ]
    if doc_number:
        left_block.append(([(doc_number, "regular")], 0.92))
    sheet.columns(
        [left_block, right_block],
        [(sheet.left - sheet.px(12), mid), (mid, sheet.right + sheet.px(5))],
    )
    _underline(
        sheet,
        motto,
        (mid, sheet.right + sheet.px(5)),
        rows_up=max(0, len(left_block) - len(right_block)),
    )
    sheet.space(5)


def _underline(sheet: Sheet, text: str, bounds: tuple[int, int], rows_up: int = 0) -> None:
    width = sheet.font("bold", 0.98).getlength(text)
    centre = sum(bounds) / 2
    y = sheet.y - rows_up * sheet.line_height(0.92) - sheet.line_height() // 6
    sheet.draw.line([(centre - width / 2, y), (centre + width / 2, y)], fill=0, width=3)


def title(sheet: Sheet, text: str, subtitles: Sequence[str] = ()) -> None:
    sheet.space(3)
    for part in sheet.wrap(text, sheet.right - sheet.left - sheet.px(10), "bold", 1.12):
        sheet.line([(part, "bold")], align="center", scale=1.12)
    for sub in subtitles:
        sheet.line([(sub, "italic")], align="center", scale=0.92)
    sheet.space(3)


def addressee(sheet: Sheet, recipients: Sequence[str]) -> None:
    """ "Kính gửi: ..." — one recipient inline, several as an indented list."""
    if len(recipients) == 1:
        for part in sheet.wrap(
            f"Kính gửi: {recipients[0]}", sheet.right - sheet.left - sheet.px(25)
        ):
            sheet.line([(part, "regular")], indent=sheet.px(25))
    else:
        sheet.line([("Kính gửi:", "regular")], indent=sheet.px(25))
        for r in recipients:
            sheet.line([(f"- {r}", "regular")], indent=sheet.px(40))
    sheet.space(2)


def place_date(sheet: Sheet, place: str, day: dt.date, *, align: str = "right") -> None:
    text = place_date_line(place, day)
    if sheet.rng.random() < 0.3:  # "ngày 05 tháng 07" with leading zeros
        text = f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"
    lo = (sheet.left + sheet.right) // 2 - sheet.px(15) if align == "right" else sheet.left
    sheet.line([(text, "italic")], align="center", x0=lo)


def signature(sheet: Sheet, blocks: Sequence[tuple[str, str, str]], *, mark: int = -1) -> None:
    """Signature blocks (title, note, name) side by side; a scribble between note and name.

    ``mark`` selects the block whose signature an official seal would overlap.
    """
    height = sheet.line_height() * 3 + sheet.px(24)
    sheet.need(height)
    n = len(blocks)
    if n == 1:
        bounds = [((sheet.left + sheet.right) // 2 - sheet.px(10), sheet.right)]
    else:
        step = (sheet.right - sheet.left) // n
        bounds = [(sheet.left + i * step, sheet.left + (i + 1) * step) for i in range(n)]
    top = sheet.y
    lowest = top
    for k, ((head, note, name), (lo, hi)) in enumerate(zip(blocks, bounds, strict=True)):
        sheet.y = top
        for part in sheet.wrap(head, hi - lo, "bold"):
            sheet.line([(part, "bold")], align="center", x0=lo, x1=hi)
        if note:
            sheet.line([(note, "italic")], align="center", x0=lo, x1=hi, scale=0.9)
        centre = ((lo + hi) // 2, sheet.y + sheet.px(10))
        _scribble(sheet, centre)
        if k == (mark % n):
            sheet.mark_signature(*centre)
        sheet.y += sheet.px(22)
        sheet.line([(name, "bold")], align="center", x0=lo, x1=hi)
        lowest = max(lowest, sheet.y)
    sheet.y = lowest + sheet.px(3)


def _scribble(sheet: Sheet, centre: tuple[int, int]) -> None:
    """A pen signature: a few loops and a flourish, never recorded as text."""
    rng = sheet.rng
    cx, cy = centre
    w, h = sheet.px(rng.uniform(18, 30)), sheet.px(rng.uniform(5, 9))
    points = []
    loops = rng.uniform(2, 4)
    phase = rng.uniform(0, math.pi)
    for i in range(80):
        t = i / 79
        x = cx - w / 2 + w * t
        y = cy + h / 2 * math.sin(2 * math.pi * loops * t + phase) * (1 - 0.5 * t)
        points.append((x, y + rng.uniform(-1, 1)))
    sheet.draw.line(points, fill=rng.randint(10, 70), width=max(2, sheet.px(0.35)), joint="curve")
    sheet.draw.line(
        [(cx - w / 2, cy + h * 0.7), (cx + w / 2, cy + h * 0.3)],
        fill=rng.randint(10, 70),
        width=max(2, sheet.px(0.3)),
    )


def footnotes(sheet: Sheet, notes: Sequence[str]) -> None:
    """Small print at the end of a form, after a short rule."""
    if not notes:
        return
    sheet.space(3)
    sheet.need(sheet.line_height(0.8) * 2)
    sheet.draw.line([(sheet.left, sheet.y), (sheet.left + sheet.px(50), sheet.y)], fill=0, width=2)
    sheet.space(1)
    for note in notes:
        sheet.paragraph(note, scale=0.8, first_indent_mm=0)


def qr_image(payload: str, size_px: int) -> Image.Image:
    """The QR code of a dossier code, scaled with whole modules to about ``size_px``."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, box_size=1)
    code.add_data(payload)
    code.make(fit=True)
    modules = code.modules_count + 4
    box = max(3, size_px // modules)
    code.box_size = box
    return code.make_image(fill_color="black", back_color="white").get_image().convert("L")


def place_qr(
    sheet: Sheet, payload: str, *, where: str, size_mm: float, caption: bool = True
) -> None:
    """Put the QR code at the top left/right (moving the cursor below it) or at the cursor."""
    image = qr_image(payload, sheet.px(size_mm))
    sheet.need(image.height + sheet.line_height())
    x = sheet.left if where.endswith("left") else sheet.right - image.width
    sheet.paste(image, x)
    sheet.y += image.height
    if caption:
        sheet.line(
            [(payload, "regular")],
            scale=0.7,
            x0=x - sheet.px(20),
            x1=x + image.width + sheet.px(20),
            align="center",
        )
    sheet.space(2)
