"""``hoso unassigned`` and ``hoso attach``: documents that are in no dossier yet, filed by hand.

Ingest keeps a document unassigned, flagged for review, when no receipt came before it or when
its receipt names a dossier the database does not know yet (registered later, or at another
counter). Nothing is lost: an officer lists them and files each one under its dossier.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from api.commands.ingest import open_storage_or_exit
from api.settings import get_settings
from storage import StorageError


def register(app: typer.Typer) -> None:
    @app.command("unassigned")
    def unassigned_command(
        as_json: Annotated[
            bool, typer.Option("--json", help="Print JSON instead of a table.")
        ] = False,
    ) -> None:
        """Documents in no dossier yet, oldest first, with the fields read from them."""
        storage = open_storage_or_exit(get_settings())
        try:
            documents = storage.archive.documents(None)
        finally:
            storage.close()
        rows = [
            {
                "id": d.id,
                "doc_type": d.doc_type,
                "page_count": d.page_count,
                "needs_review": d.needs_review,
                "fields": {f.name: f.reviewed_value or f.value for f in d.fields},
            }
            for d in documents
        ]
        if as_json:
            typer.echo(json.dumps(rows, ensure_ascii=False))
            return
        if not rows:
            typer.echo("no unassigned documents")
            return
        table = Table(title="Unassigned documents (hoso attach ID DOSSIER_CODE files one)")
        for column in ("id", "type", "pages", "fields"):
            table.add_column(column)
        for row in rows:
            fields = "; ".join(f"{k}: {v}" for k, v in row["fields"].items() if v)
            table.add_row(str(row["id"]), row["doc_type"], str(row["page_count"]), fields)
        Console().print(table)

    @app.command("attach")
    def attach_command(
        document_id: Annotated[int, typer.Argument(min=1, help="Document id (hoso unassigned).")],
        dossier_code: Annotated[str, typer.Argument(help="Dossier to file it under.")],
        officer: Annotated[
            str, typer.Option("--officer", help="Who files it (kept in the dossier's log).")
        ] = "officer",
    ) -> None:
        """File a document under a dossier that is still open; its PDF moves with it."""
        storage = open_storage_or_exit(get_settings())
        try:
            document = storage.archive.attach_document(
                document_id, dossier_code, actor=f"officer:{officer}"
            )
        except StorageError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from exc
        finally:
            storage.close()
        typer.echo(f"document {document.id} ({document.doc_type}) filed under {dossier_code}")
