"""A center's figures for a period, as reported to the province (see docs/storage.md).

Counted over the dossiers *received* in the period, each in its state as of the period's end
(or now, if the period has not ended): so the parts add up, received = resolved + returned +
in progress, and a past period's figures do not change when old dossiers move on.

- resolved on time: decided ``resolved`` no later than its due time; else late.
- in progress on time: not decided yet and its due time has not passed; else late.
- returned: decided ``returned`` (did not meet the conditions).
- on-time rate: resolved on time / resolved, in percent (None when nothing was resolved).
- digitization rate: dossiers whose every page is digitized / received, in percent; a dossier
  is digitized when it has documents and, if the number of paper pages received was recorded,
  its documents cover at least that many pages.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from .database import SessionFactory
from .lifecycle import Channel, Status
from .models import Agency, Document, Dossier, utcnow
from .workdays import WorkCalendar


@dataclass(frozen=True)
class DossierStats:
    agency: str | None
    period_from: date
    period_to: date
    as_of: datetime
    received_total: int
    received_in_person: int
    received_online: int
    resolved_on_time: int
    resolved_late: int
    in_progress_on_time: int
    in_progress_late: int
    returned: int
    on_time_rate: float | None
    digitization_rate: float | None

    @property
    def resolved_total(self) -> int:
        return self.resolved_on_time + self.resolved_late

    @property
    def in_progress_total(self) -> int:
        return self.in_progress_on_time + self.in_progress_late

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = asdict(self)
        data.update(
            period_from=self.period_from.isoformat(),
            period_to=self.period_to.isoformat(),
            as_of=self.as_of.isoformat(),
            resolved_total=self.resolved_total,
            in_progress_total=self.in_progress_total,
        )
        return data

    def sentence(self) -> str:
        """The figures as centers write them in their reports."""
        rate = "n/a" if self.on_time_rate is None else f"{self.on_time_rate:g} %"
        return (
            f"{self.received_total} dossiers received ({self.received_in_person} in person, "
            f"{self.received_online} online); {self.resolved_total} resolved "
            f"({self.resolved_on_time} on time, {self.resolved_late} late); "
            f"{self.in_progress_total} in progress ({self.in_progress_on_time} on time, "
            f"{self.in_progress_late} late); {self.returned} returned for not meeting the "
            f"conditions; on-time rate {rate}"
        )


def _percent(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100.0 * part / whole, 1)


def dossier_stats(
    sessions: SessionFactory,
    period_from: date,
    period_to: date,
    *,
    agency_code: str | None = None,
    calendar: WorkCalendar | None = None,
    now: datetime | None = None,
) -> DossierStats:
    """Figures for dossiers received ``period_from``..``period_to`` (inclusive local days)."""
    if period_to < period_from:
        raise ValueError(f"period ends ({period_to}) before it starts ({period_from})")
    calendar = calendar or WorkCalendar()
    start = calendar.local_day_start(period_from)
    end = calendar.local_day_start(period_to + timedelta(days=1))
    as_of = min(now or utcnow(), end)

    pages = (
        select(Document.dossier_id, func.sum(Document.page_count).label("pages"))
        .where(Document.dossier_id.is_not(None))
        .group_by(Document.dossier_id)
        .subquery()
    )
    query = (
        select(
            Dossier.channel,
            Dossier.due_at,
            Dossier.decided_at,
            Dossier.outcome,
            Dossier.pages_received,
            pages.c.pages,
        )
        .outerjoin(pages, pages.c.dossier_id == Dossier.id)
        .where(Dossier.received_at >= start, Dossier.received_at < end)
        .where(Dossier.received_at <= as_of)
    )
    if agency_code:
        query = query.join(Agency, Agency.id == Dossier.agency_id).where(Agency.code == agency_code)

    counts = dict.fromkeys(
        ("in_person", "online", "res_on", "res_late", "prog_on", "prog_late", "returned", "dig"), 0
    )
    with sessions() as session:
        rows = session.execute(query).all()
    for channel, due_at, decided_at, outcome, pages_received, pages_stored in rows:
        counts["in_person" if channel == Channel.IN_PERSON else "online"] += 1
        decided = decided_at is not None and decided_at <= as_of
        if decided and outcome == Status.RETURNED:
            counts["returned"] += 1
        elif decided:
            counts["res_on" if decided_at <= due_at else "res_late"] += 1
        else:
            counts["prog_on" if as_of <= due_at else "prog_late"] += 1
        if pages_stored and (pages_received is None or pages_stored >= pages_received):
            counts["dig"] += 1

    total = len(rows)
    resolved = counts["res_on"] + counts["res_late"]
    return DossierStats(
        agency=agency_code,
        period_from=period_from,
        period_to=period_to,
        as_of=as_of,
        received_total=total,
        received_in_person=counts["in_person"],
        received_online=counts["online"],
        resolved_on_time=counts["res_on"],
        resolved_late=counts["res_late"],
        in_progress_on_time=counts["prog_on"],
        in_progress_late=counts["prog_late"],
        returned=counts["returned"],
        on_time_rate=_percent(counts["res_on"], resolved),
        digitization_rate=_percent(counts["dig"], total),
    )
