"""Where the page workers come from: a fork server that has the OCR pipeline imported.

Kept apart from :mod:`ingest.pipeline` and free of heavy imports, so that a command can start
the fork server first thing (:func:`start_fork_server`) and the server imports the pipeline
on the other core while the command imports its own modules.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
from multiprocessing.context import BaseContext

#: Modules the fork server imports once for every worker it forks.
PRELOAD = [
    # Every worker re-imports the caller's main module (the ``hoso`` script, and so the whole
    # CLI) unless the fork server has imported it once for all of them.
    "__main__",
    "ingest.pipeline",
    "ingest.readers",
    "ingest.clean",
    "ingest.qr",
    "ingest.split",
    "ocr.engine",
    "ocr.classify",
    "ocr.fields",
    "ocr.taxonomy",
    "ocr.searchable_pdf",
    "tesserocr",
]

#: Libraries' own thread pools, kept at one thread in page workers: parallelism is the pool's.
#: OpenBLAS's threads would also spin for 0.2 CPU s while numpy is imported (the fork server).
ONE_THREAD = {"OMP_THREAD_LIMIT": "1", "OPENBLAS_NUM_THREADS": "1"}


def worker_context() -> BaseContext:
    """Workers forked from a clean server process that has the heavy modules imported.

    Forking the caller directly is unsafe once it has run OpenCV or Tesseract threads (an API
    worker after its first job, a test process): a child can inherit a held lock and hang.
    The fork server starts once per process and then forks workers in milliseconds.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def start_fork_server() -> None:
    """Start the fork server now; it imports :data:`PRELOAD` while the caller goes on.

    Returns at once (the first worker started later waits for the imports to finish). The
    server inherits the environment as it is now, hence :data:`ONE_THREAD` first.
    """
    os.environ.update(ONE_THREAD)
    if worker_context().get_start_method() == "forkserver":
        multiprocessing.forkserver.ensure_running()
