"""Prepare a scanned page for OCR: upright, deskewed, paper evened out to white, borders,
holes, specks and leaders gone, the ink left in its shades of gray.

The searchable PDF shows the scan itself, only turned upright and deskewed
(:func:`upright_image`); the cleaned copy (:attr:`CleanedPage.gray`) is what Tesseract reads.
Both show the same picture with nothing cropped, so a word box found in ``gray`` lands on the
page at ``box / scale``.

Everything that needs a decision (skew, line direction, borders, holes, blankness) is worked out
on a ~100 dpi copy; the full-resolution work is a handful of vectorised passes, so cleaning
costs a small fraction of Tesseract's own time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from ingest._layout import analyse, upright_evidence
from ingest._leaders import remove_leader_dots
from ingest._pixels import ocr_gray

_EVIDENCE_MARGIN = 0.025  # |ink balance| that decides up or down (text: 0.03-0.11)
_MIN_EVIDENCE_LINES = 3
_MIN_SKEW = 0.15  # degrees; below this a deskew changes nothing Tesseract would notice
_RESAMPLE_TOLERANCE = 0.12  # within 12% of the target dpi, pixels are left as scanned
_HALFTONE_AREA = 0.3  # share of a page in dithered tone that makes it halftoned (text: < 0.06)
#: The most a scan is enlarged for OCR and still read in its shades of gray: four holdout
#: batches scanned at 200 dpi (x1.5) read so got 97.6 % of their fields right against 93.2 %
#: thresholded, two at 150 dpi (x2) 97.1 % against 92.9 % (benchmarks/RESULTS.md, twelfth
#: session); a 100 dpi fax (x3) reads better thresholded.
_MAX_SHADED_SCALE = 2.1


class CleaningError(ValueError):
    """The page image is not something a scanner produces (wrong dtype, shape or dpi)."""


@dataclass
class CleanedPage:
    """The OCR copy of a page and the geometry that relates it to the original."""

    #: uint8 HxW, upright, deskewed, at ocr_dpi: ink in its shades and paper white, or black
    #: and white when enlarged from a coarse scan
    gray: np.ndarray
    ocr_dpi: float
    rotation: int  # clockwise degrees applied (0/90/180/270), before the deskew
    skew_degrees: float  # deskew applied after the rotation, counter-clockwise positive
    scale: float  # gray pixels per upright-original pixel
    blank: bool  # nothing but noise (the empty back of a duplex scan)


def clean_page(image: np.ndarray, dpi: float, *, target_dpi: float = 300) -> CleanedPage:
    """Make the OCR copy of one page (see the module docstring for what is done and why).

    Orientation: the direction of text lines (horizontal or vertical) comes from the projection
    profile that also gives the skew; upright versus upside down from the ink balance around
    the x-height band. A page whose balance is weak (an identity card: capitals and digits,
    little text) is left as the line direction makes it; the page stage reads it again turned
    half round when its text comes out as debris (``ingest.pipeline.reread_if_upside_down``).
    """
    gray = to_gray(image)
    if not (math.isfinite(dpi) and dpi > 0):
        raise CleaningError(f"page resolution must be a positive number of dpi, not {dpi!r}")
    gray = descreen(gray, dpi)
    scale = _ocr_scale(dpi, target_dpi)
    page = analyse(gray, dpi)
    rotation = page.quarter_turn
    skew = page.skew_degrees if abs(page.skew_degrees) >= _MIN_SKEW else 0.0
    shades = warp(page.normalize(gray), rotation, skew, scale, fill=255, area=True)
    binary = cv2.threshold(shades, page.threshold - 1, 255, cv2.THRESH_BINARY)[1]
    binary = _remove_specks(binary)
    remove_leader_dots(binary, dpi * scale)
    # shades interpolated up from a coarse scan carry nothing but blur: thresholded, the
    # enlarged strokes read better (a 100 dpi form: 4 of its 6 fields against none); from an
    # office scan at 150 or 200 dpi they still carry the strokes' edges
    shaded = scale <= _MAX_SHADED_SCALE
    out = _ink_in_shades(shades, binary, page.threshold) if shaded else binary
    if not page.blank and _upside_down(binary, dpi * scale):
        # Half a turn about the centre of the grown canvas is the same geometry as turning the
        # original by 180 degrees more before the same deskew.
        rotation = (rotation + 180) % 360
        out = np.ascontiguousarray(out[::-1, ::-1])
    return CleanedPage(
        gray=out,
        ocr_dpi=dpi * scale,
        rotation=rotation,
        skew_degrees=skew,
        scale=scale,
        blank=page.blank,
    )


def upright_image(image: np.ndarray, rotation: int, skew_degrees: float) -> np.ndarray:
    """The original page (colour kept, full resolution) turned and deskewed, white fill."""
    if image.dtype != np.uint8 or image.ndim not in (2, 3):
        raise CleaningError(f"expected a uint8 HxW or HxWx3 image, got {image.dtype} {image.shape}")
    return warp(image, rotation, skew_degrees, 1.0, fill=255, area=False)


def descreen(gray: np.ndarray, dpi: float) -> np.ndarray:
    """A 1-bit scan back in gray tones: halftone dots blurred into a tone, a plain black-and-
    white page's jagged strokes given soft edges; a gray or colour page unchanged (the same
    array).

    Tesseract's LSTM reads strokes from their shades (``_ink_in_shades``); the stair-stepped
    edges of a 1-bit scan, softened over about 1/400 inch, read better: two holdout batches
    scanned black-and-white got 94.8 % of their fields right against 93.1 % as scanned.

    A scanner's black-and-white mode dithers whatever is not white: a tinted form (pink land
    certificates, green or blue paper) or a photocopy's gray comes out as a field of dots over
    the whole page, which no threshold can separate from the text (Tesseract read nothing of
    such pages). Blurring the dots over about 1/150 inch turns them back into a tone, which the
    usual background levelling and threshold then remove. A page is halftoned when it is 1-bit
    (every pixel black or white: a scanner's black-and-white mode writes G4 or 1-bit PNG, never
    JPEG) and a good part of it has an ink density between text and paper at a scale of a few
    dots. The 1-bit test reads one pixel in 49, so a gray page costs nothing.
    """
    sample = gray[::7, ::7]
    if sample.size == 0 or np.count_nonzero((sample != 0) & (sample != 255)):
        return gray  # gray or colour (a clean gray scan is nearly two-toned, never exactly)
    ink = (gray < 128).view(np.uint8)
    window = max(3, round(dpi / 60))
    density = cv2.boxFilter(ink, cv2.CV_32F, (window, window), normalize=True)
    dotted = ((density > 0.1) & (density < 0.6)).mean()
    if dotted < _HALFTONE_AREA:
        return cv2.GaussianBlur(gray, (0, 0), dpi / 400)
    return cv2.GaussianBlur(gray, (0, 0), dpi / 150)


def to_gray(image: np.ndarray) -> np.ndarray:
    """uint8 gray view of a page image (RGB as :func:`ingest._pixels.ocr_gray` sees it: luma,
    red seals faded)."""
    if image.dtype != np.uint8:
        raise CleaningError(f"expected a uint8 image, got {image.dtype}")
    if image.ndim == 2:
        return image
    if image.ndim == 3 and image.shape[2] == 3:
        return ocr_gray(image)
    if image.ndim == 3 and image.shape[2] == 1:
        return image[:, :, 0]
    raise CleaningError(f"expected an HxW or HxWx3 image, got shape {image.shape}")


# --------------------------------------------------------------------------- geometry


def upright_shape(height: int, width: int, rotation: int, skew_degrees: float) -> tuple[int, int]:
    """(height, width) of :func:`upright_image`'s result: the page turned, same paper size.

    The deskew turns the content about the page centre and keeps the sheet's size (as scanners'
    own deskew, Acrobat and OCRmyPDF do), so an A4 scan stays an A4 page; only the outermost
    corners of the margin fall outside, and ``skew_degrees`` is a few degrees at most.
    """
    if rotation % 180 == 90:
        height, width = width, height
    return height, width


def upright_matrix(height: int, width: int, rotation: int, skew_degrees: float) -> np.ndarray:
    """3x3 matrix taking original pixel centres to :func:`upright_image` pixel centres."""
    rotation %= 360
    if rotation not in (0, 90, 180, 270):
        raise CleaningError(f"rotation must be 0, 90, 180 or 270 degrees, not {rotation}")
    turn = {
        0: [[1, 0, 0], [0, 1, 0]],
        90: [[0, -1, height - 1], [1, 0, 0]],
        180: [[-1, 0, width - 1], [0, -1, height - 1]],
        270: [[0, 1, 0], [-1, 0, width - 1]],
    }[rotation]
    matrix = np.vstack([np.array(turn, dtype=np.float64), [0.0, 0.0, 1.0]])
    if not skew_degrees:
        return matrix
    h1, w1 = (width, height) if rotation % 180 == 90 else (height, width)
    h2, w2 = upright_shape(height, width, rotation, skew_degrees)
    spin = cv2.getRotationMatrix2D(((w1 - 1) / 2, (h1 - 1) / 2), skew_degrees, 1.0)
    spin[0, 2] += (w2 - w1) / 2
    spin[1, 2] += (h2 - h1) / 2
    return np.vstack([spin, [0.0, 0.0, 1.0]]) @ matrix


def _scale_matrix(sx: float, sy: float) -> np.ndarray:
    """Resampling by (sx, sy) with pixel-centre alignment (what cv2.resize does)."""
    return np.array([[sx, 0, (sx - 1) / 2], [0, sy, (sy - 1) / 2], [0, 0, 1]], dtype=np.float64)


def warp(
    image: np.ndarray, rotation: int, skew_degrees: float, scale: float, *, fill: int, area: bool
) -> np.ndarray:
    """Turn, deskew and resample in as few full-resolution passes as possible.

    ``area`` allows a first INTER_AREA shrink when scaling well below 1 (sharper text than a
    bilinear warp, and the rotation then runs on fewer pixels).
    """
    if rotation % 360 not in (0, 90, 180, 270):
        raise CleaningError(f"rotation must be 0, 90, 180 or 270 degrees, not {rotation}")
    h, w = image.shape[:2]
    h2, w2 = upright_shape(h, w, rotation, skew_degrees)
    out_h, out_w = max(1, round(h2 * scale)), max(1, round(w2 * scale))
    turns = {0: 0, 90: -1, 180: 2, 270: 1}[rotation % 360]
    if not skew_degrees:
        src = image
        if scale != 1.0:
            size = (out_h, out_w) if turns % 2 else (out_w, out_h)
            method = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
            src = cv2.resize(image, size, interpolation=method)
        return np.ascontiguousarray(np.rot90(src, turns)) if turns else np.ascontiguousarray(src)
    matrix = _scale_matrix(out_w / w2, out_h / h2) @ upright_matrix(h, w, rotation, skew_degrees)
    src = image
    if area and scale < 0.8:
        small = (max(1, round(w * scale)), max(1, round(h * scale)))
        src = cv2.resize(image, small, interpolation=cv2.INTER_AREA)
        matrix = matrix @ np.linalg.inv(_scale_matrix(small[0] / w, small[1] / h))
    border = (fill, fill, fill) if image.ndim == 3 else fill
    return cv2.warpAffine(
        src,
        matrix[:2],
        (out_w, out_h),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=border,
    )


def _ocr_scale(dpi: float, target_dpi: float) -> float:
    """Resample only when the scan is clearly over- or under-resolved for OCR."""
    if target_dpi <= 0:
        raise CleaningError(f"target dpi must be positive, not {target_dpi!r}")
    if abs(dpi / target_dpi - 1) <= _RESAMPLE_TOLERANCE:
        return 1.0
    return target_dpi / dpi


# --------------------------------------------------------------------------- orientation


def _upside_down(binary: np.ndarray, dpi: float) -> bool:
    """Whether the cleaned page (text lines already horizontal) clearly reads upside down.

    The ink balance above and below the x-height band settles most pages in a few
    milliseconds. When it is weak the page is left as it is: Tesseract's OSD, which used to be
    asked then (0.15 CPU s, on about a third of the pages), never settled a page that the
    reading itself does not (measured on 98 synthetic pages, half of them turned, cards
    included), so the one fallback is the page stage's second reading of debris.
    """
    evidence, lines = upright_evidence(binary, dpi)
    return lines >= _MIN_EVIDENCE_LINES and evidence <= -_EVIDENCE_MARGIN


#: Normalised gray this far above the ink threshold is paper, painted white; between, the
#: soft edges of strokes are kept.
PAPER_MARGIN = 80


def _ink_in_shades(shades: np.ndarray, binary: np.ndarray, threshold: int) -> np.ndarray:
    """The OCR copy: the ink of ``binary`` (specks and leader dots gone) in the shades of gray
    it was scanned in, paper white.

    Tesseract's LSTM reads a line from its gray pixels when it is given them. The soft edges
    of a blurred stroke tell a "3" from a "5" and keep the small marks of "Ánh" and "Thư"
    that a threshold breaks or swallows: on 28 holdout batches, fields read right rose from
    94.6 % to 96.8 % (the same scans read both ways), at the same pages per second.
    """
    out = shades.copy()
    removed = (binary == 255) & (shades < threshold)  # a speck or leader dot taken out
    out[removed] = 255
    out[shades >= min(255, threshold + PAPER_MARGIN)] = 255
    return out


def _remove_specks(binary: np.ndarray) -> np.ndarray:
    """Whiten ink with at most 4 ink pixels in its 5x5 neighbourhood (dust, salt noise).

    At ~300 dpi a tone mark or the dot below is 10+ pixels and survives; hairlines lose a
    pixel or two at their ends.
    """
    ink = cv2.compare(binary, 0, cv2.CMP_EQ)  # 255 on ink
    count = cv2.boxFilter(ink, cv2.CV_16U, (5, 5), normalize=False, borderType=cv2.BORDER_CONSTANT)
    lonely = cv2.bitwise_and(cv2.compare(count, 4 * 255, cv2.CMP_LE), ink)
    return cv2.bitwise_or(binary, lonely, dst=binary)  # OpenCV's passes: half numpy's time
