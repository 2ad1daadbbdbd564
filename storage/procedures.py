"""Procedures a dossier can be for, with their statutory processing time in working days."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from .errors import StorageError
from .models import Procedure


@dataclass(frozen=True)
class ProcedureSpec:
    code: str
    working_days: int
    name: str | None = None
    opening_document: str | None = None


def load_procedures(taxonomy_file: Path) -> dict[str, ProcedureSpec]:
    """The ``procedures:`` section of a document-types YAML file."""
    try:
        data = yaml.safe_load(Path(taxonomy_file).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise StorageError(f"cannot read procedures from {taxonomy_file}: {exc}") from exc
    specs: dict[str, ProcedureSpec] = {}
    for code, entry in (data.get("procedures") or {}).items():
        if not isinstance(entry, Mapping) or not isinstance(entry.get("working_days"), int):
            raise StorageError(
                f"{taxonomy_file}: procedure {code!r} needs an integer 'working_days'"
            )
        specs[code] = ProcedureSpec(
            code=code,
            working_days=entry["working_days"],
            name=entry.get("name") or next(iter(entry.get("names") or []), None),
            opening_document=entry.get("opening_document"),
        )
    return specs


def sync_procedures(session: Session, specs: Mapping[str, ProcedureSpec]) -> None:
    """Insert new procedures and update changed ones; never delete (old dossiers refer to them).

    A changed processing time applies to dossiers received from now on: due dates already
    given to applicants stay as printed on their receipts.
    """

    existing = {p.code: p for p in session.scalars(select(Procedure))}
    for spec in specs.values():
        row = existing.get(spec.code)
        name = spec.name or spec.code.replace("_", " ")
        if row is None:
            session.add(
                Procedure(
                    code=spec.code,
                    name=name,
                    working_days=spec.working_days,
                    opening_document=spec.opening_document,
                )
            )
        else:
            row.name, row.working_days = name, spec.working_days
            row.opening_document = spec.opening_document
