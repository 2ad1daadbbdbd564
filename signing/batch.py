"""Signing many results at once, on every core: the one place where signing runs in parallel.

A signature is CPU work in Python (CMS structures, the stamp, the incremental update), so a
batch is cut into chunks and signed by a pool of worker processes. Each worker opens the
PKCS#12 keys once and keeps them, with its font subsets, for every chunk it signs; within a
chunk the timestamp round trips overlap (:func:`signing.pades.async_sign_batch`).

Keys on a PKCS#11 token are not shared between processes (a USB token serves one session
well, and its PIN counter is not ours to race): with one, the batch is signed in this
process, as with ``workers=1``.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager

from pyhanko.sign.signers import Signer

from signing.keys import KeySource, Pkcs11Key, open_signer
from signing.pades import SigningProfile, sign_batch

log = logging.getLogger(__name__)

CHUNK_SIZE = 8  # documents per task: small enough to balance, large enough to overlap TSA calls


def default_workers() -> int:
    """The cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


@contextmanager
def _signers(officer: KeySource, seal: KeySource | None) -> Iterator[tuple[Signer, Signer | None]]:
    with ExitStack() as stack:
        officer_signer = stack.enter_context(open_signer(officer))
        seal_signer = stack.enter_context(open_signer(seal)) if seal is not None else None
        yield officer_signer, seal_signer


# --- worker side: keys opened once per process, kept for every chunk ------------------------
_worker: tuple[ExitStack, Signer, Signer | None, SigningProfile] | None = None


def _init_worker(officer: KeySource, seal: KeySource | None, profile: SigningProfile) -> None:
    global _worker
    stack = ExitStack()
    officer_signer, seal_signer = stack.enter_context(_signers(officer, seal))
    _worker = (stack, officer_signer, seal_signer, profile)


def _sign_chunk(pdfs: list[bytes], concurrency: int) -> list[bytes]:
    assert _worker is not None, "worker not initialised"
    _, officer, seal, profile = _worker
    return sign_batch(pdfs, officer, seal, profile, concurrency=concurrency)


def _pool_context() -> multiprocessing.context.BaseContext:
    # forkserver, not fork: callers may be threaded servers; preloading the signing modules
    # makes each worker a cheap fork of a process that has already imported pyHanko
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["signing.batch"])
    return ctx


def sign_results(
    pdfs: Sequence[bytes],
    officer: KeySource,
    seal: KeySource | None,
    profile: SigningProfile,
    *,
    workers: int | None = None,
    concurrency: int = 8,
) -> list[bytes]:
    """Sign every result (officer, then seal) on up to ``workers`` processes; order is kept.

    ``concurrency`` is the number of documents each process keeps in flight (timestamps).
    Raises the first document's :class:`~signing.errors.SigningError`, as the sequential
    signer would; a key that does not open fails before any worker starts.
    """
    pdfs = list(pdfs)
    chunks = [pdfs[i : i + CHUNK_SIZE] for i in range(0, len(pdfs), CHUNK_SIZE)]
    workers = min(workers or default_workers(), len(chunks))
    on_token = isinstance(officer, Pkcs11Key) or isinstance(seal, Pkcs11Key)
    with _signers(officer, seal) as (officer_signer, seal_signer):
        # opened here first: a wrong password or PIN is reported as such, not as a dead pool
        if workers <= 1 or on_token:
            return sign_batch(pdfs, officer_signer, seal_signer, profile, concurrency=concurrency)
    log.debug("signing %d results on %d processes", len(pdfs), workers)
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_pool_context(),
        initializer=_init_worker,
        initargs=(officer, seal, profile),
    ) as pool:
        done = pool.map(_sign_chunk, chunks, [concurrency] * len(chunks))
        return [signed for chunk in done for signed in chunk]
