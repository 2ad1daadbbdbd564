"""Make a clean render look like a page from an office scanner, reproducibly.

The order follows the physics: things on the paper (tint, seal, punch holes) first, then the paper
lying skewed on the glass with the dark lid around it, uneven lamp light, optics (blur, lower
optical resolution), sensor noise, the page fed upside down or sideways, and JPEG last.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw

from benchmarks.synth import typefaces as fontlib

PROFILES = ("clean", "typical", "harsh")
_SEAL_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


class UnknownProfileError(ValueError):
    """The degradation profile is not one of :data:`PROFILES`."""


@dataclass(slots=True)
class Degradation:
    """What was done to a page; stored in the truth so failures can be explained."""

    profile: str
    skew_degrees: float = 0.0  # counter-clockwise, before any 90° rotation
    rotation: int = 0  # 0/90/180/270: clockwise turn of the page as scanned
    noise: float = 0.0  # Gaussian sigma in grey levels
    salt_pepper: float = 0.0  # fraction of pixels flipped to black or white
    blur: float = 0.0  # Gaussian sigma in pixels at the output dpi
    jpeg_quality: int = 0  # 0: no JPEG artefacts
    dark_border: list[str] = field(default_factory=list)  # sides with the scanner lid showing
    punch_holes: bool = False
    stamp: bool = False
    uneven_light: float = 0.0  # strength of a lamp gradient, 0..1
    paper_tint: tuple[int, int, int] | None = None
    downscale_dpi: int = 0  # optical resolution actually captured (0: full)
    dpi: int = 300


_RANGES = {  # profile -> probabilities and ranges
    "clean": dict(
        skew=(0.0, 0.5),
        rot=0.0,
        noise=(0, 2),
        sp=0.0,
        blur=(0, 0.3),
        jpeg=(88, 95),
        border=0.0,
        holes=0.0,
        stamp=0.0,
        light=0.0,
        tint=0.0,
        down=0.0,
    ),
    "typical": dict(
        skew=(0.5, 3.0),
        rot=0.12,
        noise=(2, 8),
        sp=0.3,
        blur=(0, 0.9),
        jpeg=(60, 90),
        border=0.3,
        holes=0.25,
        stamp=0.35,
        light=0.4,
        tint=0.3,
        down=0.15,
    ),
    "harsh": dict(
        skew=(2.0, 7.0),
        rot=0.3,
        noise=(6, 16),
        sp=0.8,
        blur=(0.6, 1.6),
        jpeg=(35, 65),
        border=0.7,
        holes=0.5,
        stamp=0.6,
        light=0.8,
        tint=0.6,
        down=0.4,
    ),
}


def plan(rng: random.Random, profile: str, dpi: int) -> Degradation:
    """Draw the degradation parameters for one page."""
    if profile not in _RANGES:
        raise UnknownProfileError(f"unknown profile {profile!r}; use one of {', '.join(PROFILES)}")
    r = _RANGES[profile]
    d = Degradation(profile=profile, dpi=dpi)
    d.skew_degrees = round(rng.uniform(*r["skew"]) * rng.choice((-1, 1)), 2)
    if rng.random() < r["rot"]:
        d.rotation = rng.choice((90, 180, 180, 270))
    d.noise = round(rng.uniform(*r["noise"]), 1)
    d.salt_pepper = round(rng.uniform(0.0002, 0.002), 5) if rng.random() < r["sp"] else 0.0
    d.blur = round(rng.uniform(*r["blur"]), 2)
    d.jpeg_quality = rng.randint(*r["jpeg"])
    if rng.random() < r["border"]:
        d.dark_border = sorted(rng.sample(["top", "bottom", "left", "right"], rng.randint(1, 3)))
    d.punch_holes = rng.random() < r["holes"]
    d.stamp = rng.random() < r["stamp"]
    d.uneven_light = round(rng.uniform(0.1, 0.35), 2) if rng.random() < r["light"] else 0.0
    if rng.random() < r["tint"]:
        d.paper_tint = (rng.randint(235, 250), rng.randint(228, 245), rng.randint(205, 235))
    if rng.random() < r["down"]:
        d.downscale_dpi = rng.choice((150, 200)) if dpi > 200 else 150
    return d


def degrade(
    image: Image.Image,
    rng: random.Random,
    *,
    profile: str = "typical",
    dpi: int = 300,
    stamp_at: tuple[int, int] | None = None,
    no_stamp: bool = False,
) -> tuple[Image.Image, Degradation]:
    """A scanned-looking copy of ``image`` (same dpi) and the parameters used.

    ``stamp_at`` is where a red seal is centred (a signature); without it the lower right quarter.
    ``no_stamp`` keeps seals off pages that must stay blank. Returns "L" unless a tint or a
    seal made the page colour ("RGB").
    """
    d = plan(rng, profile, dpi)
    d.stamp = d.stamp and not no_stamp
    gen = np.random.default_rng(rng.getrandbits(63))
    colour = d.paper_tint is not None or d.stamp
    page = np.asarray(image.convert("RGB" if colour else "L"), dtype=np.uint8).copy()
    h, w = page.shape[:2]
    if d.paper_tint is not None:
        page = cv2.multiply(page, np.array([*d.paper_tint, 0], dtype=np.float64) / 255.0)
    if d.stamp:
        cx, cy = stamp_at or (int(w * rng.uniform(0.55, 0.8)), int(h * rng.uniform(0.6, 0.85)))
        cx += rng.randint(-dpi // 4, dpi // 4)
        cy += rng.randint(-dpi // 6, dpi // 6)
        stamp_seal(page, rng, (cx, cy), round(dpi * rng.uniform(1.3, 1.65)))  # 33–42 mm
    if d.punch_holes:
        radius = round(dpi * 3 / 25.4)
        x = round(dpi * rng.uniform(9, 13) / 25.4)
        gap = round(dpi * 80 / 25.4)
        for y in (h // 2 - gap // 2, h // 2 + gap // 2):
            cv2.circle(page, (x, y), radius, (25, 25, 25) if colour else 25, -1, cv2.LINE_AA)
    lid = 20 if d.dark_border else 255
    if abs(d.skew_degrees) > 0.01:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), d.skew_degrees, 1.0)
        fill = (lid, lid, lid) if colour else lid
        page = cv2.warpAffine(
            page,
            m,
            (w, h),
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=fill,
        )
    for side in d.dark_border:
        _lid_edge(page, rng, side, dpi)
    if d.uneven_light:
        page = _light(page, rng, d.uneven_light)
    if d.downscale_dpi:
        f = d.downscale_dpi / dpi
        small = cv2.resize(
            page, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA
        )
        page = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    if d.blur > 0.05:
        page = cv2.GaussianBlur(page, (0, 0), d.blur)
    if d.noise > 0:
        noise = np.empty(page.shape[:2], dtype=np.int16)
        cv2.setRNGSeed(int(gen.integers(0, 2**31 - 1)))  # cv2's generator is fast; seeded per page
        cv2.randn(noise, 0, d.noise)
        page = cv2.add(page, cv2.merge([noise] * 3) if colour else noise, dtype=cv2.CV_8U)
    if d.salt_pepper:
        count = int(d.salt_pepper * h * w)
        ys, xs = gen.integers(0, h, count), gen.integers(0, w, count)
        page[ys[: count // 2], xs[: count // 2]] = 0
        page[ys[count // 2 :], xs[count // 2 :]] = 255
    if d.rotation:
        page = cv2.rotate(
            page,
            {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}[
                d.rotation
            ],
        )
    result = Image.fromarray(page, "RGB" if colour else "L")
    if d.jpeg_quality:
        buffer = io.BytesIO()
        result.save(buffer, "JPEG", quality=d.jpeg_quality)
        result = Image.open(io.BytesIO(buffer.getvalue()))
        result.load()
    result.info["dpi"] = (dpi, dpi)
    return result, d


def _lid_edge(page: np.ndarray, rng: random.Random, side: str, dpi: int) -> None:
    """A ragged dark band where the scanner lid shows past the paper edge."""
    h, w = page.shape[:2]
    length = w if side in ("top", "bottom") else h
    depth = rng.uniform(0.004, 0.025) * (h if side in ("top", "bottom") else w)
    wobble = np.cumsum(np.random.default_rng(rng.getrandbits(32)).normal(0, 0.6, length // 8 + 2))
    profile = np.clip(depth + np.repeat(wobble, 8)[:length], 0, depth * 3).astype(int)
    value = rng.randint(10, 45)
    for i in range(0, length, 4):
        d = profile[i]
        if d <= 0:
            continue
        if side == "top":
            page[:d, i : i + 4] = value
        elif side == "bottom":
            page[h - d :, i : i + 4] = value
        elif side == "left":
            page[i : i + 4, :d] = value
        else:
            page[i : i + 4, w - d :] = value


def _light(page: np.ndarray, rng: random.Random, strength: float) -> np.ndarray:
    """Multiply by a smooth lamp gradient (darker on one side, a little vignetting)."""
    h, w = page.shape[:2]
    gy, gx = np.mgrid[0:32, 0:24].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    ramp = np.cos(angle) * gx / 23 + np.sin(angle) * gy / 31
    ramp = (ramp - ramp.min()) / max(1e-6, float(ramp.max() - ramp.min()))
    gain = ((1.0 - strength * ramp) * 255).astype(np.uint8)
    gain = cv2.resize(gain, (w, h), interpolation=cv2.INTER_LINEAR)
    if page.ndim == 3:
        gain = cv2.merge([gain] * 3)
    return cv2.multiply(page, gain, scale=1 / 255)


def stamp_seal(
    page: np.ndarray, rng: random.Random, centre: tuple[int, int], diameter: int
) -> None:
    """A red round official seal (double ring, text around, star) multiplied over the page."""
    size = diameter + 8
    seal = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(seal)
    c = size / 2
    r = diameter / 2
    ring = max(3, diameter // 60)
    draw.ellipse((c - r, c - r, c + r, c + r), outline=255, width=ring)
    draw.ellipse(
        (c - r * 0.66, c - r * 0.66, c + r * 0.66, c + r * 0.66),
        outline=255,
        width=max(2, ring // 2),
    )
    star = fontlib.load(_SEAL_FONT, round(diameter * 0.22))
    draw.text((c, c), "★", font=star, fill=255, anchor="mm")
    text = rng.choice(("ỦY BAN NHÂN DÂN", "UBND PHƯỜNG", "CÔNG AN", "BỘ PHẬN MỘT CỬA"))
    letters = f"{text} * {rng.choice(('HÀ NỘI', 'ĐÀ NẴNG', 'NGHỆ AN', 'CẦN THƠ'))} *"
    glyph_font = fontlib.load(_SEAL_FONT, max(8, round(diameter * 0.085)))
    for i, ch in enumerate(letters):
        a = -math.pi / 2 + 2 * math.pi * i / len(letters)
        tile = Image.new("L", (glyph_font.size * 2, glyph_font.size * 2), 0)
        ImageDraw.Draw(tile).text(
            (glyph_font.size, glyph_font.size), ch, font=glyph_font, fill=255, anchor="mm"
        )
        tile = tile.rotate(-math.degrees(a) - 90, resample=Image.Resampling.BILINEAR)
        x = c + r * 0.83 * math.cos(a) - tile.width / 2
        y = c + r * 0.83 * math.sin(a) - tile.height / 2
        seal.paste(255, (round(x), round(y)), tile)
    seal = seal.rotate(rng.uniform(-30, 30), resample=Image.Resampling.BILINEAR)
    alpha = np.asarray(seal, dtype=np.float32) / 255.0 * rng.uniform(0.6, 0.9)
    x0, y0 = round(centre[0] - c), round(centre[1] - c)
    h, w = page.shape[:2]
    sx0, sy0 = max(0, -x0), max(0, -y0)
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(w, x0 + size - sx0), min(h, y0 + size - sy0)
    if x1 <= x0 or y1 <= y0:
        return
    a = alpha[sy0 : sy0 + y1 - y0, sx0 : sx0 + x1 - x0, None]
    ink = np.array((200, 35, 45), dtype=np.float32) / 255.0  # red ink multiplies the paper
    region = page[y0:y1, x0:x1].astype(np.float32)
    page[y0:y1, x0:x1] = (region * (1 - a + a * ink)).astype(np.uint8)
