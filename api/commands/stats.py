"""``hoso stats``: the center's figures for a period, as a table or as JSON."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from api.settings import get_settings
from storage import DossierStats, StorageError, dossier_stats
from storage.workdays import VIETNAM

_DATE = ["%Y-%m-%d"]


def _rate(value: float | None) -> str:
    return "n/a" if value is None else f"{value:g} %"


def _table(stats: DossierStats) -> Table:
    scope = stats.agency or "all agencies"
    table = Table(title=f"Dossiers {stats.period_from} – {stats.period_to} ({scope})")
    table.add_column("figure")
    table.add_column("count", justify="right")
    rows = [
        ("received", stats.received_total),
        ("  in person", stats.received_in_person),
        ("  online", stats.received_online),
        ("resolved", stats.resolved_total),
        ("  on time", stats.resolved_on_time),
        ("  late", stats.resolved_late),
        ("in progress", stats.in_progress_total),
        ("  on time", stats.in_progress_on_time),
        ("  late", stats.in_progress_late),
        ("returned (conditions not met)", stats.returned),
        ("on-time rate", _rate(stats.on_time_rate)),
        ("digitization rate", _rate(stats.digitization_rate)),
    ]
    for name, value in rows:
        table.add_row(name, str(value))
    return table


def register(app: typer.Typer) -> None:
    @app.command("stats")
    def stats_command(
        agency: Annotated[
            str | None, typer.Option("--agency", help="Agency code; all agencies if omitted.")
        ] = None,
        date_from: Annotated[
            datetime | None,
            typer.Option(
                "--from",
                formats=_DATE,
                help="First day (YYYY-MM-DD); default: the 1st of this month.",
            ),
        ] = None,
        date_to: Annotated[
            datetime | None,
            typer.Option(
                "--to", formats=_DATE, help="Last day, inclusive (YYYY-MM-DD); default: today."
            ),
        ] = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print JSON instead of a table.")
        ] = False,
    ) -> None:
        """Dossiers received in a period: by channel, resolved/in progress on time or late,
        returned, on-time rate and digitization rate."""
        from api.runtime import open_runtime

        settings = get_settings()
        today = datetime.now(VIETNAM).date()
        start = date_from.date() if date_from else today.replace(day=1)
        end = date_to.date() if date_to else today
        if end < start:
            raise typer.BadParameter(f"--to {end} is before --from {start}")
        try:
            storage = open_runtime(settings)
        except StorageError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from exc
        try:
            figures = dossier_stats(
                storage.sessions, start, end, agency_code=agency, calendar=storage.calendar
            )
        finally:
            storage.close()
        if as_json:
            typer.echo(json.dumps(figures.to_dict(), ensure_ascii=False, indent=2))
        else:
            console = Console()
            console.print(_table(figures))
            console.print(figures.sentence())
