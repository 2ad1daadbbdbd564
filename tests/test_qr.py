"""Receipt QR codes: small, blurred, rotated, noisy, inside a URL; pages without one."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import qrcode

from ingest.qr import QRReadError, dossier_code_from_payload, read_dossier_qr, read_qr_payloads

CODE = "000.00.13.H12-250701-0042"
DPI = 300
A4 = (int(11.69 * DPI), int(8.27 * DPI))


def qr_page(
    payload: str = CODE,
    *,
    size_mm: float = 20,
    blur: float = 0.0,
    angle: float = 0.0,
    noise: float = 0.0,
    where: tuple[float, float] = (0.05, 0.75),
    seed: int = 0,
) -> np.ndarray:
    """An A4 page at 300 dpi with one QR code printed where receipts put it."""
    height, width = A4
    page = np.full((height, width), 245, np.uint8)
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, box_size=1)
    code.add_data(payload)
    code.make(fit=True)
    modules = np.where(np.array(code.get_matrix(), dtype=bool), 20, 245).astype(np.uint8)
    size = int(size_mm / 25.4 * DPI)
    image = cv2.resize(modules, (size, size), interpolation=cv2.INTER_NEAREST)
    y, x = int(where[0] * height), int(where[1] * width)
    page[y : y + size, x : x + size] = image
    for row in range(y + size + 100, height - 200, 90):  # some text lines below
        cv2.putText(page, "Ho va ten: Nguyen Van An 12/05/2025", (200, row),
                    cv2.FONT_HERSHEY_SIMPLEX, 1.5, 20, 3)  # fmt: skip
    if angle:
        matrix = cv2.getRotationMatrix2D((x + size / 2, y + size / 2), angle, 1.0)
        page = cv2.warpAffine(page, matrix, (width, height), borderValue=245)
    if blur:
        page = cv2.GaussianBlur(page, (0, 0), blur)
    if noise:
        rng = np.random.default_rng(seed)
        page = np.clip(page + rng.normal(0, noise, page.shape), 0, 255).astype(np.uint8)
    return page


@pytest.mark.parametrize(
    "variant",
    [
        {},
        {"size_mm": 12},
        {"size_mm": 12, "blur": 1.5},
        {"size_mm": 20, "blur": 2.5},
        {"angle": 7},
        {"angle": 90, "size_mm": 15},
        {"angle": -12, "noise": 20, "blur": 1.0},
        {"where": (0.82, 0.08)},  # bottom left: found on the full page
    ],
    ids=lambda v: ",".join(f"{k}={val}" for k, val in v.items()) or "plain",
)
def test_reads_hard_codes(variant: dict) -> None:
    assert read_dossier_qr(qr_page(**variant), DPI) == CODE


def test_rgb_page() -> None:
    gray = qr_page()
    assert read_dossier_qr(np.dstack([gray, gray, gray]), DPI) == CODE


def test_code_inside_a_lookup_url() -> None:
    url = f"https://dichvucong.example.vn/tra-cuu?ma={CODE}&k=1"
    assert read_dossier_qr(qr_page(url), DPI) == CODE


def test_qr_without_a_dossier_code_is_not_a_receipt() -> None:
    """The QR on a chip identity card holds the citizen's data, not a dossier code."""
    page = qr_page("001195012345|123456789|Nguyễn Thị Lan|12051995|Nữ")
    assert read_qr_payloads(page)  # the code is read...
    assert read_dossier_qr(page, DPI) is None  # ...but opens no dossier


@pytest.mark.parametrize("thorough", [False, True])
def test_page_without_qr(thorough: bool) -> None:
    page = qr_page()
    page[: A4[0] // 3] = 245  # erase the code
    assert read_dossier_qr(page, DPI, thorough=thorough) is None


def test_payload_parsing() -> None:
    assert dossier_code_from_payload(CODE.lower()) == CODE
    assert dossier_code_from_payload("MA HO SO: OOO.OO.13.H12-25O7O1-0042") == CODE
    assert dossier_code_from_payload("hello") is None


@pytest.mark.parametrize(
    ("image", "dpi", "message"),
    [
        ("not an image", 300, "numpy array"),
        (np.zeros((0, 0), np.uint8), 300, "numpy array"),
        (np.zeros((10, 10), np.float32), 300, "8-bit"),
        (np.zeros((10, 10), np.uint8), 0, "dpi"),
    ],
)
def test_bad_input_is_refused_clearly(image, dpi: float, message: str) -> None:
    with pytest.raises(QRReadError, match=message):
        read_dossier_qr(image, dpi)
