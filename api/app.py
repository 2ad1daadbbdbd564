"""The FastAPI application: ``create_app(settings)`` wires storage, jobs, auth and the routers.

Everything is under ``/api/v1`` and described by ``/openapi.json``. One router per audience
(integrators, scanning, officers, citizens, managers), each thin: dependencies in ``api.deps``,
shapes in ``api.schemas``, errors in ``api.errors``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import make_limiter
from api.deps import AppState, PrincipalDep
from api.errors import ApiError, error_body, error_responses, install_error_handlers
from api.jobs import JobRunner, make_job_runner
from api.routers import citizens, integrators, managers, officers, scanning
from api.runtime import open_runtime, procedures_from
from api.schemas import WhoAmI
from api.settings import Settings, get_settings
from api.web import STATIC_URL, static_files
from storage.jobs import unfinished_jobs

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
MULTIPART_OVERHEAD = 64 * 1024
CLIENT_FACTOR = 4  # an address may fail this many times more across dossiers than on one


class _BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    """Refuse bodies over ``max_bytes`` with 413 before they are spooled anywhere.

    A declared ``Content-Length`` is checked up front; a chunked body is counted as it arrives.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(send)
            return
        received = 0
        exceeded = False
        replied = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            # The body parser may turn our exception into its own 400: answer 413 instead.
            nonlocal replied
            if exceeded:
                if not replied:
                    replied = True
                    await self._reject(send)
                return
            replied = replied or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _BodyTooLarge:
            if not replied:
                replied = True
                await self._reject(send)

    async def _reject(self, send: Send) -> None:
        import json

        body = json.dumps(
            error_body(
                413,
                "payload_too_large",
                f"the request body is larger than the {self.max_bytes} bytes allowed; "
                "split the scan into smaller files",
            )
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def create_app(settings: Settings | None = None, *, jobs: JobRunner | None = None) -> FastAPI:
    """The API on ``settings`` (migrating the database); ``jobs`` overrides the job runner."""
    settings = settings or get_settings()
    storage = open_runtime(settings)
    runner = jobs or make_job_runner(settings)
    window = settings.access_code_window_seconds
    state = AppState(
        settings=settings,
        storage=storage,
        jobs=runner,
        limiter=make_limiter(settings.broker_url, settings.access_code_max_failures, window),
        client_limiter=make_limiter(
            settings.broker_url, CLIENT_FACTOR * settings.access_code_max_failures, window
        ),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        _resubmit_unfinished(state)
        yield
        runner.close()
        storage.close()

    app = FastAPI(
        title="hoso",
        version="1.0",
        summary="Paperless dossiers for one-stop public administration centers.",
        description=(
            "Staff and integrators authenticate with an API key (`X-API-Key`); citizens with "
            "their dossier code and access code (`X-Access-Code`). Every error has the shape "
            '`{"error": {"status", "code", "message", "details"}}`.'
        ),
        lifespan=lifespan,
    )
    app.state.hoso = state
    install_error_handlers(app)
    for router in (
        integrators.router,
        scanning.router,
        officers.router,
        citizens.router,
        managers.router,
    ):
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(citizens.page_router)
    app.mount(STATIC_URL, static_files(), name="portal-static")

    @app.get(f"{API_PREFIX}/me", response_model=WhoAmI, tags=["auth"],
             responses=error_responses(401))  # fmt: skip
    def who_am_i(principal: PrincipalDep) -> WhoAmI:
        """The role and name of the API key sent (check a key works)."""
        if principal is None:
            raise ApiError(401, "unauthorized", "send a valid API key in X-API-Key")
        return WhoAmI(key_id=principal.key_id, name=principal.name, role=principal.role)  # type: ignore[arg-type]

    @app.get("/healthz", tags=["ops"])
    def health() -> dict[str, Any]:
        return {"status": "ok", "jobs": "celery" if settings.broker_url else "local"}

    _document_procedures(app, sorted(procedures_from(settings)))
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes + MULTIPART_OVERHEAD)
    return app


def _document_procedures(app: FastAPI, procedures: list[str]) -> None:
    """List this center's configured procedures in the schema (they come from its config)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            field = schema["components"]["schemas"]["DossierCreate"]["properties"]["procedure"]
            field["enum"] = procedures
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _resubmit_unfinished(state: AppState) -> None:
    """After a restart nothing is lost: queued jobs and jobs of dead workers run again."""
    with state.storage.sessions() as session:
        # without a broker this process was the only one running jobs: all of them are orphans
        jobs = unfinished_jobs(session, include_running=not state.settings.broker_url)
        for job in jobs:
            session.expunge(job)
    for job in jobs:
        try:
            state.jobs.submit(job)
        except Exception as exc:  # the broker may be down: the next start retries
            log.warning("could not resubmit job %s: %s", job.id, exc)
