"""A flowing A4 page writer that records every printed line as ground truth.

Forms are drawn top to bottom; whatever does not fit on a page moves to a continuation page, so
documents get 1–3 pages without each form having to know where a page ends.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFont

from benchmarks.synth import typefaces as fontlib

A4_MM = (210.0, 297.0)
Segment = tuple[str, str]  # (text, style) with style "regular" | "bold" | "italic"


@dataclass(slots=True)
class SynthPage:
    """One clean page render and the text printed on it, in reading order."""

    image: Image.Image
    lines: list[str]
    role: str  # "title" | "continuation" | "blank"
    stamp_anchor: tuple[int, int] | None = None  # where an official seal would go (signature)


@dataclass(slots=True)
class Sheet:
    """Page geometry, fonts and the running cursor of one document being drawn."""

    family: fontlib.Family
    rng: random.Random
    dpi: int = 300
    size_pt: float = 13.0
    leading: float = 1.45
    margins_mm: tuple[float, float, float, float] = (
        20.0,
        15.0,
        20.0,
        30.0,
    )  # top right bottom left
    page_numbers: bool = False
    pages: list[SynthPage] = field(default_factory=list)
    _image: Image.Image | None = None
    _draw: ImageDraw.ImageDraw | None = None
    _lines: list[str] = field(default_factory=list)
    _anchor: tuple[int, int] | None = None
    y: int = 0

    # -- geometry ---------------------------------------------------------------------------
    def px(self, mm: float) -> int:
        return round(mm / 25.4 * self.dpi)

    @property
    def width(self) -> int:
        return self.px(A4_MM[0])

    @property
    def height(self) -> int:
        return self.px(A4_MM[1])

    @property
    def left(self) -> int:
        return self.px(self.margins_mm[3])

    @property
    def right(self) -> int:
        return self.width - self.px(self.margins_mm[1])

    @property
    def bottom(self) -> int:
        return self.height - self.px(self.margins_mm[2])

    def font(self, style: str = "regular", scale: float = 1.0) -> ImageFont.FreeTypeFont:
        path = {
            "regular": self.family.regular,
            "bold": self.family.bold,
            "italic": self.family.italic,
        }[style]
        return fontlib.load(path, round(self.size_pt * scale / 72 * self.dpi))

    def line_height(self, scale: float = 1.0) -> int:
        return round(self.size_pt * scale / 72 * self.dpi * self.leading)

    # -- pages ------------------------------------------------------------------------------
    def _ensure_page(self) -> None:
        if self._image is None:
            self.new_page()

    def new_page(self) -> None:
        """Close the current page (if any) and start the next one."""
        self.flush()
        self._image = Image.new("L", (self.width, self.height), 255)
        self._draw = ImageDraw.Draw(self._image)
        self._lines = []
        self._anchor = None
        self.y = self.px(self.margins_mm[0])
        if self.pages and self.page_numbers:
            self.line([(str(len(self.pages) + 1), "regular")], align="center", scale=0.9)

    def flush(self) -> None:
        if self._image is not None:
            role = "title" if not self.pages else "continuation"
            self.pages.append(SynthPage(self._image, self._lines, role, self._anchor))
            self._image = None

    def finish(self) -> list[SynthPage]:
        self.flush()
        return self.pages

    def fits(self, height: int) -> bool:
        return self._image is not None and self.y + height <= self.bottom

    def need(self, height: int) -> None:
        """Start a new page unless ``height`` pixels still fit on this one."""
        if not self.fits(height):
            self.new_page()

    def space(self, mm: float) -> None:
        self._ensure_page()
        self.y += self.px(mm)

    @property
    def draw(self) -> ImageDraw.ImageDraw:
        self._ensure_page()
        assert self._draw is not None
        return self._draw

    def record(self, text: str) -> None:
        text = " ".join(unicodedata.normalize("NFC", text).split())
        if text:
            self._lines.append(text)

    def paste(self, image: Image.Image, x: int, y: int | None = None) -> None:
        """Paste a picture (QR code, photo) at ``x`` and the cursor (or ``y``)."""
        self._ensure_page()
        assert self._image is not None
        self._image.paste(image, (x, self.y if y is None else y))

    def mark_signature(self, x: int, y: int) -> None:
        self._ensure_page()
        self._anchor = (x, y)

    # -- text -------------------------------------------------------------------------------
    def text_width(self, segments: Sequence[Segment], scale: float = 1.0) -> float:
        space = self.font("regular", scale).getlength(" ")
        return sum(self.font(s, scale).getlength(t) for t, s in segments) + space * (
            len(segments) - 1
        )

    def draw_segments(
        self, x: float, baseline: int, segments: Sequence[Segment], scale: float = 1.0
    ) -> float:
        """Draw segments left to right from ``x`` on ``baseline``; returns the end x."""
        space = self.font("regular", scale).getlength(" ")
        for i, (text, style) in enumerate(segments):
            if i:
                x += space
            font = self.font(style, scale)
            self.draw.text((x, baseline), text, font=font, fill=0, anchor="ls")
            x += font.getlength(text)
        return x

    def line(
        self,
        segments: Sequence[Segment],
        *,
        align: str = "left",
        scale: float = 1.0,
        indent: int = 0,
        x0: int | None = None,
        x1: int | None = None,
        record: bool = True,
    ) -> tuple[float, int]:
        """One line of text; returns (end x, baseline) so callers can draw leaders after it."""
        self._ensure_page()
        self.need(self.line_height(scale))
        lo = (self.left if x0 is None else x0) + indent
        hi = self.right if x1 is None else x1
        width = self.text_width(segments, scale)
        x = {"left": lo, "center": (lo + hi - width) / 2, "right": hi - width}[align]
        baseline = self.y + round(self.size_pt * scale / 72 * self.dpi)
        end = self.draw_segments(x, baseline, segments, scale)
        self.y += self.line_height(scale)
        if record:
            self.record(" ".join(t for t, _ in segments))
        return end, baseline

    def wrap(
        self,
        text: str,
        width: float,
        style: str = "regular",
        scale: float = 1.0,
        first_indent: float = 0,
    ) -> list[str]:
        font = self.font(style, scale)
        lines: list[str] = []
        current = ""
        limit = width - first_indent
        for word in text.split():
            candidate = f"{current} {word}".strip()
            if font.getlength(candidate) <= limit or not current:
                current = candidate
            else:
                lines.append(current)
                current = word
                limit = width
        if current:
            lines.append(current)
        return lines

    def paragraph(
        self,
        text: str,
        *,
        style: str = "regular",
        scale: float = 1.0,
        first_indent_mm: float = 10.0,
        align: str = "left",
        x0: int | None = None,
        x1: int | None = None,
    ) -> None:
        lo = self.left if x0 is None else x0
        hi = self.right if x1 is None else x1
        indent = self.px(first_indent_mm)
        for i, text_line in enumerate(self.wrap(text, hi - lo, style, scale, indent)):
            self.line(
                [(text_line, style)],
                align=align,
                scale=scale,
                indent=indent if i == 0 else 0,
                x0=lo,
                x1=hi,
            )

    def dots(self, x: float, baseline: int, x_end: float, scale: float = 1.0) -> str:
        """A dotted leader from ``x`` to ``x_end``; returns the dots drawn (for the truth line)."""
        font = self.font("regular", scale)
        dot = font.getlength(".")
        count = int((x_end - x) // dot)
        if count < 3:
            return ""
        text = "." * count
        self.draw.text((x, baseline), text, font=font, fill=0, anchor="ls")
        return text

    def columns(
        self,
        blocks: Sequence[Sequence[tuple[Sequence[Segment], float]]],
        bounds: Sequence[tuple[int, int]],
    ) -> None:
        """Side-by-side centred blocks (header, signatures); truth lists each block in turn."""
        self._ensure_page()
        height = max(sum(self.line_height(s) for _, s in b) for b in blocks)
        self.need(height)
        top = self.y
        bottom = top
        for block, (lo, hi) in zip(blocks, bounds, strict=True):
            self.y = top
            for segments, scale in block:
                if segments:
                    self.line(segments, align="center", scale=scale, x0=lo, x1=hi)
                else:
                    self.y += self.line_height(scale)
            bottom = max(bottom, self.y)
        self.y = bottom

    def rule(self, x0: int, x1: int, *, width_px: int = 3, offset: int = 0) -> None:
        y = self.y - self.line_height() // 4 + offset
        self.draw.line([(x0, y), (x1, y)], fill=0, width=width_px)

    def table(
        self,
        rows: Sequence[Sequence[str]],
        fractions: Sequence[float],
        *,
        header: bool = False,
        scale: float = 0.95,
    ) -> None:
        """A bordered table; cells wrap; truth lists each cell's lines, row by row."""
        self._ensure_page()
        lo, hi = self.left, self.right
        xs = [lo]
        for f in fractions:
            xs.append(xs[-1] + round((hi - lo) * f))
        xs[-1] = hi
        pad = self.px(1.5)
        lh = self.line_height(scale)
        top_of_table = True
        for r, row in enumerate(rows):
            style = "bold" if header and r == 0 else "regular"
            wrapped = [
                self.wrap(cell, xs[c + 1] - xs[c] - 2 * pad, style, scale)
                for c, cell in enumerate(row)
            ]
            height = max(len(w) for w in wrapped) * lh + pad
            if not self.fits(height):
                self.new_page()
                top_of_table = True
            y0 = self.y
            if top_of_table:
                self.draw.line([(lo, y0), (hi, y0)], fill=0, width=3)
                top_of_table = False
            ascent = round(self.size_pt * scale / 72 * self.dpi)
            for c, cell_lines in enumerate(wrapped):
                for k, text in enumerate(cell_lines):
                    baseline = y0 + pad + ascent + k * lh
                    x = xs[c] + pad
                    if header and r == 0:
                        x = (xs[c] + xs[c + 1] - self.font(style, scale).getlength(text)) / 2
                    self.draw.text(
                        (x, baseline), text, font=self.font(style, scale), fill=0, anchor="ls"
                    )
                    self.record(text)
            y1 = y0 + height
            self.draw.line([(lo, y1), (hi, y1)], fill=0, width=3)
            for x in xs:
                self.draw.line([(x, y0), (x, y1)], fill=0, width=3)
            self.y = y1
        self.y += self.px(2)
