"""Engines, sessions and migrations: one URL in, a migrated database and a session factory out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"

SessionFactory = sessionmaker[Session]


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and serialised writers.

    SQLite transactions start with ``BEGIN IMMEDIATE`` so two writers queue on the busy
    timeout instead of failing with "database is locked" when a read turns into a write.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def session_factory(engine: Engine) -> SessionFactory:
    """Sessions whose objects stay readable after commit (they are handed to callers)."""
    return sessionmaker(engine, expire_on_commit=False)


def upgrade_database(url_or_engine: str | Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` with the migrations shipped in the package."""
    engine = make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    from alembic import command  # here: Alembic costs 0.3 s to import, migrations are rare
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    if isinstance(url_or_engine, str):
        engine.dispose()
