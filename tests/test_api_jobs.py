"""Job records, API keys and the access-code limiter, on SQLite and PostgreSQL and real Redis."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from api.auth import MemoryLimiter, Principal, RedisLimiter, authorize
from api.errors import ApiError
from storage.apikeys import (
    ApiKey,
    UnknownRoleError,
    create_api_key,
    find_api_key,
    revoke_api_key,
)
from storage.database import SessionFactory, make_engine, session_factory, upgrade_database
from storage.jobs import (
    IdempotencyConflictError,
    Job,
    claim_job,
    create_or_get_job,
    finish_job,
    get_job,
    release_job,
    renew_lease,
    unfinished_jobs,
)
from storage.models import utcnow

pytestmark = pytest.mark.xdist_group("api-jobs")


@pytest.fixture
def sessions(db_url: str) -> Iterator[SessionFactory]:
    engine = make_engine(db_url)
    upgrade_database(engine)
    yield session_factory(engine)
    engine.dispose()


def _job(session: Session, sha: str = "a" * 64, key: str | None = None) -> tuple[Job, bool]:
    return create_or_get_job(
        session,
        kind="upload",
        dossier_code=None,
        source_key=f"unassigned/originals/{sha}.png",
        source_sha256=sha,
        source_size=10,
        filename="s.png",
        created_by="test",
        idempotency_key=key,
    )


def test_same_content_same_job_and_idempotency_conflicts(sessions: SessionFactory) -> None:
    with sessions() as session:
        first, created = _job(session, key="k1")
        session.commit()
        again, created_again = _job(session, key="k1")
        other_key, created_other = _job(session, key="k2")  # same content, new key
        assert created and not created_again and not created_other
        assert first.id == again.id == other_key.id
        with pytest.raises(IdempotencyConflictError, match="k1"):
            _job(session, sha="b" * 64, key="k1")


def test_only_one_worker_wins_a_claim(sessions: SessionFactory) -> None:
    with sessions() as session:
        job, _ = _job(session)
        session.commit()
        job_id = job.id

    def claim(owner: str) -> bool:
        with sessions() as session:
            return claim_job(session, job_id, owner, 60).won

    with ThreadPoolExecutor(4) as pool:
        wins = list(pool.map(claim, [f"w{i}" for i in range(4)]))
    assert wins.count(True) == 1
    with sessions() as session:
        busy = claim_job(session, job_id, "late", 60)
        assert not busy.won and not busy.finished and busy.retry_after > 30
        assert get_job(session, job_id).attempts == 1


def test_expired_lease_is_taken_over_and_the_old_owner_is_locked_out(
    sessions: SessionFactory,
) -> None:
    with sessions() as session:
        job, _ = _job(session)
        session.commit()
        assert claim_job(session, job.id, "dead", 60).won
        session.execute(
            update(Job).where(Job.id == job.id).values(lease_until=utcnow() - timedelta(seconds=1))
        )
        session.commit()
        assert [j.id for j in unfinished_jobs(session)] == [job.id]
        assert claim_job(session, job.id, "alive", 60).won
        assert not renew_lease(session, job.id, "dead", 60, 1, 2)  # the dead one cannot write
        assert not finish_job(session, job.id, "dead", result={"page_count": 2})
        assert renew_lease(session, job.id, "alive", 60, 1, 2)
        assert finish_job(session, job.id, "alive", result={"page_count": 2})
        session.expire_all()
        done = get_job(session, job.id)
        assert (done.status, done.attempts, done.pages_done) == ("succeeded", 2, 2)
        assert claim_job(session, job.id, "third", 60).finished
        assert unfinished_jobs(session) == []


def test_released_job_is_queued_again(sessions: SessionFactory) -> None:
    with sessions() as session:
        job, _ = _job(session)
        session.commit()
        assert claim_job(session, job.id, "w", 60).won
        assert release_job(session, job.id, "w")
        session.expire_all()
        assert get_job(session, job.id).status == "queued"
        assert claim_job(session, job.id, "w2", 60).won


def test_api_keys_are_stored_hashed_and_revocable(sessions: SessionFactory) -> None:
    with sessions.begin() as session:
        row, key = create_api_key(session, "cổng dịch vụ công", "integrator")
        key_id = row.key_id
    with sessions() as session:
        stored = session.get(ApiKey, row.id)
        assert key not in (stored.key_hash, stored.key_id) and len(stored.key_hash) == 64
        assert find_api_key(session, key).role == "integrator"
        assert find_api_key(session, key[:-1] + ("A" if key[-1] != "A" else "B")) is None
        assert find_api_key(session, "not-a-key") is None
    with sessions.begin() as session:
        revoke_api_key(session, key_id)
    with sessions() as session:
        assert find_api_key(session, key) is None
        with pytest.raises(UnknownRoleError, match="integrator, scanner"):
            create_api_key(session, "x", "superuser")


def test_roles() -> None:
    officer = Principal("k", "lan", "officer")
    assert authorize(officer, ("officer",)) is officer
    assert authorize(Principal("k", "root", "admin"), ("officer",)).role == "admin"
    with pytest.raises(ApiError) as denied:
        authorize(officer, ("manager",))
    assert denied.value.status == 403 and "manager" in denied.value.message
    with pytest.raises(ApiError) as missing:
        authorize(None, ("officer",))
    assert missing.value.status == 401


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_limiter_blocks_after_failures_and_resets(
    backend: str, request: pytest.FixtureRequest
) -> None:
    if backend == "redis":
        limiter = RedisLimiter(request.getfixturevalue("redis_url"), 3, 60)
    else:
        limiter = MemoryLimiter(3, 60)
    key = f"000.00.77.H77-250101-0001|10.0.0.{uuid.uuid4().int % 250}"
    for _ in range(3):
        assert limiter.retry_after(key) == 0
        limiter.failed(key)
    wait = limiter.retry_after(key)
    assert 0 < wait <= 61
    assert limiter.retry_after(key + "x") == 0  # other dossiers and clients unaffected
    limiter.succeeded(key)
    assert limiter.retry_after(key) == 0


def test_memory_limiter_window_expires() -> None:
    limiter = MemoryLimiter(1, 1)
    limiter.failed("k")
    assert limiter.retry_after("k") >= 1
    time.sleep(1.1)
    assert limiter.retry_after("k") == 0


def test_migrations_have_a_single_head() -> None:
    """The API's tables migrate after storage's: two heads would stop every start."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from storage.database import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"migration heads {heads}: set the newer one's down_revision"
