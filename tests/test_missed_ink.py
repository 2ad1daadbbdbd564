"""Ink the page's reading left out: found, read on its own, added to the page's words."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import cv2
import numpy as np
import pytest

from ocr.engine import TesseractEngine
from ocr.missed_ink import read_missed_ink
from ocr.second_look import digits_in_doubt
from ocr.text import PageText, Word
from tests.test_ocr_engine import render_lines

FORM = [
    "Thửa đất số 503 tờ bản đồ số 39",
    "Diện tích 120,5 m2 đất ở tại nông thôn",
    "Chiều cao (số tầng) 5",
    "Địa chỉ thửa đất thôn Yên Bình xã Mỹ Đức",
    "Thời hạn sử dụng 50 năm",
]


@pytest.fixture(scope="module")
def engine() -> Iterator[TesseractEngine]:
    with TesseractEngine("vie+eng") as eng:
        yield eng


@pytest.fixture(scope="module")
def form(engine: TesseractEngine) -> tuple[np.ndarray, PageText]:
    gray, _ = render_lines(FORM)
    return gray, engine.recognize(gray, 300)


def _without(text: PageText, *dropped: str) -> PageText:
    """The page as if its reading had left out these words (as Tesseract drops a lone "5"
    in a table cell)."""
    return replace(text, words=[w for w in text.words if w.text not in dropped])


def test_words_the_reading_left_out_are_read_and_added_where_they_are(
    engine: TesseractEngine, form: tuple[np.ndarray, PageText]
) -> None:
    gray, read = form
    assert {"5", "50"} <= {w.text for w in read.words}
    partial = _without(read, "5", "50")
    looked = read_missed_ink(engine, gray, partial)
    added = looked.words[len(partial.words) :]
    assert sorted(w.text for w in added) == ["5", "50"]
    for word in added:
        original = next(w for w in read.words if w.text == word.text)
        assert abs(word.left - original.left) <= 6 and abs(word.top - original.top) <= 6
        assert word.confidence >= 60
    # each run a line of its own, numbered after the page's, so that rows join by geometry
    assert len({w.line for w in added}) == 2
    assert min(w.line for w in added) > max(w.line for w in partial.words)
    assert digits_in_doubt(added) is None  # read alike on the page and alone on white


def test_a_page_read_whole_is_left_as_it_was(
    engine: TesseractEngine, form: tuple[np.ndarray, PageText]
) -> None:
    gray, read = form
    assert read_missed_ink(engine, gray, read) is read


def test_rules_frames_and_specks_are_not_read_as_text(engine: TesseractEngine) -> None:
    gray, _ = render_lines(FORM)
    read = engine.recognize(gray, 300)
    ruled = gray.copy()
    height, width = ruled.shape
    cv2.rectangle(ruled, (100, 100), (width - 100, height - 60), 0, 3)  # a frame
    cv2.line(ruled, (100, height - 120), (width - 100, height - 120), 0, 3)  # a rule
    cv2.line(ruled, (1900, 120), (1900, height - 80), 0, 3)  # a column's rule
    rng = np.random.default_rng(7)
    for x, y in rng.integers((1950, 200), (width - 150, height - 150), size=(40, 2)):
        cv2.circle(ruled, (int(x), int(y)), 2, 0, -1)  # specks
    assert read_missed_ink(engine, ruled, read).words == read.words


def test_a_disagreeing_second_reading_puts_the_digits_in_doubt() -> None:
    """The run read on the page gives "5", alone on white "3": the value is reviewed."""

    class Disagrees:
        def __init__(self) -> None:
            self.calls = 0

        def read_words_alone(self, gray, dpi, boxes):  # type: ignore[no-untyped-def]
            self.calls += 1
            digit = "5" if self.calls == 1 else "3"
            return [[Word(digit, b[0] + 20, b[1] + 10, b[2] - 20, b[3] - 10, 90.0)] for b in boxes]

    gray, _ = render_lines(FORM)
    text = PageText(
        [
            Word(
                f"từ{chr(97 + i % 26)}",
                200 + 60 * (i % 20),
                180 + 110 * (i // 20),
                250 + 60 * (i % 20),
                222 + 110 * (i // 20),
                95.0,
                1,
                1 + i // 20,
            )
            for i in range(40)
        ],
        gray.shape[1],
        gray.shape[0],
        300.0,
    )
    blank_but_one = np.full_like(gray, 255)
    cv2.putText(blank_but_one, "5", (1500, 700), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 0, 3)
    looked = read_missed_ink(Disagrees(), blank_but_one, text)
    added = looked.words[len(text.words) :]
    assert [w.text for w in added] == ["5"]
    assert digits_in_doubt(added) == (added[0], "3")


def test_a_page_with_too_few_words_to_know_its_letter_size_is_not_searched() -> None:
    class Refuses:
        def read_words_alone(self, gray, dpi, boxes):  # type: ignore[no-untyped-def]
            raise AssertionError("nothing to read")

    gray, _ = render_lines(["Ảnh 4x6"])
    text = PageText(
        [Word("Ảnh", 200, 180, 300, 222, 95.0, 1, 1)], gray.shape[1], gray.shape[0], 300.0
    )
    assert read_missed_ink(Refuses(), gray, text) is text
