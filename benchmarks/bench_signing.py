"""Signatures per second: in-process batch signing vs one `pyhanko sign` process per document.

Run:  .venv/bin/python -m benchmarks.bench_signing [--docs 200] [--per-process-docs 20]
      [--workers N]

Both sides sign the same rendered results with the same PKCS#12 keys, at B-B and at B-T
(RFC 3161 timestamps from a live certomancer TSA on 127.0.0.1), in the same run. The
in-process side (:func:`signing.batch.sign_results`: a process pool, one worker per core)
signs each result twice (officer in the signature block, then the seal) with visible
Vietnamese stamps; its time includes starting the pool and opening the keys. The peer adds
one invisible signature per ``pyhanko sign`` process, timed over the first
``--per-process-docs`` results (its rate is steady, so a subset suffices), so the comparison
favours the peer. Rates are signatures per second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
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

from signing.batch import default_workers, sign_results
from signing.keys import Pkcs12Key, load_certificates
from signing.pades import PadesLevel, SigningProfile
from signing.templates import ResultContext, render_result
from tests.fixtures_pki import ARCH, P12_PASSWORD, _free_port, _wait_http, certomancer_config

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]


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


def _serve_pki(config: Path, port: int) -> None:
    """certomancer's own web app (TSA, OCSP, CRLs) with its signing keys parsed once.

    Stock ``certomancer animate`` re-parses and re-checks its RSA key for every response
    (~45 ms of ~60 ms CPU) and answers one request at a time: on this 2-core box it capped
    any signer at ~10 timestamps/s, so B-T measured the test TSA, not the signer. A real
    TSA runs elsewhere. The tokens are the same certomancer tokens; only the parsing is cached.
    """
    from functools import lru_cache

    from certomancer import crypto_utils
    from certomancer.integrations.animator import Animator, AnimatorArchStore
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from werkzeug.serving import run_simple

    @lru_cache(maxsize=32)
    def parsed(der: bytes) -> rsa.RSAPrivateKey:
        key = serialization.load_der_private_key(der, password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        return key

    class ParsedKeyBackend(crypto_utils.PycaCryptographyBackend):
        def generic_sign(self, private_key, tbs_bytes, sd_algo):  # type: ignore[no-untyped-def]
            if sd_algo.signature_algo != "rsassa_pkcs1v15":
                return super().generic_sign(private_key, tbs_bytes, sd_algo)
            digest = getattr(hashes, sd_algo.hash_algo.upper())()
            return parsed(private_key.dump()).sign(tbs_bytes, PKCS1v15(), digest)

    crypto_utils.CRYPTO_BACKEND = ParsedKeyBackend()
    cfg = CertomancerConfig.from_file(str(config))
    run_simple("127.0.0.1", port, Animator(AnimatorArchStore(cfg.pki_archs)), threaded=True)


def _start_pki(work: Path, stock_tsa: bool) -> tuple[subprocess.Popen, str, Path, Path, Path]:
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
    if stock_tsa:
        cmd = [str(BIN / "certomancer"), "--config", str(config), "animate", "--port", str(port)]
    else:
        cmd = [sys.executable, "-m", "benchmarks.bench_signing", "--serve-pki", str(config)]
        cmd += ["--port", str(port)]
    proc = subprocess.Popen(
        cmd,
        cwd=work,  # certomancer.yml names its key files relative to it
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_http(url + "/", proc)
    return proc, f"{url}/{ARCH}/tsa/tsa", root, p12["officer"], p12["seal"]


def _in_process(
    docs: list[bytes],
    level: PadesLevel,
    tsa: str,
    root: Path,
    officer_p12: Path,
    seal_p12: Path,
    workers: int,
) -> float:
    profile = SigningProfile(
        level=level, tsa_url=tsa, trust_roots=load_certificates([root]), officer_title="Chủ tịch"
    )
    officer, seal = Pkcs12Key(officer_p12, P12_PASSWORD), Pkcs12Key(seal_p12, P12_PASSWORD)
    start = time.perf_counter()
    out = sign_results(docs, officer, seal, profile, workers=workers)
    elapsed = time.perf_counter() - start
    assert len(out) == len(docs) and all(o.startswith(d) for o, d in zip(out, docs, strict=True))
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
    parser.add_argument(
        "--workers", type=int, default=default_workers(), help="signing processes (default: cores)"
    )
    parser.add_argument(
        "--stock-tsa",
        action="store_true",
        help="serve the PKI with plain `certomancer animate` (re-parses its key per response)",
    )
    parser.add_argument("--serve-pki", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_pki:
        _serve_pki(args.serve_pki, args.port)
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        proc, tsa, root, officer_p12, seal_p12 = _start_pki(work, args.stock_tsa)
        try:
            docs = _results(args.docs)
            rows = []
            for level in (PadesLevel.B_B, PadesLevel.B_T):
                batch = _in_process(docs, level, tsa, root, officer_p12, seal_p12, args.workers)
                peer = _per_process(docs[: args.per_process_docs], level, tsa, officer_p12, work)
                rows.append((level, batch, peer))
        finally:
            proc.terminate()
            proc.wait(10)
    tsa_kind = "stock `certomancer animate`" if args.stock_tsa else "certomancer, keys parsed once"
    print(
        f"\n{args.docs} results in-process batch on {args.workers} worker processes "
        f"(2 signatures each), {args.per_process_docs} `pyhanko sign` processes "
        f"(1 signature each); TSA: {tsa_kind}\n"
    )
    print("| level | in-process batch (sig/s) | pyhanko per process (sig/s) | ratio |")
    print("|---|---|---|---|")
    for level, batch, peer in rows:
        print(f"| {level} | {batch:.1f} | {peer:.2f} | {batch / peer:.0f}× |")


if __name__ == "__main__":
    main()
