"""Signatures per second: in-process batch signing vs one `pyhanko sign` process per document.

Run:  .venv/bin/python -m benchmarks.bench_signing [--docs 200] [--per-process-docs 20]

Both sides sign the same rendered results with the same PKCS#12 keys, at B-B and at B-T
(RFC 3161 timestamps from a live certomancer TSA on 127.0.0.1), in the same run. The
in-process side signs each result twice (officer in the signature block, then the seal) with
visible Vietnamese stamps; the peer adds one invisible signature per process, so the
comparison favours the peer. Rates are signatures per second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from asn1crypto import pem as asn1_pem
from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from signing.keys import Pkcs12Key, load_certificates, open_signer
from signing.pades import PadesLevel, SigningProfile, sign_batch
from signing.templates import ResultContext, render_result
from tests.fixtures_pki import ARCH, P12_PASSWORD, _free_port, _wait_http, certomancer_config

BIN = Path(sys.executable).parent


def _results(n: int) -> list[bytes]:
    ctx = ResultContext(
        "000.00.13.H12-250701-0001",
        "Ủy ban nhân dân xã An Bình",
        "An Bình",
        "Trần Thị Bích Ngọc",
        "CHỦ TỊCH",
        dt.date(2025, 7, 1),
    )
    return [
        render_result(
            "household_business_certificate",
            {
                "business_name": f"Hộ kinh doanh số {i}",
                "business_address": "12 Lý Tự Trọng",
                "capital_vnd": str(10_000_000 + i),
                "owner_name": "Đặng Văn Hùng",
                "owner_id_number": "079088001234",
            },
            ctx,
        )
        for i in range(n)
    ]


def _start_pki(work: Path) -> tuple[subprocess.Popen, str, Path, Path, Path]:
    (work / "keys").mkdir()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    cfg = certomancer_config(url)
    for name in cfg["keysets"][ARCH]["keys"]:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (work / "keys" / f"{name}.key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    config = work / "certomancer.yml"
    config.write_text(yaml.safe_dump(cfg, allow_unicode=True))
    arch = CertomancerConfig.from_file(str(config)).get_pki_arch(ArchLabel(ARCH))
    root = work / "root.pem"
    root.write_bytes(asn1_pem.armor("CERTIFICATE", arch.get_cert(CertLabel("root")).dump()))
    p12 = {}
    for label in ("officer", "seal"):
        p12[label] = work / f"{label}.p12"
        p12[label].write_bytes(
            arch.package_pkcs12(CertLabel(label), password=P12_PASSWORD.encode())
        )
    proc = subprocess.Popen(
        [str(BIN / "certomancer"), "--config", str(config), "animate", "--port", str(port)],
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_http(url + "/", proc)
    return proc, f"{url}/{ARCH}/tsa/tsa", root, p12["officer"], p12["seal"]


def _in_process(
    docs: list[bytes], level: PadesLevel, tsa: str, root: Path, officer_p12: Path, seal_p12: Path
) -> float:
    profile = SigningProfile(
        level=level, tsa_url=tsa, trust_roots=load_certificates([root]), officer_title="Chủ tịch"
    )
    with (
        open_signer(Pkcs12Key(officer_p12, P12_PASSWORD)) as officer,
        open_signer(Pkcs12Key(seal_p12, P12_PASSWORD)) as seal,
    ):
        start = time.perf_counter()
        out = sign_batch(docs, officer, seal, profile)
        elapsed = time.perf_counter() - start
    assert len(out) == len(docs)
    return 2 * len(docs) / elapsed


def _per_process(
    docs: list[bytes], level: PadesLevel, tsa: str, officer_p12: Path, work: Path
) -> float:
    passfile = work / "pass.txt"
    passfile.write_text(P12_PASSWORD)
    paths = []
    for i, d in enumerate(docs):
        p = work / f"in-{i}.pdf"
        p.write_bytes(d)
        paths.append(p)
    start = time.perf_counter()
    for p in paths:
        cmd = [str(BIN / "pyhanko"), "sign", "addsig", "--field", "Sig1", "--use-pades"]
        if level is not PadesLevel.B_B:
            cmd += ["--timestamp-url", tsa]
        cmd += [
            "pkcs12",
            "--passfile",
            str(passfile),
            str(p),
            str(p.with_suffix(".out.pdf")),
            str(officer_p12),
        ]
        subprocess.run(cmd, check=True, capture_output=True)
    return len(paths) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument(
        "--per-process-docs", type=int, default=20, help="documents for the (slow) per-process peer"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        proc, tsa, root, officer_p12, seal_p12 = _start_pki(work)
        try:
            docs = _results(args.docs)
            rows = []
            for level in (PadesLevel.B_B, PadesLevel.B_T):
                batch = _in_process(docs, level, tsa, root, officer_p12, seal_p12)
                peer = _per_process(docs[: args.per_process_docs], level, tsa, officer_p12, work)
                rows.append((level, batch, peer))
        finally:
            proc.terminate()
            proc.wait(10)
    print(
        f"\n{args.docs} results in-process (2 signatures each), "
        f"{args.per_process_docs} `pyhanko sign` processes (1 signature each)\n"
    )
    print("| level | in-process batch (sig/s) | pyhanko per process (sig/s) | ratio |")
    print("|---|---|---|---|")
    for level, batch, peer in rows:
        print(f"| {level} | {batch:.1f} | {peer:.2f} | {batch / peer:.0f}× |")


if __name__ == "__main__":
    main()
