"""Signers from plain values: a PKCS#12 file, or a key on a PKCS#11 token (USB token, HSM).

The caller (``api``) reads settings and builds a :class:`Pkcs12Key` or :class:`Pkcs11Key`;
:func:`open_signer` turns it into a pyHanko signer and closes the token session afterwards.
PINs and passwords are kept out of ``repr`` and never appear in messages or logs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import pem
from asn1crypto import pkcs12 as asn1_pkcs12
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pyhanko.sign.signers import Signer, SimpleSigner
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from signing.errors import KeyLoadError, TokenNotFoundError, WrongPasswordError, WrongPinError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pkcs12Key:
    """A key and certificate chain in a PKCS#12 (.p12/.pfx) file."""

    path: Path
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Pkcs11Key:
    """A key on a PKCS#11 token, found by token label and key label."""

    module: Path
    token_label: str
    key_label: str
    pin: str | None = field(default=None, repr=False)
    cert_label: str | None = None  # defaults to key_label


KeySource = Pkcs12Key | Pkcs11Key


def load_certificates(paths: Iterable[Path]) -> list[asn1_x509.Certificate]:
    """Load trust anchors or chain certificates from PEM (one or many) or DER files."""
    certs: list[asn1_x509.Certificate] = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise KeyLoadError(f"cannot read certificate file {path}: {exc.strerror}") from exc
        try:
            if pem.detect(data):
                blocks = [
                    der
                    for kind, _, der in pem.unarmor(data, multiple=True)
                    if kind == "CERTIFICATE"
                ]
                if not blocks:
                    raise ValueError("no CERTIFICATE block")
                certs.extend(asn1_x509.Certificate.load(der) for der in blocks)
            else:
                cert = asn1_x509.Certificate.load(data)
                cert.native  # noqa: B018 - force a full parse so garbage fails here
                certs.append(cert)
        except (ValueError, TypeError) as exc:
            raise KeyLoadError(
                f"{path} is not an X.509 certificate in PEM or DER form ({exc})"
            ) from exc
    return certs


class ParsedKeySigner(SimpleSigner):
    """A :class:`SimpleSigner` that parses its private key once instead of on every signature.

    pyHanko's ``SimpleSigner`` re-loads the key from DER for each signature, and
    ``cryptography`` checks an RSA key's consistency on every load: about 40 ms per
    signature for RSA-2048, more than the signature itself.
    """

    def __init__(self, base: SimpleSigner) -> None:
        super().__init__(
            signing_cert=base.signing_cert,
            signing_key=base.signing_key,
            cert_registry=base.cert_registry,
        )
        self._private_key = serialization.load_der_private_key(
            base.signing_key.dump(), password=None
        )

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            algorithm = mechanism.signature_algo
        except ValueError:
            algorithm = mechanism["algorithm"].native
        key = self._private_key
        if algorithm == "rsassa_pkcs1v15" and isinstance(key, RSAPrivateKey):
            return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        if algorithm == "ecdsa" and isinstance(key, EllipticCurvePrivateKey):
            return key.sign(data, ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
        return super().sign_raw(data, digest_algorithm)  # rarer schemes: pyHanko's own path


def load_pkcs12_signer(key: Pkcs12Key) -> SimpleSigner:
    """A signer for a PKCS#12 file; wrong password and wrong file are told apart."""
    try:
        data = Path(key.path).read_bytes()
    except OSError as exc:
        raise KeyLoadError(f"cannot read PKCS#12 file {key.path}: {exc.strerror}") from exc
    try:
        asn1_pkcs12.Pfx.load(data).native  # noqa: B018 - structural check only
    except (ValueError, TypeError) as exc:
        raise KeyLoadError(f"{key.path} is not a PKCS#12 (.p12/.pfx) file") from exc
    passphrase = key.password.encode() if key.password else None
    try:
        base = SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=passphrase)
    except ValueError as exc:
        hint = "a password is required" if passphrase is None else "the password is wrong"
        raise WrongPasswordError(
            f"cannot open PKCS#12 file {key.path}: {hint}; check the configured password"
        ) from exc
    return ParsedKeySigner(base)


@contextmanager
def _pkcs11_session(key: Pkcs11Key) -> Iterator[object]:
    from pkcs11 import exceptions as p11_exc
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import open_pkcs11_session

    if not Path(key.module).is_file():
        raise KeyLoadError(f"PKCS#11 module {key.module} not found; install the token's driver")
    try:
        session = open_pkcs11_session(
            str(key.module),
            token_criteria=TokenCriteria(label=key.token_label),
            user_pin=key.pin,
        )
    except (p11_exc.PinIncorrect, p11_exc.PinLenRange):
        raise WrongPinError(
            f"token {key.token_label!r} refused the PIN; check the configured PIN "
            "(repeated wrong PINs lock the token)"
        ) from None
    except p11_exc.PinLocked:
        raise WrongPinError(
            f"token {key.token_label!r} is locked after too many wrong PINs; "
            "unlock it with the security officer PIN"
        ) from None
    except p11_exc.PinExpired:
        raise WrongPinError(
            f"the PIN of token {key.token_label!r} has expired; change it"
        ) from None
    except (p11_exc.TokenNotPresent, p11_exc.TokenNotRecognised):
        raise TokenNotFoundError(
            f"PKCS#11 token {key.token_label!r} is not present; plug it in"
        ) from None
    except p11_exc.PKCS11Error as exc:
        if type(exc) is p11_exc.PKCS11Error and "No token" in str(exc):
            raise TokenNotFoundError(
                f"no PKCS#11 token labelled {key.token_label!r} via {key.module}; "
                "plug the token in or check the token label"
            ) from None
        raise KeyLoadError(
            f"cannot open PKCS#11 token {key.token_label!r} via {key.module}: {type(exc).__name__}"
        ) from None
    except (OSError, RuntimeError) as exc:
        raise KeyLoadError(
            f"cannot load PKCS#11 module {key.module}: {type(exc).__name__}: {exc}"
        ) from None
    try:
        yield session
    finally:
        session.close()


@contextmanager
def open_signer(source: KeySource) -> Iterator[Signer]:
    """A ready signer for ``source``; a token session stays open inside the ``with`` block."""
    if isinstance(source, Pkcs12Key):
        yield load_pkcs12_signer(source)
        return
    from pkcs11 import exceptions as p11_exc
    from pyhanko.sign.pkcs11 import PKCS11Signer

    with _pkcs11_session(source) as session:
        signer = PKCS11Signer(
            session,  # type: ignore[arg-type]
            cert_label=source.cert_label or source.key_label,
            key_label=source.key_label,
            other_certs_to_pull=None,
        )
        try:
            cert = signer.signing_cert  # loads cert and key now, not mid-signature
        except p11_exc.PKCS11Error as exc:
            raise KeyLoadError(
                f"token {source.token_label!r} has no usable key/certificate labelled "
                f"{source.cert_label or source.key_label!r}: {exc}"
            ) from exc
        # SoftHSM and many tokens have no CKM_ECDSA_SHA256: hash here, sign raw.
        if cert.public_key.algorithm == "ec":
            signer.use_raw_mechanism = True
        log.debug("PKCS#11 signer ready on token %s", source.token_label)
        yield signer
