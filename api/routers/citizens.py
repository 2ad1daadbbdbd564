"""Citizens, without an account: their dossier's status and signed result, and public verify.

A citizen proves they own a dossier with the access code from their receipt (``X-Access-Code``).
Wrong codes are counted per dossier and client address; past the limit the answer is 429 with
``Retry-After``, even for the right code, so guessing costs the window each few tries.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Annotated

from fastapi import APIRouter, Depends, File, Header, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse

from api.deps import SessionDep, StateDep
from api.errors import ApiError, error_responses
from api.routers._views import citizen_dossier_out, load_dossier
from api.routers.integrators import PDF, _stream
from api.runtime import procedures_from
from api.schemas import CitizenDossierOut, VerifyReport
from api.web import procedure_names_json, render_page
from ingest.readers import sniff_kind
from storage.errors import IllegalTransitionError, InvalidDossierCodeError
from storage.keys import result_key, validate_dossier_code
from storage.lifecycle import Status

router = APIRouter(prefix="/public", tags=["citizens"])

DossierCode = Annotated[str, Path(max_length=40)]
AccessCode = Annotated[
    str | None,
    Header(alias="X-Access-Code", max_length=64, description="The code printed on the receipt."),
]
CITIZEN_ERRORS = error_responses(401, 403, 404, 429)


def _check_access(state: StateDep, request: Request, code: str, access_code: str | None) -> None:
    """Admit the holder of dossier ``code``'s access code, else 401/403/404/429.

    Wrong codes count per dossier and address; wrong codes and unknown dossiers also count per
    address alone (more loosely), so trying many dossier codes is limited as well.
    """
    if not access_code:
        raise ApiError(
            401, "access_code_required", "send the access code from your receipt in X-Access-Code"
        )
    client = request.client.host if request.client else "unknown"
    per_dossier, per_client = f"{code}|{client}", f"*|{client}"
    wait = max(state.limiter.retry_after(per_dossier), state.client_limiter.retry_after(per_client))
    if wait:
        raise ApiError(
            429,
            "too_many_attempts",
            f"too many wrong access codes from this address; try again in {wait} s",
            headers={"Retry-After": str(wait)},
        )
    try:
        opens = state.storage.dossiers.verify_access_code(validate_dossier_code(code), access_code)
    except InvalidDossierCodeError:
        opens = False
    if not opens:
        state.client_limiter.failed(per_client)
        with state.storage.sessions() as session:
            load_dossier(session, code)  # 404 for an unknown dossier
        state.limiter.failed(per_dossier)
        raise ApiError(
            403,
            "wrong_access_code",
            f"the access code does not open dossier {code}; check the receipt",
        )
    state.limiter.succeeded(per_dossier)


@router.get("/dossiers/{code}", response_model=CitizenDossierOut, responses=CITIZEN_ERRORS)
def citizen_status(
    code: DossierCode,
    request: Request,
    state: StateDep,
    session: SessionDep,
    access_code: AccessCode = None,
) -> CitizenDossierOut:
    """The dossier's status, due date and downloadable results."""
    _check_access(state, request, code, access_code)
    return citizen_dossier_out(session, load_dossier(session, code))


@router.get(
    "/dossiers/{code}/results/{name}",
    response_class=StreamingResponse,
    responses={**PDF, **CITIZEN_ERRORS},
)
def citizen_result(
    code: DossierCode,
    name: Annotated[str, Path(max_length=200, pattern=r"^[0-9A-Za-z][0-9A-Za-z._-]*$")],
    request: Request,
    state: StateDep,
    session: SessionDep,
    access_code: AccessCode = None,
) -> StreamingResponse:
    """Download a signed result; the first download marks the dossier delivered."""
    _check_access(state, request, code, access_code)
    dossier = load_dossier(session, code)
    response = _stream(state, result_key(code, name), name)
    if dossier.status == Status.RESULT_ISSUED:
        with suppress(IllegalTransitionError):  # delivered concurrently
            state.storage.dossiers.transition(code, Status.DELIVERED, actor="citizen")
    return response


@router.post("/verify", response_model=VerifyReport, responses=error_responses(400, 413, 415, 422))
async def verify_pdf(
    state: StateDep,
    file: Annotated[UploadFile, File(description="A signed PDF to check.")],
) -> VerifyReport:
    """Validate every signature of the PDF: signer, trust, integrity, timestamp, PAdES level."""
    from api.commands.signing import signing_setup
    from signing.validate import validate_pdf

    data = await file.read(state.settings.max_upload_bytes + 1)
    if len(data) > state.settings.max_upload_bytes:
        raise ApiError(413, "payload_too_large", "the PDF is larger than allowed")
    if sniff_kind(data[:1024]) != "pdf":
        raise ApiError(415, "unsupported_media_type", "only PDF files can be verified")
    roots = (await run_in_threadpool(signing_setup, state.settings)).trust_roots
    report = await run_in_threadpool(validate_pdf, data, roots)
    return VerifyReport.model_validate(report.to_dict())


# --- the citizen portal's pages (HTML; they call the JSON routes above) ------------------------
page_router = APIRouter(include_in_schema=False)


@page_router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/tra-cuu")


def _procedure_names(request: Request, state: StateDep) -> str:
    """The procedures' display names for the lookup page, read from the config once per app."""
    names = getattr(request.app.state, "portal_procedure_names", None)
    if names is None:
        specs = procedures_from(state.settings)
        names = procedure_names_json({code: spec.name for code, spec in specs.items()})
        request.app.state.portal_procedure_names = names
    return names


@page_router.get("/tra-cuu", response_class=HTMLResponse)
def lookup_page(
    procedures: Annotated[str, Depends(_procedure_names)],
    ma: Annotated[str, Query(max_length=40)] = "",
) -> HTMLResponse:
    """Look a dossier up with its code and access code (``?ma=`` pre-fills the code)."""
    return render_page("tra-cuu.html", code=ma, procedures=procedures)


@page_router.get("/verify/{code}", response_class=HTMLResponse)
def verify_page(code: DossierCode) -> HTMLResponse:
    """Check a result's signatures; the address printed in each result's QR code."""
    return render_page("verify.html", code=code, code_hidden="")


@page_router.get("/verify", response_class=HTMLResponse)
def verify_any_page() -> HTMLResponse:
    """Check the signatures of any PDF (the portal's menu links here)."""
    return render_page("verify.html", code="", code_hidden="hidden")
