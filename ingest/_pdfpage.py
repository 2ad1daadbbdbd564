"""Decide how to read one PDF page: its single scanned image at native resolution, or a render.

A scanner's PDF page is one image XObject painted over the whole page. Taking that image keeps
the scanner's pixels and resolution; anything else (text, vector art, several images, masks,
odd placement) is rendered, because only a renderer knows what the page looks like.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pikepdf

RENDER_DPI = 300.0
_PAINT_OPS = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "EI", "BI", "ID"}
_TEXT_SHOW_OPS = {"Tj", "TJ", "'", '"'}
_PASSIVE_OPS = {
    "q", "Q", "cm", "gs", "w", "J", "j", "M", "d", "ri", "i",
    "m", "l", "c", "v", "y", "h", "re", "W", "W*", "n",
    "g", "G", "rg", "RG", "k", "K", "cs", "CS", "sc", "scn", "SC", "SCN",
    "BT", "ET", "Tc", "Tw", "Tz", "TL", "Tf", "Ts", "Td", "TD", "Tm", "T*", "BX", "EX",
    "MP", "DP", "BMC", "BDC", "EMC", "d0", "d1",
}  # fmt: skip


@dataclass(frozen=True)
class ImagePlan:
    """Take the image XObject; then flip/transpose by the placement and turn by /Rotate."""

    image: pikepdf.Stream
    width: int
    height: int
    transpose: bool  # image columns run down the page
    flip_rows: bool  # after transpose: reverse array rows
    flip_cols: bool  # after transpose: reverse array columns
    rotate: int  # page /Rotate, clockwise degrees
    dpi_x: float  # of the image as placed, before /Rotate
    dpi_y: float

    @property
    def pixels(self) -> int:
        return self.width * self.height

    @property
    def untouched(self) -> bool:
        return not (self.transpose or self.flip_rows or self.flip_cols or self.rotate)


@dataclass(frozen=True)
class RenderPlan:
    """Render the page at ``dpi``; ``width`` x ``height`` is the bitmap that makes."""

    width: int
    height: int
    dpi: float = RENDER_DPI

    @property
    def pixels(self) -> int:
        return self.width * self.height


def page_box(page: pikepdf.Page) -> tuple[float, float, float, float]:
    """The visible area (CropBox within MediaBox) in points, normalised x0<x1, y0<y1."""
    media = [float(v) for v in page.mediabox]
    crop = [float(v) for v in page.cropbox] if "/CropBox" in page.obj else media
    mx0, mx1 = sorted((media[0], media[2]))
    my0, my1 = sorted((media[1], media[3]))
    cx0, cx1 = sorted((crop[0], crop[2]))
    cy0, cy1 = sorted((crop[1], crop[3]))
    x0, x1 = max(mx0, cx0), min(mx1, cx1)
    y0, y1 = max(my0, cy0), min(my1, cy1)
    if x1 - x0 < 1 or y1 - y0 < 1:  # a nonsense CropBox: fall back to the MediaBox
        return mx0, my0, mx1, my1
    return x0, y0, x1, y1


def page_rotation(page: pikepdf.Page) -> int:
    try:
        return int(page.obj.get("/Rotate", 0)) % 360 // 90 * 90
    except (TypeError, ValueError):
        return 0


def render_plan(page: pikepdf.Page, dpi: float = RENDER_DPI) -> RenderPlan:
    x0, y0, x1, y1 = page_box(page)
    unit = float(page.obj.get("/UserUnit", 1.0))
    w = max(1, math.ceil((x1 - x0) * unit / 72 * dpi))  # pdfium rounds up too
    h = max(1, math.ceil((y1 - y0) * unit / 72 * dpi))
    if page_rotation(page) in (90, 270):
        w, h = h, w
    return RenderPlan(width=w, height=h, dpi=dpi)


def plan_page(page: pikepdf.Page) -> ImagePlan | RenderPlan:
    """Look at the page's content stream (not its pixels) and choose how to read it."""
    found = _single_image(page)
    if found is None:
        return render_plan(page)
    image, ctm = found
    plan = _image_plan(page, image, ctm)
    return plan if plan is not None else render_plan(page)


def _single_image(page: pikepdf.Page) -> tuple[pikepdf.Stream, list[float]] | None:
    """The one image the page paints, with its matrix, if it paints nothing else visible."""
    resources = page.obj.get("/Resources", pikepdf.Dictionary())
    xobjects = resources.get("/XObject", pikepdf.Dictionary())
    if len(xobjects) == 0:
        return None
    try:
        instructions = pikepdf.parse_content_stream(page)
    except pikepdf.PdfError:
        return None
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    stack: list[tuple[list[float], int]] = []
    text_mode = 0
    found: tuple[pikepdf.Stream, list[float]] | None = None
    for item in instructions:
        if isinstance(item, pikepdf.ContentStreamInlineImage):
            return None
        operands, op = item.operands, str(item.operator)
        if op == "q":
            stack.append((ctm, text_mode))
        elif op == "Q":
            if stack:
                ctm, text_mode = stack.pop()
        elif op == "cm":
            ctm = _concat([float(v) for v in operands], ctm)
        elif op == "Tr":
            text_mode = int(operands[0])
        elif op in _TEXT_SHOW_OPS:
            if text_mode not in (3, 7):  # visible text (invisible OCR text is fine)
                return None
        elif op == "Do":
            xobj = xobjects.get(operands[0])
            if xobj is None or xobj.get("/Subtype") != "/Image" or found is not None:
                return None
            found = (xobj, ctm)
        elif op in _PAINT_OPS or op not in _PASSIVE_OPS:
            return None
    return found


def _concat(m: list[float], ctm: list[float]) -> list[float]:
    """m x ctm, PDF's row-vector convention."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = ctm
    return [
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    ]


def _image_plan(page: pikepdf.Page, image: pikepdf.Stream, ctm: list[float]) -> ImagePlan | None:
    if image.get("/ImageMask", False) or "/SMask" in image or "/Mask" in image:
        return None
    try:
        width, height = int(image.Width), int(image.Height)
    except (AttributeError, TypeError, ValueError):
        return None
    a, b, c, d, e, f = ctm
    scale = max(abs(a), abs(b), abs(c), abs(d))
    if scale <= 0:
        return None
    if abs(b) < 1e-3 * scale and abs(c) < 1e-3 * scale:
        transpose = False
        extent_x, extent_y = abs(a), abs(d)
    elif abs(a) < 1e-3 * scale and abs(d) < 1e-3 * scale:
        transpose = True
        extent_x, extent_y = abs(c), abs(b)
    else:
        return None  # placed at an angle: let the renderer do it
    xs = [e, e + a, e + c, e + a + c]
    ys = [f, f + b, f + d, f + b + d]
    x0, y0, x1, y1 = page_box(page)
    tol_x, tol_y = max(2.0, 0.01 * (x1 - x0)), max(2.0, 0.01 * (y1 - y0))
    if not (
        abs(min(xs) - x0) <= tol_x
        and abs(max(xs) - x1) <= tol_x
        and abs(min(ys) - y0) <= tol_y
        and abs(max(ys) - y1) <= tol_y
    ):
        return None  # does not cover the page: margins or other content would be lost
    unit = float(page.obj.get("/UserUnit", 1.0))
    # Image columns run along (a, -b) on screen (y down), rows along (-c, d).
    if not transpose:
        flip_cols, flip_rows = a < 0, d < 0
        dpi_x = width / (extent_x * unit / 72)
        dpi_y = height / (extent_y * unit / 72)
    else:
        flip_rows, flip_cols = b > 0, c > 0
        dpi_x = height / (extent_x * unit / 72)
        dpi_y = width / (extent_y * unit / 72)
    return ImagePlan(
        image=image,
        width=width,
        height=height,
        transpose=transpose,
        flip_rows=flip_rows,
        flip_cols=flip_cols,
        rotate=page_rotation(page),
        dpi_x=dpi_x,
        dpi_y=dpi_y,
    )
