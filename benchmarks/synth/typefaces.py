"""System fonts that can print Vietnamese, split into training and held-out families.

A family is only offered when every Vietnamese letter (all tones, both cases) and the few symbols
forms use are in its character map: a font that silently drops "ẫ" would poison the ground truth.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont

FONT_DIRS = (Path("/usr/share/fonts/truetype"), Path("/usr/share/fonts/opentype"))

_VOWELS = "aăâeêioôơuưy"
_TONES = "\u0300\u0301\u0303\u0309\u0323"
VIETNAMESE_SAMPLE = "".join(v + t for v in _VOWELS for t in _TONES) + _VOWELS + "đ" + "²–…"

# family -> (regular, bold, italic) file names; the second table is reserved for evaluation.
# Debian's Liberation 2.1 lacks ơ, ư and the dot-below/hook-above letters, so the coverage check
# drops it; it stays listed so that a complete build is used where installed.
_TRAIN = {
    "DejaVu Sans": (
        "dejavu/DejaVuSans.ttf",
        "dejavu/DejaVuSans-Bold.ttf",
        "dejavu/DejaVuSans-Oblique.ttf",
    ),
    "DejaVu Serif": (
        "dejavu/DejaVuSerif.ttf",
        "dejavu/DejaVuSerif-Bold.ttf",
        "dejavu/DejaVuSerif-Italic.ttf",
    ),
    "Noto Sans": (
        "noto/NotoSans-Regular.ttf",
        "noto/NotoSans-Bold.ttf",
        "noto/NotoSans-Italic.ttf",
    ),
    "Noto Serif": (
        "noto/NotoSerif-Regular.ttf",
        "noto/NotoSerif-Bold.ttf",
        "noto/NotoSerif-Italic.ttf",
    ),
    "DejaVu Sans Condensed": (
        "dejavu/DejaVuSansCondensed.ttf",
        "dejavu/DejaVuSansCondensed-Bold.ttf",
        "dejavu/DejaVuSansCondensed-Oblique.ttf",
    ),
    "Liberation Sans": (
        "liberation/LiberationSans-Regular.ttf",
        "liberation/LiberationSans-Bold.ttf",
        "liberation/LiberationSans-Italic.ttf",
    ),
    "Liberation Serif": (
        "liberation/LiberationSerif-Regular.ttf",
        "liberation/LiberationSerif-Bold.ttf",
        "liberation/LiberationSerif-Italic.ttf",
    ),
}
_HOLDOUT = {
    "Noto Serif Display": (
        "noto/NotoSerifDisplay-Regular.ttf",
        "noto/NotoSerifDisplay-Bold.ttf",
        "noto/NotoSerifDisplay-Italic.ttf",
    ),
    "Noto Sans Display": (
        "noto/NotoSansDisplay-Regular.ttf",
        "noto/NotoSansDisplay-Bold.ttf",
        "noto/NotoSansDisplay-Italic.ttf",
    ),
    "DejaVu Serif Condensed": (
        "dejavu/DejaVuSerifCondensed.ttf",
        "dejavu/DejaVuSerifCondensed-Bold.ttf",
        "dejavu/DejaVuSerifCondensed-Italic.ttf",
    ),
    "Liberation Sans Narrow": (
        "liberation/LiberationSansNarrow-Regular.ttf",
        "liberation/LiberationSansNarrow-Bold.ttf",
        "liberation/LiberationSansNarrow-Italic.ttf",
    ),
}


class FontUnavailableError(LookupError):
    """A requested font family is not installed or cannot print Vietnamese."""


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    regular: Path
    bold: Path
    italic: Path
    holdout: bool


def _find(relative: str) -> Path | None:
    for base in FONT_DIRS:
        if (base / relative).is_file():
            return base / relative
    return None


@functools.cache
def covers_vietnamese(path: Path) -> bool:
    """True when the font maps every character of :data:`VIETNAMESE_SAMPLE` to a glyph."""
    import unicodedata

    cmap = TTFont(path, lazy=True).getBestCmap()
    sample = unicodedata.normalize("NFC", VIETNAMESE_SAMPLE)
    sample += sample.upper()
    return all(ord(ch) in cmap for ch in sample if not ch.isspace())


@functools.cache
def _families() -> dict[str, Family]:
    found: dict[str, Family] = {}
    for table, holdout in ((_TRAIN, False), (_HOLDOUT, True)):
        for name, files in table.items():
            paths = [_find(f) for f in files]
            if all(p is not None and covers_vietnamese(p) for p in paths):
                regular, bold, italic = paths  # type: ignore[misc]
                found[name] = Family(name, regular, bold, italic, holdout)  # type: ignore[arg-type]
    return found


def fonts(variant: str | None = None) -> list[str]:
    """Installed families that print Vietnamese: all, or those of ``variant`` train/holdout."""
    fams = _families().values()
    if variant is None:
        return [f.name for f in fams]
    if variant not in ("train", "holdout"):
        raise ValueError(f"variant must be 'train' or 'holdout', not {variant!r}")
    return [f.name for f in fams if f.holdout == (variant == "holdout")]


def family(name: str) -> Family:
    """The family called ``name``; raises with the list of usable names when it is missing."""
    try:
        return _families()[name]
    except KeyError:
        raise FontUnavailableError(
            f"font family {name!r} is not installed with Vietnamese glyphs; "
            f"available: {', '.join(fonts())}"
        ) from None


@functools.lru_cache(maxsize=256)
def load(path: Path, size_px: int) -> ImageFont.FreeTypeFont:
    """A cached FreeType font; basic layout is enough for NFC (precomposed) Vietnamese."""
    return ImageFont.truetype(str(path), size_px, layout_engine=ImageFont.Layout.BASIC)
