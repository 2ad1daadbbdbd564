"""A real Redis for tests: 127.0.0.1:6379 when it answers, else our own ``redis-server``.

On the shared server each session takes a random database number (1-15), so parallel test
sessions do not read each other's Celery queues or rate-limit counters.
"""

from __future__ import annotations

import random
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``redis://127.0.0.1:PORT/DB`` of a live Redis for this session."""
    if _answers("127.0.0.1", 6379):
        yield f"redis://127.0.0.1:6379/{random.randint(1, 15)}"
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip(
            "no Redis on 127.0.0.1:6379 and no redis-server binary (apt install redis-server)"
        )
    folder: Path = tmp_path_factory.mktemp("redis")
    port = _free_port()
    subprocess.run(
        [
            binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
            "no", "--daemonize", "yes", "--pidfile", str(folder / "redis.pid"),
            "--dir", str(folder),
        ],
        check=True,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while not _answers("127.0.0.1", port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"redis-server on port {port} did not answer within 10 s")
        time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        pid = int((folder / "redis.pid").read_text())
        subprocess.run(["kill", str(pid)], check=False)
