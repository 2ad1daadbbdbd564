"""A reading of the ink the page's OCR left out.

Tesseract's page layout analysis drops short, lone text: a "5" alone in a table cell, "80"
right of a wrapped label, "50 năm" in a grid. Those are often the very values a form is
scanned for, and a page read in one pass gives no sign that they were there. Every stroke
of such a value is ink that no recognised word covers. This stage finds letter-sized ink
outside all word boxes, groups it into runs along a line, reads each run on its own as one
line, and adds the words read with confidence to the page. Rules, frames, photographs and
signatures are larger than letters and are not read; specks are smaller. About a dozen runs
a form page, 10 ms each at most.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import replace
from typing import Protocol

import cv2
import numpy as np

from ocr.text import PageText, Word

#: Darker than this (0..255) is ink on the OCR copy, whose paper is white.
INK_LEVEL = 230
#: A letter's height against the page's usual word height: from an "a" to a capital with its
#: mark; smaller is a speck or a mark alone, taller a rule, a stamp or a photograph.
LETTER_HEIGHTS = (0.35, 1.6)
#: Widest a letter's stroke may run, in usual word heights (letters touching each other
#: included); wider is a rule, a frame or a signature.
MAX_LETTER_WIDTH = 3.0
#: Ink more than this share of which lies in recognised words' boxes was read already.
MAX_COVERED = 0.5
#: Letters further apart than this, in usual word heights, are two runs.
MAX_GAP = 0.8
#: A run must hold a letter at least this tall (a dot or a comma alone is no text).
MIN_RUN_HEIGHT = 0.6
#: More letters than this in one run is a picture's texture (a QR code, a photograph).
MAX_RUN_LETTERS = 30
#: Ink kept around a run when it is read, in usual word heights: below and beside it, and above
#: it, where the marks of Vietnamese letters stand (smaller than letters, they are no run's).
INK_AROUND = 0.2
MARKS_ABOVE = 0.45
#: Least confidence of a word read from a run: lower is a stroke read as text.
MIN_CONFIDENCE = 60.0
_DIGIT = re.compile(r"\d")

#: Fewest recognised words a page needs before its usual word height means anything.
MIN_WORDS = 20


class WordsReader(Protocol):
    def read_words_alone(
        self, gray: np.ndarray, dpi: float, boxes: list[tuple[int, int, int, int]]
    ) -> list[list[Word]]: ...


def read_missed_ink(reader: WordsReader, gray: np.ndarray, text: PageText) -> PageText:
    """``text`` with the words of the ink it left out, each run a line of its own.

    ``gray`` is the image ``text`` was read from, in the same pixels.
    """
    height = _usual_word_height(text.words)
    if height is None:
        return text
    runs = _runs(_missed_letters(gray, text.words, height), height)
    if not runs:
        return text
    # The run alone on white, for a second reading: no rule beside it either.
    alone = np.full_like(gray, 255)
    for left, top, right, bottom in runs:
        x0, x1 = max(0, left - round(INK_AROUND * height)), right + round(INK_AROUND * height)
        y0, y1 = max(0, top - round(MARKS_ABOVE * height)), bottom + round(INK_AROUND * height)
        alone[y0:y1, x0:x1] = gray[y0:y1, x0:x1]
    boxes = [
        (left - height, top - height // 2, right + height, bottom + height // 2)
        for left, top, right, bottom in runs
    ]
    words = list(text.words)
    block = max((w.block for w in words), default=0)
    line = max((w.line for w in words), default=0)
    # The page without the words it read: a neighbour's letters in a run's margin would be
    # read as part of it (")5" after "tầng)", "50r" before "năm").
    unread = gray.copy()
    for w in text.words:
        unread[max(0, w.top - 1) : w.bottom + 1, max(0, w.left - 1) : w.right + 1] = 255
    readings = reader.read_words_alone(unread, text.dpi, boxes)
    # read again on white, for the digits' sake: where the two readings give other digits,
    # ``ocr.second_look.digits_in_doubt`` sends the value to review
    again = reader.read_words_alone(alone, text.dpi, boxes)
    for run_words, other in zip(readings, again, strict=True):
        kept = [w for w in map(_without_rules, run_words) if _worth_keeping(w, words)]
        if not kept:
            continue
        block, line = block + 1, line + 1
        second = " ".join(w.text for w in other) or None
        words.extend(
            replace(
                w, block=block, line=line, second_reading=second if _DIGIT.search(w.text) else None
            )
            for w in kept
        )
    return replace(text, words=words) if len(words) > len(text.words) else text


def _without_rules(word: Word) -> Word:
    """The word without a table's rule read beside it ("|5", "80|")."""
    return replace(word, text=word.text.strip("|[]"))


def _usual_word_height(words: list[Word]) -> int | None:
    """The median height of the words read surely: the page's letter size."""
    heights = [w.height for w in words if w.confidence >= 80 and w.text.isalpha()]
    if len(heights) < MIN_WORDS:
        return None
    return max(1, round(statistics.median(heights)))


def _missed_letters(
    gray: np.ndarray, words: list[Word], height: int
) -> list[tuple[int, int, int, int]]:
    """Boxes of letter-sized ink that no recognised word covers, found at half size (a
    fourth of the time; letters stay ten pixels tall and more) and given in ``gray``'s
    pixels."""
    ink = cv2.threshold(gray, INK_LEVEL - 1, 255, cv2.THRESH_BINARY_INV)[1]
    # any ink in a pixel's square of four makes it ink: a thin stroke stays whole
    small = cv2.resize(ink, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    # and a letter a worn scan broke into strokes ("5" as its bar, bowl and tail) is whole
    ink = cv2.dilate((small > 0).astype(np.uint8), np.ones((3, 3), np.uint8))
    covered = np.zeros(ink.shape, np.uint8)
    for w in words:
        pad = max(2, w.height // 4)
        covered[
            max(0, w.top - pad) // 2 : (w.bottom + pad) // 2 + 1,
            max(0, w.left - pad) // 2 : (w.right + pad) // 2 + 1,
        ] = 1
    count, _labels, stats, _centres = cv2.connectedComponentsWithStats(ink, connectivity=8)
    left, top, width, tall, area = (stats[1:count, k] for k in range(5))
    low, high = (f * height / 2 for f in LETTER_HEIGHTS)
    letter = (tall >= low) & (tall <= high) & (width <= MAX_LETTER_WIDTH * height / 2) & (area >= 2)
    # the covered share of each candidate's box, from the summed-area table
    table = cv2.integral(covered)
    x0, y0 = left[letter], top[letter]
    x1, y1 = x0 + width[letter], y0 + tall[letter]
    inside = table[y1, x1] - table[y0, x1] - table[y1, x0] + table[y0, x0]
    share = inside / np.maximum(1, (x1 - x0) * (y1 - y0))
    keep = share <= MAX_COVERED
    return [
        (2 * int(a), 2 * int(b), 2 * int(c), 2 * int(d))
        for a, b, c, d in zip(x0[keep], y0[keep], x1[keep], y1[keep], strict=True)
    ]


def _runs(letters: list[tuple[int, int, int, int]], height: int) -> list[tuple[int, int, int, int]]:
    """Letters joined left to right into runs along a line; runs that are text-like only."""
    runs: list[list[int]] = []  # left, top, right, bottom, letters, tallest
    for left, top, right, bottom in sorted(letters):
        middle = (top + bottom) / 2
        for run in runs:
            if (
                run[1] - 0.3 * height <= middle <= run[3] + 0.3 * height
                and left - run[2] <= MAX_GAP * height
            ):
                run[:4] = [
                    min(run[0], left),
                    min(run[1], top),
                    max(run[2], right),
                    max(run[3], bottom),
                ]
                run[4] += 1
                run[5] = max(run[5], bottom - top)
                break
        else:
            runs.append([left, top, right, bottom, 1, bottom - top])
    return [
        (run[0], run[1], run[2], run[3])
        for run in runs
        if run[5] >= MIN_RUN_HEIGHT * height and run[4] <= MAX_RUN_LETTERS
    ]


def _worth_keeping(word: Word, page_words: list[Word]) -> bool:
    """A word read with confidence, with a letter or digit, where the page read nothing."""
    if word.confidence < MIN_CONFIDENCE or not any(c.isalnum() for c in word.text):
        return False
    return not any(
        _overlap(word, other) > 0.5 * max(1, word.width * word.height) for other in page_words
    )


def _overlap(a: Word, b: Word) -> int:
    across = min(a.right, b.right) - max(a.left, b.left)
    down = min(a.bottom, b.bottom) - max(a.top, b.top)
    return max(0, across) * max(0, down)
