"""Job records: OCR work queued by the API and run by a local pool or Celery workers.

A job is keyed by what it processes (``dedup_key``: kind, dossier and the upload's SHA-256), so
uploading the same file twice yields the same job. Running it takes a *lease*: an atomic
``UPDATE ... WHERE`` that only one worker can win; the winner renews the lease as it progresses.
A worker that dies stops renewing, its lease runs out, and a redelivered task takes the job over
(the archive is idempotent per source SHA-256, so a re-run adds no duplicate documents).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Integer, String, Text, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from .errors import StorageError
from .models import Base, utcnow

QUEUED = "queued"
RUNNING = "running"
SUCCEEDED = "succeeded"
FAILED = "failed"
FINISHED = (SUCCEEDED, FAILED)


class JobNotFoundError(StorageError, LookupError):
    """No job has the given id."""

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id
        super().__init__(f"no job with id {job_id!r}")


class IdempotencyConflictError(StorageError):
    """An Idempotency-Key was reused for a different request."""

    def __init__(self, key: str, job_id: str) -> None:
        self.key = key
        self.job_id = job_id
        super().__init__(
            f"Idempotency-Key {key!r} was already used for job {job_id} with other content; "
            "use a new key for a new upload"
        )


class Job(Base):
    __tablename__ = "job"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(300), unique=True)
    dossier_code: Mapped[str | None] = mapped_column(String(40), index=True)
    source_key: Mapped[str] = mapped_column(String(512))
    source_sha256: Mapped[str] = mapped_column(String(64))
    source_size: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), index=True, default=QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(128))
    lease_until: Mapped[datetime | None]
    pages_done: Mapped[int] = mapped_column(Integer, default=0)
    pages_total: Mapped[int | None] = mapped_column(Integer)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


def dedup_key(kind: str, dossier_code: str | None, sha256: str) -> str:
    return f"{kind}:{dossier_code or '-'}:{sha256}"


def create_or_get_job(
    session: Session,
    *,
    kind: str,
    dossier_code: str | None,
    source_key: str,
    source_sha256: str,
    source_size: int,
    filename: str,
    created_by: str,
    idempotency_key: str | None = None,
) -> tuple[Job, bool]:
    """The job for this content (created if new) and whether it was created now.

    Raises :class:`IdempotencyConflictError` when ``idempotency_key`` already names a job for
    other content. Safe under concurrent identical requests: the unique keys decide.
    """
    key = dedup_key(kind, dossier_code, source_sha256)
    if idempotency_key is not None:
        earlier = session.scalar(select(Job).where(Job.idempotency_key == idempotency_key))
        if earlier is not None:
            if earlier.dedup_key != key:
                raise IdempotencyConflictError(idempotency_key, earlier.id)
            return earlier, False
    existing = session.scalar(select(Job).where(Job.dedup_key == key))
    if existing is not None:
        return existing, False
    job = Job(
        id=uuid.uuid4().hex,
        kind=kind,
        dedup_key=key,
        idempotency_key=idempotency_key,
        dossier_code=dossier_code,
        source_key=source_key,
        source_sha256=source_sha256,
        source_size=source_size,
        filename=filename[:255],
        status=QUEUED,
        attempts=0,
        pages_done=0,
        created_by=created_by,
    )
    try:
        with session.begin_nested():
            session.add(job)
    except IntegrityError:
        again = session.scalar(select(Job).where(Job.dedup_key == key))
        if again is None and idempotency_key is not None:
            again = session.scalar(select(Job).where(Job.idempotency_key == idempotency_key))
        if again is None:
            raise
        return again, False
    return job, True


def get_job(session: Session, job_id: str) -> Job:
    job = session.get(Job, job_id)
    if job is None:
        raise JobNotFoundError(job_id)
    return job


@dataclass(frozen=True)
class Claim:
    """The outcome of trying to take a job: ``won``, or why not (``finished`` or ``busy``)."""

    won: bool
    finished: bool = False
    retry_after: float = 0.0


def claim_job(session: Session, job_id: str, owner: str, lease_seconds: float) -> Claim:
    """Take the job if it is queued, or running under an expired lease (its worker died)."""
    now = utcnow()
    result = session.execute(
        update(Job)
        .where(
            Job.id == job_id,
            or_(Job.status == QUEUED, (Job.status == RUNNING) & (Job.lease_until < now)),
        )
        .values(
            status=RUNNING,
            lease_owner=owner,
            lease_until=now + timedelta(seconds=lease_seconds),
            attempts=Job.attempts + 1,
            started_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()
    if result.rowcount == 1:
        return Claim(won=True)
    job = get_job(session, job_id)
    session.refresh(job)
    if job.status in FINISHED:
        return Claim(won=False, finished=True)
    remaining = (job.lease_until - now).total_seconds() if job.lease_until else lease_seconds
    return Claim(won=False, retry_after=max(1.0, remaining))


def renew_lease(
    session: Session, job_id: str, owner: str, lease_seconds: float, done: int, total: int
) -> bool:
    """Record progress and extend the lease; False when another worker has taken the job."""
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.lease_owner == owner, Job.status == RUNNING)
        .values(
            pages_done=done,
            pages_total=total,
            lease_until=utcnow() + timedelta(seconds=lease_seconds),
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return result.rowcount == 1


def finish_job(
    session: Session,
    job_id: str,
    owner: str,
    *,
    result: dict[str, Any] | None,
    error: str | None = None,
) -> bool:
    """Close the job (succeeded without ``error``, failed with it) if this worker still owns it."""
    values: dict[str, Any] = {
        "status": FAILED if error else SUCCEEDED,
        "result": result,
        "error": error,
        "finished_at": utcnow(),
        "lease_until": None,
    }
    if result is not None and "page_count" in result:
        values["pages_done"] = values["pages_total"] = result["page_count"]
    outcome = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.lease_owner == owner, Job.status == RUNNING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return outcome.rowcount == 1


def unfinished_jobs(session: Session, *, include_running: bool = False) -> list[Job]:
    """Jobs to (re)submit after a restart: queued, or running under an expired lease; with
    ``include_running`` every running job (when this machine was the only one running them)."""
    now = utcnow()
    running = Job.status == RUNNING
    if not include_running:
        running = running & (Job.lease_until < now)
    return list(
        session.scalars(
            select(Job).where(or_(Job.status == QUEUED, running)).order_by(Job.created_at)
        )
    )


def release_job(session: Session, job_id: str, owner: str) -> bool:
    """Put a job this worker holds back in the queue (a transient error; it will be retried)."""
    outcome = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.lease_owner == owner, Job.status == RUNNING)
        .values(status=QUEUED, lease_owner=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return outcome.rowcount == 1
