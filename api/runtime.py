"""Storage wired from the settings: the one place the API and its workers build it.

Both the HTTP process and every job worker (local pool or Celery) call :func:`open_runtime`, so
they agree on the database, the object store and the procedures without passing objects around.
"""

from __future__ import annotations

from pathlib import Path

from api.settings import Settings
from ocr.taxonomy import DEFAULT_TAXONOMY_PATH
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
