"""Celery on a real Redis with two ``hoso worker`` processes; one is SIGKILLed mid-job.

The job must still finish, exactly once: one set of documents, the killed worker's lease taken
over by the other worker, nothing recorded twice.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.fixtures_api import (
    LiveApi,
    UvicornThread,
    fresh_database,
    make_keys,
    scan_pdf,
    scan_png,
    wait_for_job,
)

pytestmark = pytest.mark.xdist_group("api-celery")

API = "/api/v1"
HOSO = str(Path(sys.executable).parent / "hoso")


def _start_worker(env: dict[str, str], name: str, log_dir: Path) -> tuple[subprocess.Popen, Path]:
    log = log_dir / f"{name}.log"
    proc = subprocess.Popen(
        [HOSO, "worker", "--hostname", f"{name}@test", "--loglevel", "INFO"],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    return proc, log


def _wait_ready(proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while b"ready." not in log.read_bytes():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"worker did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def celery_api(
    tmp_path_factory: pytest.TempPathFactory, postgres_url: str, redis_url: str
) -> Iterator[tuple[LiveApi, dict[str, subprocess.Popen]]]:
    from api.app import create_app
    from api.settings import Settings

    url, drop = fresh_database(postgres_url, "hoso_celery")
    data_dir = tmp_path_factory.mktemp("celery-data")
    values = {
        "data_dir": str(data_dir),
        "database_url": url,
        "broker_url": redis_url,
        "broker_visibility_timeout": "4",
        "job_lease_seconds": "5",
        "workers": "1",
        "pdfa": "false",
        "agency_code": "000.00.78.H78",
    }
    settings = Settings(**values)
    app = create_app(settings)  # migrates the database before the workers start
    env = {
        **os.environ,
        "OMP_THREAD_LIMIT": "1",
        **{f"HOSO_{k.upper()}": v for k, v in values.items()},
    }
    workers = {}
    logs = {}
    for name in ("w1", "w2"):
        workers[name], logs[name] = _start_worker(env, name, data_dir)
    try:
        for name, proc in workers.items():
            _wait_ready(proc, logs[name])
        with UvicornThread(app) as base_url:
            yield LiveApi(base_url, settings, app, make_keys(app)), workers
    finally:
        for proc in workers.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in workers.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        drop()


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def _job_row(api: LiveApi, job_id: str) -> Any:
    from storage.jobs import get_job

    with api.app.state.hoso.storage.sessions() as session:
        return get_job(session, job_id)


def test_killed_worker_job_completes_exactly_once(
    celery_api: tuple[LiveApi, dict[str, subprocess.Popen]],
) -> None:
    from storage.models import Document, Event

    api, workers = celery_api
    with api.client("integrator") as client:
        dossier = client.post(
            f"{API}/dossiers", json={"procedure": "birth_registration", "applicant_name": "Lê An"}
        ).json()
        scan = scan_pdf([scan_png(seed=s) for s in (21, 22, 23)])
        job_id = client.post(
            f"{API}/dossiers/{dossier['code']}/documents", files={"file": ("s.pdf", scan)}
        ).json()["id"]

        deadline = time.monotonic() + 90
        while True:  # wait until a worker is inside the job, past its first page
            row = _job_row(api, job_id)
            if row.status == "running" and row.pages_done >= 1:
                break
            assert row.status != "succeeded", "the job finished before it could be interrupted"
            assert time.monotonic() < deadline, f"job never started: {row.status}"
            time.sleep(0.05)
        victim_pid = int(row.lease_owner.split(":")[1])
        [victim] = [name for name, p in workers.items() if p.pid == victim_pid]
        page_processes = _children(victim_pid)
        assert page_processes, "the worker runs its pages in child processes"
        os.kill(victim_pid, signal.SIGKILL)
        workers[victim].wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{pid}").exists() and not _zombie(pid) for pid in page_processes):
            assert time.monotonic() < deadline, "page processes outlived their killed worker"
            time.sleep(0.1)

        job = wait_for_job(client, job_id, timeout=120)
        dossier_view = client.get(f"{API}/dossiers/{dossier['code']}").json()

    assert job["status"] == "succeeded", job
    assert job["attempts"] == 2  # the killed run and the one that took over
    final = _job_row(api, job_id)
    assert int(final.lease_owner.split(":")[1]) != victim_pid
    expected = len(job["result"]["documents"])
    assert expected >= 1
    assert len(dossier_view["documents"]) == expected
    storage = api.app.state.hoso.storage
    with storage.sessions() as session:
        dossier_id = session.scalar(
            select(Document.dossier_id).where(Document.id == dossier_view["documents"][0]["id"])
        )
        spans = session.execute(
            select(Document.source_first_page, func.count())
            .where(Document.dossier_id == dossier_id)
            .group_by(Document.source_first_page)
        ).all()
        recorded = session.scalar(
            select(func.count())
            .select_from(Event)
            .where(Event.dossier_id == dossier_id, Event.action == "document.recorded")
        )
    assert all(count == 1 for _page, count in spans)
    assert recorded == expected  # nothing was recorded twice
    assert sum(d["page_count"] for d in dossier_view["documents"]) == 3


def test_queued_jobs_each_run_once(celery_api: tuple[LiveApi, dict[str, subprocess.Popen]]) -> None:
    """Uploads are accepted while the broker queues them; each finishes once."""
    api, _workers = celery_api
    with api.client("integrator") as client:
        dossier = client.post(
            f"{API}/dossiers", json={"procedure": "birth_registration", "applicant_name": "Võ Hà"}
        ).json()
        ids = [
            client.post(
                f"{API}/dossiers/{dossier['code']}/documents",
                files={"file": (f"{seed}.png", scan_png(seed=seed))},
            ).json()["id"]
            for seed in (31, 32)
        ]
        jobs = [wait_for_job(client, job_id, timeout=120) for job_id in ids]
    assert [j["status"] for j in jobs] == ["succeeded", "succeeded"]
    assert all(j["attempts"] == 1 for j in jobs)
