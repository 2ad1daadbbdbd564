"""Scanning staff: whole scanner batches split by their cover sheets, and job progress."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Header, Path, UploadFile
from fastapi.responses import JSONResponse

from api.deps import Scanner, SessionDep, Staff, StateDep
from api.errors import error_responses
from api.routers._uploads import accept_upload
from api.routers._views import job_out
from api.schemas import JobOut
from storage.jobs import get_job

router = APIRouter(tags=["scanning"])


@router.post(
    "/batches",
    status_code=202,
    response_model=JobOut,
    responses=error_responses(400, 401, 403, 409, 413, 415, 422),
)
async def upload_batch(
    state: StateDep,
    who: Scanner,
    file: Annotated[
        UploadFile, File(description="A scanner batch (PDF or multi-page TIFF) with cover sheets.")
    ],
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> JSONResponse:
    """Queue a batch: its reception receipts (QR codes) split it into dossiers and documents."""
    return await accept_upload(
        state, file, who, kind="batch", dossier_code=None, idempotency_key=idempotency_key
    )


@router.get("/jobs/{job_id}", response_model=JobOut, responses=error_responses(401, 403, 404))
def get_job_status(
    job_id: Annotated[str, Path(max_length=64)], session: SessionDep, _who: Staff
) -> JobOut:
    """A job's progress (pages done of total) and, when finished, its documents or errors."""
    return job_out(get_job(session, job_id))
