"""Storage wired from the settings: the one place the API and its workers build it.

Both the HTTP process and every job worker (local pool or Celery) call :func:`open_runtime`, so
they agree on the database, the object store and the procedures without passing objects around.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from api.settings import Settings
from ingest.pipeline import DocumentResult
from ocr.taxonomy import DEFAULT_TAXONOMY_PATH
from storage.archive import UploadedPdf
from storage.errors import DossierNotFoundError
from storage.procedures import ProcedureSpec, load_procedures
from storage.service import Storage, make_object_store, open_storage


def procedures_from(settings: Settings) -> dict[str, ProcedureSpec]:
    """The shipped procedures, overridden by the center's own document-types file if any."""
    specs = load_procedures(DEFAULT_TAXONOMY_PATH)
    if settings.document_types_file is not None:
        specs.update(load_procedures(settings.document_types_file))
    return specs


def open_runtime(settings: Settings, *, upgrade: bool = True) -> Storage:
    """Create the data dir, migrate the database (when ``upgrade``) and open the services."""
    data_dir = Path(settings.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    store = make_object_store(
        local_root=data_dir / "objects",
        s3_endpoint=settings.s3_endpoint,
        s3_access_key=settings.s3_access_key,
        s3_secret_key=settings.s3_secret_key,
        s3_bucket=settings.s3_bucket,
        s3_secure=settings.s3_secure,
        s3_region=settings.s3_region,
    )
    return open_storage(
        settings.resolved_database_url,
        store,
        agency_code=settings.agency_code,
        holidays=settings.holidays,
        procedures=procedures_from(settings),
        upgrade=upgrade,
    )


class PipelineArchive:
    """The ingest pipeline's archive interface over storage's :class:`~storage.archive.Archive`.

    Documents whose dossier code (read from a cover sheet) is not a known dossier are kept
    unassigned and flagged for review rather than lost.
    """

    def __init__(self, storage: Storage, actor: str) -> None:
        self.storage = storage
        self.actor = actor
        self._known: dict[str, bool] = {}

    def _known_dossier(self, code: str | None) -> str | None:
        if code is None:
            return None
        if code not in self._known:
            try:
                self.storage.dossiers.get(code)
                self._known[code] = True
            except (DossierNotFoundError, ValueError):
                self._known[code] = False
        return code if self._known[code] else None

    def store_original(self, path: Path, sha256: str, dossier_code: str | None) -> Any:
        return self.storage.archive.store_original(
            path, sha256, self._known_dossier(dossier_code), actor=self.actor
        )

    def upload_document(
        self, document: DocumentResult, pdf_path: Path, source_sha256: str
    ) -> UploadedPdf | None:
        return self.storage.archive.upload_document_pdf(
            self._known_dossier(document.dossier_code),
            document.doc_type,
            document.page_count,
            pdf_path,
            source_sha256,
            document.source_first_page,
        )

    def record_document(
        self,
        document: DocumentResult,
        pdf_path: Path,
        source_sha256: str,
        uploaded: UploadedPdf | None = None,
    ) -> dict[str, Any]:
        code = self._known_dossier(document.dossier_code)
        reasons: dict[str, str] = document.extra.get("review_reasons") or {}
        fields = {
            name: {"value": value, "needs_review": name in reasons}
            for name, value in document.fields.items()
        }
        needs_review = document.needs_review or (document.dossier_code is not None and code is None)
        document_id, key = self.storage.archive.record_document(
            code,
            document.doc_type,
            document.page_count,
            document.first_page,
            fields,
            needs_review,
            pdf_path,
            source_sha256,
            document.source_first_page,
            actor=self.actor,
            uploaded=uploaded,
        )
        extra: dict[str, Any] = {"document_id": document_id, "object_key": key}
        if document.dossier_code is not None and code is None:
            extra["unknown_dossier_code"] = document.dossier_code
            extra["needs_review"] = True
        return extra
