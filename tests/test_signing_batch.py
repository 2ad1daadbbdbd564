"""Batch signing on a process pool, the cached stamp font and the stamp's time zone."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import time
from zoneinfo import ZoneInfo

import pytest
from fontTools.ttLib import TTFont
from pyhanko.pdf_utils.reader import PdfFileReader

from signing.batch import sign_results
from signing.errors import InvalidPdfError, SigningError, WrongPasswordError
from signing.fonts import find_font, vietnamese_subset
from signing.keys import Pkcs12Key, load_certificates
from signing.pades import PadesLevel, SigningProfile
from signing.templates import ResultContext, render_result
from signing.validate import validate_pdf
from tests.fixtures_pki import P12_PASSWORD

CONTEXT = ResultContext(
    dossier_code="000.00.13.H12-250701-0077",
    agency_name="Ủy ban nhân dân xã Tân Phú",
    place="Tân Phú",
    signer_name="Võ Thị Ánh Tuyết",
    signer_title="CHỦ TỊCH",
    issued_on=dt.date(2025, 7, 1),
)
STAMP_TIME = re.compile(r"Thời gian ký: (\d\d:\d\d:\d\d \d\d/\d\d/\d{4}) \(([+-]\d\d:\d\d)\)")


def _result(i: int) -> bytes:
    return render_result(
        "generic_decision",
        {"subject": f"Về việc hồ sơ số {i}", "decision_text": f"Chấp thuận hồ sơ số {i}."},
        CONTEXT,
    )


@pytest.fixture(scope="module")
def docs() -> list[bytes]:
    return [_result(i) for i in range(10)]


@pytest.fixture(scope="module")
def roots(test_pki):
    return load_certificates([test_pki.root_pem])


@pytest.fixture(scope="module")
def keys(test_pki) -> tuple[Pkcs12Key, Pkcs12Key]:
    return Pkcs12Key(test_pki.officer_p12, P12_PASSWORD), Pkcs12Key(test_pki.seal_p12, P12_PASSWORD)


@pytest.mark.parametrize("level", [PadesLevel.B_B, PadesLevel.B_T])
def test_pool_signs_every_result_in_order(docs, roots, keys, test_pki, level, tmp_path, pdfsig):
    profile = SigningProfile(level=level, tsa_url=test_pki.tsa_url, officer_title="Chủ tịch")
    signed = sign_results(docs, *keys, profile, workers=2, concurrency=2)
    assert len(signed) == len(docs)
    for original, out in zip(docs, signed, strict=True):
        assert out.startswith(original)  # incremental updates of the same input, in order
        report = validate_pdf(out, roots)
        assert report.valid, report.to_dict()
        assert [s.field for s in report.signatures] == ["officer", "seal"]
        assert all(
            (s.timestamp is not None) == (level is PadesLevel.B_T) for s in report.signatures
        )
    path = tmp_path / "last.pdf"
    path.write_bytes(signed[-1])
    results = pdfsig(path)
    assert len(results) == 2 and all(r.signature_valid and r.certificate_trusted for r in results)


def test_one_worker_gives_the_same_kind_of_result(docs, roots, keys):
    signed = sign_results(docs[:2], *keys, SigningProfile(), workers=1)
    assert [validate_pdf(s, roots).valid for s in signed] == [True, True]


def test_wrong_password_fails_before_the_pool(docs, keys, test_pki):
    start = time.monotonic()
    with pytest.raises(WrongPasswordError, match="password is wrong"):
        sign_results(docs, Pkcs12Key(test_pki.officer_p12, "sai"), keys[1], SigningProfile())
    assert time.monotonic() - start < 5  # not a broken pool after workers failed to start


def test_bad_document_reported_from_a_worker(docs, keys):
    batch = [*docs[:3], b"%PDF-1.7 this is not a pdf", *docs[3:5]]
    with pytest.raises(InvalidPdfError, match="not a readable PDF"):
        sign_results(batch, *keys, SigningProfile(), workers=2)


def _stamp_times(pdf: bytes) -> list[tuple[str, str]]:
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return STAMP_TIME.findall(text)


@pytest.mark.parametrize(("zone", "offset"), [("Asia/Ho_Chi_Minh", "+07:00"), ("UTC", "+00:00")])
def test_stamp_time_in_configured_zone(docs, keys, zone, offset):
    before = dt.datetime.now(ZoneInfo(zone)).replace(microsecond=0, tzinfo=None)
    (signed,) = sign_results(docs[:1], *keys, SigningProfile(timezone=zone), workers=1)
    after = dt.datetime.now(ZoneInfo(zone)).replace(tzinfo=None)
    times = _stamp_times(signed)
    assert len(times) == 2, times  # officer and seal
    for shown, shown_offset in times:
        assert shown_offset == offset
        assert before <= dt.datetime.strptime(shown, "%H:%M:%S %d/%m/%Y") <= after


def test_unknown_zone_is_a_clear_error():
    with pytest.raises(SigningError, match="unknown time zone 'Asia/Ha_Noi'"):
        SigningProfile(timezone="Asia/Ha_Noi")


def _embedded_fonts(pdf: bytes) -> list[TTFont]:
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    fonts = []
    for sig in reader.embedded_regular_signatures:
        appearance = sig.sig_field["/AP"]["/N"]
        for ref in _font_resources(appearance):
            font = ref.get_object()["/DescendantFonts"][0].get_object()
            descriptor = font["/FontDescriptor"]
            fonts.append(TTFont(io.BytesIO(descriptor["/FontFile2"].data)))
    return fonts


def _font_resources(xobject) -> list:
    resources = xobject.get_object().get("/Resources", {})
    found = list(resources.get("/Font", {}).values())
    for child in resources.get("/XObject", {}).values():
        found += _font_resources(child)
    return found


def test_cached_font_subset_draws_every_stamp_glyph(docs, keys, roots):
    """The reused subset must still hold the outline of every glyph the stamps print."""
    signed = sign_results(docs[:3], *keys, SigningProfile(officer_title="Phó Chủ tịch"), workers=1)
    source = TTFont(str(vietnamese_subset(find_font("sans"))))
    cmap = source.getBestCmap()
    for pdf in signed:
        officer, seal = (s.signer for s in validate_pdf(pdf, roots).signatures)
        texts = (
            f"Ký bởi: {officer} Chức vụ: Phó Chủ tịch Thời gian ký: 0123456789 :/()+",
            f"Cơ quan: {seal} Thời gian ký: 0123456789 :/()+",
        )
        fonts = _embedded_fonts(pdf)
        assert len(fonts) == 2  # officer and seal stamps
        for font, text in zip(fonts, texts, strict=True):
            order = font.getGlyphOrder()
            for char in set(text) - {" "}:
                gid = source.getGlyphID(cmap[ord(char)])
                assert font["glyf"][order[gid]].numberOfContours != 0, char
    # the officer stamps of two documents embed the very same program
    first, second = (_embedded_fonts(pdf)[0] for pdf in signed[:2])
    assert _program(first) == _program(second)


def _program(font: TTFont) -> bytes:
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def test_stamp_font_engine_matches_pyhankos(docs):
    """The shared-font engine sets what pyHanko's own does (catches a pyHanko upgrade)."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    from signing.stampfont import CachedSubsetFactory

    font = str(vietnamese_subset(find_font("sans")))
    writer = IncrementalPdfFileWriter(io.BytesIO(docs[0]))
    ours = CachedSubsetFactory(font, font_size=7).create_font_engine(writer)
    stock = GlyphAccumulatorFactory(font, font_size=7).create_font_engine(writer)
    assert set(vars(ours)) - {"_font_file"} == set(vars(stock))
    text = "Thời gian ký: 13:41:59 22/11/2026 (+07:00)"
    assert ours.shape(text).graphics_ops == stock.shape(text).graphics_ops
