"""Turn whatever Pillow decoded into the two shapes the pipeline handles: gray or RGB, 8 bits."""

from __future__ import annotations

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
    """The luma of the JPEG ``raw`` whose header Pillow read as ``im``: by :func:`jpeg_luma`,
    or by Pillow when that declines (Pillow's errors then say what is wrong with the file)."""
    gray = jpeg_luma(raw, im.size)
    if gray is None:
        im.draft("L", im.size)
        im.load()
        gray = np.asarray(im.convert("L"))
    return gray


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
