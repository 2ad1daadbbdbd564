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
from .s3_store import S3ObjectStore
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
