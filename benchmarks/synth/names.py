"""Realistic Vietnamese values for synthetic forms: people, places, numbers, dates, codes.

Every generator returns a :class:`Value`: the string as a form would print it and the same value
normalised the way the taxonomy (``document-types.yaml``) reports it, so ground truth never has to
be re-derived from the picture.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Value:
    """A field as printed on the page and as the product must report it."""

    printed: str
    normalised: str


def nfc(text: str) -> str:
    """NFC with single spaces: the text normalisation every truth string goes through."""
    return " ".join(unicodedata.normalize("NFC", text).split())


SURNAMES = (
    "Nguyễn",
    "Nguyễn",
    "Nguyễn",
    "Trần",
    "Trần",
    "Lê",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trương",
    "Lâm",
    "Mai",
    "Tạ",
    "Cao",
    "Lương",
    "Trịnh",
    "Đoàn",
    "Hà",
    "Phùng",
    "Quách",
    "Kiều",
    "Thái",
    "Âu",
    "Ông",
)
MIDDLE_MALE = (
    "Văn",
    "Văn",
    "Hữu",
    "Đức",
    "Minh",
    "Quốc",
    "Thành",
    "Công",
    "Xuân",
    "Đình",
    "Quang",
    "Ngọc",
    "Trọng",
    "Thế",
    "Anh",
    "Tiến",
    "Mạnh",
    "Duy",
)
MIDDLE_FEMALE = (
    "Thị",
    "Thị",
    "Thị",
    "Ngọc",
    "Thu",
    "Thanh",
    "Thùy",
    "Phương",
    "Mỹ",
    "Hồng",
    "Bích",
    "Kim",
    "Diệu",
    "Khánh",
    "Minh",
    "Hoài",
    "Tuyết",
)
GIVEN_MALE = (
    "An",
    "Bảo",
    "Cường",
    "Dũng",
    "Đạt",
    "Định",
    "Đức",
    "Hải",
    "Hiếu",
    "Hoàng",
    "Hùng",
    "Huy",
    "Khánh",
    "Khoa",
    "Kiên",
    "Long",
    "Lộc",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tài",
    "Thắng",
    "Thịnh",
    "Toàn",
    "Trung",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Vũ",
    "Hưng",
    "Lực",
    "Thưởng",
    "Quyết",
    "Khải",
    "Nhật",
    "Thiện",
    "Hậu",
    "Lợi",
)
GIVEN_FEMALE = (
    "An",
    "Anh",
    "Bích",
    "Châu",
    "Chi",
    "Diệp",
    "Dung",
    "Duyên",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hoa",
    "Huyền",
    "Hương",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Nga",
    "Ngân",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phượng",
    "Quỳnh",
    "Thảo",
    "Thủy",
    "Trang",
    "Tuyết",
    "Uyên",
    "Vân",
    "Xuân",
    "Yến",
    "Ánh",
    "Ngát",
    "Nguyệt",
    "Ly",
    "Thư",
    "Trâm",
)
PROVINCES = (  # (name, CCCD place code)
    ("thành phố Hà Nội", "001"),
    ("tỉnh Hà Giang", "002"),
    ("tỉnh Cao Bằng", "004"),
    ("tỉnh Lào Cai", "010"),
    ("tỉnh Thái Nguyên", "019"),
    ("tỉnh Quảng Ninh", "022"),
    ("tỉnh Bắc Ninh", "027"),
    ("thành phố Hải Phòng", "031"),
    ("tỉnh Thái Bình", "034"),
    ("tỉnh Nam Định", "036"),
    ("tỉnh Ninh Bình", "037"),
    ("tỉnh Thanh Hóa", "038"),
    ("tỉnh Nghệ An", "040"),
    ("tỉnh Hà Tĩnh", "042"),
    ("tỉnh Quảng Bình", "044"),
    ("thành phố Huế", "046"),
    ("thành phố Đà Nẵng", "048"),
    ("tỉnh Quảng Nam", "049"),
    ("tỉnh Quảng Ngãi", "051"),
    ("tỉnh Bình Định", "052"),
    ("tỉnh Khánh Hòa", "056"),
    ("tỉnh Đắk Lắk", "066"),
    ("tỉnh Lâm Đồng", "068"),
    ("tỉnh Bình Dương", "074"),
    ("tỉnh Đồng Nai", "075"),
    ("thành phố Hồ Chí Minh", "079"),
    ("tỉnh Long An", "080"),
    ("tỉnh Tiền Giang", "082"),
    ("tỉnh Bến Tre", "083"),
    ("tỉnh Vĩnh Long", "086"),
    ("tỉnh Đồng Tháp", "087"),
    ("tỉnh An Giang", "089"),
    ("thành phố Cần Thơ", "092"),
    ("tỉnh Sóc Trăng", "094"),
    ("tỉnh Cà Mau", "096"),
)
WARDS = (
    "phường Ô Chợ Dừa",
    "phường Láng",
    "phường Hoàn Kiếm",
    "phường Bến Thành",
    "phường Sài Gòn",
    "phường Tân Định",
    "phường Hải Châu",
    "phường Ngô Quyền",
    "phường Quang Trung",
    "phường Trần Phú",
    "phường Hòa Cường",
    "phường Thủ Dầu Một",
    "phường Vĩnh Yên",
    "phường Đông Hải",
    "phường Hạ Long",
    "xã Tân Lập",
    "xã Hòa Phú",
    "xã Đông Hưng",
    "xã Yên Thế",
    "xã Phú Xuân",
    "xã Nghĩa Đàn",
    "xã Thanh Liệt",
    "xã Bình Chánh",
    "xã Cẩm Giàng",
    "xã Mỹ Đức",
    "xã Kiến Xương",
    "xã Hương Sơn",
    "thị trấn Phố Lu",
    "thị trấn Đông Anh",
)
DISTRICTS = (
    "quận Đống Đa",
    "quận Ba Đình",
    "quận Cầu Giấy",
    "quận 1",
    "quận 3",
    "quận Bình Thạnh",
    "quận Hải Châu",
    "quận Ngô Quyền",
    "huyện Đông Anh",
    "huyện Thanh Trì",
    "huyện Bình Chánh",
    "huyện Nghĩa Đàn",
    "thị xã Từ Sơn",
    "thành phố Thủ Đức",
    "huyện Hương Sơn",
    "huyện Yên Thế",
)
STREETS = (
    "đường Lê Lợi",
    "phố Nguyễn Trãi",
    "đường Trần Hưng Đạo",
    "đường 3 Tháng 2",
    "phố Hào Nam",
    "đường Hai Bà Trưng",
    "đường Nguyễn Văn Cừ",
    "phố Tôn Đức Thắng",
    "đường Lý Thường Kiệt",
    "đường Điện Biên Phủ",
    "đường Võ Thị Sáu",
    "phố Huế",
    "đường Quang Trung",
    "đường Phạm Văn Đồng",
    "đường Nguyễn Huệ",
    "phố Đội Cấn",
    "đường Cách Mạng Tháng Tám",
    "đường Hùng Vương",
)
HAMLETS = (
    "thôn Đông",
    "thôn Thượng",
    "xóm Mới",
    "ấp 3",
    "ấp Bình Hòa",
    "tổ dân phố số 5",
    "khu phố 2",
    "thôn Yên Bình",
    "bản Nà Phặc",
    "tổ 12",
)
ETHNICITIES = ("Kinh", "Kinh", "Kinh", "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng")
PROCEDURES = {  # procedure key -> (as printed on the receipt, opening document type)
    "birth_registration": ("Đăng ký khai sinh", "birth_registration"),
    "marriage_registration": ("Đăng ký kết hôn", "marriage_registration"),
    "land_certificate_first_issue": (
        "Đăng ký đất đai, tài sản gắn liền với đất lần đầu",
        "land_certificate_application",
    ),
    "construction_permit_house": (
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "construction_permit_application",
    ),
    "household_business_registration": (
        "Đăng ký thành lập hộ kinh doanh",
        "household_business_registration",
    ),
    "driving_license_exchange": (
        "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp",
        "driving_license_exchange",
    ),
}
WORKING_DAYS = {
    "birth_registration": 0,
    "marriage_registration": 5,
    "land_certificate_first_issue": 23,
    "construction_permit_house": 15,
    "household_business_registration": 3,
    "driving_license_exchange": 5,
}
BUSINESS_KINDS = (
    "Tạp hóa",
    "Cửa hàng điện thoại",
    "Quán cà phê",
    "Tiệm bánh",
    "Sửa xe máy",
    "Cửa hàng vật liệu xây dựng",
    "Quán cơm",
    "Nhà thuốc",
    "Tiệm may",
    "Cửa hàng hoa",
)
LICENSE_CLASSES = ("A1", "A", "B1", "B", "B2", "C1", "C", "D", "D1", "D2", "E", "FC")


@dataclass(frozen=True, slots=True)
class Person:
    """A citizen whose details stay consistent across a dossier's documents."""

    name: str  # as in civil records, title case
    gender: str  # "Nam" | "Nữ"
    birth_date: dt.date
    cccd: str  # 12 digits
    cmnd: str  # 9 digits (old card), kept for forms that still ask for it
    province: str
    address: str


def person(
    rng: random.Random, *, gender: str | None = None, born: tuple[int, int] = (1962, 2003)
) -> Person:
    """A person with a CCCD number that encodes their province, century, gender and birth year."""
    gender = gender or rng.choice(("Nam", "Nữ"))
    male = gender == "Nam"
    surname = rng.choice(SURNAMES)
    middle = rng.choice(MIDDLE_MALE if male else MIDDLE_FEMALE)
    given_pool = GIVEN_MALE if male else GIVEN_FEMALE
    given = rng.choice(given_pool)
    parts = [surname, middle, given]
    if rng.random() < 0.2:  # four-part names: "Nguyễn Thị Minh Châu"
        parts.insert(2, rng.choice([g for g in given_pool if g not in parts]))
    birth = dt.date(rng.randint(*born), rng.randint(1, 12), rng.randint(1, 28))
    province, code = rng.choice(PROVINCES)
    century = 0 if birth.year < 2000 else 2
    cccd = f"{code}{century + (0 if male else 1)}{birth.year % 100:02d}{rng.randrange(10**6):06d}"
    cmnd = f"{rng.randint(1, 38):03d}{rng.randrange(10**6):06d}"
    return Person(
        " ".join(parts),
        gender,
        birth,
        cccd,
        cmnd,
        province,
        address(rng, province=province).printed,
    )


def child(rng: random.Random, parent: Person, born: dt.date) -> Person:
    """A newborn who takes the parent's surname (the usual case)."""
    kid = person(rng, born=(born.year, born.year))
    parts = kid.name.split()
    parts[0] = parent.name.split()[0]
    return Person(
        " ".join(parts), kid.gender, born, kid.cccd, kid.cmnd, parent.province, parent.address
    )


def name_value(p: Person, rng: random.Random, *, upper: float = 0.4) -> Value:
    """Forms print names either in capitals or title case; both are "as printed"."""
    printed = p.name.upper() if rng.random() < upper else p.name
    return Value(printed, nfc(printed))


def address(rng: random.Random, *, province: str | None = None) -> Value:
    """A street or rural address; about half use the post-2025 two-level form (no district)."""
    province = province or rng.choice(PROVINCES)[0]
    ward = rng.choice(WARDS)
    if ward.startswith("xã") or rng.random() < 0.3:
        head = f"{rng.choice(HAMLETS)}"
    else:
        number = f"{rng.randint(1, 300)}" + (f"/{rng.randint(2, 40)}" if rng.random() < 0.2 else "")
        lane = f", ngõ {rng.randint(2, 200)}" if rng.random() < 0.3 else ""
        head = f"Số {number}{lane}, {rng.choice(STREETS)}"
    parts = [head, ward]
    if rng.random() < 0.5:
        parts.append(rng.choice(DISTRICTS))
    parts.append(province)
    text = ", ".join(parts)
    return Value(text, nfc(text))


def cccd_value(p: Person, rng: random.Random) -> Value:
    """Usually contiguous digits; some forms group them in threes."""
    printed = (
        p.cccd if rng.random() < 0.85 else " ".join(p.cccd[i : i + 3] for i in range(0, 12, 3))
    )
    return Value(printed, p.cccd)


def id_value(p: Person, rng: random.Random, *, cmnd_share: float = 0.15) -> Value:
    """The identity number a form asks for: a CCCD, or for some applicants an old 9-digit CMND."""
    if rng.random() < cmnd_share:
        return Value(p.cmnd, p.cmnd)
    return cccd_value(p, rng)


DATE_STYLES = ("dd/mm/yyyy", "d/m/yyyy", "dd-mm-yyyy", "d-m-yyyy", "dd.mm.yyyy", "words")


def date_value(day: dt.date, rng: random.Random, *, style: str | None = None) -> Value:
    """A date in one of the styles Vietnamese forms use; normalised to ISO 8601."""
    style = style or rng.choices(DATE_STYLES, weights=(5, 2, 1, 2, 1, 2))[0]
    if style == "dd/mm/yyyy":
        printed = f"{day.day:02d}/{day.month:02d}/{day.year}"
    elif style == "d/m/yyyy":
        printed = f"{day.day}/{day.month}/{day.year}"
    elif style == "dd-mm-yyyy":
        printed = f"{day.day:02d}-{day.month:02d}-{day.year}"
    elif style == "d-m-yyyy":
        printed = f"{day.day}-{day.month}-{day.year}"
    elif style == "dd.mm.yyyy":
        printed = f"{day.day:02d}.{day.month:02d}.{day.year}"
    else:
        printed = (
            f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"
            if rng.random() < 0.5
            else f"ngày {day.day} tháng {day.month} năm {day.year}"
        )
    return Value(printed, day.isoformat())


def place_date_line(place: str, day: dt.date) -> str:
    """The italic line above a signature: "Hà Nội, ngày 12 tháng 5 năm 2025"."""
    return f"{place}, ngày {day.day} tháng {day.month} năm {day.year}"


def group_thousands(n: int) -> str:
    """Vietnamese thousands separator is a dot: 50.000.000."""
    return f"{n:,}".replace(",", ".")


def area_value(rng: random.Random, low: float = 40, high: float = 900) -> Value:
    """An area in m² printed with a decimal comma ("120,5 m²") and normalised with a dot."""
    whole = rng.randint(int(low), int(high))
    decimals = rng.choice(("", "", str(rng.randint(1, 9)), f"{rng.randint(1, 99):02d}"))
    if decimals.endswith("0"):
        decimals = decimals[:-1]
    printed_number = group_thousands(whole) + (f",{decimals}" if decimals else "")
    unit = rng.choice((" m²", " m²", " m2", "m²"))
    normalised = str(Decimal(f"{whole}.{decimals}" if decimals else str(whole)).normalize())
    if "E" in normalised:  # Decimal("100").normalize() is 1E+2
        normalised = str(whole)
    return Value(printed_number + unit, normalised)


def integer_value(n: int, rng: random.Random, *, pad: float = 0.0) -> Value:
    """Small integers are sometimes printed zero-padded ("03 tầng"); normalised drops the zero."""
    printed = f"{n:02d}" if rng.random() < pad else str(n)
    return Value(printed, str(n))


_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _three_digits(n: int, full: bool) -> str:
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens > 1:
            words.append("mốt")
        elif units == 5 and tens:
            words.append("lăm")
        else:
            words.append(_DIGITS[units])
    return " ".join(words)


def amount_in_words(n: int) -> str:
    """Vietnamese amount in words, as forms print under a figure: "Năm mươi triệu đồng"."""
    if n == 0:
        return "Không đồng"
    groups: list[int] = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    units = ("", "nghìn", "triệu", "tỷ", "nghìn tỷ")
    words: list[str] = []
    for i in range(len(groups) - 1, -1, -1):
        if groups[i] == 0:
            continue
        words.append(_three_digits(groups[i], full=i < len(groups) - 1))
        if units[i]:
            words.append(units[i])
    text = " ".join(words) + " đồng"
    return text[0].upper() + text[1:]


def money_value(rng: random.Random) -> Value:
    """Capital in đồng: "50.000.000 đồng", normalised to plain digits."""
    n = rng.choice((10, 20, 30, 50, 80, 100, 150, 200, 300, 500, 1200)) * 1_000_000
    if rng.random() < 0.3:
        n += rng.randint(1, 9) * 100_000
    unit = rng.choice((" đồng", " đồng", " VNĐ", " đ"))
    return Value(group_thousands(n) + unit, str(n))


def agency_code(rng: random.Random) -> str:
    """An agency's electronic identifier: four dot-separated groups, the last a letter+2 digits."""
    first = rng.choice(("000", f"G{rng.randint(1, 99):02d}", f"H{rng.randint(1, 99):02d}"))
    return (
        f"{first}.{rng.randint(0, 99):02d}.{rng.randint(0, 99):02d}."
        f"{rng.choice('GHKTX')}{rng.randint(1, 99):02d}"
    )


def dossier_code(rng: random.Random, received: dt.date, *, agency: str | None = None) -> str:
    """AGENCY-YYMMDD-NNNN per the spec, e.g. 000.00.13.H12-250701-0042."""
    agency = agency or agency_code(rng)
    return f"{agency}-{received:%y%m%d}-{rng.randint(1, 9999):04d}"


def add_working_days(day: dt.date, days: int) -> dt.date:
    """Skip Saturdays and Sundays (public holidays are left out of a synthetic calendar)."""
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def working_day(rng: random.Random, *, year: tuple[int, int] = (2024, 2025)) -> dt.date:
    """A random Monday–Friday."""
    while True:
        day = dt.date(rng.randint(*year), rng.randint(1, 12), rng.randint(1, 28))
        if day.weekday() < 5:
            return day


def license_number(rng: random.Random) -> Value:
    """A 12-digit driving licence number (current format)."""
    digits = f"{rng.choice(PROVINCES)[1][1:]}{rng.randrange(10**10):010d}"
    return Value(digits, digits)


def business_name(rng: random.Random, owner: Person) -> Value:
    """ "Hộ kinh doanh Tạp hóa Minh Anh": kind plus the owner's given name(s)."""
    given = " ".join(owner.name.split()[-2:]) if rng.random() < 0.5 else owner.name.split()[-1]
    text = f"Hộ kinh doanh {rng.choice(BUSINESS_KINDS)} {given}"
    if rng.random() < 0.3:
        text = text.upper()
    return Value(text, nfc(text))
