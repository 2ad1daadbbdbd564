"""Celery workers on Redis: add machines to add OCR throughput (``hoso worker``).

A message is acknowledged only after its job finished (``acks_late``); a worker killed mid-job
never acknowledges, so Redis hands the message to another worker after the visibility timeout.
That worker takes the job once the dead one's lease has run out (:mod:`storage.jobs`); until
then it retries later. Each worker runs one job at a time (``--pool=solo``) and spreads the
job's pages over its own process pool, which is where the cores go.
"""

from __future__ import annotations

from celery import Celery, Task

from api.jobs import MAX_ATTEMPTS, JobBusyError, die_with_parents, execute_job, worker_storage
from api.settings import Settings
from storage.jobs import FINISHED, get_job

TASK_NAME = "hoso.run_job"
QUEUE = "hoso-jobs"


def make_celery(settings: Settings) -> Celery:
    """The Celery app for ``settings.broker_url``, with the job task registered."""
    if not settings.broker_url:
        raise ValueError(
            "no broker configured: set HOSO_BROKER_URL (e.g. redis://127.0.0.1:6379/0)"
        )
    visibility = settings.broker_visibility_timeout
    app = Celery("hoso", broker=settings.broker_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_ignore_result=True,
        task_default_queue=QUEUE,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": visibility,
            "unacked_restore_interval": max(1, min(10, int(visibility // 2))),
            "unacked_restore_throttle": 1,
        },
    )

    @app.task(name=TASK_NAME, bind=True, max_retries=None, acks_late=True)
    def run_job(task: Task, job_id: str) -> str:
        try:
            return execute_job(settings, job_id)
        except JobBusyError as busy:
            raise task.retry(countdown=min(busy.retry_after, visibility / 2)) from busy
        except Exception as exc:
            with worker_storage(settings).sessions() as session:
                job = get_job(session, job_id)
                if job.status in FINISHED or job.attempts >= MAX_ATTEMPTS:
                    return job.status
            raise task.retry(countdown=5) from exc

    return app


def run_worker(settings: Settings, *, loglevel: str = "INFO", hostname: str | None = None) -> None:
    """Run one worker in this process until it is stopped (``hoso worker``)."""
    die_with_parents()  # a killed worker must not leave its page processes waiting forever
    from api.commands.ingest import ingest_options
    from ingest.pipeline import start_page_workers

    start_page_workers(ingest_options(settings))  # models loaded before the first job arrives
    app = make_celery(settings)
    argv = [
        "worker",
        "--pool=solo",
        f"--loglevel={loglevel}",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        f"--queues={QUEUE}",
    ]
    if hostname:
        argv.append(f"--hostname={hostname}")
    app.worker_main(argv)
