"""The identity card's machine-readable zone: reading it, and what it does to the card's fields."""

from __future__ import annotations

import pytest

from ocr.fields import extract_fields
from ocr.mrz import check_digit, read_mrz
from ocr.taxonomy import Taxonomy
from ocr.text import PageText
from tests.fixtures_classify import page_from_lines

ID = "001195012345"  # born 1995 (fourth digit 1: a woman of the 1900s)


def _zone(
    number: str = ID,
    birth: str = "950512",
    sex: str = "F",
    expiry: str = "350512",
    name: str = "NGUYEN<<THI<LAN",
    birth_check: int | None = None,
) -> list[str]:
    """The three TD1 lines of a card, with true check digits; ``birth_check`` replaces the
    birth date's as OCR would misread it, after the composite check digit was made."""
    line1 = f"IDVNM{number[3:]}{check_digit(number[3:])}{number}<<{check_digit(number)}"
    line2 = f"{birth}{check_digit(birth)}{sex}{expiry}{check_digit(expiry)}VNM<<<<<<<<<<<"
    covered = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    line2 += str(check_digit(covered))
    if birth_check is not None:
        line2 = line2[:6] + str(birth_check) + line2[7:]
    return [line1, line2, (name + "<" * 30)[:30]]


def _card(front: list[str], zone: list[str], **page: object) -> list[PageText]:
    return [page_from_lines(["CĂN CƯỚC CÔNG DÂN", *front, "", *zone], **page)]  # type: ignore[arg-type]


FRONT = [
    f"Số / No.: {ID}",
    "Họ và tên / Full name:",
    "NGUYỄN THỊ LAN",
    "Ngày sinh / Date of birth: 12/05/1995",
    "Giới tính / Sex: Nữ",
]


def test_check_digits_are_icao_9303s() -> None:
    """The worked examples of ICAO Doc 9303 part 3: a document number with a letter, a birth
    date and an expiry date."""
    assert check_digit("L898902C3") == 6
    assert check_digit("740812") == 2
    assert check_digit("120415") == 9
    assert check_digit("<<<") == 0


def test_a_clean_zone_reads_whole_and_verified() -> None:
    zone = read_mrz(_card([], _zone()))
    assert zone is not None
    assert zone.personal_number and zone.personal_number.value == ID
    assert zone.personal_number.verified
    assert zone.document_number and zone.document_number.value == ID[3:]
    assert zone.birth_date and zone.birth_date.value == "1995-05-12" and zone.birth_date.verified
    assert zone.sex and zone.sex.value == "Nữ" and zone.sex.verified
    assert zone.name and zone.name.value == "NGUYEN THI LAN" and not zone.name.verified


def test_the_century_of_birth_comes_from_the_identity_number() -> None:
    """'05' is 2005 for an ID whose fourth digit is 2 or 3 and 1905 for 0 or 1."""
    young = "001305012345"
    zone = read_mrz(_card([], _zone(number=young, birth="050101", expiry="300101")))
    assert zone and zone.birth_date and zone.birth_date.value == "2005-01-01"
    old = "001005012345"
    zone = read_mrz(_card([], _zone(number=old, birth="050101", sex="M")))
    assert zone and zone.birth_date and zone.birth_date.value == "1905-01-01"


def test_ocr_slips_in_the_zone_are_read_through() -> None:
    """Spaces Tesseract puts inside the run, '«' for a double filler and O for 0 in a place that
    holds only digits: the check digits still vouch for the result."""
    line1, line2, line3 = _zone()
    noisy = [
        line1[:14].replace("0", "O") + " " + line1[14:].replace("<<", "«"),
        line2[:7] + " " + line2[7:],
        line3.replace("<<", "«", 1),
    ]
    zone = read_mrz(_card([], noisy))
    assert zone and zone.personal_number and zone.personal_number.value == ID
    assert zone.personal_number.verified
    assert zone.birth_date and zone.birth_date.verified
    assert zone.name and zone.name.value == "NGUYEN THI LAN"


def test_a_wrong_check_digit_leaves_the_reading_unverified() -> None:
    zone = read_mrz(_card([], _zone(birth_check=(check_digit("950512") + 1) % 10)))
    assert zone and zone.birth_date and not zone.birth_date.verified
    assert zone.sex and not zone.sex.verified  # neither the birth check nor the composite hold


def test_a_page_without_a_zone_reads_none() -> None:
    assert read_mrz(_card(FRONT, [])) is None


def test_the_zone_supplies_what_the_front_lost(taxonomy: Taxonomy) -> None:
    """A sex OCR garbled ('N4') and a birth date it cut are read from the zone, confirmed by
    its check digits: nothing to review."""
    front = [FRONT[0], *FRONT[1:3], "Ngày sinh / Date of birth: 12/0", "Giới tính / Sex: N4"]
    fields = extract_fields("id_card_copy", _card(front, _zone()), taxonomy)
    assert (fields["gender"].value, fields["gender"].needs_review) == ("Nữ", False)
    assert (fields["birth_date"].value, fields["birth_date"].needs_review) == ("1995-05-12", False)


def test_a_front_the_zone_contradicts_takes_the_zone_for_review(taxonomy: Taxonomy) -> None:
    front = [*FRONT[:3], "Ngày sinh / Date of birth: 12/06/1995", FRONT[4]]
    field = extract_fields("id_card_copy", _card(front, _zone()), taxonomy)["birth_date"]
    assert field.value == "1995-05-12"
    assert field.needs_review and "1995-06-12" in (field.reason or "")


def test_a_reading_the_zone_confirms_needs_no_review(taxonomy: Taxonomy) -> None:
    """An identity number OCR was unsure of, that the zone's check digits confirm."""
    pages = _card(FRONT, [], low={ID: 30.0})
    assert extract_fields("id_card_copy", pages, taxonomy)["id_number"].needs_review
    field = extract_fields("id_card_copy", _card(FRONT, _zone(), low={ID: 30.0}), taxonomy)
    assert field["id_number"].value == ID and not field["id_number"].needs_review


def test_an_unverified_zone_doubts_but_does_not_overrule(taxonomy: Taxonomy) -> None:
    zone = _zone(birth="950612", birth_check=(check_digit("950612") + 1) % 10)
    field = extract_fields("id_card_copy", _card(FRONT, zone), taxonomy)["birth_date"]
    assert field.value == "1995-05-12" and field.needs_review


@pytest.mark.parametrize(
    ("printed", "review"),
    [("NGUYỄN THỊ LAN", False), ("Nguyễn Thị Lan", False), ("NGUYỄN THỊ LAM", True)],
)
def test_the_zone_checks_a_names_letters_not_its_marks(
    printed: str, review: bool, taxonomy: Taxonomy
) -> None:
    front = [*FRONT[:2], printed, *FRONT[3:]]
    field = extract_fields("id_card_copy", _card(front, _zone()), taxonomy)["full_name"]
    assert field.value == printed and field.needs_review == review


def test_a_name_the_front_lost_comes_from_the_zone_for_review(taxonomy: Taxonomy) -> None:
    front = [FRONT[0], *FRONT[3:]]
    field = extract_fields("id_card_copy", _card(front, _zone()), taxonomy)["full_name"]
    assert field.value is not None and field.value.upper().startswith("NGUY")
    assert field.needs_review and "prints no marks" in (field.reason or "")


def test_a_garbled_name_takes_the_zones_letters_and_the_fronts_marks(taxonomy: Taxonomy) -> None:
    """OCR read "LAN" as "LXN" on the front: the zone's letters, with the marks the front
    printed on the words it read right, for review."""
    front = [*FRONT[:2], "NGUYỄN THỊ LXN", *FRONT[3:]]
    field = extract_fields("id_card_copy", _card(front, _zone()), taxonomy)["full_name"]
    assert field.value == "NGUYỄN THỊ LAN"
    assert field.needs_review and "machine-readable zone" in (field.reason or "")


def test_a_zone_name_that_spells_no_name_is_the_zone_misread(taxonomy: Taxonomy) -> None:
    """'THT': the zone's "I" read as "T"; the front's name stands, unflagged."""
    zone = _zone(name="NGUYEN<<THT<LAN")
    field = extract_fields("id_card_copy", _card(FRONT, zone), taxonomy)["full_name"]
    assert field.value == "NGUYỄN THỊ LAN" and not field.needs_review
