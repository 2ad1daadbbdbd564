"""Objects per second, put and get, for 1 MB scans: our stores against the bare minio SDK.

Starts its own SeaweedFS (``weed mini``, loopback, credentials) and writes into a temp folder.
Run: ``.venv/bin/python -m benchmarks.bench_storage [--count 50] [--size-mb 1]
[--ingest-pages 12]``.
The peer is the minio SDK's own ``fput_object``/``fget_object`` against the same server, so
the ratio shows what hashing, verification and atomic writes cost on top of the transport.

Then the store's share of the ingest pipeline's wall time: ``hoso ingest --json`` on a synthetic
batch with the archive on the same SeaweedFS (and SQLite), from the report's ``store_seconds``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from storage import LocalObjectStore, ObjectStore, S3ObjectStore
from tests.fixtures_s3 import ACCESS_KEY, SECRET_KEY, SeaweedServer


def _rate(count: int, fn: Callable[[int], object]) -> float:
    start = time.perf_counter()
    for i in range(count):
        fn(i)
    return count / (time.perf_counter() - start)


def _bench_store(store: ObjectStore, files: list[Path], out: Path, tag: str) -> tuple[float, float]:
    shas = [hashlib.sha256(f.read_bytes()).hexdigest() for f in files]
    put = _rate(len(files), lambda i: store.put_file(f"{tag}/originals/{i}.tif", files[i]))
    get = _rate(
        len(files),
        lambda i: store.get_to_path(
            f"{tag}/originals/{i}.tif", out / f"{tag}{i}", expected_sha256=shas[i]
        ),
    )
    return put, get


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--size-mb", type=float, default=1.0)
    parser.add_argument("--ingest-pages", type=int, default=12, help="0 skips the ingest run")
    args = parser.parse_args()
    size = int(args.size_mb * 1024 * 1024)

    with tempfile.TemporaryDirectory(prefix="bench-storage-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "src").mkdir()
        (tmp / "out").mkdir()
        files = []
        for i in range(args.count):
            path = tmp / "src" / f"scan{i}.tif"
            path.write_bytes(os.urandom(size))
            files.append(path)

        server = SeaweedServer(tmp / "weed")
        server.start()
        try:
            s3 = S3ObjectStore(server.endpoint, ACCESS_KEY, SECRET_KEY, "bench", secure=False)
            client = s3.client
            client.fput_object("bench", "warmup", str(files[0]))  # first write grows a volume
            peer_put = _rate(
                args.count, lambda i: client.fput_object("bench", f"peer/{i}.tif", str(files[i]))
            )
            peer_get = _rate(
                args.count,
                lambda i: client.fget_object("bench", f"peer/{i}.tif", str(tmp / "out" / f"p{i}")),
            )
            rows = {
                "minio SDK fput/fget (peer)": (peer_put, peer_get),
                "S3ObjectStore (SeaweedFS)": _bench_store(s3, files, tmp / "out", "s3"),
            }
            share = _ingest_share(server.endpoint, tmp / "ingest", args.ingest_pages)
        finally:
            server.stop()
        local = LocalObjectStore(tmp / "local")
        rows["LocalObjectStore (fsync)"] = _bench_store(local, files, tmp / "out", "local")

    peer = rows["minio SDK fput/fget (peer)"]
    print(f"\n{args.count} objects of {args.size_mb:g} MB, objects per second\n")
    print("| store | put/s | get/s | put vs peer | get vs peer |")
    print("|---|---:|---:|---:|---:|")
    for name, (put, get) in rows.items():
        print(f"| {name} | {put:.1f} | {get:.1f} | {put / peer[0]:.2f} | {get / peer[1]:.2f} |")
    if share is not None:
        pages, seconds, store_seconds = share
        print(
            f"\n`hoso ingest` of {pages} pages with the archive on SeaweedFS: "
            f"{seconds:.1f} s wall, {store_seconds:.2f} s in the store = "
            f"{store_seconds / seconds:.1%} (target < 5 %)"
        )


def _ingest_share(endpoint: str, work: Path, pages: int) -> tuple[int, float, float] | None:
    """(pages, wall seconds, seconds in the archive) of one real ``hoso ingest`` run."""
    if pages <= 0:
        return None
    from benchmarks.synth import make_batch, write_pdf

    work.mkdir(parents=True)
    batch = make_batch(seed=11, dossiers=max(1, pages // 4)).head(pages)
    pdf = write_pdf(batch.pages, work / "batch.pdf", batch.dpi)
    env = {
        **os.environ,
        "HOSO_DATA_DIR": str(work / "data"),
        "HOSO_S3_ENDPOINT": endpoint,
        "HOSO_S3_ACCESS_KEY": ACCESS_KEY,
        "HOSO_S3_SECRET_KEY": SECRET_KEY,
        "HOSO_S3_BUCKET": "ingest",
        "HOSO_S3_SECURE": "false",
    }
    hoso = Path(sys.executable).with_name("hoso")
    done = subprocess.run(
        [str(hoso), "ingest", "--json", "--out", str(work / "out"), str(pdf)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    if not done.stdout.strip():
        print(f"hoso ingest failed ({done.returncode}): {done.stderr[-400:]}")
        return None
    report = json.loads(done.stdout)
    return report["page_count"], report["seconds"], report["store_seconds"]


if __name__ == "__main__":
    main()
