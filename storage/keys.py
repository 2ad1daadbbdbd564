"""Object keys and dossier codes: where every object lives and how dossiers are named.

Key scheme (all under the dossier code, or under ``unassigned/`` before a dossier is known)::

    <code>/originals/<sha256>.<ext>                 the scan file, byte for byte
    <code>/documents/<doc_type>-<sha256[:16]>.pdf    one searchable PDF per document
    <code>/results/<name>                           issued results (signed PDFs)

Original and document keys are content-addressed, so two writers can never replace each other's
bytes under one key and storing the same content twice is a no-op.
"""

from __future__ import annotations

import re
from datetime import date

from .errors import InvalidDossierCodeError, InvalidKeyError

UNASSIGNED = "unassigned"

AGENCY_RE = r"[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}"
DOSSIER_CODE_RE = re.compile(rf"^(?P<agency>{AGENCY_RE})-(?P<day>[0-9]{{6}})-(?P<seq>[0-9]{{4}})$")
_AGENCY_ONLY_RE = re.compile(rf"^{AGENCY_RE}$")
_SAFE_PART = re.compile(r"^[0-9A-Za-z._-]+$")


def format_dossier_code(agency: str, day: date, seq: int) -> str:
    """``AGENCY-YYMMDD-NNNN`` as printed on the reception receipt."""
    validate_agency_code(agency)
    if not 1 <= seq <= 9999:
        raise InvalidDossierCodeError(
            f"sequence {seq} for {agency} on {day:%Y-%m-%d} is outside 0001..9999"
        )
    return f"{agency}-{day:%y%m%d}-{seq:04d}"


def validate_agency_code(agency: str) -> str:
    if not _AGENCY_ONLY_RE.match(agency):
        raise InvalidDossierCodeError(
            f"agency code {agency!r} is not four dot-separated groups like 000.00.13.H12"
        )
    return agency


def validate_dossier_code(code: str) -> str:
    """Return ``code`` if it is a well-formed dossier code, else raise."""
    if not DOSSIER_CODE_RE.match(code or ""):
        raise InvalidDossierCodeError(
            f"dossier code {code!r} does not match AGENCY-YYMMDD-NNNN "
            "(e.g. 000.00.13.H12-250701-0042)"
        )
    return code


def _prefix(dossier_code: str | None) -> str:
    return UNASSIGNED if dossier_code is None else validate_dossier_code(dossier_code)


def _safe(part: str, what: str) -> str:
    if not _SAFE_PART.match(part) or part.startswith("."):
        raise InvalidKeyError(f"{what} {part!r} may only use letters, digits, '.', '_' and '-'")
    return part


def original_key(dossier_code: str | None, sha256: str, ext: str) -> str:
    ext = ext.lower().lstrip(".") or "bin"
    return f"{_prefix(dossier_code)}/originals/{_safe(sha256, 'sha256')}.{_safe(ext, 'extension')}"


def document_key(dossier_code: str | None, doc_type: str, pdf_sha256: str) -> str:
    return f"{_prefix(dossier_code)}/documents/{_safe(doc_type, 'doc_type')}-{pdf_sha256[:16]}.pdf"


def result_key(dossier_code: str, name: str) -> str:
    return f"{validate_dossier_code(dossier_code)}/results/{_safe(name, 'result name')}"


def validate_key(key: str) -> str:
    """Reject keys that are absolute, empty or climb out of the store."""
    parts = key.split("/")
    if not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise InvalidKeyError(f"object key {key!r} must be a relative path without '.'/'..' parts")
    if any(p.startswith(".") for p in parts):
        raise InvalidKeyError(f"object key {key!r} has a hidden ('.'-prefixed) part")
    return key
