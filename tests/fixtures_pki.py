"""Real PKI parts for the signing tests, shared per session.

* certomancer ``animate`` served live on 127.0.0.1 (RSA CAs): TSA, OCSP, CRLs;
* a SoftHSM2 token (its own config in a temp dir) holding an officer key and chain;
* an NSS database trusting the test roots, for poppler's ``pdfsig`` as an independent check;
* the project's development PKI, generated once in a temp data dir.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from asn1crypto import pem as asn1_pem
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

SOFTHSM_LIB = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN_LABEL, TOKEN_PIN, TOKEN_SO_PIN = "officer", "1234", "5678"
P12_PASSWORD = "mật-khẩu-p12"
ARCH = "hoso"
_VALIDITY = {"valid-from": "2020-01-01T00:00:00+0000", "valid-to": "2045-01-01T00:00:00+0000"}
_BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _leaf(issuer: str, *, ocsp: bool) -> dict:
    ext: list[dict] = [
        {
            "id": "key_usage",
            "critical": True,
            "smart-value": {
                "schema": "key-usage",
                "params": ["digital_signature", "non_repudiation"],
            },
        },
        {
            "id": "crl_distribution_points",
            "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": [issuer]}},
        },
    ]
    if ocsp:
        ext.append(
            {
                "id": "authority_information_access",
                "smart-value": {"schema": "aia-urls", "params": {"ocsp-responder-names": [issuer]}},
            }
        )
    return {"issuer": issuer, "validity": _VALIDITY, "extensions": ext}


def certomancer_config(url: str) -> dict:
    """A root and an intermediate CA, officer and seal certificates, TSA, OCSP and CRLs."""
    ca_usage = {
        "id": "key_usage",
        "critical": True,
        "smart-value": {
            "schema": "key-usage",
            "params": ["digital_signature", "key_cert_sign", "crl_sign"],
        },
    }
    keys = ["root", "interm", "interm-ocsp", "tsa", "officer", "seal", "token-officer"]
    return {
        "external-url-prefix": url,
        "keysets": {
            ARCH: {"path-prefix": "keys", "keys": {k: {"path": f"{k}.key.pem"} for k in keys}}
        },
        "pki-architectures": {
            ARCH: {
                "keyset": ARCH,
                "entity-defaults": {
                    "country-name": "VN",
                    "organization-name": "hoso TEST PKI - not for production",
                },
                "entities": {
                    "root": {"common-name": "hoso TEST Root CA"},
                    "interm": {"common-name": "hoso TEST Issuing CA"},
                    "interm-ocsp": {"common-name": "hoso TEST OCSP responder"},
                    "tsa": {"common-name": "hoso TEST Time Stamping Authority"},
                    "officer": {"common-name": "Lê Thị Thu Hà (TEST officer)"},
                    "seal": {"common-name": "Ủy ban nhân dân phường Bến Nghé (TEST seal)"},
                    "token-officer": {"common-name": "Phạm Quốc Đạt (TEST token)"},
                },
                "certs": {
                    "root": {
                        "subject": "root",
                        "subject-key": "root",
                        "issuer": "root",
                        "authority-key": "root",
                        "validity": _VALIDITY,
                        "extensions": [
                            {"id": "basic_constraints", "critical": True, "value": {"ca": True}},
                            ca_usage,
                        ],
                    },
                    "interm": {
                        "issuer": "root",
                        "validity": _VALIDITY,
                        "extensions": [
                            {
                                "id": "basic_constraints",
                                "critical": True,
                                "value": {"ca": True, "path-len-constraint": 0},
                            },
                            ca_usage,
                            {
                                "id": "crl_distribution_points",
                                "smart-value": {
                                    "schema": "crl-dist-url",
                                    "params": {"crl-repo-names": ["root"]},
                                },
                            },
                        ],
                    },
                    "interm-ocsp": {
                        "issuer": "interm",
                        "validity": _VALIDITY,
                        "extensions": [
                            {
                                "id": "key_usage",
                                "critical": True,
                                "smart-value": {
                                    "schema": "key-usage",
                                    "params": ["digital_signature"],
                                },
                            },
                            {
                                "id": "extended_key_usage",
                                "critical": True,
                                "value": ["ocsp_signing"],
                            },
                            {"id": "ocsp_no_check"},
                        ],
                    },
                    "tsa": {
                        "issuer": "root",
                        "validity": _VALIDITY,
                        "extensions": [
                            {
                                "id": "key_usage",
                                "critical": True,
                                "smart-value": {
                                    "schema": "key-usage",
                                    "params": ["digital_signature"],
                                },
                            },
                            {
                                "id": "extended_key_usage",
                                "critical": True,
                                "value": ["time_stamping"],
                            },
                            {
                                "id": "crl_distribution_points",
                                "smart-value": {
                                    "schema": "crl-dist-url",
                                    "params": {"crl-repo-names": ["root"]},
                                },
                            },
                        ],
                    },
                    # CRL-only: pdfsig 22.12 can judge trust only without an OCSP URL
                    "officer": _leaf("interm", ocsp=False),
                    "seal": _leaf("interm", ocsp=False),
                    "token-officer": _leaf("interm", ocsp=True),
                },
                "services": {
                    "ocsp": {
                        "interm": {
                            "for-issuer": "interm",
                            "responder-cert": "interm-ocsp",
                            "signing-key": "interm-ocsp",
                        }
                    },
                    "crl-repo": {
                        "root": {
                            "for-issuer": "root",
                            "signing-key": "root",
                            "simulated-update-schedule": "P90D",
                        },
                        "interm": {
                            "for-issuer": "interm",
                            "signing-key": "interm",
                            "simulated-update-schedule": "P30D",
                        },
                    },
                    "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}},
                },
            }
        },
    }


@dataclass(frozen=True)
class TestPki:
    """A live certomancer PKI: its URLs and the files the tests sign with."""

    directory: Path
    config: Path
    url: str
    root_pem: Path
    officer_p12: Path  # password P12_PASSWORD
    seal_p12: Path  # password P12_PASSWORD

    @property
    def tsa_url(self) -> str:
        return f"{self.url}/{ARCH}/tsa/tsa"


def _wait_http(url: str, proc: subprocess.Popen, deadline_s: float = 20) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"certomancer exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"certomancer did not answer at {url}")


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestPki]:
    import yaml
    from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig

    directory = tmp_path_factory.mktemp("certomancer")
    (directory / "keys").mkdir()
    cfg = certomancer_config("http://127.0.0.1:0")
    for name in cfg["keysets"][ARCH]["keys"]:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (directory / "keys" / f"{name}.key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    cfg["external-url-prefix"] = url  # written into the certificates: must match the port
    config = directory / "certomancer.yml"
    config.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False))

    arch = CertomancerConfig.from_file(str(config)).get_pki_arch(ArchLabel(ARCH))
    root_pem = directory / "root.pem"
    root_pem.write_bytes(asn1_pem.armor("CERTIFICATE", arch.get_cert(CertLabel("root")).dump()))
    p12s = {}
    for label in ("officer", "seal"):
        p12s[label] = directory / f"{label}.p12"
        p12s[label].write_bytes(
            arch.package_pkcs12(CertLabel(label), password=P12_PASSWORD.encode())
        )

    log = (directory / "animate.log").open("wb")
    proc = subprocess.Popen(
        [str(_BIN / "certomancer"), "--config", str(config), "animate", "--port", str(port)],
        cwd=directory,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_http(url + "/", proc)
        yield TestPki(directory, config, url, root_pem, p12s["officer"], p12s["seal"])
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


@pytest.fixture(scope="session")
def softhsm_token(test_pki: TestPki, tmp_path_factory: pytest.TempPathFactory):
    """A SoftHSM2 token 'officer' holding certomancer's token-officer key, cert and chain."""
    from signing.keys import Pkcs11Key

    if not SOFTHSM_LIB.is_file():
        pytest.skip("SoftHSM2 is not installed (apt-get install softhsm2)")
    directory = tmp_path_factory.mktemp("softhsm")
    (directory / "tokens").mkdir()
    conf = directory / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {directory / 'tokens'}\n"
        "objectstore.backend = file\nlog.level = ERROR\n"
    )
    os.environ["SOFTHSM2_CONF"] = str(conf)  # read by the module at C_Initialize
    subprocess.run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            TOKEN_LABEL,
            "--so-pin",
            TOKEN_SO_PIN,
            "--pin",
            TOKEN_PIN,
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            str(_BIN / "certomancer"),
            "--config",
            str(test_pki.config),
            "alch",
            ARCH,
            "--module",
            str(SOFTHSM_LIB),
            "--token-label",
            TOKEN_LABEL,
            "--pin",
            TOKEN_PIN,
            "--cert",
            "token-officer",
            "--include-chain",
        ],
        check=True,
        capture_output=True,
        cwd=test_pki.directory,
    )
    return Pkcs11Key(SOFTHSM_LIB, TOKEN_LABEL, "token-officer", TOKEN_PIN)


@pytest.fixture(scope="session")
def dev_pki(tmp_path_factory: pytest.TempPathFactory):
    """The project's development PKI, generated once for the session."""
    from signing.devpki import ensure_dev_pki

    return ensure_dev_pki(tmp_path_factory.mktemp("hoso-data") / "dev-pki")


@pytest.fixture(scope="session")
def nss_db(test_pki: TestPki, dev_pki, tmp_path_factory: pytest.TempPathFactory) -> str:
    """An NSS database trusting the certomancer root and the dev root, for pdfsig."""
    if shutil.which("certutil") is None or shutil.which("pdfsig") is None:
        pytest.skip("pdfsig/certutil missing (apt-get install poppler-utils libnss3-tools)")
    directory = tmp_path_factory.mktemp("nssdb")
    db = f"sql:{directory}"
    subprocess.run(["certutil", "-N", "-d", db, "--empty-password"], check=True)
    for nick, pem_path in (("test-root", test_pki.root_pem), ("dev-root", dev_pki.root_cert)):
        subprocess.run(
            ["certutil", "-A", "-d", db, "-n", nick, "-t", "C,C,C", "-i", str(pem_path)], check=True
        )
    return db


@dataclass(frozen=True)
class PdfsigResult:
    signer: str
    signature_valid: bool
    certificate_trusted: bool
    raw: str


@pytest.fixture(scope="session")
def pdfsig(nss_db: str) -> Callable[[Path], list[PdfsigResult]]:
    """Run poppler's pdfsig and parse its per-signature verdicts (it always exits 0)."""

    def run(path: Path) -> list[PdfsigResult]:
        out = subprocess.run(
            ["pdfsig", "-nssdir", nss_db, str(path)], capture_output=True, text=True, check=False
        ).stdout
        results = []
        for block in re.split(r"^Signature #\d+:\s*$", out, flags=re.M)[1:]:
            signer = re.search(r"Signer Certificate Common Name: (.*)", block)
            results.append(
                PdfsigResult(
                    signer=signer.group(1).strip() if signer else "",
                    signature_valid="Signature Validation: Signature is Valid." in block,
                    certificate_trusted="Certificate Validation: Certificate is Trusted." in block,
                    raw=block,
                )
            )
        return results

    return run
