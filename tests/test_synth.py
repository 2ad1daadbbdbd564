"""The synthetic scan generator: truth matches the print; it is varied and reproducible."""

from __future__ import annotations

import json
import random
import re
import unicodedata
from pathlib import Path

import numpy as np
import pytest
import yaml
import zxingcpp
from PIL import Image

from benchmarks.synth import (
    DOC_TYPES,
    UnknownDocumentTypeError,
    UnknownLayoutError,
    UnknownProfileError,
    WriterError,
    degrade,
    fonts,
    layouts,
    make_batch,
    render_document,
    write_images,
    write_pdf,
    write_tiff,
)
from benchmarks.synth.__main__ import main as synth_cli

SPEC = yaml.safe_load(
    (Path(__file__).parents[1] / "ocr" / "data" / "document-types.yaml").read_text("utf-8")
)
FORMATS = {
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "id_number": re.compile(r"^(\d{12}|\d{9})$"),
    "integer": re.compile(r"^[1-9]\d*$"),
    "money": re.compile(r"^[1-9]\d*$"),
    "gender": re.compile(r"^(Nam|Nữ)$"),
    "number": re.compile(r"^\d+(\.\d+)?$"),
    "dossier_code": re.compile(r"^[0-9A-Z]{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}$"),
}


def _joined(doc) -> str:
    return " ".join(line for page in doc.pages for line in page.lines)


def _single_spaced_nfc(text: str) -> bool:
    return text == unicodedata.normalize("NFC", text) and text == " ".join(text.split())


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_each_type_prints_its_fields_and_title(doc_type: str) -> None:
    for seed in range(2):
        doc = render_document(doc_type, random.Random(seed), variant="train")
        spec_fields = {  # the reported fields (not those read only to check others)
            name: spec
            for name, spec in (SPEC["types"][doc_type]["fields"] or {}).items()
            if not (isinstance(spec, dict) and spec.get("report") is False)
        }
        assert set(doc.fields) == set(spec_fields), doc.layout
        text = _joined(doc)
        for key, printed in doc.printed.items():
            assert printed in text, (key, printed, doc.layout)
        title = SPEC["types"][doc_type]["title"]
        if title and doc.layout != "card_2024":
            assert title in text
        assert doc.pages[0].role == "title"
        assert all(p.role == "continuation" for p in doc.pages[1:])
        assert 1 <= len(doc.pages) <= 3
        page = doc.pages[0].image
        assert page.size == (2480, 3508) and page.mode in ("L", "RGB")
        assert np.asarray(page).min() < 50  # something was drawn


def test_normalised_fields_follow_the_spec_formats() -> None:
    rng = random.Random(11)
    for doc_type in DOC_TYPES:
        for _ in range(3):
            doc = render_document(doc_type, rng)
            for key, value in doc.fields.items():
                kind = SPEC["types"][doc_type]["fields"][key]
                kind = kind if isinstance(kind, str) else kind["kind"]  # shipped form: {kind: ...}
                assert _single_spaced_nfc(value), (key, value)
                if kind in FORMATS:
                    assert FORMATS[kind].match(value), (doc_type, key, value, doc.printed[key])
                if kind == "name":
                    assert value.replace(" ", "").isalpha(), value
                if kind == "number":
                    printed = doc.printed[key].split(" m")[0].split("m")[0]
                    assert float(value) == float(printed.replace(".", "").replace(",", "."))


def test_receipt_qr_decodes_to_the_dossier_code() -> None:
    code = "000.00.13.H12-250701-0042"
    for seed in range(3):
        doc = render_document("reception_receipt", random.Random(seed), dossier_code=code)
        assert doc.fields["dossier_code"] == code
        clean = zxingcpp.read_barcodes(doc.pages[0].image)
        assert [b.text for b in clean] == [code]
        scanned, _ = degrade(doc.pages[0].image, random.Random(seed), profile="typical")
        assert code in [b.text for b in zxingcpp.read_barcodes(scanned)]


def test_degrade_is_deterministic_per_seed() -> None:
    page = render_document("birth_registration", random.Random(2)).pages[0].image
    a, how_a = degrade(page, random.Random(5), profile="harsh")
    b, how_b = degrade(page, random.Random(5), profile="harsh")
    c, _ = degrade(page, random.Random(6), profile="harsh")
    assert how_a == how_b
    assert np.array_equal(np.asarray(a), np.asarray(b))
    assert not np.array_equal(np.asarray(a), np.asarray(c))
    assert how_a.skew_degrees != 0
    if how_a.rotation in (90, 270):
        assert a.size == (page.height, page.width)


def test_holdout_uses_reserved_layouts_wordings_and_fonts() -> None:
    assert not set(fonts("train")) & set(fonts("holdout")) and fonts("holdout")
    for doc_type in DOC_TYPES:
        assert not set(layouts(doc_type, "train")) & set(layouts(doc_type, "holdout"))
    train_labels: set[str] = set()
    holdout_labels: set[str] = set()
    for seed in range(6):
        for variant, labels in (("train", train_labels), ("holdout", holdout_labels)):
            doc = render_document(
                "land_certificate_application", random.Random(seed), variant=variant
            )
            assert doc.layout in layouts(doc.doc_type, variant)
            assert doc.font in fonts(variant)
            labels.update(doc.labels)
    assert holdout_labels and not train_labels & holdout_labels


def test_batch_truth_is_self_consistent() -> None:
    batch = make_batch(3, dossiers=2, docs_per_dossier=(1, 2), blank_backs=0.5)
    truth = batch.truth
    assert len(batch.pages) == len(truth["pages"])
    assert [p["page"] for p in truth["pages"]] == list(range(1, len(batch.pages) + 1))
    expected_first = 1
    for index, doc in enumerate(truth["documents"]):
        assert doc["first_page"] == expected_first
        expected_first += doc["page_count"]
        pages = truth["pages"][doc["first_page"] - 1 : doc["first_page"] - 1 + doc["page_count"]]
        assert all(p["document_index"] == index and p["doc_type"] == doc["doc_type"] for p in pages)
        assert pages[0]["role"] == "title"
    assert expected_first == len(batch.pages) + 1
    for i, dossier in enumerate(truth["dossiers"]):
        opening = truth["pages"][dossier["first_page"] - 1]
        assert opening["doc_type"] == "reception_receipt" and opening["dossier_index"] == i
        receipt = truth["documents"][opening["document_index"]]
        assert receipt["fields"]["dossier_code"] == dossier["code"]
    for page in truth["pages"]:
        if page["role"] == "blank":
            assert page["lines"] == [] and not page["degradation"]["stamp"]
    json.dumps(truth, ensure_ascii=False)  # truth must be serialisable as written by the CLI
    assert len(batch.head(2).pages) == 2


@pytest.mark.parametrize("compression", ["group4", "tiff_lzw", "jpeg"])
def test_tiff_writer_multi_page(tmp_path: Path, compression: str) -> None:
    small = [Image.new("L", (300, 400), 255), Image.new("RGB", (300, 400), (250, 240, 230))]
    path = write_tiff(small, tmp_path / "b.tif", 300, compression)
    with Image.open(path) as tif:
        assert tif.n_frames == 2
        for frame in range(2):
            tif.seek(frame)
            assert tif.info["compression"] == compression
            assert round(tif.info["dpi"][0]) == 300


def test_pdf_and_image_writers(tmp_path: Path) -> None:
    import pikepdf

    pages = [Image.new("L", (248, 351), 255)] * 3
    pdf = write_pdf(pages, tmp_path / "b.pdf", 30)
    with pikepdf.open(pdf) as doc:
        assert len(doc.pages) == 3
        assert float(doc.pages[0].mediabox[2]) == pytest.approx(248 / 30 * 72, rel=0.01)
    files = write_images(pages, tmp_path / "img", 30, "png")
    assert [f.name for f in files] == ["page-0001.png", "page-0002.png", "page-0003.png"]


def test_bad_input_gets_clear_errors(tmp_path: Path) -> None:
    rng = random.Random(0)
    with pytest.raises(UnknownDocumentTypeError, match="known"):
        render_document("passport", rng)
    with pytest.raises(UnknownLayoutError, match="known"):
        render_document("birth_registration", rng, layout="card_2016")
    with pytest.raises(UnknownProfileError, match="clean"):
        degrade(Image.new("L", (10, 10), 255), rng, profile="awful")
    with pytest.raises(WriterError, match="no pages"):
        write_pdf([], tmp_path / "x.pdf", 300)
    with pytest.raises(WriterError, match="group4"):
        write_tiff([Image.new("L", (10, 10))], tmp_path / "x.tif", 300, "zip")
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "x.tif").exists()


def test_cli_writes_batch_and_truth(tmp_path: Path) -> None:
    assert (
        synth_cli(
            [
                "--out",
                str(tmp_path),
                "--seed",
                "1",
                "--dossiers",
                "1",
                "--format",
                "png",
                "--dpi",
                "200",
                "--profile",
                "clean",
            ]
        )
        == 0
    )
    truth = json.loads((tmp_path / "truth.json").read_text("utf-8"))
    assert len(truth["files"]) == len(truth["pages"]) >= 2
    with Image.open(tmp_path / truth["files"][0]) as first:
        assert round(first.info["dpi"][0]) == 200
        assert first.size == (round(210 / 25.4 * 200), round(297 / 25.4 * 200))


@pytest.mark.parametrize("layout", ["grid", "caption_below"])
def test_holdout_layouts_print_every_value(layout: str) -> None:
    """The grid (two label/value pairs a row) and label-below-value layouts keep the truth."""
    for doc_type in ("land_certificate_application", "household_business_registration"):
        doc = render_document(doc_type, random.Random(5), variant="holdout", layout=layout)
        text = _joined(doc)
        for key, printed in doc.printed.items():
            assert printed in text, (key, printed, layout)


def test_dev_wordings_are_neither_listed_nor_holdout() -> None:
    """The dev variant tunes the reading of unlisted wordings: none may be in the shipped
    taxonomy (it would test nothing) or among the holdout's (it would leak the holdout)."""
    from benchmarks.synth.forms import DEV_LABELS, LABELS
    from ocr.normalize import match_key
    from ocr.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    listed = {match_key(t) for d in taxonomy.types.values() for f in d.fields for t in f.labels}
    listed |= {match_key(t) for d in taxonomy.types.values() for t in d.other_labels}
    holdout = {match_key(t) for _, reserved in LABELS.values() for t in reserved}
    dev = {match_key(t) for wordings in DEV_LABELS.values() for t in wordings}
    assert dev and not dev & listed and not dev & holdout
    doc = render_document("land_certificate_application", random.Random(1), variant="dev")
    assert doc.layout in layouts(doc.doc_type, "dev") and doc.font in fonts("train")
    assert set(doc.labels) & {t for w in DEV_LABELS.values() for t in w}


def test_dev_layouts_are_neither_train_nor_holdout_and_print_every_value() -> None:
    """The dev variant's own layouts (a marked list, label above value in boxes, rows run on
    along a line) widen tuning beyond the train layouts without touching the holdout's."""
    from benchmarks.synth.layouts import DEV_LAYOUTS

    dev = set(layouts("birth_registration", "dev"))
    assert set(DEV_LAYOUTS) <= dev
    assert not set(DEV_LAYOUTS) & set(layouts("birth_registration", "holdout"))
    assert not set(DEV_LAYOUTS) & set(layouts("birth_registration", "train"))
    for layout in DEV_LAYOUTS:
        for doc_type in ("birth_registration", "land_certificate_application"):
            doc = render_document(doc_type, random.Random(7), variant="dev", layout=layout)
            text = _joined(doc)
            for key, printed in doc.printed.items():
                assert printed in text, (key, printed, layout)
