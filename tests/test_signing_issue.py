"""`hoso issue`: sign, store under the dossier code, move to result_issued, log who signed."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from api.cli import app
from api.runtime import open_runtime
from api.settings import get_settings
from signing.keys import load_certificates
from signing.templates import render_result
from signing.validate import validate_pdf
from storage.models import StoredObject
from tests.test_signing_pades import BIRTH, CONTEXT

runner = CliRunner()


@pytest.fixture
def storage(tmp_path, monkeypatch):
    monkeypatch.setenv("HOSO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("HOSO_DATABASE_URL", raising=False)
    monkeypatch.delenv("HOSO_S3_ENDPOINT", raising=False)
    get_settings.cache_clear()
    st = open_runtime(get_settings())
    yield st
    st.close()
    get_settings.cache_clear()


def _resolved(storage, procedure: str) -> str:
    code = storage.dossiers.receive(procedure, "Nguyễn Văn Bình", "online", actor="t").code
    storage.dossiers.transition(code, "processing", actor="t")
    storage.dossiers.transition(code, "resolved", actor="t")
    return code


def test_issue_uploaded_result(storage, tmp_path):
    code = _resolved(storage, "birth_registration")
    upload = tmp_path / "ket-qua.pdf"
    upload.write_bytes(render_result("birth_registration_extract", BIRTH, CONTEXT))
    result = runner.invoke(
        app,
        [
            "issue",
            code,
            "--pdf",
            str(upload),
            "--officer",
            "Lê Thị Thu Hà",
            "--title",
            "Phó Chủ tịch",
        ],
    )
    assert result.exit_code == 0, result.output + result.stderr
    assert storage.dossiers.get(code).status == "result_issued"
    events = {e.action: e for e in storage.dossiers.events(code)}
    signed = events["result.signed"]
    assert signed.actor == "officer:Lê Thị Thu Hà"
    assert signed.details["officer_key"].startswith("pkcs12:") and signed.details["dev_pki"]
    with storage.sessions() as session:
        key = session.scalar(
            select(StoredObject.key).where(StoredObject.key.startswith(f"{code}/results/"))
        )
    with storage.store.open(key) as fh:
        data = fh.read()
    roots = load_certificates([get_settings().data_dir / "dev-pki" / "root-ca.pem"])
    report = validate_pdf(data, roots)
    assert report.valid and len(report.signatures) == 2
    # issuing again is refused: the dossier already has its result
    again = runner.invoke(app, ["issue", code, "--pdf", str(upload)])
    assert again.exit_code == 1 and "result_issued" in again.stderr


def test_issue_all_keeps_dossier_when_fields_missing(storage):
    code = _resolved(storage, "household_business_registration")
    result = runner.invoke(app, ["issue", "--all"])
    assert result.exit_code == 1
    assert "business_name" in result.stderr  # the template says which fields to review
    assert storage.dossiers.get(code).status == "resolved"  # nothing lost, nothing moved


def test_issue_all_signs_every_ready_dossier_in_one_batch(storage, tmp_path):
    """--all renders each result, signs them together (signing.batch) and stores each under
    its own dossier; a dossier that cannot be issued fails alone, the others are issued."""
    import hashlib

    ready = [_resolved(storage, "birth_registration") for _ in range(3)]
    for number, code in enumerate(ready):
        scan = tmp_path / f"to-khai-{number}.pdf"
        scan.write_bytes(
            render_result("birth_registration_extract", BIRTH, CONTEXT) + b"%" * number
        )
        storage.archive.record_document(
            code, "birth_declaration", 1, 1, BIRTH, False, scan,
            hashlib.sha256(scan.read_bytes()).hexdigest(), 1,
        )  # fmt: skip
    incomplete = _resolved(storage, "household_business_registration")
    result = runner.invoke(app, ["issue", "--all", "--officer", "Lê Thị Thu Hà"])
    assert result.exit_code == 1  # one dossier could not be issued
    assert f"error: {incomplete}:" in result.stderr
    assert storage.dossiers.get(incomplete).status == "resolved"
    roots = load_certificates([get_settings().data_dir / "dev-pki" / "root-ca.pem"])
    for code in ready:
        assert f"issued {code}: result-1.pdf" in result.output
        assert storage.dossiers.get(code).status == "result_issued"
        with storage.store.open(f"{code}/results/result-1.pdf") as fh:
            report = validate_pdf(fh.read(), roots)
        assert report.valid and len(report.signatures) == 2
        events = {e.action: e for e in storage.dossiers.events(code)}
        assert events["result.signed"].actor == "officer:Lê Thị Thu Hà"


def test_issue_rendered_result_uses_agency_and_zone_settings(storage, tmp_path, monkeypatch):
    """Agency name, place and the stamps' time zone come from the settings, not the code."""
    import hashlib
    import re
    import subprocess

    monkeypatch.setenv("HOSO_AGENCY_NAME", "UBND xã Hòa Khánh")
    monkeypatch.setenv("HOSO_AGENCY_PLACE", "Hòa Khánh")
    monkeypatch.setenv("HOSO_SIGNING_TIMEZONE", "Asia/Tokyo")  # +09:00, unlike the default
    get_settings.cache_clear()
    code = _resolved(storage, "birth_registration")
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(render_result("birth_registration_extract", BIRTH, CONTEXT))
    storage.archive.record_document(
        code, "birth_declaration", 1, 1, BIRTH, False, scan,
        hashlib.sha256(scan.read_bytes()).hexdigest(), 1,
    )  # fmt: skip
    result = runner.invoke(app, ["issue", code, "--officer", "Lê Thị Thu Hà"])
    assert result.exit_code == 0, result.output + result.stderr
    with storage.sessions() as session:
        key = session.scalar(
            select(StoredObject.key).where(StoredObject.key.startswith(f"{code}/results/"))
        )
    with storage.store.open(key) as fh:
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=fh.read(), capture_output=True, check=True
        ).stdout.decode()
    assert "UBND XÃ HÒA KHÁNH" in text
    assert "Hòa Khánh, ngày" in text
    assert "CƠ QUAN 000" not in text  # the fallback for an unset name
    offsets = re.findall(r"Thời gian ký: \d\d:\d\d:\d\d \d\d/\d\d/\d{4} \(([+-]\d\d:\d\d)\)", text)
    assert offsets == ["+09:00", "+09:00"]
