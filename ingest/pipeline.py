"""The ingest pipeline: scanner files in, one searchable PDF per document out.

Stages, each a small function with explicit inputs and outputs (as OCRmyPDF does it):

1. ``discover``   — expand folders, open and validate every file (bad files reported, not fatal);
2. ``process_page`` — in a worker process, for one page: read → clean → OCR → analyse → page PDF;
3. ``plan``       — in the parent, split the batch into dossiers and documents, classify, extract;
4. ``assemble``   — merge each document's page PDFs into its searchable PDF;
5. ``deliver``    — write the PDFs under ``--out`` and hand them to the archive when one is given.

Parallelism lives in one place, the page pool (:func:`_page_pool`: one worker per core, forked
from a fork server, kept from batch to batch); the originals' upload overlaps it in one thread.
Memory stays bounded: a worker holds one decoded page at a time and writes its page PDF to a
spool folder; the parent keeps only the recognised words.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.util
import os
import re
import select
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from ingest.errors import IngestError
from ingest.readers import PageRef, SourceFile, expand_paths, open_source, page_refs
from ingest.workers import ONE_THREAD, worker_context
from ocr.text import UNREADABLE_SHARE

if TYPE_CHECKING:
    from ingest.clean import CleanedPage
    from ocr.searchable_pdf import Placement
    from ocr.text import PageText

log = logging.getLogger(__name__)

UNASSIGNED = "unassigned"


@dataclass(frozen=True)
class IngestOptions:
    """Everything the pipeline needs, as plain values (the shell builds it from settings)."""

    languages: str = "vie+eng"
    tessdata_dir: Path | None = None
    workers: int = 1
    max_image_pixels: int = 200_000_000
    max_file_bytes: int = 512 * 1024 * 1024
    pdfa: bool = True
    dossier_code: str | None = None
    document_types_file: Path | None = None
    spool_dir: Path | None = None
    debug_dir: Path | None = None  # cleaned OCR images are written here when set


@dataclass
class FileFailure:
    """A file of the batch that could not be ingested; the others still are."""

    path: str
    error: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "error": self.error, "message": self.message}


@dataclass
class DocumentResult:
    """One document of the batch, as ``hoso ingest --json`` reports it."""

    dossier_code: str | None
    doc_type: str
    page_count: int
    first_page: int  # 1-based, in the whole batch (all PATHs in order)
    fields: dict[str, Any]
    needs_review: bool
    pdf: str
    source: str
    pages: list[int] = field(default_factory=list)  # 1-based batch page numbers
    source_first_page: int = 1  # 1-based page of ``source`` the document starts on
    extra: dict[str, Any] = field(default_factory=dict)  # keys added by later stages

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "dossier_code": self.dossier_code,
            "doc_type": self.doc_type,
            "page_count": self.page_count,
            "first_page": self.first_page,
            "fields": self.fields,
            "needs_review": self.needs_review,
            "pdf": self.pdf,
        }
        out.update(self.extra)
        return out


@dataclass
class BatchResult:
    """What a batch produced: documents, failures, and how long it took."""

    page_count: int
    seconds: float
    documents: list[DocumentResult]
    failures: list[FileFailure]
    store_seconds: float | None = None  # time spent in the archive, when there is one

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "page_count": self.page_count,
            "seconds": round(self.seconds, 3),
            "documents": [d.to_json() for d in self.documents],
            "errors": [f.to_json() for f in self.failures],
        }
        if self.store_seconds is not None:
            out["store_seconds"] = round(self.store_seconds, 3)
        return out


@dataclass
class PageJob:
    """One page to process: where it is, its place in the batch, where its PDF goes."""

    batch_index: int  # 0-based in the batch
    ref: PageRef
    spool_pdf: Path


@dataclass
class PageOutcome:
    """What a worker sends back for one page (small: words, not pixels)."""

    batch_index: int
    source: str
    spool_pdf: Path | None
    source_page: int = 1  # 1-based page number within ``source``
    text: Any = None  # ocr.text.PageText
    blank: bool = False
    rotation: int = 0
    skew_degrees: float = 0.0
    analysis: Any = None  # ingest.split.PageAnalysis, when classification is available
    error: str | None = None
    message: str | None = None


class Archive(Protocol):
    """Where ingested files end up besides ``--out`` (the storage layer provides it)."""

    def store_original(self, path: Path, sha256: str, dossier_code: str | None) -> Any: ...

    def upload_document(self, document: DocumentResult, pdf_path: Path, source_sha256: str) -> Any:
        """Put the document's PDF in the store ahead of its record; several run at once."""
        ...

    def record_document(
        self, document: DocumentResult, pdf_path: Path, source_sha256: str, uploaded: Any = None
    ) -> dict[str, Any]:
        """Record the document (its PDF as ``upload_document`` put it, or stored now) and its
        metadata; returns keys to add to its JSON. Called in batch order, one at a time."""
        ...


Progress = Callable[[int, int], None]


class ArchiveUnavailableError(Exception):
    """The archive could not be opened: the batch was stopped and nothing was recorded."""


# --------------------------------------------------------------------------------------------
# Stage 1: discover
# --------------------------------------------------------------------------------------------


def discover(
    paths: Iterable[Path], options: IngestOptions
) -> tuple[list[SourceFile], list[FileFailure]]:
    """Every readable input file, validated up front, and the ones that are not."""
    sources: list[SourceFile] = []
    failures: list[FileFailure] = []
    try:
        files = expand_paths(Path(p) for p in paths)
    except IngestError as exc:
        return [], [FileFailure(str(getattr(exc, "path", "")), type(exc).__name__, str(exc))]
    for path in files:
        try:
            sources.append(
                open_source(
                    path,
                    max_image_pixels=options.max_image_pixels,
                    max_file_bytes=options.max_file_bytes,
                )
            )
        except IngestError as exc:
            failures.append(FileFailure(str(path), type(exc).__name__, str(exc)))
    return sources, failures


# --------------------------------------------------------------------------------------------
# Stage 2: process one page (runs in a worker process)
# --------------------------------------------------------------------------------------------

_worker: dict[str, Any] = {}


def _init_worker(options: IngestOptions, caller_pid: int) -> None:
    """Load the OCR models once per worker process, with Tesseract's own threads at one."""
    os.environ.update(ONE_THREAD)
    _die_with_caller(caller_pid)
    import cv2

    cv2.setNumThreads(1)
    from ocr.engine import TesseractEngine

    _worker["engine"] = TesseractEngine(options.languages, tessdata_dir=options.tessdata_dir)
    _worker["options"] = options
    _worker["analyzer"] = _load_analyzer(options)


def _die_with_caller(caller_pid: int) -> None:
    """End this worker as soon as the process that runs the batch is gone.

    The pool's own shutdown cannot do it when the caller is killed (an API worker that crashes
    mid-job): workers hold both ends of their job queue, so they would wait forever, and so would
    the fork server they keep alive. A thread parked on the caller's pidfd costs nothing.
    """
    try:
        pidfd = os.pidfd_open(caller_pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # not Linux 5.3 or later: shutdown still ends us
        return

    def watch() -> None:
        select.select([pidfd], [], [])
        os._exit(1)

    threading.Thread(target=watch, name="hoso-caller-watch", daemon=True).start()


def _load_analyzer(options: IngestOptions) -> Any:
    """The per-page analysis of the classification stage (QR, title, blank), if installed."""
    try:
        from ingest.split import analyze_page
        from ocr.taxonomy import load_taxonomy
    except ImportError:
        return None
    taxonomy = load_taxonomy(options.document_types_file)
    return lambda index, gray, dpi, text, blank: analyze_page(
        index, gray, dpi, text, blank, taxonomy
    )


def process_page(job: PageJob) -> PageOutcome:
    """Read, clean, OCR and analyse one page, and write its one-page searchable PDF."""
    from ingest.clean import clean_page
    from ingest.readers import read_page
    from ocr.missed_ink import read_missed_ink
    from ocr.searchable_pdf import write_page_pdf
    from ocr.second_look import second_look_at_digits
    from ocr.text import PageText

    engine = _worker["engine"]
    options: IngestOptions = _worker["options"]
    source = str(job.ref.path)
    try:
        page = read_page(job.ref, max_image_pixels=options.max_image_pixels)
        cleaned = clean_page(page.image, page.dpi)
        if cleaned.blank:
            height, width = cleaned.gray.shape[:2]
            text = PageText(words=[], width=width, height=height, dpi=cleaned.ocr_dpi)
        else:
            text = engine.recognize(cleaned.gray, cleaned.ocr_dpi)
            cleaned, text = reread_if_upside_down(engine, cleaned, text)
            text = second_look_at_digits(engine, cleaned.gray, text)
            text = read_missed_ink(engine, cleaned.gray, text)
        text.rotation = cleaned.rotation
        analyzer = _worker.get("analyzer")
        analysis = None
        if analyzer is not None:
            analysis = analyzer(job.batch_index, cleaned.gray, cleaned.ocr_dpi, text, cleaned.blank)
        write_page_pdf(
            job.spool_pdf,
            image=page.image,
            dpi=page.dpi,
            text=text,
            text_scale=cleaned.scale,
            jpeg=page.jpeg,
            bilevel=page.bilevel,
            placement=_placement(page.image, cleaned.rotation, cleaned.skew_degrees),
        )
        if options.debug_dir is not None:
            _dump_cleaned(options.debug_dir, job.batch_index, cleaned.gray, cleaned.ocr_dpi)
        return PageOutcome(
            batch_index=job.batch_index,
            source=source,
            spool_pdf=job.spool_pdf,
            source_page=job.ref.index + 1,
            text=text,
            blank=cleaned.blank,
            rotation=cleaned.rotation,
            skew_degrees=cleaned.skew_degrees,
            analysis=analysis,
        )
    except IngestError as exc:
        return PageOutcome(
            job.batch_index, source, None, error=type(exc).__name__, message=str(exc)
        )
    except Exception as exc:  # a page must never take the batch down with it
        log.debug("page %s failed:\n%s", job.batch_index, traceback.format_exc())
        return PageOutcome(
            job.batch_index,
            source,
            None,
            error=type(exc).__name__,
            message=f"page {job.ref.index + 1} of {source} could not be processed: {exc}",
        )


def reread_if_upside_down(
    engine: Any, cleaned: CleanedPage, text: PageText
) -> tuple[CleanedPage, PageText]:
    """Read a page again turned half round when its text came out as debris, and keep the
    reading with more Vietnamese in it.

    Cleaning settles up and down by the ink balance of text lines and leaves a page whose
    balance is weak as it is: an identity card copy (capitals and digits, little text) may then
    be upside down, and OCR reads it as "ĐNOĐ 9009 NYO". The second reading costs one page of
    OCR, only for pages that read as debris (upside down, or a photograph); this replaced
    Tesseract's OSD, which cost 0.15 s on every weak page and settled none that this does not.
    """
    share = text.readable_share()
    if share is None or share >= UNREADABLE_SHARE:
        return cleaned, text
    turned = replace(
        cleaned,
        gray=np.ascontiguousarray(cleaned.gray[::-1, ::-1]),
        rotation=(cleaned.rotation + 180) % 360,
    )
    again = engine.recognize(turned.gray, turned.ocr_dpi)
    if (again.readable_share() or 0.0) >= max(UNREADABLE_SHARE, share + 0.2):
        return turned, again
    return cleaned, text


def _placement(image: np.ndarray, rotation: int, skew_degrees: float) -> Placement | None:
    """The scan turned upright and deskewed by the PDF's transform, not by resampling it."""
    from ingest.clean import upright_matrix, upright_shape
    from ocr.searchable_pdf import Placement

    if rotation == 0 and skew_degrees == 0.0:
        return None
    height, width = image.shape[:2]
    up_height, up_width = upright_shape(height, width, rotation, skew_degrees)
    matrix = upright_matrix(height, width, rotation, skew_degrees)[:2]
    return Placement(matrix, up_width, up_height)


def _dump_cleaned(folder: Path, index: int, gray: np.ndarray, dpi: float) -> None:
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    Image.fromarray(gray).save(folder / f"page-{index + 1:04d}.png", dpi=(dpi, dpi))


# --------------------------------------------------------------------------------------------
# Stage 3: plan documents
# --------------------------------------------------------------------------------------------


@dataclass
class PlannedDocument:
    """A document before assembly: its pages (0-based batch indices) and what we know of it."""

    dossier_code: str | None
    doc_type: str
    pages: list[int]
    fields: dict[str, Any]
    needs_review: bool
    extra: dict[str, Any] = field(default_factory=dict)


def plan(
    outcomes: list[PageOutcome], file_of_page: list[int], options: IngestOptions
) -> list[PlannedDocument]:
    """Split the good pages into documents: by receipts and titles when classification is
    installed, else one document of type ``other`` per input file."""
    good = [o for o in outcomes if o.error is None]
    if good and all(o.analysis is not None for o in good):
        return _plan_with_classification(good, file_of_page, options)
    documents: list[PlannedDocument] = []
    current_file = -1
    for outcome in good:
        file_index = file_of_page[outcome.batch_index]
        if file_index != current_file:
            documents.append(PlannedDocument(options.dossier_code, "other", [], {}, False))
            current_file = file_index
        documents[-1].pages.append(outcome.batch_index)
    return documents


def _plan_with_classification(
    good: list[PageOutcome], file_of_page: list[int], options: IngestOptions
) -> list[PlannedDocument]:
    from ingest.split import plan_documents
    from ocr.taxonomy import load_taxonomy

    taxonomy = load_taxonomy(options.document_types_file)
    boundaries = sorted(
        {
            o.batch_index
            for i, o in enumerate(good)
            if i == 0 or file_of_page[o.batch_index] != file_of_page[good[i - 1].batch_index]
        }
    )
    planned = plan_documents(
        [o.analysis for o in good],
        taxonomy,
        forced_dossier=options.dossier_code,
        file_boundaries=boundaries,
    )
    documents = []
    for doc in planned:
        fields = {name: f.value for name, f in doc.fields.items()}
        review = {
            name: f.reason or "needs review" for name, f in doc.fields.items() if f.needs_review
        }
        extra: dict[str, Any] = {"confidence": round(doc.classification.confidence, 3)}
        if review:
            extra["review_reasons"] = review
        if doc.reasons:
            extra["document_review_reasons"] = list(doc.reasons)
        documents.append(
            PlannedDocument(
                doc.dossier_code, doc.doc_type, list(doc.pages), fields, doc.needs_review, extra
            )
        )
    return documents


# --------------------------------------------------------------------------------------------
# Stages 4 and 5: assemble and deliver
# --------------------------------------------------------------------------------------------


_SAFE_NAME = re.compile(r"[^0-9A-Za-z._-]+")


def document_filename(position: int, doc_type: str) -> str:
    """``NN-<doc_type>.pdf``, NN the document's 1-based position in its dossier."""
    return f"{position:02d}-{_SAFE_NAME.sub('_', doc_type)}.pdf"


def assemble_documents(
    planned: list[PlannedDocument],
    outcomes_by_index: dict[int, PageOutcome],
    out_dir: Path,
    options: IngestOptions,
    archive: Archive | None,
    sha_of_source: dict[str, str],
) -> tuple[list[DocumentResult], list[FileFailure]]:
    """Merge each document's page PDFs into ``out_dir/<dossier>/NN-<type>.pdf`` and archive it.

    The merges run in the page pool, whose workers are idle once the last page is read; each
    merged PDF is uploaded by one of a few threads (an upload mostly waits on the store's disk
    or network), and the parent records the documents one by one in batch order, so document
    ids follow the scan.
    """
    results: list[DocumentResult] = []
    failures: list[FileFailure] = []
    position_in_dossier: dict[str, int] = {}
    pool = _page_pool(options) if planned else None
    pending: list[tuple[DocumentResult, Path, Future[None] | None, list[Path], str]] = []
    for doc in planned:
        folder_name = doc.dossier_code or UNASSIGNED
        position_in_dossier[folder_name] = position_in_dossier.get(folder_name, 0) + 1
        target = (
            out_dir
            / _SAFE_NAME.sub("_", folder_name)
            / document_filename(position_in_dossier[folder_name], doc.doc_type)
        )
        first = outcomes_by_index[doc.pages[0]]
        result = DocumentResult(
            dossier_code=doc.dossier_code,
            doc_type=doc.doc_type,
            page_count=len(doc.pages),
            first_page=doc.pages[0] + 1,
            fields=doc.fields,
            needs_review=doc.needs_review,
            pdf=str(target),
            source=first.source,
            pages=[i + 1 for i in doc.pages],
            source_first_page=first.source_page,
            extra=dict(doc.extra),
        )
        page_pdfs = [outcomes_by_index[i].spool_pdf for i in doc.pages]
        title = f"{folder_name} {doc.doc_type}"
        merge = (
            None
            if pool is None
            else _submit(pool, _merge_pages, page_pdfs, target, options.pdfa, title)
        )
        pending.append((result, target, merge, page_pdfs, title))

    def merged_and_uploaded(
        result: DocumentResult,
        target: Path,
        merge: Future[None] | None,
        pages: list[Path],
        title: str,
    ) -> Any:
        if merge is None or isinstance(merge.exception(), BrokenProcessPool):
            _merge_pages(pages, target, options.pdfa, title)  # no worker left: do it here
        else:
            merge.result()
        if archive is None:
            return None
        return archive.upload_document(result, target, sha_of_source.get(result.source, ""))

    with ThreadPoolExecutor(_PARALLEL_UPLOADS, thread_name_prefix="hoso-upload") as uploads:
        staged = [uploads.submit(merged_and_uploaded, *item) for item in pending]
        for (result, target, *_), upload in zip(pending, staged, strict=True):
            try:
                uploaded = upload.result()
                if archive is not None:
                    source_sha = sha_of_source.get(result.source, "")
                    result.extra.update(
                        archive.record_document(result, target, source_sha, uploaded)
                    )
            except Exception as exc:
                failures.append(
                    FileFailure(result.source, type(exc).__name__, f"document {target.name}: {exc}")
                )
                continue
            results.append(result)
    return results, failures


#: Documents uploaded at once while the parent records them in order (4: a local disk's fsyncs
#: or an S3 server's round trips overlap; more only queue).
_PARALLEL_UPLOADS = 4


def _merge_pages(page_pdfs: list[Path], target: Path, pdfa: bool, title: str) -> None:
    from ocr.searchable_pdf import assemble_pdf

    target.parent.mkdir(parents=True, exist_ok=True)
    assemble_pdf(page_pdfs, target, pdfa=pdfa, title=title)


def _submit(pool: ProcessPoolExecutor, fn: Callable[..., Any], *args: Any) -> Future[Any] | None:
    """``pool.submit``, or None when the pool is broken (a worker died): the caller does it."""
    try:
        return pool.submit(fn, *args)
    except BrokenProcessPool:
        return None


# --------------------------------------------------------------------------------------------
# The batch
# --------------------------------------------------------------------------------------------


def run_batch(
    paths: Iterable[Path],
    out_dir: Path,
    options: IngestOptions,
    *,
    archive: Archive | None = None,
    open_archive: Callable[[], Archive] | None = None,
    progress: Progress | None = None,
) -> BatchResult:
    """Ingest files and folders into searchable PDFs under ``out_dir``.

    Bad files are reported in :attr:`BatchResult.failures`; the rest of the batch still goes
    through, and no half-written PDF is ever left under ``out_dir``.

    ``archive`` receives the originals and documents; or ``open_archive`` makes it, called in
    the thread that keeps the originals while the first pages are read (opening a database and
    an object store costs the command line most of a second). If it raises, the batch stops at
    once with :class:`ArchiveUnavailableError`: a batch that cannot be kept is not OCRed.
    """
    started = time.perf_counter()
    start_page_workers(options)  # their models load while the files are opened and hashed
    sources, failures = discover(paths, options)
    spool = Path(tempfile.mkdtemp(prefix="hoso-spool-", dir=options.spool_dir))
    try:
        jobs: list[PageJob] = []
        file_of_page: list[int] = []
        for file_index, source in enumerate(sources):
            for ref in page_refs(source):
                index = len(jobs)
                jobs.append(PageJob(index, ref, spool / f"page-{index:06d}.pdf"))
                file_of_page.append(file_index)
        archived = archive is not None or open_archive is not None
        timed = _TimedArchive(archive) if archived else None
        # The originals go to the archive while the pages are OCRed: the parent is idle then.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="hoso-originals") as keeper:
            originals = None
            if timed is not None:
                originals = keeper.submit(_store_originals, timed, open_archive, sources, options)
            outcomes = _process_all(jobs, options, progress, watch=originals)
            failed_sources = _page_failures(outcomes)
            if originals is not None and timed is not None:
                waited = time.perf_counter()
                for name, failure in originals.result().items():  # raises if it cannot open
                    failed_sources.setdefault(name, failure)
                timed.seconds += time.perf_counter() - waited  # only the wait costs wall time
        failures.extend(failed_sources.values())
        usable = [o for o in outcomes if o.source not in failed_sources]
        planned = plan(usable, file_of_page, options)
        by_index = {o.batch_index: o for o in usable}
        sha_of_source = {str(s.path): s.sha256 for s in sources}
        documents, assembly_failures = assemble_documents(
            planned, by_index, out_dir, options, timed, sha_of_source
        )
        failures.extend(assembly_failures)
    finally:
        shutil.rmtree(spool, ignore_errors=True)
    return BatchResult(
        page_count=len(jobs),
        seconds=time.perf_counter() - started,
        documents=documents,
        failures=failures,
        store_seconds=None if timed is None else timed.seconds,
    )


def _store_originals(
    archive: _TimedArchive,
    open_archive: Callable[[], Archive] | None,
    sources: list[SourceFile],
    options: IngestOptions,
) -> dict[str, FileFailure]:
    """Keep every readable scan file byte for byte (even one whose OCR fails: nothing a clerk
    fed is lost); a file that cannot be stored is failed whole, so no document is ever
    recorded whose original is missing. Opens the archive first when asked to.

    Runs beside the pages, so its time is not the batch's: only the wait for it is counted.
    """
    if open_archive is not None:
        try:
            archive.inner = open_archive()
        except Exception as exc:
            raise ArchiveUnavailableError(f"storage is not available: {exc}") from exc
    assert archive.inner is not None
    failed: dict[str, FileFailure] = {}
    for source in sources:
        name = str(source.path)
        try:
            archive.inner.store_original(source.path, source.sha256, options.dossier_code)
        except Exception as exc:
            log.debug("storing %s failed:\n%s", name, traceback.format_exc())
            failed[name] = FileFailure(
                name, type(exc).__name__, f"the original could not be stored: {exc}"
            )
    return failed


class _TimedArchive:
    """Counts the seconds the archive is busy (calls that overlap count once), for the store's
    share of the batch's wall time."""

    def __init__(self, inner: Archive | None) -> None:
        self.inner = inner  # set by the originals' thread when the archive is opened there
        self.seconds = 0.0
        self._lock = threading.Lock()
        self._running = 0
        self._busy_since = 0.0

    @contextmanager
    def _busy(self) -> Iterator[Archive]:
        assert self.inner is not None, "the archive is opened before anything is stored"
        with self._lock:
            if self._running == 0:
                self._busy_since = time.perf_counter()
            self._running += 1
        try:
            yield self.inner
        finally:
            with self._lock:
                self._running -= 1
                if self._running == 0:
                    self.seconds += time.perf_counter() - self._busy_since

    def store_original(self, path: Path, sha256: str, dossier_code: str | None) -> Any:
        with self._busy() as inner:
            return inner.store_original(path, sha256, dossier_code)

    def upload_document(self, document: DocumentResult, pdf_path: Path, source_sha256: str) -> Any:
        with self._busy() as inner:
            return inner.upload_document(document, pdf_path, source_sha256)

    def record_document(
        self, document: DocumentResult, pdf_path: Path, source_sha256: str, uploaded: Any = None
    ) -> dict[str, Any]:
        with self._busy() as inner:
            return inner.record_document(document, pdf_path, source_sha256, uploaded)


def _page_failures(outcomes: list[PageOutcome]) -> dict[str, FileFailure]:
    """A file with any failed page is failed as a whole: half a document is worse than none."""
    failed: dict[str, FileFailure] = {}
    for outcome in outcomes:
        if outcome.error is not None and outcome.source not in failed:
            failed[outcome.source] = FileFailure(
                outcome.source, outcome.error, outcome.message or outcome.error
            )
    return failed


def _process_all(
    jobs: list[PageJob],
    options: IngestOptions,
    progress: Progress | None,
    *,
    watch: Future[Any] | None = None,
) -> list[PageOutcome]:
    """Run :func:`process_page` over every job in the page pool.

    ``watch``: a task running beside the pages (the originals' archive); should it fail, the
    pages not yet read are cancelled and what is done is returned, for the caller to raise.
    """
    if not jobs:
        return []
    pool = _page_pool(options)
    futures: list[Future[PageOutcome]] = [pool.submit(process_page, job) for job in jobs]
    outcomes: list[PageOutcome] = []
    try:
        for done, future in enumerate(futures, start=1):
            if watch is not None and not watch.done():
                wait([future, watch], return_when=FIRST_COMPLETED)
            if watch is not None and watch.done() and watch.exception() is not None:
                _cancel(futures)
                return outcomes
            outcomes.append(_outcome_of(future, jobs[done - 1]))
            if progress is not None:
                progress(done, len(jobs))
    except BaseException:
        _cancel(futures)  # the batch is abandoned: free the pool for the next one
        raise
    if any(isinstance(f.exception(), BrokenProcessPool) for f in futures if f.done()):
        _close_page_pool()  # a worker died (killed, out of memory): the next batch starts anew
    return outcomes


def _cancel(futures: list[Future[PageOutcome]]) -> None:
    for future in futures:
        future.cancel()


_pool: tuple[tuple[Any, ...], ProcessPoolExecutor] | None = None


def start_page_workers(options: IngestOptions) -> None:
    """Start the page workers now, so their models load while the caller does other things
    (opening the store, hashing the files); :func:`run_batch` then finds them ready.

    Returns at once: starting a worker waits until the fork server has imported the pipeline
    (0.4 s at a command's start), so the workers are started from a thread. Pages submitted
    meanwhile queue behind them.
    """
    os.environ.update(ONE_THREAD)  # inherited by the fork server, so by every worker
    pool = _page_pool(options)

    def start() -> None:
        for _ in range(max(1, options.workers)):
            _submit(pool, _ready)

    threading.Thread(target=start, name="hoso-start-workers", daemon=True).start()


def _ready() -> None:
    """A worker's first task: its initializer (the model load) has run by then."""


def _page_pool(options: IngestOptions) -> ProcessPoolExecutor:
    """The process's pool of page workers, one per core, kept from batch to batch.

    An API worker runs one job after another: starting the workers and loading Tesseract's
    models for each job would cost more than OCRing a one-page upload. Only what the workers
    themselves use keys the pool; a batch with other settings replaces it.
    """
    global _pool
    worker_options = replace(options, dossier_code=None, spool_dir=None)
    key = (worker_options, os.getpid())
    if _pool is not None and _pool[0] == key:
        return _pool[1]
    _close_page_pool()
    pool = ProcessPoolExecutor(
        max_workers=max(1, options.workers),
        mp_context=worker_context(),
        initializer=_init_worker,
        initargs=(worker_options, os.getpid()),
    )
    _pool = (key, pool)
    # Inside a child process (a job runner), multiprocessing joins the process's children at
    # exit before the executor's own exit hook could stop them, and the exit hung. This stops
    # the workers first, before the job queue's own finalizer (priority 10) closes it.
    multiprocessing.util.Finalize(None, pool.shutdown, kwargs={"wait": True}, exitpriority=100)
    return pool


def _close_page_pool() -> None:
    global _pool
    if _pool is not None:
        _pool[1].shutdown(wait=False, cancel_futures=True)
        _pool = None


def _outcome_of(future: Future[PageOutcome], job: PageJob) -> PageOutcome:
    try:
        return future.result()
    except Exception as exc:  # the worker died (e.g. killed, out of memory)
        return PageOutcome(
            job.batch_index,
            str(job.ref.path),
            None,
            error=type(exc).__name__,
            message=f"page {job.ref.index + 1} of {job.ref.path}: worker failed ({exc})",
        )
