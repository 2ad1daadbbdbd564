"""Issue dossiers' results: render or take the PDF, sign it, store it, log it.

The signing itself (keys, dev PKI, profile, QR link) is the signing area's code in
``api.commands.signing``; this module only strings those calls together, for one dossier (the
API, ``hoso issue CODE``) or many (``hoso issue --all``), in the order that keeps the
invariants: check the status first (no signature for a dossier that cannot be issued), store
the signed PDF, then move the dossier to ``result_issued``.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from api.commands.signing import (
    make_profile,
    open_signers,
    signing_setup,
    verify_url,
)
from signing.appearance import add_verification_qr
from signing.batch import sign_results
from signing.errors import KeyLoadError, SigningError
from signing.pades import PadesLevel, sign_result
from signing.templates import ResultContext, render_result, template_for_procedure
from storage.errors import IllegalTransitionError, StorageError
from storage.lifecycle import TRANSITIONS, Status
from storage.models import StoredObject

if TYPE_CHECKING:
    from api.settings import Settings
    from storage.service import Storage


def _reviewed_values(storage: Storage, code: str) -> dict[str, str]:
    """Every field of the dossier's documents, the officer's value over OCR's."""
    values: dict[str, str] = {}
    for document in storage.archive.documents(code):
        for field in document.fields:
            value = field.reviewed_value if field.reviewed_value is not None else field.value
            if value is not None:
                values.setdefault(field.name, value)
    return values


def _render(
    settings: Settings, storage: Storage, code: str, actor: str, officer_title: str
) -> bytes:
    dossier = storage.dossiers.get(code)
    context = ResultContext(
        dossier_code=code,
        agency_name=getattr(settings, "agency_name", None) or f"CƠ QUAN {settings.agency_code}",
        place=getattr(settings, "agency_place", None) or "",
        signer_name=actor.split(":", 1)[-1],
        signer_title=officer_title,
        issued_on=dt.date.today(),
    )
    values = {"applicant_name": dossier.applicant_name, **_reviewed_values(storage, code)}
    return render_result(template_for_procedure(dossier.procedure.code), values, context)


def _next_name(storage: Storage, code: str) -> str:
    with storage.sessions() as session:
        count = session.scalar(
            select(func.count())
            .select_from(StoredObject)
            .where(StoredObject.key.startswith(f"{code}/results/", autoescape=True))
        )
    return f"result-{(count or 0) + 1}.pdf"


def _prepare(
    settings: Settings,
    storage: Storage,
    code: str,
    actor: str,
    pdf: bytes | None,
    officer_title: str,
) -> bytes:
    """The unsigned result with its verification QR, once the dossier may be issued."""
    current = Status(storage.dossiers.get(code).status)
    if Status.RESULT_ISSUED not in TRANSITIONS[current]:
        raise IllegalTransitionError(
            code, current, Status.RESULT_ISSUED, sorted(TRANSITIONS[current])
        )
    data = pdf if pdf is not None else _render(settings, storage, code, actor, officer_title)
    return add_verification_qr(data, verify_url(settings, code))


def _store(settings: Settings, storage: Storage, code: str, actor: str, signed: bytes) -> str:
    """Keep the signed result, then move the dossier to ``result_issued``."""
    name = _next_name(storage, code)
    with tempfile.TemporaryDirectory(dir=Path(settings.data_dir)) as tmp:
        path = Path(tmp) / name
        path.write_bytes(signed)
        storage.archive.store_result(code, path, name, actor=actor)
    storage.dossiers.transition(code, Status.RESULT_ISSUED, actor=actor)
    return name


def issue_result(
    settings: Settings,
    storage: Storage,
    code: str,
    actor: str,
    *,
    pdf: bytes | None = None,
    level: str | None = None,
    officer_title: str = "Công chức",
) -> str:
    """Sign and store the result of dossier ``code``; returns the stored result's name.

    Plain objects in (settings, storage), so ``hoso issue`` can call it as well as the API.
    """
    data = _prepare(settings, storage, code, actor, pdf, officer_title)
    setup = signing_setup(settings)
    profile = make_profile(settings, setup, PadesLevel(level or "B-B"), officer_title)
    with open_signers(setup) as (officer, seal):
        signed = sign_result(data, officer, seal, profile)
    return _store(settings, storage, code, actor, signed)


def issue_results(
    settings: Settings,
    storage: Storage,
    codes: Sequence[str],
    actor: str,
    *,
    level: str | None = None,
    officer_title: str = "Công chức",
) -> dict[str, str | Exception]:
    """Issue many dossiers' results at once: each code -> its result's name, or why it failed.

    The results are rendered one by one, then signed together on every core
    (:func:`signing.batch.sign_results`: keys opened once per process, timestamps overlapped),
    then stored one by one. A dossier that cannot be issued fails alone; should the batch
    signature fail, each dossier is signed on its own, so one bad document cannot hold back
    the others and every failure is reported against its own dossier.
    """
    outcome: dict[str, str | Exception] = {}
    prepared: dict[str, bytes] = {}
    for code in codes:
        try:
            prepared[code] = _prepare(settings, storage, code, actor, None, officer_title)
        except (StorageError, SigningError) as exc:
            outcome[code] = exc
    if not prepared:
        return outcome
    setup = signing_setup(settings)
    profile = make_profile(settings, setup, PadesLevel(level or "B-B"), officer_title)
    try:
        signed = dict(
            zip(
                prepared,
                sign_results(list(prepared.values()), setup.officer, setup.seal, profile),
                strict=True,
            )
        )
    except KeyLoadError:
        raise  # the keys themselves: no dossier can be signed
    except SigningError:
        signed = {}
        with open_signers(setup) as (officer, seal):
            for code, data in prepared.items():
                try:
                    signed[code] = sign_result(data, officer, seal, profile)
                except SigningError as exc:
                    outcome[code] = exc
    for code, data in signed.items():
        try:
            outcome[code] = _store(settings, storage, code, actor, data)
        except StorageError as exc:
            outcome[code] = exc
    return {code: outcome[code] for code in codes}
