"""``hoso serve`` (the HTTP API) and ``hoso worker`` (a Celery OCR worker)."""

from __future__ import annotations

from typing import Annotated

import typer

from api.settings import get_settings


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    ) -> None:
        """Run the HTTP API; on the embedded defaults (SQLite, local store, dev signing keys)
        it creates the data dir and migrates the database on start."""
        import uvicorn

        from api.app import create_app

        settings = get_settings()
        application = create_app(settings)
        mode = f"Celery on {settings.broker_url}" if settings.broker_url else "local process pool"
        typer.echo(
            f"hoso API on http://{host}:{port}/api/v1 (docs /docs), data in "
            f"{settings.data_dir.resolve()}, jobs: {mode}",
            err=True,
        )
        uvicorn.run(application, host=host, port=port, log_level="info")

    @app.command("worker")
    def worker(
        hostname: Annotated[
            str | None, typer.Option("--hostname", help="Celery node name (default: host)")
        ] = None,
        loglevel: Annotated[str, typer.Option("--loglevel")] = "INFO",
    ) -> None:
        """Run an OCR worker taking jobs from the broker (HOSO_BROKER_URL); add machines to
        add throughput. Each worker runs one job at a time over HOSO_WORKERS page processes."""
        from api.worker import run_worker

        settings = get_settings()
        if not settings.broker_url:
            typer.echo(
                "error: no broker configured; set HOSO_BROKER_URL=redis://HOST:6379/0 "
                "(without one, `hoso serve` runs jobs itself)",
                err=True,
            )
            raise typer.Exit(2)
        run_worker(settings, loglevel=loglevel, hostname=hostname)
