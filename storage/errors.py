"""Specific exceptions of the storage package, each naming what to check or do."""

from __future__ import annotations


class StorageError(Exception):
    """Base class of every error raised by :mod:`storage`."""


class StorageUnavailableError(StorageError):
    """The object store cannot be reached; nothing was written."""

    def __init__(self, endpoint: str, cause: BaseException | str) -> None:
        self.endpoint = endpoint
        super().__init__(
            f"object store at {endpoint} is unavailable ({cause}); nothing was stored, "
            "check that the server runs and the endpoint/credentials are right, then retry"
        )


class ObjectNotFoundError(StorageError):
    """No object exists under the key."""

    def __init__(self, key: str, location: str) -> None:
        self.key = key
        super().__init__(f"no object {key!r} in {location}")


class ObjectIntegrityError(StorageError):
    """An object's bytes do not hash to the SHA-256 recorded for it."""

    def __init__(self, key: str, expected: str, actual: str) -> None:
        self.key = key
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"object {key!r} is corrupt: SHA-256 {actual} but {expected} was recorded; "
            "restore it from a backup or re-ingest the source"
        )


class InvalidKeyError(StorageError, ValueError):
    """An object key would escape the store or is not a plain relative path."""


class InvalidDossierCodeError(StorageError, ValueError):
    """A dossier code does not follow AGENCY-YYMMDD-NNNN."""


class DossierNotFoundError(StorageError, LookupError):
    """No dossier has the given code."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"no dossier with code {code!r}")


class DossierClosedError(StorageError):
    """A document cannot be added to a dossier whose result is decided."""

    def __init__(self, code: str, status: str, open_statuses: list[str]) -> None:
        self.code = code
        self.status = status
        super().__init__(
            f"dossier {code} is '{status}': documents can be attached only while it is "
            f"{', '.join(open_statuses)}"
        )


class DocumentNotFoundError(StorageError, LookupError):
    """No document has the given id."""


class UnknownProcedureError(StorageError, LookupError):
    """A dossier names a procedure that is not configured."""

    def __init__(self, code: str, known: list[str]) -> None:
        self.code = code
        super().__init__(
            f"unknown procedure {code!r}; configured procedures: {', '.join(known) or 'none'} "
            "(add it to the procedures of the document-types configuration)"
        )


class IllegalTransitionError(StorageError):
    """A dossier cannot move from its current status to the requested one."""

    def __init__(self, code: str, current: str, target: str, allowed: list[str]) -> None:
        self.code = code
        self.current = current
        self.target = target
        super().__init__(
            f"dossier {code} is '{current}' and cannot become '{target}'; "
            f"allowed next: {', '.join(allowed) or 'none (final)'}"
        )


class MissingReasonError(StorageError, ValueError):
    """Returning a dossier (or requesting a supplement) needs a reason for the applicant."""


class ObjectConflictError(StorageError):
    """A different object already exists under a key that must never be replaced."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(
            f"a different object is already stored as {key!r}; stored objects are never "
            "replaced, store the new version under a new name"
        )
