"""Page cleaning: deskew, orientation, lighting, borders, punch holes, blank pages, geometry."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest._layout import analyse
from ingest.clean import CleaningError, clean_page, descreen, upright_image, upright_shape
from ocr.engine import TesseractEngine

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
LINES = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "TỜ KHAI ĐĂNG KÝ KHAI SINH",
    "Kính gửi: Ủy ban nhân dân phường Bến Nghé",
    "Họ, chữ đệm, tên người yêu cầu: Nguyễn Thị Hồng Nhung",
    "Nơi cư trú: số 12 đường Lê Lợi, quận Hoàn Kiếm, Hà Nội",
    "Giấy tờ tùy thân: Căn cước công dân số 001203004567",
    "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:",
    "Họ, chữ đệm, tên: Trần Minh Khôi   Ngày sinh: 12/05/2025",
    "Nơi sinh: Bệnh viện Phụ sản Hà Nội   Giới tính: Nam",
    "Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây",
    "là đúng sự thật và chịu trách nhiệm trước pháp luật.",
]
MM = 1 / 25.4
DPI = 300  # the main test page is scanned at the OCR resolution, so scale is 1


def make_page(
    dpi: float = 200, lines: list[str] = LINES, size_mm: tuple[int, int] = (148, 210)
) -> np.ndarray:
    """A gray A5 form page with Vietnamese text at ``dpi``."""
    w, h = round(size_mm[0] * MM * dpi), round(size_mm[1] * MM * dpi)
    im = Image.new("L", (w, h), 245)
    draw = ImageDraw.Draw(im)
    font = ImageFont.truetype(FONT, round(11 / 72 * dpi))  # 11 pt
    step = round(8 * MM * dpi)
    for i, line in enumerate(lines):
        draw.text((round(15 * MM * dpi), round(25 * MM * dpi) + i * step), line, font=font, fill=20)
    return np.asarray(im)


def skewed(page: np.ndarray, degrees: float) -> np.ndarray:
    """The page as scanned turned ``degrees`` counter-clockwise (same canvas, paper fill)."""
    h, w = page.shape[:2]
    matrix = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), degrees, 1.0)
    fill = (245, 245, 245) if page.ndim == 3 else 245
    return cv2.warpAffine(page, matrix, (w, h), borderValue=fill)


def ink(image: np.ndarray) -> np.ndarray:
    """Ink in a page: the OCR copy keeps the soft edges of strokes in shades of gray."""
    return image < 200


def agreement(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of the ink of two same-sized pages."""
    assert a.shape == b.shape
    both = np.logical_and(ink(a), ink(b)).sum()
    either = np.logical_or(ink(a), ink(b)).sum()
    return float(both / max(1, either))


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    return make_page(DPI)


@pytest.fixture(scope="module")
def engine() -> TesseractEngine:
    with TesseractEngine(languages="vie") as eng:
        yield eng


@pytest.fixture(scope="module")
def upright_clean(page: np.ndarray) -> np.ndarray:
    return clean_page(page, DPI).gray


# --------------------------------------------------------------------------- deskew


@pytest.mark.parametrize("degrees", [3.5, -6.0, 0.8])
def test_skew_is_measured_and_removed(page: np.ndarray, degrees: float) -> None:
    cleaned = clean_page(skewed(page, degrees), DPI)
    assert cleaned.rotation == 0
    assert abs(cleaned.skew_degrees + degrees) <= 0.3  # undone by turning back
    assert abs(analyse(cleaned.gray, cleaned.ocr_dpi).skew_degrees) <= 0.15  # lines now level


def test_straight_page_is_not_turned(page: np.ndarray, upright_clean: np.ndarray) -> None:
    cleaned = clean_page(page, DPI)
    assert cleaned.rotation == 0 and cleaned.skew_degrees == 0.0 and cleaned.scale == 1.0
    assert cleaned.gray.shape == page.shape
    # the paper white, the ink in the shades of its strokes (their soft edges are what
    # Tesseract's LSTM reads marks and thin digits from), none of it cut at a threshold
    paper = cleaned.gray[ink(cleaned.gray) == 0]
    assert np.mean(paper == 255) > 0.97
    edges = (cleaned.gray > 0) & (cleaned.gray < 255)
    assert edges.sum() > 0.2 * ink(cleaned.gray).sum()


def test_a_coarse_scan_enlarged_for_ocr_is_black_and_white() -> None:
    """Shades interpolated up from 100 dpi carry only blur: the enlarged copy is thresholded."""
    cleaned = clean_page(make_page(dpi=100), 100)
    assert cleaned.scale == pytest.approx(3.0)
    assert set(np.unique(cleaned.gray)) == {0, 255}


@pytest.mark.parametrize("dpi", [150, 200])
def test_an_office_scan_at_150_or_200_dpi_is_read_in_its_shades(dpi: int) -> None:
    """Enlarged from 150 or 200 dpi, strokes keep their soft edges for Tesseract
    (thresholded, holdout batches scanned so lost four points of fields)."""
    cleaned = clean_page(make_page(dpi=dpi), dpi)
    assert cleaned.scale == pytest.approx(300 / dpi)
    edges = (cleaned.gray > 0) & (cleaned.gray < 255)
    assert edges.sum() > 0.2 * ink(cleaned.gray).sum()


def test_specks_are_painted_white_however_dark(page: np.ndarray) -> None:
    """Dust taken out of the ink is paper in the OCR copy, not a dark dot Tesseract reads."""
    dusty = page.copy()
    rng = np.random.default_rng(5)
    specks = list(zip(rng.integers(1800, 2300, 40), rng.integers(300, 1500, 40), strict=True))
    for y, x in specks:  # below the text, in the blank half of the page
        dusty[y : y + 2, x : x + 2] = 0
    cleaned = clean_page(dusty, DPI)
    assert all(cleaned.gray[y : y + 2, x : x + 2].min() == 255 for y, x in specks)


# --------------------------------------------------------------------------- orientation


@pytest.mark.parametrize("turned", [90, 180, 270])
def test_turned_pages_come_out_upright(
    page: np.ndarray, upright_clean: np.ndarray, turned: int
) -> None:
    scan = np.ascontiguousarray(np.rot90(page, -turned // 90))  # scanned turned clockwise
    cleaned = clean_page(scan, DPI)
    assert cleaned.rotation == (360 - turned) % 360
    assert agreement(cleaned.gray, upright_clean) > 0.9


CARD_LINES = [
    "CAN CUOC CONG DAN",
    "SO DINH DANH CA NHAN 001203004567",
    "HO VA TEN NGUYEN VAN AN",
    "NGAY SINH 12 05 1990 QUOC TICH VIET NAM",
]


def test_a_weak_ink_balance_is_not_acted_on() -> None:
    """Capitals without tone marks and digits (an identity card) leave the ink balance
    undecided: cleaning leaves such a page as it is, upright or not (turning it on a guess
    would lose the title of an upright card)."""
    card = make_page(DPI, lines=CARD_LINES)
    assert clean_page(card, DPI).rotation == 0
    assert clean_page(np.ascontiguousarray(card[::-1, ::-1]), DPI).rotation == 0


@pytest.mark.parametrize("turned", [False, True])
def test_page_stage_turns_an_upside_down_card(tmp_path, turned: bool) -> None:
    """Through the pipeline's page stage with the real engine: the card cleaning could not
    settle comes out upright either way, read again turned only when it was upside down."""
    import os

    from ingest import pipeline
    from ingest.readers import open_source, page_refs

    card = make_page(DPI, lines=CARD_LINES * 3)
    scan = np.ascontiguousarray(card[::-1, ::-1]) if turned else card
    path = tmp_path / "card.png"
    Image.fromarray(scan).save(path, dpi=(DPI, DPI))
    pipeline._init_worker(pipeline.IngestOptions(workers=1), os.getpid())
    source = open_source(path, max_image_pixels=10**8, max_file_bytes=10**8)
    [ref] = page_refs(source)
    outcome = pipeline.process_page(pipeline.PageJob(0, ref, tmp_path / "page.pdf"))
    assert outcome.error is None, outcome.message
    assert outcome.rotation == (180 if turned else 0)
    assert "CUOC CONG DAN" in outcome.text.text


def test_upright_text_reads_after_cleaning(page: np.ndarray, engine: TesseractEngine) -> None:
    scan = skewed(np.ascontiguousarray(np.rot90(page, 1)), 2.0)  # sideways and skewed
    cleaned = clean_page(scan, DPI)
    text = engine.recognize(cleaned.gray, cleaned.ocr_dpi).text
    assert "Độc lập" in text and "Hạnh phúc" in text


def _tinted(page: np.ndarray, paper: int) -> np.ndarray:
    """The page printed on tinted paper (or photocopied gray): paper at ``paper``, ink kept."""
    return np.minimum(page, paper).astype(np.uint8)


def _bayer_dither(gray: np.ndarray) -> np.ndarray:
    """Ordered (4x4 Bayer) dithering to 0/255, as many scanners' halftone mode does."""
    bayer = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]])
    h, w = gray.shape
    threshold = (np.tile(bayer, (h // 4 + 1, w // 4 + 1))[:h, :w] + 0.5) * 16
    return np.where(gray > threshold, 255, 0).astype(np.uint8)


@pytest.mark.parametrize("dither", ["error-diffusion", "ordered"])
@pytest.mark.parametrize("paper", [205, 225])
def test_halftoned_tinted_page_reads(
    page: np.ndarray, engine: TesseractEngine, dither: str, paper: int
) -> None:
    """A tinted form scanned in black-and-white halftone mode is dots all over; it must read
    (Tesseract found no word at all on such pages before they were descreened)."""
    tinted = _tinted(page, paper)
    if dither == "ordered":
        scan = _bayer_dither(tinted)
    else:
        scan = np.asarray(Image.fromarray(tinted).convert("1").convert("L"))
    scan = np.ascontiguousarray(np.rot90(scan, 2))  # and upside down
    cleaned = clean_page(scan, DPI)
    assert cleaned.rotation == 180 and not cleaned.blank
    text = engine.recognize(cleaned.gray, cleaned.ocr_dpi).text
    assert all(words in text for words in ("Độc lập", "Hạnh phúc", "KHAI SINH", "Nguyễn"))


def test_halftoned_empty_back_is_blank() -> None:
    back = np.asarray(Image.fromarray(np.full((600, 400), 215, np.uint8)).convert("1"))
    assert clean_page(back.astype(np.uint8) * 255, DPI).blank


def test_plain_black_and_white_page_gets_soft_edges_only(page: np.ndarray) -> None:
    """A 1-bit page of text is softened at its strokes' edges (Tesseract reads shades), not
    blurred into tones as halftone dots are; a gray page is left to the threshold."""
    bilevel = np.where(page < 128, 0, 255).astype(np.uint8)
    soft = descreen(bilevel, DPI)
    edges = (soft > 0) & (soft < 255)
    assert edges.any()
    assert np.count_nonzero(soft < 128) == pytest.approx(np.count_nonzero(bilevel == 0), rel=0.1)
    assert descreen(page, DPI) is page  # gray: left to the threshold


def test_half_turn_shortcut_matches_full_geometry(page: np.ndarray) -> None:
    """clean_page flips its output for 180: that must equal turning the original 180 more."""
    flipped = np.rot90(upright_image(page, 0, 4.0), 2)
    direct = upright_image(page, 180, 4.0)
    assert flipped.shape == direct.shape
    assert np.abs(flipped.astype(int) - direct).mean() < 1.0


# --------------------------------------------------------------------------- page defects


def test_dark_borders_and_punch_holes_whited_out(
    page: np.ndarray, upright_clean: np.ndarray
) -> None:
    scan = page.copy()
    px = DPI * MM
    scan[:, : round(6 * px)] = 25  # scanner lid left of the sheet
    scan[: round(4 * px), :] = 40  # and above it
    holes = [(round(10 * px), round(70 * px)), (round(10 * px), round(150 * px))]
    for x, y in holes:
        cv2.circle(scan, (x, y), round(3 * px), 15, -1)  # black-backed punch hole
    ring = (scan.shape[1] - round(12 * px), round(100 * px))
    cv2.circle(scan, ring, round(3 * px), 90, 2)  # white-backed hole: a shadow ring
    cleaned = clean_page(scan, DPI)
    gray = cleaned.gray
    assert gray.shape == page.shape  # painted white, never cropped
    assert ink(gray[:, : round(6 * px)]).mean() < 0.002
    assert ink(gray[: round(4 * px)]).mean() < 0.002
    for x, y in [*holes, ring]:
        r = round(3.5 * px)
        assert ink(gray[y - r : y + r, x - r : x + r]).sum() == 0, (x, y)
    assert agreement(gray, upright_clean) > 0.9  # the text is untouched


def _with_red_seal(page: np.ndarray, centre: tuple[int, int], diameter: int) -> np.ndarray:
    """The page in colour with an official seal stamped on it: red rings, a star and words,
    multiplied over the paper and the text as ink is."""
    mask = Image.new("L", (page.shape[1], page.shape[0]), 0)
    draw = ImageDraw.Draw(mask)
    x, y, r = centre[0], centre[1], diameter // 2
    draw.ellipse((x - r, y - r, x + r, y + r), outline=255, width=diameter // 40)
    inner = round(r * 0.68)
    draw.ellipse((x - inner, y - inner, x + inner, y + inner), outline=255, width=diameter // 80)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", r // 4)
    draw.text((x, y), "★ ỦY BAN ★", font=font, fill=255, anchor="mm")
    alpha = np.asarray(mask, np.float32)[:, :, None] / 255 * 0.85
    red = np.array((205, 40, 50), np.float32) / 255
    rgb = np.repeat(page[:, :, None], 3, axis=2).astype(np.float32)
    return (rgb * (1 - alpha + alpha * red)).astype(np.uint8)


def test_text_under_a_red_seal_reads(page: np.ndarray, engine: TesseractEngine) -> None:
    """A seal across five lines: in luma its rings garble every word they cross (Tesseract
    lost the identity number, the child's name and the date); faded, all of them read."""
    h, w = page.shape
    scan = _with_red_seal(page, (round(w * 0.55), round(h * 0.42)), round(DPI * 1.5))
    cleaned = clean_page(scan, DPI)
    text = engine.recognize(cleaned.gray, cleaned.ocr_dpi).text
    for words in ("Lê Lợi", "001203004567", "Trần Minh Khôi", "12/05/2025", "Phụ sản"):
        assert words in text


def test_text_near_the_edge_is_not_a_hole() -> None:
    """A header 13 mm from the top edge: at 100 dpi "LÁ" merges into a hole-sized blob that an
    earlier version whited out as a punch-hole shadow."""
    im = Image.new("L", (round(148 * MM * DPI), round(210 * MM * DPI)), 245)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 50)
    draw = ImageDraw.Draw(im)
    draw.text((380, 150), "UBND PHƯỜNG LÁNG", font=font, fill=20)
    draw.text((380, 220), "BỘ PHẬN MỘT CỬA", font=font, fill=20)
    scan = np.asarray(im)
    assert not analyse(scan, DPI).removal.any()
    gray = clean_page(scan, DPI).gray
    header = (slice(0, 320), slice(0, scan.shape[1]))
    assert agreement(gray[header], np.where(scan[header] < 128, 0, 255)) > 0.9


def test_uneven_lighting_keeps_text_and_clears_paper(
    page: np.ndarray, upright_clean: np.ndarray
) -> None:
    h, w = page.shape
    yy, xx = np.mgrid[0:h, 0:w]
    light = 1.0 - 0.55 * (xx / w) * (yy / h)  # bottom-right corner at 45% brightness
    scan = (page * light).astype(np.uint8)
    gray = clean_page(scan, DPI).gray
    assert agreement(gray, upright_clean) > 0.85
    corner = gray[h * 3 // 4 :, w * 3 // 4 :]
    assert ink(corner).mean() < 0.01  # dim paper is still paper
    naive = scan < 128
    assert naive[h * 3 // 4 :, w * 3 // 4 :].mean() > 0.1  # a global threshold would fail


def test_salt_noise_removed(page: np.ndarray, upright_clean: np.ndarray) -> None:
    rng = np.random.default_rng(7)
    scan = page.copy()
    specks = rng.integers(0, scan.size, 4000)
    scan.flat[specks] = 0
    gray = clean_page(scan, DPI).gray
    assert ink(gray).sum() < ink(upright_clean).sum() * 1.02


def test_leader_dots_removed_text_kept(engine: TesseractEngine) -> None:
    """Form leaders ("Họ và tên: ......") go; tone marks, the dot below and an ellipsis stay."""
    lines = [
        "Họ và tên: Nguyễn Thị Hồng Nhung" + "." * 40,
        "Nơi cư trú: Bộ Tư pháp, Sở Nội vụ" + "." * 40,
        "Ghi chú: xem tiếp..." + " " * 10 + "Trang 1.",
    ]
    scan = make_page(DPI, lines=lines)
    cleaned = clean_page(scan, DPI)
    px = DPI * MM
    words_end = round((15 + 68) * px)  # the leaders start right of the typed value
    top, bottom = round(25 * px) - 10, round(25 * px) + 2 * round(8 * px) + round(6 * px)
    assert (
        ink(cleaned.gray[top:bottom, words_end:]).sum()
        < 0.02 * ink(scan[top:bottom, words_end:] < 128).sum()
    )
    text = engine.recognize(cleaned.gray, cleaned.ocr_dpi).text
    assert "Nguyễn Thị Hồng Nhung" in text and "Bộ Tư pháp" in text and "Sở Nội vụ" in text
    assert "....." not in text
    assert "tiếp..." in text or "tiếp…" in text  # three dots are punctuation, not a leader


def test_qr_code_survives_cleaning() -> None:
    """The receipt's QR code is read from the cleaned copy: cleaning must not break it."""
    import qrcode

    from ingest.qr import read_qr_payloads

    payload = "000.00.13.H12-250701-0042"
    code = qrcode.QRCode(box_size=7, border=4)
    code.add_data(payload)
    code.make()
    scan = make_page(DPI).copy()
    qr = np.asarray(code.make_image().convert("L"))
    scan[200 : 200 + qr.shape[0], 1200 : 1200 + qr.shape[1]] = np.minimum(qr, 245)
    cleaned = clean_page(skewed(scan, 1.5), DPI)
    assert read_qr_payloads(cleaned.gray, thorough=False) == [payload]


# --------------------------------------------------------------------------- blank pages


def test_noisy_empty_back_is_blank() -> None:
    rng = np.random.default_rng(3)
    back = np.clip(rng.normal(238, 6, (1654, 1165)), 0, 255).astype(np.uint8)
    back.flat[rng.integers(0, back.size, 300)] = 40  # dust
    show_through = make_page()[:, ::-1]  # the front side's text, mirrored and faint
    back = np.minimum(back, (255 - (255 - show_through) * 0.12).astype(np.uint8))
    cleaned = clean_page(back, 200)
    assert cleaned.blank
    assert ink(cleaned.gray).mean() < 0.001


@pytest.mark.parametrize(
    "content", ["one short word", "page number", "signature"], ids=lambda c: c.replace(" ", "-")
)
def test_sparse_page_is_not_blank(content: str) -> None:
    scan = np.full((1654, 1165), 240, np.uint8)
    if content == "signature":
        pts = np.array([[700, 1300], [760, 1250], [800, 1320], [860, 1240], [900, 1310]], np.int32)
        cv2.polylines(scan, [pts], False, 30, 4)
    else:
        text = "Ký tên" if content == "one short word" else "- 2 -"
        im = Image.fromarray(scan)
        ImageDraw.Draw(im).text((560, 1550), text, font=ImageFont.truetype(FONT, 30), fill=20)
        scan = np.asarray(im)
    assert not clean_page(scan, 200).blank


# --------------------------------------------------------------------------- geometry


@pytest.mark.parametrize(
    ("dpi", "rotation_scan", "degrees"),
    [(200, 0, 0.0), (600, 90, -2.5), (150, 270, 5.0), (300, 180, 1.0)],
)
def test_geometry_invariant(dpi: float, rotation_scan: int, degrees: float) -> None:
    source = make_page(dpi=dpi, size_mm=(105, 148))
    marker = (round(80 * MM * dpi), round(130 * MM * dpi))  # x, y of a mark on the sheet
    rgb = np.dstack([source] * 3).copy()
    cv2.rectangle(rgb, marker, (marker[0] + 8, marker[1] + 8), (200, 0, 0), -1)
    scan = np.ascontiguousarray(np.rot90(skewed(rgb, degrees), -rotation_scan // 90))
    cleaned = clean_page(scan, dpi)
    assert cleaned.ocr_dpi == pytest.approx(dpi * cleaned.scale)
    assert abs(cleaned.ocr_dpi - 300) <= 0.12 * 300
    up = upright_image(scan, cleaned.rotation, cleaned.skew_degrees)
    assert up.shape[:2] == upright_shape(*scan.shape[:2], cleaned.rotation, cleaned.skew_degrees)
    assert up.ndim == 3  # colour kept
    expected = tuple(round(n * cleaned.scale) for n in up.shape[:2])
    assert cleaned.gray.shape == expected
    # The red mark: find it in the upright original and in the OCR copy, compare positions.
    red = (up[:, :, 0] > 150) & (up[:, :, 1] < 80)
    ys, xs = np.nonzero(red)
    assert len(xs) > 0
    mark_up = np.array([xs.mean(), ys.mean()])
    grown = (up.shape[1] - source.shape[1]) / 2, (up.shape[0] - source.shape[0]) / 2
    assert abs(mark_up[0] - marker[0] - 4 - grown[0]) < 0.01 * up.shape[1]  # back where drawn
    assert abs(mark_up[1] - marker[1] - 4 - grown[1]) < 0.01 * up.shape[0]
    gray_mark = cleaned.gray[
        round((mark_up[1] - 6) * cleaned.scale) : round((mark_up[1] + 6) * cleaned.scale),
        round((mark_up[0] - 6) * cleaned.scale) : round((mark_up[0] + 6) * cleaned.scale),
    ]
    assert ink(gray_mark).mean() > 0.5  # the same spot is inked in the OCR copy


def test_upright_image_without_skew_is_exact(page: np.ndarray) -> None:
    assert np.array_equal(upright_image(page, 90, 0.0), np.rot90(page, -1))
    assert np.array_equal(upright_image(page, 0, 0.0), page)


def test_bad_input_is_refused() -> None:
    with pytest.raises(CleaningError, match="uint8"):
        clean_page(np.zeros((10, 10), np.float32), 300)
    with pytest.raises(CleaningError, match="shape"):
        clean_page(np.zeros((10, 10, 4), np.uint8), 300)
    with pytest.raises(CleaningError, match="dpi"):
        clean_page(np.zeros((10, 10), np.uint8), 0)
    with pytest.raises(CleaningError, match="rotation"):
        upright_image(np.zeros((10, 10), np.uint8), 45, 1.0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_photograph_is_not_deskewed(seed: int) -> None:
    """Blobs of a photograph's texture lie on no line: the page is left as it is (a guessed
    angle turned such pages by 5-10 degrees in the searchable PDF)."""
    rng = np.random.default_rng(seed)
    page = np.full((round(297 * MM * DPI), round(210 * MM * DPI)), 245, np.uint8)
    noise = cv2.GaussianBlur(rng.normal(128, 60, (1100, 1500)).astype(np.float32), (0, 0), 6)
    photo = np.clip((noise - noise.mean()) * 6 + 128, 0, 255).astype(np.uint8)
    page[300:1400, 200:1700] = photo
    cleaned = clean_page(page, DPI)
    assert (cleaned.rotation, cleaned.skew_degrees) == (0, 0.0)
    assert not cleaned.blank
