"""How signatures and the verification QR code look on the page, in Vietnamese.

Every style embeds a subset of an OpenType font from the system (see :mod:`signing.fonts`):
pyHanko's default font cannot draw Vietnamese diacritics.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints, LayoutError
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.stamp import QRStamp, QRStampStyle, TextStamp, TextStampStyle

from signing.errors import InvalidPdfError, SigningError
from signing.fonts import find_font, vietnamese_subset
from signing.stampfont import CachedSubsetFactory

TIMESTAMP_FORMAT = "%H:%M:%S %d/%m/%Y (%:z)"
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
# what pyHanko hands the stamp: the signing time in the machine's zone, parsed back below
_MACHINE_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"

OFFICER_STAMP_TEXT = "Ký bởi: %(signer)s\nChức vụ: %(title)s\nThời gian ký: %(ts)s"
SEAL_STAMP_TEXT = "Cơ quan: %(signer)s\nThời gian ký: %(ts)s"
QR_STAMP_TEXT = "Tra cứu văn bản điện tử:\n%(url)s"


def time_zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` (e.g. "Asia/Ho_Chi_Minh"), or a :class:`SigningError`."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SigningError(
            f"unknown time zone {name!r} for the signature stamps; use an IANA name "
            f"such as {DEFAULT_TIMEZONE!r}"
        ) from None


@dataclass(frozen=True)
class ZonedTextStampStyle(TextStampStyle):
    """A text stamp that shows the signing time in a given zone, not the server's.

    pyHanko formats the time in the machine's local zone (often UTC on servers); the
    stamp of a Vietnamese result must read Vietnam time (+07:00).
    """

    display_timezone: str = DEFAULT_TIMEZONE
    display_format: str = TIMESTAMP_FORMAT
    timestamp_format: str = _MACHINE_TIME_FORMAT

    def create_stamp(
        self, writer: BasePdfFileWriter, box: BoxConstraints, text_params: dict
    ) -> TextStamp:
        params = dict(text_params or {})
        zone = time_zone(self.display_timezone)
        raw = params.get("ts")
        when = datetime.strptime(raw, self.timestamp_format) if raw else datetime.now(zone)
        params["ts"] = _strftime(when.astimezone(zone), self.display_format)
        return super().create_stamp(writer, box, params)


def _strftime(when: datetime, fmt: str) -> str:
    """``strftime`` that also knows ``%:z`` (+07:00), which Python has only from 3.12."""
    offset = when.strftime("%z")
    return when.strftime(fmt.replace("%:z", f"{offset[:3]}:{offset[3:]}" if offset else ""))


def _text_box(font_size: int, font_path: Path | None = None) -> TextBoxStyle:
    font_file = vietnamese_subset(font_path or find_font("sans"))
    font = CachedSubsetFactory(str(font_file), font_size=font_size)
    return TextBoxStyle(font=font, font_size=font_size)


def officer_stamp_style(
    signature_image: Path | None = None, timezone: str = DEFAULT_TIMEZONE
) -> TextStampStyle:
    """The officer's visible signature: signer, title, time, optional handwritten image."""
    background = None
    if signature_image is not None:
        try:
            background = PdfImage(str(signature_image))
        except (OSError, ValueError) as exc:
            raise SigningError(
                f"cannot use {signature_image} as signature image: {exc}; give a PNG or JPEG file"
            ) from exc
    time_zone(timezone)  # a bad name fails here, not at the first signature
    return ZonedTextStampStyle(
        stamp_text=OFFICER_STAMP_TEXT,
        text_box_style=_text_box(7),
        display_timezone=timezone,
        border_width=1,
        border_color=(0.8, 0.0, 0.0),
        background=background,
        background_opacity=0.35 if background is not None else 0.6,
    )


def seal_stamp_style(timezone: str = DEFAULT_TIMEZONE) -> TextStampStyle:
    """The agency seal's signature: text only, no image (top right of page 1)."""
    time_zone(timezone)  # a bad name fails here, not at the first signature
    return ZonedTextStampStyle(
        stamp_text=SEAL_STAMP_TEXT,
        text_box_style=_text_box(6),
        display_timezone=timezone,
        border_width=1,
        border_color=(0.8, 0.0, 0.0),
    )


def add_verification_qr(
    pdf: bytes,
    url: str,
    *,
    page: int = 0,
    x: int = 36,
    y: int = 24,
) -> bytes:
    """Stamp a QR code linking to ``url`` (with the address in words) on ``page``.

    Applied before any signature, as an incremental update, so that it is covered by them.
    Coordinates are PDF points from the bottom left corner.
    """
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except (PdfError, ValueError) as exc:
        raise InvalidPdfError(f"cannot add the QR code: not a readable PDF ({exc})") from exc
    style = QRStampStyle(
        stamp_text=QR_STAMP_TEXT,
        text_box_style=_text_box(6),
        border_width=0,
        qr_inner_size=56,
    )
    try:
        QRStamp(writer, url=url, style=style).apply(page, x, y)
    except (LayoutError, IndexError) as exc:
        raise SigningError(f"cannot place the QR code on page {page + 1}: {exc}") from exc
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
