"""Storage: the object store, the database and the dossier lifecycle.

Entry point: :func:`open_storage` (database URL + object store → :class:`Storage`).
"""

from .access_codes import AccessCodeHasher
from .archive import Archive
from .database import make_engine, session_factory, upgrade_database
from .errors import (
    DocumentNotFoundError,
    DossierClosedError,
    DossierNotFoundError,
    IllegalTransitionError,
    InvalidDossierCodeError,
    InvalidKeyError,
    MissingReasonError,
    ObjectConflictError,
    ObjectIntegrityError,
    ObjectNotFoundError,
    StorageError,
    StorageUnavailableError,
    UnknownProcedureError,
)
from .lifecycle import Channel, DossierService, NewDossier, Status
from .local_store import LocalObjectStore
from .objectstore import ObjectInfo, ObjectStore
from .procedures import ProcedureSpec, load_procedures
from .service import Storage, make_object_store, open_storage
from .stats import DossierStats, dossier_stats
from .workdays import WorkCalendar

__all__ = [
    "AccessCodeHasher",
    "Archive",
    "Channel",
    "DocumentNotFoundError",
    "DossierClosedError",
    "DossierNotFoundError",
    "DossierService",
    "DossierStats",
    "IllegalTransitionError",
    "InvalidDossierCodeError",
    "InvalidKeyError",
    "LocalObjectStore",
    "MissingReasonError",
    "NewDossier",
    "ObjectConflictError",
    "ObjectInfo",
    "ObjectIntegrityError",
    "ObjectNotFoundError",
    "ObjectStore",
    "ProcedureSpec",
    "S3ObjectStore",
    "Status",
    "Storage",
    "StorageError",
    "StorageUnavailableError",
    "UnknownProcedureError",
    "WorkCalendar",
    "dossier_stats",
    "load_procedures",
    "make_engine",
    "make_object_store",
    "open_storage",
    "session_factory",
    "upgrade_database",
]


def __getattr__(name: str) -> object:
    """``S3ObjectStore`` on first use: its client library costs 0.1 s to import, which a
    command on the local store (the embedded default) need not pay."""
    if name == "S3ObjectStore":
        from .s3_store import S3ObjectStore

        return S3ObjectStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
