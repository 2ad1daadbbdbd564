"""PAdES baseline signatures (B-B, B-T, B-LT) with pyHanko, officer first, then the seal.

Each signature is an incremental update, so earlier signatures stay valid. The async
functions are the core (the batch signer runs many documents concurrently while waiting on
the timestamp authority); the sync wrappers serve the CLI.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError as PyhankoSigningError
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.stamp import BaseStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

from signing.appearance import DEFAULT_TIMEZONE, officer_stamp_style, seal_stamp_style
from signing.errors import InvalidPdfError, RevocationInfoError, SigningError, TimestampError
from signing.placement import Placement, officer_placement, seal_placement

log = logging.getLogger(__name__)

TSA_TIMEOUT = 10  # seconds per timestamp request, queueing at a busy TSA included


class PadesLevel(StrEnum):
    """PAdES baseline levels this service produces."""

    B_B = "B-B"  # signature only
    B_T = "B-T"  # + RFC 3161 signature timestamp
    B_LT = "B-LT"  # + certificates and revocation info in the DSS


@dataclass(frozen=True)
class SigningProfile:
    """Everything about how results are signed, except the keys themselves."""

    level: PadesLevel = PadesLevel.B_B
    tsa_url: str | None = None
    trust_roots: Sequence[asn1_x509.Certificate] = ()
    officer_title: str = "Công chức"
    signature_image: Path | None = None
    location: str | None = None
    reason: str = "Ký số kết quả giải quyết thủ tục hành chính"
    timezone: str = DEFAULT_TIMEZONE  # IANA zone of the time printed on the stamps
    officer_style: BaseStampStyle | None = field(default=None, compare=False)
    seal_style: BaseStampStyle | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        level = PadesLevel(self.level)
        object.__setattr__(self, "level", level)
        if level is not PadesLevel.B_B and not self.tsa_url:
            raise SigningError(
                f"PAdES {level} needs a timestamp authority: configure its URL (tsa_url) "
                "or sign at B-B"
            )
        if level is PadesLevel.B_LT and not self.trust_roots:
            raise SigningError("PAdES B-LT needs the trust roots to collect revocation info for")
        # fonts are parsed once per profile, not once per document
        if self.officer_style is None:
            style = officer_stamp_style(self.signature_image, self.timezone)
            object.__setattr__(self, "officer_style", style)
        if self.seal_style is None:
            object.__setattr__(self, "seal_style", seal_stamp_style(self.timezone))

    def timestamper(self) -> TimeStamper | None:
        if self.level is PadesLevel.B_B or not self.tsa_url:
            return None
        return HTTPTimeStamper(self.tsa_url, timeout=TSA_TIMEOUT)

    def validation_context(self) -> ValidationContext | None:
        if self.level is not PadesLevel.B_LT:
            return None
        return ValidationContext(trust_roots=list(self.trust_roots), allow_fetching=True)


def _writer(pdf: bytes) -> IncrementalPdfFileWriter:
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except (PdfError, ValueError, IndexError, KeyError) as exc:
        raise InvalidPdfError(f"cannot sign: not a readable PDF ({exc})") from exc
    if writer.prev.encrypted:
        raise InvalidPdfError("cannot sign an encrypted PDF; remove its password first")
    return writer


async def async_sign_pdf(
    pdf: bytes,
    signer: signers.Signer,
    placement: Placement,
    *,
    profile: SigningProfile,
    style: BaseStampStyle | None,
    text_params: Mapping[str, str] | None = None,
    timestamper: TimeStamper | None = None,
) -> bytes:
    """Add one signature to ``pdf`` as an incremental update and return the new bytes."""
    writer = _writer(pdf)
    level = profile.level
    meta = signers.PdfSignatureMetadata(
        field_name=placement.field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=profile.reason,
        location=profile.location,
        embed_validation_info=level is PadesLevel.B_LT,
        validation_context=profile.validation_context(),
    )
    spec = None
    if placement.box is not None:
        spec = fields.SigFieldSpec(placement.field_name, on_page=placement.page, box=placement.box)
    pdf_signer = signers.PdfSigner(
        meta,
        signer,
        timestamper=timestamper if timestamper is not None else profile.timestamper(),
        stamp_style=style,
        new_field_spec=spec,
    )
    # A fixed reservation spares pyHanko a dummy signature per document to size /Contents
    # (half the CPU of a B-B signature); an unusually long chain falls back to estimating.
    ts_used = level is not PadesLevel.B_B
    reserved: int | None = RESERVED_HEX_TS if ts_used else RESERVED_HEX
    try:
        try:
            out = await _sign_into(pdf_signer, writer, text_params, reserved)
        except PyhankoSigningError as exc:
            if "larger than expected" not in str(exc):
                raise
            log.info("signature larger than reserved; signing again with an estimate")
            out = await _sign_into(pdf_signer, _writer(pdf), text_params, None)
    except TimestampRequestError as exc:
        raise TimestampError(
            f"timestamp authority {profile.tsa_url} did not answer properly: {exc}"
        ) from exc
    except (PathBuildingError, PathValidationError) as exc:
        raise RevocationInfoError(
            f"cannot validate the {placement.field_name} certificate against the trust roots "
            f"to embed revocation info (B-LT): {exc}"
        ) from exc
    except PyhankoSigningError as exc:
        raise SigningError(f"cannot sign field {placement.field_name!r}: {exc}") from exc
    except OSError as exc:  # requests' ConnectionError and friends
        if profile.tsa_url and level is not PadesLevel.B_B:
            raise TimestampError(
                f"cannot reach timestamp authority {profile.tsa_url}: {exc}"
            ) from exc
        raise
    return out.getvalue()


RESERVED_HEX = 16_000  # hex digits in /Contents: ~8 kB of CMS (signer + 2-3 CA certs)
RESERVED_HEX_TS = 32_000  # + an RFC 3161 token with the TSA's chain


async def _sign_into(
    pdf_signer: signers.PdfSigner,
    writer: IncrementalPdfFileWriter,
    text_params: Mapping[str, str] | None,
    reserved: int | None,
) -> io.BytesIO:
    out = io.BytesIO()
    await pdf_signer.async_sign_pdf(
        writer,
        appearance_text_params=dict(text_params or {}),
        output=out,
        bytes_reserved=reserved,
    )
    return out


async def async_sign_result(
    pdf: bytes,
    officer: signers.Signer,
    seal: signers.Signer | None,
    profile: SigningProfile,
    *,
    timestamper: TimeStamper | None = None,
) -> bytes:
    """Officer signature in the signature block, then the seal signature at the top right."""
    signed = await async_sign_pdf(
        pdf,
        officer,
        officer_placement(pdf),
        profile=profile,
        style=profile.officer_style,
        text_params={"title": profile.officer_title},
        timestamper=timestamper,
    )
    if seal is None:
        return signed
    return await async_sign_pdf(
        signed,
        seal,
        seal_placement(signed),
        profile=profile,
        style=profile.seal_style,
        timestamper=timestamper,
    )


def sign_result(
    pdf: bytes,
    officer: signers.Signer,
    seal: signers.Signer | None,
    profile: SigningProfile,
) -> bytes:
    """Sync form of :func:`async_sign_result` (for the CLI and scripts)."""
    return asyncio.run(async_sign_result(pdf, officer, seal, profile))


async def async_sign_batch(
    pdfs: Sequence[bytes],
    officer: signers.Signer,
    seal: signers.Signer | None,
    profile: SigningProfile,
    *,
    concurrency: int = 8,
) -> list[bytes]:
    """Sign many results, overlapping the timestamp round trips; output order = input order."""
    limit = asyncio.Semaphore(concurrency)
    timestamper: TimeStamper | None = None
    session = None
    if profile.level is not PadesLevel.B_B and profile.tsa_url:
        import aiohttp
        from pyhanko.sign.timestamps.aiohttp_client import AIOHttpTimeStamper

        session = aiohttp.ClientSession()
        timestamper = AIOHttpTimeStamper(profile.tsa_url, session=session, timeout=TSA_TIMEOUT)

    async def one(pdf: bytes) -> bytes:
        async with limit:
            return await async_sign_result(pdf, officer, seal, profile, timestamper=timestamper)

    try:
        return list(await asyncio.gather(*(one(p) for p in pdfs)))
    finally:
        if session is not None:
            await session.close()


def sign_batch(
    pdfs: Sequence[bytes],
    officer: signers.Signer,
    seal: signers.Signer | None,
    profile: SigningProfile,
    *,
    concurrency: int = 8,
) -> list[bytes]:
    """Sync form of :func:`async_sign_batch`."""
    return asyncio.run(async_sign_batch(pdfs, officer, seal, profile, concurrency=concurrency))
