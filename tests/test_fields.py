"""Field extraction on word boxes of each type's layouts, and once on a real OCR of a page."""

from __future__ import annotations

import os
import random
from dataclasses import replace

import numpy as np
import pytest

from ocr.fields import extract_fields
from ocr.normalize import fold
from ocr.text import PageText, Word
from tests.fixtures_classify import LEFT, MOTTO, page_from_lines


def values(fields) -> dict[str, str | None]:
    return {name: f.value for name, f in fields.items()}


def reviewed(fields) -> set[str]:
    return {name for name, f in fields.items() if f.needs_review}


CASES = {
    "reception_receipt": (
        [
            [(150, "UBND PHƯỜNG LÁNG"), (1300, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")],
            [(150, "BỘ PHẬN MỘT CỬA"), (1400, "Độc lập - Tự do - Hạnh phúc")],
            [(500, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")],
            [(800, "Mã hồ sơ: 000.00.13.H12-250701-0042")],
            "Bộ phận tiếp nhận và trả kết quả phường Láng tiếp nhận hồ sơ của:",
            "Ông/Bà: .......... Nguyễn Văn An ..............",
            "Số CCCD: 001085012345 ......................",
            "Thủ tục hành chính: Đăng ký khai sinh ..........",
            "4. Thời gian nhận hồ sơ: 08 giờ 30 phút, ngày 01/07/2025.",
            "5. Thời gian trả kết quả giải quyết hồ sơ: 15 giờ 00 phút, ngày 02/07/2025.",
            [(300, "NGƯỜI NỘP HỒ SƠ"), (1500, "NGƯỜI TIẾP NHẬN HỒ SƠ")],
            [(300, "(Ký và ghi rõ họ tên)"), (1500, "(Ký và ghi rõ họ tên)")],
        ],
        {
            "dossier_code": "000.00.13.H12-250701-0042",
            "applicant_name": "Nguyễn Văn An",
            "procedure": "Đăng ký khai sinh",
            "received_date": "2025-07-01",
            "due_date": "2025-07-02",
        },
    ),
    "birth_registration": (
        [
            *MOTTO,
            [(700, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
            "Kính gửi: Ủy ban nhân dân phường Láng",
            "Họ, chữ đệm, tên người yêu cầu: Trần Văn Hùng",
            "Nơi cư trú: Số 12 phố Huế, phường Hoàn Kiếm, thành phố Hà Nội",
            "Giấy tờ tùy thân: 0O1O85012345",
            "Quan hệ với người được khai sinh: Cha",
            "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:",
            "Họ, chữ đệm, tên: TRẦN MINH KHÔI",
            "Ngày, tháng, năm sinh: ngày 3 tháng 6 năm 2025   Giới tính: Nam",
            "Nơi sinh: Bệnh viện Phụ sản Hà Nội",
            "Quê quán: tỉnh Nam Định",
            "Họ, chữ đệm, tên người mẹ: Lê Thị Hoa      Năm sinh: 1990",
            "Hà Nội, ngày 10 tháng 6 năm 2025",
        ],
        {
            "requester_name": "Trần Văn Hùng",
            "requester_id_number": "001085012345",
            "child_name": "TRẦN MINH KHÔI",
            "child_birth_date": "2025-06-03",
            "child_gender": "Nam",
            "birth_place": "Bệnh viện Phụ sản Hà Nội",
        },
    ),
    "marriage_registration": (
        [
            *MOTTO,
            [(800, "TỜ KHAI ĐĂNG KÝ KẾT HÔN")],
            [(200, "Thông tin"), (900, "Bên nữ"), (1650, "Bên nam")],
            [(200, "Họ, chữ đệm, tên"), (900, "Phạm Thị Lan"), (1650, "Đỗ Văn Long")],
            [(200, "Ngày, tháng, năm sinh"), (900, "12/05/1995"), (1650, "l3/O1/1993")],
            [(200, "Dân tộc"), (900, "Kinh"), (1650, "Kinh")],
            [(200, "Giấy tờ tùy thân"), (900, "038195012345"), (1650, "0O1 093 012346")],
            [(200, "Nơi cư trú"), (900, "phường Láng, Hà Nội"), (1650, "xã Tân Lập, Hà Nội")],
        ],
        {
            "bride_name": "Phạm Thị Lan",
            "bride_birth_date": "1995-05-12",
            "bride_id_number": "038195012345",
            "groom_name": "Đỗ Văn Long",
            "groom_birth_date": "1993-01-13",
            "groom_id_number": "001093012346",
        },
    ),
    "land_certificate_application": (
        [
            *MOTTO,
            [(500, "ĐƠN ĐĂNG KÝ ĐẤT ĐAI, TÀI SẢN GẮN LIỀN VỚI ĐẤT")],
            "I. PHẦN KÊ KHAI CỦA NGƯỜI ĐĂNG KÝ",
            "Họ tên: ĐỖ PHƯƠNG CHÂU..........................",
            "Số giấy tờ tùy thân: 082199634758....................",
            "2. Thửa đất đăng ký:",
            "Thửa đất số: 102;   Tờ bản đồ số: 17;",
            "Diện tích: 720,51 m²",
            "Địa chỉ thửa đất: Số 23/7, đường Cách Mạng Tháng Tám, phường Hải Châu, huyện",
            "Nghĩa Đàn, tỉnh Lào Cai",
            "Mục đích sử dụng: Đất ở tại nông thôn",
        ],
        {
            "applicant_name": "ĐỖ PHƯƠNG CHÂU",
            "applicant_id_number": "082199634758",
            "parcel_number": "102",
            "map_sheet_number": "17",
            "area_m2": "720.51",
            "land_address": (
                "Số 23/7, đường Cách Mạng Tháng Tám, phường Hải Châu, huyện Nghĩa Đàn, tỉnh Lào Cai"
            ),
        },
    ),
    "construction_permit_application": (
        [
            *MOTTO,
            [(500, "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG")],
            "1. Thông tin về chủ đầu tư:",
            [(200, "Tên chủ đầu tư"), (1100, "Hoàng Đức Bảo")],
            [(200, "Số định danh cá nhân"), (1100, "001 089 654 321")],
            [(200, "Số điện thoại"), (1100, "0912345678")],
            "2. Thông tin công trình:",
            [(200, "Địa điểm xây dựng"), (1100, "thôn Thượng, xã Đông Hưng")],
            [(200, "Thửa đất số"), (1100, "995")],
            [(200, "Diện tích lô đất"), (1100, "250,67 m2")],
            [(200, "Tổng diện tích sàn"), (1100, "523,17 m2")],
            [(200, "Số tầng"), (1100, "05")],
        ],
        {
            "investor_name": "Hoàng Đức Bảo",
            "investor_id_number": "001089654321",
            "construction_address": "thôn Thượng, xã Đông Hưng",
            "parcel_number": "995",
            "floor_area_m2": "523.17",
            "floors": "5",
        },
    ),
    "household_business_registration": (
        [
            *MOTTO,
            [(550, "GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH")],
            "Kính gửi: Phòng Tài chính - Kế hoạch",
            "Họ và tên chủ hộ:",
            "Lương Xuân Minh ......................",
            "Ngày, tháng, năm sinh:",
            "16/05/1981 ........................",
            "Số CCCD:",
            "042081522985 ..........",
            "Tên hộ kinh doanh:",
            "HỘ KINH DOANH SỬA XE MÁY MINH ................",
            "Địa điểm kinh doanh:",
            "Số 258, đường Phạm Văn Đồng, phường Ngô Quyền",
            "Vốn kinh doanh:",
            "1.200.000.000 đồng .......................",
            "Bằng chữ: Một tỷ hai trăm triệu đồng",
        ],
        {
            "business_name": "HỘ KINH DOANH SỬA XE MÁY MINH",
            "owner_name": "Lương Xuân Minh",
            "owner_id_number": "042081522985",
            "business_address": "Số 258, đường Phạm Văn Đồng, phường Ngô Quyền",
            "capital_vnd": "1200000000",
        },
    ),
    "driving_license_exchange": (
        [
            *MOTTO,
            [(450, "ĐƠN ĐỀ NGHỊ ĐỔI, CẤP LẠI GIẤY PHÉP LÁI XE")],
            "Kính gửi: Sở Xây dựng tỉnh Ninh Bình",
            [(200, "Họ và tên: Phùng Phương Ly......"), (1300, "Quốc tịch: Việt Nam.......")],
            [(200, "Ngày sinh: 28-6-1997.........."), (1300, "Nơi cư trú: Ninh Bình")],
            "Số CCCD: 037197122057.................",
            "Hiện đã có giấy phép lái xe hạng: B2......",
            [(200, "Số GPLX: 386983207691......"), (1300, "Ngày cấp: 7-2-2016......")],
            "Lý do: giấy phép lái xe bị hỏng, không còn sử dụng được.",
            "Ninh Bình, ngày 9 tháng 9 năm 2025",
        ],
        {
            "full_name": "Phùng Phương Ly",
            "birth_date": "1997-06-28",
            "id_number": "037197122057",
            "license_number": "386983207691",
            "license_class": "B2",
        },
    ),
    "id_card_copy": (
        [
            [(700, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")],
            [(800, "CĂN CƯỚC CÔNG DÂN")],
            [(800, "Số / No.: 001195012345")],
            [(800, "Họ và tên / Full name:")],
            [(800, "NGUYỄN THỊ LAN")],
            [(800, "Ngày sinh / Date of birth: 12/05/1995")],
            [(800, "Giới tính / Sex: Nữ"), (1500, "Quốc tịch / Nationality: Việt Nam")],
            [(800, "Nơi thường trú / Place of residence: Số 12 phố Huế,")],
            [(800, "phường Hoàn Kiếm, Hà Nội")],
            [(200, "Có giá trị đến: 12/05/2035")],
        ],
        {
            "id_number": "001195012345",
            "full_name": "NGUYỄN THỊ LAN",
            "birth_date": "1995-05-12",
            "gender": "Nữ",
            "residence": "Số 12 phố Huế, phường Hoàn Kiếm, Hà Nội",
        },
    ),
}


@pytest.mark.parametrize("doc_type", sorted(CASES))
def test_each_type_on_word_boxes(doc_type: str, taxonomy) -> None:
    lines, expected = CASES[doc_type]
    # a clean print, read at Tesseract's top confidence: nothing to review
    fields = extract_fields(doc_type, [page_from_lines(lines, confidence=96.5)], taxonomy)
    hidden = {f.name for f in taxonomy.get(doc_type).fields if not f.report}
    fields = {name: f for name, f in fields.items() if name not in hidden}
    assert values(fields) == expected
    assert reviewed(fields) == set()
    assert all(0.0 < f.confidence <= 1.0 for f in fields.values())


def test_marriage_in_sections_one_below_the_other(taxonomy) -> None:
    lines = [
        *MOTTO,
        [(800, "TỜ KHAI ĐĂNG KÝ KẾT HÔN")],
        "THÔNG TIN BÊN NỮ",
        "Họ và tên: Phạm Thị Lan",
        "Ngày sinh: 12/05/1995",
        "Dân tộc: Kinh",
        "Số CCCD: 038195012345",
        "Thông tin bên nam:",
        "Họ và tên: Đỗ Văn Long",
        "Ngày sinh: 13/01/1993",
        "Số CCCD: 001093012346",
    ]
    fields = extract_fields("marriage_registration", [page_from_lines(lines)], taxonomy)
    assert values(fields) == CASES["marriage_registration"][1]
    assert reviewed(fields) == set()


def test_marriage_without_headings_is_assigned_by_order_and_flagged(taxonomy) -> None:
    lines = ["Họ và tên: Phạm Thị Lan", "Họ và tên: Đỗ Văn Long"]
    fields = extract_fields("marriage_registration", [page_from_lines(lines)], taxonomy)
    assert (fields["bride_name"].value, fields["groom_name"].value) == (
        "Phạm Thị Lan",
        "Đỗ Văn Long",
    )
    assert "assigned by order" in (fields["bride_name"].reason or "")


def test_damaged_labels_still_match(taxonomy) -> None:
    lines = [
        "Ho va tèn chủ hộ: Lương Xuân Minh",  # accents garbled
        "Sô CCCD: 042081522985",
        "Tên hô kinh doanh: Tạp hóa Minh",
        "Dịa điểm kinh doanh: xã Tân Lập",
        "Vôn kinh doanh: 50.000.000 đồng",
    ]
    fields = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)
    assert values(fields) == {
        "business_name": "Tạp hóa Minh",
        "owner_name": "Lương Xuân Minh",
        "owner_id_number": "042081522985",
        "business_address": "xã Tân Lập",
        "capital_vnd": "50000000",
    }


def test_invalid_value_is_flagged_never_guessed(taxonomy) -> None:
    lines = ["Họ và tên: Phùng Phương Ly", "Ngày sinh: 31/02/1997", "Số CCCD: 0371971220"]
    fields = extract_fields("driving_license_exchange", [page_from_lines(lines)], taxonomy)
    assert fields["birth_date"].value is None
    assert fields["birth_date"].raw == "31/02/1997"
    assert "calendar" in (fields["birth_date"].reason or "")
    assert fields["id_number"].value is None and fields["id_number"].needs_review
    assert "10 digits" in (fields["id_number"].reason or "")
    missing = fields["license_number"]
    assert (missing.value, missing.raw, missing.needs_review) == (None, None, True)
    assert missing.reason == "label not found"
    assert not fields["full_name"].needs_review


def test_low_ocr_confidence_goes_to_review(taxonomy) -> None:
    page = page_from_lines(["Số CCCD: 037197122057"], low={"037197122057": 21.0})
    field = extract_fields("driving_license_exchange", [page], taxonomy)["id_number"]
    assert field.value == "037197122057"
    assert field.needs_review and "low OCR confidence" in (field.reason or "")


def test_closed_vocabularies_need_no_ocr_confidence(taxonomy) -> None:
    """ "Nam" spelt out is the gender, and a procedure is read against the catalogue: a low
    OCR score on them says nothing more; a procedure far from the catalogue still goes to
    review."""
    page = page_from_lines(["Giới tính: Nam"], low={"Nam": 35.0})
    field = extract_fields("id_card_copy", [page], taxonomy)["gender"]
    assert field.value == "Nam" and not field.needs_review
    page = page_from_lines(["Giới tính: Nain"], low={"Nain": 35.0})
    assert extract_fields("id_card_copy", [page], taxonomy)["gender"].needs_review
    lines = ["Thủ tục hành chính: Đăng ký thành lập hô kinh doanh"]
    page = page_from_lines(lines, low={"hô": 3.0})
    field = extract_fields("reception_receipt", [page], taxonomy)["procedure"]
    assert field.value == "Đăng ký thành lập hộ kinh doanh" and not field.needs_review
    page = page_from_lines(["Thủ tục hành chính: Cấp phép khai thác cát"], low={"cát": 3.0})
    assert extract_fields("reception_receipt", [page], taxonomy)["procedure"].needs_review


def test_conflicting_values_go_to_review(taxonomy) -> None:
    lines = ["Số CCCD: 037197122057", "Số định danh cá nhân: 037197122058"]
    field = extract_fields("driving_license_exchange", [page_from_lines(lines)], taxonomy)[
        "id_number"
    ]
    assert field.needs_review and "conflicting" in (field.reason or "")


def test_fields_found_on_a_later_page(taxonomy) -> None:
    first = page_from_lines([*MOTTO, [(550, "GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH")]])
    second = page_from_lines(["Vốn kinh doanh: 80.000.000 đồng"])
    fields = extract_fields("household_business_registration", [first, second], taxonomy)
    assert fields["capital_vnd"].value == "80000000"


def test_type_without_fields_and_unknown_type(taxonomy) -> None:
    assert extract_fields("other", [page_from_lines(["Giấy ủy quyền"])], taxonomy) == {}
    with pytest.raises(KeyError, match="unknown document type"):
        extract_fields("passport", [page_from_lines(["x"])], taxonomy)


# --- one real page: rendered by the corpus generator, degraded, cleaned, OCRed ------------


def _degrade(gray: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    import cv2

    blurred = cv2.GaussianBlur(gray, (0, 0), 0.8)
    noisy = blurred.astype(np.float32) + rng.normal(0, 12, gray.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


@pytest.mark.skipif(
    not os.path.exists("/usr/share/tesseract-ocr/5/tessdata/vie.traineddata"),
    reason="Tesseract's Vietnamese model is not installed",
)
def test_real_ocr_of_a_rendered_receipt(taxonomy) -> None:
    """On real OCR every field is right or flagged, except a tone mark Tesseract swapped
    with high confidence (a known weakness of its vie model, reported in the benchmark)."""
    forms = pytest.importorskip("benchmarks.synth.forms")
    from ingest.clean import clean_page
    from ocr.classify import classify
    from ocr.engine import TesseractEngine

    document = forms.render_document(
        "reception_receipt", random.Random(7), layout="dotted", variant="train"
    )
    image = np.asarray(document.pages[0].image.convert("L"))
    cleaned = clean_page(_degrade(image, np.random.default_rng(7)), 300)
    with TesseractEngine("vie+eng") as engine:
        text = engine.recognize(cleaned.gray, cleaned.ocr_dpi)
    assert classify(text, taxonomy).doc_type == "reception_receipt"
    fields = extract_fields("reception_receipt", [text], taxonomy)
    right = {k for k, v in document.fields.items() if fields[k].value == v}
    assert "dossier_code" in right
    assert len(right) >= 3, values(fields)
    for name in set(document.fields) - right:
        got = fields[name]
        tone_mark_only = got.value is not None and fold(got.value) == fold(document.fields[name])
        assert got.needs_review or tone_mark_only, (name, got, document.fields[name])


def test_amount_in_digits_checked_against_words(taxonomy) -> None:
    """A digit misread shows as a disagreement with the words; number words survive OCR
    better than digits, so the words' amount is taken (for review) when one digit differs."""
    lines = ["Vốn kinh doanh: 50.000.090 đồng", "Bằng chữ: Năm mươi triệu đồng"]
    field = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)[
        "capital_vnd"
    ]
    assert field.value == "50000000" and field.needs_review
    assert "50000000 in words" in (field.reason or "")
    # already in doubt (low confidence), the digits are still checked against the words
    low = page_from_lines(["Vốn kinh doanh: 30 000 000 đồng", lines[1]], low={"30": 40.0})
    field = extract_fields("household_business_registration", [low], taxonomy)["capital_vnd"]
    assert field.value == "50000000" and field.needs_review
    lines[0] = "Vốn kinh doanh: 50.000.000 đồng"
    field = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)[
        "capital_vnd"
    ]
    assert not field.needs_review


def test_amount_in_words_stands_in_for_digits_that_lost_their_head(taxonomy) -> None:
    """ "000.000.000" read for "500.000.000" normalises to 0; the digits read under a label
    that gave nothing: the words' whole amount is taken, for review."""
    words = "Bằng chữ: Năm trăm triệu đồng"
    for digits in ("Vốn kinh doanh: 000.000.000 đồng", "Vốn kinh doanh:"):
        page = page_from_lines([digits, words])
        field = extract_fields("household_business_registration", [page], taxonomy)["capital_vnd"]
        assert field.value == "500000000" and field.needs_review
    page = page_from_lines(["Vốn kinh doanh: 350.000.000 đồng", words])  # two digits off
    field = extract_fields("household_business_registration", [page], taxonomy)["capital_vnd"]
    assert field.value == "350000000" and field.needs_review


def test_a_name_whose_words_ocr_glued_gets_its_spaces_back(taxonomy) -> None:
    page = page_from_lines(["Họ và tên chủ hộ: QUÁCH DUYNGHĨA"])
    field = extract_fields("household_business_registration", [page], taxonomy)["owner_name"]
    assert field.value == "QUÁCH DUY NGHĨA" and field.needs_review


def test_a_date_whose_month_a_speck_touches_goes_on_below(taxonomy) -> None:
    """ "... ngày 15 tháng +4" / "năm 2024.": the speck before the month is dropped (the value
    reviewed) and the date goes on to its year on the next line."""
    lines = [
        [(500, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")],
        "Thời gian trả kết quả: 10 giờ 00 phút, ngày 15 tháng +4",
        "năm 2024.",
    ]
    field = extract_fields("reception_receipt", [page_from_lines(lines)], taxonomy)["due_date"]
    assert field.value == "2024-04-15" and field.needs_review
    # the whole date on the next line, its slashes lost: read, for review
    lines = ["Thời gian trả kết quả: 15 giờ 00 phút, ngày", "1912 2025."]  # to the line's end
    field = extract_fields("reception_receipt", [page_from_lines(lines)], taxonomy)["due_date"]
    assert field.value == "2025-12-19" and field.needs_review


def test_a_lone_licence_class_read_at_low_confidence_is_no_speck(taxonomy) -> None:
    """Tesseract scores a lone capital low (":C" at 17 %): it is the class, for review."""
    page = page_from_lines(["Hạng GPLX đang có :C"], low={":C": 17.0})
    field = extract_fields("driving_license_exchange", [page], taxonomy)["license_class"]
    assert field.value == "C" and field.needs_review


@pytest.mark.parametrize(
    ("lines", "value"),
    [
        # a caption layout: the words on the line above "(Bằng chữ)"
        (["30 000 000 đồng", "(Số vốn đăng ký)", "Năm mươi triệu đồng", "(Bằng chữ)"], "50000000"),
        # words that wrap: what one line says is no whole amount, the digits stay
        (
            ["Vốn kinh doanh: 1.200.500.000 đồng", "Bằng chữ: Một tỷ hai trăm triệu", "năm trăm"],
            "1200500000",
        ),
    ],
)
def test_amount_in_words_above_its_caption_or_wrapped(
    lines: list[str], value: str, taxonomy
) -> None:
    fields = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)
    assert fields["capital_vnd"].value == value
    assert fields["capital_vnd"].needs_review


def test_amount_in_words_in_a_grid_cell_read_as_blocks_of_its_own(taxonomy) -> None:
    """A grid whose cells Tesseract read as blocks: the figure, then "Bằng chữ" alone, then the
    words on the next line; "90.600.000" misread for "50.600.000" shows against them."""
    lines = [
        [(300, "Số vốn đăng ký"), (1280, "90.600.000 đ")],
        [(520, "Bằng chữ")],
        [(1280, "Năm mươi triệu sáu trăm nghìn đồng")],
    ]
    page = page_from_lines(lines, cells_as_blocks=True)
    field = extract_fields("household_business_registration", [page], taxonomy)["capital_vnd"]
    assert field.value == "50600000" and field.needs_review


def test_unknown_label_wording_runs_to_its_colon(taxonomy) -> None:
    """A wording we do not list still ends at its colon: its tail is not taken for value."""
    lines = [
        "Họ, tên đệm và tên chủ hộ: Lương Xuân Minh",
        "Số CCCD được cấp: 042081522985",
        "Vốn kinh doanh đăng ký: 50.000.000 đồng",
    ]
    fields = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)
    assert fields["owner_name"].value == "Lương Xuân Minh"
    assert fields["owner_id_number"].value == "042081522985"
    assert fields["capital_vnd"].value == "50000000"


def test_procedure_name_run_on_into_the_next_line(taxonomy) -> None:
    lines = ["Thủ tục hành chính: Dang ky ket hon phan ho so va so luong"]
    field = extract_fields("reception_receipt", [page_from_lines(lines)], taxonomy)["procedure"]
    assert (field.value, field.needs_review) == ("Đăng ký kết hôn", False)


def test_unknown_label_wording_in_a_table_cell(taxonomy) -> None:
    """In a numbered table the label cell ends where the value cell starts."""
    lines = [
        [(200, "1"), (320, "Họ và tên chủ hộ (viết hoa)"), (1100, "Lương Xuân Minh")],
        [(200, "2"), (320, "Số CCCD được cấp"), (1100, "042081522985")],
    ]
    fields = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)
    assert fields["owner_name"].value == "Lương Xuân Minh"
    assert fields["owner_id_number"].value == "042081522985"


def test_label_wordings_the_taxonomy_does_not_list(taxonomy) -> None:
    """Wordings not in the taxonomy fill the field their words point to, when the value passes
    the field's validator; labels of nothing we extract ("Mã số thuế") fill nothing."""
    lines = [
        *MOTTO,
        [(500, "ĐƠN ĐĂNG KÝ ĐẤT ĐAI, TÀI SẢN GẮN LIỀN VỚI ĐẤT")],
        "Họ tên người kê khai: Lê Thị Thu Hà",
        "Số CMND: 012345678",
        "Mã số thuế: 0101234567",
        "Số hiệu thửa: 45;   Thuộc tờ bản đồ số: 12",
        "Diện tích sử dụng chung: 120,5 m²",
        "Địa chỉ nơi có đất: thôn Đông, xã Yên Thế, tỉnh Bắc Giang",
    ]
    fields = extract_fields("land_certificate_application", [page_from_lines(lines)], taxonomy)
    assert values(fields) == {
        "applicant_name": "Lê Thị Thu Hà",
        "applicant_id_number": "012345678",
        "parcel_number": "45",
        "map_sheet_number": "12",
        "area_m2": "120.5",
        "land_address": "thôn Đông, xã Yên Thế, tỉnh Bắc Giang",
    }


def test_unknown_wording_needs_a_value_of_the_fields_kind(taxonomy) -> None:
    """A label that looks like the ID's but holds no identity number fills nothing."""
    lines = [
        "Họ và tên: Trần Văn Hùng",
        "Mã định danh hồ sơ: chưa cấp",
        "Sinh vào ngày: 03/06/1990",
    ]
    fields = extract_fields("driving_license_exchange", [page_from_lines(lines)], taxonomy)
    assert fields["id_number"].value is None and fields["id_number"].needs_review
    assert fields["birth_date"].value == "1990-06-03"


def test_unknown_wording_in_an_aligned_layout_and_a_table(taxonomy) -> None:
    """A "Label      : value" row (colon at a tab stop), and a table whose label cells line up with
    the known labels' column."""
    lines = [
        [(200, "Họ và tên"), (900, ": Nguyễn Thị Mai")],
        [(200, "Tên đầy đủ của cơ sở"), (900, ": CỬA HÀNG MAI ANH")],
        [(200, "Số CCCD"), (900, "001185012345")],
        [(200, "Nơi đặt trụ sở"), (900, "Số 5 phố Huế, phường Hàng Bài, Hà Nội")],
    ]
    fields = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)
    assert fields["owner_name"].value is None or fields["owner_name"].value == "Nguyễn Thị Mai"
    assert fields["business_address"].value == "Số 5 phố Huế, phường Hàng Bài, Hà Nội"
    assert fields["owner_id_number"].value == "001185012345"


def test_table_rule_read_as_a_bar_is_not_label(taxonomy) -> None:
    lines = [
        [(200, "Thông tin"), (1100, "Bên nữ"), (1800, "Bên nam")],
        [(200, "Ngày, tháng, năm sinh |"), (1000, "06-09-1988"), (1700, "12-4-1991")],
        [(700, "Bên nữ"), (1600, "Bên nam")],  # the signature heads further down
    ]
    fields = extract_fields("marriage_registration", [page_from_lines(lines)], taxonomy)
    assert fields["bride_birth_date"].value == "1988-09-06"
    assert fields["groom_birth_date"].value == "1991-04-12"


def test_value_above_its_caption(taxonomy) -> None:
    """Label-below-value: the value on a dotted line, "(Label)" underneath; a wrapped value
    is read from its first line; a signature caption captions nothing."""
    lines = [
        "Lê Thị Thu Hà ..............................................",
        "(Họ và tên người sử dụng đất)",
        "012345678 ..................................................",
        "(Số CMND)",
        "Số 12 ngõ 5 đường Trần Phú, phường Hà Đông,",
        "thành phố Hà Nội ...........................................",
        "(Địa chỉ thửa đất)",
        "NGƯỜI VIẾT ĐƠN",
        "(Ký, ghi rõ họ tên)",
    ]
    fields = extract_fields("land_certificate_application", [page_from_lines(lines)], taxonomy)
    assert fields["applicant_name"].value == "Lê Thị Thu Hà"
    assert fields["applicant_id_number"].value == "012345678"
    assert (
        fields["land_address"].value
        == "Số 12, ngõ 5, đường Trần Phú, phường Hà Đông, thành phố Hà Nội"
    )


def test_an_address_above_its_caption_wrapped_inside_a_province_name(taxonomy) -> None:
    """ "..., tỉnh Thái" / "Nguyên" / "(Trụ sở đặt tại)": the line above the caption's line
    ends inside a province's name, so both lines are the value (it used to be "Nguyên"); a
    value of one word alone is flagged, since the rest may be on a line not found."""
    lines = [
        "HỘ KINH DOANH TIỆM BÁNH THỊ DIỆP",
        "(Tên hộ kinh doanh)",
        "Số 137, phố Tôn Đức Thắng, phường Bến Thành, tỉnh Thái",
        "Nguyên",
        "(Địa chỉ trụ sở)",
    ]
    page = page_from_lines(lines)
    fields = extract_fields("household_business_registration", [page], taxonomy)
    assert fields["business_address"].value == (
        "Số 137, phố Tôn Đức Thắng, phường Bến Thành, tỉnh Thái Nguyên"
    )
    lines[2] = "Đăng ký hộ kinh doanh với các thông tin sau đây"
    page = page_from_lines(lines)
    fields = extract_fields("household_business_registration", [page], taxonomy)
    assert fields["business_address"].value == "Nguyên"
    assert "single word" in (fields["business_address"].reason or "")


def test_a_grid_whose_cells_stand_close_and_whose_values_wrap_in_their_cells(taxonomy) -> None:
    """Cells a letter height apart (less than a tab stop, more than a space) that Tesseract
    put in blocks of their own are cells; a value wraps inside its cell ("điện thoại Vinh" is
    the name's end, though "Điện thoại" is a label) and stops at the grid's next row, whose
    label stands under the value's label; a label and its value two letter heights apart on
    one line are two cells, so the label's wrapped word ("ký") joins the label."""
    grid = page_from_lines(
        [
            [
                (323, "Tên gọi của hộ"),
                (707, "Hộ kinh doanh Cửa hàng"),
                (1328, "Trụ sở đặt tại"),
                (1714, "Số 130, phố Tôn Đức"),
            ],
            [(707, "điện thoại Vinh"), (1710, "Thắng, phường Trần")],
            [(1712, "Phú, thành phố Đà Nẵng")],
            [
                (325, "Điện thoại"),
                (708, "0317757271"),
                (1332, "Số vốn đăng ký"),
                (1714, "30.000.000 VND"),
            ],
        ],
        cells_as_blocks=True,
    )
    wrapped_label = page_from_lines(
        [
            [(325, "Điện thoại"), (708, "0317757271"), (1332, "Số vốn đăng"), (1700, "30.000.000")],
            [(1329, "ký")],
        ]
    )
    fields = extract_fields("household_business_registration", [grid], taxonomy)
    assert fields["business_name"].value == "Hộ kinh doanh Cửa hàng điện thoại Vinh"
    assert fields["business_address"].value == (
        "Số 130, phố Tôn Đức Thắng, phường Trần Phú, thành phố Đà Nẵng"
    )
    fields = extract_fields("household_business_registration", [wrapped_label], taxonomy)
    assert fields["capital_vnd"].value == "30000000"


def test_four_column_grid_of_label_value_pairs(taxonomy) -> None:
    """A bordered grid with two label/value pairs a row; unknown wordings in either column."""
    lines = [
        [(200, "Họ và tên"), (700, "Lê Thị Thu Hà"), (1250, "Số CCCD"), (1750, "001185012345")],
        [(200, "Số hiệu thửa"), (700, "45"), (1250, "Thuộc tờ bản đồ"), (1750, "12")],
        [
            (200, "Mục đích sử dụng"),
            (700, "Đất ở"),
            (1250, "Địa chỉ thửa đất"),
            (1750, "xã Yên Thế"),
        ],
    ]
    fields = extract_fields("land_certificate_application", [page_from_lines(lines)], taxonomy)
    assert fields["applicant_name"].value == "Lê Thị Thu Hà"
    assert fields["applicant_id_number"].value == "001185012345"
    assert fields["parcel_number"].value == "45"
    assert fields["map_sheet_number"].value == "12"
    assert fields["land_address"].value == "xã Yên Thế"


def test_tone_marks_ocr_dropped_go_to_review(taxonomy) -> None:
    lines = [
        "Họ và tên: ĐINH DUC PHONG",
        "Số CCCD: 001085012345",
        "Họ và tên người yêu cầu: Tran Thi Hanh",
        "Nơi sinh: Bệnh viện Bac Ninh",
    ]
    fields = extract_fields("birth_registration", [page_from_lines(lines)], taxonomy)
    # the one listed name spelt "Duc" is given, for review; the raw keeps what was read
    assert fields["child_name"].value == "ĐINH ĐỨC PHONG"
    assert fields["child_name"].raw == "ĐINH DUC PHONG"
    assert "tone marks lost" in (fields["child_name"].reason or "")
    assert "no tone mark" in (fields["requester_name"].reason or "")
    assert fields["birth_place"].needs_review


def test_text_read_through_a_dotted_line_goes_to_review(taxonomy) -> None:
    lines = ["Địa điểm kinh doanh: thôn.Đông xã.Mỹ. Đức. tỉnh.Thái"]
    field = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)[
        "business_address"
    ]
    assert field.needs_review and "dotted line" in (field.reason or "")


def test_implausible_number_goes_to_review(taxonomy) -> None:
    """The taxonomy's `range`: a house of 94 floors is "4" with a speck read as "9"."""
    lines = ["Số tầng: 94", "Tổng diện tích sàn: 120 m²"]
    fields = extract_fields("construction_permit_application", [page_from_lines(lines)], taxonomy)
    assert fields["floors"].value == "94" and "plausible range" in (fields["floors"].reason or "")
    lines[0] = "Số tầng: 4"
    fields = extract_fields("construction_permit_application", [page_from_lines(lines)], taxonomy)
    assert not fields["floors"].needs_review


def test_unknown_wording_under_section_headings(taxonomy) -> None:
    """Bride's and groom's blocks with a name wording we do not list: each heading decides."""
    lines = [
        *MOTTO,
        [(800, "TỜ KHAI ĐĂNG KÝ KẾT HÔN")],
        "THÔNG TIN BÊN NỮ",
        "Tên khai sinh đầy đủ: Phạm Thị Lan",
        "Ngày sinh: 12/05/1995",
        "Số CCCD: 038195012345",
        "THÔNG TIN BÊN NAM",
        "Họ và tên: Đỗ Văn Long",
        "Ngày sinh: 13/01/1993",
        "Số CCCD: 001093012346",
    ]
    fields = extract_fields("marriage_registration", [page_from_lines(lines)], taxonomy)
    assert values(fields) == CASES["marriage_registration"][1]


def test_longer_wordings_parentheses_and_numbered_headings(taxonomy) -> None:
    """A known label's longer wording runs to its colon, parentheses included; a numbered
    heading over a block ("3. Tài sản gắn liền với đất:") is no field's label; "Tên chủ nhà"
    is about a person, not the house number ("Số nhà") printed elsewhere on the form."""
    lines = [
        "1. Thông tin về chủ đầu tư:",
        "Tên chủ nhà: Ngô Minh Bảo",
        "Tổng diện tích sàn (m2): 97,73 m2",
        "3. Tài sản gắn liền với đất:",
        "Không có tài sản gắn liền với đất.",
    ]
    fields = extract_fields("construction_permit_application", [page_from_lines(lines)], taxonomy)
    assert fields["investor_name"].value == "Ngô Minh Bảo"
    assert fields["floor_area_m2"].value == "97.73"
    assert fields["construction_address"].value is None
    lines = ["Họ và tên chủ hộ kinh doanh (ghi bằng chữ in hoa): LÊ VĂN TÁM"]
    fields = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)
    assert fields["owner_name"].value == "LÊ VĂN TÁM"


def test_garbled_first_word_of_an_address(taxonomy) -> None:
    lines = ["Địa chỉ thửa đất: $6 122, đường Nguyễn Huệ, phường Vĩnh Yên. huyện Bình Chánh"]
    field = extract_fields("land_certificate_application", [page_from_lines(lines)], taxonomy)[
        "land_address"
    ]
    assert field.value == "Số 122, đường Nguyễn Huệ, phường Vĩnh Yên, huyện Bình Chánh"


def test_colons_ocr_misreads_and_notes_in_parentheses(taxonomy) -> None:
    """Tesseract reads a colon as "-" glued to the word; a note in parentheses after a label
    is label, and its words ("số") start no label of their own."""
    lines = [
        "Họ va tên khai sinh- LE VĂN NAM",
        "Ngày tháng năm sinh (ghi bằng số)- 02/01/1971",
        "Giấy phép số- 012424541011",
        "Hạng xe được phép điều khiển- A1",
    ]
    fields = extract_fields("driving_license_exchange", [page_from_lines(lines)], taxonomy)
    assert fields["full_name"].value == "LÊ VĂN NAM"  # the family name's mark restored
    assert fields["birth_date"].value == "1971-01-02"
    assert fields["license_number"].value == "012424541011"
    assert fields["license_class"].value == "A1"


def test_unknown_wording_in_a_two_column_table(taxonomy) -> None:
    lines = [
        [(200, "Thông tin"), (1100, "Bên nữ"), (1800, "Bên nam")],
        [(200, "Họ và tên"), (1000, "Phạm Thị Lan"), (1700, "Đỗ Văn Long")],
        [(200, "CCCD/CMND số"), (1000, "016065304"), (1700, "056090765775")],
    ]
    fields = extract_fields("marriage_registration", [page_from_lines(lines)], taxonomy)
    assert fields["bride_id_number"].value == "016065304"
    assert fields["groom_id_number"].value == "056090765775"


def test_a_value_ends_with_its_cell(taxonomy) -> None:
    """In a grid the next pair's label, wrapped in its cell, follows the value on its row."""
    lines = [
        [(200, "Họ và tên"), (700, "Kiều Minh Hạnh"), (1250, "Ngày tháng"), (1750, "18/09/1991")],
        [(1250, "năm sinh")],
    ]
    fields = extract_fields("driving_license_exchange", [page_from_lines(lines)], taxonomy)
    assert fields["full_name"].value == "Kiều Minh Hạnh"


def test_an_empty_dotted_line_has_no_value_and_later_pages_no_unknown_wordings(taxonomy) -> None:
    """ "Người nhận hồ sơ: ......" left blank on the agency's page: the heading below it is
    nobody's name, and an unknown wording there fills no field of the applicant."""
    first = page_from_lines([*MOTTO, [(500, "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG")], "Số tầng: 3"])
    second = page_from_lines(
        [
            "PHẦN GHI CỦA CƠ QUAN TIẾP NHẬN",
            "Người nhận hồ sơ: ......................",
            "HƯỚNG DẪN KÊ KHAI",
        ]
    )
    fields = extract_fields("construction_permit_application", [first, second], taxonomy)
    assert fields["investor_name"].value is None
    assert fields["floors"].value == "3"


def test_a_family_name_with_misread_marks_goes_to_review(taxonomy) -> None:
    lines = ["Họ và tên: Kiêu Minh Định", "Số CCCD: 001085012345"]
    field = extract_fields("driving_license_exchange", [page_from_lines(lines)], taxonomy)[
        "full_name"
    ]
    # "Kiêu" is no family name and its letters spell one listed: given back, still reviewed
    assert field.value == "Kiều Minh Định"
    assert field.raw == "Kiêu Minh Định"
    assert "spelled 'Kiều'" in (field.reason or "")


def test_name_marks_that_ocr_dropped_or_glued_go_to_review(taxonomy) -> None:
    """Capitals lose their marks with high confidence: "QUAN" is "Quân"; "THIYẾN" is "THỊ YẾN"
    glued; "RIEU" cannot be Vietnamese without its circumflex. A word whose letters spell one
    listed name is given with its marks ("QUÂN"), still for review; the raw keeps the print."""
    for printed, given in (
        ("LAM CÔNG QUAN", "LAM CÔNG QUÂN"),
        ("QUÁCH THIYẾN", "QUÁCH THIYẾN"),
        ("VÕ RIEU THỰ", "VÕ RIEU THỰ"),
    ):
        lines = [f"Họ và tên: {printed}", "Số CCCD: 001085012345"]
        field = extract_fields("driving_license_exchange", [page_from_lines(lines)], taxonomy)[
            "full_name"
        ]
        assert (field.value, field.raw, field.needs_review) == (given, printed, True)
    lines = ["Họ và tên: MAI THỊ OANH", "Số CCCD: 001085012345"]
    field = extract_fields("driving_license_exchange", [page_from_lines(lines)], taxonomy)[
        "full_name"
    ]
    assert not field.needs_review


def test_a_value_in_capitals_wraps_over_words_that_spell_a_label(taxonomy) -> None:
    """ "ĐIỆN THOẠI" continuing a business name in capitals is no phone number's label."""
    lines = [
        [(200, "Tên hộ kinh doanh:"), (1300, "HỘ KINH DOANH CỬA HÀNG")],
        "ĐIỆN THOẠI LINH",
        "Điện thoại: 0912345678",
    ]
    field = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)[
        "business_name"
    ]
    assert field.value == "HỘ KINH DOANH CỬA HÀNG ĐIỆN THOẠI LINH"


def test_an_address_read_through_its_dotted_line_goes_to_review(taxonomy) -> None:
    lines = ["Địa chỉ thửa đất: thôn.Yên 2, xã Đông Hưng, tỉnh. Nam Định"]
    field = extract_fields("land_certificate_application", [page_from_lines(lines)], taxonomy)[
        "land_address"
    ]
    assert field.needs_review and "dotted line" in (field.reason or "")


def test_a_long_label_on_its_own_line_and_run_into_the_value_before(taxonomy) -> None:
    """A label too long for the value's tab stop is printed on its own line, the colon and
    value on the next; OCR may also run the label's first words into the previous value."""
    lines = [
        [(200, "Họ và tên"), (900, ": Nguyễn Thị Châu Giấy tờtùv")],
        "Số giấy tờ tùy thân của người đi đăng ký",
        [(900, ": 001085012345")],
        [(200, "Ngày sinh"), (900, ": 12/05/1990")],
    ]
    fields = extract_fields("driving_license_exchange", [page_from_lines(lines)], taxonomy)
    assert fields["full_name"].value == "Nguyễn Thị Châu"
    assert fields["id_number"].value == "001085012345"
    assert fields["birth_date"].value == "1990-05-12"


def test_a_tables_rule_read_as_a_bar_separates_label_and_value_cells(taxonomy) -> None:
    """ "Họ, chữ đệm và tên | VÕ DIỆU THƯ": an unlisted wording whose cell's rule OCR read as
    "|" right before the value (no gap left between them)."""
    lines = [
        [(200, "Thông tin"), (1100, "Bên nữ"), (1800, "Bên nam")],
        [(200, "Họ, chữ đệm và tên | VÕ DIỆU THƯ"), (1700, "Ông Quang Kiên")],
        [(200, "Dân tộc"), (1000, "Kinh"), (1700, "Kinh")],
    ]
    fields = extract_fields("marriage_registration", [page_from_lines(lines)], taxonomy)
    assert fields["bride_name"].value == "VÕ DIỆU THƯ"
    assert fields["groom_name"].value == "Ông Quang Kiên"


def test_an_address_whose_units_lost_their_marks_goes_to_review(taxonomy) -> None:
    lines = ["Nơi sinh: Trung tâm Y tế xã Nghĩa Dan, tinh Ninh Binh"]
    field = extract_fields("birth_registration", [page_from_lines(lines)], taxonomy)["birth_place"]
    # "Nghĩa Đàn" (a district and a commune) over "Nghĩa Dân" (a commune): still reviewed
    assert field.value == "Trung tâm Y tế xã Nghĩa Đàn, tỉnh Ninh Bình"
    assert field.needs_review and "lost marks" in (field.reason or "")
    lines = ["Nơi sinh: Trung tâm Y tế xã Nghĩa Đàn, tỉnh Ninh Bình"]
    field = extract_fields("birth_registration", [page_from_lines(lines)], taxonomy)["birth_place"]
    assert not field.needs_review


def test_a_full_names_label_fills_a_name_and_place_names_lost_marks(taxonomy) -> None:
    """ "Họ và tên người đại diện hộ kinh doanh" (unlisted) is a person's full name: the owner's,
    not the business's name although both are "about" a name. "ấp Binh Hòa": place names are
    made of the syllables names are, "Binh" lost its mark. "Thủ. Đức": a full stop read off
    the dots."""
    lines = [
        "Họ và tên người đại diện hộ kinh doanh: Đỗ Thế Hiếu Quang",
        "Số CCCD: 052099412182",
        "Địa chỉ kinh doanh: ấp Binh Hòa, xã Phú Xuân, tỉnh Nghệ An",
    ]
    fields = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)
    assert fields["owner_name"].value == "Đỗ Thế Hiếu Quang"
    assert fields["business_name"].value is None
    assert "Binh" in (fields["business_address"].reason or "")
    lines[2] = "Địa chỉ kinh doanh: thôn Yên Binh, xã Phú Xuân, tỉnh Nghệ An"  # "Binh,"
    fields = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)
    assert "Binh" in (fields["business_address"].reason or "")
    lines[2] = "Địa chỉ kinh doanh: bản Nà Phặc, thành phố Thủ. Đức, thành phố Hải Phòng"
    fields = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)
    assert "dotted line" in (fields["business_address"].reason or "")
    lines[2] = "Địa chỉ kinh doanh: ấp Bình Hòa, xã Phú Xuân, Tp. Huế"
    fields = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)
    assert not fields["business_address"].needs_review


def test_a_procedure_is_the_longest_catalogue_name_its_words_reach(taxonomy) -> None:
    """ "Cấp giấy phép xây dung nhà ở tiêng lẻ" is the house permit, not the shorter
    "Cấp giấy phép xây dựng" its first words spell exactly."""
    lines = ["Thủ tục hành chính: Cấp giấy phép xây dung nhà ở tiêng lẻ"]
    field = extract_fields("reception_receipt", [page_from_lines(lines)], taxonomy)["procedure"]
    assert field.value == "Cấp giấy phép xây dựng nhà ở riêng lẻ"


def test_a_label_wrapped_in_its_table_cell(taxonomy) -> None:
    """A numbered table's label too long for its cell goes on in the cell's next line, in lower
    case: "Ngày tháng năm" / "sinh (ghi bằng số)", "Số giấy tờ tùy" / "thân"."""
    lines = [
        [(200, "1"), (300, "Họ và tên"), (900, "Nguyễn Văn An")],
        [(200, "2"), (300, "Ngày tháng năm"), (900, "22/09/1970")],
        [(300, "sinh (ghi bằng số)")],
        [(200, "3"), (300, "Số giấy tờ tùy"), (900, "001085012345")],
        [(300, "thân")],
        [(200, "4"), (300, "Nơi cư trú"), (900, "thôn Yên Bình, xã Mỹ Đức,")],
        [(900, "tỉnh Lào Cai")],
    ]
    fields = extract_fields("driving_license_exchange", [page_from_lines(lines)], taxonomy)
    assert fields["birth_date"].value == "1970-09-22"
    assert fields["id_number"].value == "001085012345"
    assert fields["full_name"].value == "Nguyễn Văn An"


def test_a_short_label_ending_a_longer_unlisted_one(taxonomy) -> None:
    """ "Số" is a label only at the start of its cell: "CCCD/CMND số:" and "Giấy phép số:" are
    longer labels, their values on the next line."""
    lines = [
        "CCCD/CMND số:",
        [(420, "052085548459")],
        "Hạng xe được phép điều khiển:",
        [(420, "D2")],
        "Giấy phép số:",
        [(420, "829286481488")],
    ]
    fields = extract_fields("driving_license_exchange", [page_from_lines(lines)], taxonomy)
    assert fields["id_number"].value == "052085548459"
    assert fields["license_number"].value == "829286481488"


def test_labels_printed_above_their_values(taxonomy) -> None:
    """Boxed forms print each label small at the top of its box and the value under it, two
    boxes a row: a row of labels in sentence case with no colon is read over the row below,
    column by column, and a label's unlisted tail ("khai sinh", "(dương lịch)") is label."""
    lines = [
        [(200, "Người yêu cầu đăng ký")],
        [(200, "Cao Thị Dung")],
        [(200, "Số hộ chiếu/CCCD"), (1300, "Quan hệ với người được khai sinh")],
        [(200, "044173672785"), (1300, "Mẹ")],
        [(200, "Họ và tên khai sinh"), (1300, "Sinh ngày (dương lịch)")],
        [(200, "CAO BÍCH DUNG"), (1300, "09/06/2024")],
        [(200, "Nơi sinh (ghi rõ cơ sở y tế)")],
        [(200, "Bệnh viện Phụ sản xã Hòa Phú, tỉnh Quảng Bình")],
    ]
    fields = extract_fields("birth_registration", [page_from_lines(lines)], taxonomy)
    assert fields["requester_name"].value == "Cao Thị Dung"
    assert fields["requester_id_number"].value == "044173672785"
    assert fields["child_name"].value == "CAO BÍCH DUNG"
    assert fields["child_birth_date"].value == "2024-06-09"
    assert fields["birth_place"].value == "Bệnh viện Phụ sản xã Hòa Phú, tỉnh Quảng Bình"


def test_a_table_row_is_no_row_of_labels(taxonomy) -> None:
    """A table's "label | value" row with a name in Title Case, or a value wrapping under its
    own cell, is not a row of labels over values."""
    lines = [
        [(200, "Ông/Bà"), (900, "Hoàng Khánh Ngát")],
        [(200, "CCCD/CMND số"), (900, "004164570320")],
        [(200, "Tên thủ tục"), (900, "Đổi giấy phép lái xe do ngành Giao thông vận")],
        [(900, "tải cấp")],
    ]
    fields = extract_fields("reception_receipt", [page_from_lines(lines)], taxonomy)
    assert fields["applicant_name"].value == "Hoàng Khánh Ngát"
    assert fields["procedure"].value == "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp"


def test_unlisted_labels_told_apart_by_what_they_are_about(taxonomy) -> None:
    """ "Họ tên người khai" names someone by a role (the declarant), "Họ tên khai sinh" names
    no role: the requester and the child are not swapped. "Người đại diện hộ kinh doanh" is a
    person, "Tên cửa hàng" the name of a business ("cửa hàng" is no licence class "hạng")."""
    lines = [
        *MOTTO,
        [(700, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        "Họ tên người khai: Lê Văn Việt",
        "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:",
        "Họ tên khai sinh: LÊ NGỌC KHÁNH",
    ]
    fields = extract_fields("birth_registration", [page_from_lines(lines)], taxonomy)
    assert fields["requester_name"].value == "Lê Văn Việt"
    assert fields["child_name"].value == "LÊ NGỌC KHÁNH"
    lines = [
        *MOTTO,
        [(600, "GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH")],
        "Người đại diện hộ kinh doanh: Phạm Hoài Chi Thủy",
        "Tên cửa hàng: HỘ KINH DOANH CỬA HÀNG ĐIỆN THOẠI THỦY",
    ]
    fields = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)
    assert fields["owner_name"].value == "Phạm Hoài Chi Thủy"
    assert fields["business_name"].value == "HỘ KINH DOANH CỬA HÀNG ĐIỆN THOẠI THỦY"


def test_table_rows_with_a_value_in_their_cells_are_no_label_rows(taxonomy) -> None:
    """A table's label cell ending in a name, or a one-word value cell ("Nam"), over the next
    row: still label | value."""
    lines = [
        [(200, "Họ và tên người đại diện hộ"), (1000, "Trương Thành Thưởng")],
        [(200, "kinh doanh")],
        [(200, "Giới tính (Nam/Nữ)"), (1000, "Nam")],
        [(200, "Số CMND"), (1000, "007087756")],
        [(200, "Tên cửa hàng"), (1000, "Hộ kinh doanh Quán cơm Thành Thưởng")],
        [(200, "Nơi kinh doanh"), (1000, "thôn Đông, xã Phú Xuân, thành phố Huế")],
    ]
    fields = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)
    assert fields["owner_name"].value == "Trương Thành Thưởng"
    assert fields["owner_id_number"].value == "007087756"
    assert fields["business_name"].value == "Hộ kinh doanh Quán cơm Thành Thưởng"
    assert fields["business_address"].value == "thôn Đông, xã Phú Xuân, thành phố Huế"


def test_label_rows_with_abbreviations_and_table_rows_in_capitals(taxonomy) -> None:
    """ "Ông/Bà | Số CMND" is a row of labels although "CMND" is in capitals; "Tên chủ nhà |
    NGUYỄN ĐỨC HUY CƯỜNG" is a table's label and its value, a name in capitals."""
    lines = [
        [(200, "Ông/Bà"), (1300, "Số CMND")],
        [(200, "THÁI MỸ TUYẾT"), (1300, "056178109038")],
    ]
    fields = extract_fields("reception_receipt", [page_from_lines(lines)], taxonomy)
    assert fields["applicant_name"].value == "THÁI MỸ TUYẾT"
    assert fields["applicant_id_number"].value == "056178109038"
    lines = [
        [(200, "Tên chủ nhà"), (1000, "NGUYỄN ĐỨC HUY CƯỜNG")],
        [(200, "CCCD/CMND số"), (1000, "079069438894")],
        [(200, "Số điện thoại"), (1000, "0943831203")],
    ]
    fields = extract_fields("construction_permit_application", [page_from_lines(lines)], taxonomy)
    assert fields["investor_name"].value == "NGUYỄN ĐỨC HUY CƯỜNG"
    assert fields["investor_id_number"].value == "079069438894"


def test_an_address_cut_before_its_province_goes_to_review(taxonomy) -> None:
    """ "thành phố Hà" (its "Nội" on a line not joined) is read as printed, and flagged."""
    lines = [
        *MOTTO,
        [(600, "GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH")],
        "Địa điểm kinh doanh: xóm Mới, xã Bình Chánh, thành phố Hà",
    ]
    fields = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)
    assert fields["business_address"].value == "xóm Mới, xã Bình Chánh, thành phố Hà"
    assert fields["business_address"].needs_review
    assert "province" in (fields["business_address"].reason or "")


def test_a_colon_glued_to_its_value_and_a_note_before_the_colon(taxonomy) -> None:
    """Rows run on along a line: "thửa:245" is a label's colon glued to its value by OCR, and
    "Diện tích sàn (m²):" in mid-row is a label (its note, then its colon)."""
    lines = [
        "Số hiệu thửa:245 Diện tích lô đất: 230,37 m2 Diện tích sàn (m²): 823,7 m²",
        "Số tầng nổi: 5 Chiều cao công trình: 17,0 m",
    ]
    fields = extract_fields("construction_permit_application", [page_from_lines(lines)], taxonomy)
    assert fields["parcel_number"].value == "245"
    assert fields["floor_area_m2"].value == "823.7"
    assert fields["floors"].value == "5"


def test_a_table_row_over_another_is_no_label_row(taxonomy) -> None:
    """ "Tên cửa hàng | Hộ kinh doanh Quán cơm Trang" over "Địa chỉ cửa hàng | Số 127, ...":
    the second row is a label and its value, so the first is a table row too, not labels
    over values; "Vị trí công trình | Số hiệu thửa" over an address and a number is."""
    lines = [
        [(200, "Số điện thoại"), (1000, "0820909966")],
        [(200, "Tên cửa hàng"), (1000, "Hộ kinh doanh Quán cơm Trang")],
        [(200, "Địa chỉ cửa hàng"), (1000, "Số 127, phố Tôn Đức Thắng, thành phố Cần Thơ")],
    ]
    fields = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)
    assert fields["business_name"].value == "Hộ kinh doanh Quán cơm Trang"
    lines = [
        [(200, "Vị trí công trình"), (1300, "Số hiệu thửa")],
        [(200, "thôn Đông, xã Kiến Xương, tỉnh Bến Tre"), (1300, "861")],
    ]
    fields = extract_fields("construction_permit_application", [page_from_lines(lines)], taxonomy)
    assert fields["construction_address"].value == "thôn Đông, xã Kiến Xương, tỉnh Bến Tre"
    assert fields["parcel_number"].value == "861"


def test_a_name_whose_l_was_read_as_a_one(taxonomy) -> None:
    """No name holds a digit and no syllable starts with "1": "1ê Khánh Nga" is "Lê Khánh
    Nga" misread, given back and still reviewed."""
    lines = ["Ông/Bà: 1ê Khánh Nga", "CCCD/CMND số: 074191559034"]
    field = extract_fields("reception_receipt", [page_from_lines(lines)], taxonomy)[
        "applicant_name"
    ]
    assert field.value == "Lê Khánh Nga"
    assert field.needs_review


def test_a_birth_place_is_about_a_birth_and_a_subtitle_captions_nothing(taxonomy) -> None:
    """ "Nơi ở hiện nay" is a place but no birth's: "Địa điểm sinh" is the birth place. A
    caption in parentheses right under the title is its subtitle, not a value's label."""
    lines = [
        *MOTTO,
        [(700, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        "Họ tên người khai: NGUYỄN HỮU NGHĨA",
        "Nơi ở hiện nay: Số 40, ngõ 169, đường Lê Lợi, phường Trần Phú, tỉnh Đắk Lắk",
        "Họ tên khai sinh: NGUYỄN KHÁNH BÍCH XUÂN",
        "Địa điểm sinh: Trung tâm Y tế xã Kiến Xương, tỉnh Đắk Lắk",
    ]
    fields = extract_fields("birth_registration", [page_from_lines(lines)], taxonomy)
    assert fields["birth_place"].value == "Trung tâm Y tế xã Kiến Xương, tỉnh Đắk Lắk"
    lines = [
        *MOTTO,
        [(500, "ĐƠN ĐĂNG KÝ ĐẤT ĐAI, TÀI SẢN GẮN LIỀN VỚI ĐẤT")],
        [(800, "(Dùng cho đăng ký lần đầu)")],
        "Kính gửi: Văn phòng đăng ký đất đai",
    ]
    fields = extract_fields("land_certificate_application", [page_from_lines(lines)], taxonomy)
    assert fields["applicant_name"].value is None


def test_a_procedure_that_begins_a_longer_one_goes_to_review(taxonomy) -> None:
    """ "Cấp giấy phép xây dựng" is a catalogue name, and the start of "Cấp giấy phép xây dựng
    nhà ở riêng lẻ": a wrapped end OCR or the layout lost reads the same, so it is reviewed."""
    lines = ["Thủ tục hành chính: Cấp giấy phép xây dựng"]
    field = extract_fields("reception_receipt", [page_from_lines(lines)], taxonomy)["procedure"]
    assert field.value == "Cấp giấy phép xây dựng"
    assert field.needs_review and "cut off" in (field.reason or "")


def test_an_identity_number_under_an_unknown_wording_is_taken_by_its_shape(taxonomy) -> None:
    """Twelve digits are an identity number whatever the label says: the one identity field
    whose label was not found takes the document's only such number, flagged; with a second
    number on the document the field stays empty."""
    lines = [
        *MOTTO,
        [(700, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        "Họ, chữ đệm, tên người yêu cầu: Trần Văn Hùng",
        "Đã xuất trình bản chính 0010 8501 2345 cấp ngày 10/02/2021",
        "Họ, chữ đệm, tên: TRẦN MINH KHÔI",
        "Ngày, tháng, năm sinh: ngày 3 tháng 6 năm 2025",
        "Số tiền lệ phí: 500 000 000 đồng; điện thoại 0912 345 678",
    ]
    fields = extract_fields("birth_registration", [page_from_lines(lines)], taxonomy)
    found = fields["requester_id_number"]
    assert (found.value, found.needs_review) == ("001085012345", True)
    assert "label not found" in (found.reason or "")

    two = [*lines, "Người làm chứng: 079203004567"]
    fields = extract_fields("birth_registration", [page_from_lines(two)], taxonomy)
    assert fields["requester_id_number"].value is None


def test_margin_debris_read_as_one_line_welds_no_rows(taxonomy) -> None:
    """Specks in the margin beside two printed lines ("+" by one, "wt" by the next) come back
    as one Tesseract line as tall as both: it is cut where its words stand at other heights,
    so the two rows stay apart."""
    lines = ["Họ và tên: Nguyễn Văn An", "Ngày sinh: 12/05/1990", "Nơi cư trú: thôn Yên Bình"]
    page = page_from_lines(lines)
    debris = [
        Word("+", 2300, 150, 2320, 200, 30.0, 7, 99),
        Word("wt", 2290, 240, 2340, 290, 20.0, 7, 99),
    ]
    page = PageText([*page.words, *debris], page.width, page.height, page.dpi)
    fields = extract_fields("driving_license_exchange", [page], taxonomy)
    assert fields["full_name"].value == "Nguyễn Văn An"
    assert fields["birth_date"].value == "1990-05-12"
    # a speck by each line and one below, read as one line in no order of height
    page = page_from_lines(lines)
    specks = [(240, "OS"), (330, "+"), (150, "IN"), (420, "wt")]
    debris = [
        Word(t, 2290 + i, y, 2330 + i, y + 40, 20.0, 7, 99) for i, (y, t) in enumerate(specks)
    ]
    page = PageText([*page.words, *debris], page.width, page.height, page.dpi)
    fields = extract_fields("driving_license_exchange", [page], taxonomy)
    assert fields["full_name"].value == "Nguyễn Văn An"
    assert fields["birth_date"].value == "1990-05-12"


def test_a_line_printed_on_a_slant_stays_one_row(taxonomy) -> None:
    """A line scanned askew drifts a little from word to word, more than a letter's height end
    to end: it stays one row, its label and value together."""
    words = []
    x = 200
    for i, text in enumerate(["Họ", "và", "tên:", "Nguyễn", "Văn", "An", "Bình"]):
        y = 150 + 12 * i
        words.append(Word(text, x, y, x + 24 * len(text), y + 50, 92.0, 1, 0))
        x += 24 * len(text) + 24
    page = PageText(words, 2480, 3508, 300.0)
    fields = extract_fields("driving_license_exchange", [page], taxonomy)
    assert fields["full_name"].value == "Nguyễn Văn An Bình"


def test_cells_closer_than_a_tab_stop_part_where_ocr_started_a_line(taxonomy) -> None:
    """A grid's value cell can stand closer to its label than any tab stop: where Tesseract
    read the two as lines of their own, a gap wider than a letter parts the cells, so an
    unlisted wording ("Tên gọi của hộ") still finds its value; read as one line, it does not."""
    lines = [
        [(200, "Họ và tên"), (600, "Nguyễn Văn An")],
        [(200, "Tên gọi của hộ"), (600, "CỬA HÀNG LINH")],
        [(200, "Số CCCD"), (600, "001085012345")],
    ]
    page = page_from_lines(lines, cells_as_lines=True)
    fields = extract_fields("household_business_registration", [page], taxonomy)
    assert fields["business_name"].value == "CỬA HÀNG LINH"
    assert fields["owner_name"].value == "Nguyễn Văn An"
    fields = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)
    assert fields["business_name"].value is None


def test_a_line_of_specks_inside_a_wrapped_value_is_skipped(taxonomy) -> None:
    """An address wraps onto the next line of its cell; specks OCR read between the two lines
    ("+", "~" by a card's edge) neither end the value nor join it."""
    lines = [
        [(200, "Họ và tên"), (900, "Trần Thị Minh Khai Hoàng Phương Nam")],
        [(200, "Nơi thường trú"), (900, "thôn Yên Bình, xã Mỹ Đức")],
        [(900, "tỉnh Lào Cai")],
    ]
    for speck in ("+", "~"):
        page = page_from_lines(lines)
        specks = [Word(speck, 1100, 302, 1120, 328, 20.0, 5, 50)]
        page = PageText([*page.words, *specks], page.width, page.height, page.dpi)
        field = extract_fields("id_card_copy", [page], taxonomy)["residence"]
        assert field.value == "thôn Yên Bình, xã Mỹ Đức, tỉnh Lào Cai"


def test_a_residence_is_no_business_premises_though_both_fold_to_tru(taxonomy) -> None:
    """ "Địa chỉ cư trú" (where the owner lives) and "trụ sở" (the business's premises) read
    alike without their marks: the owner's residence is a printed field we do not extract, so
    the business address comes from the premises' unlisted wording."""
    lines = [
        [(100, "1"), (300, "Chủ hộ kinh doanh"), (900, "Trần Thanh Loan")],
        [(100, "2"), (300, "Địa chỉ cư trú"), (900, "ấp Bình Hòa, xã Phú Xuân, tỉnh Ninh Bình")],
        [(100, "3"), (300, "Tên gọi của hộ"), (900, "Hộ kinh doanh Tiệm may Thanh Loan")],
        [(100, "4"), (300, "Trụ sở chính"), (900, "thôn Đông, xã Kiến Xương, tỉnh Hưng Yên")],
    ]
    fields = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)
    assert fields["business_address"].value == "thôn Đông, xã Kiến Xương, tỉnh Hưng Yên"


def test_a_wrapped_label_reads_as_the_longer_wording_it_spells(taxonomy) -> None:
    """ "Thủ tục hành" / "chính" in a grid's label cell is "Thủ tục hành chính", not the
    shorter "Thủ tục" with a note: the next line's "chính" is label, the value beside it."""
    lines = [
        [(100, "Người nộp hồ sơ"), (700, "Lương Hồng Duyên")],
        [(100, "Thủ tục hành"), (700, "Cấp giấy phép xây")],
        [(100, "chính"), (700, "dựng nhà ở riêng lẻ")],
    ]
    fields = extract_fields("reception_receipt", [page_from_lines(lines)], taxonomy)
    assert fields["procedure"].value == "Cấp giấy phép xây dựng nhà ở riêng lẻ"


def test_a_syllable_that_lost_its_vowel_inside_a_value_is_kept(taxonomy) -> None:
    """ "Đăng kv Khai sinh": "ký" read as "kv" has no vowel, like a leader's debris, but
    readable words follow it; a name keeps it too, for review."""
    lines = ["Nội dung yêu cầu giải quyết: Đăng kv Khai sinh", "Ông/Bà: Lê Thj Thu Hà"]
    fields = extract_fields("reception_receipt", [page_from_lines(lines)], taxonomy)
    assert fields["procedure"].value == "Đăng ký khai sinh"
    assert fields["applicant_name"].value == "Lê Thj Thu Hà"
    assert fields["applicant_name"].needs_review


def test_an_unlisted_label_about_what_only_one_field_is_about(taxonomy) -> None:
    """ "Nam/Nữ" names no wording of the child's gender, but a sex is what no other field of
    the form is about: it fills the gender (a concept the form's other fields share, such as a
    person, gives no such weight: "Người làm chứng" is tested above). The label is the
    gender's options, which says what it labels as surely as a listed wording: no review."""
    lines = [
        *MOTTO,
        [(700, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        "Họ, chữ đệm, tên: TRẦN MINH KHÔI",
        "Nam/Nữ: Nữ",
    ]
    field = extract_fields("birth_registration", [page_from_lines(lines)], taxonomy)["child_gender"]
    assert (field.value, field.needs_review) == ("Nữ", False)


def test_digits_no_checksum_guards_need_a_surer_reading(taxonomy) -> None:
    """A licence number read at 70 % may hide a misread digit, valid-looking all the same:
    reviewed; a name read at 70 % is not (its marks and syllables are checked instead, and
    "Hùng" is spelt with no other marks by any name)."""
    lines = ["Họ và tên: Nguyễn Văn Hùng", "Giấy phép lái xe số: 790123456789"]
    low = {"790123456789": 70.0, "Hùng": 70.0}
    fields = extract_fields("driving_license_exchange", [page_from_lines(lines, low=low)], taxonomy)
    assert fields["license_number"].value == "790123456789"
    assert fields["license_number"].needs_review
    assert "low OCR confidence" in (fields["license_number"].reason or "")
    assert not fields["full_name"].needs_review
    fields = extract_fields("driving_license_exchange", [page_from_lines(lines)], taxonomy)
    assert not fields["license_number"].needs_review


def test_an_address_unit_one_letter_off_goes_to_review(taxonomy) -> None:
    """ "vã Đông ung": "xã" misread, and the commune's name with it."""
    lines = [
        [(800, "CĂN CƯỚC CÔNG DÂN")],
        "Nơi thường trú: ấp Bình Hòa, vã Đông ung, huyện Đông Anh, tỉnh Khánh Hòa",
    ]
    field = extract_fields("id_card_copy", [page_from_lines(lines)], taxonomy)["residence"]
    assert field.needs_review and "'vã': one letter off a listed unit" in (field.reason or "")
    lines[1] = "Nơi thường trú: ấp Bình Hòa, xã Đông Hưng, huyện Đông Anh, tỉnh Khánh Hòa"
    field = extract_fields("id_card_copy", [page_from_lines(lines)], taxonomy)["residence"]
    assert not field.needs_review


def _birth_form(requester: str, father: str, *, low: dict[str, float] | None = None):
    lines = [
        [(700, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        f"Họ, chữ đệm, tên người yêu cầu: {requester}",
        "Họ, chữ đệm, tên: NGÔ MINH KHÔI",
        f"Họ, chữ đệm, tên người cha: {father}",
    ]
    return page_from_lines(lines, low=low)


def test_a_name_printed_again_with_marks_ocr_lost_takes_them(taxonomy) -> None:
    """The requester is the father, his name printed twice; OCR lost the tilde of "DŨNG" in
    one place, at full confidence. The other reading has it: OCR drops marks far more often
    than it adds them, so the name takes it, for review."""
    field = extract_fields(
        "birth_registration", [_birth_form("NGÔ DUY DUNG", "Ngô Duy Dũng")], taxonomy
    )["requester_name"]
    assert field.value == "NGÔ DUY DŨNG" and field.needs_review
    assert "printed again on the document as 'Ngô Duy Dũng'" in (field.reason or "")
    # the other reading lost the mark: no evidence against the marked one
    page = _birth_form("NGÔ DUY DŨNG", "Ngô Duy Dung")
    field = extract_fields("birth_registration", [page], taxonomy)["requester_name"]
    assert field.value == "NGÔ DUY DŨNG" and not field.needs_review
    # other marks: either reading may have swapped one, so neither is evidence
    page = _birth_form("NGÔ DUY DŨNG", "Ngô Duy Dùng")
    field = extract_fields("birth_registration", [page], taxonomy)["requester_name"]
    assert field.value == "NGÔ DUY DŨNG" and not field.needs_review
    # a mark read at low confidence is no evidence
    page = _birth_form("NGÔ DUY DUNG", "Ngô Duy Dũng", low={"Dũng": 60.0})
    field = extract_fields("birth_registration", [page], taxonomy)["requester_name"]
    assert field.value == "NGÔ DUY DUNG" and not field.needs_review


def test_a_residence_cut_at_a_communes_name_goes_to_review(taxonomy) -> None:
    """ "..., xã Đông" for "..., xã Đông Hưng, tỉnh Thái Bình": a commune may bear the name
    and a form's site may close at its commune, but a card prints the address up to its
    province (``ends_with_province`` in the taxonomy)."""
    lines = [[(800, "CĂN CƯỚC CÔNG DÂN")], "Nơi thường trú: thôn Thượng, xã Đông"]
    field = extract_fields("id_card_copy", [page_from_lines(lines)], taxonomy)["residence"]
    assert field.needs_review and "'xã Đông', not its province" in (field.reason or "")
    lines[1] = "Nơi thường trú: Dong Nai"  # the province alone: the first lines lost
    field = extract_fields("id_card_copy", [page_from_lines(lines)], taxonomy)["residence"]
    assert field.needs_review and "other lines may be lost" in (field.reason or "")
    lines[1] = "Nơi thường trú: thôn Thượng, xã Đông Hưng, Thái Bình"
    field = extract_fields("id_card_copy", [page_from_lines(lines)], taxonomy)["residence"]
    assert field.value == "thôn Thượng, xã Đông Hưng, Thái Bình" and not field.needs_review
    lines = [
        [(800, "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG")],
        "Địa điểm xây dựng: thôn Thượng, xã Đông",
    ]
    fields = extract_fields("construction_permit_application", [page_from_lines(lines)], taxonomy)
    site = fields["construction_address"]
    assert site.value == "thôn Thượng, xã Đông" and not site.needs_review  # closes at a commune


def test_a_name_whose_family_name_lost_its_marks_and_a_word_no_name_spells(taxonomy) -> None:
    """ "Dinh Thu Nuân Nga": OCR dropped the family name's marks and "Nuân" is no listed name
    ("Xuân" misread): together, a reason to look; either alone is not."""
    lines = ["Họ và tên chủ hộ: Dinh Thu Nuân Nga"]
    field = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)[
        "owner_name"
    ]
    assert field.value == "Đinh Thu Nuân Nga"
    assert field.needs_review and "'Nuân' is no listed name" in (field.reason or "")
    for name in ("Dinh Thu Xuân Nga", "Đinh Thu Nuân Nga"):
        lines = [f"Họ và tên chủ hộ: {name}"]
        fields = extract_fields(
            "household_business_registration", [page_from_lines(lines)], taxonomy
        )
        assert "is no listed name" not in (fields["owner_name"].reason or "")


def test_a_grids_second_column_of_labels_follows_a_label_and_its_value(taxonomy) -> None:
    """No known label starts the grid's second column ("Được sinh ra ngày"): a label cell that
    follows a label and its value on the row is a label all the same; a label whose value
    shares its cell ("Họ và tên Phan Mạnh Hùng") is such a pair, one that runs on into its
    next word ("Người nộp hồ" / "sơ") is not."""
    lines = [
        [(200, "Thông tin bên nữ:")],
        [
            (200, "Tên đầy đủ"),
            (700, "Đinh Minh Ly"),
            (1300, "Được sinh ra ngày"),
            (1900, "27/04/1968"),
        ],
        [
            (200, "Dân tộc"),
            (700, "Kinh"),
            (1300, "Chỗ ở hiện tại"),
            (1900, "thôn Đông, tỉnh Nam Định"),
        ],
        [(200, "Thông tin bên nam:")],
        [(200, "Họ và tên Phan Mạnh Hùng"), (1300, "Được sinh ra ngày"), (1900, "21/03/1985")],
    ]
    fields = extract_fields("marriage_registration", [page_from_lines(lines)], taxonomy)
    assert fields["bride_birth_date"].value == "1968-04-27"
    assert fields["groom_birth_date"].value == "1985-03-21"
    assert fields["groom_name"].value == "Phan Mạnh Hùng"
    lines = [
        [
            (200, "Người nộp hồ"),
            (700, "TRẦN MINH TRANG"),
            (1300, "Số CCCD"),
            (1700, "038300881438"),
        ],
        [(200, "sơ")],
    ]
    fields = extract_fields("reception_receipt", [page_from_lines(lines)], taxonomy)
    assert fields["applicant_name"].value == "TRẦN MINH TRANG"


def test_a_rule_glued_to_the_value_after_it_is_parted(taxonomy) -> None:
    """ "Người nộp |DƯƠNG VĂN PHONG": OCR glued the cell's rule to the name's first word."""
    lines = [
        [(200, "Người nộp"), (600, "|DƯƠNG VĂN PHONG"), (1300, "Số CCCD"), (1700, ">031762963123")],
    ]
    fields = extract_fields("reception_receipt", [page_from_lines(lines)], taxonomy)
    assert fields["applicant_name"].value == "DƯƠNG VĂN PHONG"


def test_a_bilingual_label_whose_english_echo_ocr_garbled(taxonomy) -> None:
    """ "Hộ và tên TuÌÏ name:" over "PHUNG MINH TOÀN": the echo of "Full name" is the known
    label's tail, no label of its own; the value is under the label, family name and all."""
    lines = [
        [(800, "CĂN CƯỚC CÔNG DÂN")],
        [(820, "Hộ và tên TuÌÏ name:")],
        [(820, "PHUNG MINH TOÀN")],
        [(820, "Ngày sinh Date of birth: 18/02/1995")],
    ]
    fields = extract_fields("id_card_copy", [page_from_lines(lines)], taxonomy)
    assert fields["full_name"].value == "PHÙNG MINH TOÀN"


def test_a_name_too_long_for_its_cell_ends_on_the_cells_next_line(taxonomy) -> None:
    """ "Họ, chữ đệm, | NGÔ HỮU CƯỜNG" / "tên | QUÂN": label and name both wrap in a grid;
    the next row's own label and value ("Dân tộc | Kinh") are no part of the name."""
    lines = [
        [(200, "Họ, chữ đệm,"), (700, "NGÔ HỮU CƯỜNG"), (1300, "Quốc tịch"), (1700, "Việt Nam")],
        [(200, "tên"), (700, "QUÂN")],
        [(200, "Sinh ngày"), (700, "18/02/1988")],
    ]
    fields = extract_fields("driving_license_exchange", [page_from_lines(lines)], taxonomy)
    assert fields["full_name"].value == "NGÔ HỮU CƯỜNG QUÂN"
    lines = [
        [(200, "Họ và tên"), (700, "Ngô Hữu Cường"), (1300, "Quốc tịch"), (1700, "Việt Nam")],
        [(200, "Dân tộc"), (700, "Kinh")],
    ]
    fields = extract_fields("driving_license_exchange", [page_from_lines(lines)], taxonomy)
    assert fields["full_name"].value == "Ngô Hữu Cường"


def test_a_y_read_as_v_ends_no_name(taxonomy) -> None:
    """ "Lê Kim Hoa Mv": no Vietnamese syllable ends in "v", and a "y" is what OCR read so;
    given back, for review."""
    lines = ["Họ và tên: Lê Kim Hoa Mv", "Số CCCD: 001085012345"]
    field = extract_fields("driving_license_exchange", [page_from_lines(lines)], taxonomy)[
        "full_name"
    ]
    assert (field.value, field.needs_review) == ("Lê Kim Hoa My", True)


def test_an_address_cut_after_its_house_number_goes_to_review(taxonomy) -> None:
    """ "Số 172, phố Nguyễn", "Số 107, tường": a house number opens an address, so one that
    stops at a street (or at a unit OCR misread) was cut short, even with no unit read."""
    for cut in ("Số 172, phố Nguyễn", "Số 107, tường", "Số"):
        lines = [[(800, "CĂN CƯỚC CÔNG DÂN")], f"Nơi thường trú: {cut}"]
        field = extract_fields("id_card_copy", [page_from_lines(lines)], taxonomy)["residence"]
        assert field.needs_review and "cut short" in (field.reason or ""), cut


def test_a_cards_issue_date_is_no_birth_date(taxonomy) -> None:
    """The back of a card dates its issue "Ngày, tháng, năm: 29/09/2020" over the issuer's
    signature: with the birth date's label lost, that date fills no birth date."""
    lines = [
        [(800, "CĂN CƯỚC CÔNG DÂN")],
        "Họ và tên / Full name: ĐOÀN MINH THIỆN",
        "Ngàv sỉnb Dale ot blrth: 24/11/1970",
        "Đặc điểm nhân dạng: Nốt ruồi cách 2cm dưới mép trái",
        "Ngày, thắng, năm: 29/09/2020",
    ]
    field = extract_fields("id_card_copy", [page_from_lines(lines)], taxonomy)["birth_date"]
    assert field.value != "2020-09-29"


def test_an_address_short_of_its_province_goes_on_past_another_columns_line(taxonomy) -> None:
    """A card's residence wraps beside its photo ("..., quận" / "3, tỉnh Sóc Trăng") well short
    of the card's widest line, and the expiry date under the photo, with specks OCR put in the
    residence's column, falls between the two lines: the address goes on to its province."""
    lines = [
        [(800, "CĂN CƯỚC CÔNG DÂN")],
        [(600, "Quê quán: xã Yên Thế, huyện Đông Anh, thành phố Hà Nội, Việt Nam")],
        [(600, "Nơi thường trú: thôn Đông, phường Bến Thành, quận")],
        [(600, "3, tỉnh Sóc Trăng")],
    ]
    page = page_from_lines(lines)
    row = 150 + 2 * 90 + 45  # between the residence's two lines
    between = [
        Word("Có", 200, row, 250, row + 40, 90.0, 2, 40),
        Word("giá", 260, row, 330, row + 40, 90.0, 2, 40),
        Word("trị", 340, row, 400, row + 40, 90.0, 2, 40),
        Word("đến:", 410, row, 500, row + 40, 90.0, 2, 40),
        Word("„", 900, row, 910, row + 10, 30.0, 2, 40),
        Word(",", 1300, row, 1310, row + 10, 30.0, 2, 40),
    ]
    page = PageText([*page.words, *between], page.width, page.height, page.dpi)
    field = extract_fields("id_card_copy", [page], taxonomy)["residence"]
    assert field.value == "thôn Đông, phường Bến Thành, quận 3, tỉnh Sóc Trăng"
    lines[3] = [(600, "Ghi chú: không")]  # no province: not this address's end
    field = extract_fields("id_card_copy", [page_from_lines(lines)], taxonomy)["residence"]
    assert field.value == "thôn Đông, phường Bến Thành, quận"
    assert field.needs_review


def test_an_address_wrapped_over_three_lines_of_a_card_reaches_its_province(taxonomy) -> None:
    """ "Số 76, đường Lý" / "Thường Kiệt, phường Đông Hải, huyện Yên Thế, tỉnh Cà" / "Mau":
    the middle line, in sentence case over a one-word line, is no row of labels over values
    (it names places as an address does), and the address goes on until its province."""
    lines = [
        [(800, "CĂN CƯỚC CÔNG DÂN")],
        [(600, "Quê quán: xã Yên Thế, huyện Đông Anh, thành phố Hà Nội, Việt Nam, Việt Nam")],
        [(600, "Nơi thường trú: Số 76, đường Lý")],
        [(600, "Thường Kiệt, phường Đông Hải, huyện Yên Thế, tỉnh Cà")],
        [(600, "Mau")],
    ]
    field = extract_fields("id_card_copy", [page_from_lines(lines)], taxonomy)["residence"]
    assert field.value == "Số 76, đường Lý Thường Kiệt, phường Đông Hải, huyện Yên Thế, tỉnh Cà Mau"


def test_a_procedure_cut_short_is_the_one_catalogue_name_it_is_part_of(taxonomy) -> None:
    """ "Đăng ký thành lập hộ" (the line's end lost), "khai sinh" (its first words lost): the one
    catalogue name each is part of, for review; "Đăng ký" is part of several: left as read."""
    for printed, expected in (
        ("Đăng ký thành lập hộ", "Đăng ký thành lập hộ kinh doanh"),
        ("khai sinh", "Đăng ký khai sinh"),
        ("Đăng ký", "Đăng ký"),
    ):
        lines = [f"Thủ tục hành chính: {printed}"]
        field = extract_fields("reception_receipt", [page_from_lines(lines)], taxonomy)["procedure"]
        assert field.value == expected
        assert field.needs_review


def test_a_card_whose_number_disagrees_with_its_birth_year_goes_to_review(taxonomy) -> None:
    """The number says born in 1985 ("085"), the card 01/02/1986: one of them was misread."""
    lines = [
        [(800, "CĂN CƯỚC CÔNG DÂN")],
        "Số: 001085012345",
        "Họ và tên: TRẦN VĂN HÙNG",
        "Ngày sinh: 01/02/1986",
        "Giới tính: Nam",
    ]
    fields = extract_fields("id_card_copy", [page_from_lines(lines)], taxonomy)
    assert fields["id_number"].needs_review and fields["birth_date"].needs_review
    assert "born in 1985" in (fields["birth_date"].reason or "")
    assert not fields["gender"].needs_review
    lines[3] = "Ngày sinh: 01/02/1985"
    fields = extract_fields("id_card_copy", [page_from_lines(lines)], taxonomy)
    assert not fields["id_number"].needs_review and not fields["birth_date"].needs_review


def test_grid_of_unknown_wordings_wrapped_in_their_cells(taxonomy) -> None:
    """A four-column grid whose labels the taxonomy does not list wrap in their cells
    ("Người xin | phép", "Số giấy tờ | tùy thân"): the wrapped words join each cell's label, the
    first column is a label column because label/value pairs alternate along the row, a
    numbered heading ending in a known wording ("1. Thông tin về chủ đầu tư:") is no label, a
    rule OCR glued to a value ("[thôn") ends the cell before it, and a tone mark OCR misread
    in an unknown wording ("Thứa") still names its field."""
    lines = [
        [(200, "1. Thông tin về chủ đầu tư:")],
        [(200, "Người xin"), (700, "Đỗ Hoài Yến"), (1500, "Số giấy tờ"), (2000, "032944643")],
        [(200, "phép"), (1500, "tùy thân")],
        [(200, "2. Thông tin về công trình:")],
        [(200, "Vị trí"), (560, "[thôn Đông, xã Tân Lập"), (1500, "Thứa số"), (2000, "996")],
        [(200, "công trình"), (700, "huyện Cái Bè, tỉnh Tiền Giang")],
        [(200, "Cao (số"), (700, "3"), (1500, "Chiều cao"), (2000, "12m")],
        [(200, "tầng)"), (1500, "công trình")],
    ]
    fields = extract_fields("construction_permit_application", [page_from_lines(lines)], taxonomy)
    assert values(fields) | {"floor_area_m2": None} == {
        "investor_name": "Đỗ Hoài Yến",
        "investor_id_number": "032944643",
        "construction_address": "thôn Đông, xã Tân Lập, huyện Cái Bè, tỉnh Tiền Giang",
        "parcel_number": "996",
        "floors": "3",
        "floor_area_m2": None,
    }


def test_unknown_wordings_whose_words_ocr_misread_still_name_their_fields(taxonomy) -> None:
    """Captions OCR damaged into words that are no Vietnamese syllable: "Thita" ("Thửa": "ử"
    read as "it"), "dav" ("đất", one letter off); a real word is never taken for another
    ("gọi" is no "gửi", so "Tên gọi của hộ" is not "Kính gửi"; "thuế" is no "thửa"); a stray
    "+" after a number is read and reported."""
    lines = [
        "Tạ Phương Ngát Thảo",
        "(Họ, tên đệm và tên)",
        "260",
        "(Thita số)",
        "74+",
        "(Bản đồ địa chính tờ số)",
        "623 m2",
        "(Tổng diện tích dav)",
        "0101234567",
        "(Mã số thuế)",
    ]
    fields = extract_fields("land_certificate_application", [page_from_lines(lines)], taxonomy)
    assert fields["parcel_number"].value == "260"
    assert fields["area_m2"].value == "623"
    assert fields["map_sheet_number"].value == "74"
    assert fields["map_sheet_number"].needs_review
    lines = [
        "QUÁCH THỊ DIỆP",
        "(Chủ hộ kinh doanh)",
        "HỘ KINH DOANH TIỆM BÁNH THỊ DIỆP",
        "(Tên gọi của hộ)",
    ]
    fields = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)
    assert fields["business_name"].value == "HỘ KINH DOANH TIỆM BÁNH THỊ DIỆP"


def test_a_gender_label_whose_slash_ocr_lost(taxonomy) -> None:
    """ "Nam/Nữ" read "Nam Nữ": both words are the label (it used to start at "Nữ", about
    nothing), so the unknown wording names the child's gender."""
    lines = [
        "Tên đầy đủ : Đỗ Ngọc Thịnh",
        "Sinh vào ngày : 18 11 2024",
        "Nam Nữ : Nam",
        "Dân tộc : Kinh",
    ]
    fields = extract_fields("birth_registration", [page_from_lines(lines)], taxonomy)
    assert fields["child_gender"].value == "Nam"


def test_an_address_with_a_word_no_syllable_spells_goes_to_review(taxonomy) -> None:
    """ "Nguyễn Hưệ": OCR put a horn on the "u" of "Huệ"; no Vietnamese word has these marks,
    so the residence is flagged (it was taken as read)."""
    lines = [
        [(800, "CĂN CƯỚC CÔNG DÂN")],
        "Số định danh cá nhân: 001085012345",
        "Họ và tên: NGUYỄN VĂN AN",
        "Nơi thường trú: Số 180, ngõ 60, đường Nguyễn Hưệ, phường Trần Phú, tỉnh Tiền Giang",
    ]
    fields = extract_fields("id_card_copy", [page_from_lines(lines)], taxonomy)
    assert fields["residence"].needs_review
    assert "Hưệ" in (fields["residence"].reason or "")


def test_caption_that_lost_its_closing_parenthesis(taxonomy) -> None:
    """ "(Số CMND" under its value: a short caption whose ")" OCR lost is still a caption."""
    lines = [
        "Lê Thị Thu Hà",
        "(Họ và tên người sử dụng đất)",
        "012345678",
        "(Số CMND",
    ]
    fields = extract_fields("land_certificate_application", [page_from_lines(lines)], taxonomy)
    assert fields["applicant_name"].value == "Lê Thị Thu Hà"
    assert fields["applicant_id_number"].value == "012345678"
    # five words: "các tầng" is the caption's, not the value right of "Diện tích sàn"
    lines = ["141,69 m2", "(Diện tích sàn các tầng", "5", "(Số tầng)"]
    fields = extract_fields("construction_permit_application", [page_from_lines(lines)], taxonomy)
    assert fields["floor_area_m2"].value == "141.69"


def test_values_wrapping_under_themselves_in_a_grid(taxonomy) -> None:
    """A value right of its label goes on at the same left on the lines below, whatever their
    case ("HỘ KINH DOANH TẠP" / "HÓA MINH AN"), only inside its own cell (the next column's
    wrapped value stays there); a label wrapped after its colon ("Thủ tục hành:" / "chính")
    is one label, its value the cell's."""
    lines = [
        [(200, "Tên gọi của hộ"), (700, "HỘ KINH DOANH TẠP"), (1300, "Địa chỉ trụ sở"),
         (1750, "Số 12, đường Lê Lợi,")],
        [(700, "HÓA MINH AN"), (1750, "phường Hà Đông,")],
        [(1750, "thành phố Hà Nội")],
        [(200, "Chủ hộ"), (700, "Trần Văn An"), (1300, "Vốn kinh doanh"), (1750, "50.000.000")],
    ]  # fmt: skip
    page = page_from_lines(lines)
    fields = extract_fields("household_business_registration", [page], taxonomy)
    assert fields["business_name"].value == "HỘ KINH DOANH TẠP HÓA MINH AN"
    address = "Số 12, đường Lê Lợi, phường Hà Đông, thành phố Hà Nội"
    assert fields["business_address"].value == address
    assert fields["owner_name"].value == "Trần Văn An"
    lines = [
        [(200, "Họ tên người nộp"), (700, "Trần Văn An")],
        [(200, "Thủ tục hành:"), (700, "Đăng ký đất đai, tài sản")],
        [(200, "chính"), (700, "gắn liền với đất lần đầu")],
    ]
    fields = extract_fields("reception_receipt", [page_from_lines(lines)], taxonomy)
    assert fields["procedure"].value == "Đăng ký đất đai, tài sản gắn liền với đất lần đầu"


def test_label_wrapped_over_three_lines_beside_a_wrapped_value(taxonomy) -> None:
    """ "Người đứng" / "tên xin" / "phép" is one label over three lines; the first cell of a
    grid row is a label when shaped as one although no known label shares its column; under
    a label wrapped beside its value, the line's words under the value are the value's
    ("dựng | Giàng, tỉnh Hải Dương": label, then value)."""
    lines = [
        [(200, "Người đứng"), (700, "HOÀNG THU GIANG"), (1500, "Giấy tờ Uv"),
         (2000, "083174800970")],
        [(200, "tên xin"), (1500, "thân số")],
        [(200, "phép")],
        [(200, "Nơi xây"), (700, "thôn Đông, xã Cẩm"), (1500, "Số thửa"), (2000, "200")],
        [(200, "dựng"), (700, "Giàng, tỉnh Hải Dương")],
    ]  # fmt: skip
    fields = extract_fields("construction_permit_application", [page_from_lines(lines)], taxonomy)
    assert fields["investor_name"].value == "HOÀNG THU GIANG"
    assert fields["investor_id_number"].value == "083174800970"
    assert fields["construction_address"].value == "thôn Đông, xã Cẩm Giàng, tỉnh Hải Dương"
    assert fields["parcel_number"].value == "200"


def test_house_number_that_lost_its_slash_is_mended_and_reviewed(taxonomy) -> None:
    """ "Số 227 36": the "/" of an alley's house number lost by OCR; read as "Số 227/36" (the
    only reading two numbers after "Số" have), the value still goes to review."""
    lines = [
        "Họ và tên người sử dụng đất: Lê Thị Thu Hà",
        "Địa chỉ thửa đất: Số 227 36, đường Lê Lợi, phường Hạ Long, tỉnh Quảng Ninh",
    ]
    field = extract_fields("land_certificate_application", [page_from_lines(lines)], taxonomy)[
        "land_address"
    ]
    assert field.value == "Số 227/36, đường Lê Lợi, phường Hạ Long, tỉnh Quảng Ninh"
    assert field.needs_review and "227 36" in (field.reason or "")


def test_a_procedure_cut_past_a_shorter_name_is_the_longer_one_it_begins(taxonomy) -> None:
    """ "Đổi giấy phép lái xe do ngành Giao thông" (the line's end lost) goes on past the
    shorter catalogue name "Đổi giấy phép lái xe": it is the one name it begins."""
    lines = ["Thủ tục hành chính: Đổi giấy phép lái xe do ngành Giao thông"]
    field = extract_fields("reception_receipt", [page_from_lines(lines)], taxonomy)["procedure"]
    assert field.value == "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp"
    assert not field.needs_review


@pytest.mark.parametrize(
    "caption",
    ["(Nam/Nw)", "(Nam Vữ)", "(Nam/Ni)", "(Nam Nit)", "(Ngm/Nữ)", "(Nem Nữ)", "(Vam Nit)"],
)
def test_a_gender_caption_with_a_word_ocr_misread(caption: str, taxonomy) -> None:
    """ "(Nam/Nữ)" under its value, its small "Nữ" read "Nw", "Vữ", "Ni" or "Nit" (the horn
    as two letters), or its "Nam" read "Ngm": still the sex's caption."""
    lines = [
        "Âu Thế Bảo",
        "(Tên đầy đủ)",
        "14-06-2025",
        "(Sinh vào ngày)",
        "Nữ",
        caption,
        "Nung",
        "(Dân tộc)",
    ]
    fields = extract_fields("birth_registration", [page_from_lines(lines)], taxonomy)
    assert fields["child_gender"].value == "Nữ"


def test_a_gender_label_cell_whose_second_word_ocr_misread(taxonomy) -> None:
    """A numbered grid's row "3 | Nam NW | Nam": the capitalised "NW" ("Nữ" misread, no
    vowel) is the label's second word, not a value."""
    lines = [
        [(200, "1"), (520, "Tên đầy đủ"), (1270, "CAO DUY TÀI")],
        [(200, "2"), (520, "Sinh vào ngày"), (1270, "08.04.2024")],
        [(200, "3"), (520, "Nam NW"), (1270, "Nam")],
        [(200, "4"), (520, "Dân tộc"), (1270, "Mường")],
    ]
    page = page_from_lines(lines, cells_as_lines=True)
    fields = extract_fields("birth_registration", [page], taxonomy)
    assert fields["child_gender"].value == "Nam"


def test_a_number_over_its_caption_with_a_stray_parenthesis(taxonomy) -> None:
    """ "70)" over "(Bản đồ địa chính tờ số)": the parenthesis is a speck (read, reported),
    and the lone word is the value, not a footnote mark "2)" before one."""
    lines = ["Nguyễn Văn An", "(Họ và tên)", "70)", "(Bản đồ địa chính tờ số)"]
    fields = extract_fields("land_certificate_application", [page_from_lines(lines)], taxonomy)
    sheet = fields["map_sheet_number"]
    assert (sheet.value, sheet.needs_review) == ("70", True)


def test_a_colon_read_as_a_letter_before_a_short_number(taxonomy) -> None:
    """ ": 5" read "r5": no number starts with a letter; the digits are the value, reviewed."""
    lines = [
        [(300, "Diện tích sàn"), (1000, ": 867 m2")],
        [(300, "Số tầng"), (1000, "r5")],
        [(300, "Chiều cao công trình"), (1000, ": 16,8 m")],
    ]
    fields = extract_fields("construction_permit_application", [page_from_lines(lines)], taxonomy)
    assert (fields["floors"].value, fields["floors"].needs_review) == ("5", True)
    assert fields["floor_area_m2"].value == "867"


def test_identity_numbers_under_an_unlisted_label_go_by_section(taxonomy) -> None:
    """ "Mã định danh" is no wording the taxonomy lists: each twelve-digit number printed under
    a section's heading (OCR's "THONG TIN BIEN NO" for "THÔNG TIN BÊN NỮ") is that section's
    identity number, for review."""
    lines = [
        *MOTTO,
        [(700, "TỜ KHAI ĐĂNG KÝ KẾT HÔN")],
        "THONG TIN BIEN NO",
        "Họ và tên: Lâm Bích Phương Chi",
        "Mã định danh {027162337602",
        "THONG TIN BEN NAM",
        "Họ và tên: TRƯƠNG THẾ NHẬT",
        "Mã định danh = 049064635474",
    ]
    fields = extract_fields("marriage_registration", [page_from_lines(lines)], taxonomy)
    bride, groom = fields["bride_id_number"], fields["groom_id_number"]
    assert (bride.value, bride.needs_review) == ("027162337602", True)
    assert (groom.value, groom.needs_review) == ("049064635474", True)
    assert fields["groom_name"].value == "TRƯƠNG THẾ NHẬT"


def test_label_words_ocr_glued_together(taxonomy) -> None:
    """ "Họ vàtên Fullname:": two words of a label read as one ("vàtên", "Fullname") are the
    two words, so the known wording is found and the name under it is read whole."""
    lines = [
        [(800, "CĂN CƯỚC CÔNG DÂN")],
        "Số No.: 046097140878",
        "Họ vàtên Fullname:",
        "DƯƠNG DUY HÙNG MINH",
        "Ngày sinh Date of birth: 12/11/1997",
    ]
    fields = extract_fields("id_card_copy", [page_from_lines(lines)], taxonomy)
    assert fields["full_name"].value == "DƯƠNG DUY HÙNG MINH"


def test_a_place_with_a_parenthesis_that_pairs_with_none_goes_to_review(taxonomy) -> None:
    """ "Trung (am Y tế": OCR read the "t" of "tâm" as "("; a place name's parentheses pair."""
    lines = ["Nơi sinh: Trung (am Y tế xã Hòa Phú, tỉnh Ninh Bình"]
    fields = extract_fields("birth_registration", [page_from_lines(lines)], taxonomy)
    assert fields["birth_place"].needs_review
    lines = ["Nơi sinh: Bệnh viện Đa khoa (cơ sở 2), tỉnh Ninh Bình"]
    fields = extract_fields("birth_registration", [page_from_lines(lines)], taxonomy)
    assert not fields["birth_place"].needs_review


def test_a_grid_rule_read_as_a_dash_parts_the_label_from_its_value(taxonomy) -> None:
    """ "Họ, tên đệm — | Đoàn Kim Oanh" / "và tên": OCR read the cell's double rule as "—"
    and "|"; the upright "—" is a rule, so the first cell is a label (wrapped into an unlisted
    wording) and the name its value."""
    lines = [
        [
            (200, "Họ, tên đệm —"),
            (700, "| Đoàn Kim Oanh"),
            (1300, "Sinh vào ngày"),
            (1700, "| 06-04-2025"),
        ],
        [(200, "và tên")],
    ]
    page = page_from_lines(lines)
    words = [  # the box OCR saw: a rule is tall and thin
        replace(w, right=w.left + 20, top=w.bottom - 56) if w.text == "—" else w for w in page.words
    ]
    fields = extract_fields("birth_registration", [replace(page, words=words)], taxonomy)
    assert fields["child_name"].value == "Đoàn Kim Oanh"
    assert fields["child_birth_date"].value == "2025-04-06"


def test_an_address_runs_on_past_a_misread_capital_taken_for_a_rule(taxonomy) -> None:
    """ "đường Cách Mạng [háng Tám": OCR read the "T" of "Tháng" as a bracket, which parts a
    grid's cells; the lower-case words after the comma are still the address's next line, and
    the word the bracket was glued to goes to review."""
    lines = [
        [(800, "CĂN CƯỚC CÔNG DÂN")],
        [(800, "Họ và tên / Full name: NGUYỄN THỊ LAN")],
        [(800, "Nơi thường trú / Place of residence: Số 201, ngõ 154,")],
        [(800, "đường Cách Mạng [háng Tám, phường Ô Chợ Dừa, tỉnh Bình Dương")],
    ]
    field = extract_fields("id_card_copy", [page_from_lines(lines)], taxonomy)["residence"]
    assert field.value is not None and field.value.endswith("phường Ô Chợ Dừa, tỉnh Bình Dương")
    assert field.needs_review


def test_a_label_word_ocr_garbled_into_no_word_does_not_hide_the_label(taxonomy) -> None:
    """ "I0 Và tén nguwoi nội": "Họ" read as "I0" is no word at all, so it cannot be another
    label's word; the rest of the wording still finds the applicant's name."""
    lines = [[(300, "I0 Và tén nguwoi nội"), (1280, "Nguyễn Phương Quỳnh")]]
    page = page_from_lines(lines)
    field = extract_fields("reception_receipt", [page], taxonomy)["applicant_name"]
    assert field.value == "Nguyễn Phương Quỳnh"


def test_a_dates_review_rests_on_its_numbers_not_its_words(taxonomy) -> None:
    """A digit Tesseract was 65 % sure of may be a misread one ("02" for "03"), a valid date
    still; an unsure "tháng" is read whatever OCR made of it."""
    line = "Ngày sinh: ngày 03 tháng 02 năm 1965"
    page = page_from_lines([line], low={"02": 65.0})
    assert extract_fields("id_card_copy", [page], taxonomy)["birth_date"].needs_review
    page = page_from_lines([line], low={"tháng": 30.0})
    field = extract_fields("id_card_copy", [page], taxonomy)["birth_date"]
    assert field.value == "1965-02-03" and not field.needs_review


def test_an_address_runs_on_past_the_debris_of_a_line_beside_the_photo(taxonomy) -> None:
    """On a card the expiry line beside the photo sits between an address's two lines, and
    OCR reads the photo's edge on it as letters it is unsure of ("Sree" at 16 %): a line whose
    words in the value's column are all such debris is another column's, not the address's end.
    """
    lines = [
        [(800, "CĂN CƯỚC CÔNG DÂN")],
        [(800, "Nơi thường trú / Place of residence: Số 281, phố Tôn Đức")],
        [(800, "Thắng, phường Hoàn Kiếm, tỉnh Nghệ An")],
    ]
    page = page_from_lines(lines)
    value_row = next(w for w in page.words if w.text == "281,")
    beside = [("Có", 300, 90.0), ("giá", 370, 90.0), ("trị", 450, 90.0), ("Sree", 1300, 16.0)]
    top = value_row.top + 40
    page.words += [
        Word(text, x, top, x + 24 * len(text), top + 50, conf, block=9, line=99)
        for text, x, conf in beside
    ]
    field = extract_fields("id_card_copy", [page], taxonomy)["residence"]
    assert field.value == "Số 281, phố Tôn Đức Thắng, phường Hoàn Kiếm, tỉnh Nghệ An"


def test_an_address_wrapped_over_its_caption_is_not_part_of_the_caption(taxonomy) -> None:
    """An address's last word wrapped onto a line of its own ("Định") right above its caption
    "(Vị trí thửa đất)": the caption is a wording by itself, the word is the address's end,
    and the next line ("Đất ở tại đô thị", the land's use) is no part of either."""
    lines = [
        "574",
        "(Thửa số)",
        "Số 245, đường Lê Lợi, phường Ngô Quyền, quận Bình Thạnh, tỉnh Bình",
        "Định",
        "(Vị trí thửa đất)",
        "Đất ở tại đô thị",
        "(Mục đích sử dụng)",
    ]
    fields = extract_fields("land_certificate_application", [page_from_lines(lines)], taxonomy)
    assert fields["land_address"].value == (
        "Số 245, đường Lê Lợi, phường Ngô Quyền, quận Bình Thạnh, tỉnh Bình Định"
    )


def test_a_line_of_photo_debris_between_a_card_label_and_its_value(taxonomy) -> None:
    """ "~ F4" (a photo's edge, read at 0 %) on the line between "Họ và tên / Full name:" and
    the name: the name is on the next line, not lost."""
    lines = [
        [(800, "CĂN CƯỚC CÔNG DÂN")],
        [(800, "Số / No.: 001195012345")],
        [(800, "Họ và tên / Full name:")],
        [(800, "VÕ NGỌC ĐỊNH HIẾU")],
        [(800, "Ngày sinh / Date of birth: 12/05/1997")],
    ]
    page = page_from_lines(lines)
    label = next(w for w in page.words if w.text == "Full")
    top = label.bottom + 8  # squeezed between the label's line and the name's
    debris = [
        Word("~", 830, top, 850, top + 11, 83.0, block=9, line=99),
        Word("F4", 1170, top, 1200, top + 11, 0.0, block=9, line=99),
    ]
    page = replace(page, words=page.words + debris)
    field = extract_fields("id_card_copy", [page], taxonomy)["full_name"]
    assert field.value == "VÕ NGỌC ĐỊNH HIẾU"


@pytest.mark.parametrize(
    ("printed", "expected"), [("D6 Thi Giang", "Đỗ Thi Giang"), ("HÀ NG0C ANH", "HÀ NGOC ANH")]
)
def test_an_o_read_as_a_digit_in_a_name(printed: str, expected: str, taxonomy) -> None:
    """Tesseract reads an "ô"/"ỗ" as 6 and an "o" as 0: "D6 Thi Giang" is a name whose "o"
    was misread, given back and reviewed, not a value lost for its digit."""
    lines = [printed, "(Họ, chữ đệm, tên)", "Việt Nam", "(Quốc tịch)"]
    field = extract_fields("driving_license_exchange", [page_from_lines(lines)], taxonomy)[
        "full_name"
    ]
    assert field.value == expected
    assert field.needs_review


def test_an_address_goes_on_under_a_line_of_the_column_beside_it(taxonomy) -> None:
    """A card's residence wraps onto its next line; between the two, Tesseract reads the
    expiry date of the photo's column to the left ("Có giá trị đến: 15/05/2027"), whose end
    reaches under the value. That line is another column's: the address goes on under it."""
    lines = [
        [(996, "Họ và tên / Full name:")],
        [(996, "LÊ VĂN KIÊN")],
        [(996, "Nơi thường trú / Place of residence: ấp Bình Hòa, xã Phú")],
        [(995, "Xuân, huyện Yên Thế, tỉnh Cà Mau")],
    ]
    page = page_from_lines(lines)
    top = next(w for w in page.words if w.text == "Phú").top + 35
    # as Tesseract read it: the date, then the photo's edge as letters at low confidence
    printed = [
        "Có@610@96",
        "giá@651@95",
        "trị@701@94",
        "đến:@749@57",
        "15052027@809@49",
        "—@1041@49",
        "1@1162@7",
        "a@1231@26",
        "es@1322@39",
        "và@1441@45",
    ]
    beside = []
    for word in printed:
        text, x, conf = word.split("@")
        left = int(x)
        beside.append(Word(text, left, top, left + 20 * len(text), top + 35, float(conf), 9, 50))
    page = replace(page, words=page.words + beside)
    field = extract_fields("id_card_copy", [page], taxonomy)["residence"]
    assert field.value == "ấp Bình Hòa, xã Phú Xuân, huyện Yên Thế, tỉnh Cà Mau"


def test_a_business_name_opens_with_the_legal_form_as_written(taxonomy) -> None:
    """The taxonomy says every household business's name opens with "Hộ kinh doanh": OCR's
    "116 kinh doanh" is given back as written, and the value stays in review."""
    lines = ["Tên hộ kinh doanh: 116 kinh doanh Cửa hàng vật liệu xây dựng Quyết"]
    page = page_from_lines(lines)
    field = extract_fields("household_business_registration", [page], taxonomy)["business_name"]
    assert field.value == "Hộ kinh doanh Cửa hàng vật liệu xây dựng Quyết"
    assert field.needs_review and "116" in field.reason


def test_a_label_word_whose_o_ocr_read_as_a_digit(taxonomy) -> None:
    """A numbered table's row "5 | Chiều cao (s6 tầng) | 3" ("số" with its "ố" read as a 6):
    a label cell like its neighbours, not a value, so the floors are found."""
    lines = [
        [
            (360, "1"),
            (520, "Nơi xây dựng công trình"),
            (1280, "thôn Đông, xã Tân Lập, tỉnh Hà Nam"),
        ],
        [(360, "2"), (520, "Thửa số"), (1280, "821")],
        [(360, "3"), (520, "Diện tích sàn các tầng"), (1280, "844 m2")],
        [(360, "4"), (520, "Chiéu cao (s6 tầng)"), (1280, "3")],
        [(360, "5"), (520, "Chiều cao công trình"), (1280, "12,6 m")],
    ]
    fields = extract_fields("construction_permit_application", [page_from_lines(lines)], taxonomy)
    assert fields["floors"].value == "3"


def test_a_name_in_capitals_sharing_its_labels_cell(taxonomy) -> None:
    """A grid printed without rules: "Người đề nghị ĐẶNG TRỌNG ĐẠT | Số thẻ Căn cước |
    0380...". The label's wording is not listed; the capitals after it are the value, not
    label words, so the name is found whole."""
    lines = [
        "1. Thông tin về chủ đầu tư:",
        [(356, "Người đề nghị ĐẶNG TRỌNG ĐẠT"), (1348, "Số thẻ Căn cước"), (1725, "038081914948")],
        [(356, "Địa chỉ cư trú"), (733, "Số 63, ngõ 42, phố Đội Cấn, tỉnh Thanh Hóa")],
        "2. Thông tin công trình:",
        [(356, "Thửa đất số"), (733, "193"), (1348, "Số tầng"), (1725, "2")],
    ]
    fields = extract_fields("construction_permit_application", [page_from_lines(lines)], taxonomy)
    assert fields["investor_name"].value == "ĐẶNG TRỌNG ĐẠT"


def test_a_place_name_read_with_a_colon_is_no_label(taxonomy) -> None:
    """ "huyện Yên Thế: tỉnh Long An" (a comma read as a colon) over the caption "(Vị trí
    thửa đất)": "Thế:" is no label, so the line is the caption's value, not another's."""
    lines = [
        "019191981927",
        "(Số thẻ Căn cước)",
        "Số 37, đường Võ Thị Sáu, thị trấn Đông Anh, tỉnh Thái Nguyên",
        "(Chỗ ở hiện tại)",
        "696 m2",
        "(Tổng diện tích đất)",
        "tổ 12, phường Tân Định, huyện Yên Thế: tỉnh Long An",
        "(Vi trí thửa dấu)",
        "Đất ở tại nông thôn",
        "(Mục đích sử dụng)",
    ]
    fields = extract_fields("land_certificate_application", [page_from_lines(lines)], taxonomy)
    assert fields["land_address"].value == "tổ 12, phường Tân Định, huyện Yên Thế, tỉnh Long An"


def test_a_capital_ocr_misread_inside_an_unlisted_label(taxonomy) -> None:
    """ "Nơi Xây dựng công trình: Số 176, ..." ("xây" read with a capital): the label opens
    with "Nơi", a place's cue, not at the capital."""
    lines = [
        "Người đề nghị cấp phép: Thái Minh Vinh",
        "Nơi Xây dựng công trình: Số 176, đường Lê Lợi, thị trấn Đông Anh, tỉnh Nam Định",
        "Thửa đất số: 474",
    ]
    fields = extract_fields("construction_permit_application", [page_from_lines(lines)], taxonomy)
    assert fields["construction_address"].value == (
        "Số 176, đường Lê Lợi, thị trấn Đông Anh, tỉnh Nam Định"
    )


@pytest.mark.parametrize(("text", "height"), [("SI fe OO", 224), ("ou)", 114)])
def test_specks_down_the_margin_do_not_join_the_lines_they_span(
    text: str, height: int, taxonomy
) -> None:
    """Tesseract reads specks down the left margin as one tall line ("SI fe OO", "ou)")
    beside lines of a receipt: the lines stay apart, and both dates are found."""
    lines = [
        "- Thời gian giải quyết hồ sơ theo quy định là: 05 ngày làm việc,",
        "- Thời gian nhận hồ sơ: 12 giờ 30 phút, ngày 23.01.2025.",
        "- Thời gian trả kết quả giải quyết hồ sơ: 10 giờ 00 phút, ngày 30 01 2025.",
    ]
    page = page_from_lines(lines, top=2529)
    top = 2529 + (95 if height < 200 else 0)  # across the last two lines, or all three
    specks = Word(text, 258, top, 290, top + height, 34.0, block=9, line=99)
    page = replace(page, words=[specks, *page.words])
    fields = extract_fields("reception_receipt", [page], taxonomy)
    assert fields["received_date"].value == "2025-01-23"
    assert fields["due_date"].value == "2025-01-30"


def test_a_card_address_whose_next_line_misspells_its_units(taxonomy) -> None:
    """A card's residence stops at "đường Quang"; its next line, under the expiry date of the
    photo's column, reads "Trung, phudng Hoan Kiém, huyén Huong Son, tinh Déng" and then "Nai":
    units OCR misspelt are still units, so the lines are the address's, not a row of labels."""
    lines = [
        [(986, "Giới tinh / Sex: Nữ")],
        [(986, "Nơi thường trú / Place of residence: Số 195, đường Quang")],
        [(300, "Có giá trị đến: 17/10/2035")],
        [(985, "Trung, phudng Hoan Kiém, huyén Huong Son, tinh Déng")],
        [(986, "Nai")],
    ]
    page = page_from_lines(lines)
    # a card's 5-point lines, as close as Tesseract finds them: the expiry line between two
    tops = {150: 1065, 240: 1119, 330: 1150, 420: 1171, 510: 1231}
    words = [replace(w, top=tops[w.top], bottom=tops[w.top] + 36) for w in page.words]
    page = replace(page, words=words)
    field = extract_fields("id_card_copy", [page], taxonomy)["residence"]
    assert field.value == (
        "Số 195, đường Quang Trung, phường Hoàn Kiếm, huyện Hương Sơn, tỉnh Đồng Nai"
    )
    assert field.needs_review


def test_a_line_of_rules_alone_under_a_row_of_labels(taxonomy) -> None:
    """A checklist's row ("Giấy chứng sinh") over a table's rule read as a line of its own
    ("|"): no row of values there, and no crash."""
    lines = [
        "Nơi sinh: Bệnh viện Đa khoa tỉnh Bắc Giang",
        "Giấy tờ kèm theo:",
        [(300, "Giấy chứng sinh")],
        [(1958, "|")],
    ]
    fields = extract_fields("birth_registration", [page_from_lines(lines)], taxonomy)
    assert fields["birth_place"].value == "Bệnh viện Đa khoa tỉnh Bắc Giang"


@pytest.mark.parametrize(
    ("second", "doubt"), [("903", True), ("303", False), ("", False), (None, False)]
)
def test_a_digit_read_otherwise_on_a_second_look_sends_its_value_to_review(
    taxonomy, second: str | None, doubt: bool
) -> None:
    """Tesseract misreads a degraded digit with the confidence of a right one: where the word
    read again on its own gives other digits, the value is flagged; an empty second reading
    (too small to read alone) is no evidence."""
    page = page_from_lines(["Thửa đất số: 303", "Tờ bản đồ số: 39", "Diện tích: 120,5 m2"])
    words = [
        replace(w, second_reading=second)
        if w.text == "303"
        else replace(w, second_reading=w.text)
        if any(c.isdigit() for c in w.text)
        else w
        for w in page.words
    ]
    fields = extract_fields("land_certificate_application", [replace(page, words=words)], taxonomy)
    parcel = fields["parcel_number"]
    assert parcel.value == "303"
    assert parcel.needs_review is doubt
    if doubt:
        assert "'903'" in (parcel.reason or "") and parcel.confidence <= 0.5
    assert not fields["map_sheet_number"].needs_review
    assert fields["area_m2"].value == "120.5" and not fields["area_m2"].needs_review


def test_an_address_line_with_a_letter_read_as_a_rule_is_no_label_cell(taxonomy) -> None:
    """ "Cường, tính Sóc [ răng": the "T" of "Trăng" read as "[", a table's rule, made the
    line's start look like a label cell; words that name a place are none."""
    page = page_from_lines(
        [
            [(1456, "Nơi thường trú Place of residence: ấp 3, phường Hòa")],
            [(1456, "Cường, tính Sóc [ răng")],
        ]
    )
    residence = extract_fields("id_card_copy", [page], taxonomy)["residence"]
    assert residence.value == "ấp 3, phường Hòa Cường, tỉnh Sóc Trăng"


def test_a_y_read_as_v_in_a_place_name_is_given_back(taxonomy) -> None:
    """ "xã Mv Đức": no syllable ends in "v"; the address went on past it, for review."""
    page = page_from_lines(["Địa chỉ thửa đất: khu phố 2, xã Mv Đức, tỉnh Hà Tĩnh"])
    address = extract_fields("land_certificate_application", [page], taxonomy)["land_address"]
    assert address.value == "khu phố 2, xã Mỹ Đức, tỉnh Hà Tĩnh"
    assert address.needs_review


def test_a_speck_before_a_card_label_is_not_taken_into_it(taxonomy) -> None:
    """ "ae Nơi thường trú": a label matched with the speck before it would start where the
    speck is, and the expiry line under the photo, beside the label's column, would be read
    as the address's next line (word boxes as OCR gave them on a card's copy)."""

    def line(top: int, number: int, *words: tuple[str, int, float]) -> list[Word]:
        out = []
        for text, left, conf in words:
            right = left + 14 * len(text)
            out.append(Word(text, left, top, right, top + 28, conf, 1, number))
        return out

    words = [
        *line(
            1009,
            1,
            ("ae", 601, 33.0),
            *((t, x, 90.0) for t, x in (("Nơi", 800), ("thường", 855), ("trú.", 962))),
            *((t, x, 90.0) for t, x in (("Place", 1027), ("of", 1106), ("residence:", 1131))),
            *((t, x, 90.0) for t, x in (("khu", 1296), ("phố", 1352), ("2,", 1409))),
            ("xã", 1446, 96.0),
            ("Cẩm", 1486, 95.0),
        ),
        *line(
            1035,
            2,
            *((t, x, 93.0) for t, x in (("Có", 472), ("giá", 494), ("trị", 549), ("đến:", 583))),
            ("06", 639, 94.0),
            ("112026", 676, 75.0),
        ),
        *line(1060, 3, ("Giàng,", 798, 91.0), ("thành", 894, 90.0), ("phố", 981, 96.0)),
        *line(1060, 3, ("Huế", 1042, 90.0)),
    ]
    page = PageText(words, 2400, 1600, 300)
    residence = extract_fields("id_card_copy", [page], taxonomy)["residence"]
    assert residence.value == "khu phố 2, xã Cẩm Giàng, thành phố Huế"


def test_letter_tops_read_into_the_line_above_are_no_words_of_the_value(taxonomy) -> None:
    """ "Cấu F Giấy, sư tỉnh ay Ninh : Bình": the tops of the next line's letters, read as
    words a third of a line high, interleave with the value's."""
    page = page_from_lines(["Địa chỉ thửa đất: tổ 12, xã Yên Thế, quận Cầu Giấy, tỉnh Ninh Bình"])
    words = list(page.words)
    cau = next(i for i, w in enumerate(words) if w.text == "Cầu")
    tops = [
        replace(words[cau], text=t, left=words[cau].left + dx, right=words[cau].left + dx + 8)
        for t, dx in (("F", 20), ("sư", 60))
    ]
    tops = [replace(w, top=w.top, bottom=w.top + 6, confidence=40.0) for w in tops]
    page = replace(
        page, words=sorted(words + tops, key=lambda w: (w.top > words[cau].top + 30, w.left))
    )
    address = extract_fields("land_certificate_application", [page], taxonomy)["land_address"]
    assert address.value == "tổ 12, xã Yên Thế, quận Cầu Giấy, tỉnh Ninh Bình"


def test_a_caption_with_an_o_read_as_a_digit_is_still_a_label(taxonomy) -> None:
    """ "(Ban d6 dia chính tờ số)" under its value: "d6" is "đồ" read with a digit; a caption
    whose words mix letters and digits was dropped as no label."""
    lines = ["2. Thửa đất đăng ký:", "119", "(Thửa số)", "22", "(Ban d6 dia chính tờ số)"]
    fields = extract_fields("land_certificate_application", [page_from_lines(lines)], taxonomy)
    assert fields["map_sheet_number"].value == "22"
    assert fields["parcel_number"].value == "119"


def test_a_single_misread_letter_inside_an_address_does_not_cut_it(taxonomy) -> None:
    """ "xã Thanh T lệt, tỉnh Nam Định" ("Liệt" misread): cut at the "T", the address would
    end at "xã Thanh", a listed commune, and nothing would say it was cut; read on, the
    misread letter sends it to review."""
    page = page_from_lines(["Địa chỉ thửa đất: khu phố 2, xã Thanh T lệt, tỉnh Nam Định"])
    address = extract_fields("land_certificate_application", [page], taxonomy)["land_address"]
    assert address.value == "khu phố 2, xã Thanh T lệt, tỉnh Nam Định"
    assert address.needs_review


def test_a_disputed_hour_does_not_put_a_date_in_doubt(taxonomy) -> None:
    """ "15 giờ 00 phút, ngày 02/07/2025": the hour and minutes are no digits of the date."""
    page = page_from_lines(["Thời gian trả kết quả: 15 giờ 00 phút, ngày 02/07/2025"])
    disputed = {"15": "13", "00": "09"}
    words = [replace(w, second_reading=disputed.get(w.text, w.text)) for w in page.words]
    due = extract_fields("reception_receipt", [replace(page, words=words)], taxonomy)["due_date"]
    assert due.value == "2025-07-02" and not due.needs_review


def test_a_label_cell_with_a_word_like_a_unit_is_still_a_label(taxonomy) -> None:
    """ "Tên người làm tờ Khai > Mai Tuyết Vân": normalised as an address, "tờ Khai" would
    read as the unit "tổ Khai"; without a comma no label cell names a place."""
    page = page_from_lines(
        [
            [(358, "Tên người làm tờ Khai"), (1093, "> Mai Tuyết Vân")],
            [(359, "Chỗ ở hiện tại"), (1093, "; thôn Đông, xã Đông Hưng, tỉnh Lâm Đồng")],
            [(358, "Quan hệ với người được khai sinh"), (1093, ": Mẹ")],
            [(358, "Dân tộc"), (1093, ": Tày")],
        ]
    )
    fields = extract_fields("birth_registration", [page], taxonomy)
    assert fields["requester_name"].value == "Mai Tuyết Vân"


def test_a_number_with_a_question_mark_after_it_is_read_under_an_unlisted_label(taxonomy) -> None:
    """ "Tổng diện tích dat | 435,70?": the unit's ² read as "?" left no number, so the
    unlisted wording found no value its validator accepts."""
    rows = [
        [(400, "1"), (567, "Thửa số"), (1286, "313")],
        [(398, "2"), (571, "Bản đồ địa chính tờ số"), (1285, "17")],
        [(399, "3"), (567, "Tổng diện tích dat"), (1283, "435,70?")],
    ]
    fields = extract_fields("land_certificate_application", [page_from_lines(rows)], taxonomy)
    assert fields["area_m2"].value == "435.7" and fields["area_m2"].needs_review


def test_the_name_under_a_signature_is_the_persons_when_no_label_gave_it(taxonomy) -> None:
    """ "Người đi đăng ký: cHOÀNG VĂN KHOA" is a wording the taxonomy does not list; the
    signature block's heading "Người yêu cầu" is one, and the name printed under the
    signature (after the scribble, read "Và") is the requester's."""
    lines = [
        *MOTTO,
        [(700, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        "Người xin đăng ký cHOÀNG VĂN KHOA",
        "Nơi cư trú: thôn Yên Bình, xã Kiến Xương, tỉnh Sóc Trăng",
        [(1300, "Hà Nội, ngày 16 tháng 12 năm 2025")],
        [(1550, "Người yêu cầu")],
        [(1440, "(Ký, ghi rõ họ, chữ đệm, tên)")],
        [(1570, "Và")],
        "",
        [(1530, "Hoàng Văn Khoa")],
    ]
    fields = extract_fields("birth_registration", [page_from_lines(lines)], taxonomy)
    assert fields["requester_name"].value == "Hoàng Văn Khoa"


def test_a_name_under_a_signature_yields_to_the_labelled_one(taxonomy) -> None:
    """The signed name is the last resort: where a label gave the name, it is the value, and
    the signature's (unaccented, "Luong Khanh Ngan") is not even a conflicting reading."""
    lines = [
        *MOTTO,
        [(700, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        "Họ, chữ đệm, tên người yêu cầu: Lương Khánh Ngân",
        [(1550, "Người yêu cầu")],
        [(1440, "(Ký, ghi rõ họ, chữ đệm, tên)")],
        "",
        [(1520, "Luong Khanh Ngan")],
    ]
    fields = extract_fields("birth_registration", [page_from_lines(lines)], taxonomy)
    assert fields["requester_name"].value == "Lương Khánh Ngân"
    assert not fields["requester_name"].needs_review


def test_a_garbled_last_word_of_a_name_keeps_the_name_in_review(taxonomy) -> None:
    """ "TRƯƠNG MINH TR.VNG": cut at the garbled word, "TRƯƠNG MINH" would look whole."""
    page = page_from_lines(["Người nộp hồ sơ: TRƯƠNG MINH TR.VNG"])
    applicant = extract_fields("reception_receipt", [page], taxonomy)["applicant_name"]
    assert applicant.needs_review
    assert (applicant.value or applicant.raw or "").startswith("TRƯƠNG MINH TR")


def test_a_name_word_read_unsure_that_names_spell_with_more_marks_is_reviewed(taxonomy) -> None:
    """ "Huỳnh Thị Anh" with "Anh" read at 84: names are also "Ánh", whose mark OCR drops;
    read at Tesseract's top confidence, "Anh" is taken as printed."""
    line = ["Người nộp hồ sơ: Huỳnh Thị Anh"]
    unsure = page_from_lines(line, confidence=96.5, low={"Anh": 84.0})
    applicant = extract_fields("reception_receipt", [unsure], taxonomy)["applicant_name"]
    assert applicant.needs_review and "'Ánh'" in (applicant.reason or "")
    sure = page_from_lines(line, confidence=96.5)
    assert not extract_fields("reception_receipt", [sure], taxonomy)["applicant_name"].needs_review


def test_a_family_name_is_held_against_family_names_only(taxonomy) -> None:
    """ "Lê" is a family name; "Lễ" is a given name's syllable, not a family name's: no doubt.
    "Lam" is also "Lâm": read unsure, it is."""
    lam = page_from_lines(["Người nộp hồ sơ: Lam Quang Toàn"], confidence=96.5, low={"Lam": 70.0})
    assert extract_fields("reception_receipt", [lam], taxonomy)["applicant_name"].needs_review
    le = page_from_lines(["Người nộp hồ sơ: Lê Quang Toàn"], confidence=96.5, low={"Lê": 70.0})
    assert not extract_fields("reception_receipt", [le], taxonomy)["applicant_name"].needs_review


@pytest.mark.parametrize(
    ("row", "gender"), [("Nam/NữỮ Nam", "Nam"), ("Nam/Nữ Nit", "Nữ"), ("Nam Nữ Nw", "Nữ")]
)
def test_a_gender_under_its_options_is_read_however_misread(row, gender, taxonomy) -> None:
    """ "Nam/Nữ" as the label of a gender: its "Nữ" read twice ("NữỮ"), or the value, a small
    "Nữ", read "Nit" or "Nw" (no vowel: taken for a leader's debris). Misread, the value is
    still the field's, for review."""
    lines = [*MOTTO, [(700, "TỜ KHAI ĐĂNG KÝ KHAI SINH")], "Họ, chữ đệm, tên: Trần Minh Khôi"]
    label, value = row.rsplit(" ", 1)
    page = page_from_lines([*lines, [(LEFT, label), (700, value)]])
    assert extract_fields("birth_registration", [page], taxonomy)["child_gender"].value == gender


def test_a_grid_label_wrapping_over_three_lines_beside_a_wrapping_address(taxonomy) -> None:
    """ "Nơi xây" / "dựng công" / "trình" in the label's cell, the address wrapping beside it
    over four lines, a rule "|" before its second: the label's words on the third line are no
    next row of the grid, and the rule is no word of the address."""
    rows = [
        *MOTTO,
        [(618, "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG")],
        [(394, "Nơi xây"), (754, "Số 96, ngõ 24, đường"), (1299, "|"), (1334, "Thửa số 185")],
        [(394, "dựng công"), (701, "|"), (753, "Điện Biên Phủ,")],
        [(393, "trình"), (751, "phường Quang")],
        [(750, "Trung, tỉnh Cà Mau")],
    ]
    fields = extract_fields("construction_permit_application", [page_from_lines(rows)], taxonomy)
    assert fields["construction_address"].value == (
        "Số 96, ngõ 24, đường Điện Biên Phủ, phường Quang Trung, tỉnh Cà Mau"
    )


def test_a_date_beside_an_unknown_wording_says_what_ocr_garbled_of_it(taxonomy) -> None:
    """ "Sinh vào ngày" wrapped in its cell, its "ngày" read as "ngàVv": the label's words no
    longer say "date", the date beside it does."""
    lines = [
        [(200, "Họ, tên đệm"), (700, "Ngô Ngọc Liên")],
        [(200, "và tên")],
        [(200, "Sinh vào"), (700, "ngày 11 tháng 04 năm")],
        [(200, "ngàVv"), (700, "2024")],
        [(200, "Giới tính"), (700, "Nữ")],
    ]
    page = page_from_lines(lines, cells_as_lines=True)
    fields = extract_fields("birth_registration", [page], taxonomy)
    assert fields["child_birth_date"].value == "2024-04-11"
    # a label about a birth but beside no date fills no date ("Nơi sinh" is a place)
    lines[2:4] = [[(200, "Sinh tại"), (700, "Trạm Y tế xã Hòa Phú")]]
    fields = extract_fields("birth_registration", [page_from_lines(lines)], taxonomy)
    assert fields["child_birth_date"].value is None


def test_a_bracket_read_before_an_amount_is_dropped_for_review(taxonomy) -> None:
    """A table's rule read as "{" glued to the amount: no amount opens with a bracket."""
    lines = [
        "Tên hộ kinh doanh: Hộ kinh doanh Nhà thuốc Nhung",
        [(200, "Điện thoại"), (700, "0955195202"), (1300, "Số vốn đăng ký _ {200.200.000 đồng")],
    ]
    fields = extract_fields("household_business_registration", [page_from_lines(lines)], taxonomy)
    assert fields["capital_vnd"].value == "200200000"
    assert "capital_vnd" in reviewed(fields)


def test_a_labels_t_that_ocr_read_as_a_one(taxonomy) -> None:
    """A serif "T" read as "1": "(1ên đầy đủ)" captions a name, "1hửa đất số" labels a parcel;
    "1a)" still numbers an item."""
    lines = [
        "THÔNG TIN BÊN NỮ",
        "Trương Thị Chi",
        "(1ên đầy đủ)",
        "THÔNG TIN BÊN NAM",
        "Võ Văn Sơn",
        "(1ên đầy đủ)",
    ]
    fields = extract_fields("marriage_registration", [page_from_lines(lines)], taxonomy)
    assert fields["bride_name"].value == "Trương Thị Chi"
    assert fields["groom_name"].value == "Võ Văn Sơn"
    lines = ["1hửa đất số: 597", "1a) Tờ bản đồ số: 80"]
    fields = extract_fields("land_certificate_application", [page_from_lines(lines)], taxonomy)
    assert fields["parcel_number"].value == "597"
    assert fields["map_sheet_number"].value == "80"


def test_a_date_read_as_debris_on_the_page_is_taken_as_read_on_its_own(taxonomy) -> None:
    """ "2+01-2023." on the page, "(24-01-2024." read alone (its crop took a neighbour's
    bracket): the reading alone is the date, reviewed; a word that reads as debris both ways
    stays out."""
    lines = [
        "Mã hồ sơ: 000.00.19.H29-240124-0007",
        "5. Thời gian trả kết quả giải quyết hồ sơ: 10 giờ 00 phút, ngày 2+01-2023.",
    ]
    page = page_from_lines(lines)
    again = {"2+01-2023.": "(24-01-2024."}
    page.words = [replace(w, second_reading=again.get(w.text)) for w in page.words]
    fields = extract_fields("reception_receipt", [page], taxonomy)
    assert fields["due_date"].value == "2024-01-24"
    assert "due_date" in reviewed(fields)
    page.words = [
        replace(w, second_reading="2+0l-2O23" if w.second_reading else None) for w in page.words
    ]
    fields = extract_fields("reception_receipt", [page], taxonomy)
    assert fields["due_date"].value is None


def test_an_address_beside_an_unknown_wording_says_it_is_a_place(taxonomy) -> None:
    """ "(Sinh tại)" read "(Sinh tap": the caption no longer says "place"; the hospital's
    address above it does. A text that names no place fills no birth place so."""
    lines = [
        "LÝ THÙY DUYÊN",
        "(Họ, tên đệm và tên)",
        "Trung tâm Y tế phường Hạ Long, tỉnh Ninh Bình",
        "(Sinh tap",
        "Tỉnh Ninh Bình",
        "(Quê quán)",
    ]
    fields = extract_fields("birth_registration", [page_from_lines(lines)], taxonomy)
    assert fields["birth_place"].value == "Trung tâm Y tế phường Hạ Long, tỉnh Ninh Bình"
    lines[2] = "Con thứ hai trong gia đình"
    fields = extract_fields("birth_registration", [page_from_lines(lines)], taxonomy)
    assert fields["birth_place"].value is None


def test_a_wrapped_label_whose_end_ocr_garbled_into_a_footnote_shape(taxonomy) -> None:
    """ "Chiều cao (số" / "tầng)" in a grid cell, its second line read "(ang)": no footnote
    mark ("(1)", "(a)", "(*)", "(ii)") is three letters long, so it is the label's end."""
    lines = [
        [(300, "Diện tích lô"), (700, "204 m2"), (1300, "Diện tích sàn"), (1700, "433 m2")],
        [(300, "đất"), (1300, "các tầng")],
        [(300, "Chiều cao (số"), (700, "| 5"), (1300, "Chiều cao"), (1700, "18,2 m")],
        [(300, "(ang)"), (1300, "công trình")],
    ]
    page = page_from_lines(lines, cells_as_lines=True)
    fields = extract_fields("construction_permit_application", [page], taxonomy)
    assert fields["floors"].value == "5"
    assert fields["floor_area_m2"].value == "433"


def test_a_relatives_label_whose_end_ocr_garbled_is_not_the_childs(taxonomy) -> None:
    """ "Họ, chữ đệm, tên người mẹ" wrapped in its cell and its second line read "(én nøười
    me": "Họ, chữ đệm," matches the child's wording, but "mẹ" after it makes it the mother's;
    the child's name is under a wording the taxonomy does not list."""
    lines = [
        "TỜ KHAI ĐĂNG KÝ KHAI SINH",
        [(300, "Người đi"), (700, "HOÀNG HỮU SƠN")],
        [(300, "đăng ký")],
        [(300, "Tên đầy đủ"), (700, "HOÀNG NGỌC HẬU")],
        [(700, "HƯNG")],
        [(300, "Giới tính"), (700, "Nam")],
        [(300, "Họ, chữ đệm,"), (690, "|"), (720, "Trần Mỹ Thư"), (1300, "Năm sinh 2000")],
        [(300, "(én nøười me")],
        [(300, "Họ, chữ đệm,"), (690, "|"), (720, "Hoàng Hữu Sơn"), (1300, "Năm sinh 2000")],
        [(300, "tên người")],
        [(300, "cha")],
    ]
    page = page_from_lines(lines, cells_as_lines=True)
    fields = extract_fields("birth_registration", [page], taxonomy)
    assert fields["child_name"].value == "HOÀNG NGỌC HẬU HƯNG"


def test_a_bracket_before_a_dates_month_on_the_next_line_is_a_speck(taxonomy) -> None:
    """ "... phút, ngày ngày 18 tháng" / "(7 năm 2024.": no note opens with a bracket between
    "tháng" and "năm"; the month is read, for review."""
    lines = [
        "5. Thời gian trả kết quả giải quyết hồ sơ: 8 giờ 00 phút, ngày 18 tháng",
        "(7 năm 2024.",
        "6. Đăng ký nhận kết quả tại: Bộ phận Một cửa.",
    ]
    field = extract_fields("reception_receipt", [page_from_lines(lines)], taxonomy)["due_date"]
    assert field.value == "2024-07-18" and field.needs_review


def test_a_speck_after_a_dates_month_is_dropped_and_the_year_below_joined(taxonomy) -> None:
    """ "ngày 22 tháng 04+ năm" / "2025.": the speck after the month is dropped (for review),
    not taken for debris that ends the date; its second reading "O04" (the speck read as a
    letter) is no better than the first."""
    lines = [
        "5. Thời gian trả kết quả giải quyết hồ sơ: 10 giờ 00 phút, ngày 22 tháng 04+ năm",
        "2025.",
        "6. Đăng ký nhận kết quả tại: Bộ phận Một cửa.",
    ]
    page = page_from_lines(lines, low={"04+": 57.0})
    words = [replace(w, second_reading="O04") if w.text == "04+" else w for w in page.words]
    page = PageText(words, page.width, page.height, page.dpi)
    field = extract_fields("reception_receipt", [page], taxonomy)["due_date"]
    assert field.value == "2025-04-22" and field.needs_review


def test_a_rule_with_a_speck_glued_to_it_still_parts_cells(taxonomy) -> None:
    """ "Tên đầy đủ =| PHAN ĐỨC KHÁNH": the rule read with a speck as "=|" ends the label's
    cell as "|" does, so the unlisted wording is still a label cell."""
    lines = [
        "TỜ KHAI ĐĂNG KÝ KHAI SINH",
        [(300, "Người đi"), (700, "Phan Kim Trang")],
        [(300, "đăng ký")],
        [
            (300, "Tên đầy đủ =|"),
            (700, "PHAN ĐỨC KHÁNH"),
            (1300, "Ngày tháng |"),
            (1700, "12-08-2025"),
        ],
        [(700, "THIỆN"), (1300, "năm sinh")],
        [(300, "Giới tính"), (700, "Nam")],
        [(300, "Họ, chữ đệm,"), (690, "|"), (720, "Phan Kim Trang"), (1300, "Năm sinh 1982")],
        [(300, "tên người mẹ")],
    ]
    page = page_from_lines(lines, cells_as_lines=True, low={"đầy": 66.0, "đủ": 66.0, "=|": 71.0})
    fields = extract_fields("birth_registration", [page], taxonomy)
    assert fields["child_name"].value == "PHAN ĐỨC KHÁNH THIỆN"


def test_a_bracket_nothing_closes_before_an_address_is_a_speck(taxonomy) -> None:
    """ "(tổ 12, xã ...": the bracket is dropped from the value, which still goes to review."""
    page = page_from_lines(["Địa điểm xây dựng: (tổ 12, xã Cẩm Giàng, tỉnh Đắk Lắk"])
    field = extract_fields("construction_permit_application", [page], taxonomy)
    assert field["construction_address"].value == "tổ 12, xã Cẩm Giàng, tỉnh Đắk Lắk"
    assert field["construction_address"].needs_review


def test_an_area_glued_to_its_misread_unit_below_its_label(taxonomy) -> None:
    """ "Diện tích sàn (m²):" over "867m?": the "²" read as "?" and glued to the number made
    the value leader debris, and the label had no value."""
    text = page_from_lines(
        [
            *MOTTO,
            [(600, "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG")],
            "Thửa đất có số hiệu:",
            [(LEFT + 120, "716")],
            "Diện tích sàn (m?):",
            [(LEFT + 120, "867m?")],
            "Tầng cao:",
            [(LEFT + 120, "1")],
        ]
    )
    fields = extract_fields("construction_permit_application", [text], taxonomy)
    assert fields["floor_area_m2"].value == "867"
    assert fields["parcel_number"].value == "716"
