"""OCR jobs outside the request: what a job does, and the two ways it gets run.

An upload stores the file, records a job (keyed by the file's SHA-256) and answers 202 at once.
:func:`execute_job` then runs wherever a worker is: in the embedded default a local process pool
(:class:`LocalJobRunner`), with a broker configured a Celery worker on any machine
(:class:`CeleryJobRunner`, ``hoso worker``). A worker takes the job with a lease before touching
it, so a redelivered message cannot run it twice at once, and a job whose worker died is taken
over once the lease runs out; the archive is idempotent per source SHA-256 and page span, so the
re-run records no duplicate documents.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, Protocol

from api.runtime import PipelineArchive
from api.settings import Settings
from ingest.pipeline import run_batch
from storage.errors import IllegalTransitionError
from storage.jobs import Job, claim_job, finish_job, get_job, release_job, renew_lease
from storage.lifecycle import Status
from storage.service import Storage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
STALLED_LEASES = 20  # leases without a finished page before a job counts as hung


class JobBusyError(Exception):
    """Another live worker holds the job's lease; try again after ``retry_after`` seconds."""

    def __init__(self, job_id: str, retry_after: float) -> None:
        self.job_id = job_id
        self.retry_after = retry_after
        super().__init__(f"job {job_id} is running elsewhere; retry in {retry_after:.0f} s")


# --------------------------------------------------------------------------------------------
# What a job does (in a worker process)
# --------------------------------------------------------------------------------------------

_storage_cache: dict[str, Storage] = {}


def worker_storage(settings: Settings) -> Storage:
    """One storage per worker process and configuration (migrations were run by the server)."""
    from api.runtime import open_runtime

    key = settings.model_dump_json()
    if key not in _storage_cache:
        _storage_cache[key] = open_runtime(settings, upgrade=False)
    return _storage_cache[key]


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def execute_job(settings: Settings, job_id: str, owner: str | None = None) -> str:
    """Run one job to its end; returns its final status.

    Raises :class:`JobBusyError` while another worker holds a live lease on it, and re-raises
    unexpected errors after putting the job back in the queue (the runner retries).
    """
    from api.commands.ingest import ingest_options

    owner = owner or worker_id()
    storage = worker_storage(settings)
    lease = settings.job_lease_seconds
    with storage.sessions() as session:
        claim = claim_job(session, job_id, owner, lease)
        if not claim.won:
            if claim.finished:
                return get_job(session, job_id).status
            raise JobBusyError(job_id, claim.retry_after)
        job = get_job(session, job_id)
        session.expunge(job)

    heartbeat = _LeaseHeartbeat(storage, job_id, owner, lease)

    def progress(done: int, total: int) -> None:
        heartbeat.pages = (done, total)
        with storage.sessions() as progress_session:
            if heartbeat.lost or not renew_lease(
                progress_session, job_id, owner, lease, done, total
            ):
                raise JobBusyError(job_id, lease)  # taken over: stop, the new owner finishes

    workdir = Path(tempfile.mkdtemp(prefix="hoso-job-", dir=spool_dir(settings)))
    heartbeat.start()
    try:
        source = workdir / "in" / safe_filename(job.filename)
        storage.archive.get_to_path(job.source_key, source)
        options = ingest_options(
            settings, dossier_code=job.dossier_code, spool_dir=spool_dir(settings)
        )
        batch = run_batch(
            [source],
            workdir / "out",
            options,
            archive=PipelineArchive(storage, f"job:{job.id}"),
            progress=progress,
        )
        result = _job_result(batch.to_json(), job.filename)
        error = None
        if batch.failures and not batch.documents:
            error = "; ".join(f["message"] for f in result["errors"])
        if not error and job.dossier_code is not None:
            _advance_dossier(storage, job.dossier_code, f"job:{job.id}")
        with storage.sessions() as session:
            finish_job(session, job_id, owner, result=result, error=error)
            return get_job(session, job_id).status
    except JobBusyError:
        raise
    except Exception as exc:
        log.exception("job %s failed on attempt %s", job_id, job.attempts + 1)
        with storage.sessions() as session:
            if job.attempts + 1 >= MAX_ATTEMPTS:
                finish_job(
                    session, job_id, owner, result=None, error=f"{type(exc).__name__}: {exc}"
                )
                return get_job(session, job_id).status
            release_job(session, job_id, owner)
        raise
    finally:
        heartbeat.stop()
        shutil.rmtree(workdir, ignore_errors=True)


class _LeaseHeartbeat:
    """Renews a running job's lease every third of its length, between pages as well.

    Progress alone renews it only when a page finishes; a slow page (600 dpi, a loaded machine,
    the first page paying for the worker pool's start) must not let another worker take over a
    job that is alive and well.
    """

    def __init__(self, storage: Storage, job_id: str, owner: str, lease: float) -> None:
        self._storage, self._job_id, self._owner, self._lease = storage, job_id, owner, lease
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-{job_id}", daemon=True)
        self.pages = (0, 0)
        self.lost = False

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self._lease)

    def _run(self) -> None:
        last_pages, last_change = self.pages, time.monotonic()
        while not self._stop.wait(self._lease / 3):
            if self.pages != last_pages:
                last_pages, last_change = self.pages, time.monotonic()
            elif time.monotonic() - last_change > STALLED_LEASES * self._lease:
                log.warning("job %s is stalled: its lease is left to expire", self._job_id)
                return  # a hung page: let the lease run out so that the job is retried
            try:
                with self._storage.sessions() as session:
                    done, total = self.pages
                    if not renew_lease(
                        session, self._job_id, self._owner, self._lease, done, total
                    ):
                        self.lost = True
                        return
            except Exception:  # a database hiccup: the next beat or page tries again
                log.warning("renewing the lease of job %s failed", self._job_id, exc_info=True)


def spool_dir(settings: Settings) -> Path:
    path = Path(settings.data_dir) / "spool"
    path.mkdir(parents=True, exist_ok=True)
    return path


def safe_filename(name: str) -> str:
    base = Path(name).name.strip() or "upload"
    return "".join(c if c.isalnum() or c in "._- " else "_" for c in base)[:200]


def _job_result(batch: dict[str, Any], filename: str) -> dict[str, Any]:
    """The batch JSON without worker-local paths (they mean nothing to the client)."""
    for document in batch["documents"]:
        document.pop("pdf", None)
    for error in batch["errors"]:
        error["path"] = filename
    return batch


def _advance_dossier(storage: Storage, code: str, actor: str) -> None:
    """New scans move a received dossier into processing, a supplement into resubmitted."""
    try:
        status = storage.dossiers.get(code).status
        if status == Status.RECEIVED:
            storage.dossiers.transition(code, Status.PROCESSING, actor=actor)
        elif status == Status.SUPPLEMENT_REQUESTED:
            storage.dossiers.transition(code, Status.RESUBMITTED, actor=actor)
    except IllegalTransitionError:
        pass  # moved on concurrently (e.g. an officer acted): nothing to do


# --------------------------------------------------------------------------------------------
# Who runs jobs
# --------------------------------------------------------------------------------------------


def _set_parent_death_signal() -> None:
    """Have the kernel SIGKILL this process when its parent dies (Linux ``PR_SET_PDEATHSIG``).

    A forked page process waits on a pipe whose write end it inherited itself, so it would
    never see EOF and would wait forever once its worker was killed.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def die_with_parents() -> None:
    """From now on every process forked by this one dies with it (workers call this once)."""
    os.register_at_fork(after_in_child=_set_parent_death_signal)


def _job_process_init() -> None:
    _set_parent_death_signal()
    die_with_parents()


class JobRunner(Protocol):
    def submit(self, job: Job) -> None: ...

    def close(self) -> None: ...


def _run_local(settings: Settings, job_id: str) -> str:
    """A local pool task: retries a busy job after its lease (the pool has no broker)."""
    import time

    for _ in range(MAX_ATTEMPTS * 10):
        try:
            return execute_job(settings, job_id)
        except JobBusyError as busy:
            time.sleep(min(busy.retry_after, 30.0))
        except Exception:
            with worker_storage(settings).sessions() as session:
                if get_job(session, job_id).status in ("succeeded", "failed"):
                    return get_job(session, job_id).status
    return "queued"


class LocalJobRunner:
    """The embedded default: a pool of ``job_workers`` processes on this machine.

    Spawned, not forked: the server has threads by now, and each job process forks its own
    page pool from a clean single-threaded process.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._pool = ProcessPoolExecutor(
            max_workers=max(1, settings.job_workers),
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_job_process_init,
        )
        self._lock = threading.Lock()
        self._futures: dict[str, Future[str]] = {}

    def submit(self, job: Job) -> None:
        with self._lock:
            running = self._futures.get(job.id)
            if running is not None and not running.done():
                return
            self._futures[job.id] = self._pool.submit(_run_local, self.settings, job.id)

    def wait(self, job_id: str, timeout: float | None = None) -> str:
        """Block until a submitted job's process is done (tests and the benchmark)."""
        return self._futures[job_id].result(timeout)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


class CeleryJobRunner:
    """Jobs as Celery messages on the broker; ``hoso worker`` processes take them."""

    def __init__(self, settings: Settings) -> None:
        from api.worker import make_celery

        self.app = make_celery(settings)

    def submit(self, job: Job) -> None:
        from api.worker import TASK_NAME

        self.app.send_task(TASK_NAME, args=[job.id])

    def close(self) -> None:
        self.app.close()


def make_job_runner(settings: Settings) -> JobRunner:
    return CeleryJobRunner(settings) if settings.broker_url else LocalJobRunner(settings)
