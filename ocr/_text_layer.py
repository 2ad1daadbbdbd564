"""The invisible text layer: a glyphless font and the content stream that places each word.

Built like Tesseract's own PDF renderer and OCRmyPDF's sandwich: a Type0 font over a
CIDFontType2 whose embedded TrueType has one blank glyph (Tesseract's ``pdf.ttf``, Apache-2.0,
see ``ocr/data/pdf.ttf.NOTICE``), every CID mapped to that glyph, Identity-H encoding (a CID is a
UTF-16 code unit) and a ToUnicode CMap mapping every CID to the same code point. Text is drawn
in render mode 3 (invisible) so the page looks exactly like the scan while readers can select,
copy and search it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from importlib.resources import files

import pikepdf

from ocr.text import PageText, Word

__all__ = ["FONT_NAME", "GLYPHLESS_BASEFONT", "glyphless_font", "text_operators"]

#: Resource name of the font on every page; assembly shares one font object under this name.
FONT_NAME = "/GlyphLessFont"
GLYPHLESS_BASEFONT = pikepdf.Name("/GlyphLessFont")
#: Advance of the one glyph, in 1/1000 em: pdf.ttf's 1024 of 2048 units.
_GLYPH_WIDTH = 500
_SPACE = 0x20
_REPLACEMENT = 0xFFFD


@cache
def _font_program() -> bytes:
    return files("ocr.data").joinpath("pdf.ttf").read_bytes()


def _to_unicode_cmap() -> bytes:
    """Every 2-byte code maps to the same UTF-16 code point (ranges within one high byte)."""
    ranges = [f"<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>" for hi in range(256)]
    blocks = []
    for start in range(0, len(ranges), 100):  # at most 100 entries per block
        chunk = ranges[start : start + 100]
        blocks.append(f"{len(chunk)} beginbfrange\n" + "\n".join(chunk) + "\nendbfrange")
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")


def glyphless_font(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """A new indirect Type0 glyphless font in ``pdf``."""
    descriptor = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.FontDescriptor,
            FontName=GLYPHLESS_BASEFONT,
            Flags=4,  # symbolic
            FontBBox=[0, 0, _GLYPH_WIDTH, 1000],
            ItalicAngle=0,
            Ascent=1000,
            Descent=-1,  # not 0: poppler would substitute its default descent
            CapHeight=1000,
            StemV=80,
            FontFile2=pikepdf.Stream(pdf, _font_program()),
        )
    )
    cid_font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.CIDFontType2,
            BaseFont=GLYPHLESS_BASEFONT,
            CIDSystemInfo=pikepdf.Dictionary(
                Registry=pikepdf.String("Adobe"),
                Ordering=pikepdf.String("Identity"),
                Supplement=0,
            ),
            FontDescriptor=descriptor,
            DW=_GLYPH_WIDTH,
            # Every CID to glyph 1, the blank one (glyph 0 is .notdef, which PDF/A forbids).
            CIDToGIDMap=pikepdf.Stream(pdf, b"\x00\x01" * 65536),
        )
    )
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type0,
            BaseFont=GLYPHLESS_BASEFONT,
            Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=[cid_font],
            ToUnicode=pikepdf.Stream(pdf, _to_unicode_cmap()),
        )
    )


def _hex(text: str) -> tuple[str, int]:
    """Identity-H codes of ``text`` (characters outside the BMP become U+FFFD), and their count."""
    units = [ord(ch) if ord(ch) <= 0xFFFF else _REPLACEMENT for ch in text]
    return "".join(f"{u:04X}" for u in units), len(units)


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _line_baseline(
    line: Sequence[Word], baselines: Mapping[object, object] | None
) -> tuple[float, float, float, float] | None:
    """Tesseract's baseline of this line, if recorded, as (x1, y1, x2, y2)."""
    if not baselines:
        return None
    number = line[0].line
    found = baselines.get(number, baselines.get(str(number)))
    if not isinstance(found, Sequence) or len(found) != 4:
        return None
    x1, y1, x2, y2 = (float(v) for v in found)
    return x1, y1, x2, y2


def _baseline_at(
    word: Word,
    line: tuple[float, float, float, float] | None,
    fallback: float,
    line_height: float,
) -> float:
    """Where the word sits, in OCR pixels: on the line's baseline, or near its box bottom."""
    if line is not None:
        x1, y1, x2, y2 = line
        centre = (word.left + word.right) / 2
        y = y1 if x2 == x1 else y1 + (y2 - y1) * (centre - x1) / (x2 - x1)
    else:
        y = fallback
    # A baseline that misses the word (words of several lines under one number, an odd
    # producer) must not misplace it; a hyphen above the baseline is fine.
    if not word.top < y <= word.bottom + 0.6 * line_height:
        y = float(word.bottom)
    return y


def _estimated_baseline(line: Sequence[Word]) -> float:
    """Without a recorded baseline: the highest bottom among the line's full-height words.

    Words without descenders or dots below end on the baseline, the rest lower (Vietnamese has
    many: g, y, ạ, ộ); hyphens and marks, shorter than half the line, end above it.
    """
    tallest = max(w.height for w in line)
    return float(min(w.bottom for w in line if w.height >= 0.5 * tallest))


_DOT_RUN = re.compile(r"\.+")


def searchable_text(word: str) -> str:
    """A word as the text layer carries it: leader dots OCR glued to words parted.

    A value typed over a form's dotted line comes out of OCR as "Số .1.93..phố.Nguyễn.": a
    search for "Nguyễn" would not find it. Dots between two words become a space (after two
    lower-case letters, or two dots or more after anything), dots before a word and a
    leader's end after it go (a full stop and an ellipsis stay); abbreviations ("TP.HCM",
    "v.v."), numbers ("1.500.000") and codes keep theirs. Only the text layer changes: fields
    read the words as OCR gave them, dots included, since the dots are why a value goes to
    review.
    """

    def part(match: re.Match[str]) -> str:
        start, end = match.span()
        before, after = word[max(0, start - 2) : start], word[end : end + 1]
        run = end - start
        if start == 0:  # leading, or a word of dots only (a leader read as a word)
            return ""
        if not after:  # trailing: a leader's end goes, a full stop and an ellipsis stay
            return "" if run == 2 or run > 3 else match.group(0)
        if not after.isalpha():
            return match.group(0)
        if run >= 2 or (len(before) == 2 and before.isalpha() and before.islower()):
            return " "
        return match.group(0)

    return _DOT_RUN.sub(part, word).strip()


def text_operators(text: PageText, *, scale: float, page_height: float) -> bytes:
    """Content-stream operators drawing ``text``'s words invisibly over the page image.

    ``scale`` converts OCR pixels to PDF points; ``page_height`` is in points (PDF's y is up).
    Words of a line share its baseline and a font size (the line's height above the baseline);
    each word gets horizontal scaling so its advance spans exactly its box, and a space
    stretched over the gap to the next word so text extraction keeps words apart.
    """
    if not text.words:
        return b""
    baselines = text.extra.get("baselines") if isinstance(text.extra, Mapping) else None
    ops = ["BT", "3 Tr"]
    current_size: float | None = None
    for line in text.lines():
        recorded = _line_baseline(line, baselines if isinstance(baselines, Mapping) else None)
        fallback = _estimated_baseline(line)
        line_height = max(w.bottom for w in line) - min(w.top for w in line)
        bases = [_baseline_at(word, recorded, fallback, line_height) for word in line]
        # One size per line, from its tallest word: per-word sizes made pdftotext split a
        # line at every hyphen, and viewers highlight a line evenly.
        size = max(max(base - word.top for word, base in zip(line, bases, strict=True)), 1.0)
        size *= scale
        for index, (word, base_px) in enumerate(zip(line, bases, strict=True)):
            codes, count = _hex(searchable_text(word.text))
            if count == 0 or word.width <= 0:
                continue
            if size != current_size:
                ops.append(f"/{FONT_NAME[1:]} {_num(size)} Tf")
                current_size = size
            width = word.width * scale
            stretch = 100.0 * width / (count * size * _GLYPH_WIDTH / 1000)
            x, y = word.left * scale, page_height - base_px * scale
            ops.append(f"{_num(stretch)} Tz 1 0 0 1 {_num(x)} {_num(y)} Tm <{codes}> Tj")
            if index + 1 < len(line):
                gap = max((line[index + 1].left - word.right) * scale, 0.01)
                space_stretch = 100.0 * gap / (size * _GLYPH_WIDTH / 1000)
                ops.append(f"{_num(space_stretch)} Tz <{_SPACE:04X}> Tj")
    ops.append("ET")
    return ("\n".join(ops) + "\n").encode("ascii")
