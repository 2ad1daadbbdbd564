"""Locate the system OpenType fonts that draw Vietnamese diacritics.

pyHanko's built-in Courier has no glyphs for ă, ơ, ư, đ or stacked tone marks, so stamps and
templates embed DejaVu or Noto from ``/usr/share/fonts`` (Debian packages ``fonts-dejavu-core``
and ``fonts-noto-core``).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from signing.errors import FontNotFoundError

FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype"),
    Path("/usr/share/fonts/opentype"),
    Path("/usr/local/share/fonts"),
)

# Candidates in order of preference for each style used by the stamps and templates.
# Stamps ("sans") prefer Noto: pyHanko 0.38 spaces glyphs wrongly for fonts whose
# unitsPerEm is not 1000 (DejaVu has 2048), so DejaVu is only the fallback there.
_CANDIDATES: dict[str, tuple[str, ...]] = {
    "sans": ("noto/NotoSans-Regular.ttf", "dejavu/DejaVuSans.ttf"),
    "sans-bold": ("noto/NotoSans-Bold.ttf", "dejavu/DejaVuSans-Bold.ttf"),
    "serif": ("dejavu/DejaVuSerif.ttf", "noto/NotoSerif-Regular.ttf"),
    "serif-bold": ("dejavu/DejaVuSerif-Bold.ttf", "noto/NotoSerif-Bold.ttf"),
    "serif-italic": ("dejavu/DejaVuSerif-Italic.ttf", "noto/NotoSerif-Italic.ttf"),
}


def find_font(style: str = "sans", search_dirs: Sequence[Path] = FONT_DIRS) -> Path:
    """Path of an installed font for ``style`` ("sans", "sans-bold", "serif", ...)."""
    try:
        candidates = _CANDIDATES[style]
    except KeyError:
        raise FontNotFoundError(
            f"unknown font style {style!r}; use one of {', '.join(_CANDIDATES)}"
        ) from None
    for directory in search_dirs:
        for relative in candidates:
            path = directory / relative
            if path.is_file():
                return path
    raise FontNotFoundError(
        f"no font for style {style!r} with Vietnamese glyphs found (looked for "
        f"{', '.join(candidates)} under {', '.join(map(str, search_dirs))}); install the "
        "Debian packages fonts-dejavu-core or fonts-noto-core"
    )


# Everything a Vietnamese stamp prints: ASCII, Latin-1 and Latin Extended-A/B (đ, ơ, ư, ...),
# Latin Extended Additional (ạ ả ấ ầ ẩ ẫ ậ ... ỹ), combining tone marks and common punctuation.
_VIETNAMESE_RANGES = (
    (0x20, 0x7E),
    (0xA0, 0x24F),
    (0x300, 0x323),
    (0x1EA0, 0x1EF9),
    (0x2010, 0x2026),
)


@lru_cache(maxsize=8)
def vietnamese_subset(font: Path) -> Path:
    """A copy of ``font`` cut down to the Vietnamese repertoire, made once and cached on disk.

    pyHanko subsets the font it embeds on every signature; on the full Noto/DejaVu files
    that took ~0.4 s per signature, on this cut-down copy a few milliseconds.
    """
    from fontTools import subset

    stat = font.stat()
    key = hashlib.sha256(f"{font}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    cache = Path(tempfile.gettempdir()) / "hoso-fonts"
    target = cache / f"{font.stem}-vi1-{key}.ttf"
    if target.is_file():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    options = subset.Options()
    # Vietnamese has precomposed glyphs for every letter: no shaping tables needed, and
    # decompiling GSUB/GPOS was most of the remaining cost per signature
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for lo, hi in _VIETNAMESE_RANGES for c in range(lo, hi + 1)])
    tt = subset.load_font(str(font), options)
    subsetter.subset(tt)
    tmp = target.with_suffix(f".{id(tt)}.tmp")
    subset.save_font(tt, str(tmp), options)
    tmp.replace(target)
    return target
