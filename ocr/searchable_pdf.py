"""Searchable PDFs: the scan as the page, the OCR text invisible on top, pages merged as PDF/A-2b.

Two stages so a process pool can do the heavy part per page: ``write_page_pdf`` turns one page
(image + words) into a one-page PDF in a spool folder; ``assemble_pdf`` merges a document's
pages in order. Both write to a temporary file beside the target and rename it into place, so
a crash or bad input never leaves a half-written PDF behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pikepdf

from ocr._page_image import EncodedImage, ImageEncodingError, encode_image, jpeg_passthrough
from ocr._pdfa import mark_pdfa, set_document_info
from ocr._text_layer import FONT_NAME, GLYPHLESS_BASEFONT, glyphless_font, text_operators
from ocr.text import PageText

__all__ = ["Placement", "SearchablePdfError", "assemble_pdf", "write_page_pdf"]

_IMAGE_NAME = "/Im0"


class SearchablePdfError(Exception):
    """A searchable PDF could not be written; nothing was left at the target path."""


@contextlib.contextmanager
def _scratch(folder: Path, name: str) -> Iterator[Path]:
    """A hidden temporary file in ``folder`` (same file system as the target), always removed."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, path = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
    os.close(handle)
    try:
        yield Path(path)
    finally:
        Path(path).unlink(missing_ok=True)


@contextlib.contextmanager
def _atomic_target(out: Path) -> Iterator[Path]:
    """A temporary path beside ``out`` that replaces ``out`` only if the block succeeds."""
    with _scratch(out.parent, out.name) as temporary:
        yield temporary
        os.replace(temporary, out)


def _page_image(
    image: np.ndarray | None, jpeg: bytes | None, bilevel: bool, jpeg_quality: int
) -> EncodedImage:
    try:
        if jpeg is not None:
            encoded = jpeg_passthrough(jpeg)
            if image is not None and image.shape[:2] != (encoded.height, encoded.width):
                raise SearchablePdfError(
                    f"JPEG bytes are {encoded.width}x{encoded.height} px but the page image is "
                    f"{image.shape[1]}x{image.shape[0]}: pass jpeg= only for the untouched original"
                )
            return encoded
        if image is None:
            raise SearchablePdfError("write_page_pdf needs the page image or its JPEG bytes")
        return encode_image(image, bilevel=bilevel, jpeg_quality=jpeg_quality)
    except ImageEncodingError as exc:
        raise SearchablePdfError(str(exc)) from exc


@dataclass(frozen=True)
class Placement:
    """Where the scan lies on an upright page: the page is ``width`` x ``height`` pixels at the
    scan's dpi, and ``matrix`` (2x3) takes scan pixel centres to page pixel centres.

    Turning and deskewing the scan this way costs the PDF reader a transform instead of costing
    us a resampling and a JPEG re-encoding per page, and the scan's own JPEG bytes are kept:
    no generation loss.
    """

    matrix: np.ndarray
    width: int
    height: int


def write_page_pdf(
    out: Path,
    *,
    image: np.ndarray | None,
    dpi: float,
    text: PageText,
    text_scale: float = 1.0,
    jpeg: bytes | None = None,
    bilevel: bool = False,
    jpeg_quality: int = 85,
    placement: Placement | None = None,
) -> None:
    """Write a one-page PDF: ``image`` on the page, ``text``'s words invisible over it.

    ``image`` is HxW gray or HxWx3 RGB uint8 at ``dpi`` (the page measures pixels / dpi). It
    fills the page, or with ``placement`` is drawn turned onto an upright page of that size
    (white where the turned scan does not reach, as a deskew fills it).
    Word boxes are in the OCR image's pixels: ``text_scale`` OCR pixels per page pixel.
    ``jpeg``: the original JPEG bytes, embedded untouched instead of re-encoding ``image``.
    ``bilevel``: store the image 1-bit (CCITT G4); otherwise JPEG at ``jpeg_quality``.
    """
    if not dpi or dpi <= 0 or dpi != dpi:
        raise SearchablePdfError(f"Page resolution must be a positive dpi, got {dpi}")
    if not text_scale or text_scale <= 0 or text_scale != text_scale:
        raise SearchablePdfError(f"text_scale must be positive, got {text_scale}")
    encoded = _page_image(image, jpeg, bilevel, jpeg_quality)
    points_per_pixel = 72.0 / dpi
    size = (encoded.width, encoded.height) if placement is None else placement_size(placement)
    width_pt, height_pt = size[0] * points_per_pixel, size[1] * points_per_pixel
    out = Path(out)
    with pikepdf.new() as pdf:
        page = pdf.add_blank_page(page_size=(width_pt, height_pt))
        page.Resources = pikepdf.Dictionary(
            XObject=pikepdf.Dictionary({_IMAGE_NAME: encoded.to_stream(pdf)})
        )
        ctm = _image_matrix(encoded, placement, points_per_pixel, width_pt, height_pt)
        content = f"q {ctm} cm {_IMAGE_NAME} Do Q\n".encode()
        layer = text_operators(text, scale=points_per_pixel / text_scale, page_height=height_pt)
        if layer:
            page.Resources.Font = pikepdf.Dictionary({FONT_NAME: glyphless_font(pdf)})
            content += layer
        page.Contents = pdf.make_stream(content)
        with _atomic_target(out) as temporary:
            pdf.save(temporary)


def placement_size(placement: Placement) -> tuple[int, int]:
    """(width, height) of the page in pixels, refused when it cannot be a page."""
    matrix = np.asarray(placement.matrix, dtype=np.float64)
    if matrix.shape != (2, 3) or not np.isfinite(matrix).all() or not np.linalg.det(matrix[:, :2]):
        raise SearchablePdfError(f"placement matrix must be an invertible 2x3 affine, got {matrix}")
    if placement.width < 1 or placement.height < 1:
        raise SearchablePdfError(
            f"placement page must be at least 1x1 pixels, got {placement.width}x{placement.height}"
        )
    return placement.width, placement.height


def _image_matrix(
    encoded: EncodedImage,
    placement: Placement | None,
    points_per_pixel: float,
    width_pt: float,
    height_pt: float,
) -> str:
    """The ``cm`` operands that draw the image's unit square where ``placement`` puts it."""
    if placement is None:
        return f"{width_pt:.4f} 0 0 {height_pt:.4f} 0 0"
    w, h = encoded.width, encoded.height
    # Unit square (first sample row at the top, v = 1) -> scan pixel edges -> pixel centres ->
    # page pixel centres -> page pixel edges -> PDF points (origin bottom left).
    unit_to_edges = np.array([[w, 0, 0], [0, -h, h], [0, 0, 1]], dtype=np.float64)
    to_centres = np.array([[1, 0, -0.5], [0, 1, -0.5], [0, 0, 1]], dtype=np.float64)
    place = np.vstack([np.asarray(placement.matrix, dtype=np.float64), [0, 0, 1]])
    to_edges = np.array([[1, 0, 0.5], [0, 1, 0.5], [0, 0, 1]], dtype=np.float64)
    k = points_per_pixel
    to_points = np.array([[k, 0, 0], [0, -k, height_pt], [0, 0, 1]], dtype=np.float64)
    t = to_points @ to_edges @ place @ to_centres @ unit_to_edges
    return " ".join(f"{v:.6f}" for v in (t[0, 0], t[1, 0], t[0, 1], t[1, 1], t[0, 2], t[1, 2]))


def assemble_pdf(
    pages: Sequence[Path],
    out: Path,
    *,
    pdfa: bool = True,
    title: str | None = None,
    language: str = "vi-VN",
) -> None:
    """Merge one-page PDFs into ``out`` in order, as PDF/A-2b unless ``pdfa`` is false.

    Page images are never loaded: libqpdf's page job (``qpdf --empty --pages``) streams them
    from the page files (6 MB peak for 94 MB of images, where copying pages between pikepdf
    documents held them all in memory), and only the small document-level objects are then
    edited. The glyphless font is stored once. If any page is unreadable, raises
    :class:`SearchablePdfError` and leaves ``out`` as it was.
    """
    paths = [Path(p).resolve() for p in pages]
    if not paths:
        raise SearchablePdfError(f"No pages to assemble into {out}")
    for number, path in enumerate(paths, start=1):
        _check_page_file(path, number, len(paths))
    out = Path(out)
    with _scratch(out.parent, out.name) as merged, _atomic_target(out) as temporary:
        job = pikepdf.Job(["qpdf", "--empty", "--pages", *map(str, paths), "--", str(merged)])
        job.run()
        if job.exit_code != 0:
            raise SearchablePdfError(
                f"qpdf could not merge {len(paths)} pages into {out} (exit {job.exit_code}); "
                "nothing was written"
            )
        with pikepdf.open(merged) as pdf:
            shared_font: pikepdf.Object | None = None
            for page in pdf.pages:
                shared_font = _share_font(page, shared_font)
            set_document_info(pdf, title=title, language=language)
            if pdfa:
                mark_pdfa(pdf)
            pdf.save(temporary, min_version="1.7")  # PDF/A-2 is PDF 1.7


def _check_page_file(path: Path, number: int, count: int) -> None:
    """Refuse an unreadable page with its position, before merging (qpdf would try repairs)."""
    try:
        with pikepdf.open(path) as page_pdf:
            if len(page_pdf.pages) < 1:
                raise SearchablePdfError(f"Page {number} of {count} ({path}) has no page")
    except (OSError, pikepdf.PdfError) as exc:
        raise SearchablePdfError(
            f"Page {number} of {count} ({path}) is not a readable PDF: {exc}; nothing was written"
        ) from exc


def _share_font(page: pikepdf.Page, shared: pikepdf.Object | None) -> pikepdf.Object | None:
    """Point the page at the document's one glyphless font; the first page's copy becomes it."""
    fonts = page.obj.get("/Resources", {}).get("/Font")
    if fonts is None or FONT_NAME not in fonts:
        return shared
    font = fonts[FONT_NAME]
    if font.get("/BaseFont") != GLYPHLESS_BASEFONT:
        return shared
    if shared is None:
        return font
    fonts[FONT_NAME] = shared
    return shared
