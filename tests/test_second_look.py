"""The second look at digits: words read again on their own, and what a disagreement means."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import numpy as np
import pytest

from ocr.engine import TesseractEngine
from ocr.second_look import digits_in_doubt, second_look_at_digits
from ocr.text import Word
from tests.test_ocr_engine import render_lines


@pytest.fixture(scope="module")
def engine() -> Iterator[TesseractEngine]:
    with TesseractEngine("vie+eng") as eng:
        yield eng


def _word(text: str, second: str | None) -> Word:
    return Word(text, 0, 0, 10, 10, 95.0, second_reading=second)


def test_words_with_digits_read_unsurely_are_read_again_and_others_are_not(
    engine: TesseractEngine,
) -> None:
    """Read from a clean rendering, every word is sure; their confidence is lowered as a
    degraded scan's would be, but for "39", which stays sure and is not read again."""
    gray, _ = render_lines(["Thửa đất số 503, tờ bản đồ số 39", "Ngày 12/05/2025"])
    read = engine.recognize(gray, 300)
    text = replace(
        read,
        words=[replace(w, confidence=97.0 if w.text == "39" else 90.0) for w in read.words],
    )
    looked = second_look_at_digits(engine, gray, text)
    again = {w.text: w.second_reading for w in looked.words}
    assert again["503,"] == "503,"
    assert again["12/05/2025"] == "12/05/2025"
    assert again["39"] is None
    assert again["Thửa"] is None and again["số"] is None
    assert [w.text for w in looked.words] == [w.text for w in text.words]
    assert digits_in_doubt(looked.words) is None


def test_a_machine_readable_zone_is_not_read_again(engine: TesseractEngine) -> None:
    gray, _ = render_lines(["IDVNM0340927826068303492782<<2"], font_path=_mono())
    read = engine.recognize(gray, 300)
    unsure = replace(read, words=[replace(w, confidence=80.0) for w in read.words])
    looked = second_look_at_digits(engine, gray, unsure)
    assert looked.words and all(w.second_reading is None for w in looked.words)


def test_a_page_without_digits_costs_no_second_reading() -> None:
    class Refuses:
        def read_alone(self, gray, dpi, boxes):  # type: ignore[no-untyped-def]
            raise AssertionError("nothing to read again")

    from ocr.text import PageText

    text = PageText([Word("Hà", 0, 0, 10, 10, 90.0), Word("Nội", 12, 0, 30, 10, 90.0)], 40, 20, 300)
    assert second_look_at_digits(Refuses(), np.full((20, 40), 255, np.uint8), text) is text


@pytest.mark.parametrize(
    ("text", "second", "doubt"),
    [
        ("303", "903", True),  # a 5 read as 3 once and as 9 the second time
        ("2023", "20231", True),
        ("12/05/2025", "12/06/2025", True),
        ("303", "303", False),
        ("498m?", "498m2", False),  # the unit's superscript is no digit of the value
        ("1.", "", False),  # too small to read alone: no evidence
        ("S1", "ol", False),  # letters alone: no evidence either
        ("503", None, False),  # not read again
    ],
)
def test_digits_in_doubt(text: str, second: str | None, doubt: bool) -> None:
    found = digits_in_doubt([_word("Số", None), _word(text, second)])
    assert (found is not None) is doubt
    if doubt:
        assert found == (_word(text, second), second)


def _mono() -> str:
    return "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"


class ScriptedReader:
    """Reads each box as scripted per scale (a stand-in for Tesseract where a real page would
    need a misread made to order), and records what it was asked."""

    def __init__(self, readings: dict[float, list[str]]) -> None:
        self.readings = readings
        self.asked: list[tuple[float, int]] = []

    def read_alone(self, gray, dpi, boxes, *, scale=1.0):  # type: ignore[no-untyped-def]
        self.asked.append((scale, len(boxes)))
        return self.readings[scale][: len(boxes)]


@pytest.mark.parametrize(
    ("first", "second", "smaller", "kept", "doubt"),
    [
        ("303", "903", "903", "903", True),  # read otherwise twice: in doubt
        ("2023", "20231", "2021", "20231", True),  # other digits each time: in doubt
        ("14", "1+:", "14", "14", False),  # a neighbour's colon in the crop; smaller, it agrees
    ],
)
def test_a_disagreement_is_read_a_third_time_smaller(
    first: str, second: str, smaller: str, kept: str, doubt: bool
) -> None:
    from ocr.text import PageText

    page = PageText(
        [Word("Số", 0, 0, 30, 20, 96.0), Word(first, 40, 0, 80, 20, 90.0)], 100, 30, 300
    )
    reader = ScriptedReader({1.0: [second], 0.75: [smaller]})
    looked = second_look_at_digits(reader, np.full((30, 100), 255, np.uint8), page)
    assert reader.asked == [(1.0, 1), (0.75, 1)]
    assert looked.words[1].second_reading == kept
    assert (digits_in_doubt(looked.words) is not None) is doubt


def test_an_agreeing_second_reading_needs_no_third() -> None:
    from ocr.text import PageText

    page = PageText([Word("503", 40, 0, 80, 20, 90.0)], 100, 30, 300)
    reader = ScriptedReader({1.0: ["503,"]})
    looked = second_look_at_digits(reader, np.full((30, 100), 255, np.uint8), page)
    assert reader.asked == [(1.0, 1)] and looked.words[0].second_reading == "503,"
