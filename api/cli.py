"""The `hoso` command line: the outer shell that reads settings and calls the packages below.

Each area's commands live in their own module with ``register(app)``. ``hoso <command>`` imports
only the module that defines ``<command>``: a scanning clerk's ``hoso ingest`` does not pay for
pyHanko, the storage stack's migrations or the web server (about 1.5 s of start-up, paid again by
the OCR fork server, which imports this entry point once). ``hoso --help``, an unknown command,
and ``from api.cli import app`` get every command.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import logging
import os
import sys
from typing import Any

import typer

# Command name -> the module that registers it.
_COMMANDS = {
    "ingest": "api.commands.ingest",
    "stats": "api.commands.stats",
    "issue": "api.commands.signing",
    "sign": "api.commands.signing",
    "verify": "api.commands.signing",
    "serve": "api.commands.serve",
    "worker": "api.commands.serve",
    "keys": "api.commands.keys",
    "unassigned": "api.commands.documents",
    "attach": "api.commands.documents",
}


def build_app(command: str | None = None) -> typer.Typer:
    """The CLI with every command, or only with the module that defines ``command``."""
    cli = typer.Typer(
        name="hoso",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )

    @cli.callback()
    def root() -> None:
        """hoso: paperless dossiers for one-stop public administration centers."""

    modules = [_COMMANDS[command]] if command in _COMMANDS else dict.fromkeys(_COMMANDS.values())
    for name in modules:
        importlib.import_module(name).register(cli)
    return cli


def __getattr__(name: str) -> Any:
    """``api.cli.app``: the whole CLI, built on first use (tests drive it with CliRunner)."""
    if name == "app":
        globals()["app"] = built = build_app()
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Entry point of the ``hoso`` console script.

    At exit the interpreter's last garbage collections walk every object the command made
    (pyHanko, SQLAlchemy, a batch's words): 0.15-0.4 s after ``hoso ingest`` has printed its
    report, measured. Freezing the heap at exit skips them; the process ends anyway.
    """
    atexit.register(gc.freeze)  # the first registered is the last run: after every cleanup
    # No command does linear algebra worth threads, and OpenBLAS's idle threads spin for
    # 0.2 CPU s while numpy is imported, on the core the OCR fork server is starting on.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    command = sys.argv[1] if len(sys.argv) > 1 else None
    if command == "ingest":
        # The OCR fork server imports the pipeline on the other core meanwhile (0.25 s sooner
        # to the first page than starting it once the command's own imports are done).
        from ingest.workers import start_fork_server

        start_fork_server()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    build_app(command)()


if __name__ == "__main__":
    main()
