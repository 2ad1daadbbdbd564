"""Page analysis on a ~100 dpi copy: lighting, ink threshold, borders, holes, skew, blankness.

Decisions are cheap at 100 dpi and transfer to full resolution as masks and angles.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

ANALYSIS_DPI = 100.0
_MM = 1 / 25.4  # inches per millimetre
_MIN_INK_THRESHOLD, _MAX_INK_THRESHOLD = 110, 200
_DARKEST_PAPER = 96  # background estimates darker than this are shadows/borders, not paper
# Text lines make one angle's profile stand out: printed pages 1.7-9.6 times the median angle's
# sharpness (40 synthetic scans, a sparse continuation page lowest), a photograph 1.05-1.25.
_MIN_LINE_PEAK = 1.4


@dataclass
class PageAnalysis:
    """What the small copy says about the page; full-resolution helpers use the same numbers."""

    dpi: float
    analysis_dpi: float
    background: np.ndarray  # paper brightness at analysis resolution (uint8)
    removal: np.ndarray  # 1 where a dark border or punch hole was found (analysis resolution)
    threshold: int  # normalised gray below this is ink
    quarter_turn: int  # 0 or 90: clockwise turn making text lines horizontal
    skew_degrees: float  # counter-clockwise deskew after the quarter turn
    blank: bool

    def normalize(self, gray: np.ndarray) -> np.ndarray:
        """Full-resolution gray divided by the paper brightness, borders and holes painted white."""
        size = (gray.shape[1], gray.shape[0])
        background = cv2.resize(self.background, size, interpolation=cv2.INTER_LINEAR)
        out = cv2.divide(gray, background, scale=255)
        if self.removal.any():
            mask = cv2.resize(self.removal, size, interpolation=cv2.INTER_NEAREST)
            out[mask > 0] = 255
        return out


def analyse(gray: np.ndarray, dpi: float) -> PageAnalysis:
    """Measure the page on a ~100 dpi copy (a few milliseconds for an A4 page)."""
    small = _shrink(gray, dpi / ANALYSIS_DPI)
    sdpi = dpi * small.shape[1] / gray.shape[1]
    background = _paper_brightness(small, sdpi)
    norm = cv2.divide(small, background, scale=255)
    otsu, _ = cv2.threshold(norm, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    threshold = int(min(_MAX_INK_THRESHOLD, max(_MIN_INK_THRESHOLD, otsu)))
    ink = (norm < threshold).astype(np.uint8)
    faint = (norm < min(235, threshold + 45)).astype(np.uint8)
    removal = _borders_and_holes(ink, faint, sdpi)
    ink[removal > 0] = 0
    boxes = _components(ink, sdpi)
    letters = _letters(boxes, sdpi)
    quarter_turn, skew = _text_direction(letters, small.shape, sdpi)
    return PageAnalysis(
        dpi=dpi,
        analysis_dpi=sdpi,
        background=background,
        removal=removal,
        threshold=threshold,
        quarter_turn=quarter_turn,
        skew_degrees=skew,
        blank=_is_blank(boxes, sdpi),
    )


def _shrink(gray: np.ndarray, factor: float) -> np.ndarray:
    """The page ``factor`` times smaller (INTER_AREA: each pixel the mean of its block).

    When the factor is a whole number (200, 300, 400, 600 dpi) OpenCV averages whole blocks,
    three times as fast as a fractional resize (4 ms instead of 14 for an A4 page at 300 dpi);
    the last rows and columns that make no whole block (under ``step`` pixels at the page
    edge) are then left out.
    """
    if factor <= 1.0:
        return gray
    step = round(factor)
    height, width = gray.shape[0] // step * step, gray.shape[1] // step * step
    if abs(factor - step) <= 0.05 * step and height and width:
        size, gray = (width // step, height // step), gray[:height, :width]
    else:
        size = (max(1, round(gray.shape[1] / factor)), max(1, round(gray.shape[0] / factor)))
    return cv2.resize(gray, size, interpolation=cv2.INTER_AREA)


def _paper_brightness(small: np.ndarray, dpi: float) -> np.ndarray:
    """Local paper brightness: a max filter wider than any letter stroke, on a 25 dpi copy."""
    factor = min(1.0, 25.0 / dpi)
    size = (max(1, round(small.shape[1] * factor)), max(1, round(small.shape[0] * factor)))
    tiny = cv2.resize(small, size, interpolation=cv2.INTER_AREA)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7))
    tiny = cv2.dilate(tiny, kernel)
    tiny = cv2.blur(tiny, (5, 5))
    tiny = np.maximum(tiny, _DARKEST_PAPER).astype(np.uint8)
    return cv2.resize(tiny, (small.shape[1], small.shape[0]), interpolation=cv2.INTER_LINEAR)


def _borders_and_holes(ink: np.ndarray, faint: np.ndarray, dpi: float) -> np.ndarray:
    """Solid dark areas touching the edge (scanner lid, shadows) and punch holes near an edge.

    ``faint`` is a lenient ink mask: the shadow ring of a hole scanned against a white lid is
    thin and light, and at analysis resolution it would break up under the text threshold.
    """
    px_per_mm = dpi * _MM
    k = max(3, round(2.5 * px_per_mm) | 1)
    solid = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    )
    h, w = ink.shape
    removal = np.zeros_like(ink)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(solid, connectivity=8)
    for i in range(1, count):
        x, y, bw, bh, _area = stats[i]
        touches_edge = x == 0 or y == 0 or x + bw == w or y + bh == h
        if touches_edge or (
            _near_edge_hole_size(x, y, bw, bh, w, h, px_per_mm)
            and _is_disc(labels[y : y + bh, x : x + bw] == i)
        ):
            removal[labels == i] = 1
    count, labels, stats, _ = cv2.connectedComponentsWithStats(faint, connectivity=8)
    for i in range(1, count):
        x, y, bw, bh, _area = stats[i]
        if _near_edge_hole_size(x, y, bw, bh, w, h, px_per_mm) and _is_ring(
            labels[y : y + bh, x : x + bw] == i
        ):
            removal[y : y + bh, x : x + bw] = 1
    if removal.any():
        grow = max(3, round(1.0 * px_per_mm) | 1)
        removal = cv2.dilate(removal, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (grow, grow)))
    return removal


def _near_edge_hole_size(
    x: int, y: int, bw: int, bh: int, w: int, h: int, px_per_mm: float
) -> bool:
    """Punch-hole sized (4.5-9.5 mm, round bounding box) with its centre within 20 mm of an edge."""
    if not (4.5 * px_per_mm <= min(bw, bh) and max(bw, bh) <= 9.5 * px_per_mm):
        return False
    if not 0.85 <= bw / bh <= 1.18:
        return False
    cx, cy = x + bw / 2, y + bh / 2
    return min(cx, cy, w - cx, h - cy) <= 20 * px_per_mm


def _radii(mask: np.ndarray) -> tuple[np.ndarray, float]:
    """Distances of a shape's pixels from its box centre, and the box's mean radius."""
    ys, xs = np.nonzero(mask)
    cy, cx = (mask.shape[0] - 1) / 2, (mask.shape[1] - 1) / 2
    return np.hypot(xs - cx, ys - cy), (mask.shape[0] + mask.shape[1]) / 4


def _is_disc(mask: np.ndarray) -> bool:
    """A filled circle: circle-like fill of its box and nothing outside the inscribed circle."""
    fill = mask.mean()
    distances, radius = _radii(mask)
    return 0.68 <= fill <= 0.88 and float(np.percentile(distances, 98)) <= 1.1 * radius


def _is_ring(mask: np.ndarray) -> bool:
    """A thin circle (a hole's shadow): every pixel at nearly the same distance from the centre.

    Letters that merge into a hole-sized blob at 100 dpi ("LÁ" in a header) fail this.
    """
    if mask.mean() > 0.45:
        return False
    distances, radius = _radii(mask)
    mean = float(distances.mean())
    return abs(mean - radius) <= 0.25 * radius and float(distances.std()) <= 0.15 * mean


def _components(ink: np.ndarray, dpi: float) -> np.ndarray:
    """Boxes (x, y, w, h, area) of every ink blob larger than a speck."""
    stats = cv2.connectedComponentsWithStats(ink, connectivity=8)[2][1:]
    px_per_mm = dpi * _MM
    keep = (stats[:, 4] >= 3) & (
        (stats[:, 2] >= 0.4 * px_per_mm) | (stats[:, 3] >= 0.4 * px_per_mm)
    )
    return stats[keep]


def _letters(boxes: np.ndarray, dpi: float) -> np.ndarray:
    """The letter-sized blobs: not rules, frames or pictures (they would blur line profiles)."""
    big = 30 * dpi * _MM
    return boxes[(boxes[:, 2] <= big) & (boxes[:, 3] <= big)]


def _text_direction(boxes: np.ndarray, shape: tuple[int, ...], dpi: float) -> tuple[int, float]:
    """(0 or 90 clockwise, deskew degrees) from the projection profile of letter centres."""
    if len(boxes) < 12:
        return 0, 0.0
    cx = boxes[:, 0] + boxes[:, 2] / 2.0
    cy = boxes[:, 1] + boxes[:, 3] / 2.0
    h = shape[0]
    score_h, angle_h, peak_h = _best_angle(cx, cy)
    # Turned 90 degrees clockwise, a point (x, y) goes to (h - 1 - y, x).
    score_v, angle_v, peak_v = _best_angle(h - 1 - cy, cx)
    if max(peak_h, peak_v) < _MIN_LINE_PEAK:
        return 0, 0.0  # blobs in no line at any angle (a photograph): nothing to straighten
    if score_v > 1.25 * score_h:
        return 90, angle_v
    return 0, angle_h


def _best_angle(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """The skew whose projection profile is sharpest, coarse to fine: its sharpness, the
    angle, and how far that sharpness stands above the median angle's (the peak)."""
    x = x - x.mean()
    coarse = np.arange(-15.0, 15.01, 0.5)
    scores = [_sharpness(x, y, a) for a in coarse]
    typical = float(np.median(scores))
    best = float(coarse[int(np.argmax(scores))])
    fine = np.arange(best - 0.5, best + 0.501, 0.05)
    scores = [_sharpness(x, y, a) for a in fine]
    i = int(np.argmax(scores))
    peak = float(scores[i]) / typical if typical > 0 else math.inf
    return float(scores[i]), round(float(fine[i]), 2), peak


def _sharpness(x: np.ndarray, y: np.ndarray, degrees: float) -> float:
    """Sum of squares of the smoothed histogram of y - x tan(angle): peaks when lines align."""
    offsets = y - x * math.tan(math.radians(degrees))
    bins = np.floor(offsets - offsets.min()).astype(np.int64)
    hist = np.bincount(bins).astype(np.float64)
    smooth = np.convolve(hist, (0.25, 0.5, 0.25), mode="same")
    return float(np.dot(smooth, smooth)) / (len(x) ** 2)


def _is_blank(boxes: np.ndarray, dpi: float) -> bool:
    """Nothing the size of a printed character (1.5 mm) or larger: the empty back of a sheet.

    Errs towards 'not blank': a lone page number, a signature or a hair is kept as content.
    """
    glyph = 1.5 * dpi * _MM
    return not bool(((boxes[:, 2] >= glyph) | (boxes[:, 3] >= glyph)).any())


def upright_evidence(binary: np.ndarray, dpi: float) -> tuple[float, int]:
    """((ink above the x-height band - ink below it) / all line ink, text lines measured).

    Latin script, and Vietnamese far more with its tone marks, carries more ink above the
    x-height band (capitals, ascenders, diacritics) than below it (descenders, the dot below):
    clearly positive reads upright, clearly negative upside down, near zero undecided (digits,
    capitals without marks: only a sliver of ink lies outside the band either way).
    """
    ink = binary < 128
    w = ink.shape[1]
    strips = max(1, round(w / (dpi * 2.0)))  # about 5 cm wide, so columns of a form split
    upper = lower = total = 0.0
    lines = 0
    min_line = max(3, round(dpi * 1.2 * _MM))
    max_line = round(dpi * 12 * _MM)
    for s in range(strips):
        rows = ink[:, s * w // strips : (s + 1) * w // strips].sum(axis=1)
        inked = rows > 0
        edges = np.flatnonzero(np.diff(np.concatenate(([0], inked.view(np.int8), [0]))))
        for top, bottom in zip(edges[::2], edges[1::2], strict=True):
            if not min_line <= bottom - top <= max_line:
                continue
            line = rows[top:bottom]
            lines += 1
            total += float(line.sum())
            core = np.flatnonzero(line >= 0.5 * line.max())
            upper += float(line[: core[0]].sum())
            lower += float(line[core[-1] + 1 :].sum())
    return (upper - lower) / max(total, 1.0), lines
