"""TesseractEngine on pages rendered here with real fonts and Vietnamese text."""

from __future__ import annotations

import pickle
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr.engine import (
    ImageFormatError,
    LanguageDataError,
    OcrError,
    TesseractEngine,
    find_tessdata,
)
from ocr.text import PageText

FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
)
SENTENCES = (
    "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "Giấy đề nghị đăng ký hộ kinh doanh",
    "Số: 123/2024 ngày 15/03/2024",
    "Độc lập - Tự do - Hạnh phúc",
)


@dataclass(frozen=True)
class DrawnWord:
    """A word as drawn: its text and ink box in image pixels."""

    text: str
    left: int
    top: int
    right: int
    bottom: int


def render_lines(
    lines: Sequence[str],
    *,
    font_path: str = FONTS[0],
    size: int = 42,
    width: int = 2480,
    height: int | None = None,
    margin: int = 200,
    top: int = 180,
    spacing: float = 2.6,
) -> tuple[np.ndarray, list[DrawnWord]]:
    """A white 8-bit page with ``lines`` drawn word by word, and where each word's ink is."""
    font = ImageFont.truetype(font_path, size)
    step = round(size * spacing)
    height = height or top + step * len(lines) + margin
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    space = draw.textlength(" ", font=font)
    boxes: list[tuple[str, tuple[float, float, float, float]]] = []
    drawn: list[DrawnWord] = []
    for index, line in enumerate(lines):
        x = float(margin)
        y = top + index * step
        for word in line.split():
            draw.text((x, y), word, font=font, fill=0)
            boxes.append((word, draw.textbbox((x, y), word, font=font)))
            x += draw.textlength(word, font=font) + space
    pixels = np.asarray(image)
    for word, (left, upper, right, lower) in boxes:
        # textbbox includes side bearings; the ink is what OCR boxes measure.
        x0, y0 = max(0, int(left) - 2), max(0, int(upper) - 2)
        rows, cols = np.nonzero(pixels[y0 : int(lower) + 2, x0 : int(right) + 2] < 128)
        drawn.append(
            DrawnWord(
                word, x0 + cols.min(), y0 + rows.min(), x0 + cols.max() + 1, y0 + rows.max() + 1
            )
        )
    return pixels, drawn


def find_font(path: str) -> str:
    if not Path(path).is_file():
        pytest.skip(f"font {path} not installed")
    return path


@pytest.fixture(scope="module")
def engine() -> Iterator[TesseractEngine]:
    with TesseractEngine("vie+eng") as eng:
        yield eng


@pytest.fixture(scope="module")
def page() -> tuple[np.ndarray, list[DrawnWord]]:
    return render_lines(SENTENCES)


@pytest.mark.parametrize("font_path", FONTS)
def test_recognize_finds_each_word_where_it_was_drawn(
    engine: TesseractEngine, font_path: str
) -> None:
    gray, drawn = render_lines(SENTENCES, font_path=find_font(font_path))
    result = engine.recognize(gray, 300)
    assert (result.width, result.height, result.dpi) == (gray.shape[1], gray.shape[0], 300.0)
    exact = 0
    for want in drawn:
        # The recognised word whose box centre lies inside the drawn ink box.
        cx, cy = (want.left + want.right) / 2, (want.top + want.bottom) / 2
        hits = [w for w in result.words if w.left <= cx <= w.right and w.top <= cy <= w.bottom]
        assert len(hits) == 1, f"{want.text!r} at {want} matched {hits}"
        got = hits[0]
        for edge in ("left", "top", "right", "bottom"):
            assert abs(getattr(got, edge) - getattr(want, edge)) <= 4, (edge, got, want)
        assert 0.0 <= got.confidence <= 100.0
        exact += got.text == want.text
    # vie's fast model has known slips (stacked tone marks); the sentences must mostly survive.
    assert exact >= 0.9 * len(drawn), [w.text for w in result.words]
    assert result.mean_confidence > 80


def test_binary_page_handed_over_as_one_bit_reads_the_same(
    engine: TesseractEngine, page: tuple[np.ndarray, list[DrawnWord]]
) -> None:
    """A cleaned page is 0/255 already: as 1 bit it must give the very same words and boxes,
    and a 1-bit handover must keep white as white (an inverted page reads as nothing)."""
    gray, drawn = page
    black_and_white = np.where(gray < 128, 0, 255).astype(np.uint8)
    eight_bit = engine.recognize(black_and_white, 300)
    one_bit = engine.recognize(black_and_white, 300, binary=True)

    def boxes(text: PageText) -> list[tuple[str, int, int, int, int]]:
        return [(w.text, w.left, w.top, w.right, w.bottom) for w in text.words]

    assert boxes(one_bit) == boxes(eight_bit)
    assert len(one_bit.words) >= 0.9 * len(drawn)


def test_text_is_nfc_with_diacritics_and_lines_in_reading_order(
    engine: TesseractEngine, page: tuple[np.ndarray, list[DrawnWord]]
) -> None:
    gray, _ = page
    result = engine.recognize(gray, 300)
    assert "Cộng hòa xã hội chủ nghĩa Việt Nam" in result.text
    assert "Giấy đề nghị đăng ký hộ kinh doanh" in result.text
    assert all(unicodedata.is_normalized("NFC", w.text) for w in result.words)
    lines = result.lines()
    assert len(lines) == len(SENTENCES)
    tops = [min(w.top for w in line) for line in lines]
    assert tops == sorted(tops)
    baselines = result.extra["baselines"]
    assert isinstance(baselines, dict)
    for line in lines:
        _, y1, _, y2 = baselines[line[0].line]
        # The baseline lies inside the line's boxes, below the x-height.
        assert min(w.top for w in line) < y1 <= max(w.bottom for w in line)
        assert abs(y1 - y2) <= 2


def test_engine_reuses_one_api_across_pages(
    engine: TesseractEngine, page: tuple[np.ndarray, list[DrawnWord]]
) -> None:
    gray, _ = page
    other, _ = render_lines(["Hồ sơ số 000.00.00.H00-240315-0001"], font_path=FONTS[0])
    loaded = engine.init_count
    first = engine.recognize(gray, 300)
    between = engine.recognize(other, 300)
    again = engine.recognize(gray, 300)
    assert engine.init_count == loaded  # no model reloaded per page
    assert again.words == first.words  # nothing leaks from the page in between
    assert "000.00.00.H00-240315-0001" in between.text


def test_blank_page_gives_no_words(engine: TesseractEngine) -> None:
    blank = np.full((800, 600), 255, np.uint8)
    assert engine.recognize(blank, 300).words == []


def test_missing_language_is_an_actionable_error() -> None:
    with pytest.raises(LanguageDataError) as caught:
        TesseractEngine("vie+xyz")
    message = str(caught.value)
    assert "'xyz'" in message and "tesseract-ocr-xyz" in message
    assert "HOSO_TESSDATA_DIR" in message and str(find_tessdata()) in message


def test_tessdata_folder_without_models_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LanguageDataError, match="HOSO_TESSDATA_DIR"):
        TesseractEngine(tessdata_dir=tmp_path)


def test_tessdata_found_from_env_then_system(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system = find_tessdata()
    assert (system / "vie.traineddata").is_file()
    (tmp_path / "tessdata").mkdir()
    (tmp_path / "tessdata" / "eng.traineddata").write_bytes(b"x")
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))  # the parent, Tesseract 3 style
    assert find_tessdata() == tmp_path / "tessdata"
    assert find_tessdata(system) == system  # explicit wins over the environment


def test_corrupt_model_is_an_ocr_error(tmp_path: Path) -> None:
    (tmp_path / "vie.traineddata").write_bytes(b"not a model")
    with pytest.raises(LanguageDataError, match="could not load"):
        TesseractEngine("vie", tessdata_dir=tmp_path)


@pytest.mark.parametrize(
    "bad",
    [np.zeros((50, 50, 3), np.uint8), np.zeros((50, 50), np.float32), np.zeros((1, 50), np.uint8)],
)
def test_bad_image_is_refused_clearly(engine: TesseractEngine, bad: np.ndarray) -> None:
    with pytest.raises(ImageFormatError):
        engine.recognize(bad, 300)


def test_bad_resolution_is_refused(engine: TesseractEngine) -> None:
    with pytest.raises(ImageFormatError, match="dots per inch"):
        engine.recognize(np.full((50, 50), 255, np.uint8), 0)


def test_closed_engine_and_pickling_fail_clearly() -> None:
    eng = TesseractEngine("eng")
    with pytest.raises(TypeError, match="each worker"):
        pickle.dumps(eng)
    eng.close()
    with pytest.raises(OcrError, match="closed"):
        eng.recognize(np.full((50, 50), 255, np.uint8), 300)


def test_leptonica_messages_are_silenced(engine: TesseractEngine) -> None:
    """Leptonica's internal complaints must not reach the scanning staff's terminal."""
    import ctypes

    from ocr.engine import leptonica_libraries

    libraries = leptonica_libraries()
    assert libraries, "tesserocr's Leptonica is loaded once an engine exists"
    for path in libraries:
        leptonica = ctypes.CDLL(path)
        assert leptonica.setMsgSeverity(6) == 6  # it was silent already


def test_read_alone_reads_each_box_as_one_line_and_keeps_the_page_mode(
    engine: TesseractEngine,
) -> None:
    gray, drawn = render_lines(["Thửa đất số 503 tờ bản đồ 39", "Diện tích 120,5 m2"])
    numbers = [w for w in drawn if any(c.isdigit() for c in w.text)]
    boxes = [(w.left - 10, w.top - 8, w.right + 10, w.bottom + 8) for w in numbers]
    boxes.append((-50, -50, 2, 2))  # nothing of the image left once clipped
    readings = engine.read_alone(gray, 300, boxes)
    assert readings == [w.text for w in numbers] + [""]
    # the page's own segmentation is back for the next page
    assert [w.text for w in engine.recognize(gray, 300).words][:4] == ["Thửa", "đất", "số", "503"]
