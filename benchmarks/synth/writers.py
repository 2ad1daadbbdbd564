"""Write a batch the way scanners deliver it: image-only PDF, multi-page TIFF or loose images."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import img2pdf
from PIL import Image

TIFF_COMPRESSIONS = ("group4", "tiff_lzw", "jpeg")
IMAGE_FORMATS = {"jpeg": "jpg", "png": "png"}


class WriterError(ValueError):
    """The requested output cannot be written (unknown format, no pages)."""


def _check(pages: Sequence[Image.Image]) -> None:
    if not pages:
        raise WriterError("no pages to write")


def _bilevel(page: Image.Image) -> Image.Image:
    """Black-and-white scan mode: a fixed threshold, as simple scanners do."""
    return page.convert("L").point(lambda v: 255 if v > 150 else 0, mode="1")


def jpeg_bytes(page: Image.Image, dpi: int, quality: int = 85) -> bytes:
    """A page as a scanner's JPEG (grey stays grey), for :func:`write_pdf`."""
    buffer = io.BytesIO()
    page.convert("RGB" if page.mode == "RGB" else "L").save(
        buffer, "JPEG", quality=quality, dpi=(dpi, dpi)
    )
    return buffer.getvalue()


def write_pdf(
    pages: Sequence[Image.Image | bytes], path: str | Path, dpi: int, *, quality: int = 85
) -> Path:
    """An image-only PDF with one JPEG per page (what a scanner's "PDF" button produces).

    Pages may already be JPEG bytes (:func:`jpeg_bytes`), so big batches need not stay decoded.
    """
    _check(pages)
    blobs = [p if isinstance(p, bytes) else jpeg_bytes(p, dpi, quality) for p in pages]
    layout = img2pdf.get_fixed_dpi_layout_fun((dpi, dpi))
    path = Path(path)
    path.write_bytes(img2pdf.convert(blobs, layout_fun=layout))
    return path


def write_tiff(
    pages: Sequence[Image.Image], path: str | Path, dpi: int, compression: str = "group4"
) -> Path:
    """A multi-page TIFF; ``group4`` stores bilevel pages, the others keep grey or colour."""
    _check(pages)
    if compression not in TIFF_COMPRESSIONS:
        raise WriterError(
            f"TIFF compression must be one of {', '.join(TIFF_COMPRESSIONS)}, not {compression!r}"
        )
    frames = [
        _bilevel(p) if compression == "group4" else p.convert("RGB" if p.mode == "RGB" else "L")
        for p in pages
    ]
    path = Path(path)
    frames[0].save(
        path,
        format="TIFF",
        save_all=True,
        append_images=frames[1:],
        compression=compression,
        dpi=(dpi, dpi),
    )
    return path


def write_images(
    pages: Sequence[Image.Image], folder: str | Path, dpi: int, fmt: str = "jpeg"
) -> list[Path]:
    """One file per page, ``page-0001.jpg`` … in scan order."""
    _check(pages)
    if fmt not in IMAGE_FORMATS:
        raise WriterError(f"image format must be one of {', '.join(IMAGE_FORMATS)}, not {fmt!r}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for i, page in enumerate(pages, 1):
        target = folder / f"page-{i:04d}.{IMAGE_FORMATS[fmt]}"
        options = {"quality": 85} if fmt == "jpeg" else {}
        page.save(target, dpi=(dpi, dpi), **options)
        written.append(target)
    return written
