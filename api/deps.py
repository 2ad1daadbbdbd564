"""FastAPI dependencies: the app's state, database sessions and who the caller is.

Routers declare what they need (``StateDep``, ``SessionDep``, ``Officer``...) and never build
services themselves, so every router stays a thin translation between HTTP and the packages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from api.auth import AttemptLimiter, Principal, authorize
from api.jobs import JobRunner
from api.settings import Settings
from storage.apikeys import find_api_key
from storage.service import Storage


@dataclass
class AppState:
    """What the running app holds: settings, storage, the job runner, the attempt limiter."""

    settings: Settings
    storage: Storage
    jobs: JobRunner
    limiter: AttemptLimiter  # wrong access codes per dossier and client address
    client_limiter: AttemptLimiter  # wrong codes and unknown dossiers per client address


def get_state(request: Request) -> AppState:
    return request.app.state.hoso


StateDep = Annotated[AppState, Depends(get_state)]


def get_session(state: StateDep) -> Iterator[Session]:
    with state.storage.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]

_api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="A staff or integrator API key."
)
_bearer = HTTPBearer(auto_error=False, description="The same API key as a bearer token.")


def current_principal(
    state: StateDep,
    api_key: Annotated[str | None, Security(_api_key_header)] = None,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)] = None,
) -> Principal | None:
    """The caller's principal, or None when no (valid) key was presented."""
    presented = api_key or (bearer.credentials if bearer else None)
    if not presented:
        return None
    with state.storage.sessions() as session:
        row = find_api_key(session, presented.strip())
        if row is None:
            return None
        return Principal(row.key_id, row.name, row.role)


PrincipalDep = Annotated[Principal | None, Depends(current_principal)]


def require(*roles: str):
    """A dependency that admits callers with one of ``roles`` (or admin), else 401/403."""

    def dependency(principal: PrincipalDep) -> Principal:
        return authorize(principal, roles)

    dependency.__name__ = f"require_{'_or_'.join(roles)}"
    return dependency


Integrator = Annotated[Principal, Depends(require("integrator", "officer"))]
Uploader = Annotated[Principal, Depends(require("integrator", "scanner", "officer"))]
Scanner = Annotated[Principal, Depends(require("scanner"))]
Staff = Annotated[Principal, Depends(require("integrator", "scanner", "officer", "manager"))]
Officer = Annotated[Principal, Depends(require("officer"))]
Manager = Annotated[Principal, Depends(require("manager"))]
Admin = Annotated[Principal, Depends(require("admin"))]
