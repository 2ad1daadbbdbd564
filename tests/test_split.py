"""Splitting a batch into dossiers and documents: receipts, titles, continuations, blanks."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from ingest.split import PageAnalysis, analyze_page, plan_documents
from ocr.fields import ExtractedField
from ocr.normalize import fold
from ocr.text import PageText
from tests.fixtures_classify import MOTTO, PAGE_H, PAGE_W, page_from_lines
from tests.test_qr import qr_page

CODE_A = "000.00.13.H12-250701-0042"
CODE_B = "000.00.13.H12-250701-0043"


def receipt_text(code: str, name: str = "Nguyễn Văn An") -> PageText:
    return receipt_times_text(
        "08 giờ 30 phút, ngày 01/07/2025",
        "15 giờ 00 phút, ngày 02/07/2025",
        f"Ông/Bà: {name}",
        "Thủ tục hành chính: Đăng ký khai sinh",
        code=code,
    )


def receipt_times_text(
    received: str, due: str, *more: str, code: str = CODE_A, **layout: object
) -> PageText:
    """A receipt's title, code and times (``more``: lines printed between code and times;
    ``layout``: page_from_lines' options)."""
    return page_from_lines(
        [
            *MOTTO,
            [(500, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")],
            [(800, f"Mã hồ sơ: {code}")],
            *more,
            f"Thời gian nhận hồ sơ: {received}",
            f"Thời gian trả kết quả: {due}",
        ],
        **layout,
    )


def birth_text() -> PageText:
    return page_from_lines(
        [
            *MOTTO,
            [(700, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
            "Họ, chữ đệm, tên người yêu cầu: Trần Văn Hùng",
            "Giấy tờ tùy thân: 001085012345",
            "Họ, chữ đệm, tên: TRẦN MINH KHÔI",
            "Ngày, tháng, năm sinh: 03/06/2025",
            "Giới tính: Nam",
            "Nơi sinh: Bệnh viện Phụ sản Hà Nội",
        ]
    )


def id_card_text() -> PageText:
    return page_from_lines(
        [
            [(800, "CĂN CƯỚC CÔNG DÂN")],
            "Số: 001085012345",
            "Họ và tên: TRẦN VĂN HÙNG",
            "Ngày sinh: 01/02/1985",
            "Giới tính: Nam",
            "Nơi thường trú: Số 12 phố Huế, Hà Nội",
        ]
    )


def continuation_text() -> PageText:
    return page_from_lines(
        [
            "Giấy tờ kèm theo:",
            "1. Bản sao giấy chứng sinh.",
            "2. Giấy ủy quyền (nếu có).",
            "Ghi chú: không",
        ]
    )


def blank_text() -> PageText:
    return PageText(words=[], width=PAGE_W, height=PAGE_H, dpi=300.0)


def analysis(index: int, text: PageText, taxonomy, *, qr: str | None = None) -> PageAnalysis:
    """What the worker reports, with the QR result given (the reader is tested in test_qr)."""
    from ocr.classify import find_title

    blank = not text.words
    return PageAnalysis(index, qr, None if blank else find_title(text, taxonomy), blank, text)


def test_multi_dossier_batch_with_continuations_and_blanks(taxonomy) -> None:
    texts = [
        (receipt_text(CODE_A), CODE_A),
        (blank_text(), None),  # empty back of the receipt
        (birth_text(), None),
        (continuation_text(), None),  # page 2 of the birth form
        (blank_text(), None),
        (id_card_text(), None),
        (receipt_text(CODE_B, "Lê Thị Hoa"), CODE_B),
        (id_card_text(), None),
    ]
    pages = [analysis(i, t, taxonomy, qr=qr) for i, (t, qr) in enumerate(texts)]
    docs = plan_documents(pages, taxonomy)
    assert [(d.dossier_code, d.doc_type, d.pages) for d in docs] == [
        (CODE_A, "reception_receipt", [0]),
        (CODE_A, "birth_registration", [2, 3]),
        (CODE_A, "id_card_copy", [5]),
        (CODE_B, "reception_receipt", [6]),
        (CODE_B, "id_card_copy", [7]),
    ]
    assert not any(d.needs_review for d in docs), [d.reasons for d in docs]
    assert docs[1].fields["child_name"].value == "TRẦN MINH KHÔI"
    assert docs[3].fields["applicant_name"].value == "Lê Thị Hoa"
    assert all(d.classification.title_found for d in docs)


def test_unreadable_qr_uses_the_printed_code_and_flags_it(taxonomy) -> None:
    pages = [
        analysis(0, receipt_text(CODE_A), taxonomy, qr=None),
        analysis(1, birth_text(), taxonomy),
    ]
    receipt, birth = plan_documents(pages, taxonomy)
    assert (receipt.dossier_code, birth.dossier_code) == (CODE_A, CODE_A)
    assert receipt.needs_review and not birth.needs_review
    assert "QR code unreadable" in receipt.reasons[0]
    assert receipt.fields["dossier_code"].needs_review


def test_qr_and_printed_code_disagree(taxonomy) -> None:
    pages = [analysis(0, receipt_text(CODE_B), taxonomy, qr=CODE_A)]
    (receipt,) = plan_documents(pages, taxonomy)
    assert receipt.dossier_code == CODE_A  # the error-corrected QR wins
    assert receipt.needs_review
    assert CODE_A in receipt.reasons[0] and CODE_B in receipt.reasons[0]
    assert receipt.fields["dossier_code"].reason == receipt.reasons[0]
    # the field gives the QR's code, for review, and keeps what was printed as its raw text
    assert receipt.fields["dossier_code"].value == CODE_A
    assert receipt.fields["dossier_code"].raw == CODE_B


def test_qr_read_but_printed_code_unreadable(taxonomy) -> None:
    text = page_from_lines(
        [*MOTTO, [(500, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")], "Mã hồ sơ: ▒▒▒"]
    )
    (receipt,) = plan_documents([analysis(0, text, taxonomy, qr=CODE_A)], taxonomy)
    assert receipt.dossier_code == CODE_A
    assert receipt.fields["dossier_code"].value == CODE_A
    assert not receipt.fields["dossier_code"].needs_review


def test_receipt_with_no_code_at_all(taxonomy) -> None:
    text = page_from_lines([*MOTTO, [(500, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")]])
    pages = [analysis(0, receipt_text(CODE_A), taxonomy, qr=CODE_A), analysis(1, text, taxonomy)]
    docs = plan_documents(pages, taxonomy)
    assert [d.dossier_code for d in docs] == [CODE_A, None]  # not silently merged into A
    assert docs[1].needs_review and "neither" in docs[1].reasons[0]


def test_documents_before_the_first_receipt_are_unassigned(taxonomy) -> None:
    pages = [
        analysis(0, id_card_text(), taxonomy),
        analysis(1, receipt_text(CODE_A), taxonomy, qr=CODE_A),
        analysis(2, birth_text(), taxonomy),
    ]
    docs = plan_documents(pages, taxonomy)
    assert [(d.dossier_code, d.doc_type) for d in docs] == [
        (None, "id_card_copy"),
        (CODE_A, "reception_receipt"),
        (CODE_A, "birth_registration"),
    ]
    assert docs[0].needs_review and "no reception receipt" in docs[0].reasons[0]


def test_forced_dossier_takes_everything(taxonomy) -> None:
    pages = [
        analysis(0, id_card_text(), taxonomy),
        analysis(1, receipt_text(CODE_B), taxonomy, qr=CODE_B),
        analysis(2, birth_text(), taxonomy),
    ]
    docs = plan_documents(pages, taxonomy, forced_dossier=CODE_A)
    assert {d.dossier_code for d in docs} == {CODE_A}
    assert not docs[0].needs_review
    assert any(CODE_B in r for r in docs[1].reasons)  # a receipt of another dossier: flagged


def test_file_boundaries_start_documents(taxonomy) -> None:
    """An untitled page that starts a new input file is not glued to the previous file."""
    pages = [
        analysis(0, receipt_text(CODE_A), taxonomy, qr=CODE_A),
        analysis(1, birth_text(), taxonomy),
        analysis(2, continuation_text(), taxonomy),
        analysis(3, continuation_text(), taxonomy),
    ]
    docs = plan_documents(pages, taxonomy, file_boundaries=[0, 3])
    assert [d.pages for d in docs] == [[0], [1, 2], [3]]
    assert docs[2].doc_type == "other" and docs[2].dossier_code == CODE_A


def test_receipt_overflowing_onto_a_second_page(taxonomy) -> None:
    signature = page_from_lines(
        [
            [(300, "NGƯỜI NỘP HỒ SƠ"), (1500, "NGƯỜI TIẾP NHẬN HỒ SƠ")],
            [(300, "(Ký và ghi rõ họ tên)"), (1500, "(Ký và ghi rõ họ tên)")],
            [(300, "Nguyễn Văn An"), (1500, "Lê Thị Hằng")],
        ]
    )
    pages = [
        analysis(0, receipt_text(CODE_A), taxonomy, qr=CODE_A),
        analysis(1, signature, taxonomy),
        analysis(2, birth_text(), taxonomy),
    ]
    assert [d.pages for d in plan_documents(pages, taxonomy)] == [[0, 1], [2]]


def test_photo_page_is_a_document_of_its_own(taxonomy) -> None:
    """A printed site photo has only its caption: not the next page of the form before it."""
    photo = page_from_lines(["", "", "", "Ảnh chụp mặt tiền nhà"], top=2600)
    pages = [
        analysis(0, receipt_text(CODE_A), taxonomy, qr=CODE_A),
        analysis(1, birth_text(), taxonomy),
        analysis(2, continuation_text(), taxonomy),
        analysis(3, photo, taxonomy),
    ]
    docs = plan_documents(pages, taxonomy)
    assert [(d.doc_type, d.pages) for d in docs] == [
        ("reception_receipt", [0]),
        ("birth_registration", [1, 2]),
        ("other", [3]),
    ]


def test_a_last_page_with_only_the_signature_block_continues_the_form(taxonomy) -> None:
    """A form whose last page holds only "NGƯỜI LÀM ĐƠN", its caption (OCR: "(AV, ghiro họ
    tên)"), the signature and the name: few words, but the form's page, not a paper of its own."""
    signature = page_from_lines(
        [
            [(1400, "NGƯỜI LÀM ĐƠN")],
            [(1380, "(AV, ghiro họ tên)")],
            "",
            [(1400, "Trịnh Mạnh Quyết")],
        ]
    )
    pages = [
        analysis(0, receipt_text(CODE_A), taxonomy, qr=CODE_A),
        analysis(1, birth_text(), taxonomy),
        analysis(2, signature, taxonomy),
    ]
    docs = plan_documents(pages, taxonomy)
    assert [(d.doc_type, d.pages) for d in docs] == [
        ("reception_receipt", [0]),
        ("birth_registration", [1, 2]),
    ]


@pytest.mark.parametrize(
    "lines",
    [
        [[(1400, "Người viết don")], [(1380, "(hy, ghird họ tên)")], "", [(1400, "Vũ Bích Quỳnh")]],
        [[(1300, "CÔNG CHÚC TƯ PHÁP - HỘ TỊCH")], "", [(1400, "Phạm Thanh Uyên")]],
        ["(1) Ghi rõ tên cơ quan đăng ký khai sinh."],
    ],
    ids=["caption-misread", "officer", "footnotes"],
)
def test_a_last_page_of_signatures_or_footnotes_continues_the_form(lines, taxonomy) -> None:
    """The caption misread past the old pattern ("ghird"), the signer's role alone, or the
    form's footnotes: a short page, but still the form's."""
    pages = [
        analysis(0, receipt_text(CODE_A), taxonomy, qr=CODE_A),
        analysis(1, birth_text(), taxonomy),
        analysis(2, page_from_lines(lines), taxonomy),
    ]
    docs = plan_documents(pages, taxonomy)
    assert [(d.doc_type, d.pages) for d in docs] == [
        ("reception_receipt", [0]),
        ("birth_registration", [1, 2]),
    ]


def test_same_receipt_twice_stays_one_document(taxonomy) -> None:
    pages = [
        analysis(0, receipt_text(CODE_A), taxonomy, qr=CODE_A),
        analysis(1, receipt_text(CODE_A), taxonomy, qr=CODE_A),
        analysis(2, birth_text(), taxonomy),
    ]
    docs = plan_documents(pages, taxonomy)
    assert [d.pages for d in docs] == [[0, 1], [2]]


def test_only_blank_pages_make_no_document(taxonomy) -> None:
    pages = [analysis(i, blank_text(), taxonomy) for i in range(3)]
    assert plan_documents(pages, taxonomy) == []
    assert plan_documents([], taxonomy) == []


def test_analyze_page_reads_the_qr_and_the_title(taxonomy) -> None:
    gray = qr_page(CODE_A)
    result = analyze_page(4, gray, 300.0, receipt_text(CODE_A), False, taxonomy)
    assert (result.index, result.qr_code, result.title_type, result.blank) == (
        4,
        CODE_A,
        "reception_receipt",
        False,
    )
    plain = np.full_like(gray, 245)
    result = analyze_page(5, plain, 300.0, birth_text(), False, taxonomy)
    assert (result.qr_code, result.title_type) == (None, "birth_registration")
    blank = analyze_page(6, plain, 300.0, blank_text(), True, taxonomy)
    assert (blank.blank, blank.qr_code, blank.title_type) == (True, None, None)


def test_tone_mark_and_digit_slips_across_documents_are_flagged(taxonomy) -> None:
    """The same applicant read as "Hùng" on the form and "Hưng" on the card: one is wrong."""
    card = page_from_lines(
        [
            [(800, "CĂN CƯỚC CÔNG DÂN")],
            "Số: 001085012346",  # one digit off the form's 001085012345
            "Họ và tên: Trần Văn Hưng",
            "Ngày sinh: 01/02/1985",
            "Giới tính: Nam",
            "Nơi thường trú: Số 12 phố Huế, Hà Nội",
        ]
    )
    pages = [
        analysis(0, receipt_text(CODE_A, "TRẦN VĂN HÙNG"), taxonomy, qr=CODE_A),
        analysis(1, birth_text(), taxonomy),
        analysis(2, card, taxonomy),
    ]
    receipt, birth, card_doc = plan_documents(pages, taxonomy)
    # which side is wrong cannot be told (both are names): every spelling that disagrees goes
    # to review, and each keeps what it read
    assert receipt.fields["applicant_name"].needs_review
    assert birth.fields["requester_name"].needs_review
    assert card_doc.fields["full_name"].value == "Trần Văn Hưng"
    assert "another document" in (card_doc.fields["full_name"].reason or "")
    assert "1 digit" in (card_doc.fields["id_number"].reason or "")
    assert birth.fields["requester_id_number"].needs_review
    assert not birth.fields["child_name"].needs_review


def test_receipt_dates_are_checked_against_the_dossier_code(taxonomy) -> None:
    """Tesseract reads 2024 as 2021: the code's YYMMDD and the due date's order catch it."""
    text = receipt_times_text(
        "08 giờ 30 phút, ngày 01/07/2021",
        "15 giờ 00 phút, ngày 02/07/2021",
        "Ông/Bà: Nguyễn Văn An",
        "Thủ tục hành chính: Dang ky khai sinh",
    )
    (receipt,) = plan_documents([analysis(0, text, taxonomy, qr=CODE_A)], taxonomy)
    fields = receipt.fields
    # one misread digit from agreeing with the code the QR code vouches for: given as it
    # agrees, with nothing to look at
    assert fields["received_date"].value == "2025-07-01"
    assert not fields["received_date"].needs_review
    assert fields["due_date"].needs_review
    assert fields["due_date"].value == "2025-07-02"
    # the code read only in print: still for review
    (receipt,) = plan_documents([analysis(0, text, taxonomy)], taxonomy)
    fields = receipt.fields
    assert fields["received_date"].value == "2025-07-01"
    assert "dossier code says 2025-07-01" in (fields["received_date"].reason or "")
    # the procedure comes back with its tone marks from the taxonomy's procedure names
    assert fields["procedure"].value == "Đăng ký khai sinh"
    assert not fields["procedure"].needs_review


def test_receipt_dates_more_than_a_digit_off_are_left_as_read(taxonomy) -> None:
    text = receipt_times_text(
        "08 giờ 30 phút, ngày 11/09/2019",
        "15 giờ 00 phút, ngày 02/07/2019",
    )
    (receipt,) = plan_documents([analysis(0, text, taxonomy, qr=CODE_A)], taxonomy)
    fields = receipt.fields
    assert (fields["received_date"].value, fields["due_date"].value) == ("2019-09-11", "2019-07-02")
    assert fields["received_date"].needs_review and fields["due_date"].needs_review


def test_receipt_dates_whose_separators_ocr_lost_are_read_by_what_is_known(taxonomy) -> None:
    """ "ngày 172025" (1/7/2025) and "ngày 1172025" (11/7/2025): the dossier code gives the
    reception day, which the first may be; the due date is its one reading within the
    processing time."""
    text = receipt_times_text(
        "08 giờ 30 phút, ngày 172025",
        "15 giờ 00 phút, ngày 1172025",
    )
    (receipt,) = plan_documents([analysis(0, text, taxonomy, qr=CODE_A)], taxonomy)
    fields = receipt.fields
    assert fields["received_date"].value == "2025-07-01"
    assert not fields["received_date"].needs_review  # the code confirms it
    assert fields["due_date"].value == "2025-07-11"
    assert "separators" in (fields["due_date"].reason or "")


def test_receipts_identity_number_checks_the_forms_and_is_not_reported(taxonomy) -> None:
    """The receipt prints the applicant's number too: read only to check the forms' (the
    spec's receipt has no such field)."""
    receipt = page_from_lines(
        [
            *MOTTO,
            [(500, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")],
            [(800, f"Mã hồ sơ: {CODE_A}")],
            "Ông/Bà: Trần Văn Hùng",
            "Số CCCD: 001085012346",  # one digit off the form's 001085012345
            "Thủ tục hành chính: Đăng ký khai sinh",
            "Thời gian nhận hồ sơ: 08 giờ 30 phút, ngày 01/07/2025",
            "Thời gian trả kết quả: 15 giờ 00 phút, ngày 02/07/2025",
        ]
    )
    pages = [analysis(0, receipt, taxonomy, qr=CODE_A), analysis(1, birth_text(), taxonomy)]
    receipt_doc, birth = plan_documents(pages, taxonomy)
    assert "applicant_id_number" not in receipt_doc.fields
    assert not receipt_doc.needs_review
    assert "1 digit" in (birth.fields["requester_id_number"].reason or "")
    # the same number on both: nothing to review
    pages[0] = analysis(0, receipt_text(CODE_A, "Trần Văn Hùng"), taxonomy, qr=CODE_A)
    receipt_doc, birth = plan_documents(pages, taxonomy)
    assert not birth.fields["requester_id_number"].needs_review


def test_card_copy_whose_title_was_lost_is_not_the_forms_next_page(taxonomy) -> None:
    """OCR lost the card's title (a faint photocopy): its words still read as a card's."""
    card = page_from_lines(
        [
            "Số định danh cá nhân: 001085012345",
            "Họ và tên / Full name: TRẦN VĂN HÙNG",
            "Ngày sinh / Date of birth: 01/02/1985",
            "Giới tính / Sex: Nam Quốc tịch / Nationality: Việt Nam",
            "Quê quán / Place of origin: xã Yên Thế, tỉnh Bắc Giang",
            "Nơi thường trú / Place of residence: Số 12 phố Huế, Hà Nội",
            "Có giá trị đến / Date of expiry: 01/02/2045",
        ]
    )
    pages = [
        analysis(0, receipt_text(CODE_A), taxonomy, qr=CODE_A),
        analysis(1, birth_text(), taxonomy),
        analysis(2, continuation_text(), taxonomy),
        analysis(3, card, taxonomy),
    ]
    assert pages[3].title_type is None
    docs = plan_documents(pages, taxonomy)
    assert [(d.doc_type, d.pages) for d in docs] == [
        ("reception_receipt", [0]),
        ("birth_registration", [1, 2]),
        ("id_card_copy", [3]),
    ]
    assert docs[2].fields["full_name"].value == "TRẦN VĂN HÙNG"


def test_a_name_misspelt_by_ocr_takes_the_dossiers_doubt_free_spelling(taxonomy) -> None:
    """ "LÊ THU NGAN" ("Ngan" is no name) on the card, "Lê Thu Ngân" on the form; "QUÁCH THIYẾN"
    (glued) against "Quách Thị Yến": the doubtful side takes the other's spelling in its own
    case, still flagged; of two doubt-free spellings ("Anh" and "Ánh" are both names) the one
    whose marks OCR dropped takes them, as OCR drops marks far more often than it adds them."""
    for on_card, on_form, expected in (
        ("LÊ THU NGAN", "Lê Thu Ngân", "LÊ THU NGÂN"),
        ("QUÁCH THIYẾN", "Quách Thị Yến", "QUÁCH THỊ YẾN"),
        ("HỒ THU ANH", "Hồ Thu Ánh", "HỒ THU ÁNH"),
    ):
        card = page_from_lines(
            [[(800, "CĂN CƯỚC CÔNG DÂN")], "Số: 001085012345", f"Họ và tên: {on_card}"]
        )
        pages = [
            analysis(0, receipt_text(CODE_A, on_form), taxonomy, qr=CODE_A),
            analysis(1, card, taxonomy),
        ]
        receipt, card_doc = plan_documents(pages, taxonomy)
        assert card_doc.fields["full_name"].value == expected
        assert card_doc.fields["full_name"].needs_review
        assert receipt.fields["applicant_name"].value == on_form
        # the glued card name is mended from the receipt before the two are compared: the
        # receipt's sure reading is then not doubted; a tone-mark slip doubts both
        assert receipt.fields["applicant_name"].needs_review == (on_card != "QUÁCH THIYẾN")


def test_a_page_whose_text_is_unreadable_is_no_next_page(taxonomy) -> None:
    """A card copy OCRed upside down reads as debris: not the form's next page, a document of
    its own, flagged."""
    debris = page_from_lines(
        [
            ">>>>>>>>>>>>Af\\HI>HNVHX>>N3Afì9N",
            "UgA UBOT NYE URIL",
            "10H YX AL LÝ#L 3A HNIHD HNVH 41 NVRÒ",
            "LYS HNV2 289 ĐNO/NML 22",
            "AQHI HNYHM NJANON",
            "WVN LIIA VIHON H2 10H YX VOH DNQD",
        ]
    )
    pages = [
        analysis(0, receipt_text(CODE_A), taxonomy, qr=CODE_A),
        analysis(1, birth_text(), taxonomy),
        analysis(2, continuation_text(), taxonomy),
        analysis(3, debris, taxonomy),
    ]
    docs = plan_documents(pages, taxonomy)
    assert [(d.doc_type, d.pages) for d in docs] == [
        ("reception_receipt", [0]),
        ("birth_registration", [1, 2]),
        ("other", [3]),
    ]
    assert docs[2].needs_review and "unreadable" in docs[2].reasons[0]
    assert not any("unreadable" in r for d in docs[:2] for r in d.reasons)


def test_a_guidance_page_that_names_another_paper_stays_with_its_form(taxonomy) -> None:
    """The agency's part and guidance after a form mention other papers ("Giấy khám sức khỏe
    của người lái xe") but read most like a receipt: the form's last page, not a new document."""
    guidance = page_from_lines(
        [
            "Hồ sơ gửi kèm gồm có:",
            "1. Giấy ủy quyền (nếu có).",
            "2. Giấy khám sức khỏe của người lái xe.",
            "3. Bản sao giấy phép lái xe hạng B2.",
            "PHẦN GHI CỦA CƠ QUAN TIẾP NHẬN",
            "Ngày nhận hồ sơ:",
            "Người nhận hồ sơ:",
            "Ghi chú:",
            "Kết quả giải quyết thủ tục hành chính được trả tại Bộ phận Một cửa",
            "qua dịch vụ bưu chính công ích theo yêu cầu của người nộp hồ sơ.",
            "Người yêu cầu",
        ]
    )
    pages = [
        analysis(0, receipt_text(CODE_A), taxonomy, qr=CODE_A),
        analysis(1, birth_text(), taxonomy),
        analysis(2, guidance, taxonomy),
    ]
    from ocr.classify import classify

    assert classify(guidance.text, taxonomy).doc_type == "driving_license_exchange"
    docs = plan_documents(pages, taxonomy)
    assert [(d.doc_type, d.pages) for d in docs] == [
        ("reception_receipt", [0]),
        ("birth_registration", [1, 2]),
    ]


def test_an_untitled_forms_type_is_its_first_pages_not_its_checklists(taxonomy) -> None:
    """A business registration whose title OCR lost is known by its first page's labels; its
    next page's checklist names a driving licence's papers and must not outvote them."""
    form = page_from_lines(
        [
            *MOTTO,
            [(500, "GIẤY DE XGHỊ ĐĂNG KY HỘ KINH ĐO.VXH")],
            "Chủ hộ kinh doanh: Âu Minh Kiên",
            "Số định danh cá nhân: 052090897291",
            "Tên hộ kinh doanh: Quán cà phê Minh Kiên",
            "Địa điểm kinh doanh: Số 210 đường Lê Lợi, tỉnh Sóc Trăng",
            "Vốn kinh doanh: 30.000.000 đồng",
        ]
    )
    checklist = page_from_lines(
        [
            "Hồ sơ gửi kèm gồm có:",
            "1. Giấy khám sức khỏe của người lái xe.",
            "2. Giấy ủy quyền (nếu có).",
            "3. Bản sao giấy phép lái xe hạng B2.",
            "PHẦN GHI CỦA CƠ QUAN TIẾP NHẬN",
            "Ngày nhận hồ sơ:",
            "Người nhận hồ sơ:",
            "Ghi chú:",
            "Kết quả giải quyết thủ tục hành chính được trả trực tiếp tại Bộ phận Một cửa",
            "hoặc qua dịch vụ bưu chính công ích theo yêu cầu của người nộp hồ sơ.",
            "Thời gian trả kết quả: theo giấy hẹn.",
        ]
    )
    pages = [
        analysis(0, receipt_text(CODE_A), taxonomy, qr=CODE_A),
        analysis(1, form, taxonomy),
        analysis(2, checklist, taxonomy),
    ]
    docs = plan_documents(pages, taxonomy)
    assert [(d.doc_type, d.pages) for d in docs] == [
        ("reception_receipt", [0]),
        ("household_business_registration", [1, 2]),
    ]
    assert docs[1].fields["capital_vnd"].value == "30000000"


def test_a_signed_last_page_whose_checklist_names_another_procedure_ends_its_form(
    taxonomy,
) -> None:
    """A business registration's last page lists papers of a driving licence's procedure and
    closes with the owner's signature block (its caption misread): the form's last page, not
    a licence form."""
    last = page_from_lines(
        [
            "Giấy tờ kèm theo:",
            "1. Giấy khám sức khỏe của người lái xe.",
            "2. Bản sao giấy phép lái xe hạng B2.",
            "Ngày nhận hồ sơ",
            "Người nhận hồ sơ",
            "Ghi chú:",
            [(1170, "TP. Hồ Chí Minh, ngày 9 tháng 8 năm 2025")],
            [(1440, "CHỦ HỘ KINH DOANH")],
            [(1550, "(hy, ght rõ họ tên)")],
            [(1440, "Dương Duy Hùng Minh")],
        ]
    )
    form = page_from_lines(
        [
            *MOTTO,
            [(500, "GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH")],
            "Chủ hộ kinh doanh: Dương Duy Hùng Minh",
            "Tên hộ kinh doanh: Quán cà phê Minh",
            "Vốn kinh doanh: 100.000.000 đồng",
        ]
    )
    pages = [
        analysis(0, receipt_text(CODE_A), taxonomy, qr=CODE_A),
        analysis(1, form, taxonomy),
        analysis(2, last, taxonomy),
    ]
    from ocr.classify import classify

    assert classify(last.text, taxonomy).doc_type == "driving_license_exchange"
    docs = plan_documents(pages, taxonomy)
    assert [(d.doc_type, d.pages) for d in docs] == [
        ("reception_receipt", [0]),
        ("household_business_registration", [1, 2]),
    ]


def test_a_doubtful_reading_takes_the_dossiers_sure_one_of_the_same_person(taxonomy) -> None:
    """ "MAPXUAN ĐỊNH" (low confidence) on the card, "Mai Xuân Định" on the receipt: the card
    takes the receipt's spelling, still flagged; a card number OCR read with 13 digits takes
    the form's 12; the child's doubtful name is not "mended" into the father's, which the same
    form prints beside it."""
    card = page_from_lines(
        [[(800, "CĂN CƯỚC CÔNG DÂN")], "Số: 0010850123945", "Họ và tên: MAPXUAN ĐỊNH"],
        low={"MAPXUAN": 30.0},
    )
    pages = [
        analysis(0, receipt_text(CODE_A, "Mai Xuân Định"), taxonomy, qr=CODE_A),
        analysis(1, birth_text(), taxonomy),
        analysis(2, card, taxonomy),
    ]
    receipt, birth, card_doc = plan_documents(pages, taxonomy)
    assert card_doc.fields["full_name"].value == "MAI XUÂN ĐỊNH"
    assert card_doc.fields["full_name"].needs_review
    assert "MAPXUAN" in (card_doc.fields["full_name"].reason or "")
    assert card_doc.fields["id_number"].value == "001085012345"
    assert card_doc.fields["id_number"].needs_review
    assert receipt.fields["applicant_name"].value == "Mai Xuân Định"
    assert not receipt.fields["applicant_name"].needs_review

    form = page_from_lines(
        [
            *MOTTO,
            [(700, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
            "Họ, chữ đệm, tên người yêu cầu: Phùng Minh Toàn",
            "Họ, chữ đệm, tên: PHUNG MINH LAN",
        ]
    )
    pages = [
        analysis(0, receipt_text(CODE_A, "Phùng Minh Toàn"), taxonomy, qr=CODE_A),
        analysis(1, form, taxonomy),
    ]
    _, birth = plan_documents(pages, taxonomy)
    assert birth.fields["child_name"].needs_review
    assert fold(birth.fields["child_name"].value or "") == "phung minh lan"


def test_a_lost_name_is_taken_from_the_document_with_the_same_identity_number(taxonomy) -> None:
    """The card's name came out as "MINUETUIEN" (nothing like a name), its number as the form's
    requester's: one number, one person, so the card takes the requester's name, flagged. A
    card whose number is another's keeps what it read."""
    for number, expected in (("001085012345", "TRẦN VĂN HÙNG"), ("001085099999", "MINUETUIEN")):
        card = page_from_lines(
            [[(800, "CĂN CƯỚC CÔNG DÂN")], f"Số: {number}", "Họ và tên: MINUETUIEN"]
        )
        pages = [
            analysis(0, receipt_text(CODE_A, "Trần Văn Hùng"), taxonomy, qr=CODE_A),
            analysis(1, birth_text(), taxonomy),
            analysis(2, card, taxonomy),
        ]
        _, birth, card_doc = plan_documents(pages, taxonomy)
        assert card_doc.fields["full_name"].value == expected
        assert card_doc.fields["full_name"].needs_review
        assert not birth.fields["requester_name"].needs_review
        if expected != "MINUETUIEN":
            assert "same identity number" in (card_doc.fields["full_name"].reason or "")


def test_a_receipts_garbled_procedure_is_the_one_its_dossiers_form_opens(taxonomy) -> None:
    """ "vêu cầu giải quvết" is no procedure; the dossier holds a birth registration form, which
    "Đăng ký khai sinh" opens: the receipt says so, flagged. Without the form it stays as read."""
    receipt = page_from_lines(
        [
            *MOTTO,
            [(500, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")],
            [(800, f"Mã hồ sơ: {CODE_A}")],
            "Ông/Bà: Trần Văn Hùng",
            "Thủ tục hành chính: vêu cầu giải quvết",
        ]
    )
    pages = [analysis(0, receipt, taxonomy, qr=CODE_A), analysis(1, birth_text(), taxonomy)]
    receipt_doc, _ = plan_documents(pages, taxonomy)
    assert receipt_doc.fields["procedure"].value == "Đăng ký khai sinh"
    assert receipt_doc.fields["procedure"].needs_review
    (alone,) = plan_documents(pages[:1], taxonomy)
    assert alone.fields["procedure"].value == "vêu cầu giải quvết"


def _person_document(
    doc_type: str, id_field: str, name_field: str, name: str, sure: bool, confidence: float = 0.9
):
    """A planned document that names one person, with the identity number 082201314650."""
    from ingest.split import PlannedDocument
    from ocr.classify import Classification
    from ocr.fields import ExtractedField

    fields = {
        id_field: ExtractedField(id_field, "082201314650", "082201314650", 0.9, False),
        name_field: ExtractedField(name_field, name, name, confidence, not sure, None),
    }
    return PlannedDocument(
        CODE_A, doc_type, [0], Classification(doc_type, 1.0, True), fields, False
    )


def test_a_name_taken_by_identity_number_is_the_most_marked_of_equal_spellings(taxonomy) -> None:
    """Two documents print the number's name without doubt, one with a mark OCR dropped
    ("LAM TIẾN TRUNG", "LÂM TIẾN TRUNG"): the garbled third takes the marked one, whatever
    order the documents come in (it was a set's pop, so it changed from run to run)."""
    from ingest.split import _name_by_identity_number

    doc = _person_document
    for order in ((0, 1), (1, 0)):
        sure = [
            doc("id_card_copy", "id_number", "full_name", "LAM TIẾN TRUNG", True),
            doc("id_card_copy", "id_number", "full_name", "LÂM TIẾN TRUNG", True),
        ]
        garbled = doc("reception_receipt", "applicant_id_number", "applicant_name", "LAM", False)
        _name_by_identity_number([sure[order[0]], sure[order[1]], garbled], taxonomy)
        assert garbled.fields["applicant_name"].value == "LÂM TIẾN TRUNG"


def test_a_doubtful_name_keeps_the_marks_a_sure_one_lost(taxonomy) -> None:
    """The receipt reads "ĐINH MỸ LOAN ÁNH" well, in doubt for another reason; the marriage
    form "ĐINH MỸ LOAN ANH" without doubt. The form lost a mark: the receipt keeps its spelling
    (it used to take the form's), and the form goes to review with the marked one."""
    from ingest.split import _cross_check, _name_by_identity_number

    doc = _person_document
    receipt = doc(
        "reception_receipt", "applicant_id_number", "applicant_name", "ĐINH MỸ LOAN ÁNH", False
    )
    form = doc("marriage_registration", "bride_id_number", "bride_name", "ĐINH MỸ LOAN ANH", True)
    _name_by_identity_number([receipt, form], taxonomy)
    _cross_check([receipt, form], taxonomy)
    assert receipt.fields["applicant_name"].value == "ĐINH MỸ LOAN ÁNH"
    bride = form.fields["bride_name"]
    assert bride.value == "ĐINH MỸ LOAN ÁNH" and bride.needs_review
    # read at 33 %, its marks are no evidence: it takes the sure spelling
    receipt = doc(
        "reception_receipt", "applicant_id_number", "applicant_name", "LÊ THƯ NHUNG", False, 0.33
    )
    form = doc("marriage_registration", "bride_id_number", "bride_name", "LÊ THU NHUNG", True)
    _name_by_identity_number([receipt, form], taxonomy)
    _cross_check([receipt, form], taxonomy)
    assert receipt.fields["applicant_name"].value == "LÊ THU NHUNG"
    assert not form.fields["bride_name"].needs_review


def test_two_sure_names_beside_one_identity_number_a_letter_apart(taxonomy) -> None:
    """The receipt reads "ÂU ĐỨC VŨ", the card "ÂU ĐỨC VỀ", both without doubt, beside one
    number: one person, one misread. "Về" is no name, so the card takes the receipt's name,
    for review; two names either of which may be right both go to review as read."""
    from ingest.split import _name_by_identity_number

    doc = _person_document
    receipt = doc("reception_receipt", "applicant_id_number", "applicant_name", "ÂU ĐỨC VŨ", True)
    card = doc("id_card_copy", "id_number", "full_name", "ÂU ĐỨC VỀ", True)
    _name_by_identity_number([receipt, card], taxonomy)
    assert card.fields["full_name"].value == "ÂU ĐỨC VŨ" and card.fields["full_name"].needs_review
    assert not receipt.fields["applicant_name"].needs_review
    receipt = doc(
        "reception_receipt", "applicant_id_number", "applicant_name", "TRẦN VĂN HẢI", True
    )
    card = doc("id_card_copy", "id_number", "full_name", "TRẦN VĂN HÀ", True)
    _name_by_identity_number([receipt, card], taxonomy)
    assert (card.fields["full_name"].value, receipt.fields["applicant_name"].value) == (
        "TRẦN VĂN HÀ",
        "TRẦN VĂN HẢI",
    )
    assert card.fields["full_name"].needs_review and receipt.fields["applicant_name"].needs_review


def test_a_doubtful_name_does_not_take_a_sure_one_a_word_short(taxonomy) -> None:
    """The land form reads "Lê Ngọc Nhật Hoàng", doubted for marks it lost; the receipt, beside
    the same number, "LÊ NGỌC NHẬT" without doubt. The receipt lost a word: the form keeps its
    four (it used to take the three), and the receipt takes them, for review."""
    from ingest.split import _cross_check, _mend_from_dossier, _name_by_identity_number

    doc = _person_document
    receipt = doc(
        "reception_receipt", "applicant_id_number", "applicant_name", "LÊ NGỌC NHẬT", True
    )
    form = doc(
        "land_certificate_application",
        "applicant_id_number",
        "applicant_name",
        "Lê Ngọc Nhật Hoàng",
        False,
        0.78,
    )
    for step in (_name_by_identity_number, _mend_from_dossier, _cross_check):
        step([receipt, form], taxonomy)
    assert form.fields["applicant_name"].value == "Lê Ngọc Nhật Hoàng"
    assert receipt.fields["applicant_name"].value == "LÊ NGỌC NHẬT HOÀNG"
    assert receipt.fields["applicant_name"].needs_review


def test_a_doubtful_name_mends_from_one_person_printed_in_two_cases(taxonomy) -> None:
    """The card prints "CAO MỸ TRANG", the form "Cao Mỹ Trang": one person, so the receipt's
    "MỸ TRANG" (family name lost, flagged) takes that name; it used to be left as read because
    the two spellings counted as two candidates."""
    from ingest.split import PlannedDocument, _mend_from_dossier
    from ocr.classify import Classification
    from ocr.fields import ExtractedField

    def doc(doc_type: str, name_field: str, name: str, sure: bool) -> PlannedDocument:
        field = ExtractedField(name_field, name, name, 90.0, not sure, None if sure else "lost")
        return PlannedDocument(
            CODE_A, doc_type, [0], Classification(doc_type, 1.0, True), {name_field: field}, False
        )

    card = doc("id_card_copy", "full_name", "CAO MỸ TRANG", True)
    form = doc("birth_registration", "requester_name", "Cao Mỹ Trang", True)
    receipt = doc("reception_receipt", "applicant_name", "MỸ TRANG", False)
    _mend_from_dossier([card, form, receipt], taxonomy)
    assert receipt.fields["applicant_name"].value == "CAO MỸ TRANG"
    assert receipt.fields["applicant_name"].needs_review
    other = doc("id_card_copy", "full_name", "PHAN MỸ TRANG", True)  # two people: left as read
    receipt = doc("reception_receipt", "applicant_name", "MỸ TRANG", False)
    _mend_from_dossier([card, other, receipt], taxonomy)
    assert receipt.fields["applicant_name"].value == "MỸ TRANG"


def test_a_name_that_lost_a_word_takes_the_whole_name_from_another_document(taxonomy) -> None:
    """The receipt reads "Quách Quốc Nghĩa" where the card prints "QUÁCH QUỐC NGHĨA AN", the
    card "KIM HÀ" where the form prints "Trần Kim Hà": OCR lost the last or the first word. The
    short reading takes the whole name, flagged; two names of one document are two people."""
    from ingest.split import PlannedDocument, _cross_check
    from ocr.classify import Classification
    from ocr.fields import ExtractedField

    def doc(doc_type: str, names: dict[str, str]) -> PlannedDocument:
        fields = {n: ExtractedField(n, v, v, 90.0, False) for n, v in names.items()}
        return PlannedDocument(
            CODE_A, doc_type, [0], Classification(doc_type, 1.0, True), fields, False
        )

    receipt = doc("reception_receipt", {"applicant_name": "Quách Quốc Nghĩa"})
    card = doc("id_card_copy", {"full_name": "QUÁCH QUỐC NGHĨA AN"})
    _cross_check([receipt, card], taxonomy)
    assert receipt.fields["applicant_name"].value == "Quách Quốc Nghĩa An"
    assert receipt.fields["applicant_name"].needs_review
    assert not card.fields["full_name"].needs_review
    card = doc("id_card_copy", {"full_name": "KIM HÀ"})
    form = doc("birth_registration", {"requester_name": "Trần Kim Hà"})
    _cross_check([card, form], taxonomy)
    assert card.fields["full_name"].value == "TRẦN KIM HÀ"
    form = doc(
        "birth_registration", {"requester_name": "Trần Thị Lan", "child_name": "Trần Thị Lan Anh"}
    )
    _cross_check([form], taxonomy)
    assert not form.fields["requester_name"].needs_review


def test_a_name_without_its_family_name_takes_a_doubtful_whole_name(taxonomy) -> None:
    """The receipt reads "NGỌC ĐỊNH HIẾU" ("Ngọc" is no family name: the first word lost), the
    card "VÕ NGỌC ĐỊNH HIẾU" at low confidence: the whole name is still the better reading, as
    it is beside a short reading in doubt. So it is beside a short name read without doubt
    ("LÊ NGỌC NHẬT" beside "Lê Ngọc Nhật Hoàng", doubted for its lost marks): OCR drops a
    name's last word far more often than it adds a listed name."""
    from ingest.split import PlannedDocument, _cross_check
    from ocr.classify import Classification
    from ocr.fields import ExtractedField

    def doc(doc_type: str, name: str, value: str, sure: bool) -> PlannedDocument:
        fields = {name: ExtractedField(name, value, value, 0.9, not sure, "doubt")}
        return PlannedDocument(
            CODE_A, doc_type, [0], Classification(doc_type, 1.0, True), fields, False
        )

    receipt = doc("reception_receipt", "applicant_name", "NGỌC ĐỊNH HIẾU", False)
    card = doc("id_card_copy", "full_name", "VÕ NGỌC ĐỊNH HIẾU", False)
    _cross_check([receipt, card], taxonomy)
    assert receipt.fields["applicant_name"].value == "VÕ NGỌC ĐỊNH HIẾU"
    assert receipt.fields["applicant_name"].needs_review
    receipt = doc("reception_receipt", "applicant_name", "VÕ NGỌC ĐỊNH", True)
    _cross_check([receipt, card], taxonomy)
    assert receipt.fields["applicant_name"].value == "VÕ NGỌC ĐỊNH HIẾU"
    assert receipt.fields["applicant_name"].needs_review
    # both in doubt: the whole name, every word of it a listed name's, is the better reading
    receipt = doc("reception_receipt", "applicant_name", "DƯƠNG HỒNG HOA", False)
    form = doc("marriage_registration", "bride_name", "Dương Hồng Hoa Thủy", False)
    _cross_check([receipt, form], taxonomy)
    assert receipt.fields["applicant_name"].value == "DƯƠNG HỒNG HOA THỦY"
    # both in doubt, marks lost on the long one: each word as the more marked reading has it
    receipt = doc("reception_receipt", "applicant_name", "BÍCH THỦY", False)
    form = doc("marriage_registration", "bride_name", "Phạm Bích Thuy", False)
    _cross_check([receipt, form], taxonomy)
    assert receipt.fields["applicant_name"].value == "PHẠM BÍCH THỦY"
    assert form.fields["bride_name"].value == "Phạm Bích Thủy"
    assert form.fields["bride_name"].needs_review


def test_a_name_whose_marks_ocr_dropped_takes_them_from_another_document(taxonomy) -> None:
    """ "LAM QUỐC VINH" beside "LÂM QUỐC VINH": both are names, but OCR drops marks far more
    often than it invents them; the bare reading takes the marks, and both stay flagged. Marks
    dropped on both sides ("Lâm Quốc Vinh", "Lam Quốc Vĩnh") tell nothing: nothing is taken."""
    from ingest.split import PlannedDocument, _cross_check
    from ocr.classify import Classification
    from ocr.fields import ExtractedField

    def doc(doc_type: str, name: str, value: str) -> PlannedDocument:
        fields = {name: ExtractedField(name, value, value, 0.9, False)}
        return PlannedDocument(
            CODE_A, doc_type, [0], Classification(doc_type, 1.0, True), fields, False
        )

    owner = doc("household_business_registration", "owner_name", "LAM QUỐC VINH")
    card = doc("id_card_copy", "full_name", "Lâm Quốc Vinh")
    _cross_check([owner, card], taxonomy)
    assert owner.fields["owner_name"].value == "LÂM QUỐC VINH"
    assert card.fields["full_name"].value == "Lâm Quốc Vinh"
    assert owner.fields["owner_name"].needs_review and card.fields["full_name"].needs_review
    owner = doc("household_business_registration", "owner_name", "Lam Quốc Vĩnh")
    card = doc("id_card_copy", "full_name", "Lâm Quốc Vinh")
    _cross_check([owner, card], taxonomy)
    assert owner.fields["owner_name"].value == "Lam Quốc Vĩnh"
    assert card.fields["full_name"].value == "Lâm Quốc Vinh"
    assert owner.fields["owner_name"].needs_review


@pytest.mark.parametrize(
    ("role", "caption"),
    [("Người vêu cầu", "(KY, ghiro họ, chữ đệm, tên)"), ("Người yêu cầu", "(Ký, ghi rõ họ tên)")],
)
def test_a_last_page_signed_by_the_requester_ends_its_form(role, caption, taxonomy) -> None:
    """A birth form's last page after a blank back: its checklist names a driving licence
    ("Bản sao giấy phép lái xe"), and it closes with "Người yêu cầu" ("vêu" as OCR read it)
    over "(Ký, ghi rõ họ, chữ đệm, tên)": the form's page, not a licence form."""
    last = page_from_lines(
        [  # as Tesseract read it
            "Hồ sơ gửi kèm gồm có:",
            "1. Giấy uv quyền (nếu có).",
            "2. Bản sao Giấy chứng sinh.",
            "3. Ban sao giấy phép lái xe.",
            "Ý RIẾN CUA CAN BỘ TIẾP NHÂN",
            "Ngày nhận hồ sơ:",
            "Người nhận hồ sơ",
            "Ghi chú:",
            "Phí, lệ phí được nộp trực tiếp hoặc thanh toán trực tuyến qua Cổng",
            "Dich vụ công quốc gia.",
            "Thông tín về số định danh cá nhân được Khai thác từ Cơ sở dữ liệu",
            "quốc gia về dan cư; người véu cầu khong phải nộp ban sao giấy tờ đã dược",
            "số hóa.",
            [(1120, "TP. H6 Chí Minh, ngày 12 tháng 7 nam 2024")],
            [(1529, role)],
            [(1397, caption)],
            [(1495, "Tran Diéu Giang")],
            "(2) Ghi rõ loại giấy tờ tùv thân, số, cơ quan cấp, ngày cấp.",
        ]
    )
    pages = [
        analysis(0, receipt_text(CODE_A), taxonomy, qr=CODE_A),
        analysis(1, birth_text(), taxonomy),
        analysis(2, blank_text(), taxonomy),
        analysis(3, last, taxonomy),
    ]
    from ocr.classify import classify

    assert classify(last.text, taxonomy).doc_type == "driving_license_exchange"
    docs = plan_documents(pages, taxonomy)
    assert [(d.doc_type, d.pages) for d in docs] == [
        ("reception_receipt", [0]),
        ("birth_registration", [1, 3]),
    ]


def test_a_field_reading_that_fails_loses_no_document(taxonomy, monkeypatch, caplog) -> None:
    """Should a rule fail on a page nobody foresaw, the document is still planned (so its
    pages are archived), every field empty and in review with the error; the batch goes on."""
    import ingest.split as split

    calls = []

    def broken(doc_type, pages, taxonomy):
        calls.append(doc_type)
        if doc_type == "birth_registration":
            raise IndexError("list index out of range")
        return real(doc_type, pages, taxonomy)

    real = split.extract_fields
    monkeypatch.setattr(split, "extract_fields", broken)
    pages = [
        analysis(0, receipt_text(CODE_A), taxonomy, qr=CODE_A),
        analysis(1, birth_text(), taxonomy),
    ]
    docs = plan_documents(pages, taxonomy)
    assert [(d.doc_type, d.pages) for d in docs] == [
        ("reception_receipt", [0]),
        ("birth_registration", [1]),
    ]
    birth = docs[1].fields
    assert birth and all(f.value is None and f.needs_review for f in birth.values())
    assert "IndexError" in birth["child_name"].reason
    assert docs[0].fields["dossier_code"].value == CODE_A
    assert "field extraction failed" in caplog.text


def test_receipt_values_the_dossier_code_confirms_need_no_review(taxonomy) -> None:
    """A receipt's date and printed code that OCR doubted (low confidence, or digits a second
    reading disputes) but that agree with the QR code are confirmed by it; the due date and
    hour, which nothing confirms, keep their doubt."""
    text = receipt_times_text(
        "08 giờ 30 phút, ngày 01/07/2025",
        "15 giờ 00 phút, ngày 02/07/2025",
        low={"01/07/2025": 40.0},
    )
    disputed = {CODE_A: CODE_A.replace("-", "-1", 1), "02/07/2025": "02/07/2029", "30": "39"}
    words = [replace(w, second_reading=disputed.get(w.text)) for w in text.words]
    (receipt,) = plan_documents(
        [analysis(0, replace(text, words=words), taxonomy, qr=CODE_A)], taxonomy
    )
    fields = receipt.fields
    assert fields["received_date"].value == "2025-07-01"
    assert not fields["received_date"].needs_review
    assert fields["dossier_code"].value == CODE_A and not fields["dossier_code"].needs_review
    assert fields["due_date"].needs_review
    assert "'02/07/2025' read again" in (fields["due_date"].reason or "")


def test_a_glued_date_read_several_ways_is_not_guessed() -> None:
    """ "1042024" is 1 April or 10 April: both are given, for what else is known to choose."""
    from ocr.normalize import glued_date_readings

    assert glued_date_readings("14 giờ 00 phút, ngày 1042024") == ["2024-04-01", "2024-04-10"]
    assert glued_date_readings("10 giờ 00 phút, ngày ngày 22 tháng") == []


def test_a_receipts_received_date_not_read_is_the_codes_day_for_review(taxonomy) -> None:
    """ "08 giờ 50 phút, ngày" and the date lost to OCR: the dossier code the QR code vouches
    for carries the reception day, given for review; a code read only in print gives none."""
    text = receipt_times_text(
        "08 giờ 50 phút, ngày",
        "15 giờ 00 phút, ngày 02/07/2025",
    )
    (receipt,) = plan_documents([analysis(0, text, taxonomy, qr=CODE_A)], taxonomy)
    received = receipt.fields["received_date"]
    assert received.value == "2025-07-01" and received.needs_review
    assert "dossier code" in (received.reason or "")
    # the printed code misread (it disagrees with the QR code): the QR code still tells
    (receipt,) = plan_documents([analysis(0, text, taxonomy, qr=CODE_B)], taxonomy)
    assert receipt.fields["dossier_code"].needs_review
    assert receipt.fields["received_date"].value == "2025-07-01"
    (receipt,) = plan_documents([analysis(0, text, taxonomy)], taxonomy)
    assert receipt.fields["received_date"].value is None


def test_a_due_date_the_printed_processing_time_gives_is_confirmed(taxonomy) -> None:
    """Received Tuesday 1 July 2025, 5 working days: due Tuesday 8 July (the weekend skipped).
    A due date read so needs no review whatever OCR doubted; one digit off, it is mended and
    still reviewed; received after 15:00, counting from the next day gives the 9th too."""

    def due_of(received: str, due: str, processing: str = "05 ngày làm việc") -> ExtractedField:
        text = receipt_times_text(
            received,
            f"10 giờ 00 phút, ngày {due}",
            f"Thời gian giải quyết hồ sơ theo quy định là: {processing}",
        )
        disputed = {due: due.replace("/07/", "/01/")}  # a second reading that disagrees
        words = [replace(w, second_reading=disputed.get(w.text)) for w in text.words]
        page = analysis(0, replace(text, words=words), taxonomy, qr=CODE_A)
        (receipt,) = plan_documents([page], taxonomy)
        return receipt.fields["due_date"]

    morning = "08 giờ 30 phút, ngày 01/07/2025"
    confirmed = due_of(morning, "08/07/2025")
    assert confirmed.value == "2025-07-08" and not confirmed.needs_review
    mended = due_of(morning, "09/07/2025")
    assert mended.value == "2025-07-08" and mended.needs_review
    assert "5 working days after 2025-07-01 is 2025-07-08" in (mended.reason or "")
    late = due_of("16 giờ 10 phút, ngày 01/07/2025", "09/07/2025")
    assert late.value == "2025-07-09" and not late.needs_review
    # another processing time than the date's, or none printed: the doubt stays
    assert due_of(morning, "08/07/2025", "03 ngày làm việc").needs_review
    assert due_of(morning, "08/07/2025", "theo quy định").needs_review


def test_a_name_under_an_unlisted_wording_is_confirmed_by_another_document(taxonomy) -> None:
    """ "Người đề nghị cấp phép" is no investor wording the taxonomy lists: the name under it
    is reviewed, unless the receipt reads the very same name without doubt."""
    permit = page_from_lines(
        [
            *MOTTO,
            [(600, "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG")],
            "Người đề nghị cấp phép: TRẦN VĂN HÙNG",
            "Số CCCD: 001085012345",
            "Địa điểm xây dựng: Số 12, đường Lê Lợi, phường Bến Nghé, thành phố Hồ Chí Minh",
            "Thửa đất số: 125",
            "Tổng diện tích sàn: 240,5 m²",
            "Số tầng: 3",
        ]
    )

    def investor(applicant: str) -> ExtractedField:
        pages = [
            analysis(0, receipt_text(CODE_A, applicant), taxonomy, qr=CODE_A),
            analysis(1, permit, taxonomy),
        ]
        _, form = plan_documents(pages, taxonomy)
        return form.fields["investor_name"]

    alone = investor("Nguyễn Văn An")  # someone else filed it: nothing vouches for the label
    assert alone.value == "TRẦN VĂN HÙNG" and alone.needs_review
    assert "does not list" in (alone.reason or "")
    vouched = investor("Trần Văn Hùng")
    assert vouched.value == "TRẦN VĂN HÙNG" and not vouched.needs_review
    # the same letters with other marks vouch for nothing: one of the two readings is wrong
    assert investor("Trần Văn Hưng").needs_review
