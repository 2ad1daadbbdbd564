"""`hoso sign` and `hoso verify --json` end to end, and the result templates."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.settings import get_settings
from signing.errors import TemplateError
from signing.templates import TEMPLATES, render_result
from tests.test_signing_pades import BIRTH, CONTEXT

runner = CliRunner()


@pytest.fixture
def env(tmp_path, monkeypatch, test_pki):
    monkeypatch.setenv("HOSO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HOSO_TSA_URL", test_pki.tsa_url)
    monkeypatch.setenv("HOSO_PUBLIC_BASE_URL", "https://hoso.example.vn")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_sign_and_verify_json_with_dev_pki(env: Path):
    src = env / "ket-qua.pdf"
    src.write_bytes(
        render_result(
            "generic_decision",
            {
                "subject": "cấp giấy phép xây dựng nhà ở riêng lẻ",
                "decision_text": "Cấp giấy phép xây dựng cho ông Trần Văn Đức.",
            },
            CONTEXT,
        )
    )
    before = src.read_bytes()
    out = env / "ket-qua.signed.pdf"
    result = runner.invoke(
        app,
        [
            "sign",
            str(src),
            "--out",
            str(out),
            "--level",
            "B-T",
            "--dossier-code",
            "000.00.13.H12-250701-0042",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "DEVELOPMENT TEST" in result.stderr
    assert src.read_bytes() == before  # the input is never modified
    result = runner.invoke(app, ["verify", str(out), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["valid"] is True
    assert [s["level"] for s in report["signatures"]] == ["B-T", "B-T"]
    for s in report["signatures"]:
        assert {"signer", "intact", "trusted", "timestamp", "modified_after", "level"} <= s.keys()
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "https://hoso.example.vn/verify/000.00.13.H12-250701-0042" in text

    # the dev PKI was generated once and is reused by the next run
    root = env / "data" / "dev-pki" / "root-ca.pem"
    first = root.read_bytes()
    assert runner.invoke(app, ["sign", str(src), "--out", str(env / "b.pdf")]).exit_code == 0
    assert root.read_bytes() == first

    tampered = env / "tampered.pdf"
    data = out.read_bytes()
    at = data.index(b"/Producer") + 3
    tampered.write_bytes(data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :])
    result = runner.invoke(app, ["verify", str(tampered), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["valid"] is False


def test_sign_refuses_bad_input_without_writing(env: Path):
    src = env / "not.pdf"
    src.write_bytes(b"\x89PNG not a pdf")
    out = env / "out.pdf"
    result = runner.invoke(app, ["sign", str(src), "--out", str(out)])
    assert result.exit_code == 2
    assert "not a readable PDF" in result.stderr
    assert not out.exists()
    result = runner.invoke(app, ["sign", str(src), "--out", str(src)])
    assert result.exit_code == 2 and "must differ" in result.stderr


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_templates_render_vietnamese(name, tmp_path):
    values = {
        **BIRTH,
        "business_name": "Hộ kinh doanh Phở Hùng",
        "business_address": "12 Lý Tự Trọng, phường Bến Nghé",
        "capital_vnd": "150000000",
        "owner_name": "Đặng Văn Hùng",
        "owner_id_number": "079088001234",
        "subject": "thu hồi giấy phép",
        "decision_text": "Thu hồi giấy phép số 12/GP của ông Đỗ Quý Khánh.",
    }
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(render_result(name, values, CONTEXT))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert TEMPLATES[name].title in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Lê Thị Thu Hà" in text
    if name == "household_business_certificate":
        assert "150.000.000 đồng" in text and "Hộ kinh doanh Phở Hùng" in text
    if name == "birth_registration_extract":
        assert "20/06/2025" in text


def test_template_missing_fields_named():
    with pytest.raises(TemplateError, match="child_name, child_birth_date"):
        render_result("birth_registration_extract", {"child_gender": "Nam"}, CONTEXT)
    with pytest.raises(TemplateError, match="unknown result template"):
        render_result("nope", {}, CONTEXT)
