"""Accepting an upload: spool it to disk in chunks, check it, store it, queue its job.

The body never sits whole in memory: Starlette spools multipart files to disk past 1 MB and we
copy in 1 MB chunks (in a worker thread). The file's content decides its type (magic bytes,
via the ingest readers' checks), so a renamed ``.docx`` is refused with 415 and a truncated
scan with 422, before any job exists. The original is stored under the dossier's code before
the job is recorded, so a worker anywhere can fetch it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from fastapi import UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from api.auth import Principal
from api.deps import AppState
from api.errors import ApiError
from api.jobs import safe_filename, spool_dir
from api.routers._views import job_out
from ingest.readers import open_source
from storage.jobs import Job, create_or_get_job

CHUNK = 1024 * 1024


def spool_upload(upload: UploadFile, folder: Path, max_bytes: int) -> Path:
    """Copy the uploaded file into ``folder`` under its own (sanitised) name; 413 past the limit.

    Runs in a worker thread: one hop for the whole copy instead of two per chunk.
    """
    path = folder / safe_filename(upload.filename or "upload")
    size = 0
    upload.file.seek(0)
    with path.open("wb") as out:
        while chunk := upload.file.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise ApiError(
                    413,
                    "payload_too_large",
                    f"the upload is larger than the {max_bytes} bytes allowed; "
                    "split the scan into smaller files",
                )
            out.write(chunk)
    return path


def _spool_store_and_queue(
    state: AppState,
    upload: UploadFile,
    folder: Path,
    principal: Principal,
    kind: str,
    dossier_code: str | None,
    idempotency_key: str | None,
) -> tuple[Job, bool]:
    settings = state.settings
    path = spool_upload(upload, folder, settings.max_upload_bytes)
    source = open_source(
        path,
        max_image_pixels=settings.max_image_pixels,
        max_file_bytes=min(settings.max_file_bytes, settings.max_upload_bytes),
    )
    stored = state.storage.archive.store_original(
        path, source.sha256, dossier_code, actor=principal.actor
    )
    with state.storage.sessions() as session:
        job, created = create_or_get_job(
            session,
            kind=kind,
            dossier_code=dossier_code,
            source_key=stored.key,
            source_sha256=source.sha256,
            source_size=stored.size,
            filename=path.name,
            created_by=principal.actor,
            idempotency_key=f"{principal.key_id}:{idempotency_key}" if idempotency_key else None,
        )
        session.commit()
        session.expunge(job)
    return job, created


async def accept_upload(
    state: AppState,
    upload: UploadFile,
    principal: Principal,
    *,
    kind: str,
    dossier_code: str | None,
    idempotency_key: str | None,
) -> JSONResponse:
    """Store the upload and answer 202 with its job (the same job for the same content)."""
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=spool_dir(state.settings)))
    try:
        job, created = await run_in_threadpool(
            _spool_store_and_queue, state, upload, folder, principal, kind, dossier_code,
            idempotency_key,
        )  # fmt: skip
    finally:
        await run_in_threadpool(shutil.rmtree, folder, True)
    if created:
        state.jobs.submit(job)
    body = job_out(job).model_dump(mode="json")
    headers = {"Location": body["url"]}
    if not created:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(body, status_code=202, headers=headers)
