"""A center's figures on a constructed set of dossiers, every number checked, and `hoso stats`."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storage import (
    AccessCodeHasher,
    LocalObjectStore,
    ProcedureSpec,
    Storage,
    dossier_stats,
    open_storage,
)

VN = timezone(timedelta(hours=7))
AGENCY = "000.00.13.H12"
OTHER = "G22.45.01.H56"
PROCEDURES = {
    "birth_registration": ProcedureSpec("birth_registration", 0),
    "driving_license_exchange": ProcedureSpec("driving_license_exchange", 5),
    "land_certificate_first_issue": ProcedureSpec("land_certificate_first_issue", 23),
}
EXPECTED_JULY = {
    "received_total": 6,
    "received_in_person": 3,
    "received_online": 3,
    "resolved_on_time": 1,
    "resolved_late": 1,
    "in_progress_on_time": 1,
    "in_progress_late": 2,
    "returned": 1,
    "on_time_rate": 50.0,
    "digitization_rate": 33.3,
}


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN)


def _document(st: Storage, tmp: Path, code: str, pages: int, n: int) -> None:
    pdf = tmp / f"doc{n}.pdf"
    pdf.write_bytes(b"%PDF " + code.encode() + bytes([n]))
    source = hashlib.sha256(f"scan {n}".encode()).hexdigest()
    st.archive.record_document(code, "other", pages, 1, {}, False, pdf, source, 1)


def build_july(st: Storage, tmp: Path) -> None:
    """Six July dossiers of AGENCY with known outcomes, plus two that must not be counted."""
    d = st.dossiers

    def receive(
        proc: str, channel: str, when: datetime, pages: int | None = None, agency: str = AGENCY
    ) -> str:
        return d.receive(
            proc, "Nguyễn Văn An", channel, actor="reception", received_at=when,
            pages_received=pages, agency_code=agency,
        ).code  # fmt: skip

    def move(code: str, *steps: tuple[str, datetime]) -> None:
        for status, when in steps:
            reason = "Không đủ điều kiện" if status == "returned" else None
            d.transition(code, status, actor="officer", at=when, reason=reason)

    # 1 in person, same-day procedure, resolved on time, both paper pages digitized
    c1 = receive("birth_registration", "in_person", at(2025, 7, 1, 9), pages=2)
    move(c1, ("processing", at(2025, 7, 1, 9, 30)), ("resolved", at(2025, 7, 1, 11)),
         ("result_issued", at(2025, 7, 1, 11, 5)), ("delivered", at(2025, 7, 2, 8)))  # fmt: skip
    _document(st, tmp, c1, 2, 1)
    # 2 online, due 8 July 17:00, resolved on the 10th: late; nothing digitized
    c2 = receive("driving_license_exchange", "online", at(2025, 7, 1, 9))
    move(c2, ("processing", at(2025, 7, 2, 9)), ("resolved", at(2025, 7, 10, 9)))
    # 3 online, 23 working days from 30 July: still in progress, on time
    receive("land_certificate_first_issue", "online", at(2025, 7, 30, 10))
    # 4 in person, due 9 July, never decided: in progress, late; 1 of 3 pages digitized
    c4 = receive("driving_license_exchange", "in_person", at(2025, 7, 2, 10), pages=3)
    d.transition(c4, "processing", actor="officer", at=at(2025, 7, 2, 11))
    _document(st, tmp, c4, 1, 4)
    # 5 in person, returned for not meeting the conditions; its document counts as digitized
    c5 = receive("birth_registration", "in_person", at(2025, 7, 3, 8))
    move(c5, ("processing", at(2025, 7, 3, 8, 30)), ("returned", at(2025, 7, 3, 10)))
    _document(st, tmp, c5, 1, 5)
    # 6 online, due 25 July, resolved 5 August: at the end of July it was in progress, late
    c6 = receive("driving_license_exchange", "online", at(2025, 7, 18, 10))
    move(c6, ("processing", at(2025, 7, 18, 11)), ("resolved", at(2025, 8, 5, 9)))
    # not counted: received in June, and received by another agency
    receive("birth_registration", "online", at(2025, 6, 30, 23, 59))
    receive("birth_registration", "in_person", at(2025, 7, 15, 9), agency=OTHER)


@pytest.fixture
def st(db_url: str, tmp_path: Path) -> Iterator[Storage]:
    storage = open_storage(
        db_url, LocalObjectStore(tmp_path / "objects"), agency_code=AGENCY,
        procedures=PROCEDURES, hasher=AccessCodeHasher(n=2**8),
    )  # fmt: skip
    build_july(storage, tmp_path)
    yield storage
    storage.close()


def test_every_figure(st: Storage) -> None:
    stats = dossier_stats(
        st.sessions, date(2025, 7, 1), date(2025, 7, 31), agency_code=AGENCY, now=at(2025, 8, 15)
    )
    figures = stats.to_dict()
    assert {k: figures[k] for k in EXPECTED_JULY} == EXPECTED_JULY
    assert stats.received_total == stats.resolved_total + stats.in_progress_total + stats.returned
    assert stats.sentence() == (
        "6 dossiers received (3 in person, 3 online); 2 resolved (1 on time, 1 late); "
        "3 in progress (1 on time, 2 late); 1 returned for not meeting the conditions; "
        "on-time rate 50 %"
    )


def test_figures_depend_on_period_agency_and_time(st: Storage) -> None:
    everyone = dossier_stats(st.sessions, date(2025, 7, 1), date(2025, 7, 31), now=at(2025, 8, 15))
    assert everyone.received_total == 7 and everyone.received_in_person == 4
    # Seen on 8 July: dossier 2 is not late yet, 4 not yet due (due 9 July), 6 not yet due.
    early = dossier_stats(
        st.sessions, date(2025, 7, 1), date(2025, 7, 31), agency_code=AGENCY, now=at(2025, 7, 8, 12)
    )
    assert (early.received_total, early.in_progress_on_time, early.in_progress_late) == (4, 2, 0)
    assert (early.resolved_on_time, early.returned, early.on_time_rate) == (1, 1, 100.0)
    one_day = dossier_stats(st.sessions, date(2025, 6, 30), date(2025, 6, 30), now=at(2025, 8, 15))
    assert (one_day.received_total, one_day.received_online) == (1, 1)
    empty = dossier_stats(st.sessions, date(2024, 1, 1), date(2024, 1, 31))
    assert (
        empty.received_total == 0 and empty.on_time_rate is None and empty.digitization_rate is None
    )
    with pytest.raises(ValueError, match="before it starts"):
        dossier_stats(st.sessions, date(2025, 7, 31), date(2025, 7, 1))


def test_hoso_stats_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from api.cli import app
    from api.settings import get_settings

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    storage = open_storage(
        url, LocalObjectStore(tmp_path / "objects"), agency_code=AGENCY, procedures=PROCEDURES,
        hasher=AccessCodeHasher(n=2**8),
    )  # fmt: skip
    build_july(storage, tmp_path)
    storage.close()
    monkeypatch.setenv("HOSO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("HOSO_DATABASE_URL", url)
    monkeypatch.setenv("HOSO_AGENCY_CODE", AGENCY)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        args = ["stats", "--agency", AGENCY, "--from", "2025-07-01", "--to", "2025-07-31"]
        result = runner.invoke(app, [*args, "--json"])
        assert result.exit_code == 0, result.output
        figures = json.loads(result.stdout)
        assert {k: figures[k] for k in EXPECTED_JULY} == EXPECTED_JULY
        table = runner.invoke(app, args)
        assert table.exit_code == 0, table.output
        assert "6 dossiers received (3 in person, 3 online)" in " ".join(table.stdout.split())
        bad = runner.invoke(app, ["stats", "--from", "2025-07-31", "--to", "2025-07-01"])
        assert bad.exit_code != 0 and "before" in bad.output
        bad_date = runner.invoke(app, ["stats", "--from", "31/07/2025"])
        assert bad_date.exit_code != 0
    finally:
        get_settings.cache_clear()
