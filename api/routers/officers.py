"""Officers: the review queue, field corrections, decisions, and issuing the signed result."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Path, Query, UploadFile
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from api.deps import Officer, SessionDep, StateDep
from api.errors import ApiError, error_responses
from api.issuing import issue_result
from api.routers._views import (
    OPEN,
    document_out,
    dossier_out,
    end_read,
    is_overdue,
    load_dossier,
    pending_review,
)
from api.schemas import (
    AttachRequest,
    DocumentOut,
    DossierOut,
    FieldCorrections,
    QueueItem,
    Reason,
)
from ingest.readers import sniff_kind
from storage.errors import DocumentNotFoundError
from storage.lifecycle import Status
from storage.models import Document, Dossier

router = APIRouter(tags=["officers"])

DossierCode = Annotated[str, Path(max_length=40)]
AUTH = (401, 403)


@router.get("/review-queue", response_model=list[QueueItem], responses=error_responses(*AUTH))
def review_queue(
    session: SessionDep,
    _who: Officer,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[QueueItem]:
    """Open dossiers: those with documents needing review first, then by due date."""
    dossiers = session.scalars(
        select(Dossier)
        .where(Dossier.status.in_(OPEN))
        .options(
            selectinload(Dossier.procedure),
            selectinload(Dossier.documents).selectinload(Document.fields),
        )
    ).all()
    items = [
        QueueItem(
            code=d.code,
            procedure=d.procedure.code,
            applicant_name=d.applicant_name,
            status=d.status,  # type: ignore[arg-type]
            due_at=d.due_at,
            overdue=is_overdue(d),
            documents_needing_review=sum(pending_review(doc) for doc in d.documents),
        )
        for d in dossiers
    ]
    items.sort(key=lambda i: (i.documents_needing_review == 0, i.due_at, i.code))
    return items[:limit]


@router.patch(
    "/documents/{document_id}/fields",
    response_model=DocumentOut,
    responses=error_responses(400, *AUTH, 404, 422),
)
def correct_fields(
    document_id: Annotated[int, Path(ge=1, le=2**62)],
    body: FieldCorrections,
    state: StateDep,
    session: SessionDep,
    who: Officer,
) -> DocumentOut:
    """Set reviewed values; the OCR values are kept next to them and the change is logged."""
    found = session.get(Document, document_id) is not None
    end_read(session)
    if not found:
        raise DocumentNotFoundError(f"no document with id {document_id}")
    for name, value in body.fields.items():
        state.storage.archive.review_field(document_id, name, value, officer=who.actor)
    session.expire_all()
    document = session.scalar(
        select(Document).where(Document.id == document_id).options(selectinload(Document.fields))
    )
    assert document is not None
    return document_out(document)


@router.get(
    "/documents/unassigned",
    response_model=list[DocumentOut],
    responses=error_responses(*AUTH),
)
def unassigned_documents(
    session: SessionDep,
    _who: Officer,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[DocumentOut]:
    """Documents in no dossier yet (scanned before any receipt, or under a receipt whose
    dossier the database did not know), oldest first: attach each to its dossier."""
    documents = session.scalars(
        select(Document)
        .where(Document.dossier_id.is_(None))
        .order_by(Document.id)
        .limit(limit)
        .options(selectinload(Document.fields))
    ).all()
    return [document_out(d) for d in documents]


@router.post(
    "/documents/{document_id}/attach",
    response_model=DocumentOut,
    responses=error_responses(*AUTH, 404, 409, 422),
)
def attach_document(
    document_id: Annotated[int, Path(ge=1, le=2**62)],
    body: AttachRequest,
    state: StateDep,
    who: Officer,
) -> DocumentOut:
    """File the document under a dossier that is still open; its PDF moves with it and the
    move is logged on both dossiers."""
    document = state.storage.archive.attach_document(
        document_id, body.dossier_code, actor=who.actor
    )
    return document_out(document)


def _decide(state: StateDep, code: str, target: Status, actor: str, reason: str | None) -> None:
    """Move the dossier; acting on a dossier still 'received' starts its processing first."""
    dossiers = state.storage.dossiers
    if dossiers.get(code).status == Status.RECEIVED:
        dossiers.transition(code, Status.PROCESSING, actor=actor)
    dossiers.transition(code, target, actor=actor, reason=reason)


DECISION = error_responses(400, *AUTH, 404, 409, 422)


@router.post("/dossiers/{code}/supplement-request", response_model=DossierOut, responses=DECISION)
def request_supplement(
    code: DossierCode, body: Reason, state: StateDep, session: SessionDep, who: Officer
) -> DossierOut:
    """Ask the applicant for missing papers; the reason is shown to them."""
    load_dossier(session, code)
    _decide(state, code, Status.SUPPLEMENT_REQUESTED, who.actor, body.reason)
    session.expire_all()
    return dossier_out(session, load_dossier(session, code))


@router.post("/dossiers/{code}/return", response_model=DossierOut, responses=DECISION)
def return_dossier(
    code: DossierCode, body: Reason, state: StateDep, session: SessionDep, who: Officer
) -> DossierOut:
    """Return the dossier (it does not meet the conditions), with the reason."""
    load_dossier(session, code)
    _decide(state, code, Status.RETURNED, who.actor, body.reason)
    session.expire_all()
    return dossier_out(session, load_dossier(session, code))


@router.post(
    "/dossiers/{code}/resolve",
    response_model=DossierOut,
    responses=error_responses(*AUTH, 404, 409),
)
def resolve_dossier(
    code: DossierCode, state: StateDep, session: SessionDep, who: Officer
) -> DossierOut:
    """Decide in the applicant's favour; the result is issued next."""
    load_dossier(session, code)
    _decide(state, code, Status.RESOLVED, who.actor, None)
    session.expire_all()
    return dossier_out(session, load_dossier(session, code))


@router.post(
    "/dossiers/{code}/result",
    response_model=DossierOut,
    responses=error_responses(400, *AUTH, 404, 409, 413, 415, 422),
)
async def issue_and_sign(
    code: DossierCode,
    state: StateDep,
    session: SessionDep,
    who: Officer,
    file: Annotated[
        UploadFile | None,
        File(description="The result as a PDF; rendered from the procedure's template if absent."),
    ] = None,
    level: Annotated[Literal["B-B", "B-T", "B-LT"] | None, Form()] = None,
    officer_title: Annotated[str, Form(max_length=100)] = "Công chức",
) -> DossierOut:
    """Sign the result (officer, then the agency seal), store it and mark the result issued."""
    from fastapi.concurrency import run_in_threadpool

    load_dossier(session, code)
    pdf: bytes | None = None
    if file is not None:
        pdf = await file.read(state.settings.max_upload_bytes + 1)
        if len(pdf) > state.settings.max_upload_bytes:
            raise ApiError(413, "payload_too_large", "the result PDF is larger than allowed")
        if sniff_kind(pdf[:1024]) != "pdf":
            raise ApiError(415, "unsupported_media_type", "the result must be a PDF file")
    await run_in_threadpool(
        issue_result,
        state.settings,
        state.storage,
        code,
        who.actor,
        pdf=pdf,
        level=level,
        officer_title=officer_title,
    )
    session.expire_all()
    return dossier_out(session, load_dossier(session, code))
