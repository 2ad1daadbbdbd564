"""Where the signatures go, following Decree 30/2020 on electronic documents.

* The officer's visible signature sits in the signature block, between the job title
  (e.g. "CHỦ TỊCH", "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC") and the signer's name, on the last page.
* The agency's seal signature sits at the top right of page 1.

Real forms come from many word processors, so the block is found from the text itself
(pdfium), honouring an empty signature field prepared by the author if there is one.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

import pypdfium2 as pdfium
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields

from signing.errors import InvalidPdfError

OFFICER_FIELD = "officer"
SEAL_FIELD = "seal"

OFFICER_BOX_SIZE = (200, 60)  # points: wide enough for a Vietnamese name and title
SEAL_BOX_SIZE = (180, 36)
MARGIN = 10


@dataclass(frozen=True)
class Placement:
    """A field name and, for a new field, its page (0-based) and box in PDF points."""

    field_name: str
    page: int = 0
    box: tuple[int, int, int, int] | None = None  # None: the field already exists


@dataclass(frozen=True)
class _Line:
    text: str
    left: float
    bottom: float
    right: float
    top: float


def _open(pdf: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise InvalidPdfError(f"not a readable PDF: {exc}") from exc


def _signature_fields(pdf: bytes) -> dict[str, bool]:
    """Signature field names → whether they are signed already."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        return {name: value is not None for name, value, _ in enumerate_sig_fields(reader)}
    except Exception as exc:  # pyHanko raises many types on odd files
        raise InvalidPdfError(f"not a readable PDF (form fields: {exc})") from exc


def empty_signature_fields(pdf: bytes) -> list[str]:
    """Names of unsigned signature fields the document's author prepared."""
    return [name for name, filled in _signature_fields(pdf).items() if not filled]


def _new_field_name(taken: dict[str, bool], base: str) -> str:
    """``base``, or ``base-2``, ... if a document is signed again (e.g. a re-issue)."""
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    return name


def _lines(page: pdfium.PdfPage) -> list[_Line]:
    textpage = page.get_textpage()
    lines: list[_Line] = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left, bottom, right, top).strip()
        if text:
            lines.append(_Line(unicodedata.normalize("NFC", text), left, bottom, right, top))
    # top to bottom, then left to right
    lines.sort(key=lambda ln: (-round(ln.bottom), ln.left))
    return lines


_TITLE_HINTS = re.compile(
    r"^(TM\.|KT\.|TL\.|TUQ\.|Q\.|CHỦ TỊCH|PHÓ CHỦ TỊCH|GIÁM ĐỐC|PHÓ GIÁM ĐỐC|TRƯỞNG|PHÓ TRƯỞNG|"
    r"CÔNG CHỨC|CÁN BỘ|NGƯỜI KÝ|THỦ TRƯỞNG|BỘ TRƯỞNG|CỤC TRƯỞNG|VỤ TRƯỞNG)"
)


def _is_title(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and bool(_TITLE_HINTS.match(text))


def _is_name(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters or any(c.isdigit() for c in text):
        return False
    words = text.split()
    return 2 <= len(words) <= 6 and all(w[0].isupper() for w in words if w[0].isalpha())


def officer_placement(pdf: bytes) -> Placement:
    """The officer's field: a prepared empty field, the title/name gap, or bottom right."""
    taken = _signature_fields(pdf)
    if taken.get(OFFICER_FIELD) is False:
        return Placement(OFFICER_FIELD)
    doc = _open(pdf)
    try:
        page_index = len(doc) - 1
        page = doc[page_index]
        width, _ = page.get_size()
        lines = [ln for ln in _lines(page) if (ln.left + ln.right) / 2 > width * 0.45]
    finally:
        doc.close()
    box_w, box_h = OFFICER_BOX_SIZE
    # lowest job title in the right half that has a name below it
    for i in range(len(lines) - 1, -1, -1):
        if not _is_title(lines[i].text):
            continue
        title = lines[i]
        # the title block may span two lines (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH)
        below = [ln for ln in lines if ln.top < title.bottom]
        while below and _is_title(below[0].text):
            title = below[0]
            below = below[1:]
        name = next((ln for ln in below if _is_name(ln.text)), None)
        if name is None:
            continue
        centre = (title.left + title.right) / 2
        gap_top, gap_bottom = title.bottom - 2, name.top + 2
        if gap_top - gap_bottom >= box_h:
            mid = (gap_top + gap_bottom) / 2
            bottom = mid - box_h / 2
        else:  # tight block: take the room that is there, never cover the name
            bottom = gap_bottom
            box_h = max(int(gap_top - gap_bottom), 24)
        left = min(max(centre - box_w / 2, MARGIN), width - MARGIN - box_w)
        return Placement(
            _new_field_name(taken, OFFICER_FIELD),
            page_index,
            (int(left), int(bottom), int(left + box_w), int(bottom + box_h)),
        )
    right = int(width) - 56
    box = (right - box_w, 90, right, 90 + box_h)
    return Placement(_new_field_name(taken, OFFICER_FIELD), page_index, box)


def seal_placement(pdf: bytes) -> Placement:
    """The agency seal's field: a prepared empty field or the top right corner of page 1."""
    taken = _signature_fields(pdf)
    if taken.get(SEAL_FIELD) is False:
        return Placement(SEAL_FIELD)
    doc = _open(pdf)
    try:
        width, height = doc[0].get_size()
    finally:
        doc.close()
    box_w, box_h = SEAL_BOX_SIZE
    right, top = int(width) - MARGIN, int(height) - MARGIN
    box = (right - box_w, top - box_h, right, top)
    return Placement(_new_field_name(taken, SEAL_FIELD), 0, box)
