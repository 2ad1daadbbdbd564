"""Searchable PDFs checked with independent readers: poppler's pdftotext, qpdf, pdfium, pikepdf."""

from __future__ import annotations

import html
import io
import re
import subprocess
import unicodedata
from pathlib import Path

import numpy as np
import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from ocr.engine import TesseractEngine
from ocr.searchable_pdf import SearchablePdfError, assemble_pdf, write_page_pdf
from ocr.text import PageText, Word
from tests.test_ocr_engine import SENTENCES, DrawnWord, render_lines

_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)
PT = 72 / 300  # points per pixel of a 300-dpi page


def page_text(drawn: list[DrawnWord], width: int, height: int, scale: float = 1.0) -> PageText:
    """What an OCR engine would report for ``drawn``, one line per sentence, no baselines."""
    words, line, previous_top = [], 0, -1_000
    for d in drawn:
        if d.top > previous_top + 20:
            line += 1
            previous_top = d.top
        box = (round(d.left * scale), round(d.top * scale))
        words.append(
            Word(d.text, *box, round(d.right * scale), round(d.bottom * scale), 95.0, 1, line)
        )
    return PageText(words, round(width * scale), round(height * scale), 300.0 * scale)


def pdf_words(pdf: Path, page: int = 1) -> list[tuple[str, float, float, float, float]]:
    """(text, xMin, yMin, xMax, yMax) of each word poppler finds, in points from top-left."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        (html.unescape(m[5]), float(m[1]), float(m[2]), float(m[3]), float(m[4]))
        for m in _WORD.finditer(out)
    ]


def pdf_text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        ["pdftotext", *pages, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def qpdf_check(pdf: Path) -> None:
    result = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.fixture(scope="module")
def page() -> tuple[np.ndarray, list[DrawnWord]]:
    return render_lines(SENTENCES)


def assert_words_placed(pdf: Path, drawn: list[DrawnWord], tolerance: float = 1.5) -> None:
    """Poppler finds every drawn word, in order, over its ink; a line's words share its band."""
    found = pdf_words(pdf)
    assert [w[0] for w in found] == [d.text for d in drawn]
    line_of = page_text(drawn, 1, 1).words
    for (text, x0, y0, x1, y1), d, word in zip(found, drawn, line_of, strict=True):
        line = [w for w in line_of if w.line == word.line]
        top, bottom = min(w.top for w in line) * PT, max(w.bottom for w in line) * PT
        assert unicodedata.is_normalized("NFC", text)
        assert abs(x0 - d.left * PT) <= tolerance, (text, x0, d.left * PT)
        assert abs(x1 - d.right * PT) <= tolerance, (text, x1, d.right * PT)
        # Vertically the word spans its line, from the tallest ink down to the baseline.
        assert abs(y0 - top) <= tolerance, (text, y0, top)
        assert (d.top + d.bottom) / 2 * PT <= y1 <= bottom + tolerance, (text, y1, d)


def test_each_word_is_found_where_the_image_has_it(
    tmp_path: Path, page: tuple[np.ndarray, list[DrawnWord]]
) -> None:
    gray, drawn = page
    out = tmp_path / "page.pdf"
    write_page_pdf(out, image=gray, dpi=300, text=page_text(drawn, gray.shape[1], gray.shape[0]))
    assert_words_placed(out, drawn)
    text = pdf_text(out)
    for sentence in SENTENCES:
        assert sentence in text
    assert unicodedata.is_normalized("NFC", text)
    qpdf_check(out)


def test_tesseract_output_lands_on_its_words(
    tmp_path: Path, page: tuple[np.ndarray, list[DrawnWord]]
) -> None:
    gray, _ = page
    with TesseractEngine("vie+eng") as engine:
        recognised = engine.recognize(gray, 300)
    out = tmp_path / "ocr.pdf"
    write_page_pdf(out, image=gray, dpi=300, text=recognised)
    found = pdf_words(out)
    assert len(found) == len(recognised.words)
    baselines = recognised.extra["baselines"]
    assert isinstance(baselines, dict)
    for text, x0, y0, x1, y1 in found:
        centre = (x0 + x1) / 2 / PT
        (word,) = [w for w in recognised.words if w.text == text and w.left <= centre <= w.right]
        line = [w for w in recognised.words if w.line == word.line]
        assert abs(x0 - word.left * PT) <= 1.5 and abs(x1 - word.right * PT) <= 1.5
        # Every word of a line spans the line's top to Tesseract's baseline of that line.
        assert abs(y0 - min(w.top for w in line) * PT) <= 1.5
        assert abs(y1 - baselines[word.line][1] * PT) <= 1.5
    assert "Cộng hòa xã hội chủ nghĩa Việt Nam" in pdf_text(out)


def test_text_scale_maps_ocr_pixels_onto_a_smaller_image(
    tmp_path: Path, page: tuple[np.ndarray, list[DrawnWord]]
) -> None:
    gray, drawn = page
    half = np.asarray(Image.fromarray(gray).resize((gray.shape[1] // 2, gray.shape[0] // 2)))
    out = tmp_path / "half.pdf"
    text = page_text(drawn, gray.shape[1], gray.shape[0])  # OCR at twice the image's pixels
    write_page_pdf(out, image=half, dpi=150, text=text, text_scale=2.0)
    assert_words_placed(out, drawn)
    with pikepdf.open(out) as pdf:
        assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 595, 196]


def _only_image(pdf: pikepdf.Pdf) -> pikepdf.Stream:
    images = list(pdf.pages[0].get_images().values())
    assert len(images) == 1
    return images[0]


def test_page_image_is_the_one_given(
    tmp_path: Path, page: tuple[np.ndarray, list[DrawnWord]]
) -> None:
    gray, drawn = page
    rng = np.random.default_rng(7)
    rgb = np.dstack([gray, gray, gray]).copy()
    rgb[50:150, 50:400] = rng.integers(0, 255, (100, 350, 3), dtype=np.uint8)
    rgb[300:320, :] = (200, 0, 0)  # a red stripe: colour must survive
    out = tmp_path / "rgb.pdf"
    write_page_pdf(out, image=rgb, dpi=300, text=page_text(drawn, *gray.shape[::-1]))
    with pikepdf.open(out) as pdf:
        image = _only_image(pdf)
        assert (image.Width, image.Height) == (gray.shape[1], gray.shape[0])
        assert image.ColorSpace == pikepdf.Name.DeviceRGB and image.Filter == pikepdf.Name.DCTDecode
        page_box = [float(v) for v in pdf.pages[0].MediaBox]
        assert page_box[2:] == pytest.approx([gray.shape[1] * PT, gray.shape[0] * PT], abs=0.01)
        decoded = np.asarray(pikepdf.PdfImage(image).as_pil_image().convert("RGB"), dtype=int)
    assert np.abs(decoded - rgb).mean() < 4
    assert decoded[310, 1000, 0] > 150 and decoded[310, 1000, 1] < 100


def test_jpeg_bytes_pass_through_identical(tmp_path: Path) -> None:
    gray, drawn = render_lines(SENTENCES[:1], width=1200)
    buffer = io.BytesIO()
    Image.fromarray(gray).save(buffer, format="JPEG", quality=70)
    jpeg = buffer.getvalue()
    out = tmp_path / "jpeg.pdf"
    text = page_text(drawn, *gray.shape[::-1])
    write_page_pdf(out, image=None, jpeg=jpeg, dpi=300, text=text)
    with pikepdf.open(out) as pdf:
        image = _only_image(pdf)
        assert image.read_raw_bytes() == jpeg
        assert (image.Width, image.Height) == (gray.shape[1], gray.shape[0])
        assert image.ColorSpace == pikepdf.Name.DeviceGray
    assert SENTENCES[0] in pdf_text(out)


def _render_gray(pdf: Path, dpi: float) -> np.ndarray:
    png = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    return np.asarray(Image.open(io.BytesIO(png)).convert("L")).astype(np.float64)


def _shifted_difference(got: np.ndarray, want: np.ndarray, dy: int, dx: int) -> float:
    h, w = min(got.shape[0], want.shape[0]), min(got.shape[1], want.shape[1])
    a = got[max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)]
    b = want[max(-dy, 0) : h + min(-dy, 0), max(-dx, 0) : w + min(-dx, 0)]
    return float(np.abs(a - b).mean())


@pytest.mark.parametrize(("rotation", "skew"), [(0, 2.5), (90, 0.0), (180, -1.7), (270, 3.0)])
def test_placed_scan_renders_as_the_turned_and_deskewed_scan(
    tmp_path: Path, rotation: int, skew: float
) -> None:
    """Poppler renders the page drawn through the transform pixel for pixel where resampling
    the scan (``ingest.clean.upright_image``) puts it, and the scan's JPEG bytes are kept."""
    from ingest.clean import upright_image
    from ingest.pipeline import _placement

    gray, _ = render_lines(SENTENCES[:4], width=900)
    scan = np.ascontiguousarray(np.rot90(gray, rotation // 90))  # upright after `rotation`
    buffer = io.BytesIO()
    Image.fromarray(scan).save(buffer, format="JPEG", quality=92)
    jpeg = buffer.getvalue()
    want = upright_image(scan, (360 - rotation) % 360, skew).astype(np.float64)
    out = tmp_path / "placed.pdf"
    placement = _placement(scan, (360 - rotation) % 360, skew)
    assert placement is not None
    text = PageText([], placement.width, placement.height, 150)
    write_page_pdf(out, image=scan, jpeg=jpeg, dpi=150, text=text, placement=placement)
    got = _render_gray(out, 150)
    assert got.shape == want.shape
    aligned = _shifted_difference(got, want, 0, 0)
    assert aligned < 4, aligned
    for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        assert aligned < _shifted_difference(got, want, dy, dx) - 1
    with pikepdf.open(out) as pdf:
        assert _only_image(pdf).read_raw_bytes() == jpeg
    qpdf_check(out)


def test_bad_placement_is_a_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    from ocr.searchable_pdf import Placement

    blank = np.full((40, 40), 255, np.uint8)
    for placement in (Placement(np.zeros((2, 3)), 40, 40), Placement(np.eye(3)[:2], 0, 40)):
        with pytest.raises(SearchablePdfError, match="placement"):
            write_page_pdf(
                tmp_path / "x.pdf",
                image=blank,
                dpi=300,
                text=PageText([], 40, 40, 300),
                placement=placement,
            )
    assert list(tmp_path.iterdir()) == []


def test_jpeg_that_does_not_match_the_image_is_refused(tmp_path: Path) -> None:
    gray, drawn = render_lines(SENTENCES[:1], width=1200)
    buffer = io.BytesIO()
    Image.fromarray(gray[:, :600]).save(buffer, format="JPEG")
    out = tmp_path / "bad.pdf"
    with pytest.raises(SearchablePdfError, match="untouched original"):
        write_page_pdf(
            out, image=gray, jpeg=buffer.getvalue(), dpi=300, text=page_text(drawn, 1200, 300)
        )
    with pytest.raises(SearchablePdfError, match="SOI"):
        write_page_pdf(out, image=None, jpeg=b"GIF89a", dpi=300, text=page_text(drawn, 1200, 300))
    assert list(tmp_path.iterdir()) == []


def test_bilevel_page_stays_one_bit(
    tmp_path: Path, page: tuple[np.ndarray, list[DrawnWord]]
) -> None:
    gray, drawn = page
    out = tmp_path / "bw.pdf"
    write_page_pdf(out, image=gray, dpi=300, text=page_text(drawn, *gray.shape[::-1]), bilevel=True)
    with pikepdf.open(out) as pdf:
        image = _only_image(pdf)
        assert image.BitsPerComponent == 1 and image.Filter == pikepdf.Name.CCITTFaxDecode
    # pdfium decodes the G4 image independently: every pixel is the thresholded page.
    document = pdfium.PdfDocument(out)
    try:
        (obj,) = [o for o in document[0].get_objects() if isinstance(o, pdfium.PdfImage)]
        decoded = np.asarray(obj.get_bitmap(render=False).to_pil().convert("L"))
    finally:
        document.close()
    assert np.array_equal(decoded, np.where(gray >= 128, 255, 0))
    assert_words_placed(out, drawn)


@pytest.mark.parametrize(
    "image",
    [np.zeros((40, 40), np.float32), np.zeros((40, 40, 4), np.uint8), None],
    ids=["float", "rgba", "missing"],
)
def test_bad_image_is_a_clear_error_and_writes_nothing(
    tmp_path: Path, image: np.ndarray | None
) -> None:
    with pytest.raises(SearchablePdfError):
        write_page_pdf(tmp_path / "x.pdf", image=image, dpi=300, text=PageText([], 40, 40, 300))
    with pytest.raises(SearchablePdfError, match="dpi"):
        write_page_pdf(
            tmp_path / "x.pdf",
            image=np.zeros((40, 40), np.uint8),
            dpi=0,
            text=PageText([], 40, 40, 300),
        )
    assert list(tmp_path.iterdir()) == []


def test_page_without_words_and_characters_outside_the_bmp(tmp_path: Path) -> None:
    blank = np.full((300, 300), 255, np.uint8)
    write_page_pdf(tmp_path / "blank.pdf", image=blank, dpi=300, text=PageText([], 300, 300, 300))
    qpdf_check(tmp_path / "blank.pdf")
    assert pdf_text(tmp_path / "blank.pdf").strip() == ""
    odd = PageText([Word("a\U0001f600b", 10, 10, 100, 40, 90.0, 1, 1)], 300, 300, 300)
    write_page_pdf(tmp_path / "odd.pdf", image=blank, dpi=300, text=odd)
    assert "a\ufffdb" in pdf_text(tmp_path / "odd.pdf")


def test_leader_dots_glued_to_words_are_parted_in_the_text_layer(tmp_path: Path) -> None:
    """A value typed over a dotted line reads "Số .1.93..phố.Nguyễn.": the text layer parts
    the words (a search for "Nguyễn" finds it) and drops leader dots, while abbreviations,
    numbers, codes and an ellipsis keep their dots."""
    blank = np.full((400, 4000), 255, np.uint8)
    words = [
        ".1.93..phố.Nguyễn.",
        "Trãi..........",
        "..........",
        "TP.HCM",
        "1.500.000",
        "000.00.13.H12-250701-0042",
        "tiếp...",
    ]
    placed, x = [], 10
    for word in words:
        width = 40 * len(word)
        placed.append(Word(word, x, 100, x + width, 160, 90.0, 1, 1))
        x += width + 30
    text = PageText(placed, 4000, 400, 300)
    write_page_pdf(tmp_path / "dots.pdf", image=blank, dpi=300, text=text)
    found = pdf_text(tmp_path / "dots.pdf").split()
    assert found == [
        "1.93", "phố", "Nguyễn.", "Trãi", "TP.HCM", "1.500.000", "000.00.13.H12-250701-0042",
        "tiếp...",
    ]  # fmt: skip


@pytest.fixture
def spooled(tmp_path: Path) -> list[Path]:
    """Three one-page PDFs, each with its own words and its own page width."""
    paths = []
    for number in (1, 2, 3):
        gray, drawn = render_lines([f"Trang {number} của hồ sơ"], width=900 + 100 * number)
        path = tmp_path / "spool" / f"{number}.pdf"
        path.parent.mkdir(exist_ok=True)
        write_page_pdf(path, image=gray, dpi=300, text=page_text(drawn, *gray.shape[::-1]))
        paths.append(path)
    return paths


def test_assemble_keeps_order_and_writes_pdfa(tmp_path: Path, spooled: list[Path]) -> None:
    out = tmp_path / "doc.pdf"
    order = [spooled[2], spooled[0], spooled[1]]
    assemble_pdf(order, out, title="Giấy đề nghị đăng ký hộ kinh doanh")
    qpdf_check(out)
    for position, source in enumerate(order, start=1):
        assert f"Trang {source.stem} của hồ sơ" in pdf_text(out, position)
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 3 and pdf.pdf_version == "1.7"
        widths = [round(float(p.MediaBox[2])) for p in pdf.pages]
        assert widths == [round((900 + 100 * int(s.stem)) * PT) for s in order]
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        assert meta["dc:title"] == "Giấy đề nghị đăng ký hộ kinh doanh"
        assert str(pdf.docinfo["/Title"]) == "Giấy đề nghị đăng ký hộ kinh doanh"
        assert str(pdf.Root.Lang) == "vi-VN"
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == pikepdf.Name.GTS_PDFA1 and intent.DestOutputProfile.N == 3
        assert intent.DestOutputProfile.read_bytes()[36:40] == b"acsp"  # an ICC profile
        assert len(pdf.trailer.ID) == 2
        fonts = {p.Resources.Font["/GlyphLessFont"].objgen for p in pdf.pages}
        assert len(fonts) == 1  # one embedded font shared by every page
        descendant = pdf.pages[0].Resources.Font["/GlyphLessFont"].DescendantFonts[0]
        assert "/FontFile2" in descendant.FontDescriptor


def test_assemble_without_pdfa(tmp_path: Path, spooled: list[Path]) -> None:
    out = tmp_path / "plain.pdf"
    assemble_pdf(spooled, out, pdfa=False)
    with pikepdf.open(out) as pdf:
        assert "/OutputIntents" not in pdf.Root
        assert "pdfaid:part" not in pdf.open_metadata()


def test_failed_assemble_leaves_nothing_behind(tmp_path: Path, spooled: list[Path]) -> None:
    broken = tmp_path / "spool" / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nthis is not a PDF body")
    out = tmp_path / "doc.pdf"
    with pytest.raises(SearchablePdfError, match=r"Page 2 of 3 .*broken\.pdf"):
        assemble_pdf([spooled[0], broken, spooled[1]], out)
    assert not out.exists()
    out.write_bytes(b"previous result")
    with pytest.raises(SearchablePdfError, match="not a readable PDF"):
        assemble_pdf([spooled[0], tmp_path / "missing.pdf"], out)
    assert out.read_bytes() == b"previous result"  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.pdf", "spool"]
    with pytest.raises(SearchablePdfError, match="No pages"):
        assemble_pdf([], tmp_path / "empty.pdf")


def test_many_pages_merge_in_order(tmp_path: Path, spooled: list[Path]) -> None:
    out = tmp_path / "long.pdf"
    pages = [*spooled, spooled[0], spooled[2]] * 3
    assemble_pdf(pages, out)
    qpdf_check(out)
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == len(pages)
        assert pdf.open_metadata()["pdfaid:part"] == "2"
    for position, source in enumerate(pages, start=1):
        assert f"Trang {source.stem} của hồ sơ" in pdf_text(out, position)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.pdf", "spool"]
