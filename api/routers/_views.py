"""Database rows → API response models (shared by the routers, so each shape is built once)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from api.schemas import (
    CitizenDossierOut,
    DocumentOut,
    DossierOut,
    EventOut,
    FieldOut,
    JobOut,
    ResultOut,
)
from storage.errors import DossierNotFoundError
from storage.jobs import Job
from storage.keys import validate_dossier_code
from storage.lifecycle import OPEN_STATUSES
from storage.models import Document, DocumentField, Dossier, Event, StoredObject, utcnow

API = "/api/v1"


def load_dossier(session: Session, code: str) -> Dossier:
    """The dossier with its procedure and documents loaded; 404 for unknown or malformed codes."""
    validate_dossier_code(code)
    dossier = session.scalar(
        select(Dossier)
        .where(Dossier.code == code)
        .options(
            selectinload(Dossier.procedure),
            selectinload(Dossier.documents).selectinload(Document.fields),
        )
    )
    if dossier is None:
        raise DossierNotFoundError(code)
    end_read(session)
    return dossier


def end_read(session: Session) -> None:
    """End the request session's read transaction before a storage service opens its own.

    On SQLite every transaction takes the database's write lock (``BEGIN IMMEDIATE``), so a
    request holding one while a service begins another would wait on itself. Loaded objects
    stay readable (sessions do not expire them on commit).
    """
    session.commit()


def field_out(field: DocumentField) -> FieldOut:
    reviewed = field.reviewed_value is not None
    return FieldOut(
        name=field.name,
        value=field.reviewed_value if reviewed else field.value,
        ocr_value=field.value,
        confidence=field.confidence,
        needs_review=field.needs_review and not reviewed,
        reviewed_by=field.reviewed_by,
        reviewed_at=field.reviewed_at,
    )


def pending_review(document: Document) -> bool:
    """A document still needs an officer while it is flagged and no field has been reviewed,
    or while a flagged field has no reviewed value."""
    if any(f.needs_review and f.reviewed_value is None for f in document.fields):
        return True
    return document.needs_review and not any(f.reviewed_value is not None for f in document.fields)


def document_out(document: Document, sha256: str | None = None) -> DocumentOut:
    return DocumentOut(
        id=document.id,
        doc_type=document.doc_type,
        page_count=document.page_count,
        needs_review=pending_review(document),
        sha256=sha256,
        pdf_url=f"{API}/documents/{document.id}/pdf",
        fields=[field_out(f) for f in document.fields],
    )


def results_of(session: Session, code: str, url_prefix: str) -> list[ResultOut]:
    rows = session.scalars(
        select(StoredObject)
        .where(StoredObject.key.startswith(f"{code}/results/", autoescape=True))
        .order_by(StoredObject.id)
    )
    out = []
    for row in rows:
        name = row.key.rsplit("/", 1)[1]
        out.append(
            ResultOut(name=name, sha256=row.sha256, size=row.size, url=f"{url_prefix}/{name}")
        )
    return out


def dossier_out(session: Session, dossier: Dossier) -> DossierOut:
    keys = [d.object_key for d in dossier.documents]
    rows = session.execute(
        select(StoredObject.key, StoredObject.sha256).where(StoredObject.key.in_(keys))
    )
    shas = {key: sha for key, sha in rows}
    events = session.scalars(select(Event).where(Event.dossier_id == dossier.id).order_by(Event.id))
    return DossierOut(
        code=dossier.code,
        procedure=dossier.procedure.code,
        applicant_name=dossier.applicant_name,
        channel=dossier.channel,
        status=dossier.status,  # type: ignore[arg-type]
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        decided_at=dossier.decided_at,
        return_reason=dossier.return_reason,
        overdue=is_overdue(dossier),
        documents=[
            document_out(d, shas.get(d.object_key))
            for d in sorted(dossier.documents, key=lambda d: d.id)
        ],
        events=[
            EventOut(at=e.at, actor=e.actor, action=e.action, details=e.details) for e in events
        ],
        results=results_of(session, dossier.code, f"{API}/dossiers/{dossier.code}/results"),
    )


def citizen_dossier_out(session: Session, dossier: Dossier) -> CitizenDossierOut:
    return CitizenDossierOut(
        code=dossier.code,
        procedure=dossier.procedure.code,
        status=dossier.status,  # type: ignore[arg-type]
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        return_reason=dossier.return_reason,
        results=results_of(session, dossier.code, f"{API}/public/dossiers/{dossier.code}/results"),
    )


OPEN = tuple(sorted(s.value for s in OPEN_STATUSES))


def is_overdue(dossier: Dossier) -> bool:
    return dossier.status in OPEN and dossier.due_at < utcnow()


def job_out(job: Job) -> JobOut:
    return JobOut(
        id=job.id,
        kind=job.kind,  # type: ignore[arg-type]
        status=job.status,  # type: ignore[arg-type]
        dossier_code=job.dossier_code,
        filename=job.filename,
        sha256=job.source_sha256,
        size=job.source_size,
        pages_done=job.pages_done,
        pages_total=job.pages_total,
        attempts=job.attempts,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        result=job.result,
        error=job.error,
        url=f"{API}/jobs/{job.id}",
    )
