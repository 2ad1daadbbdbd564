"""The ingest side of storage: originals and documents stored under the dossier code, recorded
in the database only once they are safely in the store, idempotently."""

from __future__ import annotations

import hashlib
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage import (
    AccessCodeHasher,
    DocumentNotFoundError,
    DossierClosedError,
    DossierNotFoundError,
    InvalidDossierCodeError,
    LocalObjectStore,
    ObjectConflictError,
    ObjectIntegrityError,
    ObjectStore,
    ProcedureSpec,
    S3ObjectStore,
    Storage,
    StorageUnavailableError,
    open_storage,
)
from storage.models import Document, Event, StoredObject
from tests.fixtures_s3 import ACCESS_KEY, SECRET_KEY, SeaweedServer

AGENCY = "000.00.13.H12"
PROCEDURES = {
    "household_business_registration": ProcedureSpec("household_business_registration", 3)
}


def _open(db_url: str, store: ObjectStore) -> Storage:
    return open_storage(
        db_url, store, agency_code=AGENCY, procedures=PROCEDURES, hasher=AccessCodeHasher(n=2**8)
    )


@pytest.fixture
def s3_storage(db_url: str, seaweed: SeaweedServer, s3_bucket: str) -> Iterator[Storage]:
    store = S3ObjectStore(seaweed.endpoint, ACCESS_KEY, SECRET_KEY, s3_bucket, secure=False)
    st = _open(db_url, store)
    yield st
    st.close()


def _file(path: Path, data: bytes) -> tuple[Path, str]:
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def _count(st: Storage, model: type) -> int:
    with st.sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_ingest_twice_is_idempotent(s3_storage: Storage, tmp_path: Path) -> None:
    st = s3_storage
    code = st.dossiers.receive(
        "household_business_registration", "Hồ Thị Gấm", "in_person", actor="o"
    ).code
    scan, scan_sha = _file(tmp_path / "lô 1.tif", os.urandom(50_000))
    pdf, pdf_sha = _file(tmp_path / "doc.pdf", b"%PDF-1.7 searchable " + os.urandom(1000))
    fields = {
        "business_name": {"value": "Tạp hóa Gấm", "confidence": 0.91},
        "capital_vnd": {"value": 50000000, "confidence": 0.42, "needs_review": True},
        "owner_name": "Hồ Thị Gấm",
    }
    first = st.archive.store_original(scan, scan_sha, code)
    assert first.key == f"{code}/originals/{scan_sha}.tif"
    doc_id, key = st.archive.record_document(
        code, "household_business_registration", 2, 1, fields, True, pdf, scan_sha, 1
    )
    assert key.startswith(f"{code}/documents/household_business_registration-{pdf_sha[:16]}")

    again = st.archive.store_original(scan, scan_sha, code)
    assert (again.id, again.key) == (first.id, first.key)
    assert st.archive.record_document(
        code, "household_business_registration", 2, 1, fields, True, pdf, scan_sha, 1
    ) == (doc_id, key)
    assert _count(st, Document) == 1 and _count(st, StoredObject) == 2

    with st.archive.open(key) as reader:
        assert hashlib.sha256(reader.read()).hexdigest() == pdf_sha
    assert st.store.stat(first.key).metadata["filename"] == "lô 1.tif"
    [document] = st.archive.documents(code)
    by_name = {f.name: f for f in document.fields}
    assert by_name["capital_vnd"].value == "50000000" and by_name["capital_vnd"].needs_review
    assert by_name["business_name"].confidence == pytest.approx(0.91)
    assert by_name["owner_name"].confidence is None

    reviewed = st.archive.review_field(doc_id, "capital_vnd", "60000000", officer="officer.lan")
    assert (reviewed.value, reviewed.reviewed_value) == ("50000000", "60000000")
    with st.sessions() as session:
        actions = list(session.scalars(select(Event.action).order_by(Event.id)))
    assert actions == ["dossier.received", "object.stored", "document.recorded", "field.reviewed"]


def test_unassigned_documents_and_bad_codes(db_url: str, tmp_path: Path) -> None:
    st = _open(db_url, LocalObjectStore(tmp_path / "objects"))
    pdf, _ = _file(tmp_path / "d.pdf", b"%PDF unassigned")
    scan_sha = hashlib.sha256(b"scan").hexdigest()
    _, key = st.archive.record_document(None, "other", 1, 1, {}, False, pdf, scan_sha, 1)
    assert key.startswith("unassigned/documents/other-")
    assert [d.object_key for d in st.archive.documents(None)] == [key]
    with pytest.raises(DossierNotFoundError):
        st.archive.record_document(
            "000.00.13.H12-250701-0077", "other", 1, 1, {}, False, pdf, scan_sha, 2
        )
    with pytest.raises(InvalidDossierCodeError):
        st.archive.store_original(pdf, scan_sha, "not-a-code")
    with pytest.raises(ValueError, match="page_count"):
        st.archive.record_document(None, "other", 0, 1, {}, False, pdf, scan_sha, 3)
    assert _count(st, Document) == 1 and _count(st, StoredObject) == 1
    assert [o.key for o in st.store.list()] == [key], "refused input stores nothing"
    st.close()


def test_unassigned_document_is_attached_to_its_dossier_on_s3(
    s3_storage: Storage, tmp_path: Path
) -> None:
    """The PDF moves under the dossier's code, verified; the move is logged; doing it again
    changes nothing; a wrong document, a wrong code or a decided dossier changes nothing."""
    st = s3_storage
    code = st.dossiers.receive(
        "household_business_registration", "Hồ Thị Gấm", "in_person", actor="o"
    ).code
    body = b"%PDF attached " + os.urandom(3000)
    pdf, _ = _file(tmp_path / "d.pdf", body)
    scan_sha = hashlib.sha256(b"scan").hexdigest()
    fields = {"owner_name": {"value": "Hồ Thị Gấm", "needs_review": True}}
    doc_id, old_key = st.archive.record_document(
        None, "household_business_registration", 1, 1, fields, True, pdf, scan_sha, 1
    )
    document = st.archive.attach_document(doc_id, code, actor="officer:lan")
    assert document.object_key.startswith(f"{code}/documents/household_business_registration-")
    assert [f.value for f in document.fields] == ["Hồ Thị Gấm"]
    with st.archive.open(document.object_key) as reader:
        assert reader.read() == body
    assert [d.id for d in st.archive.documents(code)] == [doc_id]
    assert st.archive.documents(None) == []
    with st.sessions() as session:
        events = list(session.scalars(select(Event).where(Event.action == "document.attached")))
    assert [(e.actor, e.details["previous_key"]) for e in events] == [("officer:lan", old_key)]
    again = st.archive.attach_document(doc_id, code, actor="officer:lan")
    assert again.object_key == document.object_key

    with pytest.raises(DocumentNotFoundError):
        st.archive.attach_document(doc_id + 100, code, actor="officer:lan")
    with pytest.raises(DossierNotFoundError):
        st.archive.attach_document(doc_id, "000.00.13.H12-250701-0077", actor="officer:lan")
    with pytest.raises(InvalidDossierCodeError):
        st.archive.attach_document(doc_id, "not-a-code", actor="officer:lan")
    other, _ = _file(tmp_path / "e.pdf", b"%PDF second")
    second, _ = st.archive.record_document(None, "other", 1, 2, {}, False, other, scan_sha, 2)
    st.dossiers.transition(code, "processing", actor="o")
    st.dossiers.transition(code, "resolved", actor="o")
    with pytest.raises(DossierClosedError, match="resolved"):
        st.archive.attach_document(second, code, actor="officer:lan")
    assert [d.id for d in st.archive.documents(None)] == [second]


def test_attach_copies_nothing_when_the_stored_pdf_was_tampered_with(
    db_url: str, tmp_path: Path
) -> None:
    st = _open(db_url, LocalObjectStore(tmp_path / "objects"))
    code = st.dossiers.receive(
        "household_business_registration", "Hồ Thị Gấm", "online", actor="o"
    ).code
    pdf, _ = _file(tmp_path / "d.pdf", b"%PDF original")
    doc_id, key = st.archive.record_document(None, "other", 1, 1, {}, False, pdf, "b" * 64, 1)
    st.store.put_stream(key, io.BytesIO(b"%PDF forged"))
    with pytest.raises(ObjectIntegrityError):
        st.archive.attach_document(doc_id, code, actor="officer:lan")
    assert [d.object_key for d in st.archive.documents(None)] == [key]
    assert [o.key for o in st.store.list()] == [key]
    st.close()


def test_claimed_hash_mismatch_is_refused(db_url: str, tmp_path: Path) -> None:
    st = _open(db_url, LocalObjectStore(tmp_path / "objects"))
    scan, _ = _file(tmp_path / "s.jpg", b"real bytes")
    with pytest.raises(ObjectIntegrityError):
        st.archive.store_original(scan, "a" * 64, None)
    assert _count(st, StoredObject) == 0 and list(st.store.list()) == []
    st.close()


def test_database_hash_catches_replaced_objects(db_url: str, tmp_path: Path) -> None:
    st = _open(db_url, LocalObjectStore(tmp_path / "objects"))
    code = st.dossiers.receive(
        "household_business_registration", "Hồ Thị Gấm", "online", actor="o"
    ).code
    result, _ = _file(tmp_path / "kq.pdf", b"%PDF signed result")
    stored = st.archive.store_result(code, result, "ket-qua.pdf", actor="officer.lan")
    assert st.archive.store_result(code, result, "ket-qua.pdf", actor="officer.lan").id == stored.id
    other, _ = _file(tmp_path / "kq2.pdf", b"%PDF another result")
    with pytest.raises(ObjectConflictError):
        st.archive.store_result(code, other, "ket-qua.pdf", actor="officer.lan")
    # Someone rewrites the object behind the database's back (the store's own sidecar agrees):
    st.store.put_stream(stored.key, io.BytesIO(b"%PDF forged"))
    with st.store.open(stored.key) as reader:
        assert reader.read() == b"%PDF forged"
    with (
        pytest.raises(ObjectIntegrityError, match=re.escape("ket-qua.pdf")),
        st.archive.open(stored.key) as r,
    ):
        r.read()
    with pytest.raises(ObjectIntegrityError):
        st.archive.get_to_path(stored.key, tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()
    st.close()


def test_s3_stopped_mid_batch_records_only_what_is_stored(tmp_path: Path) -> None:
    server = SeaweedServer(tmp_path / "weed")  # its own server: this test kills it
    server.start()
    try:
        store = S3ObjectStore(server.endpoint, ACCESS_KEY, SECRET_KEY, "hoso", secure=False)
        st = _open(f"sqlite:///{tmp_path / 'hoso.db'}", store)
        code = st.dossiers.receive(
            "household_business_registration", "Vũ Văn Hải", "in_person", actor="o"
        ).code
        batch = [_file(tmp_path / f"scan{i}.png", os.urandom(20_000)) for i in range(5)]
        stored = [st.archive.store_original(p, sha, code) for p, sha in batch[:3]]
        server.stop()
        with pytest.raises(StorageUnavailableError, match=server.endpoint) as err:
            st.archive.store_original(batch[3][0], batch[3][1], code)
        assert "nothing was stored" in str(err.value)
        pdf, _ = _file(tmp_path / "doc.pdf", b"%PDF doc")
        with pytest.raises(StorageUnavailableError):
            st.archive.record_document(code, "other", 1, 1, {}, False, pdf, batch[3][1], 1)

        with st.sessions() as session:
            recorded = sorted(session.scalars(select(StoredObject.key)))
        assert recorded == sorted(o.key for o in stored)
        assert _count(st, Document) == 0

        server.start()  # same data folder and ports: everything recorded must be there, intact
        for obj in stored:
            with st.archive.open(obj.key) as reader:
                assert hashlib.sha256(reader.read()).hexdigest() == obj.sha256
        assert not store.exists(f"{code}/originals/{batch[3][1]}.png")
        retried = st.archive.store_original(batch[3][0], batch[3][1], code)  # retry succeeds
        assert retried.sha256 == batch[3][1]
        st.close()
    finally:
        server.stop()


def test_pdf_uploaded_ahead_is_recorded_under_its_key(s3_storage: Storage, tmp_path: Path) -> None:
    """A batch uploads its documents' PDFs several at a time and records them in order; an
    upload for a document already recorded does nothing, and an upload cannot be recorded
    under another dossier than the one its key names."""
    st = s3_storage
    code = st.dossiers.receive(
        "household_business_registration", "Lò Văn Páo", "in_person", actor="o"
    ).code
    _, scan_sha = _file(tmp_path / "scan.pdf", os.urandom(20_000))
    pdf, _ = _file(tmp_path / "doc.pdf", b"%PDF-1.7 searchable " + os.urandom(1000))
    uploaded = st.archive.upload_document_pdf(code, "birth_registration", 1, pdf, scan_sha, 1)
    assert uploaded is not None and st.store.stat(uploaded.key).size == pdf.stat().st_size
    assert _count(st, Document) == 0  # in the store, not yet recorded
    with pytest.raises(ValueError, match="another dossier"):
        st.archive.record_document(
            None, "birth_registration", 1, 1, {}, False, pdf, scan_sha, 1, uploaded=uploaded
        )
    _, key = st.archive.record_document(
        code, "birth_registration", 1, 1, {}, False, pdf, scan_sha, 1, uploaded=uploaded
    )
    assert key == uploaded.key and _count(st, Document) == 1
    assert st.archive.upload_document_pdf(code, "birth_registration", 1, pdf, scan_sha, 1) is None
