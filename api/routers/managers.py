"""Managers: the center's figures for a period and the lists of late and nearly late dossiers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import Manager, StateDep
from api.errors import ApiError, error_responses
from api.schemas import OverdueItem, StatsOut
from storage.models import Dossier, utcnow
from storage.stats import dossier_stats
from storage.workdays import VIETNAM

router = APIRouter(tags=["managers"])


@router.get("/stats", response_model=StatsOut, responses=error_responses(401, 403, 422))
def statistics(
    state: StateDep,
    _who: Manager,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    agency: Annotated[str | None, Query(max_length=32)] = None,
) -> StatsOut:
    """Received (by channel), resolved and in progress on time or late, returned, rates."""
    today = datetime.now(VIETNAM).date()
    start = date_from or today.replace(day=1)
    end = date_to or max(today, start)
    if end < start:
        raise ApiError(422, "validation_error", f"'to' ({end}) is before 'from' ({start})")
    figures = dossier_stats(
        state.storage.sessions, start, end, agency_code=agency, calendar=state.storage.calendar
    )
    return StatsOut.model_validate({**figures.to_dict(), "summary": figures.sentence()})


def _item(dossier: Dossier, now: datetime) -> OverdueItem:
    return OverdueItem(
        code=dossier.code,
        procedure=dossier.procedure.code,
        applicant_name=dossier.applicant_name,
        status=dossier.status,  # type: ignore[arg-type]
        due_at=dossier.due_at,
        days_late=round(max(0.0, (now - dossier.due_at).total_seconds() / 86400), 2),
    )


@router.get("/overdue", response_model=list[OverdueItem], responses=error_responses(401, 403))
def overdue(
    state: StateDep,
    _who: Manager,
    agency: Annotated[str | None, Query(max_length=32)] = None,
) -> list[OverdueItem]:
    """Open dossiers past their due time, most overdue first."""
    now = utcnow()
    return [_item(d, now) for d in state.storage.dossiers.overdue(now, agency_code=agency)]


@router.get("/due-soon", response_model=list[OverdueItem], responses=error_responses(401, 403))
def due_soon(
    state: StateDep,
    _who: Manager,
    working_days: Annotated[int, Query(ge=0, le=60)] = 1,
    agency: Annotated[str | None, Query(max_length=32)] = None,
) -> list[OverdueItem]:
    """Open dossiers not late yet but due within ``working_days`` working days."""
    now = utcnow()
    return [
        _item(d, now)
        for d in state.storage.dossiers.due_soon(now, working_days, agency_code=agency)
    ]
