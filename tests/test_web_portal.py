"""The citizen portal in a real browser: Debian chromium driven by Playwright against uvicorn.

One server for the module on the embedded defaults (SQLite and the local object folder in a temp
data dir, development signing keys generated there). The pages call the public JSON API, so these
tests check what a citizen sees and gets: the status in Vietnamese, the error messages, the
downloaded signed PDF and the signature report.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fixtures_api import API_AGENCY, LiveApi, UvicornThread, make_keys, scan_pdf, scan_png

pytestmark = pytest.mark.xdist_group("web-portal")

API = "/api/v1"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [  # docs: ../shared/COMPONENTS.md, "Browser tests"
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    """The app on its embedded defaults, whatever HOSO_* the environment sets."""
    from api.app import create_app
    from api.settings import Settings

    settings = Settings(
        data_dir=tmp_path_factory.mktemp("portal-data"),
        database_url=None,
        s3_endpoint=None,
        broker_url=None,
        agency_code=API_AGENCY,
        workers=1,
        job_workers=1,
        access_code_max_failures=3,
        pdfa=False,
    )
    app = create_app(settings)
    keys = make_keys(app)
    with UvicornThread(app) as base_url:
        yield LiveApi(base_url, settings, app, keys)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium; CI installs it (scripts/setup.sh test), so its absence is a failure."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: apt-get install -y chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh phone-sized page that fails the test on any script error."""
    context = browser.new_context(
        accept_downloads=True, viewport={"width": 390, "height": 844}, locale="vi-VN"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def new_dossier(api: LiveApi) -> dict[str, Any]:
    with api.client("integrator") as client:
        response = client.post(
            f"{API}/dossiers",
            json={"procedure": "birth_registration", "applicant_name": "Nguyễn Thị Lan"},
        )
    assert response.status_code == 201, response.text
    return response.json()


@cache
def notice_pdf() -> bytes:
    return scan_pdf([scan_png("other", 9)])


def issued_dossier(api: LiveApi, reason: str = "Không đủ điều kiện") -> dict[str, Any]:
    """A dossier returned with ``reason`` whose signed notice has been issued."""
    dossier = new_dossier(api)
    code = dossier["code"]
    with api.client("officer") as officer:
        returned = officer.post(f"{API}/dossiers/{code}/return", json={"reason": reason})
        assert returned.status_code == 200, returned.text
        issued = officer.post(
            f"{API}/dossiers/{code}/result", files={"file": ("n.pdf", notice_pdf())}
        )
    assert issued.status_code == 200, issued.text
    [result] = issued.json()["results"]
    return {**dossier, "result": result}


def signed_result(api: LiveApi) -> tuple[str, bytes]:
    """A dossier code and its signed result, as the citizen downloads it."""
    dossier = issued_dossier(api)
    citizen = httpx.Client(base_url=api.base_url, headers={"X-Access-Code": dossier["access_code"]})
    with citizen:
        status = citizen.get(f"{API}/public/dossiers/{dossier['code']}").json()
        response = citizen.get(status["results"][0]["url"])
    assert response.status_code == 200, response.text
    return dossier["code"], response.content


def look_up(page: Any, base_url: str, code: str, access: str) -> None:
    page.goto(f"{base_url}/tra-cuu")
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_label("Mã tra cứu").fill(access)
    page.get_by_role("button", name="Tra cứu").click()


def alert_text(page: Any) -> str:
    return page.locator("#message .alert-error").inner_text()


# --- lookup --------------------------------------------------------------------------------------


def test_lookup_with_the_right_code_shows_the_status(portal: LiveApi, page: Any) -> None:
    dossier = new_dossier(portal)
    page.goto(f"{portal.base_url}/")  # the home page is the lookup
    assert page.url.endswith("/tra-cuu")
    assert page.locator("html").get_attribute("lang") == "vi"
    # typed as citizens do: lower case, stray spaces
    look_up(page, portal.base_url, f" {dossier['code']} ", dossier["access_code"].lower() + " ")
    status = page.locator("#status")
    status.wait_for()
    assert status.inner_text() == "Đã tiếp nhận"
    card = page.locator("#dossier").inner_text()
    assert dossier["code"] in card
    assert "Hẹn trả kết quả" in card and "Ngày tiếp nhận" in card
    assert re.search(r"\d\d:\d\d,? \d\d/\d\d/\d{4}", card), card  # dates in Vietnamese form
    assert page.locator("button.download").count() == 0  # nothing issued yet
    assert page.locator("#message").inner_text() == ""


def test_code_in_the_address_is_prefilled(portal: LiveApi, page: Any) -> None:
    dossier = new_dossier(portal)
    page.goto(f"{portal.base_url}/tra-cuu?ma={dossier['code']}")
    assert page.get_by_label("Mã hồ sơ").input_value() == dossier["code"]
    page.get_by_label("Mã tra cứu").fill(dossier["access_code"])
    page.keyboard.press("Enter")
    assert page.locator("#status").inner_text() == "Đã tiếp nhận"


def test_wrong_access_code_and_unknown_dossier_show_clear_errors(
    portal: LiveApi, page: Any
) -> None:
    dossier = new_dossier(portal)
    look_up(page, portal.base_url, dossier["code"], "WRONG234")
    page.locator("#message .alert-error").wait_for()
    assert "Mã tra cứu không đúng" in alert_text(page)
    assert dossier["code"] in alert_text(page)
    assert page.get_by_label("Mã tra cứu").get_attribute("aria-invalid") == "true"
    assert page.locator("#dossier").is_hidden()

    unknown = dossier["code"][:-4] + "9999"
    look_up(page, portal.base_url, unknown, dossier["access_code"])
    page.locator("#message .alert-error").wait_for()
    assert "Không tìm thấy hồ sơ" in alert_text(page) and unknown in alert_text(page)

    look_up(page, portal.base_url, dossier["code"], "")  # checked before asking the server
    assert "nhập mã tra cứu" in alert_text(page)


def test_too_many_wrong_codes_show_the_wait(portal: LiveApi, page: Any) -> None:
    dossier = new_dossier(portal)
    url = f"{portal.base_url}{API}/public/dossiers/{dossier['code']}"
    for _ in range(portal.settings.access_code_max_failures):
        assert httpx.get(url, headers={"X-Access-Code": "WRONG234"}).status_code == 403
    look_up(page, portal.base_url, dossier["code"], dossier["access_code"])
    page.locator("#message .alert-error").wait_for()
    message = alert_text(page)
    assert "quá nhiều lần" in message
    window_minutes = portal.settings.access_code_window_seconds // 60
    assert re.search(rf"thử lại sau {window_minutes - 1}|thử lại sau {window_minutes}", message), (
        message
    )


def test_issued_result_downloads_the_signed_pdf(portal: LiveApi, page: Any) -> None:
    dossier = issued_dossier(portal, reason="Thiếu giấy tờ chứng minh nguồn gốc đất")
    look_up(page, portal.base_url, dossier["code"], dossier["access_code"])
    assert page.locator("#status").inner_text() == "Đã có kết quả"
    assert "Thiếu giấy tờ chứng minh nguồn gốc đất" in page.locator("#dossier").inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Tải kết quả (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == dossier["result"]["name"]
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF") and b"/ByteRange" in data
    assert hashlib.sha256(data).hexdigest() == dossier["result"]["sha256"]
    # the first download marks the dossier delivered, and the page shows it
    page.locator("#status", has_text="Đã trả kết quả").wait_for()
    verify_link = page.get_by_role("link", name="Kiểm tra chữ ký số của tệp kết quả")
    assert verify_link.get_attribute("href") == f"/verify/{dossier['code']}"


# --- signature check -----------------------------------------------------------------------------


def check(page: Any, base_url: str, code: str, name: str, data: bytes) -> str:
    page.goto(f"{base_url}/verify/{code}")
    page.get_by_label("Tệp PDF kết quả").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": data}
    )
    page.get_by_role("button", name="Kiểm tra").click()
    page.locator("#verdict").wait_for()
    return page.locator("#report").inner_text()


def test_verify_page_shows_a_signed_result_is_valid(portal: LiveApi, page: Any) -> None:
    code, signed = signed_result(portal)
    report = check(page, portal.base_url, code, "ket-qua.pdf", signed)
    assert code in page.locator("#code-line").inner_text()  # the QR code's dossier
    assert page.locator("#verdict h2").inner_text() == "✓ Hợp lệ"
    cards = page.locator("article.signature")
    assert cards.count() == 2  # the officer, then the agency seal
    assert "(TEST" in report  # development keys say so
    assert report.count("Nội dung được ký còn nguyên vẹn") == 2
    assert report.count("Chứng thư số do tổ chức được tin cậy cấp") == 2
    assert "PAdES B-B" in report


def tampered(signed: bytes) -> bytes:
    """One byte of the first stream changed: the PDF still parses, the signed digest differs."""
    start = re.search(rb"stream\r?\n", signed)
    assert start is not None
    data = bytearray(signed)
    data[start.end() + 50] ^= 0x01
    return bytes(data)


def test_verify_page_shows_a_tampered_copy_is_invalid(portal: LiveApi, page: Any) -> None:
    code, signed = signed_result(portal)
    report = check(page, portal.base_url, code, "ket-qua-sua.pdf", tampered(signed))
    assert page.locator("#verdict h2").inner_text() == "✗ Không hợp lệ"
    assert "Nội dung đã bị thay đổi sau khi ký" in report

    page.get_by_label("Tệp PDF kết quả").set_input_files(
        {"name": "anh.png", "mimeType": "application/pdf", "buffer": scan_png("other", 9)}
    )
    page.get_by_role("button", name="Kiểm tra").click()
    page.locator("#message .alert-error").wait_for()
    assert "không phải là tệp PDF" in alert_text(page)


# --- serving -------------------------------------------------------------------------------------


def test_pages_are_served_by_the_app_and_kept_out_of_the_schema(portal: LiveApi) -> None:
    with httpx.Client(base_url=portal.base_url) as client:
        paths = client.get("/openapi.json").json()["paths"]
        assert not {"/", "/tra-cuu", "/verify", "/verify/{code}"} & set(paths)
        for path in ("/tra-cuu", "/verify", "/verify/000.00.77.H77-250701-0001"):
            response = client.get(path)
            assert response.status_code == 200
            assert "text/html" in response.headers["content-type"]
            assert "default-src 'self'" in response.headers["content-security-policy"]
            for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', response.text):
                assert client.get(asset).status_code == 200, asset
        # the code in the address is text, never markup
        hostile = client.get("/verify/%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E").text
        assert "<img src=x" not in hostile and "&lt;img src=x" in hostile
