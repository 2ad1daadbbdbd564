"""Read scanner output (PDF, multi-page TIFF, JPEG, PNG) one page at a time.

``open_source`` checks a whole file cheaply from its headers, before any page is decoded, so a
bad file is refused with a clear message before work starts; ``read_page`` then decodes exactly
one page in a worker process. Memory stays at one decoded page however long the file is.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pikepdf
from PIL import Image, JpegImagePlugin, PngImagePlugin, TiffImagePlugin

from ingest._pdfpage import ImagePlan, RenderPlan, plan_page, render_plan
from ingest._pixels import (
    apply_orientation,
    assumed_a4_dpi,
    decode_luma,
    is_achromatic,
    pillow_pixel_limit,
    plausible_dpi,
    square_pixels,
    to_array,
)
from ingest._tiff import TiffPageInfo, TiffStructureError, read_tiff_pages
from ingest.errors import (
    CorruptFileError,
    DecompressionBombError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    IngestError,
    UnreadableFileError,
    UnsupportedFileError,
)

_SKIPPED_NAMES = {"thumbs.db", "desktop.ini"}
_SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


@dataclass(frozen=True)
class PageRef:
    """One page of one file: small and picklable, sent to worker processes."""

    path: Path
    index: int  # 0-based
    kind: str  # 'pdf' | 'tiff' | 'jpeg' | 'png'


@dataclass(frozen=True)
class SourceFile:
    """A scan file that passed the up-front checks."""

    path: Path
    kind: str
    page_count: int
    sha256: str


@dataclass
class ScanPage:
    """One decoded page as the scanner produced it."""

    image: np.ndarray  # uint8 HxW gray (bilevel pages as 0/255) or HxWx3 RGB
    dpi: float  # from the file, or inferred when missing or absurd
    bilevel: bool  # the source was 1-bit
    # The page's own JPEG stream, when the searchable PDF can show it as it is. ``image`` then
    # holds only the gray OCR reads (its luma, or red seals faded): the colour stays in these
    # bytes, and decoding the luma alone costs a third of a colour decode.
    jpeg: bytes | None = None


# --------------------------------------------------------------------------- paths


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, in order; folders replaced by their files, recursively, natural order.

    Hidden files and folders (a leading dot) and Windows' Thumbs.db/desktop.ini are skipped
    inside folders; a file named explicitly is always kept.
    """
    out: list[Path] = []
    for path in paths:
        path = Path(path)
        if not path.is_dir():
            out.append(path)
            continue
        found = [
            p
            for p in path.rglob("*")
            if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
            and p.name.lower() not in _SKIPPED_NAMES
        ]
        out.extend(sorted(found, key=lambda p: _natural_key(p.relative_to(path))))
    return out


def _natural_key(path: Path) -> list[tuple[int, int | str]]:
    """page2 before page10: digit runs compare as numbers, the rest case-insensitively."""
    key: list[tuple[int, int | str]] = []
    for part in path.parts:
        for chunk in re.split(r"(\d+)", part):
            if chunk:
                key.append((0, int(chunk)) if chunk.isdigit() else (1, chunk.casefold()))
        key.append((2, ""))  # folder boundary: 'a/x' sorts before 'a b/x'
    return key


# --------------------------------------------------------------------------- open


def sniff_kind(head: bytes) -> str | None:
    """The scan type from the first bytes, or None; file names are not trusted."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    return None


def _describe_unsupported(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        what = "a ZIP archive or an Office document (.docx/.xlsx)"
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        what = "an old Office document (.doc/.xls)"
    elif head.startswith((b"GIF87a", b"GIF89a")):
        what = "a GIF image"
    elif head.startswith(b"BM"):
        what = "a BMP image"
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        what = "a WebP image"
    elif head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        what = "a HEIC photo"
    elif all(32 <= c < 127 or c in (9, 10, 13) for c in head[:512]) or _is_utf8_text(head):
        what = "a text file"
    else:
        what = "an unknown type"
    return (
        f"this file is {what}, not a scan. Accepted: PDF, TIFF, JPEG, PNG. "
        "Export or scan the document again in one of these formats."
    )


def _is_utf8_text(head: bytes) -> bool:
    text = head[:512].decode("utf-8", errors="replace").rstrip("\ufffd")
    return bool(text) and all(ch.isprintable() or ch in "\t\r\n" for ch in text)


def open_source(path: Path, *, max_image_pixels: int, max_file_bytes: int) -> SourceFile:
    """Check a scan file up front (type, size, encryption, pages, every page's pixel count).

    Raises an :class:`~ingest.errors.IngestError` subclass whose message tells the clerk what
    to do; the file itself is never modified.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise UnreadableFileError(path, "this is a folder, not a file.")
        with path.open("rb") as fp:
            head = fp.read(1024)
    except FileNotFoundError as exc:
        raise UnreadableFileError(path, "the file does not exist (moved or renamed?).") from exc
    except PermissionError as exc:
        raise UnreadableFileError(
            path, "the file cannot be read: no permission. Ask the administrator to share it."
        ) from exc
    except OSError as exc:
        raise UnreadableFileError(path, f"the file cannot be read ({exc.strerror}).") from exc
    if size == 0:
        raise EmptyFileError(path, "the file is empty (0 bytes). Scan or copy it again.")
    if size > max_file_bytes:
        raise FileTooLargeError(
            path,
            f"the file is {_mb(size)}, more than the {_mb(max_file_bytes)} allowed. "
            "Split it into smaller files or scan at a lower resolution.",
            size=size,
            limit=max_file_bytes,
        )
    kind = sniff_kind(head)
    if kind is None:
        raise UnsupportedFileError(path, _describe_unsupported(head))
    checker = {"pdf": _check_pdf, "tiff": _check_tiff, "jpeg": _check_jpeg, "png": _check_png}
    page_count = checker[kind](path, size, max_image_pixels)
    return SourceFile(path=path, kind=kind, page_count=page_count, sha256=_sha256(path))


def page_refs(source: SourceFile) -> list[PageRef]:
    """One reference per page, in file order."""
    return [PageRef(source.path, i, source.kind) for i in range(source.page_count)]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fp:
        while chunk := fp.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n} bytes"


def _bomb(path: Path, where: str, width: int, height: int, limit: int) -> DecompressionBombError:
    pixels = width * height
    return DecompressionBombError(
        path,
        f"{where} claims {width} x {height} = {pixels:,} pixels, more than the {limit:,} allowed "
        "(a damaged or malicious file, or an absurd scan resolution). Rescan at 300 dpi.",
        pixels=pixels,
        limit=limit,
    )


def _corrupt(path: Path, detail: str) -> CorruptFileError:
    return CorruptFileError(
        path,
        f"the file is damaged or incomplete ({detail}). "
        "Copy it again from the scanner, or rescan the document.",
    )


def _check_pixels(path: Path, where: str, width: int, height: int, limit: int) -> None:
    if width <= 0 or height <= 0:
        raise _corrupt(path, f"{where} has no width or height")
    if width * height > limit:
        raise _bomb(path, where, width, height, limit)


# --- PDF


def _open_pdf(path: Path) -> pikepdf.Pdf:
    try:
        return pikepdf.open(path)
    except pikepdf.PasswordError as exc:
        raise EncryptedFileError(
            path,
            "the PDF is protected by a password. Save an unprotected copy "
            "(or scan the paper again) and feed that.",
        ) from exc
    except (pikepdf.PdfError, OSError, ValueError, RuntimeError) as exc:
        raise _corrupt(path, f"not a readable PDF: {exc}") from exc


def _check_pdf(path: Path, size: int, limit: int) -> int:
    with path.open("rb") as fp:
        fp.seek(max(0, size - 2048))
        tail = fp.read()
    if b"%%EOF" not in tail:
        raise _corrupt(path, "the PDF ends abruptly, it was cut off")
    with _open_pdf(path) as pdf:
        try:
            pages = list(pdf.pages)
        except (pikepdf.PdfError, RuntimeError, ValueError) as exc:
            raise _corrupt(path, f"its page tree is broken: {exc}") from exc
        if not pages:
            raise EmptyFileError(path, "the PDF has no pages. Scan the document again.")
        for number, page in enumerate(pages, start=1):
            try:
                plan = plan_page(page)
            except (pikepdf.PdfError, RuntimeError, ValueError, TypeError, KeyError) as exc:
                raise _corrupt(path, f"page {number} cannot be read: {exc}") from exc
            _check_pixels(path, f"page {number}", plan.width, plan.height, limit)
        return len(pages)


# --- TIFF


def _tiff_pages(path: Path, size: int) -> list[TiffPageInfo]:
    try:
        with path.open("rb") as fp:
            return read_tiff_pages(fp, size)
    except (TiffStructureError, OSError, ValueError) as exc:  # struct.error is a ValueError
        raise _corrupt(path, str(exc)) from exc


def _check_tiff(path: Path, size: int, limit: int) -> int:
    pages = _tiff_pages(path, size)
    if not pages:
        raise EmptyFileError(path, "the TIFF has no pages. Scan the document again.")
    for number, info in enumerate(pages, start=1):
        _check_pixels(path, f"page {number}", info.width, info.height, limit)
        if info.data_end > size:
            raise _corrupt(path, f"page {number}'s image data is missing; the file was cut off")
    return len(pages)


# --- JPEG and PNG


def _jpeg_size(path: Path) -> tuple[int, int]:
    """Width and height from the JPEG frame header, without decoding."""
    with path.open("rb") as fp:
        data = fp.read(2)
        while True:
            byte = fp.read(1)
            while byte and byte != b"\xff":
                byte = fp.read(1)
            while byte == b"\xff":
                byte = fp.read(1)
            if not byte:
                raise ValueError("no frame header")
            marker = byte[0]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                continue
            length_bytes = fp.read(2)
            if len(length_bytes) < 2:
                raise ValueError("cut off inside a header")
            length = int.from_bytes(length_bytes, "big")
            if marker in _SOF_MARKERS:
                data = fp.read(5)
                if len(data) < 5:
                    raise ValueError("cut off inside the frame header")
                return int.from_bytes(data[3:5], "big"), int.from_bytes(data[1:3], "big")
            if marker in (0xD9, 0xDA):
                raise ValueError("image data before any frame header")
            fp.seek(length - 2, io.SEEK_CUR)


def _check_jpeg(path: Path, size: int, limit: int) -> int:
    try:
        width, height = _jpeg_size(path)
    except ValueError as exc:
        raise _corrupt(path, f"JPEG {exc}") from exc
    _check_pixels(path, "the image", width, height, limit)
    with path.open("rb") as fp:
        fp.seek(max(0, size - 4096))
        tail = fp.read()
    if b"\xff\xd9" not in tail:
        raise _corrupt(path, "the JPEG ends abruptly, it was cut off")
    return 1


def _check_png(path: Path, size: int, limit: int) -> int:
    with path.open("rb") as fp:
        head = fp.read(33)
        fp.seek(max(0, size - 12))
        tail = fp.read()
    if len(head) < 24 or head[12:16] != b"IHDR":
        raise _corrupt(path, "the PNG header is missing")
    width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    _check_pixels(path, "the image", width, height, limit)
    if b"IEND" not in tail:
        raise _corrupt(path, "the PNG ends abruptly, it was cut off")
    return 1


# --------------------------------------------------------------------------- read


def read_page(ref: PageRef, *, max_image_pixels: int) -> ScanPage:
    """Decode one page (and only that page) of a file that passed :func:`open_source`."""
    try:
        if ref.kind == "pdf":
            return _read_pdf_page(ref, max_image_pixels)
        if ref.kind == "tiff":
            return _read_tiff_page(ref, max_image_pixels)
        if ref.kind in ("jpeg", "png"):
            return _read_single_image(ref, max_image_pixels)
    except FileNotFoundError as exc:
        raise UnreadableFileError(ref.path, "the file disappeared while being read.") from exc
    raise UnsupportedFileError(ref.path, f"unknown page kind {ref.kind!r}.")


def _decode_error(ref: PageRef, exc: Exception) -> IngestError:
    text = str(exc)
    if "not available" in text or "unsupported" in text.lower():
        return UnsupportedFileError(
            ref.path,
            f"page {ref.index + 1} uses a compression this system cannot decode ({text}). "
            "Rescan with standard settings (TIFF LZW/G4 or PDF).",
        )
    return _corrupt(ref.path, f"page {ref.index + 1} cannot be decoded: {text}")


def _page_dpi(stated: tuple[float, float] | None, image: np.ndarray) -> tuple[np.ndarray, float]:
    h, w = image.shape[:2]
    if plausible_dpi(stated, w, h) is not None and stated is not None:
        x, y = (_snap(float(v)) for v in (stated[0], stated[1] or stated[0]))
        return square_pixels(image, x, y)
    return image, assumed_a4_dpi(w, h)


def _snap(dpi: float) -> float:
    """150.0124 (PNG stores pixels per metre) is 150."""
    return float(round(dpi)) if abs(dpi - round(dpi)) < 0.05 else dpi


def _read_single_image(ref: PageRef, limit: int) -> ScanPage:
    size = ref.path.stat().st_size
    (_check_jpeg if ref.kind == "jpeg" else _check_png)(ref.path, size, limit)
    raw = ref.path.read_bytes()
    page = _decode_single_image(ref, raw, limit, luma_only=ref.kind == "jpeg")
    if page is None:  # the JPEG cannot be shown as it is: decode its colours
        page = _decode_single_image(ref, raw, limit, luma_only=False)
    assert page is not None
    return page


def _decode_single_image(
    ref: PageRef, raw: bytes, limit: int, *, luma_only: bool
) -> ScanPage | None:
    """The page, or None when ``luma_only`` was asked of a JPEG that cannot be kept as it is."""
    plugin = JpegImagePlugin.JpegImageFile if ref.kind == "jpeg" else PngImagePlugin.PngImageFile
    try:
        with pillow_pixel_limit(limit):
            im = plugin(io.BytesIO(raw))
            orientation = int(im.getexif().get(0x0112, 1) or 1)
            keep_jpeg = ref.kind == "jpeg" and orientation == 1 and im.mode in ("L", "RGB")
            if luma_only and not keep_jpeg:
                return None
            if luma_only:
                array, bilevel = decode_luma(im, raw), False
            else:
                im.load()
                array, bilevel = to_array(im)
        stated = im.info.get("dpi")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _decode_error(ref, exc) from exc
    if orientation in (5, 6, 7, 8) and stated:
        stated = (stated[1], stated[0])
    array = np.ascontiguousarray(apply_orientation(array, orientation))
    image, dpi = _page_dpi(stated, array)
    keep_jpeg = keep_jpeg and image is array
    if luma_only and not keep_jpeg:
        return None
    return ScanPage(image=image, dpi=dpi, bilevel=bilevel, jpeg=raw if keep_jpeg else None)


def _read_tiff_page(ref: PageRef, limit: int) -> ScanPage:
    size = ref.path.stat().st_size
    pages = _tiff_pages(ref.path, size)
    if ref.index >= len(pages):
        raise _corrupt(ref.path, f"page {ref.index + 1} is missing; the file changed")
    info = pages[ref.index]
    _check_pixels(ref.path, f"page {ref.index + 1}", info.width, info.height, limit)
    try:
        with ref.path.open("rb") as fp, pillow_pixel_limit(limit):
            im = TiffImagePlugin.TiffImageFile(fp)
            im.seek(ref.index)
            im.load()
            array, bilevel = to_array(im)
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        raise _decode_error(ref, exc) from exc
    stated = info.dpi
    if info.orientation in (5, 6, 7, 8) and stated:
        stated = (stated[1], stated[0])
    array = np.ascontiguousarray(apply_orientation(array, info.orientation))
    image, dpi = _page_dpi(stated, array)
    return ScanPage(image=image, dpi=dpi, bilevel=bilevel, jpeg=None)


def _read_pdf_page(ref: PageRef, limit: int) -> ScanPage:
    with _open_pdf(ref.path) as pdf:
        try:
            page = pdf.pages[ref.index]
            plan = plan_page(page)
        except (IndexError, pikepdf.PdfError, RuntimeError, ValueError, TypeError) as exc:
            raise _corrupt(ref.path, f"page {ref.index + 1} cannot be read: {exc}") from exc
        _check_pixels(ref.path, f"page {ref.index + 1}", plan.width, plan.height, limit)
        if isinstance(plan, ImagePlan):
            scan = _extract_pdf_image(plan, limit)
            if scan is not None:
                return scan
            plan = render_plan(page)
            _check_pixels(ref.path, f"page {ref.index + 1}", plan.width, plan.height, limit)
    return _render_pdf_page(ref, plan)


def _extract_pdf_image(plan: ImagePlan, limit: int) -> ScanPage | None:
    """The page's image at native resolution, or None when only a renderer can decode it."""
    kept = _kept_pdf_jpeg(plan, limit)
    if kept is not None:
        return kept
    try:
        pdf_image = pikepdf.PdfImage(plan.image)
        with pillow_pixel_limit(limit):
            im = pdf_image.as_pil_image()
            im.load()
        array, bilevel = to_array(im)
    except Exception:  # any decoder gap (JBIG2, exotic colour space) means: render instead
        return None
    if array.shape[:2] != (plan.height, plan.width):
        return None
    if plan.transpose:
        array = array.swapaxes(0, 1)
    if plan.flip_rows:
        array = array[::-1]
    if plan.flip_cols:
        array = array[:, ::-1]
    if plan.rotate:
        array = np.rot90(array, -plan.rotate // 90)
    dpi_x, dpi_y = (
        (plan.dpi_y, plan.dpi_x) if plan.rotate in (90, 270) else (plan.dpi_x, plan.dpi_y)
    )
    array = np.ascontiguousarray(array)
    image, dpi = square_pixels(array, dpi_x, dpi_y)
    if plausible_dpi((dpi, dpi), image.shape[1], image.shape[0]) is None:
        dpi = assumed_a4_dpi(image.shape[1], image.shape[0])
    jpeg = None
    filters = plan.image.get("/Filter")
    if (
        plan.untouched
        and image is array
        and _only_dct(filters)
        and im.mode in ("L", "RGB")
        and "/Decode" not in plan.image
    ):
        jpeg = plan.image.read_raw_bytes()
    return ScanPage(image=image, dpi=dpi, bilevel=bilevel, jpeg=jpeg)


def _kept_pdf_jpeg(plan: ImagePlan, limit: int) -> ScanPage | None:
    """A page that is one upright plain JPEG, its bytes kept and only its luma decoded; None
    for anything else (the general path decodes it)."""
    stream = plan.image
    colour_space = str(stream.get("/ColorSpace"))
    if not (
        plan.untouched
        and _only_dct(stream.get("/Filter"))
        and "/Decode" not in stream
        and colour_space in ("/DeviceGray", "/DeviceRGB")
    ):
        return None
    raw = stream.read_raw_bytes()
    try:
        with pillow_pixel_limit(limit):
            im = JpegImagePlugin.JpegImageFile(io.BytesIO(raw))  # the header: mode and size
            if im.mode not in ("L", "RGB") or im.size != (plan.width, plan.height):
                return None
            gray = decode_luma(im, raw)
    except Exception:  # a broken stream: the general path reports or renders it
        return None
    image, dpi = square_pixels(gray, plan.dpi_x, plan.dpi_y)
    if image is not gray:
        return None  # resampled to square pixels: the JPEG is not this image any more
    if plausible_dpi((dpi, dpi), image.shape[1], image.shape[0]) is None:
        dpi = assumed_a4_dpi(image.shape[1], image.shape[0])
    return ScanPage(image=np.ascontiguousarray(image), dpi=dpi, bilevel=False, jpeg=raw)


def _only_dct(filters: object) -> bool:
    if isinstance(filters, pikepdf.Array):
        return [str(f) for f in filters] == ["/DCTDecode"]
    return str(filters) == "/DCTDecode"


def _render_pdf_page(ref: PageRef, plan: RenderPlan) -> ScanPage:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(ref.path))
    except pdfium.PdfiumError as exc:
        raise _corrupt(ref.path, f"the PDF cannot be rendered: {exc}") from exc
    try:
        page = document[ref.index]
        try:
            bitmap = page.render(
                scale=plan.dpi / 72, rev_byteorder=True, fill_color=(255, 255, 255, 255)
            )
            rgb = bitmap.to_numpy()[:, :, :3].copy()
        finally:
            page.close()
    except pdfium.PdfiumError as exc:
        raise _corrupt(ref.path, f"page {ref.index + 1} cannot be rendered: {exc}") from exc
    finally:
        document.close()
    if is_achromatic(rgb):
        return ScanPage(image=np.ascontiguousarray(rgb[..., 0]), dpi=plan.dpi, bilevel=False)
    return ScanPage(image=rgb, dpi=plan.dpi, bilevel=False)
