"""Dossiers: codes, due dates, lifecycle and the event log, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from storage import (
    AccessCodeHasher,
    DossierNotFoundError,
    IllegalTransitionError,
    InvalidDossierCodeError,
    LocalObjectStore,
    MissingReasonError,
    ProcedureSpec,
    Status,
    Storage,
    UnknownProcedureError,
    WorkCalendar,
    open_storage,
)
from storage.keys import validate_dossier_code

VN = timezone(timedelta(hours=7))
AGENCY = "000.00.13.H12"
PROCEDURES = {
    "birth_registration": ProcedureSpec("birth_registration", 0),
    "driving_license_exchange": ProcedureSpec("driving_license_exchange", 5),
    "land_certificate_first_issue": ProcedureSpec("land_certificate_first_issue", 23),
}
FAST_HASHER = AccessCodeHasher(n=2**8)  # real scrypt, test-sized cost


@pytest.fixture
def st(db_url: str, tmp_path: Path) -> Iterator[Storage]:
    storage = open_storage(
        db_url, LocalObjectStore(tmp_path / "objects"), agency_code=AGENCY,
        holidays=[date(2025, 9, 1), date(2025, 9, 2)], procedures=PROCEDURES, hasher=FAST_HASHER,
    )  # fmt: skip
    yield storage
    storage.close()


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN)


# -- due dates (pure calendar) ----------------------------------------------------------
CAL = WorkCalendar([date(2025, 9, 1), date(2025, 9, 2)])


@pytest.mark.parametrize(
    ("received", "days", "due_day"),
    [
        (at(2025, 7, 1, 9, 0), 0, date(2025, 7, 1)),  # Tuesday morning, same day
        (at(2025, 7, 1, 15, 0), 0, date(2025, 7, 2)),  # 15:00 counts from the next day
        (at(2025, 7, 4, 16, 30), 0, date(2025, 7, 7)),  # Friday afternoon → Monday
        (at(2025, 7, 5, 10, 0), 0, date(2025, 7, 7)),  # Saturday → Monday
        (at(2025, 7, 4, 10, 0), 5, date(2025, 7, 11)),  # Fri + 5 working days skips a weekend
        (at(2025, 8, 29, 10, 0), 3, date(2025, 9, 5)),  # Fri, then Mon-Tue national holidays
        (at(2025, 8, 29, 16, 0), 0, date(2025, 9, 3)),  # late Friday before the holidays
        (at(2025, 7, 1, 14, 59), 23, date(2025, 8, 1)),
    ],
)
def test_due_dates(received: datetime, days: int, due_day: date) -> None:
    due = CAL.due_at(received, days)
    assert due.astimezone(VN).date() == due_day
    assert due.astimezone(VN).hour == 17


def test_due_date_rejects_naive_times() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.due_at(datetime(2025, 7, 1, 9), 1)


# -- codes ------------------------------------------------------------------------------
def test_codes_are_sequential_per_agency_and_day(st: Storage) -> None:
    d = st.dossiers
    a = d.receive(
        "birth_registration", "Lê Văn Bình", "in_person", actor="o", received_at=at(2025, 7, 1, 8)
    )
    b = d.receive(
        "birth_registration",
        "Trần Thị Cúc",
        "online",
        actor="o",
        received_at=at(2025, 7, 1, 23, 30),
    )
    c = d.receive(
        "birth_registration",
        "Phạm Văn Dũng",
        "online",
        actor="o",
        received_at=at(2025, 7, 2, 0, 30),
    )
    e = d.receive(
        "birth_registration", "Đỗ Thị Én", "in_person", actor="o", received_at=at(2025, 7, 1, 9),
        agency_code="G22.45.01.H56",
    )  # fmt: skip
    assert a.code == "000.00.13.H12-250701-0001"
    assert b.code == "000.00.13.H12-250701-0002"  # the local (UTC+7) day, not the UTC one
    assert c.code == "000.00.13.H12-250702-0001"
    assert e.code == "G22.45.01.H56-250701-0001"
    for code in (a.code, b.code, c.code, e.code):
        validate_dossier_code(code)


def test_unknown_procedure_creates_nothing(st: Storage) -> None:
    with pytest.raises(UnknownProcedureError, match="birth_registration"):
        st.dossiers.receive("no_such_procedure", "Lê Văn Bình", "online", actor="o")
    ok = st.dossiers.receive("birth_registration", "Lê Văn Bình", "online", actor="o")
    assert ok.code.endswith("-0001"), "a failed creation must not consume a number"


def test_bad_codes_and_unknown_dossiers(st: Storage) -> None:
    with pytest.raises(InvalidDossierCodeError):
        validate_dossier_code("000.00.13.H12-2507-0001")
    with pytest.raises(DossierNotFoundError, match=re.escape("000.00.13.H12-250701-0099")):
        st.dossiers.get("000.00.13.H12-250701-0099")
    with pytest.raises(DossierNotFoundError):
        st.dossiers.transition("000.00.13.H12-250701-0099", "processing", actor="o")


def test_concurrent_creation_is_gap_free(st: Storage, db_url: str) -> None:
    if db_url.startswith("sqlite"):
        threads, each = 4, 10  # SQLite serialises writers; PostgreSQL gets the full load
    else:
        threads, each = 8, 25
    codes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def work() -> None:
        try:
            start.wait()
            for _ in range(each):
                new = st.dossiers.receive(
                    "driving_license_exchange", "Nguyễn Văn An", "online", actor="portal",
                    received_at=at(2025, 7, 1, 10), issue_access_code=False,
                )  # fmt: skip
                with lock:
                    codes.append(new.code)
        except BaseException as exc:  # reported below
            errors.append(exc)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors, errors
    total = threads * each
    assert sorted(codes) == [f"{AGENCY}-250701-{n:04d}" for n in range(1, total + 1)]


# -- lifecycle --------------------------------------------------------------------------
def test_full_lifecycle_appends_events(st: Storage) -> None:
    d = st.dossiers
    new = d.receive(
        "driving_license_exchange", "Nguyễn Văn An", "in_person", actor="officer.lan",
        received_at=at(2025, 7, 1, 9),
    )  # fmt: skip
    assert new.due_at == at(2025, 7, 8, 17)
    d.transition(new.code, "processing", actor="officer.lan", at=at(2025, 7, 1, 10))
    d.transition(
        new.code, Status.SUPPLEMENT_REQUESTED, actor="officer.minh",
        reason="Thiếu bản sao giấy phép lái xe", at=at(2025, 7, 2, 10),
    )  # fmt: skip
    resub = d.transition(new.code, "resubmitted", actor="citizen", at=at(2025, 7, 4, 16))
    assert resub.due_at == at(2025, 7, 14, 17), "time restarts from the resubmission"
    d.transition(new.code, "resolved", actor="officer.minh", at=at(2025, 7, 9, 11))
    d.transition(new.code, "result_issued", actor="officer.minh", at=at(2025, 7, 9, 14))
    final = d.transition(new.code, "delivered", actor="officer.lan", at=at(2025, 7, 10, 9))
    assert final.status == "delivered" and final.outcome == "resolved"
    assert final.decided_at == at(2025, 7, 9, 11)

    events = d.events(new.code)
    assert [e.action for e in events] == ["dossier.received"] + ["dossier.status"] * 6
    assert [e.details.get("to") for e in events[1:]] == [
        "processing", "supplement_requested", "resubmitted", "resolved", "result_issued",
        "delivered",
    ]  # fmt: skip
    assert events[2].details["reason"] == "Thiếu bản sao giấy phép lái xe"
    assert events[2].actor == "officer.minh"

    with pytest.raises(IllegalTransitionError, match="delivered"):
        d.transition(new.code, "processing", actor="x")


def test_illegal_transitions_and_reasons(st: Storage) -> None:
    d = st.dossiers
    code = d.receive("birth_registration", "Lê Văn Bình", "online", actor="o").code
    with pytest.raises(IllegalTransitionError, match="allowed next: processing") as err:
        d.transition(code, "resolved", actor="o")
    assert err.value.current == "received" and err.value.target == "resolved"
    with pytest.raises(ValueError):
        d.transition(code, "archived", actor="o")
    d.transition(code, "processing", actor="o")
    with pytest.raises(MissingReasonError):
        d.transition(code, "returned", actor="o", reason="  ")
    assert d.get(code).status == "processing", "a refused transition changes nothing"
    returned = d.transition(code, "returned", actor="o", reason="Không đủ điều kiện")
    assert returned.return_reason == "Không đủ điều kiện" and returned.outcome == "returned"
    assert [e.action for e in d.events(code)].count("dossier.status") == 2


def test_access_code_is_hashed_and_verifiable(st: Storage) -> None:
    new = st.dossiers.receive("birth_registration", "Lê Văn Bình", "online", actor="o")
    assert new.access_code and len(new.access_code) == 8
    stored = st.dossiers.get(new.code).access_code_hash
    assert stored and new.access_code not in stored and stored.startswith("scrypt$")
    assert st.dossiers.verify_access_code(new.code, new.access_code.lower())
    assert not st.dossiers.verify_access_code(new.code, "WRONG123")
    assert not st.dossiers.verify_access_code("000.00.13.H12-250101-0001", new.access_code)


def test_overdue_and_due_soon(st: Storage) -> None:
    d = st.dossiers
    late = d.receive("birth_registration", "A", "online", actor="o", received_at=at(2025, 7, 1, 9))
    soon = d.receive(
        "driving_license_exchange", "B", "online", actor="o", received_at=at(2025, 7, 1, 9)
    )
    later = d.receive(
        "land_certificate_first_issue", "C", "online", actor="o", received_at=at(2025, 7, 1, 9)
    )
    done = d.receive("birth_registration", "D", "online", actor="o", received_at=at(2025, 7, 1, 9))
    d.transition(done.code, "processing", actor="o")
    d.transition(done.code, "resolved", actor="o", at=at(2025, 7, 1, 10))
    now = at(2025, 7, 7, 9)  # Monday; "soon" is due Tuesday 8 July 17:00
    assert [x.code for x in d.overdue(now)] == [late.code]
    assert [x.code for x in d.due_soon(now, working_days=1)] == [soon.code]
    assert [x.code for x in d.due_soon(now, working_days=0)] == []
    assert later.code not in [x.code for x in d.due_soon(now, working_days=5)]
    assert d.overdue(now, agency_code="G22.45.01.H56") == []


def test_event_log_is_append_only_in_the_database(st: Storage) -> None:
    code = st.dossiers.receive("birth_registration", "Lê Văn Bình", "online", actor="o").code
    for statement in ("UPDATE event SET actor = 'mallory'", "DELETE FROM event"):
        with pytest.raises(DBAPIError, match="append-only"), st.engine.begin() as conn:
            conn.execute(text(statement))
    assert [e.actor for e in st.dossiers.events(code)] == ["o"]
