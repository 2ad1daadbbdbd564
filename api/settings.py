"""All of hoso's settings, in one place.

Read from environment variables prefixed ``HOSO_`` or from a TOML/env config file named by
``HOSO_CONFIG``. Only the outer shell (``api``) reads them; it hands plain values down to
``ingest``, ``ocr``, ``storage`` and ``signing``.
"""

from __future__ import annotations

import os
from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_workers() -> int:
    return max(
        1,
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1),
    )


class Settings(BaseSettings):
    """Every knob of the service; defaults are the embedded single-machine setup."""

    model_config = SettingsConfigDict(
        env_prefix="HOSO_",
        env_file=os.environ.get("HOSO_CONFIG"),
        env_file_encoding="utf-8",
        extra="ignore",
    )

    # --- where things live -------------------------------------------------------------
    data_dir: Path = Field(Path("./hoso-data"), description="Root of all local state.")

    # --- scans and OCR (issue: scan ingestion) -----------------------------------------
    ocr_languages: str = Field("vie+eng", description="Tesseract languages, '+'-separated.")
    tessdata_dir: Path | None = Field(None, description="Tesseract model folder; found if unset.")
    workers: int = Field(default_factory=_default_workers, description="OCR worker processes.")
    max_image_pixels: int = Field(
        200_000_000, description="Largest page image accepted (decompression-bomb guard)."
    )
    max_file_bytes: int = Field(512 * 1024 * 1024, description="Largest scan file accepted.")
    pdfa: bool = Field(True, description="Write searchable PDFs as PDF/A-2b.")

    # --- classification (issue: understand the batch) ----------------------------------
    document_types_file: Path | None = Field(
        None, description="A center's own document types, merged over the shipped taxonomy."
    )

    # --- storage (issue: keep every dossier) -------------------------------------------
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; SQLite under data_dir if unset."
    )
    s3_endpoint: str | None = Field(
        None, description="host:port of an S3 server; local folder if unset."
    )
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    s3_bucket: str = "hoso"
    s3_secure: bool = True
    s3_region: str | None = None
    agency_code: str = Field("000.00.00.H00", description="This center's electronic identifier.")
    agency_name: str | None = Field(
        None, description="Agency name printed on results; 'CƠ QUAN <agency_code>' if unset."
    )
    agency_place: str | None = Field(None, description="Place printed before results' dates.")
    holidays: list[date] = Field(default_factory=list, description="Public holidays (no work).")

    # --- signing (issue: signed results) -----------------------------------------------
    officer_pkcs12: Path | None = None
    officer_pkcs12_password: str | None = None
    seal_pkcs12: Path | None = None
    seal_pkcs12_password: str | None = None
    pkcs11_module: Path | None = None
    officer_token_label: str | None = None
    officer_key_label: str | None = None
    officer_pin: str | None = Field(None, repr=False)
    seal_token_label: str | None = None
    seal_key_label: str | None = None
    seal_pin: str | None = Field(None, repr=False)
    tsa_url: str | None = Field(None, description="RFC 3161 timestamp authority for B-T and above.")
    trust_roots: list[Path] = Field(default_factory=list, description="PEM/DER trust anchors.")
    public_base_url: str = Field(
        "http://127.0.0.1:8000", description="Public address printed in result QR codes."
    )
    signing_timezone: str = Field(
        "Asia/Ho_Chi_Minh", description="IANA time zone of the time shown on signature stamps."
    )

    # --- HTTP API and workers (issue: the HTTP API) ------------------------------------
    broker_url: str | None = Field(None, description="Celery broker (Redis); local pool if unset.")
    max_upload_bytes: int = Field(200 * 1024 * 1024, description="Largest upload accepted.")
    job_workers: int = Field(1, description="Jobs run at once by the embedded local pool.")
    job_lease_seconds: float = Field(
        120.0, description="A job's worker must report within this time or lose the job."
    )
    broker_visibility_timeout: float = Field(
        3600.0, description="Seconds before Redis redelivers an unacknowledged job message."
    )
    access_code_max_failures: int = Field(
        5, description="Wrong access codes allowed per dossier and client in the window."
    )
    access_code_window_seconds: int = Field(900, description="Window of the access-code limit.")

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'hoso.db').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
