"""Object stores: round trips on a real S3 server (SeaweedFS) and the local folder."""

from __future__ import annotations

import hashlib
import io
import os
import re
import tracemalloc
from pathlib import Path

import pytest

from storage import (
    InvalidKeyError,
    LocalObjectStore,
    ObjectIntegrityError,
    ObjectNotFoundError,
    ObjectStore,
    S3ObjectStore,
    StorageError,
    StorageUnavailableError,
)
from tests.fixtures_s3 import ACCESS_KEY, SECRET_KEY, SeaweedServer


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    if request.param == "local":
        return LocalObjectStore(tmp_path / "objects")
    server: SeaweedServer = request.getfixturevalue("seaweed")
    bucket = request.getfixturevalue("s3_bucket")
    return S3ObjectStore(
        server.endpoint, ACCESS_KEY, SECRET_KEY, bucket, secure=False, part_size=5 * 1024 * 1024
    )


def test_round_trip_with_vietnamese_metadata(store: ObjectStore, tmp_path: Path) -> None:
    data = os.urandom(300_000)
    src = tmp_path / "scan.tif"
    src.write_bytes(data)
    meta = {"applicant": "Nguyễn Thị Ánh", "sha256": hashlib.sha256(data).hexdigest()}
    info = store.put_file("000.00.13.H12-250701-0001/originals/a.tif", src, metadata=meta)
    assert info.sha256 == hashlib.sha256(data).hexdigest()
    assert info.size == len(data)

    stat = store.stat(info.key)
    assert stat.size == len(data)
    assert stat.sha256 == info.sha256
    assert stat.metadata["applicant"] == "Nguyễn Thị Ánh"
    with store.open(info.key, expected_sha256=info.sha256) as reader:
        assert reader.read() == data
    out = store.get_to_path(info.key, tmp_path / "out" / "copy.tif")
    assert out.sha256 == info.sha256
    assert (tmp_path / "out" / "copy.tif").read_bytes() == data

    store.put_stream("000.00.13.H12-250701-0001/results/r.pdf", io.BytesIO(b"%PDF result"))
    store.put_stream("000.00.13.H12-250701-0002/results/r.pdf", io.BytesIO(b"%PDF other"))
    keys = [o.key for o in store.list("000.00.13.H12-250701-0001/")]
    assert keys == [
        "000.00.13.H12-250701-0001/originals/a.tif",
        "000.00.13.H12-250701-0001/results/r.pdf",
    ]
    assert store.exists(info.key)
    store.delete(info.key)
    assert not store.exists(info.key)


def test_missing_and_bad_keys(store: ObjectStore, tmp_path: Path) -> None:
    with pytest.raises(ObjectNotFoundError, match=re.escape("nope/x.pdf")):
        store.stat("nope/x.pdf")
    with pytest.raises(ObjectNotFoundError):
        store.open("nope/x.pdf")
    with pytest.raises(ObjectNotFoundError):
        store.get_to_path("nope/x.pdf", tmp_path / "never.pdf")
    assert not (tmp_path / "never.pdf").exists()
    with pytest.raises(ObjectNotFoundError):
        store.delete("nope/x.pdf")
    for bad in ("../etc/passwd", "/abs", "a//b", ".meta/x", ""):
        with pytest.raises(InvalidKeyError):
            store.put_stream(bad, io.BytesIO(b"x"))


def test_wrong_expected_hash_is_an_integrity_error(store: ObjectStore, tmp_path: Path) -> None:
    store.put_stream("k/obj.bin", io.BytesIO(b"genuine bytes"))
    with pytest.raises(ObjectIntegrityError, match=re.escape("k/obj.bin")):
        store.get_to_path("k/obj.bin", tmp_path / "dst.bin", expected_sha256="0" * 64)
    assert not (tmp_path / "dst.bin").exists(), "a corrupt download must not be left in place"


def test_tampered_local_object_fails_verification(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path / "objects")
    info = store.put_stream(
        "unassigned/originals/x.jpg", io.BytesIO(b"A" * 10_000), metadata={"sha256": "ignored"}
    )
    path = tmp_path / "objects" / "unassigned" / "originals" / "x.jpg"
    path.write_bytes(b"A" * 9_999 + b"B")  # one byte flipped on disk
    with pytest.raises(ObjectIntegrityError) as err, store.open(info.key) as reader:
        reader.read()
    assert err.value.key == info.key and err.value.expected == info.sha256


def test_local_put_leaves_nothing_visible_when_the_source_fails(tmp_path: Path) -> None:
    class Broken(io.RawIOBase):
        def __init__(self) -> None:
            self.sent = 0

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            if self.sent > 3 * 1024 * 1024:
                raise OSError("scanner disconnected")
            self.sent += 1024 * 1024
            return b"x" * 1024 * 1024

    store = LocalObjectStore(tmp_path / "objects")
    with pytest.raises(OSError, match="scanner disconnected"):
        store.put_stream("d/originals/big.tif", Broken())  # type: ignore[arg-type]
    assert not store.exists("d/originals/big.tif")
    assert list(store.list()) == []
    assert list((tmp_path / "objects" / ".tmp").iterdir()) == []


def _big_file(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    block = os.urandom(1024 * 1024)
    with open(path, "wb") as fh:
        for _ in range(size // len(block)):
            fh.write(block)
            digest.update(block)
    return digest.hexdigest()


def test_large_object_streams_with_bounded_memory(
    seaweed: SeaweedServer, s3_bucket: str, tmp_path: Path
) -> None:
    size = 50 * 1024 * 1024
    src = tmp_path / "big.pdf"
    sha = _big_file(src, size)
    store = S3ObjectStore(
        seaweed.endpoint, ACCESS_KEY, SECRET_KEY, s3_bucket, secure=False,
        part_size=5 * 1024 * 1024, parallel_uploads=1,
    )  # fmt: skip
    tracemalloc.start()
    try:
        info = store.put_file("big/originals/big.pdf", src)
        _, put_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        out = store.get_to_path("big/originals/big.pdf", tmp_path / "back.pdf", expected_sha256=sha)
        _, get_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.sha256 == sha and out.sha256 == sha and info.size == size
    # parts of 5 MiB, one in flight: peak memory a fraction of the 50 MB object
    assert put_peak < size / 4, f"put peaked at {put_peak / 1e6:.1f} MB"
    assert get_peak < size / 10, f"get peaked at {get_peak / 1e6:.1f} MB"


def test_dead_s3_server_fails_fast_with_the_endpoint(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(StorageUnavailableError, match=f"127.0.0.1:{port}") as err:
        S3ObjectStore(f"127.0.0.1:{port}", ACCESS_KEY, SECRET_KEY, "hoso", secure=False)
    assert err.value.endpoint == f"127.0.0.1:{port}"


def test_bad_bucket_name_is_a_storage_error(seaweed: SeaweedServer) -> None:
    with pytest.raises(StorageError, match="bucket"):
        S3ObjectStore(seaweed.endpoint, ACCESS_KEY, SECRET_KEY, "Hồ Sơ", secure=False)


def test_presigned_url_serves_the_object(seaweed: SeaweedServer, s3_bucket: str) -> None:
    import urllib.request

    store = S3ObjectStore(seaweed.endpoint, ACCESS_KEY, SECRET_KEY, s3_bucket, secure=False)
    store.put_stream("c/results/kq.pdf", io.BytesIO(b"%PDF signed result"))
    with urllib.request.urlopen(store.presigned_url("c/results/kq.pdf"), timeout=10) as resp:
        assert resp.read() == b"%PDF signed result"
