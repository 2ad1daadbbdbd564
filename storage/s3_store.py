"""Object store on any S3 server (MinIO, SeaweedFS, AWS) through the ``minio`` SDK.

A PUT is atomic on S3: an object becomes visible only when its upload (single or multipart)
completes. Files and streams are sent in parts of ``part_size`` bytes, so memory stays bounded
(about ``part_size × (parallel_uploads + 2)``) whatever the object's size. Retries are bounded
so a dead server fails within seconds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

import urllib3
from minio import Minio
from minio.error import MinioException, S3Error

from .errors import ObjectNotFoundError, StorageError, StorageUnavailableError
from .keys import validate_key
from .objectstore import (
    HashingReader,
    ObjectInfo,
    VerifyingReader,
    decode_metadata,
    download_to_path,
    encode_metadata,
)

_SHA_META = "sha256"
_NOT_FOUND = {"NoSuchKey", "NoSuchObject", "NotFound", "ResourceNotFound"}
_UNAVAILABLE = (urllib3.exceptions.HTTPError, OSError)


class S3ObjectStore:
    """Objects in one bucket of an S3 server; the bucket is created if missing."""

    def __init__(
        self,
        endpoint: str,
        access_key: str | None,
        secret_key: str | None,
        bucket: str,
        *,
        secure: bool = True,
        region: str | None = None,
        part_size: int = 16 * 1024 * 1024,
        parallel_uploads: int = 2,
        connect_timeout: float = 3.0,
        read_timeout: float = 60.0,
        retries: int = 2,
    ) -> None:
        self.endpoint = endpoint
        self.bucket = bucket
        self.location = f"s3://{bucket} at {'https' if secure else 'http'}://{endpoint}"
        self.part_size = part_size
        self.parallel_uploads = parallel_uploads
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=connect_timeout, read=read_timeout),
            retries=urllib3.Retry(
                total=retries,
                connect=retries,
                read=0,
                backoff_factor=0.2,
                status_forcelist=(500, 502, 503, 504),
                allowed_methods=None,
                raise_on_status=False,
            ),
            maxsize=10,
        )
        self.client = Minio(
            endpoint,
            access_key=access_key,
            secret_key=secret_key,
            secure=secure,
            region=region,
            http_client=http,
        )
        try:
            self._call(self._ensure_bucket)
        except ValueError as exc:  # minio validates bucket names locally
            raise StorageError(
                f"{self.location}: {exc} (S3 bucket names: a-z, 0-9, '-', 3-63)"
            ) from exc

    def _ensure_bucket(self) -> None:
        if not self.client.bucket_exists(self.bucket):
            try:
                self.client.make_bucket(self.bucket)
            except S3Error as exc:
                if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    raise

    def _call(self, fn, *args, key: str | None = None, **kwargs):
        """Run one SDK call, turning transport and S3 errors into the package's exceptions."""
        try:
            return fn(*args, **kwargs)
        except S3Error as exc:
            if key is not None and exc.code in _NOT_FOUND:
                raise ObjectNotFoundError(key, self.location) from exc
            raise StorageError(f"{self.location}: {exc.code}: {exc.message}") from exc
        except MinioException as exc:
            raise StorageUnavailableError(self.endpoint, exc) from exc
        except _UNAVAILABLE as exc:
            raise StorageUnavailableError(self.endpoint, exc) from exc

    # -- writing -------------------------------------------------------------------------
    def put_file(
        self,
        key: str,
        path: Path,
        *,
        content_type: str = "application/octet-stream",
        metadata: Mapping[str, str] | None = None,
    ) -> ObjectInfo:
        size = Path(path).stat().st_size
        with open(path, "rb") as fh:
            return self._put(key, fh, size, content_type, metadata)

    def put_stream(
        self,
        key: str,
        stream: BinaryIO,
        *,
        content_type: str = "application/octet-stream",
        metadata: Mapping[str, str] | None = None,
    ) -> ObjectInfo:
        return self._put(key, stream, -1, content_type, metadata)

    def _put(
        self,
        key: str,
        stream: BinaryIO,
        length: int,
        content_type: str,
        metadata: Mapping[str, str] | None,
    ) -> ObjectInfo:
        validate_key(key)
        reader = HashingReader(stream)
        self._call(
            self.client.put_object,
            self.bucket,
            key,
            reader,
            length,
            content_type=content_type,
            metadata=encode_metadata(metadata),
            part_size=self.part_size,
            num_parallel_uploads=self.parallel_uploads,
        )
        return ObjectInfo(key, reader.size, reader.sha256, content_type, dict(metadata or {}))

    # -- reading -------------------------------------------------------------------------
    def stat(self, key: str) -> ObjectInfo:
        st = self._call(self.client.stat_object, self.bucket, validate_key(key), key=key)
        meta = {
            k.lower().removeprefix("x-amz-meta-"): v
            for k, v in (st.metadata or {}).items()
            if k.lower().startswith("x-amz-meta-")
        }
        meta = decode_metadata(meta)
        return ObjectInfo(
            key,
            st.size or 0,
            meta.pop(_SHA_META, None),
            st.content_type or "application/octet-stream",
            meta,
        )

    def exists(self, key: str) -> bool:
        try:
            self.stat(key)
        except ObjectNotFoundError:
            return False
        return True

    def open(self, key: str, *, expected_sha256: str | None = None) -> VerifyingReader:
        response = self._call(self.client.get_object, self.bucket, validate_key(key), key=key)
        if expected_sha256 is None:
            expected_sha256 = decode_metadata(
                {k.lower(): v for k, v in response.headers.items()}
            ).get(f"x-amz-meta-{_SHA_META}")

        def release() -> None:
            response.release_conn()

        return VerifyingReader(key, response, expected_sha256, close_hook=release)

    def get_to_path(
        self, key: str, path: Path, *, expected_sha256: str | None = None
    ) -> ObjectInfo:
        return download_to_path(self, key, Path(path), expected_sha256)

    def list(self, prefix: str = "") -> Iterator[ObjectInfo]:
        objects = self._call(
            lambda: list(self.client.list_objects(self.bucket, prefix=prefix, recursive=True))
        )
        for obj in objects:
            yield ObjectInfo(obj.object_name, obj.size or 0, None)

    def delete(self, key: str) -> None:
        self.stat(key)  # S3 deletes of missing keys succeed silently; callers expect an error
        self._call(self.client.remove_object, self.bucket, validate_key(key), key=key)

    def presigned_url(self, key: str, expires: timedelta = timedelta(hours=1)) -> str:
        """A time-limited GET URL, for handing a result to a browser without proxying it."""
        return self._call(
            self.client.presigned_get_object, self.bucket, validate_key(key), expires=expires
        )
