"""Working days: due dates from a procedure's statutory processing time.

Rules (document-types.yaml, Decree 61/2018): the time counts in working days, skipping
Saturdays, Sundays and the configured public holidays; a dossier received at or after 15:00, or
on a day off, counts from the next working day; 0 working days means due the same (counting)
day. A dossier is due at the close of business (17:00) of its due day. Vietnam has one time zone
and no daylight saving, so a fixed UTC+7 offset is exact.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7), "ICT")
CUTOFF = time(15, 0)
CLOSE_OF_BUSINESS = time(17, 0)


class WorkCalendar:
    """Which days are worked, and when a dossier is due."""

    def __init__(self, holidays: Iterable[date] = (), tz: timezone = VIETNAM) -> None:
        self.holidays = frozenset(holidays)
        self.tz = tz

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def next_working_day(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, day: date, count: int) -> date:
        """``count`` working days after the working day ``day``."""
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def counting_day(self, received_at: datetime) -> date:
        """The first day the processing time counts from."""
        local = to_aware(received_at).astimezone(self.tz)
        day = local.date()
        if not self.is_working_day(day) or local.time() >= CUTOFF:
            day = self.next_working_day(day)
        return day

    def due_at(self, received_at: datetime, working_days: int) -> datetime:
        """When a dossier received at ``received_at`` must be resolved (timezone-aware, UTC)."""
        if working_days < 0:
            raise ValueError(f"working days must be 0 or more, got {working_days}")
        due_day = self.add_working_days(self.counting_day(received_at), working_days)
        return datetime.combine(due_day, CLOSE_OF_BUSINESS, self.tz).astimezone(UTC)

    def local_day_start(self, day: date) -> datetime:
        return datetime.combine(day, time(0), self.tz).astimezone(UTC)


def to_aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value.isoformat()}: pass a timezone-aware datetime")
    return value
