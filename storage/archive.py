"""The ingest pipeline's side of storage: originals, searchable PDFs and results, recorded.

Order of work for every object: hash, upload (atomic in the store), and only then record it in
the database. An upload that fails records nothing; a database failure after an upload leaves
an unrecorded, content-addressed object that the next attempt reuses.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .database import SessionFactory
from .errors import (
    DocumentNotFoundError,
    DossierClosedError,
    DossierNotFoundError,
    ObjectConflictError,
    ObjectIntegrityError,
    ObjectNotFoundError,
)
from .keys import document_key, original_key, result_key, validate_dossier_code
from .lifecycle import OPEN_STATUSES, Status, append_event
from .models import Document, DocumentField, Dossier, StoredObject, utcnow
from .objectstore import ObjectInfo, ObjectStore, VerifyingReader, sha256_of_file


@dataclass(frozen=True)
class UploadedPdf:
    """A document's PDF complete in the object store and not yet recorded."""

    key: str
    info: ObjectInfo


class Archive:
    """Stores files under their dossier's code and records them, idempotently."""

    def __init__(self, store: ObjectStore, sessions: SessionFactory) -> None:
        self.store = store
        self.sessions = sessions

    # -- writing -------------------------------------------------------------------------
    def upload_document_pdf(
        self,
        dossier_code: str | None,
        doc_type: str,
        page_count: int,
        pdf_path: Path,
        source_sha256: str,
        source_first_page: int,
    ) -> UploadedPdf | None:
        """Put a document's PDF in the store ahead of :meth:`record_document`; None when the
        document is recorded already (nothing is uploaded then).

        Thread-safe: a batch uploads several PDFs at a time (each upload waits on the store's
        disk or network), then records them one by one in batch order, so that document ids,
        and with them every listing of a dossier's documents, follow the scan.
        """
        with self.sessions() as session:
            _dossier_id(session, dossier_code)
            if _document_by_span(session, source_sha256, source_first_page, page_count):
                return None
        return self._upload_pdf(dossier_code, doc_type, Path(pdf_path), source_sha256)

    def _upload_pdf(
        self, dossier_code: str | None, doc_type: str, pdf_path: Path, source_sha256: str
    ) -> UploadedPdf:
        pdf_sha = sha256_of_file(pdf_path)
        key = document_key(dossier_code, doc_type, pdf_sha)
        metadata = {"doc_type": doc_type, "source_sha256": source_sha256}
        return UploadedPdf(key, self._upload(key, pdf_path, pdf_sha, "application/pdf", metadata))

    def store_original(
        self,
        path: Path,
        sha256: str,
        dossier_code: str | None = None,
        *,
        actor: str = "ingest",
    ) -> StoredObject:
        """Keep a scan file byte for byte; the same file again returns the same object."""
        path = Path(path)
        key = original_key(dossier_code, sha256, path.suffix)
        with self.sessions() as session:
            dossier_id = _dossier_id(session, dossier_code)
            existing = _object(session, key)
        if existing is not None:
            return existing
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        info = self._upload(key, path, sha256, content_type, {"filename": path.name})
        with self.sessions.begin() as session:
            stored = _record_object(session, info, content_type)
            append_event(session, actor, "object.stored", dossier_id, {"key": key})
        return stored

    def record_document(
        self,
        dossier_code: str | None,
        doc_type: str,
        page_count: int,
        first_page: int,
        fields: Mapping[str, Any],
        needs_review: bool,
        pdf_path: Path,
        source_sha256: str,
        source_first_page: int,
        *,
        actor: str = "ingest",
        uploaded: UploadedPdf | None = None,
    ) -> tuple[int, str]:
        """Store one document's searchable PDF and record it; return (document_id, object_key).

        Idempotent on (source SHA-256, first page in the source, page count): ingesting the
        same file again returns the existing document. ``fields`` maps a field name to either
        a plain value or ``{"value": ..., "confidence": 0.93, "needs_review": False}``.
        ``uploaded``: the PDF as :meth:`upload_document_pdf` already put it in the store.
        """
        if page_count < 1 or first_page < 1 or source_first_page < 1:
            raise ValueError(
                f"page_count, first_page and source_first_page must be 1 or more "
                f"(got {page_count}, {first_page}, {source_first_page})"
            )
        span = (source_sha256, source_first_page, page_count)
        with self.sessions() as session:
            dossier_id = _dossier_id(session, dossier_code)
            existing = _document_by_span(session, *span)
        if existing is not None:
            return existing
        if uploaded is None:
            uploaded = self._upload_pdf(dossier_code, doc_type, Path(pdf_path), source_sha256)
        elif uploaded.key != document_key(dossier_code, doc_type, uploaded.info.sha256 or ""):
            raise ValueError(f"{uploaded.key} was uploaded for another dossier or document type")
        key, info = uploaded.key, uploaded.info
        try:
            with self.sessions.begin() as session:
                _record_object(session, info, "application/pdf")
                document = Document(
                    dossier_id=dossier_id,
                    doc_type=doc_type,
                    page_count=page_count,
                    first_page=first_page,
                    source_sha256=source_sha256,
                    source_first_page=source_first_page,
                    needs_review=needs_review,
                    object_key=key,
                    fields=[_field(name, raw) for name, raw in fields.items()],
                )
                session.add(document)
                session.flush()
                append_event(
                    session, actor, "document.recorded", dossier_id,
                    {"document_id": document.id, "doc_type": doc_type, "key": key},
                )  # fmt: skip
                return document.id, key
        except IntegrityError:
            # The same span recorded concurrently: theirs is as good as ours.
            with self.sessions() as session:
                found = _document_by_span(session, *span)
            if found is None:
                raise
            return found

    def store_result(
        self,
        dossier_code: str,
        path: Path,
        name: str,
        *,
        content_type: str = "application/pdf",
        actor: str,
    ) -> StoredObject:
        """Keep an issued result. Results are never replaced: a new version needs a new name."""
        path = Path(path)
        key = result_key(dossier_code, name)
        sha = sha256_of_file(path)
        with self.sessions() as session:
            dossier_id = _dossier_id(session, dossier_code)
            existing = _object(session, key)
        if existing is not None:
            if existing.sha256 == sha:
                return existing
            raise ObjectConflictError(key)
        info = self._upload(key, path, sha, content_type, {"filename": path.name})
        with self.sessions.begin() as session:
            stored = _record_object(session, info, content_type)
            append_event(session, actor, "result.stored", dossier_id, {"key": key})
        return stored

    def review_field(
        self, document_id: int, name: str, value: str, *, officer: str, at: datetime | None = None
    ) -> DocumentField:
        """Record an officer's corrected value; the OCR value is kept next to it."""
        with self.sessions.begin() as session:
            document = session.get(Document, document_id)
            if document is None:
                raise DocumentNotFoundError(f"no document with id {document_id}")
            field = session.scalar(
                select(DocumentField).where(
                    DocumentField.document_id == document_id, DocumentField.name == name
                )
            )
            if field is None:
                field = DocumentField(name=name, value=None, confidence=None)
                document.fields.append(field)
            field.reviewed_value, field.reviewed_by = value, officer
            field.reviewed_at = at or utcnow()
            append_event(
                session, officer, "field.reviewed", document.dossier_id,
                {"document_id": document_id, "field": name, "ocr_value": field.value,
                 "reviewed_value": value},
            )  # fmt: skip
            return field

    def attach_document(self, document_id: int, dossier_code: str, *, actor: str) -> Document:
        """File a document under a dossier: one kept unassigned (its receipt named a dossier the
        database did not know yet, or none came before it) or one filed under the wrong dossier.

        The searchable PDF is copied under the dossier's code and the document row moved, in
        that order, so a failure leaves the document where it was. The old object is kept
        (content-addressed, it is the record of what was first filed). Attaching a document to
        the dossier it is in already changes nothing.
        """
        validate_dossier_code(dossier_code)
        with self.sessions() as session:
            document = session.get(Document, document_id)
            if document is None:
                raise DocumentNotFoundError(f"no document with id {document_id}")
            dossier = session.scalar(select(Dossier).where(Dossier.code == dossier_code))
            if dossier is None:
                raise DossierNotFoundError(dossier_code)
            if document.dossier_id == dossier.id:
                _ = document.fields
                return document
            if Status(dossier.status) not in OPEN_STATUSES:
                raise DossierClosedError(
                    dossier_code, dossier.status, sorted(s.value for s in OPEN_STATUSES)
                )
            old_key, doc_type, previous = (
                document.object_key,
                document.doc_type,
                document.dossier_id,
            )
            stored = _object(session, old_key)
        if stored is None:
            raise ObjectNotFoundError(old_key, "the database")
        new_key = document_key(dossier_code, doc_type, stored.sha256)
        with self.open(old_key) as reader:
            info = self.store.put_stream(
                new_key,
                reader,
                content_type=stored.content_type,
                metadata={"doc_type": doc_type, "sha256": stored.sha256},
            )
        if info.sha256 != stored.sha256:
            self.store.delete(new_key)
            raise ObjectIntegrityError(new_key, stored.sha256, info.sha256 or "?")
        with self.sessions.begin() as session:
            _record_object(session, info, stored.content_type)
            document = session.get(Document, document_id)
            if document is None:
                raise DocumentNotFoundError(f"no document with id {document_id}")
            document.dossier_id, document.object_key = dossier.id, new_key
            details = {"document_id": document_id, "key": new_key, "previous_key": old_key}
            append_event(session, actor, "document.attached", dossier.id, details)
            if previous is not None:
                append_event(session, actor, "document.detached", previous, details)
            session.flush()
            _ = document.fields
            return document

    def _upload(
        self, key: str, path: Path, sha256: str, content_type: str, metadata: Mapping[str, str]
    ) -> ObjectInfo:
        """Put ``path`` and check what was streamed hashes to what the caller claimed."""
        info = self.store.put_file(
            key, path, content_type=content_type, metadata={**metadata, "sha256": sha256}
        )
        if info.sha256 != sha256:
            self.store.delete(key)
            raise ObjectIntegrityError(key, sha256, info.sha256 or "?")
        return info

    # -- reading -------------------------------------------------------------------------
    def object_record(self, key: str) -> StoredObject:
        with self.sessions() as session:
            stored = _object(session, key)
        if stored is None:
            raise ObjectNotFoundError(key, "the database")
        return stored

    def open(self, key: str) -> VerifyingReader:
        """Read an object, verified against the SHA-256 the database recorded for it."""
        return self.store.open(key, expected_sha256=self.object_record(key).sha256)

    def get_to_path(self, key: str, path: Path) -> ObjectInfo:
        return self.store.get_to_path(key, path, expected_sha256=self.object_record(key).sha256)

    def documents(self, dossier_code: str | None) -> list[Document]:
        """A dossier's documents (or the unassigned ones), with their fields, in order."""
        with self.sessions() as session:
            dossier_id = _dossier_id(session, dossier_code)
            query = select(Document).order_by(Document.id)
            query = query.where(
                Document.dossier_id.is_(None)
                if dossier_id is None
                else Document.dossier_id == dossier_id
            )
            documents = list(session.scalars(query))
            for document in documents:
                _ = document.fields  # load before the session closes
            return documents


def _dossier_id(session: Session, dossier_code: str | None) -> int | None:
    if dossier_code is None:
        return None
    validate_dossier_code(dossier_code)
    found = session.scalar(select(Dossier.id).where(Dossier.code == dossier_code))
    if found is None:
        raise DossierNotFoundError(dossier_code)
    return found


def _object(session: Session, key: str) -> StoredObject | None:
    return session.scalar(select(StoredObject).where(StoredObject.key == key))


def _record_object(session: Session, info: ObjectInfo, content_type: str) -> StoredObject:
    """Get or create the row for an object that is now complete in the store."""
    existing = _object(session, info.key)
    if existing is not None:
        return existing
    stored = StoredObject(
        key=info.key, sha256=info.sha256, size=info.size, content_type=content_type
    )
    session.add(stored)
    session.flush()
    return stored


def _document_by_span(
    session: Session, source_sha256: str, source_first_page: int, page_count: int
) -> tuple[int, str] | None:
    row = session.execute(
        select(Document.id, Document.object_key).where(
            Document.source_sha256 == source_sha256,
            Document.source_first_page == source_first_page,
            Document.page_count == page_count,
        )
    ).first()
    return None if row is None else (row[0], row[1])


def _field(name: str, raw: Any) -> DocumentField:
    if isinstance(raw, Mapping):
        value, confidence = raw.get("value"), raw.get("confidence")
        needs_review = bool(raw.get("needs_review", False))
    else:
        value, confidence, needs_review = raw, None, False
    return DocumentField(
        name=name,
        value=None if value is None else str(value),
        confidence=None if confidence is None else float(confidence),
        needs_review=needs_review,
    )
