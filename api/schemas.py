"""The API contract: every request and response body, as Pydantic models.

Request models are strict (``ConfigDict(strict=True, extra="forbid")``): ``"3"`` is not an
integer and unknown keys are refused, so what the OpenAPI schema says is what the server takes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Role = Literal["integrator", "scanner", "officer", "manager", "admin"]
ChannelName = Literal["in_person", "online"]
DossierStatus = Literal[
    "received",
    "processing",
    "supplement_requested",
    "resubmitted",
    "resolved",
    "returned",
    "result_issued",
    "delivered",
]
JobStatus = Literal["queued", "running", "succeeded", "failed"]


# At least one letter or digit (Vietnamese included). Spelled as explicit ranges rather than
# "\S" because JSON Schema's regex dialect and Python's disagree on what is whitespace (U+0085).
HAS_A_WORD = r"[0-9A-Za-z\u00c0-\u1ef9]"


class _Request(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


# --- errors ------------------------------------------------------------------------------------
class ErrorDetail(BaseModel):
    status: int
    code: str = Field(description="Stable machine-readable code, e.g. dossier_not_found.")
    message: str = Field(description="What went wrong and what to do, for a person.")
    details: Any = None


class ErrorResponse(BaseModel):
    """The one shape of every error response."""

    error: ErrorDetail


# --- dossiers ----------------------------------------------------------------------------------
class DossierCreate(_Request):
    procedure: str = Field(min_length=1, max_length=64, examples=["birth_registration"])
    applicant_name: str = Field(min_length=1, max_length=255, pattern=HAS_A_WORD)
    channel: ChannelName = "online"


class DossierCreated(BaseModel):
    code: str
    access_code: str | None = Field(
        description="The citizen's access code: shown this once, only its hash is kept."
    )
    status: DossierStatus
    due_at: datetime


class FieldOut(BaseModel):
    name: str
    value: str | None = Field(description="The reviewed value if an officer set one, else OCR's.")
    ocr_value: str | None
    confidence: float | None
    needs_review: bool
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None


class DocumentOut(BaseModel):
    id: int
    doc_type: str
    page_count: int
    needs_review: bool
    sha256: str | None = None
    pdf_url: str
    fields: list[FieldOut]


class EventOut(BaseModel):
    at: datetime
    actor: str
    action: str
    details: dict[str, Any]


class DossierOut(BaseModel):
    code: str
    procedure: str
    applicant_name: str
    channel: str
    status: DossierStatus
    received_at: datetime
    due_at: datetime
    decided_at: datetime | None = None
    return_reason: str | None = None
    overdue: bool
    documents: list[DocumentOut]
    events: list[EventOut]
    results: list[ResultOut]


class ResultOut(BaseModel):
    name: str
    sha256: str
    size: int
    url: str


class CitizenDossierOut(BaseModel):
    """What a citizen sees: status and results, not the officers' working data."""

    code: str
    procedure: str
    status: DossierStatus
    received_at: datetime
    due_at: datetime
    return_reason: str | None = None
    results: list[ResultOut]


# --- jobs --------------------------------------------------------------------------------------
class JobOut(BaseModel):
    id: str
    kind: Literal["upload", "batch"]
    status: JobStatus
    dossier_code: str | None
    filename: str
    sha256: str
    size: int
    pages_done: int
    pages_total: int | None
    attempts: int
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    result: dict[str, Any] | None = None
    error: str | None = None
    url: str


# --- officers ----------------------------------------------------------------------------------
class QueueItem(BaseModel):
    code: str
    procedure: str
    applicant_name: str
    status: DossierStatus
    due_at: datetime
    overdue: bool
    documents_needing_review: int


FieldName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
FieldValue = Annotated[str, StringConstraints(max_length=2000)]


class FieldCorrections(_Request):
    fields: dict[FieldName, FieldValue] = Field(
        min_length=1,
        max_length=100,
        description="Field name → reviewed value (the OCR value is kept next to it).",
        json_schema_extra={"additionalProperties": False},  # only names matching the pattern
    )


class AttachRequest(_Request):
    dossier_code: str = Field(
        min_length=1,
        max_length=40,
        description="The dossier to file the document under (AGENCY-YYMMDD-NNNN).",
        examples=["000.00.13.H12-250701-0042"],
    )


class Reason(_Request):
    reason: str = Field(min_length=1, max_length=2000, pattern=HAS_A_WORD)


class IssueRequest(_Request):
    level: Literal["B-B", "B-T", "B-LT"] | None = Field(
        None, description="PAdES level; the configured default when omitted."
    )


# --- managers ----------------------------------------------------------------------------------
class OverdueItem(BaseModel):
    code: str
    procedure: str
    applicant_name: str
    status: DossierStatus
    due_at: datetime
    days_late: float


class StatsOut(BaseModel):
    """A center's figures for a period (as ``hoso stats --json``), plus the report sentence."""

    model_config = ConfigDict(extra="allow")

    received_total: int
    received_in_person: int
    received_online: int
    resolved_on_time: int
    resolved_late: int
    in_progress_on_time: int
    in_progress_late: int
    returned: int
    on_time_rate: float | None = Field(description="Percent of resolved dossiers on time.")
    digitization_rate: float | None = Field(description="Percent with every page digitized.")
    summary: str


# --- public verification -------------------------------------------------------------------------
class SignatureOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    field: str
    signer: str
    intact: bool
    valid: bool
    trusted: bool
    timestamp: str | None
    revocation: str
    modified_after: bool
    level: str | None
    ok: bool
    problems: list[str]


class VerifyReport(BaseModel):
    """Every signature of the PDF; ``valid`` only if there is one and all are intact, trusted
    and cover the document as it is."""

    valid: bool
    problems: list[str]
    signatures: list[SignatureOut]


# --- auth --------------------------------------------------------------------------------------
class WhoAmI(BaseModel):
    key_id: str
    name: str
    role: Role


DossierOut.model_rebuild()
