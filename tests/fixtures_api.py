"""The HTTP API under test: one uvicorn server for the session on PostgreSQL and SeaweedFS.

Also small generated scans (the project's form renderer at low dpi, so OCR jobs stay fast) and
helpers to wait for jobs. The server runs in a thread of the test process; its OCR jobs run in
the app's own spawned process pool, exactly as under ``hoso serve``.
"""

from __future__ import annotations

import io
import random
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

SCAN_DPI = 100
API_AGENCY = "000.00.77.H77"


def scan_png(doc_type: str = "birth_registration", seed: int = 1, dpi: int = SCAN_DPI) -> bytes:
    """Page 1 of a rendered form as a PNG scan (the project's generator)."""
    from benchmarks.synth.forms import render_document

    document = render_document(doc_type, random.Random(seed), dpi=dpi)
    out = io.BytesIO()
    document.pages[0].image.convert("L").save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()


def scan_pdf(pages: list[bytes]) -> bytes:
    """PNG pages as one image PDF (what a scanner's PDF mode writes)."""
    from PIL import Image

    images = [Image.open(io.BytesIO(p)).convert("L") for p in pages]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=SCAN_DPI)
    return out.getvalue()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database(postgres_url: str, prefix: str) -> tuple[str, Any]:
    """A new database next to the session's one: other areas' tests empty theirs per test."""
    server, _name = postgres_url.rsplit("/", 1)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return f"{server}/{name}", drop


@dataclass
class LiveApi:
    """A running API: its address, settings, app and one key per role."""

    base_url: str
    settings: Any
    app: Any
    keys: dict[str, str]

    def client(self, role: str | None = None, **kwargs: Any) -> httpx.Client:
        headers = {"X-API-Key": self.keys[role]} if role else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=60, **kwargs)


def make_keys(app: Any) -> dict[str, str]:
    from storage.apikeys import ROLES, create_api_key

    keys = {}
    with app.state.hoso.storage.sessions.begin() as session:
        for role in ROLES:
            keys[role] = create_api_key(session, f"test-{role}", role)[1]
    return keys


class UvicornThread:
    """uvicorn serving ``app`` on a free loopback port from a background thread."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start within 30 s")
            time.sleep(0.02)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


@pytest.fixture(scope="session", params=["postgresql-s3", "sqlite-local"])
def live_api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveApi]:
    """The API with a local job pool and uploads capped at 3 MB, on PostgreSQL + SeaweedFS and
    on the embedded SQLite + local folder (SQLite serialises all transactions: a request that
    nests two would wait on itself)."""
    from api.app import create_app
    from api.settings import Settings
    from tests.fixtures_s3 import ACCESS_KEY, SECRET_KEY

    data_dir: Path = tmp_path_factory.mktemp("api-data")
    values: dict[str, Any] = {}
    drop = None
    if request.param == "postgresql-s3":
        seaweed = request.getfixturevalue("seaweed")
        url, drop = fresh_database(request.getfixturevalue("postgres_url"), "hoso_api")
        values = {
            "database_url": url,
            "s3_endpoint": seaweed.endpoint,
            "s3_access_key": ACCESS_KEY,
            "s3_secret_key": SECRET_KEY,
            # shared with storage's tests; our agency code keeps our keys apart
            "s3_bucket": request.getfixturevalue("s3_bucket"),
            "s3_secure": False,
        }
    settings = Settings(
        data_dir=data_dir,
        agency_code=API_AGENCY,
        max_upload_bytes=3 * 1024 * 1024,
        workers=1,
        job_workers=1,
        access_code_max_failures=3,
        pdfa=False,
        **values,
    )
    app = create_app(settings)
    keys = make_keys(app)
    try:
        with UvicornThread(app) as base_url:
            yield LiveApi(base_url, settings, app, keys)
    finally:
        if drop is not None:
            drop()


def wait_for_job(client: httpx.Client, job_id: str, timeout: float = 180) -> dict[str, Any]:
    """Poll a job until it has finished; fail the test if it does not in ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        job = client.get(f"/api/v1/jobs/{job_id}").json()
        if job["status"] in ("succeeded", "failed"):
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} did not finish in {timeout} s: {job}")
        time.sleep(0.3)


def assert_error(response: httpx.Response, status: int, code: str | None = None) -> dict:
    """The response is an error of ``status`` in the API's one error shape."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert error["status"] == status
    assert error["message"]
    assert isinstance(error["code"], str)
    if code is not None:
        assert error["code"] == code, error
    return error
