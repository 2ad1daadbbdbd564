"""Every value kind's normaliser on clean and OCR-noisy inputs, and on values it must refuse."""

from __future__ import annotations

import re

import pytest

from ocr.normalize import (
    UnknownKindError,
    clean_text,
    fold,
    match_key,
    misread_units,
    normalize,
)

GOOD = [
    # dates: slashes, dashes, dots, words, OCR look-alikes, accents lost, times of day
    ("date", "12/05/2025", "2025-05-12"),
    ("date", "12-5-2025", "2025-05-12"),
    ("date", "12.05.2025", "2025-05-12"),
    ("date", "12 / 05 / 2025", "2025-05-12"),
    ("date", "ngày 12 tháng 5 năm 2025", "2025-05-12"),
    ("date", "Ngày 12 tháng 05 năm 2025", "2025-05-12"),
    ("date", "ngay 12 thang 5 nam 2025", "2025-05-12"),
    ("date", "l2/O5/2025", "2025-05-12"),
    ("date", "ngày 1O tháng 11 năm 2O24", "2024-11-10"),
    ("date", "O1/O1/l990", "1990-01-01"),
    ("date", "3/l2/2OO1", "2001-12-03"),
    ("date", "12052025", "2025-05-12"),
    ("date", "08 giờ 30 phút, ngày 02/07/2025.", "2025-07-02"),
    ("date", "15 giờ 00 phút, ngày 2 tháng 7 năm 2025", "2025-07-02"),
    # "năm" misread "ham" after a month: not an hour ("5 h") that would swallow the month
    ("date", "15 giờ 00 phút, ngày ngày 21 tháng 5 ham 2025.", "2025-05-21"),
    ("date", "8h30, ngày 12/05/2025", "2025-05-12"),
    ("date", "....... 29/02/2024 .........", "2024-02-29"),
    ("date", "Sinh ngày: 07-11-1988", "1988-11-07"),
    # identity numbers: CCCD 12 and CMND 9 digits, spaces, dots and confusions
    ("id_number", "001203456789", "001203456789"),
    ("id_number", "001 203 456 789", "001203456789"),
    ("id_number", "0O1203456789", "001203456789"),
    ("id_number", "O0l2O3456789", "001203456789"),
    ("id_number", "00I2O345678S", "001203456785"),
    ("id_number", "0012034567B9", "001203456789".replace("8", "8")),
    ("id_number", "079.203.456.789", "079203456789"),
    ("id_number", "123456789", "123456789"),
    ("id_number", "l23 456 789", "123456789"),
    # names: NFC, spaces, look-alike letters, case as printed
    ("name", "  Nguyễn   Văn  An ", "Nguyễn Văn An"),
    ("name", "NGUYỄN THỊ MINH CHÂU", "NGUYỄN THỊ MINH CHÂU"),
    ("name", "Ðặng Thị Hồng", "Đặng Thị Hồng"),
    ("name", "Trần Vǎn Nam.", "Trần Văn Nam"),
    ("name", "Nguye\u0302\u0303n Văn An", "Nguyễn Văn An"),  # decomposed input -> NFC
    ("name", ": Lê Thị Thu ......", "Lê Thị Thu"),
    # text
    ("text", "  Số 12,   phố  Huế ", "Số 12, phố Huế"),
    ("text", "Bệnh viện Đa khoa ........", "Bệnh viện Đa khoa"),
    # integers
    ("integer", "1.234", "1234"),
    ("integer", "1,234", "1234"),
    ("integer", "12", "12"),
    ("integer", "045", "45"),
    ("integer", "O5", "5"),
    ("integer", "l2", "12"),
    ("integer", "5 tầng", "5"),
    # numbers (decimal comma)
    ("number", "120,5 m²", "120.5"),
    ("number", "710,4mˆ", "710.4"),  # the ² lost, its caret read as a modifier letter
    ("number", "120,5m2", "120.5"),
    ("number", "1.234,5 m2", "1234.5"),
    ("number", "85", "85"),
    ("number", "85,00", "85"),
    ("number", "120.5", "120.5"),
    ("number", "720,51 m²", "720.51"),
    ("number", "l2O,5 m²", "120.5"),
    ("number", "1.250", "1250"),
    # money
    ("money", "50.000.000 đồng", "50000000"),
    ("money", "50.000.000đ", "50000000"),
    ("money", "1.200.000.000 VNĐ", "1200000000"),
    ("money", "50 000 000 đồng", "50000000"),
    ("money", "5O.OOO.OOO đồng (Năm mươi triệu đồng)", "50000000"),
    # dossier codes: position-aware OCR fixes
    ("dossier_code", "000.00.13.H12-250701-0042", "000.00.13.H12-250701-0042"),
    ("dossier_code", "OOO.OO.l3.H12-25O7O1-OO42", "000.00.13.H12-250701-0042"),
    ("dossier_code", "000.00.13.H12 - 250701 - 0042", "000.00.13.H12-250701-0042"),
    ("dossier_code", "000,00.13.H12–250701–0042", "000.00.13.H12-250701-0042"),
    ("dossier_code", "G22.45.01.856-250701-0042", "G22.45.01.B56-250701-0042"),
    ("dossier_code", "Mã hồ sơ: G22.45.01.H56-241231-9999", "G22.45.01.H56-241231-9999"),
    ("dossier_code", "g22.45.0l.h56-241231-9999", "G22.45.01.H56-241231-9999"),
    # gender, licence number and class
    ("gender", "Nam", "Nam"),
    ("gender", "Nữ", "Nữ"),
    ("gender", "NỮ", "Nữ"),
    ("gender", "Nu", "Nữ"),
    ("gender", "Nam / Male", "Nam"),
    ("gender", "Nữ/Female", "Nữ"),
    ("licence_number", "790123456789", "790123456789"),
    ("licence_number", "79O1 2345 6789", "790123456789"),
    ("licence_class", "B2", "B2"),
    ("licence_class", "Bl", "B1"),
    ("licence_class", "8", "B"),
    ("licence_class", "c1e", "C1E"),
    ("licence_class", "A l", "A1"),
]


@pytest.mark.parametrize(("kind", "raw", "expected"), GOOD)
def test_normalises_noisy_values(kind: str, raw: str, expected: str) -> None:
    result = normalize(kind, raw)
    assert result.ok, result.reason
    assert result.value == expected
    assert result.reason is None


BAD = [
    ("date", "31/02/2025", "calendar"),
    ("date", "12/13/2025", "calendar"),
    ("date", "12/5/25", "two-digit year"),
    ("date", "không rõ", "no date"),
    ("date", "12/05", "day/month/year"),
    ("date", "01/01/1850", "implausible"),
    ("id_number", "12345", "5 digits"),
    ("id_number", "0012034567890", "13 digits"),
    ("id_number", "00120345678X", "not digits"),
    ("id_number", "", "not digits"),
    ("name", "", "empty"),
    ("name", "Nguyễn Văn 4n", "contains"),
    ("name", "Lê Thị <Hoa>", "contains"),
    ("name", "không phải nộp bản sao", "capitalised"),
    ("text", " ...... ", "empty"),
    ("integer", "1.23", "group by three"),
    ("integer", "mười hai", "not a whole number"),
    ("integer", "", "no number"),
    ("number", "12,5,3", "two decimal commas"),
    ("number", "abc m2", "not a number"),
    ("money", "50.00.000 đồng", "group by three"),
    ("dossier_code", "000.00.13.H12-251301-0042", "reception day"),
    ("dossier_code", "000.00.13-250701-0042", "not a dossier code"),
    ("dossier_code", "000.00.13.H12-25O7X1-0042", "letters where"),
    ("gender", "Khác", "neither"),
    ("gender", "Nam Nữ", "neither"),
    ("licence_number", "7901234567", "10 digits"),
    ("licence_class", "X9", "not a licence class"),
]


@pytest.mark.parametrize(("kind", "raw", "reason"), BAD)
def test_refuses_what_it_cannot_read(kind: str, raw: str, reason: str) -> None:
    result = normalize(kind, raw)
    assert not result.ok
    assert result.reason is not None and reason in result.reason


def test_single_word_name_is_kept_but_flagged() -> None:
    result = normalize("name", "Hoa")
    assert (result.value, result.ok) == ("Hoa", False)


@pytest.mark.parametrize(
    ("raw", "looks_like"),
    [("Ni", "Nữ"), ("Nie", "Nữ"), ("Nir", "Nữ"), ("Nant", "Nam"), ("Narn", "Nam"), ("Nh", None)],
)
def test_a_gender_only_near_nam_or_nu_is_offered_for_review(raw: str, looks_like) -> None:
    """OCR breaks the marks of "Nữ" into "Ni", "Nie": the near value is given, never as read."""
    result = normalize("gender", raw)
    assert (result.value, result.ok) == (looks_like, False)
    assert "neither Nam nor Nữ" in (result.reason or "")


def test_dossier_code_follows_a_center_pattern() -> None:
    pattern = re.compile(r"HS-\d{6}")
    assert normalize("dossier_code", "HS-123456", dossier_pattern=pattern).value == "HS-123456"
    assert not normalize("dossier_code", "000.00.13.H12-250701-0042", dossier_pattern=pattern).ok


def test_unknown_kind_names_the_known_ones() -> None:
    with pytest.raises(UnknownKindError, match="date"):
        normalize("colour", "red")


def test_text_helpers() -> None:
    assert fold("ĐĂNG KÝ Khai Sinh") == "dang ky khai sinh"
    assert fold("Ðồng") == "dong"
    assert match_key("Họ, chữ đệm, tên:") == "ho chu dem ten"
    assert clean_text("Nguyễn Văn An..........") == "Nguyễn Văn An"


@pytest.mark.parametrize(
    ("words", "amount"),
    [
        ("Năm mươi triệu đồng", 50_000_000),
        ("Một tỷ hai trăm triệu đồng", 1_200_000_000),
        ("Hai trăm linh năm nghìn đồng", 205_000),
        ("Mười lăm triệu đồng", 15_000_000),
        ("Ba trăm năm mươi lăm triệu đồng chẵn", 355_000_000),
        ("bay muoi mot trieu dong", 71_000_000),  # tone marks lost by OCR
        ("Xin chào", None),
        ("Năm năm triệu", None),  # two digits in a row: not a number
    ],
)
def test_amount_in_words(words: str, amount: int | None) -> None:
    from ocr.normalize import amount_from_words

    assert amount_from_words(words) == amount


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("number", "400m?", "400"),  # the ² read as "?"
        ("number", "676,21mˆ2", "676.21"),
        ("number", "85 m'", "85"),
        ("money", "200.000 000", "200000000"),  # a thousands dot read as a space
        ("money", "150 000.000 đồng", "150000000"),
        ("integer", "5 tầng", "5"),
    ],
)
def test_ocr_noise_in_units_and_separators(kind: str, raw: str, expected: str) -> None:
    assert normalize(kind, raw).value == expected


def test_spaced_digits_that_do_not_group_by_three_fail() -> None:
    assert not normalize("money", "200.000 00").ok


def test_date_word_glued_to_its_number() -> None:
    assert normalize("date", "ngày 11 tháng 12năm 1971").value == "1971-12-11"
    assert normalize("date", "ngày 3tháng 6 năm 2025").value == "2025-06-03"


@pytest.mark.parametrize(
    ("text", "lost"),
    [
        ("ĐINH DUC PHONG", ["DUC"]),  # Đức: a syllable ending in c carries sắc or nặng
        ("Nguyen Viet Nhat", ["Nguyen", "Viet", "Nhat"]),
        ("thôn Bac, xã Tân Lập", ["Bac"]),
        ("Nguyễn Ngọc Bích, Thạch Thất", []),
        ("Trần Thị Hạnh", []),
        ("Tran Thi Hanh", []),  # lost, but each syllable is valid without a mark
        ("VÕ RIEU THỰ", ["RIEU"]),  # "iê" before a final u or consonant: Diệu
        ("Luong Anh Yen", ["Luong", "Yen"]),  # Lương, Yến
        ("Lưu Kiều Nguyễn Người Hưởng Khuyên Gieo", []),
        ("Luu Hoa", ["Luu"]),  # "ưu" always has its horn
    ],
)
def test_syllables_that_cannot_lack_a_tone_mark(text: str, lost: list[str]) -> None:
    from ocr.normalize import lost_tone_marks

    assert lost_tone_marks(text) == lost


def test_full_stop_before_a_lower_case_word_is_a_comma() -> None:
    assert normalize("text", "tổ 12. xã Đông Hưng").value == "tổ 12, xã Đông Hưng"
    assert normalize("text", "TP. Hồ Chí Minh").value == "TP. Hồ Chí Minh"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NGUYEN THỊ GIANG", "NGUYỄN THỊ GIANG"),  # a listed family name, every mark lost
        ("Dinh Phương Liên", "Đinh Phương Liên"),
        ("Trân Văn Hùng", "Trân Văn Hùng"),  # a swapped mark is not a loss: kept for review
        ("Mai Văn An", "Mai Văn An"),  # "Mai" is itself a family name
        ("Phạm Thị Lan", "Phạm Thị Lan"),
    ],
)
def test_family_names_get_back_the_marks_ocr_dropped(raw: str, expected: str) -> None:
    assert normalize("name", raw).value == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("quận Hải Châu, tinh Lao Cai", "quận Hải Châu, tỉnh Lào Cai"),
        ("xã Mỹ Đức, tỉnh Quang Bình", "xã Mỹ Đức, tỉnh Quảng Bình"),
        ("phường Bến Nghé, thanh pho Ho Chi Minh", "phường Bến Nghé, thành phố Hồ Chí Minh"),
        ("xã Tân Lập, thành phố Thủ Đức", "xã Tân Lập, thành phố Thủ Đức"),  # not a province
        ("Hộ kinh doanh Tạp hóa Minh An", "Hộ kinh doanh Tạp hóa Minh An"),
    ],
)
def test_provinces_get_back_the_marks_ocr_dropped(raw: str, expected: str) -> None:
    assert normalize("text", raw).value == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Số 72 đường Võ Thị Sáu phường Láng tỉnh Đắk Lắk",
            "Số 72, đường Võ Thị Sáu, phường Láng, tỉnh Đắk Lắk",
        ),
        (
            "khu phố 2, xã Bình Chánh thành phố Thủ Đức",
            "khu phố 2, xã Bình Chánh, thành phố Thủ Đức",
        ),
        ("xã Mỹ Đức, thị xã Từ Sơn, tỉnh Bắc Ninh", "xã Mỹ Đức, thị xã Từ Sơn, tỉnh Bắc Ninh"),
        ("Hộ kinh doanh Tạp hóa xã Đoài", "Hộ kinh doanh Tạp hóa xã Đoài"),  # not an address
        ("Trạm Y tế phường Láng, tỉnh Hà Giang", "Trạm Y tế phường Láng, tỉnh Hà Giang"),
        # a place in a commune, then the commune's province: the comma OCR lost
        ("Trung tâm Y tế xã Phú Xuân tỉnh Hà Giang", "Trung tâm Y tế xã Phú Xuân, tỉnh Hà Giang"),
        ("$6 122, đường Nguyễn Huệ, phường Láng", "Số 122, đường Nguyễn Huệ, phường Láng"),
        # a street ("phố") after the house number; not inside "tổ dân phố" nor "Phố Lu"
        (
            "Số 10/7 phố Hào Nam, phường Sài Gòn, tỉnh Lào Cai",
            "Số 10/7, phố Hào Nam, phường Sài Gòn, tỉnh Lào Cai",
        ),
        (
            "tổ dân phố số 5, xã Kiến Xương, tỉnh Hà Giang",
            "tổ dân phố số 5, xã Kiến Xương, tỉnh Hà Giang",
        ),
        (
            "Số 5 Phố Lu, huyện Bảo Thắng, tỉnh Lào Cai",
            "Số 5 Phố Lu, huyện Bảo Thắng, tỉnh Lào Cai",
        ),
    ],
)
def test_address_units_follow_commas(raw: str, expected: str) -> None:
    assert normalize("text", raw).value == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Xóm Mới, xã Yên Thế, tỉnh Bình Dương", "xóm Mới, xã Yên Thế, tỉnh Bình Dương"),
        ("Khu phố 2, xã Thanh Liệt", "khu phố 2, xã Thanh Liệt"),
        ("Ấp 3 xã Phú Xuân huyện Yên Thế", "ấp 3, xã Phú Xuân, huyện Yên Thế"),
        ("Phường Bến Nghé, quận 1", "phường Bến Nghé, quận 1"),
        ("Tổ hợp Dịch vụ Minh An, xã Yên Thế", "Tổ hợp Dịch vụ Minh An, xã Yên Thế"),
        ("Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh"),  # no address's units after it
        ("Tỉnh Nghệ An", "Tỉnh Nghệ An"),
    ],
)
def test_an_address_opens_with_its_unit_in_lower_case(raw: str, expected: str) -> None:
    """A form capitalises what opens a value; an address is written one way, units in lower
    case, so that two readings of it compare equal."""
    assert normalize("text", raw).value == expected


@pytest.mark.parametrize(
    ("name", "foreign"),
    [
        ("QUÁCH THIYẾN", ["THIYẾN"]),  # "THỊ YẾN" glued by OCR
        ("Nguyễn Thị Châu Giấy tờtùv", ["tờtùv"]),
        ("Nguyễn Huỳnh Quỳnh Nghiêm Oanh Uyên Ý Giang Khuya Quý Bích Phượng Mỹ Âu Thư", []),
    ],
)
def test_words_that_are_no_vietnamese_syllable(name: str, foreign: list[str]) -> None:
    from ocr.normalize import foreign_syllables

    assert foreign_syllables(name) == foreign


@pytest.mark.parametrize(
    ("name", "unmarked"),
    [
        ("LAM CÔNG QUAN", ["QUAN"]),  # Quân: "Quan" is no given name
        ("HOÀNG VĂN HAI", ["HAI"]),
        ("Dinh Van An", ["Dinh", "Van"]),  # Đinh, Văn/Vân
        ("MAI THỊ OANH", []),  # unmarked, and so spelled as names
        ("Dung Anh Lan", []),
        ("Trương Hồng Chỉ", ["Chỉ"]),  # a swap: names are "Chi"
        ("Hồ Thụ Anh", ["Thụ"]),
        ("Lâm Văn Thưởng", []),
        ("Nguyễn Thị Hoà", []),  # the old placement of the mark is the same spelling
    ],
)
def test_name_words_printed_without_the_marks_names_carry(name: str, unmarked: list[str]) -> None:
    from ocr.normalize import unmarked_name_words

    assert unmarked_name_words(name) == unmarked


@pytest.mark.parametrize(
    ("address", "unsure"),
    [
        ("Trung tâm Y tế xã Nghĩa Dan, tinh Ninh Binh", ["tinh", "xã Nghĩa Dan", "tinh Ninh Binh"]),
        ("Số 83, phố Hào Nam, thi trấn Phố Lu, tỉnh Quảng Ngãi", ["thi trấn"]),
        ("Số 234, đường Phạm Văn Đông, quân 1, tỉnh Bắc Ninh", ["quân", "đường Phạm Văn Đông"]),
        ("Bệnh viện Quân y 103, quận Hà Đông, thành phố Hà Nội", []),  # "Quân y" is no unit
        ("Ủy ban nhân dân xã Yên Thế, huyện Yên Thế, tỉnh Bắc Giang", []),
        ("Bệnh viện Phụ sản xã Đông Hưng, tỉnh Vĩnh Leng", ["tỉnh Vĩnh Leng"]),
        ("phường 1, thành phố Đông Hà", []),  # a city, near no province enough
        ("Trạm Y tế phường Tân Định, tỉnh Tiên Giang", ["tỉnh Tiên Giang"]),  # a mark misread
        ("xã Yên Thế, tỉnh Khánh Hoà", []),  # the old placement of the mark is the same
    ],
)
def test_address_units_that_lost_their_marks(address: str, unsure: list[str]) -> None:
    from ocr.normalize import marks_lost_in_address

    assert marks_lost_in_address(address) == unsure


@pytest.mark.parametrize(
    ("text", "misspelt"),
    [
        ("Bệnh viện Da khoa phường Hải Châu, thành phố Hồ Chí Minh", ["Da khoa"]),
        ("Hô kinh doanh Cửa hàng vật liệu xây dựng Giang", ["Hô kinh doanh"]),
        ("Bệnh viện Phụ, sản phường Hoàn Kiếm", ["Phụ, sản"]),
        ("HỘ KINH RQANH TIỆM MAY MINH HẬU", ["RQANH"]),
        ("Số 107/36, đường 3 Tháng 2, phường", ["phường (cut short)"]),
        ("UBND xã Ea Tu, tỉnh Đắk Lắk", []),  # abbreviations, the Highlands' names
        ("Bệnh viện Đa khoa tỉnh Bắc Ninh", []),
    ],
)
def test_words_of_a_text_ocr_visibly_misread(text: str, misspelt: list[str]) -> None:
    from ocr.normalize import misspelt_in_text

    assert misspelt_in_text(text) == misspelt


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # the leader's dots read between words are spaces, then units follow commas
        (
            "thôn Yên.Bình xã.Mỹ.Đức huyện. Bình Chánh, tỉnh Lào Cai",
            "thôn Yên Bình, xã Mỹ Đức, huyện Bình Chánh, tỉnh Lào Cai",
        ),
        # closed vocabularies spelt as they are, in the printed case
        (
            "Hô kinh doanh Cửa hàng vật liệu, xây dựng Giang",
            "Hộ kinh doanh Cửa hàng vật liệu xây dựng Giang",
        ),
        ("tổ đân phố số 5, thi trấn Đông Anh", "tổ dân phố số 5, thị trấn Đông Anh"),
        ("xã Thanh Liệt, tính Hà Giang", "xã Thanh Liệt, tỉnh Hà Giang"),
        ("Bệnh viện Đa.khoa phường Quang Trung", "Bệnh viện Đa khoa phường Quang Trung"),
        # each word in its printed case; a household business's trade
        ("Trung tam Y tế phường Trần Phú", "Trung tâm Y tế phường Trần Phú"),
        ("Hộ kinh doanh Sửa xe may Ly", "Hộ kinh doanh Sửa xe máy Ly"),
        ("HỘ KINH DOANH TIỆM BANH THỊ LIÊN", "HỘ KINH DOANH TIỆM BÁNH THỊ LIÊN"),
        # abbreviations keep their full stop; a word that merely folds like a unit is kept
        ("Số 12, P.5, Q.3, Tp.Hồ Chí Minh", "Số 12, P.5, Q.3, Tp.Hồ Chí Minh"),
        ("Bệnh viện Quân y 103, quận Hà Đông", "Bệnh viện Quân y 103, quận Hà Đông"),
        # a comma whose space OCR lost; a decimal comma keeps its digits together
        ("Số 17, ngõ 102,đường Trần Hưng Đạo", "Số 17, ngõ 102, đường Trần Hưng Đạo"),
        ("Số 12,5 đường Lê Lợi", "Số 12,5 đường Lê Lợi"),
        # a marked word in capitals amid title case is a case misread; capitals elsewhere stay
        ("ấp 3, xã MỸ Đức, tỉnh Cao Bằng", "ấp 3, xã Mỹ Đức, tỉnh Cao Bằng"),
        ("HỘ KINH DOANH TIỆM MAY", "HỘ KINH DOANH TIỆM MAY"),
        ("UBND phường Láng, TP. Hồ Chí Minh", "UBND phường Láng, TP. Hồ Chí Minh"),
    ],
)
def test_text_read_off_dots_and_misspelt_vocabulary(raw: str, expected: str) -> None:
    assert normalize("text", raw).value == expected


def test_an_address_that_does_not_end_with_its_province_is_unfinished() -> None:
    """An address cut short by OCR or by a wrapped line not joined ends below its commune or
    in the middle of a province's name; a business's name holds no unit of address."""
    from ocr.normalize import unfinished_address

    assert unfinished_address("Số 260/2, ngõ 18, phố Hào Nam") == "phố Hào Nam"
    assert unfinished_address("xóm Mới, xã Bình Chánh, thành phố Hà") == "thành phố Hà"
    assert unfinished_address("thôn Đông") == "thôn Đông"
    assert unfinished_address("thôn Đông, xã Phú Xuân, quận Ba Đình, thành phố Huế") is None
    assert unfinished_address("Số 12, phố Huế, Hà Nội") is None
    assert unfinished_address("phường 5, quận 3, TP.HCM") is None
    assert unfinished_address("Bệnh viện Phụ sản xã Hòa Phú, tỉnh Quảng Bình") is None
    assert unfinished_address("Hộ kinh doanh Quán cơm Thành Thưởng") is None
    # another line's label and date run into a commune's name: no end of an address
    cut = "khu phố 2, xã Cẩm trị đến: 06 112026"
    assert unfinished_address(cut) == "xã Cẩm trị đến: 06 112026"
    assert unfinished_address("tổ 12, phường 12, quận Gò Vấp, thành phố Hồ Chí Minh") is None
    assert unfinished_address("thôn Thượng, thị trấn Đông Anh, tỉnh Cao") == "tỉnh Cao"
    # a site on a form sent to its own commune, a provincial city: complete
    assert unfinished_address("thôn Thượng, xã Đông Hưng") is None
    assert unfinished_address("phường Lê Lợi, thành phố Vinh") is None


def test_an_address_whose_start_ocr_damaged_is_named() -> None:
    """A bare number where a unit and its number stand ("ấp 3" read "3") or a house number
    in two numbers (the "/" of "227/36" lost) is shown to the officer; whole addresses and a
    street after its house number are not."""
    from ocr.normalize import damaged_address_start, mend_split_house_number

    assert damaged_address_start("3, xã Cẩm Giàng, tỉnh Thái Nguyên") == "3"
    assert damaged_address_start("Số 227 36, đường Lê Lợi, phường Hạ Long") == "Số 227 36"
    assert damaged_address_start("ấp 3, xã Cẩm Giàng, tỉnh Thái Nguyên") is None
    assert damaged_address_start("Số 227/36, đường Lê Lợi, phường Hạ Long") is None
    assert damaged_address_start("12 Lê Lợi, phường Bến Nghé, quận 1") is None
    assert damaged_address_start("xóm 5, thôn 2, xã Yên Sơn") is None
    assert mend_split_house_number("Số 227 36, đường Lê Lợi") == "Số 227/36, đường Lê Lợi"
    assert mend_split_house_number("Số 12, đường 3 Tháng 2") == "Số 12, đường 3 Tháng 2"
    assert damaged_address_start("Bệnh viện Phụ sản Hà Nội") is None


def test_a_number_whose_decimal_comma_ocr_read_as_a_space_fails() -> None:
    """ "242 29 m2" was 242,29 or 24.229 or 242.29: a space parting a group that is not three
    long stands for a lost separator, and no value is guessed; "1 234,5" groups by three."""
    from ocr.normalize import normalize_number

    assert not normalize_number("242 29 m2").ok
    assert "space" in (normalize_number("242 29 m2").reason or "")
    assert normalize_number("1 234,5").value == "1234.5"
    assert normalize_number("242,29 m2").value == "242.29"


def test_a_name_that_does_not_start_with_a_family_name_is_named() -> None:
    """OCR that lost a name's first word leaves a name without its family name ("TIẾN PHÚC"
    for "TẠ TIẾN PHÚC"); family names of every spelling, accents lost or not, and the
    minorities' commonest ("Y", "Lò", "Thạch") are names' first words."""
    from ocr.normalize import unlisted_family_name

    assert unlisted_family_name("TIẾN PHÚC") == "TIẾN"
    assert unlisted_family_name("Trọng Việt") == "Trọng"
    for name in ("TẠ TIẾN PHÚC", "NGUYEN VAN AN", "Mai Anh Thư", "Y Bih Niê", "Lò Văn Páo"):
        assert unlisted_family_name(name) is None, name
    assert unlisted_family_name("Thạch Sô Phi") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # a mark swapped into another syllable: "Yên Thể" is no unit, "Yên Thế" is
        ("thôn Đông, huyện Yên Thể, tỉnh Bắc Giang", "thôn Đông, huyện Yên Thế, tỉnh Bắc Giang"),
        ("Số 3, phường Hai Chau, thành phố Đà Nẵng", "Số 3, phường Hải Châu, thành phố Đà Nẵng"),
        # the unit's level decides: "Bình Thanh" is a commune, the district is "Bình Thạnh"
        ("quận Bình Thanh, thành phố Hồ Chí Minh", "quận Bình Thạnh, thành phố Hồ Chí Minh"),
        ("xã Bình Thanh, tỉnh Long An", "xã Bình Thanh, tỉnh Long An"),
        # two listed spellings of the letters ("Hòa Cường", "Hòa Cuông"): left as printed
        ("phường Hoa Cường, thành phố Đà Nẵng", "phường Hoa Cường, thành phố Đà Nẵng"),
        # a unit with a number, a name no list holds: as printed
        ("quận 3, thành phố Hồ Chí Minh", "quận 3, thành phố Hồ Chí Minh"),
        ("xã Zzyzx Qwerty, tỉnh Lào Cai", "xã Zzyzx Qwerty, tỉnh Lào Cai"),
    ],
)
def test_place_names_get_back_the_marks_the_list_of_units_prints(raw: str, expected: str) -> None:
    assert normalize("text", raw).value == expected


def test_a_place_spelt_as_no_unit_is_named_for_review() -> None:
    from ocr.normalize import marks_lost_in_address

    assert "phường Hoa Cường" in marks_lost_in_address("phường Hoa Cường, thành phố Đà Nẵng")
    assert "huyện Yên Thể" in marks_lost_in_address("huyện Yên Thể, tỉnh Bắc Giang")
    assert marks_lost_in_address("phường Hòa Cường, thành phố Đà Nẵng") == []


def test_a_text_names_a_place_as_an_address_does_and_a_label_does_not() -> None:
    from ocr.normalize import names_a_place

    assert names_a_place("Thường Kiệt, phường Đông Hải, huyện Yên Thế")
    assert names_a_place("quận 3")
    assert names_a_place("Lập, tỉnh")  # an address's next line: a name's end, then a unit
    labels = ("Xã/phường", "Tỉnh, thành phố", "Tên xã phường", "Nơi cư trú", "Xã, phường")
    for label in (*labels, "Số nhà, đường phố", "Họ, tên"):
        assert not names_a_place(label)


def test_an_identity_number_opened_by_no_province_code_goes_to_review() -> None:
    """ "088..." (Quảng Nam is 049, An Giang 089): no province registers births under 088."""
    result = normalize("id_number", "088070156347")
    assert not result.ok and result.value == "088070156347"
    assert "no province code" in (result.reason or "")
    assert normalize("id_number", "083070156547").ok
    assert normalize("id_number", "123456789").ok  # an old 9-digit CMND has no such code


def test_an_identity_number_encodes_the_century_sex_and_year_of_birth() -> None:
    from ocr.normalize import identity_number_doubt

    assert identity_number_doubt("042092220154", "1992-01-02", "Nam") is None
    assert identity_number_doubt("042392220154", "2092-01-02", "Nữ") is None
    assert "born in 1992" in (identity_number_doubt("042092220154", "1993-01-02") or "")
    assert "a man" in (identity_number_doubt("042092220154", None, "Nữ") or "")
    assert "a woman" in (identity_number_doubt("001305012345", "2005-01-01", "Nam") or "")


def test_a_date_whose_day_and_month_ran_together_is_read_and_reviewed() -> None:
    """ "0411 1984": OCR lost the separator between day and month; the one reading is given,
    never as sure."""
    from ocr.normalize import normalize_date

    result = normalize_date("0411 1984")
    assert (result.value, result.ok) == ("1984-11-04", False)
    assert "run together" in (result.reason or "")
    assert not normalize_date("1984 2025").ok


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("07 giờ 15 phút, ngày 03/1 1/2025.", "2025-11-03"),  # was 2025-01-01, sure
        ("1 2/11/2025", "2025-11-12"),  # was 2025-11-02, sure
        ("25-0 4-1990", "1990-04-25"),
        ("12/05/202 5", "2025-05-12"),  # was no date
        ("12/05/20 25", "2025-05-12"),  # was "two-digit year"
    ],
)
def test_a_day_or_month_split_at_a_space_is_joined_and_reviewed(raw: str, expected: str) -> None:
    """OCR split a day, month or year in two at a space: its digits belong together (not a day
    and a month of their own); the date is given for review. A space between parts is no
    split."""
    from ocr.normalize import normalize_date

    result = normalize_date(raw)
    assert (result.value, result.ok) == (expected, False)
    assert "a space inside a number of the date" in (result.reason or "")
    assert normalize_date("2 03/11/2025").value == "2025-11-03"
    assert normalize_date("12 05 2025").ok


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("28 041978", "1978-04-28"),  # "28/04/1978" with both separators lost
        ("1711982", "1982-01-17"),  # 1/71 is no month: one reading
        ("148 2024", "2024-08-14"),
        ("08 giờ 30 phút, ngày 942025", "2025-04-09"),
    ],
)
def test_a_date_whose_separators_were_lost_is_read_when_one_reading_fits(
    raw: str, expected: str
) -> None:
    """OCR lost a date's separators; where one split of its digits into day and month makes a
    date, that date is given, never as sure. Two readings give none."""
    from ocr.normalize import normalize_date

    result = normalize_date(raw)
    assert (result.value, result.ok) == (expected, False)
    assert "separators were lost" in (result.reason or "")
    both = normalize_date("1042024")  # 1 April or 10 April
    assert both.value is None and "2024-04-01 or 2024-04-10" in (both.reason or "")
    # the space OCR kept between day and month says where the day ends: not the 3rd
    assert normalize_date("30 42025").value == "2025-04-30"
    # words part day and month: no separator was lost, whatever OCR dropped ("(7")
    assert normalize_date("ngày 18 tháng (7 năm 2024").value is None


@pytest.mark.parametrize(
    ("raw", "names_only", "expected"),
    [
        ("QUÁCH DUYNGHĨA", True, "QUÁCH DUY NGHĨA"),  # not "DU Y NGHĨA": the fewest parts
        ("Lâm Quang ViệtHưng", True, "Lâm Quang Việt Hưng"),
        ("HỘ KINHDOANHCỬA HÀNG ANHTOÀN", False, "HỘ KINH DOANH CỬA HÀNG ANH TOÀN"),
        ("phường Ô Chợ Dita", False, "phường Ô Chợ Dita"),  # short: a misread, not two words
        ("TẠ MINITSON", True, "TẠ MINITSON"),  # no cut makes names
        ("Nguyễn Văn An", True, "Nguyễn Văn An"),
    ],
)
def test_words_ocr_glued_together_are_cut_where_one_cut_makes_syllables(
    raw: str, names_only: bool, expected: str
) -> None:
    from ocr.normalize import split_glued_words

    assert split_glued_words(raw, names_only=names_only) == expected


def test_a_stray_mark_after_a_number_is_read_and_reported() -> None:
    """ "74+", "12\"": a speck or a digit OCR could not read after the number; the number is
    given, with a reason, so that the field goes to review."""
    from ocr.normalize import normalize_integer, normalize_number

    for normalizer in (normalize_integer, normalize_number):
        result = normalizer("74+")
        assert (result.value, result.ok) == ("74", True)
        assert "'+'" in (result.reason or "")
        assert normalizer('12"').value == "12"
        assert normalizer("74").reason is None
        assert not normalizer("+").ok
        # a parenthesis that closes nothing is a speck too; "(70)" is no value
        assert (normalizer("70)").value, "')'" in (normalizer("70)").reason or "")) == ("70", True)
        assert not normalizer("(70)").ok
    # "435,7m²" read "435,70?": the ² a "?", the m a digit; the number, for review
    result = normalize_number("435,70?")
    assert (result.value, result.ok) == ("435.7", True) and "'?'" in (result.reason or "")
    assert normalize_number("435,7 m?").reason is None


def test_an_address_cut_at_a_street_named_after_a_province_is_unfinished() -> None:
    """ "Số 87, phố Huế": the street bears a province's name, and the address was cut after
    it; "..., thành phố Huế" ends at the province."""
    from ocr.normalize import unfinished_address

    assert unfinished_address("Số 87, phố Huế") == "phố Huế"
    assert unfinished_address("Số 3, đường Lào Cai") == "đường Lào Cai"
    assert unfinished_address("Số 1, đường Lê Lợi, thành phố Huế") is None


def test_a_word_whose_marks_no_vietnamese_syllable_combines_is_named() -> None:
    """ "Hưệ" (for "Huệ"), "THẤI" (for "THÁI"), two tone marks: OCR misread a mark. Real words,
    whatever their vowels ("Khuya", "Thuở", "Người", "Quyết", "Giữa"), abbreviations with "Đ"
    and words without marks are not named."""
    from ocr.normalize import impossible_syllables

    assert impossible_syllables("đường Nguyễn Hưệ, THẤI VĂN, Thắngấ") == ["Hưệ", "THẤI", "Thắngấ"]
    words = "Khuya Thuở Người Quyết Giữa Ngoằn Khuyến Hoà Hòa Giấy Quý Nghiêng VNĐ QSDĐ Huong"
    assert impossible_syllables(words) == []


def test_a_name_ending_with_a_middle_name_is_read_and_reported() -> None:
    """ "ÔNG THỊ": "Thị" and "Văn" stand in the middle of a name, so its given name was lost
    (OCR, a wrapped line); "Vân", "Thi" are given names."""
    from ocr.normalize import normalize_name

    for cut in ("ÔNG THỊ", "Nguyễn Văn"):
        result = normalize_name(cut)
        assert result.ok and "middle name" in (result.reason or "")
    for whole in ("Trần Thị Vân", "Nguyễn Thị Thi", "Lê Văn An"):
        assert normalize_name(whole).reason is None


def test_a_final_y_read_as_v_in_a_listed_phrase_is_mended() -> None:
    """No Vietnamese syllable ends in "v": "xâv dựng" is "xây dựng" with its "y" misread, spelt
    as the gazetteer's phrase; the word stays one the field flags (``misspelt_in_text``)."""
    from ocr.normalize import misspelt_in_text

    raw = "Hộ kinh doanh Cửa hàng vật liệu xâv dựng Kim Giang"
    assert normalize("text", raw).value == "Hộ kinh doanh Cửa hàng vật liệu xây dựng Kim Giang"
    assert misspelt_in_text(raw)


@pytest.mark.parametrize(
    ("read", "street"),
    [
        ("Số 109, đường Diện Biên Phủ, phường Hoàn Kiếm", "đường Điện Biên Phủ"),
        ("Số 13/6, phố Tôn Đức Thang, quận Đống Đa", "phố Tôn Đức Thắng"),
        ("Số 99, đường Cách Mạng Thang Tam, thị trấn Phố Lu", "đường Cách Mạng Tháng Tám"),
        ("khu phố Mới, xã Yên Thế, tỉnh Nghệ An", "khu phố Mới"),  # no street: as read
        ("Số 5, đường Hòa Bình, tỉnh Nghệ An", "đường Hòa Bình"),  # unlisted: as read
    ],
)
def test_a_nationally_known_street_gets_its_marks_back(read: str, street: str) -> None:
    """Streets named after the nation's heroes and events are in every city; OCR drops their
    marks as any word's. A street the gazetteer does not list is left as read."""
    assert street in (normalize("text", read).value or "")


def test_a_capital_a_read_as_dot_v_is_mended_in_words_in_capitals() -> None:
    """Tesseract reads a capital "A" as ".V" or ".\\" ("HỘ KINH DO.VNH", "SỬ.V"); mended only
    where the word then spells a syllable ("TP.VINH" is an abbreviation and its town)."""
    assert normalize("text", "HỘ KINH DO.VNH SỬ.V XE").value == "HỘ KINH DOANH SỬA XE"
    assert normalize("text", "CỬ.\\ HÀNG").value == "CỬA HÀNG"
    assert normalize("text", "TP.VINH").value == "TP.VINH"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("bản Nà Phặc, vã Hòa Phú, tỉnh Đồng Tháp", "bản Nà Phặc, xã Hòa Phú, tỉnh Đồng Tháp"),
        ("som Mới, xã Mỹ Đức, quận 3", "xóm Mới, xã Mỹ Đức, quận 3"),
        (
            "thị trấn Phố Lu, luyện Đông Anh, tỉnh Vĩnh Long",
            "thị trấn Phố Lu, huyện Đông Anh, tỉnh Vĩnh Long",
        ),
        # a word that opens a clause, a unit before a lower-case word, no address: as read
        ("xã Mỹ Đức, và Nam Định", "xã Mỹ Đức, và Nam Định"),
        ("thôn Đông, vã mồ hôi", "thôn Đông, vã mồ hôi"),
        ("Hộ kinh doanh vã Mỹ", "Hộ kinh doanh vã Mỹ"),
    ],
)
def test_a_unit_ocr_misread_by_one_letter_is_repaired(raw: str, expected: str) -> None:
    """Tesseract reads the small print of a card's "xã" as "vã", "huyện" as "luyện": a word
    opening a part of an address, before a name, one letter off exactly one unit, is it."""
    assert normalize("text", raw).value == expected


@pytest.mark.parametrize(
    ("raw", "expected", "doubt"),
    [
        ("116 kinh doanh Cửa hàng vật liệu", "Hộ kinh doanh Cửa hàng vật liệu", "'116'"),
        ("Hộ Kinh doanh Nhà thuốc Nhung", "Hộ kinh doanh Nhà thuốc Nhung", None),
        ("HO KINH DOANH TIỆM BÁNH LIÊN", "HỘ KINH DOANH TIỆM BÁNH LIÊN", None),
        # another opening (a label read for the value), nothing after it: as read, in doubt
        ("Cửa hàng Minh Anh", "Cửa hàng Minh Anh", "does not open with 'Hộ kinh doanh'"),
        ("Hộ kinh doanh", "Hộ kinh doanh", "nothing after 'Hộ kinh doanh'"),
    ],
)
def test_a_prefix_every_value_opens_with_is_given_back(raw: str, expected: str, doubt) -> None:
    from ocr.normalize import restore_prefix

    value, reason = restore_prefix(raw, "Hộ kinh doanh")
    assert value == expected
    assert (reason is None) == (doubt is None)
    if doubt:
        assert doubt in reason


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("thôn Yên Binh, xã Nghĩa Đàn", "thôn Yên Bình, xã Nghĩa Đàn"),
        ("bản Na Phậc, xã Hòa Phú", "bản Nà Phặc, xã Hòa Phú"),
        ("xóm Moi, xã Yên Thế", "xóm Moi, xã Yên Thế"),  # "Mới" names no listed unit: as read
    ],
)
def test_a_hamlet_named_as_a_listed_unit_gets_its_marks_back(raw: str, expected: str) -> None:
    """Hamlets and villages are often named as communes are ("thôn Yên Bình"): a name whose
    letters spell exactly one listed unit's gets that unit's marks."""
    assert normalize("text", raw).value == expected


def test_a_listed_street_read_one_letter_off_is_restored_and_reported() -> None:
    """ "đường Biện Biên Phủ": one letter off "Điện Biên Phủ" and no other listed street, so
    it is that street, and the address goes to review; a short name is left as read."""
    from ocr.normalize import marks_lost_in_address

    raw = "Số 36, đường Biện Biên Phủ, thị trấn Đông Anh, tỉnh Hà Tĩnh"
    assert normalize("text", raw).value == (
        "Số 36, đường Điện Biên Phủ, thị trấn Đông Anh, tỉnh Hà Tĩnh"
    )
    assert "đường Biện Biên Phủ" in marks_lost_in_address(raw)
    assert normalize("text", "Số 3, đường Lê Lan, phường Láng").value == (
        "Số 3, đường Lê Lan, phường Láng"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("07 giờ 15 phút, ngày 12 tháng 7 năm 202-4", "2024-07-12"),
        ("ngày 12 07 202-4", "2024-07-12"),
        ("12/07/2-024", "2024-07-12"),
        ("ngày 20-12-2024", "2024-12-20"),  # day and month: no year split
        ("ngày 20-1 2024", "2024-01-20"),
    ],
)
def test_a_year_with_a_speck_read_as_a_hyphen_inside(raw: str, expected: str) -> None:
    assert normalize("date", raw).value == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("xã Hương Sơn, tỉnh Dak Tak", "xã Hương Sơn, tỉnh Đắk Lắk"),
        ("xã Hòa Phú, tỉnh Vĩnh Leng", "xã Hòa Phú, tỉnh Vĩnh Long"),
        # one letter off "Quảng Nam" and "Quảng Ngãi": which, the list cannot tell
        ("xã Hòa Phú, tỉnh Quảng Nai", "xã Hòa Phú, tỉnh Quảng Nai"),
        # an "H" read as two letters
        ("xã Mỹ Đức, tính Tia Tĩnh", "xã Mỹ Đức, tỉnh Hà Tĩnh"),
        ("xã Mỹ Đức, tỉnh Nam Đinli", "xã Mỹ Đức, tỉnh Nam Định"),
    ],
)
def test_a_province_read_one_letter_off_one_province_is_it(raw: str, expected: str) -> None:
    """The address stays in review (``marks_lost_in_address`` names the province)."""
    from ocr.normalize import marks_lost_in_address

    assert normalize("text", raw).value == expected
    assert marks_lost_in_address(raw)


def test_a_name_word_with_its_stroke_misread_takes_the_listed_spelling() -> None:
    """ "Điệu" is no listed name, "Diệu" is: Tesseract added the stroke. A name the list
    lacks but with real marks ("Tám") is kept as printed."""
    from ocr.normalize import name_with_listed_marks

    assert name_with_listed_marks("Trần Điệu Giang") == "Trần Diệu Giang"
    assert name_with_listed_marks("LÊ VĂN TÁM") == "LÊ VĂN TÁM"


def test_a_colon_inside_an_address_before_a_unit_is_a_comma() -> None:
    raw = "tổ 12, phường Tân Định, huyện Yên Thế: tỉnh Long An"
    assert normalize("text", raw).value == "tổ 12, phường Tân Định, huyện Yên Thế, tỉnh Long An"
    assert normalize("text", "Địa chỉ: xã Yên Thế").value == "Địa chỉ: xã Yên Thế"  # a label's


def test_a_province_with_a_mark_misread_takes_the_listed_spelling() -> None:
    """ "tỉnh Long Án": no province is spelt so, one is "Long An"; the address stays in review.
    The old placement of a mark ("Khánh Hoà") is the same name: nothing to review."""
    from ocr.normalize import marks_lost_in_address

    assert normalize("text", "xã Yên Thế, tỉnh Long Án").value == "xã Yên Thế, tỉnh Long An"
    assert marks_lost_in_address("xã Yên Thế, tỉnh Long Án")
    assert not marks_lost_in_address("xã Yên Thế, tỉnh Khánh Hoà")


def test_a_listed_phrase_read_one_letter_off_is_restored_and_reported() -> None:
    from ocr.normalize import misspelt_in_text

    raw = "tổ din phố số 5, xã Nghĩa Đàn"
    assert normalize("text", raw).value == "tổ dân phố số 5, xã Nghĩa Đàn"
    assert misspelt_in_text(raw) == ["tổ din phố"]


def test_a_place_name_listed_also_with_more_marks_goes_to_review() -> None:
    """ "xã Cẩm Giang" and "xã Cẩm Giàng" are both listed: read without the grave accent, the
    name may have lost it (the mark OCR drops most), so the address is reviewed; read with
    it, it is as printed."""
    from ocr.normalize import marks_lost_in_address

    assert marks_lost_in_address("khu phố 2, xã Cẩm Giang, thành phố Huế") == ["xã Cẩm Giang"]
    assert marks_lost_in_address("khu phố 2, xã Cẩm Giàng, thành phố Huế") == []


def test_a_place_name_read_in_lower_case_takes_the_listed_spelling() -> None:
    """ "xã kiến Xương": a capital OCR read in lower case, given back as the list spells the
    name, the address in review."""
    from ocr.normalize import marks_lost_in_address

    raw = "thôn Yên Bình, xã kiến Xương, tỉnh Quảng Ninh"
    assert normalize("text", raw).value == "thôn Yên Bình, xã Kiến Xương, tỉnh Quảng Ninh"
    assert "xã kiến Xương" in marks_lost_in_address(raw)


def test_a_communes_name_one_letter_off_the_list_is_a_misread() -> None:
    """ "phường Hoàn Riếm": no unit is so named, "Hoàn Kiếm" is: a "K" read as "R". A listed
    name, and one two letters off any, are left alone."""
    assert misread_units("tổ 12, phường Hoàn Riếm, tỉnh Bắc Ninh") == ["phường Hoàn Riếm"]
    assert misread_units("tổ 12, phường Hoàn Kiếm, tỉnh Bắc Ninh") == []
    assert misread_units("thôn Yên Bình, xã Riến Nương, tỉnh Hà Tĩnh") == []


def test_a_communes_name_one_letter_off_several_listed_ones_is_a_misread_too() -> None:
    """ "phường Lân Định": "Tân Định" and "Vân Đình" are listed; which one OCR misread is not
    known, that it misread one is."""
    assert misread_units("thôn Đông, phường Lân Định, thành phố Huế") == ["phường Lân Định"]
