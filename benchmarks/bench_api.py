"""The HTTP API under load: upload latency and throughput, and OCR pages/second per worker count.

1. Uploads: ``--uploads`` distinct 2 MB JPEG scans, ``--concurrency`` at a time, against
   ``hoso serve`` (SQLite, local store, jobs queued on Redis with no worker running, so the
   figure is the API's own path: spool, magic-byte and image checks, SHA-256, atomic store,
   database record, broker publish). Peer in the same run: a bare FastAPI endpoint that only
   streams the same multipart upload to disk (the floor any upload API pays).
2. End to end: ``--pages`` one-page scans uploaded at once, processed by 1 and then 2
   ``hoso worker`` processes (each one job at a time over one page process); pages/second
   from the first upload to the last job finished, and the scaling ratio.

Needs Redis on 127.0.0.1:6379 (or ``--redis URL``). Run:
``.venv/bin/python -m benchmarks.bench_api [--uploads 200] [--concurrency 50] [--pages 12]``
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
from fastapi import FastAPI, File, UploadFile
from PIL import Image

HOSO = str(Path(sys.executable).parent / "hoso")
API = "/api/v1"

# --- the peer: a bare upload endpoint -----------------------------------------------------------
peer_app = FastAPI()


@peer_app.post("/upload", status_code=202)
async def _peer_upload(file: UploadFile = File(...)) -> dict[str, int]:
    size = 0
    with tempfile.NamedTemporaryFile(dir=os.environ.get("PEER_DIR")) as out:
        while chunk := await file.read(1024 * 1024):
            out.write(chunk)
            size += len(chunk)
    return {"size": size}


# --- data ---------------------------------------------------------------------------------------


def scans_2mb(count: int, seed: int = 7) -> list[bytes]:
    """Distinct A4 300-dpi grayscale JPEG scans of about 2 MB (a form plus scanner noise)."""
    from benchmarks.synth.forms import render_document

    base = np.asarray(
        render_document("birth_registration", random.Random(seed), dpi=300)
        .pages[0]
        .image.convert("L"),
        dtype=np.int16,
    )
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        noisy = np.clip(base + rng.normal(0, 9, base.shape), 0, 255).astype(np.uint8)
        buffer = io.BytesIO()
        Image.fromarray(noisy).save(buffer, "JPEG", quality=88, dpi=(300, 300))
        out.append(buffer.getvalue())
    return out


def small_scans(count: int) -> list[bytes]:
    from benchmarks.synth.forms import render_document

    out = []
    for i in range(count):
        doc = render_document("birth_registration", random.Random(100 + i), dpi=150)
        buffer = io.BytesIO()
        doc.pages[0].image.convert("L").save(buffer, "PNG", dpi=(150, 150))
        out.append(buffer.getvalue())
    return out


# --- processes ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} exited with {proc.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def start_worker(env: dict[str, str], name: str, log: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [HOSO, "worker", "--hostname", f"{name}@bench", "--loglevel", "WARNING"],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    time.sleep(1.0)
    while time.monotonic() < deadline:  # a WARNING-level worker prints nothing when ready
        out = subprocess.run(
            [sys.executable, "-c", _PING, env["HOSO_BROKER_URL"], f"{name}@bench"],
            capture_output=True,
            text=True,
        )
        if out.stdout.strip() == "ok":
            return proc
        time.sleep(0.5)
    raise RuntimeError(f"worker {name} not ready")


_PING = """
import sys
from celery import Celery
app = Celery(broker=sys.argv[1])
replies = app.control.ping(destination=[sys.argv[2]], timeout=1.0) or []
print("ok" if replies else "no")
"""


# --- measurements -------------------------------------------------------------------------------


async def upload_all(
    base: str, path_of: list[str], files: list[bytes], headers: dict[str, str], concurrency: int
) -> tuple[list[float], float, int]:
    """Upload every file (``path_of[i]`` its URL), ``concurrency`` at once: latencies, wall."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    latencies: list[float] = []
    errors = 0
    semaphore = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=300) as c:

        async def one(i: int) -> None:
            nonlocal errors
            async with semaphore:
                started = time.perf_counter()
                response = await c.post(path_of[i], files={"file": (f"s{i}.jpg", files[i])})
                latencies.append(time.perf_counter() - started)
                if response.status_code != 202:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(len(files))))
        wall = time.perf_counter() - started
    return latencies, wall, errors


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def create_key(env: dict[str, str]) -> str:
    out = subprocess.run(
        [HOSO, "keys", "create", "--role", "admin", "--name", "bench"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def new_dossier(base: str, key: str) -> str:
    response = httpx.post(
        f"{base}{API}/dossiers",
        json={"procedure": "birth_registration", "applicant_name": "Bench"},
        headers={"X-API-Key": key},
    )
    response.raise_for_status()
    return response.json()["code"]


def wait_jobs(base: str, key: str, ids: list[str], timeout: float = 1800) -> int:
    deadline = time.monotonic() + timeout
    pending = set(ids)
    pages = 0
    with httpx.Client(base_url=base, headers={"X-API-Key": key}) as client:
        while pending:
            for job_id in list(pending):
                job = client.get(f"{API}/jobs/{job_id}").json()
                if job["status"] in ("succeeded", "failed"):
                    pending.discard(job_id)
                    pages += job["pages_total"] or 0
            if time.monotonic() > deadline:
                raise RuntimeError(f"{len(pending)} jobs unfinished")
            time.sleep(0.2)
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--uploads", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp_name:
        tmp = Path(tmp_name)
        env = {
            **os.environ,
            "OMP_THREAD_LIMIT": "1",
            "HOSO_DATA_DIR": str(tmp / "data"),
            "HOSO_BROKER_URL": args.redis,
            "HOSO_WORKERS": "1",
            "HOSO_MAX_UPLOAD_BYTES": str(8 * 1024 * 1024),
        }
        for name in ("HOSO_DATABASE_URL", "HOSO_S3_ENDPOINT"):
            env.pop(name, None)
        import redis

        redis.Redis.from_url(args.redis).flushdb()

        print(f"generating {args.uploads} 2 MB scans ...", file=sys.stderr)
        files = scans_2mb(args.uploads)
        mean_mb = statistics.mean(len(f) for f in files) / 1e6
        rows: list[tuple[str, str]] = []

        # 1a. the peer
        port = free_port()
        (tmp / "peer").mkdir()
        peer = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "benchmarks.bench_api:peer_app", "--port",
             str(port), "--log-level", "warning"],
            env={**env, "PEER_DIR": str(tmp / "peer")},
        )  # fmt: skip
        try:
            wait_http(f"http://127.0.0.1:{port}/docs", peer)
            peer_lat, peer_wall, peer_err = asyncio.run(
                upload_all(f"http://127.0.0.1:{port}", ["/upload"] * len(files), files, {},
                           args.concurrency)
            )  # fmt: skip
        finally:
            stop(peer)

        # 1b. hoso serve, jobs queued on Redis, no worker yet
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [HOSO, "serve", "--port", str(port)],
            env=env,
            stdout=(tmp / "serve.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        workers: list[subprocess.Popen] = []
        try:
            wait_http(f"{base}/healthz", server)
            key = create_key(env)
            code = new_dossier(base, key)
            url = f"{API}/dossiers/{code}/documents"
            lat, wall, err = asyncio.run(
                upload_all(base, [url] * len(files), files, {"X-API-Key": key}, args.concurrency)
            )
            redis.Redis.from_url(args.redis).flushdb()  # drop the queued upload jobs

            # 2. end to end with 1 and 2 workers
            scans = small_scans(args.pages * 2)
            e2e: dict[int, float] = {}
            for count, batch in ((1, scans[: args.pages]), (2, scans[args.pages :])):
                for _ in range(count - len(workers)):
                    name = f"w{len(workers) + 1}"
                    workers.append(start_worker(env, name, tmp / f"{name}.log"))
                dossier = new_dossier(base, key)
                path = f"{API}/dossiers/{dossier}/documents"
                started = time.perf_counter()
                with httpx.Client(base_url=base, headers={"X-API-Key": key}) as client:
                    ids = [
                        client.post(path, files={"file": (f"p{i}.png", s)}).json()["id"]
                        for i, s in enumerate(batch)
                    ]
                pages = wait_jobs(base, key, ids)
                e2e[count] = pages / (time.perf_counter() - started)
        finally:
            for worker in workers:
                stop(worker)
            stop(server)

    rows += [
        ("uploads", f"{args.uploads} × {mean_mb:.2f} MB JPEG, {args.concurrency} concurrent"),
        ("hoso upload p50 / p99 (s)", f"{percentile(lat, 50):.3f} / {percentile(lat, 99):.3f}"),
        ("hoso upload throughput", f"{len(files) / wall:.1f} uploads/s, "
                                   f"{len(files) * mean_mb / wall:.1f} MB/s ({err} errors)"),
        ("peer (bare FastAPI to disk) p50 / p99 (s)",
         f"{percentile(peer_lat, 50):.3f} / {percentile(peer_lat, 99):.3f}"),
        ("peer throughput", f"{len(files) / peer_wall:.1f} uploads/s ({peer_err} errors)"),
        ("hoso / peer throughput", f"{peer_wall / wall:.2f}"),
        ("end to end, 1 worker", f"{e2e[1]:.2f} pages/s ({args.pages} one-page scans, 150 dpi)"),
        ("end to end, 2 workers", f"{e2e[2]:.2f} pages/s"),
        ("scaling 2 workers / 1", f"{e2e[2] / e2e[1]:.2f}× (cores: {os.cpu_count()})"),
    ]  # fmt: skip
    print("| measure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
