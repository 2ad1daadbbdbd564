"""A dossier's life at the one-stop center, as a state machine with an append-only event log.

::

    received → processing → resolved ─┐
                  │    ↑       returned ┴→ result_issued → delivered
                  ↓    │
      supplement_requested ⇄ resubmitted → resolved | returned | processing

Every transition appends an :class:`~storage.models.Event`. Returning a dossier and requesting
a supplement need a reason for the applicant. When the applicant resubmits, the processing
time restarts from the resubmission (Decree 61/2018, art. 19).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from .access_codes import AccessCodeHasher
from .codes import next_sequence
from .database import SessionFactory
from .errors import (
    DossierNotFoundError,
    IllegalTransitionError,
    MissingReasonError,
    UnknownProcedureError,
)
from .keys import format_dossier_code, validate_agency_code
from .models import Agency, Dossier, Event, Procedure, utcnow
from .procedures import ProcedureSpec, sync_procedures
from .workdays import CLOSE_OF_BUSINESS, WorkCalendar, to_aware


class Status(StrEnum):
    RECEIVED = "received"
    PROCESSING = "processing"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    RESUBMITTED = "resubmitted"
    RESOLVED = "resolved"
    RETURNED = "returned"
    RESULT_ISSUED = "result_issued"
    DELIVERED = "delivered"


#: Statuses in which the dossier is still being worked on: documents may be added to it.
OPEN_STATUSES = frozenset(
    {Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.RESUBMITTED}
)


class Channel(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"


TRANSITIONS: Mapping[Status, frozenset[Status]] = {
    Status.RECEIVED: frozenset({Status.PROCESSING}),
    Status.PROCESSING: frozenset({Status.SUPPLEMENT_REQUESTED, Status.RESOLVED, Status.RETURNED}),
    Status.SUPPLEMENT_REQUESTED: frozenset({Status.RESUBMITTED}),
    Status.RESUBMITTED: frozenset(
        {Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.RESOLVED, Status.RETURNED}
    ),
    Status.RESOLVED: frozenset({Status.RESULT_ISSUED}),
    Status.RETURNED: frozenset({Status.RESULT_ISSUED}),
    Status.RESULT_ISSUED: frozenset({Status.DELIVERED}),
    Status.DELIVERED: frozenset(),
}
#: Statuses of dossiers still being worked on (they can become overdue).
OPEN_STATUSES = frozenset(
    {Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.RESUBMITTED}
)
_NEEDS_REASON = frozenset({Status.RETURNED, Status.SUPPLEMENT_REQUESTED})


@dataclass(frozen=True)
class NewDossier:
    """A freshly received dossier. ``access_code`` is shown once (on the receipt), never stored."""

    id: int
    code: str
    due_at: datetime
    access_code: str | None


class DossierService:
    """Receives dossiers, moves them through their lifecycle and lists what is due."""

    def __init__(
        self,
        sessions: SessionFactory,
        agency_code: str,
        calendar: WorkCalendar | None = None,
        hasher: AccessCodeHasher | None = None,
    ) -> None:
        self.sessions = sessions
        self.agency_code = validate_agency_code(agency_code)
        self.calendar = calendar or WorkCalendar()
        self.hasher = hasher or AccessCodeHasher()
        self._agency_ids: dict[str, int] = {}

    # -- configuration -------------------------------------------------------------------
    def sync_procedures(self, specs: Mapping[str, ProcedureSpec]) -> None:
        with self.sessions.begin() as session:
            sync_procedures(session, specs)

    def agency_id(self, code: str) -> int:
        """The id of agency ``code``, registering the agency on first use."""
        if code in self._agency_ids:
            return self._agency_ids[code]
        validate_agency_code(code)
        query = select(Agency.id).where(Agency.code == code)
        with self.sessions() as session:
            found = session.scalar(query)
        if found is None:
            try:
                with self.sessions.begin() as session:
                    session.add(Agency(code=code))
            except IntegrityError:
                pass  # created concurrently: fine
            with self.sessions() as session:
                found = session.scalar(query)
        assert found is not None
        self._agency_ids[code] = found
        return found

    # -- reception -----------------------------------------------------------------------
    def receive(
        self,
        procedure: str,
        applicant_name: str,
        channel: Channel | str,
        *,
        actor: str,
        received_at: datetime | None = None,
        pages_received: int | None = None,
        agency_code: str | None = None,
        issue_access_code: bool = True,
    ) -> NewDossier:
        """Register a dossier: its code, due date and (optionally) a citizen access code."""
        channel = Channel(channel)
        received_at = to_aware(received_at) if received_at else utcnow()
        if not applicant_name.strip():
            raise ValueError("applicant name is empty; type it as on the application form")
        access_code = self.hasher.new_code() if issue_access_code else None
        access_hash = self.hasher.hash(access_code) if access_code else None  # slow: no lock held
        agency = agency_code or self.agency_code
        agency_id = self.agency_id(agency)
        with self.sessions.begin() as session:
            proc = session.scalar(select(Procedure).where(Procedure.code == procedure))
            if proc is None:
                known = sorted(session.scalars(select(Procedure.code)))
                raise UnknownProcedureError(procedure, known)
            day = received_at.astimezone(self.calendar.tz).date()
            code = format_dossier_code(agency, day, next_sequence(session, agency_id, day))
            due_at = self.calendar.due_at(received_at, proc.working_days)
            dossier = Dossier(
                code=code,
                agency_id=agency_id,
                procedure_id=proc.id,
                applicant_name=" ".join(applicant_name.split()),
                channel=channel.value,
                received_at=received_at,
                due_at=due_at,
                status=Status.RECEIVED.value,
                pages_received=pages_received,
                access_code_hash=access_hash,
            )
            session.add(dossier)
            session.flush()
            session.add(
                Event(
                    actor=actor,
                    action="dossier.received",
                    dossier_id=dossier.id,
                    at=received_at,
                    details={"code": code, "procedure": procedure, "channel": channel.value},
                )
            )
            return NewDossier(dossier.id, code, due_at, access_code)

    # -- lookups -------------------------------------------------------------------------
    def get(self, code: str) -> Dossier:
        with self.sessions() as session:
            return _load(session, code)

    def verify_access_code(self, code: str, access_code: str) -> bool:
        """Whether ``access_code`` opens dossier ``code`` (False for unknown dossiers too)."""
        with self.sessions() as session:
            stored = session.scalar(select(Dossier.access_code_hash).where(Dossier.code == code))
        return bool(stored) and self.hasher.verify(access_code, stored)  # type: ignore[arg-type]

    def events(self, code: str) -> list[Event]:
        with self.sessions() as session:
            dossier = _load(session, code)
            return list(
                session.scalars(
                    select(Event).where(Event.dossier_id == dossier.id).order_by(Event.id)
                )
            )

    # -- lifecycle -----------------------------------------------------------------------
    def transition(
        self,
        code: str,
        target: Status | str,
        *,
        actor: str,
        reason: str | None = None,
        at: datetime | None = None,
    ) -> Dossier:
        """Move dossier ``code`` to ``target`` or raise :class:`IllegalTransitionError`."""
        target = Status(target)
        at = to_aware(at) if at else utcnow()
        if target in _NEEDS_REASON and not (reason and reason.strip()):
            raise MissingReasonError(
                f"dossier {code}: {target.value} needs a reason the applicant can act on"
            )
        with self.sessions.begin() as session:
            dossier = _load(session, code, for_update=True)
            current = Status(dossier.status)
            allowed = TRANSITIONS[current]
            if target not in allowed:
                raise IllegalTransitionError(code, current, target, sorted(allowed))
            details: dict[str, Any] = {"from": current.value, "to": target.value}
            if reason:
                details["reason"] = reason
            dossier.status = target.value
            if target in (Status.RESOLVED, Status.RETURNED):
                dossier.decided_at = at
                dossier.outcome = target.value
            if target is Status.RETURNED:
                dossier.return_reason = reason
            if target is Status.RESUBMITTED:
                dossier.due_at = self.calendar.due_at(at, dossier.procedure.working_days)
                details["due_at"] = dossier.due_at.isoformat()
            session.add(
                Event(actor=actor, action="dossier.status", dossier_id=dossier.id, at=at,
                      details=details)
            )  # fmt: skip
            return dossier

    def overdue(self, now: datetime | None = None, agency_code: str | None = None) -> list[Dossier]:
        """Open dossiers past their due time, most overdue first."""
        now = to_aware(now) if now else utcnow()
        return self._open_where(lambda q: q.where(Dossier.due_at < now), agency_code)

    def due_soon(
        self, now: datetime | None = None, working_days: int = 1, agency_code: str | None = None
    ) -> list[Dossier]:
        """Open dossiers not yet late but due by the close of ``working_days`` working days."""
        now = to_aware(now) if now else utcnow()
        today = now.astimezone(self.calendar.tz).date()
        if not self.calendar.is_working_day(today):
            today = self.calendar.next_working_day(today)
        horizon_day = self.calendar.add_working_days(today, working_days)
        horizon = datetime.combine(horizon_day, CLOSE_OF_BUSINESS, self.calendar.tz)
        return self._open_where(
            lambda q: q.where(Dossier.due_at >= now, Dossier.due_at <= horizon), agency_code
        )

    def _open_where(self, refine: Any, agency_code: str | None) -> list[Dossier]:
        query = select(Dossier).where(Dossier.status.in_([s.value for s in OPEN_STATUSES]))
        if agency_code:
            query = query.join(Agency).where(Agency.code == agency_code)
        query = refine(query).order_by(Dossier.due_at, Dossier.code)
        with self.sessions() as session:
            return list(session.scalars(query.options(selectinload(Dossier.procedure))))


def _load(session: Session, code: str, *, for_update: bool = False) -> Dossier:
    query = select(Dossier).where(Dossier.code == code).options(selectinload(Dossier.procedure))
    if for_update:
        query = query.with_for_update()
    dossier = session.scalar(query)
    if dossier is None:
        raise DossierNotFoundError(code)
    return dossier


def append_event(
    session: Session,
    actor: str,
    action: str,
    dossier_id: int | None = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    """The one way to log something that is not a status change (e.g. an object stored)."""
    session.add(
        Event(actor=actor, action=action, dossier_id=dossier_id, details=dict(details or {}))
    )
