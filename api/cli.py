"""The `hoso` command line: the outer shell that reads settings and calls the packages below."""

from __future__ import annotations

import importlib
import logging

import typer

app = typer.Typer(
    name="hoso",
    help="hoso: paperless dossiers for one-stop public administration centers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# One module per area, each with ``register(app)``; a module not written yet is skipped.
_COMMAND_MODULES = (
    "api.commands.ingest",
    "api.commands.stats",
    "api.commands.signing",
    "api.commands.serve",
    "api.commands.keys",
)


def _register_all() -> None:
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(app)


_register_all()


def main() -> None:
    """Entry point of the ``hoso`` console script."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
