"""Tampering and bad input: reported invalid with the reason; nothing crashes, nothing lost."""

from __future__ import annotations

import io
import re

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from signing.errors import InvalidPdfError, SigningError
from signing.keys import Pkcs12Key, load_certificates, open_signer
from signing.pades import PadesLevel, SigningProfile, sign_result
from signing.validate import validate_pdf
from tests.test_signing_pades import BIRTH, CONTEXT


@pytest.fixture(scope="module")
def dev_signed(dev_pki) -> tuple[bytes, list]:
    from signing.templates import render_result

    pdf = render_result("birth_registration_extract", BIRTH, CONTEXT)
    with (
        open_signer(Pkcs12Key(dev_pki.officer_pkcs12)) as officer,
        open_signer(Pkcs12Key(dev_pki.seal_pkcs12)) as seal,
    ):
        signed = sign_result(pdf, officer, seal, SigningProfile())
    return signed, load_certificates([dev_pki.root_cert])


def test_untampered_is_valid(dev_signed):
    data, roots = dev_signed
    assert validate_pdf(data, roots).valid


def test_flipped_byte_in_signed_range(dev_signed):
    data, roots = dev_signed
    # flip a byte inside the document info (covered by both signatures' byte ranges)
    at = data.index(b"/Producer")
    tampered = data[: at + 3] + bytes([data[at + 3] ^ 0x01]) + data[at + 4 :]
    report = validate_pdf(tampered, roots)
    assert not report.valid
    assert not any(s.intact for s in report.signatures)
    assert "altered after signing" in report.signatures[0].problems[0]


def test_incremental_update_changing_page_content(dev_signed):
    data, roots = dev_signed
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    page = w.root["/Pages"]["/Kids"][0]
    extra = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 700 Td (FORGED) Tj ET")
    contents = page["/Contents"]
    refs = (
        list(contents) if isinstance(contents, generic.ArrayObject) else [page.raw_get("/Contents")]
    )
    page["/Contents"] = generic.ArrayObject([*refs, w.add_object(extra)])
    w.update_container(page)
    out = io.BytesIO()
    w.write(out)
    report = validate_pdf(out.getvalue(), roots)
    assert not report.valid
    for sig in report.signatures:
        assert sig.intact  # the signed revisions are untouched ...
        assert sig.modified_after  # ... but the document as shown is not what was signed
        assert any("changed after this signature" in p for p in sig.problems)


def test_unsigned_and_garbage_input(dev_pki):
    from signing.templates import render_result

    roots = load_certificates([dev_pki.root_cert])
    report = validate_pdf(
        render_result(
            "generic_decision", {"subject": "cấp phép", "decision_text": "Cho phép."}, CONTEXT
        ),
        roots,
    )
    assert not report.valid and report.problems == ["the document has no signatures"]
    with pytest.raises(InvalidPdfError, match="not a readable PDF"):
        validate_pdf(b"this is not a pdf", roots)


def test_signing_bad_input_and_missing_tsa(dev_pki):
    with (
        open_signer(Pkcs12Key(dev_pki.officer_pkcs12)) as officer,
        pytest.raises(InvalidPdfError, match="not a readable PDF"),
    ):
        sign_result(b"GIF89a not a pdf", officer, None, SigningProfile())
    with pytest.raises(SigningError, match="needs a timestamp authority"):
        SigningProfile(level=PadesLevel.B_T)


def test_unreachable_tsa_is_a_timestamp_error(dev_pki, dev_signed):
    import socket

    from signing.errors import TimestampError

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    profile = SigningProfile(level=PadesLevel.B_T, tsa_url=f"http://127.0.0.1:{port}/tsa")
    with (
        open_signer(Pkcs12Key(dev_pki.officer_pkcs12)) as officer,
        pytest.raises(TimestampError, match=re.escape(f"127.0.0.1:{port}")),
    ):
        sign_result(dev_signed[0], officer, None, profile)
