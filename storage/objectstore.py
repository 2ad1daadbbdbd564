"""The object store interface shared by the local-folder and S3 backends.

Both backends hash while they stream (never holding a whole file in memory), make an object
visible only once it is complete, and verify the SHA-256 while an object is read back.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable
from urllib.parse import quote, unquote

from .errors import ObjectIntegrityError

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ObjectInfo:
    """What a store knows about one object."""

    key: str
    size: int
    sha256: str | None
    content_type: str = "application/octet-stream"
    metadata: Mapping[str, str] = field(default_factory=dict)


@runtime_checkable
class ObjectStore(Protocol):
    """Where object bytes live; keys are relative ``/`` paths (see :mod:`storage.keys`)."""

    location: str

    def put_file(
        self,
        key: str,
        path: Path,
        *,
        content_type: str = "application/octet-stream",
        metadata: Mapping[str, str] | None = None,
    ) -> ObjectInfo:
        """Store a file's bytes under ``key`` and return what was stored (with its SHA-256)."""
        ...

    def put_stream(
        self,
        key: str,
        stream: BinaryIO,
        *,
        content_type: str = "application/octet-stream",
        metadata: Mapping[str, str] | None = None,
    ) -> ObjectInfo:
        """Store a readable stream of unknown length under ``key``."""
        ...

    def open(self, key: str, *, expected_sha256: str | None = None) -> VerifyingReader:
        """A stream of the object's bytes that raises on a SHA-256 mismatch at its end."""
        ...

    def get_to_path(
        self, key: str, path: Path, *, expected_sha256: str | None = None
    ) -> ObjectInfo:
        """Copy the object into ``path`` (atomically), verifying its SHA-256."""
        ...

    def stat(self, key: str) -> ObjectInfo: ...

    def exists(self, key: str) -> bool: ...

    def list(self, prefix: str = "") -> Iterator[ObjectInfo]: ...

    def delete(self, key: str) -> None: ...


class HashingReader(io.RawIOBase):
    """Wrap a binary stream, hashing and counting everything read through it."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._hash = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        if data:
            self._hash.update(data)
            self.size += len(data)
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


class VerifyingReader(io.RawIOBase):
    """A read stream that checks the SHA-256 of what it delivered once it reaches the end.

    A mismatch raises :class:`ObjectIntegrityError` from the read that hits the end, so a
    consumer never silently finishes with corrupt bytes.
    """

    def __init__(
        self,
        key: str,
        raw: BinaryIO,
        expected_sha256: str | None,
        close_hook: Callable[[], None] | None = None,
    ) -> None:
        self.key = key
        self._raw = raw
        self._expected = expected_sha256
        self._hash = hashlib.sha256()
        self._close_hook = close_hook
        self._done = False
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""
        data = self._raw.read(size if size is not None and size >= 0 else -1)
        if data:
            self._hash.update(data)
            self.size += len(data)
        if not data or size is None or size < 0:
            self._finish()
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readall(self) -> bytes:
        chunks = []
        while chunk := self.read(CHUNK):
            chunks.append(chunk)
        return b"".join(chunks)

    def _finish(self) -> None:
        if self._done:
            return
        self._done = True
        actual = self._hash.hexdigest()
        if self._expected is not None and actual != self._expected:
            raise ObjectIntegrityError(self.key, self._expected, actual)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def close(self) -> None:
        if not self.closed:
            try:
                self._raw.close()
            finally:
                if self._close_hook is not None:
                    self._close_hook()
        super().close()


def copy_stream(reader: BinaryIO, writer: BinaryIO) -> None:
    """Copy in bounded chunks (both backends and the archive use this one loop)."""
    while chunk := reader.read(CHUNK):
        writer.write(chunk)


def encode_metadata(metadata: Mapping[str, str] | None) -> dict[str, str]:
    """Percent-encode values: S3 headers (and minio) accept ASCII only, names are Vietnamese."""
    return {k: quote(str(v), safe=" -_.,:/@()") for k, v in (metadata or {}).items()}


def decode_metadata(metadata: Mapping[str, str]) -> dict[str, str]:
    return {k: unquote(v) for k, v in metadata.items()}


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def download_to_path(
    store: ObjectStore, key: str, path: Path, expected_sha256: str | None
) -> ObjectInfo:
    """Shared by both backends: stream into a temp file next to ``path``, verify, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    tmp = Path(name)
    try:
        with store.open(key, expected_sha256=expected_sha256) as reader, os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(reader, out, CHUNK)
            size, sha = reader.size, reader.sha256
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    info = store.stat(key)
    return ObjectInfo(key, size, sha, info.content_type, info.metadata)
