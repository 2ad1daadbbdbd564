"""Titles, keywords and the taxonomy file: what decides a document's type."""

from __future__ import annotations

from pathlib import Path

import pytest

from ocr.classify import classify, find_title
from ocr.fields import extract_fields
from ocr.taxonomy import TaxonomyError, load_taxonomy
from tests.fixtures_classify import MOTTO, page_from_lines

TITLES = {
    "reception_receipt": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "birth_registration": "TỜ KHAI ĐĂNG KÝ KHAI SINH",
    "marriage_registration": "TỜ KHAI ĐĂNG KÝ KẾT HÔN",
    "land_certificate_application": "ĐƠN ĐĂNG KÝ ĐẤT ĐAI, TÀI SẢN GẮN LIỀN VỚI ĐẤT",
    "construction_permit_application": "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG",
    "household_business_registration": "GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH",
    "driving_license_exchange": "ĐƠN ĐỀ NGHỊ ĐỔI, CẤP LẠI GIẤY PHÉP LÁI XE",
    "id_card_copy": "CĂN CƯỚC CÔNG DÂN",
}

# What Tesseract's vie model really does to titles: tone marks dropped or swapped, Đ as Ð,
# a letter lost, the title wrapped over two lines.
DAMAGED = {
    "reception_receipt": ["GIẤY TIẾP NHAN HỒ SƠ VÀ HEN TRA KẾT QUA"],
    "birth_registration": ["TỜ KHAI ÐĂNG KÝ KHAl SINH"],
    "marriage_registration": ["TO KHAI DANG KY KET HON"],
    "land_certificate_application": ["ĐƠN ĐĂNG KÝ ĐẤT ĐAI,", "TÀI SẢN GẮN LIÊN VỚI ĐẤT"],
    "construction_permit_application": ["ĐƠN ĐÈ NGHỊ CẤP GIẤY PHÉP XÂY DƯNG"],
    "household_business_registration": ["GIẦY ĐỀ NGHI ĐĂNG KÝ HỘ KINH DOANH"],
    "driving_license_exchange": ["ĐƠN ĐỀ NGHỊ ĐỐI, CẤP LẠI GIẦY PHÉP LÁI XE"],
    "id_card_copy": ["CĂN CUỚC CÔNG DÂN"],
}


@pytest.mark.parametrize("doc_type", sorted(TITLES))
def test_printed_title_decides(doc_type: str, taxonomy) -> None:
    page = page_from_lines([*MOTTO, [(600, TITLES[doc_type])], "Kính gửi: Ủy ban nhân dân"])
    assert find_title(page, taxonomy) == doc_type
    result = classify(page, taxonomy)
    assert (result.doc_type, result.title_found) == (doc_type, True)
    assert result.confidence >= 0.95


@pytest.mark.parametrize("doc_type", sorted(DAMAGED))
def test_ocr_damaged_title_still_decides(doc_type: str, taxonomy) -> None:
    lines = [*MOTTO, *[[(600, part)] for part in DAMAGED[doc_type]], "Kính gửi: Ủy ban"]
    page = page_from_lines(lines)
    assert find_title(page, taxonomy) == doc_type
    assert classify(page, taxonomy).doc_type == doc_type


def test_a_title_whose_wide_capitals_ocr_cut_in_two(taxonomy) -> None:
    """ "TO KIL.\\I ĐĂNG KÝ KIL\\I SINII": Tesseract cut each "A" and "H" of a faint title in
    two strokes; no Vietnamese word holds "\\", "II" or "IL", so they are joined back."""
    page = page_from_lines([*MOTTO, [(600, "TO KIL.\\I ĐĂNG KÝ KIL\\I SINII")], "Kính gửi: Ủy ban"])
    assert find_title(page, taxonomy) == "birth_registration"


def test_a_title_whose_a_ocr_read_as_dot_v_is_still_the_title(taxonomy) -> None:
    """ "TO KH.VI DANG KY KHLVI SINH": an "A" read as ".V", another word garbled; the mended
    line is the title, and what is left of the garbled word is no other title's word."""
    page = page_from_lines([*MOTTO, [(600, "TO KH.VI DANG KY KHLVI SINH")], "Kính gửi: Ủy ban"])
    assert find_title(page, taxonomy) == "birth_registration"
    page = page_from_lines([*MOTTO, [(600, "TỜ KHAI ĐĂNG KÝ KHAI TỬ")], "Kính gửi: Ủy ban"])
    assert find_title(page, taxonomy) != "birth_registration"


def test_title_low_on_the_page_is_not_a_start(taxonomy) -> None:
    """A title quoted in the bottom half (a list of attachments) does not open a document."""
    lines = ["Nội dung tiếp theo của trang trước"] * 22 + [TITLES["birth_registration"]]
    page = page_from_lines(lines)
    assert find_title(page, taxonomy) is None


def test_mixed_case_sentence_is_not_a_title(taxonomy) -> None:
    page = page_from_lines(["Tờ khai đăng ký khai sinh theo mẫu kèm theo hồ sơ này"])
    assert find_title(page, taxonomy) is None


def test_unknown_official_document_starts_as_other(taxonomy) -> None:
    page = page_from_lines([*MOTTO, [(700, "GIẤY ỦY QUYỀN")], "Bên ủy quyền: Lê Văn Tám"])
    assert find_title(page, taxonomy) == "other"
    assert classify(page, taxonomy).doc_type == "other"


def test_continuation_page_has_no_title(taxonomy) -> None:
    page = page_from_lines(["Giấy tờ kèm theo:", "1. Bản sao giấy chứng sinh.", "Ghi chú: ..."])
    assert find_title(page, taxonomy) is None


def test_keywords_classify_when_the_title_is_lost(taxonomy) -> None:
    text = (
        "Thửa đất số: 102  Tờ bản đồ số: 17\nDiện tích: 720,51 m²\n"
        "Địa chỉ thửa đất: thôn Đông\nMục đích sử dụng: Đất ở\nNgười sử dụng đất: Lê Văn A"
    )
    result = classify(text, taxonomy)
    assert result.doc_type == "land_certificate_application"
    assert not result.title_found
    assert result.confidence < 0.95


def test_words_every_form_prints_do_not_vote(taxonomy) -> None:
    """ "Họ và tên", "Ngày sinh", "Số CCCD" are on every form: a licence form whose title was
    lost is still known by its own words, and a letter quoting a few common labels is other."""
    licence = (
        "Kính gửi: Sở Giao thông vận tải tỉnh Nghệ An\nHọ và tên: Lê Văn A\nNgày sinh: 01/02/1990\n"
        "Số CCCD: 001090012345\nHiện đã có giấy phép lái xe hạng: B2\nSố: 790123456789\n"
        "Lý do: giấy phép lái xe bị hỏng."
    )
    assert classify(licence, taxonomy).doc_type == "driving_license_exchange"
    letter = "Họ và tên: Lê Văn A\nNgày sinh: 01/02/1990\nSố CCCD: 001090012345\nTrân trọng."
    assert classify(letter, taxonomy).doc_type == "other"


def test_a_notice_quoting_a_forms_words_is_other(taxonomy) -> None:
    """ "THÔNG BÁO" (OCR: "THONG BAO") heads a notice, another genre of administrative
    document: its words about procedures ("hộ kinh doanh", "giấy phép") do not make it a form;
    the genre's name in a sentence-case table row ("Giấy ủy quyền") is no title."""
    notice = (
        "UỶ BAN NHÂN DÂN\nTHONG BAO\nVề lịch tiếp công dân\nNgười đề nghị đăng ký hộ kinh "
        "doanh nộp Giấy đề nghị đăng ký hộ kinh doanh, bản sao giấy tờ pháp lý của chủ hộ kinh "
        "doanh, số vốn kinh doanh, ngành nghề kinh doanh, tên hộ kinh doanh."
    )
    result = classify(notice, taxonomy)
    assert (result.doc_type, result.title_found) == ("other", True)
    assert classify("STT\nGiấy ủy quyền\n1", taxonomy).title_found is False


def test_a_title_damaged_past_recognition_counts_when_the_labels_agree(taxonomy) -> None:
    """OCR left "TỜ KHAI ĐĂNG KÝ KHAI SINH" as "TO KHALDANG KÝ KH.\\ESELXH": too far from the
    title to decide alone, and the few labels the OCR kept are too few alone, but the two
    agree. Neither alone is enough, and a damaged title the labels contradict decides nothing."""
    labels = (
        "Đề nghị đăng ký khai sinh cho người dưới đây:\nDân tộc: Kinh\nQuê quán: Đà Nẵng\n"
        "Họ, chữ đệm, tên người mẹ: Cao Mỹ Trang"
    )
    damaged = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTO KHALDANG KÝ KH.\\ESELXH\n"
    result = classify(damaged + labels, taxonomy)
    assert (result.doc_type, result.title_found) == ("birth_registration", False)
    assert result.confidence <= 0.75
    assert classify(labels, taxonomy).doc_type == "other"
    assert classify(damaged + "Kính gửi quý cơ quan.", taxonomy).doc_type == "other"
    land = "Thửa đất số: 102\nTờ bản đồ số: 17\nDiện tích: 720 m²"
    assert classify(damaged + land, taxonomy).doc_type != "birth_registration"


def test_text_without_signal_is_other(taxonomy) -> None:
    result = classify("Kính gửi quý cơ quan.\nTrân trọng cảm ơn.", taxonomy)
    assert result.doc_type == "other"


# --- the taxonomy file --------------------------------------------------------------------


def test_shipped_taxonomy_covers_the_spec() -> None:
    import yaml

    spec = yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "shared/spec/document-types.yaml").read_text()
        if (Path(__file__).resolve().parents[2] / "shared/spec/document-types.yaml").exists()
        else (Path(__file__).resolve().parents[1] / "ocr/data/document-types.yaml").read_text()
    )
    taxonomy = load_taxonomy()
    for name, definition in spec["types"].items():
        assert name in taxonomy.types
        ours = {f.name: f.kind for f in taxonomy.types[name].fields if f.report}
        reported = {  # a field marked ``report: false`` is read for cross-checks only
            field
            for field, spec_field in (definition["fields"] or {}).items()
            if not (isinstance(spec_field, dict) and spec_field.get("report") is False)
        }
        assert set(ours) == reported
    assert taxonomy.dossier_code_pattern.fullmatch("000.00.13.H12-250701-0042")
    assert taxonomy.dossier_code_pattern.fullmatch("G22.45.01.H56-250701-0042")
    assert set(taxonomy.procedures) == set(spec["procedures"])


def test_center_adds_a_type_without_code(tmp_path: Path) -> None:
    extra = tmp_path / "center.yaml"
    extra.write_text(
        """
types:
  residence_confirmation:
    title: "GIẤY XÁC NHẬN CƯ TRÚ"
    keywords: ["cư trú", "xác nhận"]
    fields:
      resident_name: {kind: name, labels: ["Họ và tên người cư trú", "Họ và tên"]}
      confirmed_on: date
  birth_registration:
    titles: ["TỜ KHAI KHAI SINH (MẪU CŨ)"]
procedures:
  residence_confirmation: {opening_document: residence_confirmation, working_days: 2}
""",
        encoding="utf-8",
    )
    taxonomy = load_taxonomy(extra)
    assert "residence_confirmation" in taxonomy.types
    assert "reception_receipt" in taxonomy.types  # the default stays
    # override merged key by key: new titles, the shipped fields kept
    birth = taxonomy.get("birth_registration")
    assert birth.titles == ["TỜ KHAI ĐĂNG KÝ KHAI SINH", "TỜ KHAI KHAI SINH (MẪU CŨ)"]
    assert "child_name" in {f.name for f in birth.fields}
    page = page_from_lines(
        [
            *MOTTO,
            [(650, "GIẤY XÁC NHẬN CƯ TRÚ")],
            "Họ và tên người cư trú: Phạm Thị Hoa",
            "Confirmed on: 03/04/2025",
        ]
    )
    assert classify(page, taxonomy).doc_type == "residence_confirmation"
    fields = extract_fields("residence_confirmation", [page], taxonomy)
    assert fields["resident_name"].value == "Phạm Thị Hoa"
    assert fields["confirmed_on"].value == "2025-04-03"  # label from the field's name
    assert load_taxonomy() is not taxonomy and "residence_confirmation" not in load_taxonomy().types


def test_center_removes_a_type(tmp_path: Path) -> None:
    extra = tmp_path / "center.yaml"
    extra.write_text("types:\n  id_card_copy: null\n", encoding="utf-8")
    assert "id_card_copy" not in load_taxonomy(extra).types


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("types: [1, 2", "not valid YAML"),
        ("- a\n- b\n", "top level must be a mapping"),
        ("types:\n  x:\n    title: T\n    fields:\n      f: colour\n", "unknown value kind"),
        ("types:\n  x:\n    fields:\n      f: date\n", "needs a 'title'"),
        ("types:\n  x:\n    title: T\n    fields:\n      f: {labels: [a]}\n", "needs 'kind"),
        ("dossier_code: {pattern: '[unclosed'}\n", "not a regex"),
        ("procedures:\n  p: {opening_document: nothing}\n", "not a known type"),
        (
            "types:\n  x:\n    title: T\n    fields:\n      f: {kind: integer, range: [9, 1]}\n",
            "range must be",
        ),
        (
            "types:\n  x:\n    title: T\n    fields:\n      f: {kind: date, report: maybe}\n",
            "report must be",
        ),
        (
            "types:\n  x:\n    title: T\n    fields:\n      f: {kind: text, prefix: [a]}\n",
            "prefix must be",
        ),
        (
            "types:\n  x:\n    title: T\n    fields:\n"
            "      f: {kind: text, ends_with_province: sometimes}\n",
            "ends_with_province must be",
        ),
    ],
)
def test_bad_center_file_gets_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    extra = tmp_path / "center.yaml"
    extra.write_text(content, encoding="utf-8")
    with pytest.raises(TaxonomyError, match=message) as info:
        load_taxonomy(extra)
    assert "center.yaml" in str(info.value)
    assert extra.read_text(encoding="utf-8") == content  # nothing lost or rewritten


def test_missing_center_file(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="cannot read"):
        load_taxonomy(tmp_path / "absent.yaml")


def test_a_label_quoting_a_short_title_is_not_a_title(taxonomy) -> None:
    """ "(Số thẻ Căn cước)" under a value quotes "CĂN CƯỚC" but is a label, not a card."""
    lines = [*MOTTO, "012345678901 .........", "(Số thẻ Căn cước)"]
    assert find_title(page_from_lines(lines), taxonomy) == "other"


@pytest.mark.parametrize(
    "title",
    [
        "TỜ KHAI ĐĂNG KÝ KHAI TỬ",  # death, not birth
        "GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH",  # the certificate, not the application
        "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP KINH DOANH",
        "TỜ KHAI ĐĂNG KÝ THƯỜNG TRÚ",
    ],
)
def test_a_title_with_another_word_is_another_document(title: str, taxonomy) -> None:
    """Close to a known title, but one of its words replaced by another real word."""
    lines = [*MOTTO, [(600, title)], "Kính gửi: Ủy ban nhân dân phường Láng"]
    assert find_title(page_from_lines(lines), taxonomy) == "other"


def test_a_title_damaged_by_ocr_still_decides(taxonomy) -> None:
    """Debris in place of letters ("KH4I", "ÐANG KV") is damage, not another word."""
    lines = [*MOTTO, [(600, "TO KHA1 ÐANG KV KH4I SlNH")]]
    assert find_title(page_from_lines(lines), taxonomy) == "birth_registration"


def test_a_scribble_under_a_signature_caption_is_no_title(taxonomy) -> None:
    """A form's last page holding only its signature block: the signature read "BÀ Cà" is
    close to "BÁO CÁO", a genre's title, but nothing under "(Ký, ghi rõ họ tên)" is a title."""
    page = page_from_lines(
        [
            [(1546, "Người viết đơn")],
            [(1548, "(Ký, ghi rõ họ tên)")],
            [(1607, "BÀ Cà")],
            [(1452, "Trịnh Thu Trang Hoa")],
        ]
    )
    assert find_title(page, taxonomy) is None
    report = page_from_lines([*MOTTO, [(800, "BÁO CÁO")], "Kính gửi: Ủy ban nhân dân xã"])
    assert find_title(report, taxonomy) == "other"
