"""API keys: who may call the HTTP API, with which role. Only a SHA-256 of each key is stored.

A key looks like ``hoso_<id>_<secret>``: ``<id>`` (public, 8 characters) finds the row, the whole
key's SHA-256 is compared in constant time. The secret has 256 bits of entropy, so a plain hash
is as strong as a slow password hash would be, and checking a key costs microseconds.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from .errors import StorageError
from .models import Base, utcnow

ROLES = ("integrator", "scanner", "officer", "manager", "admin")
KEY_PREFIX = "hoso"


class UnknownRoleError(StorageError, ValueError):
    """An API key was asked for with a role that does not exist."""

    def __init__(self, role: str) -> None:
        self.role = role
        super().__init__(f"unknown role {role!r}; choose one of: {', '.join(ROLES)}")


class ApiKey(Base):
    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_api_key(session: Session, name: str, role: str) -> tuple[ApiKey, str]:
    """A new key row and the key itself; the caller shows the key once, it is not kept."""
    if role not in ROLES:
        raise UnknownRoleError(role)
    key_id = secrets.token_hex(4)
    key = f"{KEY_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
    row = ApiKey(key_id=key_id, key_hash=_hash(key), name=name, role=role)
    session.add(row)
    session.flush()
    return row, key


def find_api_key(session: Session, presented: str) -> ApiKey | None:
    """The live key row matching ``presented``, or None (unknown, malformed or revoked)."""
    parts = presented.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        return None
    row = session.scalar(select(ApiKey).where(ApiKey.key_id == parts[1]))
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.key_hash, _hash(presented)):
        return None
    return row


def revoke_api_key(session: Session, key_id: str) -> ApiKey | None:
    """Revoke by public id; returns the row, or None when no key has that id."""
    row = session.scalar(select(ApiKey).where(ApiKey.key_id == key_id))
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


def list_api_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.id)))
