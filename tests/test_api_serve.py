"""``hoso serve`` on the embedded defaults: SQLite, local store, local job pool, dev keys."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.fixtures_api import free_port, scan_png, wait_for_job

pytestmark = pytest.mark.xdist_group("api-serve")

HOSO = str(Path(sys.executable).parent / "hoso")


def test_serve_on_embedded_defaults_end_to_end(tmp_path: Path) -> None:
    data = tmp_path / "hoso-data"
    env = {**os.environ, "HOSO_DATA_DIR": str(data), "HOSO_WORKERS": "1", "OMP_THREAD_LIMIT": "1"}
    env.pop("HOSO_DATABASE_URL", None)
    env.pop("HOSO_S3_ENDPOINT", None)
    env.pop("HOSO_BROKER_URL", None)
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [HOSO, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz").json()["jobs"] == "local":
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "hoso serve did not answer in 60 s"
            time.sleep(0.2)
        assert (data / "hoso.db").exists()  # created and migrated on start

        created = subprocess.run(
            [HOSO, "keys", "create", "--role", "integrator", "--name", "portal"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        key = created.stdout.strip()
        assert key.startswith("hoso_") and "shown once" in created.stderr
        assert key not in (data / "hoso.db").read_bytes().decode("latin-1")

        client = httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=60)
        dossier = client.post(
            "/api/v1/dossiers",
            json={"procedure": "birth_registration", "applicant_name": "Hồ Văn Nam"},
        ).json()
        job = client.post(
            f"/api/v1/dossiers/{dossier['code']}/documents",
            files={"file": ("a.png", scan_png(seed=41))},
        ).json()
        assert wait_for_job(client, job["id"])["status"] == "succeeded"
        [document] = client.get(f"/api/v1/dossiers/{dossier['code']}").json()["documents"]
        assert client.get(document["pdf_url"]).content.startswith(b"%PDF-")
        assert any((data / "objects").rglob("*.pdf"))  # the local object store
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    # uvicorn shuts down gracefully, then re-raises SIGTERM so the parent sees the signal
    assert server.returncode in (0, -signal.SIGTERM)
    assert "Application shutdown complete" in (tmp_path / "serve.log").read_text()
