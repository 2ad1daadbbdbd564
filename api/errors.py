"""One JSON shape for every error the API returns, whatever raised it.

``{"error": {"status": 404, "code": "dossier_not_found", "message": "...", "details": ...}}``

Routers raise :class:`ApiError` (or let a package's specific exception propagate); the handlers
here map both, FastAPI's validation errors and Starlette's HTTP errors onto that shape, so a
client has one thing to parse and a message a person can act on.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.schemas import ErrorResponse
from ingest.errors import (
    CorruptFileError,
    DecompressionBombError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    IngestError,
    UnsupportedFileError,
)
from signing.errors import (
    InvalidPdfError,
    KeyLoadError,
    SigningError,
    TemplateError,
    TimestampError,
)
from storage.errors import (
    DocumentNotFoundError,
    DossierClosedError,
    DossierNotFoundError,
    IllegalTransitionError,
    InvalidDossierCodeError,
    MissingReasonError,
    ObjectConflictError,
    ObjectNotFoundError,
    StorageError,
    StorageUnavailableError,
    UnknownProcedureError,
)
from storage.jobs import IdempotencyConflictError, JobNotFoundError

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error response: HTTP status, a stable machine code and a human message."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
        super().__init__(message)


# Package exceptions -> (status, code); the first matching class wins, so specific ones first.
_MAPPED: tuple[tuple[type[Exception], int, str], ...] = (
    (DossierNotFoundError, 404, "dossier_not_found"),
    (DocumentNotFoundError, 404, "document_not_found"),
    (JobNotFoundError, 404, "job_not_found"),
    (InvalidDossierCodeError, 404, "dossier_not_found"),
    (ObjectNotFoundError, 404, "not_found"),
    (ObjectConflictError, 409, "conflict"),
    (UnknownProcedureError, 422, "unknown_procedure"),
    (MissingReasonError, 422, "reason_required"),
    (IllegalTransitionError, 409, "illegal_transition"),
    (DossierClosedError, 409, "dossier_closed"),
    (IdempotencyConflictError, 409, "idempotency_conflict"),
    (StorageUnavailableError, 503, "storage_unavailable"),
    (FileTooLargeError, 413, "file_too_large"),
    (UnsupportedFileError, 415, "unsupported_media_type"),
    (EmptyFileError, 422, "empty_file"),
    (EncryptedFileError, 422, "encrypted_file"),
    (DecompressionBombError, 422, "image_too_large"),
    (CorruptFileError, 422, "corrupt_file"),
    (IngestError, 422, "unreadable_file"),
    (InvalidPdfError, 422, "invalid_pdf"),
    (TemplateError, 422, "result_template"),
    (KeyLoadError, 503, "signing_keys_unavailable"),
    (TimestampError, 503, "timestamp_unavailable"),
    (SigningError, 422, "signing_failed"),
)

_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
}


def error_body(status: int, code: str, message: str, details: Any = None) -> dict[str, Any]:
    error: dict[str, Any] = {"status": status, "code": code, "message": message}
    if details is not None:
        error["details"] = details
    return {"error": error}


def error_response(
    status: int,
    code: str,
    message: str,
    details: Any = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(error_body(status, code, message, details), status, headers=headers)


def api_error_for(exc: Exception) -> ApiError | None:
    """The API error for a package exception, or None when it is not a known one."""
    for cls, status, code in _MAPPED:
        if isinstance(exc, cls):
            return ApiError(status, code, str(exc))
    return None


def _jsonable_errors(errors: Any) -> list[dict[str, Any]]:
    out = []
    for err in errors:
        item = {k: err[k] for k in ("loc", "msg", "type") if k in err}
        item["loc"] = [str(part) for part in item.get("loc", ())]
        out.append(item)
    return out


def install_error_handlers(app: FastAPI) -> None:
    """Route every exception the app can raise through :func:`error_response`."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _jsonable_errors(exc.errors())
        # A body that is not JSON at all (or not the declared media type) is a 400, as FastAPI
        # itself answers it; a well-formed body that breaks the schema is a 422.
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(400, "bad_request", "the request body is not valid JSON", errors)
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(first["loc"])
        return error_response(
            422, "validation_error", f"{where}: {first['msg']}" if where else first["msg"], errors
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, HTTPStatus(exc.status_code).phrase.lower())
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        return error_response(exc.status_code, code.replace(" ", "_"), detail, None, exc.headers)

    @app.exception_handler(StorageError)
    async def _storage(_request: Request, exc: StorageError) -> JSONResponse:
        return _mapped_or_500(exc)

    @app.exception_handler(IngestError)
    async def _ingest(_request: Request, exc: IngestError) -> JSONResponse:
        return _mapped_or_500(exc)

    @app.exception_handler(SigningError)
    async def _signing(_request: Request, exc: SigningError) -> JSONResponse:
        return _mapped_or_500(exc)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return error_response(500, "internal_error", "an unexpected error occurred; see the log")


def _mapped_or_500(exc: Exception) -> JSONResponse:
    mapped = api_error_for(exc)
    if mapped is None:
        log.exception("unexpected %s", type(exc).__name__, exc_info=exc)
        return error_response(500, "internal_error", f"{type(exc).__name__}: {exc}")
    return error_response(mapped.status, mapped.code, mapped.message, mapped.details)


# OpenAPI: the error responses a route documents (schemathesis checks undocumented statuses).
def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        s: {"model": ErrorResponse, "description": HTTPStatus(s).phrase} for s in sorted(statuses)
    }
