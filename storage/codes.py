"""Dossier codes, gap-free and unique per agency and day, even under concurrent requests.

The counter row for (agency, day) is incremented with one upsert ``... RETURNING last_seq``
in the same transaction that inserts the dossier: the row lock serialises concurrent
creators, and a failed insert rolls the increment back, so numbers are never skipped.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .models import DossierCounter


def next_sequence(session: Session, agency_id: int, day: date) -> int:
    """Take the next number for ``agency_id`` on ``day``; commit with the dossier that uses it."""
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        module = postgresql if dialect == "postgresql" else sqlite
        stmt = (
            module.insert(DossierCounter)
            .values(agency_id=agency_id, day=day, last_seq=1)
            .on_conflict_do_update(
                index_elements=[DossierCounter.agency_id, DossierCounter.day],
                set_={"last_seq": DossierCounter.last_seq + 1},
            )
            .returning(DossierCounter.last_seq)
        )
        return int(session.execute(stmt).scalar_one())
    # Other databases: lock the row (creating it first if needed), then increment.
    row = session.execute(
        select(DossierCounter)
        .where(DossierCounter.agency_id == agency_id, DossierCounter.day == day)
        .with_for_update()
    ).scalar_one_or_none()
    if row is None:
        session.add(DossierCounter(agency_id=agency_id, day=day, last_seq=1))
        session.flush()
        return 1
    session.execute(
        update(DossierCounter)
        .where(DossierCounter.agency_id == agency_id, DossierCounter.day == day)
        .values(last_seq=DossierCounter.last_seq + 1)
    )
    session.refresh(row)
    return row.last_seq
