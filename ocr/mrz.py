"""The machine-readable zone of a Vietnamese citizen identity card (ICAO 9303, TD1 format).

The back of a CCCD carries three lines of 30 OCR-B characters::

    IDVNM0790012345079079001234<<5     document number (the ID's last 9 digits), its check
    8503120M4503129VNM<<<<<<<<<<<8     digit, the 12-digit ID; birth date, check, sex, expiry,
    NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<     check, nationality, composite check; name, no marks

The front prints the same facts in 5-point type that scanners blur; the zone is set large
in a typeface made for machines, and its check digits say whether a reading is right. Field
extraction confirms, supplies or corrects the front's values from it (``ocr.fields``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ocr.text import PageText

__all__ = ["MRZ_ELEMENTS", "MachineReadableZone", "MrzReading", "check_digit", "read_mrz"]

#: What a taxonomy field may take from the zone (``mrz:`` in document-types.yaml).
MRZ_ELEMENTS = frozenset({"personal_number", "document_number", "birth_date", "sex", "name"})

#: OCR's readings of the filler '<' (a double chevron for two, a bracket for one).
_FILLERS = str.maketrans({"«": "<<", "‹": "<", "〈": "<", "＜": "<", "≤": "<"})
#: Letters OCR-B digits are misread as, in the positions that can only hold digits.
_DIGITS = str.maketrans({"O": "0", "D": "0", "Q": "0", "I": "1", "L": "1", "Z": "2", "S": "5",
                         "G": "6", "B": "8"})  # fmt: skip
_DIGITISH = r"[0-9ODQILZSGB]"

_LINE1 = re.compile(
    rf"I[DO0]VNM({_DIGITISH}{{9}})({_DIGITISH})(?:({_DIGITISH}{{12}})(?:<<({_DIGITISH}))?)?"
)
_LINE2 = re.compile(
    rf"({_DIGITISH}{{6}})({_DIGITISH})([MF<])({_DIGITISH}{{6}})({_DIGITISH})VNM([A-Z0-9<]{{11}})"
    rf"({_DIGITISH})?"
)
_LINE3 = re.compile(r"^([A-Z]+)<<([A-Z]+(?:<[A-Z]+)*)<*$")


def check_digit(field: str) -> int:
    """ICAO 9303's check digit: weights 7, 3, 1 repeating over the values 0-9 for digits,
    10-35 for A-Z and 0 for the filler '<', modulo 10."""
    total = 0
    for i, char in enumerate(field):
        value = int(char) if char.isdigit() else 0 if char == "<" else ord(char) - ord("A") + 10
        total += value * (7, 3, 1)[i % 3]
    return total % 10


@dataclass(frozen=True, slots=True)
class MrzReading:
    """One element as the zone gives it, normalised like the front's field of that kind."""

    value: str
    raw: str
    #: a check digit (or the composite one) confirms it; the name has none and never is
    verified: bool


@dataclass(frozen=True, slots=True)
class MachineReadableZone:
    """What could be read of a card's zone; an element OCR garbled beyond reading is None."""

    document_number: MrzReading | None = None
    personal_number: MrzReading | None = None
    birth_date: MrzReading | None = None
    sex: MrzReading | None = None
    name: MrzReading | None = None

    def element(self, name: str) -> MrzReading | None:
        if name not in MRZ_ELEMENTS:
            raise KeyError(f"{name!r} is not an element of the machine-readable zone")
        reading: MrzReading | None = getattr(self, name)
        return reading


def _compact(words: list[str]) -> str:
    return "".join(words).translate(_FILLERS).upper()


def _digits(text: str) -> str:
    return text.translate(_DIGITS)


def read_mrz(pages: list[PageText]) -> MachineReadableZone | None:
    """The zone on the document's pages, or None where no line of it can be found."""
    lines = [_compact([w.text for w in line]) for page in pages for line in page.lines()]
    first: re.Match[str] | None = None
    second: re.Match[str] | None = None
    third_index = None
    for i, line in enumerate(lines):
        if first is None and (match := _LINE1.search(line)):
            first = match
        if second is None and (match := _LINE2.search(line)):
            second, third_index = match, i + 1
    if first is None and second is None:
        return None
    found: dict[str, MrzReading] = {}
    composite_ok = first is not None and second is not None and _composite_ok(first, second)
    if first is not None:
        _read_numbers(first, composite_ok, found)
    if second is not None:
        personal = found.get("personal_number")
        _read_birth_and_sex(second, personal.value if personal else None, composite_ok, found)
    if third_index is not None and third_index < len(lines):
        name = _LINE3.match(lines[third_index])
        if name:
            given = name.group(2).replace("<", " ")
            found["name"] = MrzReading(f"{name.group(1)} {given}", lines[third_index], False)
    return MachineReadableZone(**found)


def _composite_ok(line1: re.Match[str], line2: re.Match[str]) -> bool:
    """Line 2's last digit checks line 1 from the document number on and line 2's dates,
    check digits and optional data: it confirms the 12-digit ID, which has no check of its
    own. False where a covered part was not read."""
    if None in (line1.group(3), line1.group(4), line2.group(7)):
        return False
    covered = line1.group(1) + line1.group(2) + line1.group(3) + "<<" + line1.group(4)
    covered += line2.group(1) + line2.group(2) + line2.group(4) + line2.group(5)
    covered = _digits(covered) + line2.group(6)
    return check_digit(covered) == int(_digits(line2.group(7)))


def _read_numbers(line1: re.Match[str], composite_ok: bool, found: dict[str, MrzReading]) -> None:
    number, check = _digits(line1.group(1)), _digits(line1.group(2))
    number_ok = check_digit(number) == int(check)
    if number_ok:
        found["document_number"] = MrzReading(number, line1.group(0), True)
    if line1.group(3) is None:
        return
    personal = _digits(line1.group(3))
    # the ID's last nine digits are the document number: a check digit covers them, the
    # composite check digit the whole line
    verified = composite_ok or (number_ok and personal[3:] == number)
    if verified or personal[3:] == number:
        found["personal_number"] = MrzReading(personal, line1.group(0), verified)


def _read_birth_and_sex(
    line2: re.Match[str],
    personal_number: str | None,
    composite_ok: bool,
    found: dict[str, MrzReading],
) -> None:
    birth, birth_check = _digits(line2.group(1)), _digits(line2.group(2))
    expiry, expiry_check = _digits(line2.group(4)), _digits(line2.group(5))
    birth_ok = check_digit(birth) == int(birth_check)
    expiry_ok = check_digit(expiry) == int(expiry_check)
    century = _century(personal_number, birth)
    try:
        born = dt.date(century + int(birth[:2]), int(birth[2:4]), int(birth[4:]))
    except ValueError:
        born = None
    if born is not None:
        verified = (birth_ok or composite_ok) and personal_number is not None
        found["birth_date"] = MrzReading(born.isoformat(), line2.group(0), verified)
    sex = {"M": "Nam", "F": "Nữ"}.get(line2.group(3))
    if sex is not None:
        # the sex has no check digit of its own: trust it when both dates around it check out
        verified = composite_ok or (birth_ok and expiry_ok)
        found["sex"] = MrzReading(sex, line2.group(0), verified)


def _century(personal_number: str | None, birth: str) -> int:
    """The century of birth: the ID's fourth digit tells it (0/1: 1900s, 2/3: 2000s, ...);
    without the ID, the latest century that puts the birth in the past."""
    if personal_number is not None:
        return 1900 + 100 * (int(personal_number[3]) // 2)
    return 2000 if 2000 + int(birth[:2]) <= dt.date.today().year else 1900
