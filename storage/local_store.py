"""Object store in a local folder: the embedded default (``<data_dir>/objects``).

Layout: ``<root>/<key>`` holds the bytes, ``<root>/.meta/<key>.json`` the size, SHA-256,
content type and metadata. Writes go to ``<root>/.tmp`` first, are fsynced and then renamed
into place with ``os.replace``, so a reader sees either nothing or the whole object.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from .errors import ObjectNotFoundError, StorageUnavailableError
from .keys import validate_key
from .objectstore import (
    CHUNK,
    HashingReader,
    ObjectInfo,
    VerifyingReader,
    copy_stream,
    download_to_path,
)

_META = ".meta"
_TMP = ".tmp"


class LocalObjectStore:
    """Objects as files under ``root``; safe against crashes mid-write, not against two hosts."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self.location = f"local folder {self.root}"
        try:
            (self.root / _TMP).mkdir(parents=True, exist_ok=True)
            (self.root / _META).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageUnavailableError(str(self.root), exc) from exc

    # -- paths ---------------------------------------------------------------------------
    def _data_path(self, key: str) -> Path:
        return self.root / validate_key(key)

    def _meta_path(self, key: str) -> Path:
        return self.root / _META / f"{validate_key(key)}.json"

    # -- writing -------------------------------------------------------------------------
    def put_file(
        self,
        key: str,
        path: Path,
        *,
        content_type: str = "application/octet-stream",
        metadata: Mapping[str, str] | None = None,
    ) -> ObjectInfo:
        with open(path, "rb") as fh:
            return self.put_stream(key, fh, content_type=content_type, metadata=metadata)

    def put_stream(
        self,
        key: str,
        stream: BinaryIO,
        *,
        content_type: str = "application/octet-stream",
        metadata: Mapping[str, str] | None = None,
    ) -> ObjectInfo:
        data_path = self._data_path(key)
        meta_path = self._meta_path(key)
        reader = HashingReader(stream)
        tmp_data = self._write_temp(lambda fh: copy_stream(reader, fh))
        try:
            info = ObjectInfo(key, reader.size, reader.sha256, content_type, dict(metadata or {}))
            meta = json.dumps(
                {
                    "size": info.size,
                    "sha256": info.sha256,
                    "content_type": content_type,
                    "metadata": info.metadata,
                },
                ensure_ascii=False,
            ).encode()
            tmp_meta = self._write_temp(lambda fh: fh.write(meta))
            # Metadata first: a data file is never visible without the hash that checks it.
            self._move_into_place(tmp_meta, meta_path)
            self._move_into_place(tmp_data, data_path)
        except BaseException:
            tmp_data.unlink(missing_ok=True)
            raise
        return info

    def _write_temp(self, write) -> Path:
        fd, name = tempfile.mkstemp(dir=self.root / _TMP, prefix="put-")
        tmp = Path(name)
        try:
            with os.fdopen(fd, "wb") as fh:
                write(fh)
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return tmp

    @staticmethod
    def _move_into_place(tmp: Path, final: Path) -> None:
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)
        dir_fd = os.open(final.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    # -- reading -------------------------------------------------------------------------
    def _read_meta(self, key: str) -> dict:
        try:
            return json.loads(self._meta_path(key).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def stat(self, key: str) -> ObjectInfo:
        data_path = self._data_path(key)
        if not data_path.is_file():
            raise ObjectNotFoundError(key, self.location)
        meta = self._read_meta(key)
        return ObjectInfo(
            key,
            data_path.stat().st_size,
            meta.get("sha256"),
            meta.get("content_type", "application/octet-stream"),
            meta.get("metadata", {}),
        )

    def exists(self, key: str) -> bool:
        return self._data_path(key).is_file()

    def open(self, key: str, *, expected_sha256: str | None = None) -> VerifyingReader:
        try:
            fh = open(self._data_path(key), "rb", buffering=CHUNK)  # noqa: SIM115 - caller closes
        except (FileNotFoundError, IsADirectoryError) as exc:
            raise ObjectNotFoundError(key, self.location) from exc
        expected = expected_sha256 or self._read_meta(key).get("sha256")
        return VerifyingReader(key, fh, expected)

    def get_to_path(
        self, key: str, path: Path, *, expected_sha256: str | None = None
    ) -> ObjectInfo:
        return download_to_path(self, key, Path(path), expected_sha256)

    def list(self, prefix: str = "") -> Iterator[ObjectInfo]:
        for dirpath, dirnames, filenames in os.walk(self.root):
            if Path(dirpath) == self.root:
                dirnames[:] = [d for d in dirnames if d not in (_META, _TMP)]
            dirnames.sort()
            for name in sorted(filenames):
                key = Path(dirpath, name).relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    yield self.stat(key)

    def delete(self, key: str) -> None:
        data_path = self._data_path(key)
        if not data_path.is_file():
            raise ObjectNotFoundError(key, self.location)
        data_path.unlink()
        self._meta_path(key).unlink(missing_ok=True)
