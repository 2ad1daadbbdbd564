"""``hoso ingest``: scanner files in, searchable PDFs (and, with storage, archived dossiers) out."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from api.settings import Settings, get_settings
from ingest.pipeline import (
    Archive,
    ArchiveUnavailableError,
    BatchResult,
    IngestOptions,
    run_batch,
    start_page_workers,
)

if TYPE_CHECKING:
    from storage.service import Storage


def ingest_options(settings: Settings, **overrides: Any) -> IngestOptions:
    """The pipeline's options from the settings (the one place that maps them)."""
    values: dict[str, Any] = {
        "languages": settings.ocr_languages,
        "tessdata_dir": settings.tessdata_dir,
        "workers": settings.workers,
        "max_image_pixels": settings.max_image_pixels,
        "max_file_bytes": settings.max_file_bytes,
        "pdfa": settings.pdfa,
        "document_types_file": settings.document_types_file,
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    return IngestOptions(**values)


class _ProgressBar:
    """A rich progress bar on stderr, started when the first page is done."""

    def __init__(self) -> None:
        self._progress: Any = None
        self._task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self._progress is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            self._progress = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("OCR pages", total=total)
        self._progress.update(self._task, completed=done)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


def _print_summary(result: BatchResult) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=True)
    table = Table(title=f"{result.page_count} pages in {result.seconds:.1f} s")
    for column in ("dossier", "type", "pages", "first", "review", "pdf"):
        table.add_column(column)
    for doc in result.documents:
        table.add_row(
            doc.dossier_code or "-",
            doc.doc_type,
            str(doc.page_count),
            str(doc.first_page),
            "yes" if doc.needs_review else "",
            doc.pdf,
        )
    console.print(table)
    for failure in result.failures:
        console.print(f"[red]error[/red] {failure.path}: {failure.message}")


def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Scan files (PDF, TIFF, JPEG, PNG) or folders.")
    ],
    dossier: Annotated[
        str | None, typer.Option("--dossier", help="Put every document in this dossier.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write DIR/<dossier>/<NN>-<type>.pdf here.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print only a JSON report on stdout.")
    ] = False,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="OCR processes (default: the cores).")
    ] = None,
    dump_cleaned: Annotated[
        Path | None, typer.Option("--dump-cleaned", help="Also save the cleaned OCR images here.")
    ] = None,
    store: Annotated[
        bool,
        typer.Option(
            "--store/--no-store",
            help="Keep originals and PDFs in the object store and database (the default).",
        ),
    ] = True,
) -> None:
    """OCR scanner batches into searchable PDFs, one per document, and archive them."""
    settings = get_settings()
    options = ingest_options(
        settings, workers=workers, dossier_code=dossier, debug_dir=dump_cleaned
    )
    out_dir = out if out is not None else settings.data_dir / "out"
    start_page_workers(options)  # the OCR models load while the files are hashed
    opened: list[Storage] = []

    def open_archive() -> Archive:
        """Runs beside the first pages: the storage stack costs most of a second to open."""
        from api.runtime import PipelineArchive, open_runtime

        opened.append(open_runtime(settings))
        return PipelineArchive(opened[0], f"cli:{_user()}")

    progress = _ProgressBar() if sys.stderr.isatty() else None
    try:
        result = run_batch(
            paths, out_dir, options, open_archive=open_archive if store else None, progress=progress
        )
    except ArchiveUnavailableError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    finally:
        if progress is not None:
            progress.close()
        for storage in opened:
            storage.close()
    if as_json:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
    else:
        _print_summary(result)
    if result.failures:
        raise typer.Exit(code=1)


def open_storage_or_exit(settings: Settings) -> Storage:
    """The configured store and database, or a clear message and exit status 2 (every command
    that needs storage opens it through here)."""
    # Imported here: the storage stack (SQLAlchemy, minio, Alembic) costs a second at start-up.
    from sqlalchemy.exc import SQLAlchemyError

    from api.runtime import open_runtime
    from storage.errors import StorageError

    try:
        return open_runtime(settings)
    except (StorageError, SQLAlchemyError, OSError) as exc:
        typer.echo(f"error: storage is not available: {exc}", err=True)
        raise typer.Exit(code=2) from exc


def _user() -> str:
    return os.environ.get("USER") or os.environ.get("LOGNAME") or "scanner"


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
