"""PAdES B-B / B-T / B-LT, officer then seal, checked by our validator and by poppler's pdfsig."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from signing.appearance import add_verification_qr
from signing.keys import Pkcs12Key, load_certificates, open_signer
from signing.pades import PadesLevel, SigningProfile, sign_result
from signing.templates import ResultContext, render_result
from signing.validate import validate_pdf
from tests.fixtures_pki import P12_PASSWORD

DOSSIER = "000.00.13.H12-250701-0042"
VERIFY_URL = f"https://dichvucong.example.vn/verify/{DOSSIER}"
CONTEXT = ResultContext(
    dossier_code=DOSSIER,
    agency_name="Ủy ban nhân dân phường Bến Nghé",
    place="Bến Nghé",
    signer_name="Lê Thị Thu Hà",
    signer_title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
    issued_on=dt.date(2025, 7, 1),
    document_number="42/TLKS-BS",
)
BIRTH = {
    "child_name": "Nguyễn Thị Hoa",
    "child_birth_date": "2025-06-20",
    "child_gender": "Nữ",
    "birth_place": "Bệnh viện Từ Dũ, Quận 1, Thành phố Hồ Chí Minh",
    "requester_name": "Nguyễn Văn Bình",
    "requester_id_number": "079123456789",
}


@pytest.fixture(scope="module")
def result_pdf() -> bytes:
    return add_verification_qr(
        render_result("birth_registration_extract", BIRTH, CONTEXT), VERIFY_URL
    )


@pytest.fixture(scope="module")
def roots(test_pki):
    return load_certificates([test_pki.root_pem])


@pytest.fixture(scope="module")
def signed(test_pki, roots, result_pdf, tmp_path_factory) -> dict[PadesLevel, Path]:
    """The result signed once per level by the certomancer officer, then the seal."""
    out: dict[PadesLevel, Path] = {}
    folder = tmp_path_factory.mktemp("signed")
    with (
        open_signer(Pkcs12Key(test_pki.officer_p12, P12_PASSWORD)) as officer,
        open_signer(Pkcs12Key(test_pki.seal_p12, P12_PASSWORD)) as seal,
    ):
        for level in PadesLevel:
            profile = SigningProfile(
                level=level,
                tsa_url=test_pki.tsa_url,
                trust_roots=roots,
                officer_title="Phó Chủ tịch",
            )
            path = folder / f"{level}.pdf"
            path.write_bytes(sign_result(result_pdf, officer, seal, profile))
            out[level] = path
    return out


@pytest.mark.parametrize("level", list(PadesLevel))
def test_levels_valid_by_own_validator(signed, roots, level):
    report = validate_pdf(signed[level].read_bytes(), roots)
    assert report.valid, report.to_dict()
    assert [s.field for s in report.signatures] == ["officer", "seal"]
    for sig in report.signatures:
        assert sig.intact and sig.trusted and not sig.modified_after
        assert sig.level == str(level)
        assert (sig.timestamp is not None) == (level is not PadesLevel.B_B)
    if level is PadesLevel.B_LT:
        assert {s.revocation for s in report.signatures} == {"good"}
    assert report.signatures[0].changes_after == "signatures or form fields added"
    if level is PadesLevel.B_LT:  # the DSS comes in a revision after the seal signature
        assert report.signatures[1].changes_after == "validation data or timestamps added"
    else:
        assert report.signatures[1].coverage == "entire file"


@pytest.mark.parametrize("level", list(PadesLevel))
def test_levels_valid_by_pdfsig(signed, pdfsig, level):
    results = pdfsig(signed[level])
    assert len(results) == 2
    for r in results:
        assert r.signature_valid, r.raw
        assert r.certificate_trusted, r.raw
    assert "Lê Thị Thu Hà" in results[0].signer


def test_untrusted_root_reported(signed, dev_pki):
    other = load_certificates([dev_pki.root_cert])
    report = validate_pdf(signed[PadesLevel.B_B].read_bytes(), other)
    assert not report.valid
    assert all(s.intact and not s.trusted for s in report.signatures)
    assert "does not chain to a trusted root" in report.signatures[0].problems[0]


def test_officer_between_title_and_name_seal_top_right(signed):
    data = signed[PadesLevel.B_B].read_bytes()
    reader = PdfFileReader(io.BytesIO(data))
    rects = {}
    for sig in reader.embedded_regular_signatures:
        widget = sig.sig_field
        rects[sig.field_name] = [float(v) for v in widget["/Rect"]]
    box = reader.root["/Pages"]["/MediaBox"]
    page_w, page_h = float(box[2]), float(box[3])
    # independent word boxes from poppler (top-left origin)
    bbox = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    words = [(w.split('"')[-1], w) for w in bbox.split("<word ")[1:]]

    def y_of(text: str, attr: str) -> float:
        for _, w in words:
            if w.split(">")[1].split("<")[0] == text:
                return page_h - float(w.split(f'{attr}="')[1].split('"')[0])
        raise AssertionError(f"{text} not found")

    title_bottom = min(y_of("TỊCH", "yMax"), y_of("PHÓ", "yMax"))
    name_top = y_of("Hà", "yMin")
    _, y1, _, y2 = rects["officer"]
    assert name_top <= y1 < y2 <= title_bottom
    sx1, _, _, sy2 = rects["seal"]
    assert sx1 > page_w / 2 and sy2 > page_h - 60


def test_vietnamese_text_extracts(signed):
    text = subprocess.run(
        ["pdftotext", "-layout", str(signed[PadesLevel.B_T]), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    for expected in (
        "TRÍCH LỤC KHAI SINH",
        "Nguyễn Thị Hoa",
        "Độc lập - Tự do - Hạnh phúc",
        "Ký bởi: Lê Thị Thu Hà (TEST officer)",
        "Chức vụ: Phó Chủ tịch",
        "Cơ quan: Ủy ban nhân dân phường Bến Nghé (TEST seal)",
        VERIFY_URL,
        "Bệnh viện Từ Dũ",
    ):
        assert expected in text, expected
    fonts = subprocess.run(
        ["pdffonts", str(signed[PadesLevel.B_T])], capture_output=True, check=True, text=True
    ).stdout
    body = [ln for ln in fonts.splitlines()[2:] if ln.strip()]
    assert body and all(" yes " in ln for ln in body), fonts  # every font embedded


def test_qr_code_decodes_to_verify_url(signed):
    import pypdfium2 as pdfium
    import zxingcpp

    doc = pdfium.PdfDocument(signed[PadesLevel.B_B].read_bytes())
    image = doc[0].render(scale=3).to_pil()
    decoded = [r.text for r in zxingcpp.read_barcodes(image)]
    assert VERIFY_URL in decoded


def test_pkcs11_token_signs_b_lt(softhsm_token, test_pki, roots, result_pdf, tmp_path, pdfsig):
    profile = SigningProfile(level=PadesLevel.B_LT, tsa_url=test_pki.tsa_url, trust_roots=roots)
    with (
        open_signer(softhsm_token) as officer,
        open_signer(Pkcs12Key(test_pki.seal_p12, P12_PASSWORD)) as seal,
    ):
        data = sign_result(result_pdf, officer, seal, profile)
    report = validate_pdf(data, roots)
    assert report.valid, report.to_dict()
    assert report.signatures[0].signer == "Phạm Quốc Đạt (TEST token)"
    assert report.signatures[0].level == "B-LT"
    assert report.signatures[0].revocation == "good"  # OCSP/CRL embedded, checked offline
    path = tmp_path / "token.pdf"
    path.write_bytes(data)
    assert all(r.signature_valid for r in pdfsig(path))  # OCSP-URL cert: trust left to pyHanko
