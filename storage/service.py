"""One call that wires the object store, the database and the services from plain values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from .access_codes import AccessCodeHasher
from .archive import Archive
from .database import SessionFactory, make_engine, session_factory, upgrade_database
from .lifecycle import DossierService
from .local_store import LocalObjectStore
from .objectstore import ObjectStore
from .procedures import ProcedureSpec
from .workdays import WorkCalendar


@dataclass
class Storage:
    """Everything storage offers, sharing one engine."""

    engine: Engine
    sessions: SessionFactory
    store: ObjectStore
    archive: Archive
    dossiers: DossierService
    calendar: WorkCalendar

    def close(self) -> None:
        self.engine.dispose()


def make_object_store(
    *,
    local_root: Path,
    s3_endpoint: str | None = None,
    s3_access_key: str | None = None,
    s3_secret_key: str | None = None,
    s3_bucket: str = "hoso",
    s3_secure: bool = True,
    s3_region: str | None = None,
) -> ObjectStore:
    """S3 when an endpoint is given, else the local folder ``local_root``."""
    if s3_endpoint:
        from .s3_store import S3ObjectStore  # here: the S3 client costs 0.1 s to import

        return S3ObjectStore(
            s3_endpoint, s3_access_key, s3_secret_key, s3_bucket, secure=s3_secure, region=s3_region
        )
    return LocalObjectStore(local_root)


def open_storage(
    database_url: str,
    store: ObjectStore,
    *,
    agency_code: str,
    holidays: Iterable[date] = (),
    procedures: Mapping[str, ProcedureSpec] | None = None,
    hasher: AccessCodeHasher | None = None,
    upgrade: bool = True,
) -> Storage:
    """Migrate the database (unless ``upgrade=False``), sync procedures and build the services."""
    engine = make_engine(database_url)
    if upgrade:
        upgrade_database(engine)
    sessions = session_factory(engine)
    calendar = WorkCalendar(holidays)
    dossiers = DossierService(sessions, agency_code, calendar, hasher)
    if procedures:
        dossiers.sync_procedures(procedures)
    return Storage(engine, sessions, store, Archive(store, sessions), dossiers, calendar)
