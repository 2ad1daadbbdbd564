"""The HTTP API end to end: httpx against uvicorn, PostgreSQL, SeaweedFS and real OCR jobs."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from typing import Any

import httpx
import pytest

from tests.fixtures_api import (
    API_AGENCY,
    LiveApi,
    assert_error,
    scan_pdf,
    scan_png,
    wait_for_job,
)

pytestmark = pytest.mark.xdist_group("api")

API = "/api/v1"


def new_dossier(api: LiveApi, procedure: str = "birth_registration") -> dict[str, Any]:
    with api.client("integrator") as client:
        response = client.post(
            f"{API}/dossiers",
            json={"procedure": procedure, "applicant_name": "Nguyễn Thị Lan", "channel": "online"},
        )
    assert response.status_code == 201, response.text
    return response.json()


def upload(
    client: httpx.Client, code: str, data: bytes, name: str = "scan.png", **headers: str
) -> httpx.Response:
    return client.post(
        f"{API}/dossiers/{code}/documents", files={"file": (name, data)}, headers=headers
    )


@pytest.fixture(scope="module")
def processed(live_api: LiveApi) -> dict[str, Any]:
    """A dossier with one scanned form, OCRed by a job."""
    dossier = new_dossier(live_api)
    with live_api.client("integrator") as client:
        response = upload(client, dossier["code"], scan_png(seed=3))
        assert response.status_code == 202, response.text
        job = wait_for_job(client, response.json()["id"])
    return {**dossier, "job": job, "scan_response": response}


# --- dossiers and uploads ------------------------------------------------------------------------


def test_create_dossier_shows_access_code_once(live_api: LiveApi) -> None:
    dossier = new_dossier(live_api)
    assert dossier["code"].startswith(API_AGENCY + "-")
    assert len(dossier["access_code"]) == 8
    assert dossier["status"] == "received"
    with live_api.client("officer") as client:
        shown = client.get(f"{API}/dossiers/{dossier['code']}")
    assert shown.status_code == 200
    assert dossier["access_code"] not in shown.text  # only its hash is kept


def test_upload_returns_202_job_and_ocr_fills_the_dossier(
    live_api: LiveApi, processed: dict[str, Any]
) -> None:
    response = processed["scan_response"]
    assert response.headers["Location"] == f"{API}/jobs/{response.json()['id']}"
    job = processed["job"]
    assert job["status"] == "succeeded", job
    assert job["pages_done"] == job["pages_total"] == 1
    assert job["result"]["documents"][0]["document_id"] >= 1
    with live_api.client("integrator") as client:
        dossier = client.get(f"{API}/dossiers/{processed['code']}").json()
        assert dossier["status"] == "processing"  # new scans start the processing
        [document] = dossier["documents"]
        assert document["doc_type"] == "birth_registration"
        assert {f["name"] for f in document["fields"]} >= {"requester_name", "child_name"}
        actions = [e["action"] for e in dossier["events"]]
        assert actions[0] == "dossier.received"
        assert "document.recorded" in actions
        pdf = client.get(document["pdf_url"])
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert hashlib.sha256(pdf.content).hexdigest() == document["sha256"]
    assert pdf.headers["X-Content-SHA256"] == document["sha256"]


def test_same_upload_again_is_the_same_job_and_no_new_document(
    live_api: LiveApi, processed: dict[str, Any]
) -> None:
    code = processed["code"]
    with live_api.client("integrator") as client:
        again = upload(client, code, scan_png(seed=3), name="renamed.png")
        assert again.status_code == 202
        assert again.json()["id"] == processed["job"]["id"]
        assert again.headers["Idempotent-Replayed"] == "true"
        documents = client.get(f"{API}/dossiers/{code}").json()["documents"]
    assert len(documents) == 1


def test_idempotency_key_replays_and_refuses_other_content(live_api: LiveApi) -> None:
    code = new_dossier(live_api)["code"]
    key = {"Idempotency-Key": "portal-req-42"}
    with live_api.client("integrator") as client:
        first = upload(client, code, scan_png(seed=5), **key)
        second = upload(client, code, scan_png(seed=5), **key)
        other = upload(client, code, scan_png(seed=6), **key)
        wait_for_job(client, first.json()["id"])
    assert first.status_code == second.status_code == 202
    assert first.json()["id"] == second.json()["id"]
    assert_error(other, 409, "idempotency_conflict")


def test_pdf_upload_of_two_pages(live_api: LiveApi) -> None:
    code = new_dossier(live_api)["code"]
    with live_api.client("integrator") as client:
        response = upload(client, code, scan_pdf([scan_png(seed=7), scan_png(seed=8)]), "b.pdf")
        job = wait_for_job(client, response.json()["id"])
    assert job["status"] == "succeeded", job
    assert job["pages_total"] == 2
    assert sum(d["page_count"] for d in job["result"]["documents"]) == 2


def test_bilevel_g4_tiff_upload(live_api: LiveApi) -> None:
    """What office scanners write in black-and-white mode."""
    from PIL import Image

    page = Image.open(io.BytesIO(scan_png(seed=12))).convert("1")
    out = io.BytesIO()
    page.save(out, "TIFF", compression="group4", dpi=(100, 100))
    code = new_dossier(live_api)["code"]
    with live_api.client("scanner") as client:
        response = upload(client, code, out.getvalue(), "scan0001.tif")
        assert response.status_code == 202, response.text
        job = wait_for_job(client, response.json()["id"])
    assert job["status"] == "succeeded", job
    assert job["pages_total"] == 1


# --- limits and errors -------------------------------------------------------------------------


def test_too_large_upload_is_413_and_nothing_is_queued(live_api: LiveApi) -> None:
    code = new_dossier(live_api)["code"]
    big = b"\x89PNG\r\n\x1a\n" + os.urandom(live_api.settings.max_upload_bytes + 200_000)
    with live_api.client("integrator") as client:
        assert_error(upload(client, code, big), 413, "payload_too_large")

        # a body sent without Content-Length (chunked) is counted as it arrives
        def chunks():
            yield b"--x\r\nContent-Disposition: form-data; name=file; filename=a.png\r\n\r\n"
            for _ in range(4):
                yield os.urandom(1024 * 1024)

        chunked = client.post(
            f"{API}/dossiers/{code}/documents",
            content=chunks(),
            headers={"Content-Type": "multipart/form-data; boundary=x"},
        )
        assert_error(chunked, 413)
        assert client.get(f"{API}/dossiers/{code}").json()["documents"] == []


@pytest.mark.parametrize(
    ("name", "data", "what"),
    [
        ("notes.png", "Biên bản họp".encode() * 50, "text file"),
        ("form.pdf", b"PK\x03\x04" + b"\0" * 200, "ZIP"),
        ("photo.jpg", b"GIF89a" + b"\0" * 200, "GIF"),
    ],
)
def test_unsupported_type_is_415_by_content_not_name(
    live_api: LiveApi, name: str, data: bytes, what: str
) -> None:
    code = new_dossier(live_api)["code"]
    with live_api.client("integrator") as client:
        error = assert_error(upload(client, code, data, name), 415, "unsupported_media_type")
    assert what in error["message"]


def test_corrupt_scan_is_422_with_the_reason(live_api: LiveApi) -> None:
    code = new_dossier(live_api)["code"]
    truncated = scan_png(seed=2)[:3000]
    with live_api.client("integrator") as client:
        error = assert_error(upload(client, code, truncated), 422)
        assert client.get(f"{API}/dossiers/{code}").json()["documents"] == []
    assert error["code"] in ("corrupt_file", "unreadable_file")
    assert "scan.png" in error["message"]


def test_unknown_dossier_is_404(live_api: LiveApi) -> None:
    with live_api.client("integrator") as client:
        assert_error(
            client.get(f"{API}/dossiers/{API_AGENCY}-250101-9999"), 404, "dossier_not_found"
        )
        assert_error(client.get(f"{API}/dossiers/not-a-code"), 404)
        assert_error(upload(client, f"{API_AGENCY}-250101-9999", scan_png()), 404)
        assert_error(client.get(f"{API}/documents/999999/pdf"), 404)
        assert_error(client.get(f"{API}/jobs/nope"), 404, "job_not_found")


def test_missing_or_wrong_key_is_401_and_wrong_role_403(live_api: LiveApi) -> None:
    body = {"procedure": "birth_registration", "applicant_name": "A"}
    with live_api.client() as anonymous:
        assert_error(anonymous.post(f"{API}/dossiers", json=body), 401, "unauthorized")
        bad = anonymous.post(f"{API}/dossiers", json=body, headers={"X-API-Key": "hoso_x_y"})
        assert_error(bad, 401)
    with live_api.client("scanner") as scanner:
        assert_error(scanner.post(f"{API}/dossiers", json=body), 403, "forbidden")
        assert_error(scanner.get(f"{API}/stats"), 403)
    with live_api.client("integrator") as integrator:
        assert_error(integrator.get(f"{API}/review-queue"), 403)
    with live_api.client("admin") as admin:  # admin may do everything
        assert admin.get(f"{API}/review-queue").status_code == 200
        assert admin.get(f"{API}/me").json()["role"] == "admin"
    # Bearer works as well as X-API-Key
    bearer = httpx.get(
        f"{live_api.base_url}{API}/me",
        headers={"Authorization": f"Bearer {live_api.keys['manager']}"},
    )
    assert bearer.json()["role"] == "manager"


def test_request_validation_errors_share_the_shape(live_api: LiveApi) -> None:
    with live_api.client("integrator") as client:
        strict = client.post(f"{API}/dossiers", json={"procedure": 7, "applicant_name": "A"})
        assert_error(strict, 422, "validation_error")
        extra = client.post(
            f"{API}/dossiers", json={"procedure": "x", "applicant_name": "A", "admin": True}
        )
        assert_error(extra, 422)
        unknown = client.post(
            f"{API}/dossiers", json={"procedure": "space_travel", "applicant_name": "A"}
        )
        assert "birth_registration" in assert_error(unknown, 422, "unknown_procedure")["message"]
        broken = client.post(
            f"{API}/dossiers", content=b"{not json", headers={"Content-Type": "application/json"}
        )
        assert_error(broken, 400, "bad_request")
        assert_error(client.delete(f"{API}/dossiers"), 405)


# --- officers, citizens, managers --------------------------------------------------------------


def test_officer_review_decide_issue_and_citizen_download(
    live_api: LiveApi, processed: dict[str, Any]
) -> None:
    code, access = processed["code"], processed["access_code"]
    officer = live_api.client("officer")
    queue = officer.get(f"{API}/review-queue").json()
    mine = next(i for i in queue if i["code"] == code)
    documents = officer.get(f"{API}/dossiers/{code}").json()["documents"]
    assert mine["documents_needing_review"] == sum(d["needs_review"] for d in documents)
    # needs_review first, then due date
    flags = [i["documents_needing_review"] == 0 for i in queue]
    assert flags == sorted(flags)

    document = officer.get(f"{API}/dossiers/{code}").json()["documents"][0]
    corrected = officer.patch(
        f"{API}/documents/{document['id']}/fields",
        json={"fields": {"child_name": "Trần Minh Khôi", "child_birth_date": "2025-06-01",
                         "child_gender": "Nam", "birth_place": "Bệnh viện Từ Dũ",
                         "requester_name": "Nguyễn Thị Lan"}},
    )  # fmt: skip
    assert corrected.status_code == 200, corrected.text
    child = next(f for f in corrected.json()["fields"] if f["name"] == "child_name")
    assert child["value"] == "Trần Minh Khôi"
    assert child["reviewed_by"] == "officer:test-officer"
    bad_name = officer.patch(
        f"{API}/documents/{document['id']}/fields", json={"fields": {"../x": "1"}}
    )
    assert_error(bad_name, 422, "validation_error")

    assert_error(
        officer.post(f"{API}/dossiers/{code}/supplement-request", json={"reason": " "}), 422
    )
    asked = officer.post(
        f"{API}/dossiers/{code}/supplement-request", json={"reason": "Thiếu bản sao CCCD"}
    )
    assert asked.json()["status"] == "supplement_requested"
    assert_error(officer.post(f"{API}/dossiers/{code}/resolve"), 409, "illegal_transition")
    with live_api.client("integrator") as client:  # the supplement arrives
        job = wait_for_job(client, upload(client, code, scan_png("id_card_copy", 4)).json()["id"])
    assert job["status"] == "succeeded"
    assert officer.get(f"{API}/dossiers/{code}").json()["status"] == "resubmitted"
    assert officer.post(f"{API}/dossiers/{code}/resolve").json()["status"] == "resolved"

    assert_error(
        live_api.client("integrator").post(f"{API}/dossiers/{code}/result"), 403
    )  # signing needs the officer role
    issued = officer.post(f"{API}/dossiers/{code}/result", data={"officer_title": "Công chức"})
    assert issued.status_code == 200, issued.text
    assert issued.json()["status"] == "result_issued"
    [result] = issued.json()["results"]

    citizen = httpx.Client(base_url=live_api.base_url, headers={"X-Access-Code": access})
    status = citizen.get(f"{API}/public/dossiers/{code}")
    assert status.status_code == 200
    assert "documents" not in status.json()  # citizens see status and results only
    signed = citizen.get(status.json()["results"][0]["url"])
    assert signed.status_code == 200
    assert hashlib.sha256(signed.content).hexdigest() == result["sha256"]
    assert citizen.get(f"{API}/public/dossiers/{code}").json()["status"] == "delivered"

    report = httpx.post(
        f"{live_api.base_url}{API}/public/verify", files={"file": ("r.pdf", signed.content)}
    ).json()
    assert report["valid"] is True, report
    assert len(report["signatures"]) == 2  # officer, then the agency seal
    tampered = bytearray(signed.content)
    middle = len(tampered) // 3
    tampered[middle] ^= 0x01
    bad = httpx.post(
        f"{live_api.base_url}{API}/public/verify", files={"file": ("r.pdf", bytes(tampered))}
    )
    assert bad.status_code in (200, 422)
    if bad.status_code == 200:
        assert bad.json()["valid"] is False
    page = httpx.get(f"{live_api.base_url}/verify/{code}")
    assert page.status_code == 200 and code in page.text


def test_return_with_reason(live_api: LiveApi) -> None:
    code = new_dossier(live_api)["code"]
    with live_api.client("officer") as officer:
        assert_error(officer.post(f"{API}/dossiers/{code}/return", json={}), 422)
        returned = officer.post(
            f"{API}/dossiers/{code}/return", json={"reason": "Không đủ điều kiện"}
        ).json()
    assert returned["status"] == "returned"
    assert returned["return_reason"] == "Không đủ điều kiện"
    # the officer's own PDF (a return notice) is signed and issued as the result
    with live_api.client("officer") as officer:
        not_pdf = officer.post(
            f"{API}/dossiers/{code}/result", files={"file": ("n.pdf", b"hello, not a PDF")}
        )
        assert_error(not_pdf, 415)
        notice = scan_pdf([scan_png("other", 9)])
        issued = officer.post(f"{API}/dossiers/{code}/result", files={"file": ("n.pdf", notice)})
        assert issued.status_code == 200, issued.text
        assert issued.json()["status"] == "result_issued"
        assert_error(
            officer.post(f"{API}/dossiers/{code}/result", files={"file": ("n.pdf", notice)}),
            409,
            "illegal_transition",
        )


def test_citizen_sees_only_their_own_dossier(live_api: LiveApi) -> None:
    mine, theirs = new_dossier(live_api), new_dossier(live_api)
    citizen = httpx.Client(base_url=live_api.base_url)
    ok = citizen.get(
        f"{API}/public/dossiers/{mine['code']}", headers={"X-Access-Code": mine["access_code"]}
    )
    assert ok.status_code == 200 and ok.json()["code"] == mine["code"]
    other = citizen.get(
        f"{API}/public/dossiers/{theirs['code']}", headers={"X-Access-Code": mine["access_code"]}
    )
    assert_error(other, 403, "wrong_access_code")
    assert_error(citizen.get(f"{API}/public/dossiers/{mine['code']}"), 401)
    staff_only = citizen.get(
        f"{API}/dossiers/{theirs['code']}", headers={"X-Access-Code": theirs["access_code"]}
    )
    assert_error(staff_only, 401)


def test_wrong_access_codes_are_rate_limited(live_api: LiveApi) -> None:
    dossier = new_dossier(live_api)
    url = f"{API}/public/dossiers/{dossier['code']}"
    citizen = httpx.Client(base_url=live_api.base_url)
    for _ in range(live_api.settings.access_code_max_failures):
        assert_error(citizen.get(url, headers={"X-Access-Code": "WRONG234"}), 403)
    blocked = citizen.get(url, headers={"X-Access-Code": dossier["access_code"]})
    assert_error(blocked, 429, "too_many_attempts")
    assert int(blocked.headers["Retry-After"]) > 0
    # another dossier is not blocked
    other = new_dossier(live_api)
    fine = citizen.get(
        f"{API}/public/dossiers/{other['code']}", headers={"X-Access-Code": other["access_code"]}
    )
    assert fine.status_code == 200


def test_manager_stats_and_overdue(live_api: LiveApi, processed: dict[str, Any]) -> None:
    fresh = new_dossier(live_api)["code"]  # open, due within days
    with live_api.client("manager") as manager:
        stats = manager.get(f"{API}/stats", params={"agency": API_AGENCY}).json()
        overdue = manager.get(f"{API}/overdue")
        soon = manager.get(f"{API}/due-soon", params={"working_days": 30})
        backwards = manager.get(f"{API}/stats", params={"from": "2025-02-01", "to": "2025-01-01"})
    for key in ("received_total", "received_in_person", "received_online", "resolved_on_time",
                "resolved_late", "in_progress_on_time", "in_progress_late", "returned",
                "on_time_rate", "digitization_rate"):  # fmt: skip
        assert key in stats
    assert stats["received_total"] >= 1
    assert stats["received_online"] == stats["received_total"]
    assert overdue.status_code == 200 and isinstance(overdue.json(), list)
    assert fresh in {item["code"] for item in soon.json() + overdue.json()}
    assert_error(backwards, 422)


def test_scanner_batch_is_split_by_cover_sheets(live_api: LiveApi) -> None:
    from benchmarks.synth.forms import render_document

    dossier = new_dossier(live_api)
    import random

    rng = random.Random(11)
    receipt = render_document("reception_receipt", rng, dpi=150, dossier_code=dossier["code"])
    form = render_document("birth_registration", rng, dpi=150)
    pages = []
    for image in (receipt.pages[0].image, form.pages[0].image):
        out = io.BytesIO()
        image.convert("L").save(out, "PNG", dpi=(150, 150))
        pages.append(out.getvalue())
    with live_api.client("scanner") as scanner:
        response = scanner.post(f"{API}/batches", files={"file": ("batch.pdf", scan_pdf(pages))})
        assert response.status_code == 202, response.text
        job = wait_for_job(scanner, response.json()["id"])
    assert job["kind"] == "batch" and job["status"] == "succeeded", job
    codes = {d["dossier_code"] for d in job["result"]["documents"]}
    assert codes == {dossier["code"]}
    with live_api.client("officer") as officer:
        documents = officer.get(f"{API}/dossiers/{dossier['code']}").json()["documents"]
    assert len(documents) >= 1


def test_batch_for_an_unknown_dossier_is_kept_unassigned(live_api: LiveApi) -> None:
    """A receipt naming a dossier this center never registered: nothing is lost."""
    import random

    from benchmarks.synth.forms import render_document

    unknown = f"{API_AGENCY}-200101-0042"
    receipt = render_document("reception_receipt", random.Random(5), dpi=150, dossier_code=unknown)
    out = io.BytesIO()
    receipt.pages[0].image.convert("L").save(out, "PNG", dpi=(150, 150))
    with live_api.client("scanner") as scanner:
        response = scanner.post(f"{API}/batches", files={"file": ("b.png", out.getvalue())})
        job = wait_for_job(scanner, response.json()["id"])
    assert job["status"] == "succeeded", job
    [document] = job["result"]["documents"]
    assert document["unknown_dossier_code"] == unknown
    assert document["object_key"].startswith("unassigned/")
    assert live_api.app.state.hoso.storage.store.exists(document["object_key"])

    # An officer finds it and files it under the dossier it belongs to.
    officer = live_api.client("officer")
    listed = officer.get(f"{API}/documents/unassigned")
    assert document["document_id"] in [d["id"] for d in listed.json()], listed.text
    target = new_dossier(live_api)["code"]
    url = f"{API}/documents/{document['document_id']}/attach"
    assert_error(officer.post(url, json={"dossier_code": unknown}), 404, "dossier_not_found")
    assert_error(live_api.client("integrator").post(url, json={"dossier_code": target}), 403)
    attached = officer.post(url, json={"dossier_code": target})
    assert attached.status_code == 200, attached.text
    filed = officer.get(f"{API}/dossiers/{target}").json()["documents"]
    assert [d["id"] for d in filed] == [document["document_id"]]
    pdf = officer.get(filed[0]["pdf_url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    unlisted = officer.get(f"{API}/documents/unassigned").json()
    assert document["document_id"] not in [d["id"] for d in unlisted]
    assert_error(officer.post(f"{API}/documents/999999999/attach", json={"dossier_code": target}),
                 404, "document_not_found")  # fmt: skip


def test_openapi_documents_every_route_under_v1(live_api: LiveApi) -> None:
    schema = httpx.get(f"{live_api.base_url}/openapi.json").json()
    paths = set(schema["paths"])
    assert all(p.startswith("/api/v1/") or p == "/healthz" for p in paths)
    assert {"/api/v1/dossiers", "/api/v1/batches", "/api/v1/review-queue",
            "/api/v1/documents/unassigned", "/api/v1/documents/{document_id}/attach",
            "/api/v1/public/verify", "/api/v1/stats"} <= paths  # fmt: skip
    upload_op = schema["paths"]["/api/v1/dossiers/{code}/documents"]["post"]
    assert {"202", "413", "415", "422", "404"} <= set(upload_op["responses"])


def test_zip_named_pdf_never_reaches_storage(live_api: LiveApi) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "x")
    code = new_dossier(live_api)["code"]
    with live_api.client("integrator") as client:
        assert_error(upload(client, code, buffer.getvalue(), "scan.pdf"), 415)
    store = live_api.app.state.hoso.storage.store
    assert list(store.list(f"{code}/")) == []


def test_guessing_many_dossier_codes_from_one_address_is_limited(live_api: LiveApi) -> None:
    from starlette.testclient import TestClient

    from api.app import CLIENT_FACTOR

    real = new_dossier(live_api)
    guesser = TestClient(live_api.app, client=("198.51.100.7", 40000))
    budget = CLIENT_FACTOR * live_api.settings.access_code_max_failures
    for n in range(budget):
        guess = guesser.get(
            f"{API}/public/dossiers/{API_AGENCY}-250101-{n + 1:04d}",
            headers={"X-Access-Code": "ABCD2345"},
        )
        assert guess.status_code in (403, 404), guess.text
    blocked = guesser.get(
        f"{API}/public/dossiers/{real['code']}", headers={"X-Access-Code": real["access_code"]}
    )
    assert_error(blocked, 429, "too_many_attempts")
    elsewhere = TestClient(live_api.app, client=("198.51.100.8", 40000)).get(
        f"{API}/public/dossiers/{real['code']}", headers={"X-Access-Code": real["access_code"]}
    )
    assert elsewhere.status_code == 200
