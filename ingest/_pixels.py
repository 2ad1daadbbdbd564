"""Turn whatever Pillow decoded into the two shapes the pipeline handles (gray or RGB, 8 bits),
and a colour page into the gray OCR reads."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from PIL import Image

A4_LONG_SIDE_INCHES = 297 / 25.4
_MIN_DPI, _MAX_DPI = 60.0, 2400.0
_PIL_LIMIT_LOCK = threading.Lock()


@contextmanager
def pillow_pixel_limit(limit: int) -> Iterator[None]:
    """Let a page that already passed our own size check through Pillow's global guard.

    Pillow's ``MAX_IMAGE_PIXELS`` (89 Mpx by default) would refuse pages our configured limit
    accepts; it is raised, never lowered, and only while one decode runs.
    """
    with _PIL_LIMIT_LOCK:
        saved = Image.MAX_IMAGE_PIXELS
        if saved is not None:
            Image.MAX_IMAGE_PIXELS = max(saved, limit)
        try:
            yield
        finally:
            Image.MAX_IMAGE_PIXELS = saved


def jpeg_luma(raw: bytes, size: tuple[int, int]) -> np.ndarray | None:
    """The luma of a complete JPEG of ``size`` (width, height), decoded by OpenCV straight into
    an array: the same pixels as Pillow's ``draft("L")`` in 40 % of its time (Pillow copies
    the image out twice). Orientation tags are ignored, as a PDF viewer ignores them.

    None when the stream lacks its end-of-image marker (libjpeg would fill a truncated file
    with gray where Pillow reports it) or does not decode to ``size``: the caller then decodes
    with Pillow, which names what is wrong.
    """
    import cv2

    if not raw.rstrip(b"\x00\t\n\r ").endswith(b"\xff\xd9"):
        return None
    flags = cv2.IMREAD_GRAYSCALE | cv2.IMREAD_IGNORE_ORIENTATION
    gray = cv2.imdecode(np.frombuffer(raw, np.uint8), flags)
    if gray is None or gray.shape != (size[1], size[0]):
        return None
    return gray


def decode_luma(im: Image.Image, raw: bytes) -> np.ndarray:
    """The gray OCR reads of the JPEG ``raw`` whose header Pillow read as ``im``: its luma, by
    :func:`jpeg_luma`, or by Pillow when that declines (Pillow's errors then say what is wrong
    with the file); a colour page with red ink on it is decoded whole for :func:`ocr_gray`."""
    if im.mode == "RGB" and _red_ink_in_thumbnail(raw, im.size):
        im.load()
        return ocr_gray(np.asarray(im))
    gray = jpeg_luma(raw, im.size)
    if gray is None:
        im.draft("L", im.size)
        im.load()
        gray = np.asarray(im.convert("L"))
    return gray


#: How far a pixel's red must stand above its green and blue for it to be red ink (an official
#: seal, a "received" stamp): black text, gray paper, a cream or yellow tint and JPEG's colour
#: fringes stay well below.
RED_INK_MARGIN = 30
#: Share of a page's pixels that must be red ink before the page is decoded in colour.
_RED_INK_SHARE = 0.0005
#: A seal's smaller side, against the page's shorter side, at least (a 33 mm seal on A4: 16 %)
#: and its sides' ratio at most: red titles and lines of red text are far flatter.
_SEAL_MIN_SIDE = 0.06
_SEAL_MAX_ASPECT = 2.5
#: Shorter side of the copy seals are looked for on.
_SEAL_SEARCH_SIDE = 400


def ocr_gray(rgb: np.ndarray) -> np.ndarray:
    """The gray Tesseract reads of a colour page: luma, except that the red ink of seals reads
    as its red channel, in which it is nearly as light as the paper.

    Official seals are stamped in red across the signature, the signed name and often the
    lines above them; in luma their rings and letters are as dark as text and Tesseract
    garbles every word they cross. In the red channel the seal fades while the black text
    under it stays black. Red ink that is not seal-shaped (a card's red title, a red heading)
    keeps its luma: it may be the very words that say what the document is.
    """
    import cv2

    luma = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    step = max(1, min(rgb.shape[:2]) // 256)
    if not _red_ink(rgb[::step, ::step]).any():
        return luma
    red = _red_ink(rgb)
    for top, bottom, left, right in _seal_boxes(red):
        box = (slice(top, bottom), slice(left, right))
        np.copyto(luma[box], rgb[(*box, 0)], where=red[box] > 0)
    return luma


def _red_ink(rgb: np.ndarray) -> np.ndarray:
    """uint8 mask, 255 where a pixel is red ink."""
    import cv2

    red, green, blue = cv2.split(np.ascontiguousarray(rgb))
    excess = cv2.subtract(red, cv2.max(green, blue))
    return cv2.threshold(excess, RED_INK_MARGIN, 255, cv2.THRESH_BINARY)[1]


def _seal_boxes(red: np.ndarray) -> list[tuple[int, int, int, int]]:
    """(top, bottom, left, right) around each seal-sized, roughly round or square shape of
    ``red`` ink (a seal's letters and star joined to its rings first)."""
    import cv2

    height, width = red.shape
    factor = max(1, min(height, width) // _SEAL_SEARCH_SIDE)
    size = (max(1, width // factor), max(1, height // factor))
    small = cv2.resize(red, size, interpolation=cv2.INTER_AREA)  # any red: thin rings kept
    small = cv2.dilate((small > 0).view(np.uint8), np.ones((5, 5), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(small, connectivity=8)
    least = _SEAL_MIN_SIDE * min(small.shape)
    return [
        (y * factor, (y + h + 1) * factor, x * factor, (x + w + 1) * factor)
        for x, y, w, h, _ in stats[1:count]
        if min(w, h) >= least and max(w, h) <= _SEAL_MAX_ASPECT * min(w, h)
    ]


def _red_ink_in_thumbnail(raw: bytes, size: tuple[int, int]) -> bool:
    """Whether a colour JPEG shows red ink, judged on its 1/8 scale decode (the DC coefficients
    alone: a few per cent of a full decode)."""
    try:
        thumb = Image.open(io.BytesIO(raw))
        thumb.draft("RGB", (max(1, size[0] // 8), max(1, size[1] // 8)))
        rgb = np.asarray(thumb.convert("RGB"))
    except (OSError, SyntaxError, ValueError):
        return False  # the full decode reports what is wrong with the file
    return float(np.count_nonzero(_red_ink(rgb))) >= _RED_INK_SHARE * rgb.shape[0] * rgb.shape[1]


def to_array(im: Image.Image) -> tuple[np.ndarray, bool]:
    """Pillow image -> (uint8 HxW gray or HxWx3 RGB, was the source 1-bit)."""
    mode = im.mode
    if mode == "1":
        return np.asarray(im.convert("L")), True
    if mode == "L":
        return np.asarray(im), False
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        wide = np.asarray(im)
        if mode == "I" and wide.size and int(wide.max()) <= 255:
            return wide.astype(np.uint8), False
        return (wide.astype(np.uint32) >> 8).clip(0, 255).astype(np.uint8), False
    if mode == "F":
        values = np.asarray(im, dtype=np.float32)
        low, high = float(values.min()), float(values.max())
        span = (high - low) or 1.0
        return ((values - low) * (255.0 / span)).astype(np.uint8), False
    if mode in ("P", "PA"):
        im = im.convert("RGBA" if ("transparency" in im.info or mode == "PA") else "RGB")
        mode = im.mode
    if mode in ("LA", "La", "RGBA", "RGBa", "PA"):
        base = Image.new("RGB" if mode.startswith("RGB") else "L", im.size, "white")
        base.paste(im.convert("RGBA" if mode.startswith("RGB") else "LA"), mask=im.getchannel("A"))
        im = base
        mode = im.mode
        if mode == "L":
            return np.asarray(im), False
    if mode != "RGB":
        im = im.convert("RGB")  # CMYK, YCbCr, LAB, HSV, RGBX
    rgb = np.asarray(im)
    if is_achromatic(rgb):
        return np.ascontiguousarray(rgb[:, :, 0]), False
    return rgb, False


def is_achromatic(rgb: np.ndarray) -> bool:
    """A colour-typed image whose channels are identical (palette grays, gray saved as RGB)."""
    step_y, step_x = max(1, rgb.shape[0] // 64), max(1, rgb.shape[1] // 64)
    return _same_channels(rgb[::step_y, ::step_x]) and _same_channels(rgb)


def _same_channels(rgb: np.ndarray) -> bool:
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    return bool(np.array_equal(r, g) and np.array_equal(g, b))


def apply_orientation(image: np.ndarray, orientation: int) -> np.ndarray:
    """Apply an EXIF/TIFF Orientation value (1-8) so the array shows the page as stored upright."""
    if orientation == 2:
        return image[:, ::-1]
    if orientation == 3:
        return image[::-1, ::-1]
    if orientation == 4:
        return image[::-1]
    if orientation == 5:
        return image.swapaxes(0, 1)
    if orientation == 6:
        return np.rot90(image, -1)
    if orientation == 7:
        return image[::-1, ::-1].swapaxes(0, 1)
    if orientation == 8:
        return np.rot90(image, 1)
    return image


def plausible_dpi(stated: tuple[float, float] | None, width: int, height: int) -> float | None:
    """The stated resolution if it describes a document-sized page, else None (infer instead).

    72 and 96 dpi are what software writes when it does not know; believed only when the page
    they imply is no larger than A3.
    """
    if not stated:
        return None
    x, y = float(stated[0]), float(stated[1] or stated[0])
    if not (_MIN_DPI <= x <= _MAX_DPI and _MIN_DPI <= y <= _MAX_DPI):
        return None
    dpi = max(x, y)
    long_side_inches = max(width, height) / dpi
    if round(dpi) in (72, 96) and long_side_inches > 17.0:
        return None
    if long_side_inches > 50.0 or long_side_inches < 1.0:
        return None
    return dpi


def assumed_a4_dpi(width: int, height: int) -> float:
    """Resolution that makes the page's long side A4's, kept within scanner range."""
    return float(min(1200.0, max(100.0, max(width, height) / A4_LONG_SIDE_INCHES)))


def square_pixels(image: np.ndarray, dpi_x: float, dpi_y: float) -> tuple[np.ndarray, float]:
    """Resample anisotropic scans (fax 204x98 dpi) to square pixels at the higher resolution."""
    if abs(dpi_x - dpi_y) <= 0.01 * max(dpi_x, dpi_y):
        return image, max(dpi_x, dpi_y)
    import cv2

    dpi = max(dpi_x, dpi_y)
    h, w = image.shape[:2]
    size = (round(w * dpi / dpi_x), round(h * dpi / dpi_y))
    return cv2.resize(image, size, interpolation=cv2.INTER_NEAREST), dpi
