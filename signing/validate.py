"""A validation report for every signature in a PDF, for officers, citizens and the CLI.

Validation is offline by default: it uses only the trust roots given and what the PDF
carries (certificates, OCSP responses and CRLs in its Document Security Store), so a result
checked years later gives the same answer. ``allow_fetching=True`` also asks OCSP/CRL servers.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel, SuspiciousModification
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from signing.errors import InvalidPdfError

log = logging.getLogger(__name__)

_CHANGE_NAMES = {
    ModificationLevel.NONE: "none",
    ModificationLevel.LTA_UPDATES: "validation data or timestamps added",
    ModificationLevel.FORM_FILLING: "signatures or form fields added",
    ModificationLevel.ANNOTATIONS: "annotations added",
    ModificationLevel.OTHER: "content changed",
}


@dataclass
class SignatureReport:
    """What a validator says about one signature."""

    field: str
    signer: str
    signer_subject: str
    issuer: str
    signing_time: str | None  # claimed by the signer (not proof)
    intact: bool  # the signed bytes hash to what was signed
    valid: bool  # ... and the cryptographic signature checks out
    trusted: bool  # the signer's chain ends in a configured trust root
    timestamp: str | None  # RFC 3161 time, ISO 8601, if the signature has one
    timestamp_trusted: bool | None
    revocation: str  # good | revoked | not checked | no revocation source
    modified_after: bool  # the document changed after signing beyond adding signatures
    changes_after: str  # what kind of change came after the signature
    coverage: str
    level: str | None  # PAdES baseline level reached: B-B, B-T, B-LT, B-LTA
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and not self.modified_after


@dataclass
class ValidationReport:
    """All signatures of one document; ``valid`` only if there is at least one and all are ok."""

    signatures: list[SignatureReport]
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return bool(self.signatures) and all(s.ok for s in self.signatures) and not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "problems": list(self.problems),
            "signatures": [asdict(s) | {"ok": s.ok} for s in self.signatures],
        }


def _name(cert: asn1_x509.Certificate) -> str:
    native = cert.subject.native
    return str(native.get("common_name") or cert.subject.human_friendly)


def _has_revocation_source(cert: asn1_x509.Certificate) -> bool:
    return bool(cert.crl_distribution_points or cert.ocsp_urls)


def _revocation(status: Any, offline_checked: bool, fetching: bool) -> str:
    cert = status.signing_cert
    if status.revoked:
        return "revoked"
    if not _has_revocation_source(cert):
        return "no revocation source"
    if status.trusted and (offline_checked or fetching):
        return "good"
    return "not checked"


def _dss_has_revocation(dss: DocumentSecurityStore | None) -> bool:
    return dss is not None and bool(dss.ocsps or dss.crls)


def validate_pdf(
    data: bytes,
    trust_roots: Sequence[asn1_x509.Certificate],
    *,
    allow_fetching: bool = False,
) -> ValidationReport:
    """Validate every signature in ``data`` against ``trust_roots``."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = list(reader.embedded_regular_signatures)
        doc_timestamps = list(reader.embedded_timestamp_signatures)
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise InvalidPdfError(f"cannot validate: not a readable PDF ({exc})") from exc
    if not sigs:
        return ValidationReport([], ["the document has no signatures"])

    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except (KeyError, ValueError, PdfError):
        dss = None
    offline_revocation = _dss_has_revocation(dss)
    vc_kwargs: dict[str, Any] = {
        "trust_roots": list(trust_roots),
        "allow_fetching": allow_fetching,
        # with embedded or fetched revocation info, a failed check must fail the signature
        "revocation_mode": "hard-fail" if (offline_revocation or allow_fetching) else "soft-fail",
    }
    dss_certs = dss is not None and bool(dss.certs)
    reports = []
    last_doc_ts = max((ts.signed_revision for ts in doc_timestamps), default=-1)
    for sig in sigs:
        vc = (
            dss.as_validation_context(vc_kwargs)
            if dss is not None
            else ValidationContext(**vc_kwargs)
        )
        reports.append(_one(sig, vc, offline_revocation, allow_fetching, last_doc_ts, dss_certs))
    return ValidationReport(reports)


def _one(
    sig: Any,
    vc: ValidationContext,
    offline_revocation: bool,
    allow_fetching: bool,
    last_doc_ts: int,
    dss_certs: bool,
) -> SignatureReport:
    cert = sig.signer_cert
    report = SignatureReport(
        field=sig.field_name,
        signer=_name(cert),
        signer_subject=cert.subject.human_friendly,
        issuer=cert.issuer.human_friendly,
        signing_time=sig.self_reported_timestamp.isoformat()
        if sig.self_reported_timestamp
        else None,
        intact=False,
        valid=False,
        trusted=False,
        timestamp=None,
        timestamp_trusted=None,
        revocation="not checked",
        modified_after=True,
        changes_after="unknown",
        coverage="unknown",
        level=None,
    )
    try:
        status = validate_pdf_signature(sig, vc, ts_validation_context=vc)
    except Exception as exc:  # a broken signature must be reported, not crash the report
        log.debug("validation of %s failed", sig.field_name, exc_info=True)
        report.problems.append(f"cannot validate: {type(exc).__name__}: {exc}")
        return report

    report.intact = bool(status.intact)
    report.valid = bool(status.valid)
    report.trusted = bool(status.trusted)
    if not status.intact:
        report.problems.append("the signed bytes were altered after signing (digest mismatch)")
    elif not status.valid:
        report.problems.append("the cryptographic signature does not verify")
    if status.intact and status.valid and not status.trusted:
        indic = status.trust_problem_indic
        report.problems.append(
            "the signer's certificate does not chain to a trusted root"
            + (f" ({indic.name})" if indic is not None else "")
        )
    ts = status.timestamp_validity
    if ts is not None:
        report.timestamp = ts.timestamp.isoformat()
        report.timestamp_trusted = bool(ts.intact and ts.valid and ts.trusted)
        if not report.timestamp_trusted:
            report.problems.append("the signature timestamp is not valid or not trusted")
    report.revocation = _revocation(status, offline_revocation, allow_fetching)
    if report.revocation == "revoked":
        report.problems.append("the signer's certificate is revoked")

    report.coverage = status.coverage.name.lower().replace("_", " ") if status.coverage else "?"
    level = status.modification_level
    suspicious = isinstance(status.diff_result, SuspiciousModification)
    report.changes_after = "content changed" if suspicious else _CHANGE_NAMES.get(level, "unknown")
    report.modified_after = bool(
        suspicious
        or status.coverage is None
        or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION
        or level is None
        or level >= ModificationLevel.ANNOTATIONS
    )
    if report.modified_after:
        detail = f": {status.diff_result}" if suspicious else ""
        report.problems.append(
            f"the document was changed after this signature ({report.changes_after}){detail}"
        )

    if ts is None:
        report.level = "B-B"
    else:
        report.level = "B-T"
        declares = _has_revocation_source(cert)
        if (declares and offline_revocation and report.trusted) or (not declares and dss_certs):
            report.level = "B-LT"
        if report.level == "B-LT" and last_doc_ts > sig.signed_revision:
            report.level = "B-LTA"
    return report
