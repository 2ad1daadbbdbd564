"""A development PKI generated on first run, so that a fresh install signs out of the box.

Every certificate says in its subject that it is a TEST certificate; nothing signed with it
means anything legally. Production installs configure real keys (a PKCS#11 token for the
officer, an HSM or PKCS#12 file for the agency seal) and their trust roots instead.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from signing.errors import KeyLoadError

TEST_ORGANIZATION = "hoso DEVELOPMENT TEST - not for production"
ROOT_NAME = "hoso DEVELOPMENT TEST CA - not for production"
OFFICER_NAME = "Nguyễn Văn An (TEST)"
SEAL_NAME = "Ủy ban nhân dân xã Thử Nghiệm (TEST seal)"
_VALIDITY = dt.timedelta(days=3650)


@dataclass(frozen=True)
class DevPki:
    """Where the development PKI lives; the PKCS#12 files have no password."""

    directory: Path

    @property
    def root_cert(self) -> Path:
        return self.directory / "root-ca.pem"

    @property
    def officer_pkcs12(self) -> Path:
        return self.directory / "officer.p12"

    @property
    def seal_pkcs12(self) -> Path:
        return self.directory / "seal.p12"

    def exists(self) -> bool:
        return all(p.is_file() for p in (self.root_cert, self.officer_pkcs12, self.seal_pkcs12))


def _name(common_name: str, unit: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, TEST_ORGANIZATION),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _issue(
    subject: x509.Name,
    key: rsa.RSAPrivateKey,
    issuer: x509.Name,
    issuer_key: rsa.RSAPrivateKey,
    *,
    ca: bool,
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + _VALIDITY)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    if ca:
        usage = x509.KeyUsage(True, False, False, False, False, True, True, False, False)
    else:
        usage = x509.KeyUsage(True, True, False, False, False, False, False, False, False)
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
    builder = builder.add_extension(usage, critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


def _write_private(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def write_pkcs12(
    path: Path,
    friendly_name: str,
    key: rsa.RSAPrivateKey,
    cert: x509.Certificate,
    chain: list[x509.Certificate],
    password: bytes | None = None,
) -> None:
    """Write a key, its certificate and chain as PKCS#12 (mode 0600)."""
    encryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    data = pkcs12.serialize_key_and_certificates(
        friendly_name.encode(), key, cert, chain, encryption
    )
    _write_private(path, data)


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Serialise first-run generation between processes (CLI, API workers)."""
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def ensure_dev_pki(directory: Path) -> DevPki:
    """Return the development PKI under ``directory``, generating it once if absent."""
    pki = DevPki(Path(directory))
    if pki.exists():
        return pki
    try:
        pki.directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KeyLoadError(
            f"cannot create the development PKI folder {pki.directory}: {exc.strerror}; "
            "point the data directory somewhere writable or configure real keys"
        ) from exc
    with _locked(pki.directory):
        if pki.exists():
            return pki
        root_key = _key()
        root_name = _name(ROOT_NAME, "TEST certificate authority")
        root = _issue(root_name, root_key, root_name, root_key, ca=True)
        for path, common_name, unit in (
            (pki.officer_pkcs12, OFFICER_NAME, "TEST officer certificate"),
            (pki.seal_pkcs12, SEAL_NAME, "TEST agency seal certificate"),
        ):
            key = _key()
            cert = _issue(_name(common_name, unit), key, root_name, root_key, ca=False)
            write_pkcs12(path, common_name, key, cert, [root])
        # root last: its presence marks a complete PKI
        tmp = pki.root_cert.with_suffix(".tmp")
        tmp.write_bytes(root.public_bytes(serialization.Encoding.PEM))
        os.replace(tmp, pki.root_cert)
    return pki
