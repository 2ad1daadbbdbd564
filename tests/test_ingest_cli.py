"""``hoso ingest`` end to end, as scanning staff run it: the real console script in a subprocess.

One mixed batch (every format, turned and skewed pages, and every kind of bad file) is ingested
once per module; the tests then read its JSON report and its PDFs with poppler's tools.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import img2pdf
import pikepdf
import pytest
from PIL import Image, ImageDraw, ImageFont

from api.runtime import open_runtime
from api.settings import Settings

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
DPI = 200
MM = DPI / 25.4
HOSO = str(Path(sys.executable).with_name("hoso"))

# The good files, in the order the folder is read, with what is on each of their pages and how
# each page was fed to the scanner (degrees the content is turned counter-clockwise).
GOOD = {
    "01-scan.pdf": [("Alpha", 0), ("Bravo", 180)],
    "02-scan.tiff": [("Charlie", 0), ("Delta", 90)],
    "03-scan.jpg": [("Echo", 3)],
    "04-scan.png": [("Foxtrot", 0)],
}
BAD = {
    "05-corrupt.pdf": "CorruptFileError",
    "06-truncated.png": "CorruptFileError",
    "07-empty.jpg": "EmptyFileError",
    "08-locked.pdf": "EncryptedFileError",
    "09-notes.txt": "UnsupportedFileError",
    "10-bomb.png": "DecompressionBombError",
}


def form_page(word: str, degrees: float = 0) -> Image.Image:
    """An A5 page with a marker word at the top and a few lines of Vietnamese, then turned."""
    width, height = round(148 * MM), round(210 * MM)
    page = Image.new("L", (width, height), 250)
    draw = ImageDraw.Draw(page)
    big = ImageFont.truetype(FONT, round(16 / 72 * DPI))
    body = ImageFont.truetype(FONT, round(11 / 72 * DPI))
    draw.text((round(15 * MM), round(20 * MM)), f"{word} {word.upper()}", font=big, fill=15)
    lines = [
        "Cộng hòa xã hội chủ nghĩa Việt Nam",
        "Độc lập - Tự do - Hạnh phúc",
        "Kính gửi: Ủy ban nhân dân phường Bến Nghé",
        "Họ và tên người nộp: Nguyễn Thị Hồng Nhung",
        "Địa chỉ: số 12 đường Lê Lợi, quận Hoàn Kiếm",
        f"Ghi chú: trang {word} của tập hồ sơ thử nghiệm",
    ]
    for i, line in enumerate(lines):
        draw.text((round(15 * MM), round((45 + 10 * i) * MM)), line, font=body, fill=20)
    if degrees:
        page = page.rotate(degrees, expand=degrees % 90 == 0, fillcolor=250)
    return page


def _png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(DPI, DPI))
    return buffer.getvalue()


def _bomb_png() -> bytes:
    """A tiny PNG whose header claims 60 000 x 60 000 pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def _bilevel(page: Image.Image) -> Image.Image:
    """What a scanner in black-and-white mode gives: a threshold, not dithering."""
    return page.point(lambda v: 255 if v > 140 else 0).convert("1", dither=Image.Dither.NONE)


def write_batch(folder: Path) -> None:
    folder.mkdir(parents=True)
    pages = {name: [form_page(w, d) for w, d in spec] for name, spec in GOOD.items()}
    pdf_pages = [_png_bytes(p) for p in pages["01-scan.pdf"]]
    (folder / "01-scan.pdf").write_bytes(img2pdf.convert(pdf_pages))
    first, *rest = [_bilevel(p) for p in pages["02-scan.tiff"]]
    first.save(
        folder / "02-scan.tiff", save_all=True, append_images=rest, compression="group4",
        dpi=(DPI, DPI),
    )  # fmt: skip
    pages["03-scan.jpg"][0].save(folder / "03-scan.jpg", quality=80, dpi=(DPI, DPI))
    pages["04-scan.png"][0].save(folder / "04-scan.png", dpi=(DPI, DPI))

    (folder / "05-corrupt.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    whole = _png_bytes(form_page("Golf"))
    (folder / "06-truncated.png").write_bytes(whole[: len(whole) // 3])
    (folder / "07-empty.jpg").write_bytes(b"")
    locked = io.BytesIO()
    with pikepdf.open(io.BytesIO(img2pdf.convert([whole]))) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    (folder / "08-locked.pdf").write_bytes(locked.getvalue())
    (folder / "09-notes.txt").write_text("not a scan", encoding="utf-8")
    (folder / "10-bomb.png").write_bytes(_bomb_png())


@dataclass
class Run:
    code: int
    report: dict[str, Any]
    stderr: str
    out: Path


def run_ingest(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    environment = {
        **os.environ,
        "HOSO_DATA_DIR": str(data_dir),
        "HOSO_WORKERS": "2",
        **(env or {}),
    }
    for name in ("HOSO_DATABASE_URL", "HOSO_S3_ENDPOINT"):
        if not env or name not in env:
            environment.pop(name, None)
    done = subprocess.run(
        [HOSO, "ingest", "--json", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
    )
    report = json.loads(done.stdout) if done.stdout.strip() else {}
    out = Path(args[args.index("--out") + 1]) if "--out" in args else data_dir / "out"
    return Run(done.returncode, report, done.stderr, out)


def pdftotext(pdf: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return unicodedata.normalize("NFC", done.stdout)


def word_boxes(pdf: Path) -> list[tuple[int, str, float, float, float, float]]:
    """(page, word, xMin/pageWidth, yMin/pageHeight, xMax/pageWidth, yMax/pageHeight)."""
    import xml.etree.ElementTree as ET

    done = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    root = ET.fromstring(done.stdout)
    boxes = []
    for number, page in enumerate(root.iter("{http://www.w3.org/1999/xhtml}page"), start=1):
        w, h = float(page.get("width", 1)), float(page.get("height", 1))
        for word in page.iter("{http://www.w3.org/1999/xhtml}word"):
            x0, y0 = float(word.get("xMin", 0)) / w, float(word.get("yMin", 0)) / h
            x1, y1 = float(word.get("xMax", 0)) / w, float(word.get("yMax", 0)) / h
            boxes.append((number, (word.text or "").strip(), x0, y0, x1, y1))
    return boxes


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("ingest")
    write_batch(root / "scans")
    return run_ingest(root / "data", str(root / "scans"), "--out", str(root / "out"))


def test_report_shape_and_exit_status(batch: Run) -> None:
    assert batch.code == 1, batch.stderr  # bad files in the batch: non-zero, the rest done
    report = batch.report
    assert {"page_count", "seconds", "documents", "errors"} <= report.keys()
    assert report["page_count"] == sum(len(pages) for pages in GOOD.values())
    assert isinstance(report["seconds"], float) and report["seconds"] > 0
    for document in report["documents"]:
        assert {
            "dossier_code", "doc_type", "page_count", "first_page", "fields", "needs_review",
            "pdf", "document_id", "object_key",
        } <= document.keys()  # fmt: skip
        assert isinstance(document["fields"], dict)
        assert isinstance(document["needs_review"], bool)
    assert "Traceback" not in batch.stderr


def test_every_bad_file_is_reported_with_a_reason(batch: Run) -> None:
    errors = {Path(e["path"]).name: e for e in batch.report["errors"]}
    assert errors.keys() == BAD.keys()
    for name, kind in BAD.items():
        assert errors[name]["error"] == kind, errors[name]
        assert len(errors[name]["message"]) > 15


def test_documents_cover_each_good_page_once_in_batch_order(batch: Run) -> None:
    documents = batch.report["documents"]
    covered: list[int] = []
    for document in documents:
        covered.extend(
            range(document["first_page"], document["first_page"] + document["page_count"])
        )
    assert covered == list(range(1, batch.report["page_count"] + 1))
    # Uploaded several at a time, recorded in order: document ids follow the scan.
    ids = [document["document_id"] for document in documents]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    # Documents never straddle two files: each file's first page starts a document.
    starts = {d["first_page"] for d in documents}
    first_pages, page = [], 1
    for spec in GOOD.values():
        first_pages.append(page)
        page += len(spec)
    assert set(first_pages) <= starts


def test_nothing_but_complete_pdfs_under_out(batch: Run) -> None:
    written = sorted(p for p in batch.out.rglob("*") if p.is_file())
    reported = sorted(Path(d["pdf"]) for d in batch.report["documents"])
    assert written == reported
    for document in batch.report["documents"]:
        pdf = Path(document["pdf"])
        folder = document["dossier_code"] or "unassigned"
        assert pdf.parent == batch.out / folder
        assert pdf.name.endswith(f"-{document['doc_type']}.pdf")
        with pikepdf.open(pdf) as opened:
            assert len(opened.pages) == document["page_count"]


def test_text_layer_is_searchable_with_vietnamese(batch: Run) -> None:
    text = " ".join(pdftotext(Path(d["pdf"])) for d in batch.report["documents"])
    for spec in GOOD.values():
        for word, _ in spec:
            assert word.upper() in text, word
    assert text.count("Hạnh phúc") >= 5
    assert "Hồng Nhung" in text


@pytest.mark.parametrize(("word", "degrees"), [(w, d) for spec in GOOD.values() for w, d in spec])
def test_pages_come_out_upright_with_words_where_the_image_has_them(
    batch: Run, word: str, degrees: int
) -> None:
    """The marker word is drawn top left on the upright page: after turning and deskewing, the
    text layer must put it there, in the page's upright coordinates."""
    hits = []
    for document in batch.report["documents"]:
        hits += [b for b in word_boxes(Path(document["pdf"])) if b[1] == word.upper()]
    assert hits, f"{word} ({degrees}°) not in any text layer"
    _, _, x0, y0, x1, y1 = hits[0]
    assert x0 < 0.35 and y0 < 0.2, (word, degrees, hits[0])
    assert y1 - y0 < 0.05 and x1 > x0


def receive_dossier(data_dir: Path) -> str:
    """A birth registration dossier received at the counter, in the archive at ``data_dir``."""
    storage = open_runtime(Settings(data_dir=data_dir))
    try:
        return storage.dossiers.receive(
            "birth_registration", "Nguyễn Thị Hồng Nhung", "in_person", actor="test"
        ).code
    finally:
        storage.close()


def test_documents_are_stored_and_reingest_is_idempotent(tmp_path: Path) -> None:
    data = tmp_path / "data"
    settings = Settings(data_dir=data)
    code = receive_dossier(data)
    scans = tmp_path / "scans"
    scans.mkdir()
    form_page("Hotel").save(scans / "page.png", dpi=(DPI, DPI))

    first = run_ingest(data, "--dossier", code, str(scans))
    second = run_ingest(data, "--dossier", code, str(scans))
    assert first.code == 0 and second.code == 0, first.stderr + second.stderr
    [doc1], [doc2] = first.report["documents"], second.report["documents"]
    assert doc1["dossier_code"] == code
    assert doc1["object_key"].startswith(f"{code}/")
    assert (doc1["document_id"], doc1["object_key"]) == (doc2["document_id"], doc2["object_key"])
    # The second run's PDF (other bytes: another creation date) was not uploaded at all.
    assert len(list((data / "objects" / code / "documents").iterdir())) == 1

    storage = open_runtime(settings)
    try:
        [recorded] = storage.archive.documents(code)
        assert recorded.id == doc1["document_id"]
        with storage.archive.open(doc1["object_key"]) as reader:
            stored = reader.read()
    finally:
        storage.close()
    copy = tmp_path / "stored.pdf"
    copy.write_bytes(stored)  # read back through the SHA-256 check against the database
    assert "HOTEL" in pdftotext(copy)


def hoso(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "HOSO_DATA_DIR": str(data_dir)}
    for name in ("HOSO_DATABASE_URL", "HOSO_S3_ENDPOINT"):
        environment.pop(name, None)
    return subprocess.run(
        [HOSO, *args], capture_output=True, text=True, env=environment, timeout=120, check=False
    )


def test_unassigned_document_is_listed_and_attached_from_the_command_line(
    tmp_path: Path,
) -> None:
    """A page scanned before any receipt is kept unassigned; an officer files it by hand."""
    data, scans = tmp_path / "data", tmp_path / "scans"
    scans.mkdir()
    form_page("Juliet").save(scans / "page.png", dpi=(DPI, DPI))
    run = run_ingest(data, str(scans))
    assert run.code == 0, run.stderr
    [document] = run.report["documents"]
    assert document["dossier_code"] is None and document["needs_review"]

    listed = hoso(data, "unassigned", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [d["id"] for d in json.loads(listed.stdout)] == [document["document_id"]]
    code = receive_dossier(data)
    unknown = hoso(data, "attach", str(document["document_id"]), f"{code[:-4]}9999")
    assert unknown.returncode == 1 and "no dossier" in unknown.stderr
    attached = hoso(data, "attach", str(document["document_id"]), code, "--officer", "lan")
    assert attached.returncode == 0, attached.stderr
    assert code in attached.stdout
    assert json.loads(hoso(data, "unassigned", "--json").stdout) == []
    storage = open_runtime(Settings(data_dir=data))
    try:
        [filed] = storage.archive.documents(code)
        assert filed.id == document["document_id"] and filed.object_key.startswith(f"{code}/")
    finally:
        storage.close()


def test_storage_down_is_a_clear_error_and_records_nothing(tmp_path: Path) -> None:
    scans = tmp_path / "scans"
    scans.mkdir()
    form_page("India").save(scans / "page.png", dpi=(DPI, DPI))
    closed_port = _free_port()
    env = {
        "HOSO_S3_ENDPOINT": f"127.0.0.1:{closed_port}",
        "HOSO_S3_ACCESS_KEY": "hoso",
        "HOSO_S3_SECRET_KEY": "hoso-secret",
        "HOSO_S3_BUCKET": "hoso",
        "HOSO_S3_SECURE": "false",
    }
    run = run_ingest(tmp_path / "data", str(scans), env=env)
    assert run.code != 0
    assert "Traceback" not in run.stderr
    message = run.stderr + json.dumps(run.report)
    assert str(closed_port) in message or "not available" in message or "unavailable" in message
    for document in run.report.get("documents", []):
        pytest.fail(f"a document was reported stored while the store is down: {document}")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
