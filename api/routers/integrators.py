"""Integrators (e.g. the national public-service portal): dossiers, document uploads, PDFs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Header, Path, UploadFile
from fastapi.responses import JSONResponse, StreamingResponse

from api.deps import Integrator, SessionDep, Staff, StateDep, Uploader
from api.errors import error_responses
from api.routers._uploads import accept_upload
from api.routers._views import dossier_out, end_read, load_dossier
from api.schemas import DossierCreate, DossierCreated, DossierOut, JobOut
from storage.errors import DocumentNotFoundError
from storage.keys import result_key
from storage.lifecycle import Status
from storage.models import Document

router = APIRouter(tags=["integrators"])

DossierCode = Annotated[
    str, Path(description="The dossier code, e.g. 000.00.13.H12-250701-0042", max_length=40)
]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="Repeat a request safely: the same key returns the same job.",
    ),
]
AUTH = (401, 403)


@router.post(
    "/dossiers",
    status_code=201,
    response_model=DossierCreated,
    responses=error_responses(400, *AUTH, 422),
)
def create_dossier(body: DossierCreate, state: StateDep, who: Integrator) -> DossierCreated:
    """Register a dossier; the citizen's access code is in this response only."""
    new = state.storage.dossiers.receive(
        body.procedure, body.applicant_name, body.channel, actor=who.actor
    )
    return DossierCreated(
        code=new.code, access_code=new.access_code, status=Status.RECEIVED, due_at=new.due_at
    )


@router.get("/dossiers/{code}", response_model=DossierOut, responses=error_responses(*AUTH, 404))
def get_dossier(code: DossierCode, session: SessionDep, _who: Staff) -> DossierOut:
    """Status, documents with their fields, results and the event log."""
    return dossier_out(session, load_dossier(session, code))


@router.post(
    "/dossiers/{code}/documents",
    status_code=202,
    response_model=JobOut,
    responses=error_responses(400, *AUTH, 404, 409, 413, 415, 422),
)
async def upload_document(
    code: DossierCode,
    state: StateDep,
    who: Uploader,
    file: Annotated[UploadFile, File(description="A scan: PDF, TIFF, JPEG or PNG.")],
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Upload a scan to a dossier; OCR runs in a job (202), follow it at ``url``."""
    with state.storage.sessions() as session:
        load_dossier(session, code)
    return await accept_upload(
        state, file, who, kind="upload", dossier_code=code, idempotency_key=idempotency_key
    )


def _stream(state: StateDep, key: str, filename: str) -> StreamingResponse:
    record = state.storage.archive.object_record(key)
    reader = state.storage.archive.open(key)

    def chunks():
        with reader:
            while chunk := reader.read(1024 * 1024):
                yield chunk

    return StreamingResponse(
        chunks(),
        media_type=record.content_type,
        headers={
            "Content-Length": str(record.size),
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-SHA256": record.sha256,
        },
    )


PDF = {200: {"content": {"application/pdf": {}}, "description": "The PDF."}}


@router.get(
    "/documents/{document_id}/pdf",
    response_class=StreamingResponse,
    responses={**PDF, **error_responses(*AUTH, 404)},
)
def download_document(
    document_id: Annotated[int, Path(ge=1, le=2**62)],
    state: StateDep,
    session: SessionDep,
    _who: Staff,
) -> StreamingResponse:
    """The document's searchable PDF, verified against its recorded SHA-256 while streaming."""
    document = session.get(Document, document_id)
    end_read(session)
    if document is None:
        raise DocumentNotFoundError(f"no document with id {document_id}")
    return _stream(state, document.object_key, f"{document.doc_type}-{document.id}.pdf")


@router.get(
    "/dossiers/{code}/results/{name}",
    response_class=StreamingResponse,
    responses={**PDF, **error_responses(*AUTH, 404)},
)
def download_result(
    code: DossierCode,
    name: Annotated[str, Path(max_length=200, pattern=r"^[0-9A-Za-z][0-9A-Za-z._-]*$")],
    state: StateDep,
    session: SessionDep,
    _who: Staff,
) -> StreamingResponse:
    """A signed result of the dossier (staff copy)."""
    load_dossier(session, code)
    return _stream(state, result_key(code, name), name)
