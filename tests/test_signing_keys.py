"""Keys: dev PKI, PKCS#12 and PKCS#11 errors that tell the user what to fix, never the secret."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509

from signing.devpki import ensure_dev_pki
from signing.errors import KeyLoadError, TokenNotFoundError, WrongPasswordError, WrongPinError
from signing.keys import Pkcs11Key, Pkcs12Key, load_certificates, open_signer
from tests.fixtures_pki import P12_PASSWORD


def test_dev_pki_generated_once_and_labelled(tmp_path: Path):
    pki = ensure_dev_pki(tmp_path / "dev-pki")
    first = {p: p.read_bytes() for p in (pki.root_cert, pki.officer_pkcs12, pki.seal_pkcs12)}
    again = ensure_dev_pki(tmp_path / "dev-pki")
    assert {p: p.read_bytes() for p in first} == first  # reused, not regenerated
    assert oct(pki.officer_pkcs12.stat().st_mode & 0o777) == "0o600"
    (root,) = load_certificates([again.root_cert])
    assert "DEVELOPMENT TEST" in root.subject.native["organization_name"]
    assert "not for production" in root.subject.native["common_name"]
    for p12 in (pki.officer_pkcs12, pki.seal_pkcs12):
        with open_signer(Pkcs12Key(p12)) as signer:
            cert: asn1_x509.Certificate = signer.signing_cert
            assert "TEST" in cert.subject.native["common_name"]
            assert "DEVELOPMENT TEST" in cert.subject.native["organization_name"]
            assert cert.issuer == root.subject


def test_wrong_pkcs12_password(test_pki, caplog):
    caplog.set_level(logging.DEBUG)
    with (
        pytest.raises(WrongPasswordError, match="password is wrong") as err,
        open_signer(Pkcs12Key(test_pki.officer_p12, "sai-mật-khẩu")),
    ):
        pass
    assert "sai-mật-khẩu" not in str(err.value) and "sai-mật-khẩu" not in caplog.text
    assert str(test_pki.officer_p12) in str(err.value)
    with (
        pytest.raises(WrongPasswordError, match="password is required"),
        open_signer(Pkcs12Key(test_pki.officer_p12)),
    ):
        pass


def test_not_a_pkcs12_file_and_missing_file(tmp_path):
    bogus = tmp_path / "officer.p12"
    bogus.write_bytes(b"%PDF-1.7 not a key")
    with (
        pytest.raises(KeyLoadError, match="not a PKCS#12"),
        open_signer(Pkcs12Key(bogus, P12_PASSWORD)),
    ):
        pass
    with (
        pytest.raises(KeyLoadError, match="cannot read PKCS#12 file"),
        open_signer(Pkcs12Key(tmp_path / "missing.p12", P12_PASSWORD)),
    ):
        pass


def test_wrong_pin_is_specific_and_never_echoed(softhsm_token: Pkcs11Key, caplog):
    caplog.set_level(logging.DEBUG)
    wrong = Pkcs11Key(
        softhsm_token.module, softhsm_token.token_label, softhsm_token.key_label, "987654"
    )
    with pytest.raises(WrongPinError, match="refused the PIN") as err, open_signer(wrong):
        pass
    assert "987654" not in str(err.value) and "987654" not in caplog.text
    assert "987654" not in repr(wrong)
    # the right PIN still works afterwards (one wrong try does not lock SoftHSM)
    with open_signer(softhsm_token) as signer:
        assert signer.signing_cert is not None


def test_unknown_token_and_key_label(softhsm_token: Pkcs11Key):
    with (
        pytest.raises(TokenNotFoundError, match="no PKCS#11 token labelled 'khong-co'"),
        open_signer(Pkcs11Key(softhsm_token.module, "khong-co", "x", "1234")),
    ):
        pass
    with (
        pytest.raises(KeyLoadError, match="no usable key/certificate labelled 'nope'"),
        open_signer(
            Pkcs11Key(softhsm_token.module, softhsm_token.token_label, "nope", softhsm_token.pin)
        ),
    ):
        pass
    with (
        pytest.raises(KeyLoadError, match=r"module .* not found"),
        open_signer(Pkcs11Key(Path("/nonexistent/libp11.so"), "officer", "k", "1")),
    ):
        pass


def test_certificate_loading_errors(tmp_path):
    junk = tmp_path / "root.pem"
    junk.write_text("hello")
    with pytest.raises(KeyLoadError, match=r"not an X\.509 certificate"):
        load_certificates([junk])
