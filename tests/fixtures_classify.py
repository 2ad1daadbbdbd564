"""Word-box pages for classification, extraction and splitting tests, built from plain lines.

A line is a string (printed from the left margin) or a list of ``(x, text)`` segments for
columns and tables. Coordinates mimic an A4 page scanned at 300 dpi.
"""

from __future__ import annotations

import pytest

from ocr.text import PageText, Word

PAGE_W, PAGE_H = 2480, 3508
LEFT = 200
CHAR_W = 24  # average advance of 12 pt text at 300 dpi
LINE_H = 50
LINE_STEP = 90

Line = str | list[tuple[int, str]]


def page_from_lines(
    lines: list[Line],
    *,
    confidence: float = 92.0,
    low: dict[str, float] | None = None,
    top: int = 150,
    cells_as_lines: bool = False,
    cells_as_blocks: bool = False,
) -> PageText:
    """A PageText whose words sit where a printed form would put them.

    ``low`` maps a word's text to the OCR confidence it gets (to test review flags).
    ``cells_as_lines`` makes each segment a Tesseract line of its own, as OCR reads a grid's
    cells; otherwise a printed line is one Tesseract line. ``cells_as_blocks`` makes each
    segment a block of its own too, as Tesseract's layout analysis finds a grid's columns.
    """
    words: list[Word] = []
    y = top
    number = 0
    block = 1
    for line in lines:
        segments = [(LEFT, line)] if isinstance(line, str) else line
        for x, text in segments:
            for token in text.split():
                width = max(CHAR_W, CHAR_W * len(token))
                conf = (low or {}).get(token, confidence)
                words.append(
                    Word(token, x, y, x + width, y + LINE_H, conf, block=block, line=number)
                )
                x += width + CHAR_W
            number += cells_as_lines or cells_as_blocks
            block += cells_as_blocks
        number += not (cells_as_lines or cells_as_blocks)
        y += LINE_STEP
    return PageText(words=words, width=PAGE_W, height=PAGE_H, dpi=300.0)


MOTTO = [
    [(700, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")],
    [(850, "Độc lập - Tự do - Hạnh phúc")],
    "",
]


@pytest.fixture(scope="session")
def taxonomy():
    from ocr.taxonomy import load_taxonomy

    return load_taxonomy()
