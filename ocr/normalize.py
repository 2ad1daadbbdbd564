"""Validators and normalisers, one per value kind, tolerant of the errors OCR really makes.

Each returns :class:`Normalized`: the canonical value when the raw text is unambiguous, or
``ok=False`` with a reason an officer can act on. A value is never guessed: when the OCR text
could mean two things, the result fails and the field goes to review.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TypeVar

from rapidfuzz.distance import Levenshtein

__all__ = [
    "SPLIT_CAPITAL_A",
    "Normalized",
    "UnknownKindError",
    "amount_from_words",
    "clean_text",
    "fold",
    "foreign_syllables",
    "glued_date_readings",
    "lost_tone_marks",
    "mark_count",
    "marks_lost_in_address",
    "match_key",
    "misread_units",
    "misspelt_in_text",
    "name_with_listed_marks",
    "normalize",
    "one_character_apart",
    "province_missing",
    "restore_place_names",
    "restore_prefix",
    "restore_province",
    "restore_surname",
    "split_glued_words",
    "strip_accents",
    "surname_doubt",
    "tone_mark",
    "unfinished_address",
    "unmarked_name_words",
]


class UnknownKindError(ValueError):
    """The taxonomy names a value kind this module has no normaliser for."""


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalised value (``None`` when it could not be read) and why it failed."""

    value: str | None
    ok: bool
    reason: str | None = None


def _fail(reason: str) -> Normalized:
    return Normalized(None, False, reason)


# --- text helpers shared by classification and extraction ------------------------------

# Tesseract's vie model prints look-alikes of Vietnamese letters: fix them before anything else.
_LOOKALIKES = str.maketrans(
    {
        "Ð": "Đ",  # U+00D0 eth -> U+0110 D with stroke
        "ð": "đ",
        "ǎ": "ă",
        "Ǎ": "Ă",
        "ʼ": "'",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "‐": "-",
        "\u00a0": " ",
    }
)


def clean_text(raw: str) -> str:
    """NFC, look-alike letters fixed, single spaces, stripped of leaders and stray punctuation."""
    text = unicodedata.normalize("NFC", raw.translate(_LOOKALIKES))
    text = re.sub(r"[.…_·]{2,}", " ", text)  # dotted leaders
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" :;,.·-_|*")


@functools.lru_cache(maxsize=1 << 16)
def strip_accents(text: str) -> str:
    """Vietnamese letters without diacritics (đ -> d), case kept. Cached: planning a batch asks
    it of the same words and labels tens of thousands of times."""
    text = text.translate(_LOOKALIKES).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def fold(text: str) -> str:
    """Accent-stripped, casefolded text: what titles, labels and keywords are compared on."""
    return strip_accents(text).casefold()


@functools.lru_cache(maxsize=1 << 16)
def match_key(text: str) -> str:
    """Folded letters and digits only, single spaces: punctuation is what OCR garbles first."""
    return " ".join(re.findall(r"[0-9a-z]+", fold(text)))


# --- digits with OCR confusions --------------------------------------------------------

_DIGIT_LOOKALIKES = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "D": "0",
        "Q": "0",
        "l": "1",
        "I": "1",
        "i": "1",
        "|": "1",
        "!": "1",
        "]": "1",
        "[": "1",
        "S": "5",
        "s": "5",
        "$": "5",
        "B": "8",
        "Z": "2",
        "z": "2",
        "b": "6",
        "G": "6",
        "g": "9",
        "q": "9",
    }
)
_DIGITISH = set("0123456789") | {chr(c) for c in _DIGIT_LOOKALIKES}
_LETTER_FROM_DIGIT = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G"})


def _fix_digits(token: str, *, in_number: bool = False) -> str | None:
    """The token read as digits if every character is a digit or a digit's OCR look-alike.

    A token with no real digit ("sos") is a word, unless it sits inside a number
    (``5O.OOO.OOO``: ``in_number``)."""
    if not token or any(c not in _DIGITISH for c in token):
        return None
    if not in_number and not any(c.isdigit() for c in token) and len(token) > 2:
        return None
    return token.translate(_DIGIT_LOOKALIKES)


# --- dates -----------------------------------------------------------------------------

# "08 giờ 30 phút", "8h30", "8 h": an "h" is the hour only before digits or a break ("tháng 5
# ham 2025" is a misread "năm", not 5 o'clock)
_TIME_OF_DAY = re.compile(
    r"\b\w{1,2}\s*(?:gio|h(?=[\s\d,.;]|$))\s*(?:\w{1,2}\s*(?:phut|p)?)?\b(?=[\s,.;]|$)",
    re.IGNORECASE,
)
_DATE_WORDS = re.compile(
    r"\b(ngay|ngav|nqay|thang|thanq|nam|narn|nain|sinh|date|of|birth)\b", re.IGNORECASE
)


#: A year of this century or the last with a hyphen inside it ("202-4", "2-024"), standing
#: alone (not "20-12-2024": day and month).
_SPLIT_YEAR = re.compile(r"(?<![\d-])((?:19|20)\d)-(\d)(?![\d-])|(?<![\d-])(2)-(0\d\d)(?![\d-])")


def _date_numbers(raw: str) -> list[str]:
    """The numbers of a printed date, its words, time of day and separators left out."""
    text = strip_accents(clean_text(raw))
    # "tháng 12năm 1971": OCR glues a date word to its number
    text = re.sub(r"(?<=\d)(ngay|thang|nam)|(ngay|thang|nam)(?=\d)", r" \1\2 ", text, flags=re.I)
    text = _TIME_OF_DAY.sub(" ", text)  # "08 giờ 30 phút, ngày 12/05/2025"
    # "202-4": a speck read as a hyphen inside the year
    text = _SPLIT_YEAR.sub(lambda m: "".join(g for g in m.groups() if g), text)
    text = _DATE_WORDS.sub(" ", text)
    tokens = [t for t in re.split(r"[\s/.,\-:;]+", text) if t]
    return [fixed for fixed in map(_fix_digits, tokens) if fixed is not None]


def glued_date_readings(raw: str) -> list[str]:
    """The ISO dates a date may be when OCR lost its separators ("28 041978", "1711982",
    "942025"): every split of the digits before the year into a day and a month (leading
    zeros allowed) that makes a date. Several ("1042024": 1 April or 10 April) are told
    apart by what else is known of the date, or not at all. A space OCR kept between day and
    month says where one ends ("30 42025": the 30th of April, not the 3rd)."""
    if re.search(r"\bth[a-z]ng\b", fold(raw)):
        return []  # "ngày 18 tháng (7 năm 2024": words part day and month, none was lost
    numbers = _date_numbers(raw)
    digits = "".join(numbers)
    if not 6 <= len(digits) <= 8 or not re.fullmatch(r"(?:19|20)\d\d", digits[-4:]):
        return []
    head, year = digits[:-4], int(digits[-4:])
    kept = set(itertools.accumulate(len(n) for n in numbers)) & set(range(1, len(head)))
    out = []
    for cut in range(1, len(head)):
        day, month = head[:cut], head[cut:]
        if len(day) > 2 or len(month) > 2 or (kept and cut not in kept):
            continue
        try:
            out.append(date(year, int(month), int(day)).isoformat())
        except ValueError:
            continue
    return out


#: "03/1 1/2025", "1 2/11/2025": a day or month OCR split in two at a space, between the
#: date's separators (or before the first): its digits belong together, as a year's do.
_SPLIT_DATE_PART = re.compile(
    r"(?<=\d[/.\-])(\d) (\d)(?=[/.\-]\d)|(?<![\d/.\-])(\d) (\d)(?=[/.\-]\d{1,2}[/.\-]\d)"
)


#: "12/05/202 5", "12/05/20 25": a year OCR split at a space after the month's separator.
_SPLIT_YEAR_AT_SPACE = re.compile(r"(?<=\d[/.\-])(\d{1,3}) (\d{1,3})(?!\d)")


def _joined_year(match: re.Match[str]) -> str:
    year = match.group(1) + match.group(2)
    return year if len(year) == 4 and year[:2] in ("19", "20") else match.group(0)


def normalize_date(raw: str) -> Normalized:
    """``12/05/2025``, ``12-5-2025``, ``ngày 12 tháng 5 năm 2025`` and OCR noise -> 2025-05-12."""
    joined = _SPLIT_DATE_PART.sub(lambda m: "".join(g for g in m.groups() if g), raw)
    joined = _SPLIT_YEAR_AT_SPACE.sub(_joined_year, joined)
    if joined != raw:
        result = normalize_date(joined)
        if result.value is None:
            return result
        reason = f"{raw!r} read as {result.value}: a space inside a number of the date (OCR)"
        return Normalized(result.value, False, result.reason or reason)
    numbers = _date_numbers(raw)
    if not numbers:
        return _fail(f"no date in {raw!r}")
    if len(numbers) == 1 and len(numbers[0]) == 8:
        numbers = [numbers[0][:2], numbers[0][2:4], numbers[0][4:]]
    glued = len(numbers) == 2 and len(numbers[0]) == 4 and len(numbers[1]) == 4
    if glued:  # "0411 1984": the separator between day and month lost
        numbers = [numbers[0][:2], numbers[0][2:], numbers[1]]
    two_digit_year = False
    for i in range(len(numbers) - 2):
        d, m, y = numbers[i : i + 3]
        if len(d) <= 2 and len(m) <= 2 and len(y) == 4:
            try:
                value = date(int(y), int(m), int(d))
            except ValueError:
                return _fail(f"{raw!r} is not a calendar date (day {d}, month {m}, year {y})")
            if not 1900 <= value.year <= 2100:
                return _fail(f"year {y} in {raw!r} is implausible")
            if glued:
                reason = f"day and month run together in {raw!r}"
                return Normalized(value.isoformat(), False, reason)
            return Normalized(value.isoformat(), True)
        two_digit_year |= len(d) <= 2 and len(m) <= 2 and len(y) == 2
    if two_digit_year:
        return _fail(f"two-digit year in {raw!r}: the century is ambiguous")
    readings = glued_date_readings(raw) if len(numbers) <= 2 else []
    if len(readings) == 1:
        reason = f"{raw!r} read as {readings[0]}: the date's separators were lost (OCR)"
        return Normalized(readings[0], False, reason)
    if readings:
        return _fail(f"the separators of {raw!r} were lost: {' or '.join(readings)}")
    return _fail(f"cannot read day/month/year in {raw!r}")


# --- identity numbers ------------------------------------------------------------------


#: The codes of the 63 provinces of 2008-2025 (the GSO's), which open a 12-digit personal
#: identification number: the province where the birth was registered.
_ID_PROVINCE_CODES = frozenset(
    f"{code:03d}"
    for code in (
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35,
        36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70,
        72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
    )
)  # fmt: skip


def normalize_id_number(raw: str) -> Normalized:
    """12-digit CCCD or 9-digit CMND; spaces, dots and O/0, l/1, I/1, S/5, B/8 fixed. A
    12-digit number whose first three digits are no province's code keeps its digits and goes
    to review (a digit misread: "012..." for "042...")."""
    compact = re.sub(r"[\s.\-]", "", clean_text(raw))
    fixed = _fix_digits(compact)
    if fixed is None:
        return _fail(f"{raw!r} has characters that are not digits")
    if len(fixed) not in (9, 12):
        return _fail(f"{raw!r} has {len(fixed)} digits; an identity number has 12 (or 9)")
    if len(fixed) == 12 and fixed[:3] not in _ID_PROVINCE_CODES:
        return Normalized(fixed, False, f"{fixed[:3]!r}, the start of {fixed}, is no province code")
    return Normalized(fixed, True)


def identity_number_doubt(
    number: str, birth_date: str | None = None, gender: str | None = None
) -> str | None:
    """Why a 12-digit personal identification number cannot be the one of the person born on
    ``birth_date`` (ISO) with ``gender`` ("Nam"/"Nữ") printed beside it: its fourth digit
    gives the century of birth and the sex (0/1: 1900s man/woman, 2/3: 2000s, ...), the next
    two the year (Circular 59/2021/TT-BCA). One side was misread; which cannot be told."""
    if len(number) != 12 or not number.isdigit():
        return None
    century, female = 1900 + 100 * (int(number[3]) // 2), int(number[3]) % 2 == 1
    year = century + int(number[4:6])
    if birth_date and birth_date[:4].isdigit() and int(birth_date[:4]) != year:
        return f"{number} is the number of someone born in {year}, not on {birth_date}"
    if gender in ("Nam", "Nữ") and female != (gender == "Nữ"):
        sex = "a woman" if female else "a man"
        return f"{number} is the number of {sex}, not of someone whose sex is {gender}"
    return None


# --- names and text --------------------------------------------------------------------

_VIETNAMESE_LETTERS = set(
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệfghiìíỉĩịjklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvwxyỳýỷỹỵz"
)


def normalize_name(raw: str) -> Normalized:
    """NFC, single spaces, as printed; digits or symbols inside a name fail."""
    # a name has no punctuation: dots and commas inside are leader dots or specks OCR kept
    text = clean_text(re.sub(r"(?<=\w)[.,](?=\s|\w)|(?<=\s)[.,](?=\s)", " ", raw))
    if not text:
        return _fail("empty name")
    bad = sorted({c for c in text if c not in " -'" and c.lower() not in _VIETNAMESE_LETTERS})
    if bad:
        return _fail(f"name {text!r} contains {''.join(bad)!r}")
    if len(text.split()) < 2:
        return Normalized(text, False, f"name {text!r} has a single word")
    if any(not w[0].isupper() for w in text.replace("-", " ").split() if w[0].isalpha()):
        return Normalized(text, False, f"{text!r} is not capitalised like a name")
    if text.split()[-1].casefold() in _MIDDLE_ONLY:
        # "ÔNG THỊ": "Thị", "Văn" mark a woman's or a man's middle name, never a given name
        reason = f"name {text!r} ends with a middle name: its given name may be lost"
        return Normalized(restore_surname(text), True, reason)
    return Normalized(restore_surname(text), True)


#: Words that stand in the middle of a full name, never at its end.
_MIDDLE_ONLY = frozenset({"thị", "văn"})  # with their marks: "Vân" is a given name


_CHECKED_FINAL = re.compile(r"^[^aeiouy]*[aeiouy]+(?:p|t|c|ch)$")
_SAC_OR_NANG = {"\u0301", "\u0323"}
_HAT_OR_HORN = {"\u0302", "\u031b"}
#: Vowel pairs that never stand bare before a final consonant or a closing u/i: "iê", "yê"
#: ("Tiến", "Yến", "Kiều"), "uô"/"ươ" ("Muốn", "Lương", "Người"), "ưu" ("Lưu"). The group is
#: the letter that must carry a circumflex or a horn.
_HATTED_PAIR = re.compile(r"[iy](e)(?=[nmptcu])|u(o)(?=[nmptcgiu])|(u)u")


def _marks_per_letter(word: str) -> list[set[str]]:
    return [
        {m for m in unicodedata.normalize("NFD", c) if unicodedata.combining(m)}
        for c in unicodedata.normalize("NFC", word)
    ]


def lost_tone_marks(text: str) -> list[str]:
    """Syllables printed without a mark Vietnamese requires, so OCR dropped it:

    - a syllable ending in p, t, c or ch always carries sắc or nặng ("Đức", "Việt", "Ngọc"), so
      "Duc", "Viet", "Ngoc" are what OCR made of them;
    - "ie", "ye" and "uo" before a final consonant, and "uu", always carry a circumflex or a horn
      ("Tiên", "Yến", "Lương", "Lưu"): "TIEN", "RIEU", "LUONG" lost it.

    Other lost marks ("Tran" for "Trần") cannot be told this way."""
    out = []
    for word in re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", text)):
        marks = _marks_per_letter(word)
        bare = strip_accents(word).casefold()
        if len(bare) != len(marks):
            continue
        tone = set().union(*marks)
        if len(bare) >= 2 and _CHECKED_FINAL.match(bare) and not tone & _SAC_OR_NANG:
            out.append(word)
            continue
        for found in _HATTED_PAIR.finditer(bare):
            at = next(found.start(g) for g in (1, 2, 3) if found.group(g))
            if not marks[at] & _HAT_OR_HORN:
                out.append(word)
                break
    return out


_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
_NUCLEUS = (
    r"(?:oeo|oai|oay|uay|uoi|uou|uya|uye|uyu|ieu|yeu|"
    r"ai|ao|au|ay|ea|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|ye|[aeiouy])"
)
# final k: the Central Highlands' names ("Đắk Lắk", "Krông Búk")
_SYLLABLE = re.compile(rf"^{_ONSET}{_NUCLEUS}(?:ch|ng|nh|[cmnptk])?$")


#: The vowels of a Vietnamese syllable, with their hats and horns (tone marks aside): a
#: syllable spelt with others ("Hưệ", "Thươa") has marks OCR misread.
_NUCLEI = frozenset(
    nucleus
    for group in (
        "a ă â e ê i o ô ơ u ư y",
        "ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo",
        "ua uâ uê ui uô uơ ưa ưi ươ ưu uy ya yê",
        "iêu oai oao oay oeo uây uôi ươi ươu uya uyê yêu uyu",
    )
    for nucleus in group.split()
)
_VOWEL_RUN = re.compile(r"[aăâeêioôơuưy]+")
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


def impossible_syllables(text: str) -> list[str]:
    """Words that no Vietnamese syllable is spelt like, by their marks: two tone marks, or
    vowels whose hats and horns no syllable combines ("Hưệ" for "Huệ"). OCR misread a mark;
    which one cannot be told. Words without marks are left to :func:`foreign_syllables`."""
    out = []
    for word in re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", text)):
        decomposed = unicodedata.normalize("NFD", word.casefold().replace("đ", "d"))
        if decomposed == strip_accents(word).casefold():
            continue  # no mark at all ("đ" aside: "VNĐ")
        tones = sum(c in _TONE_MARKS for c in decomposed)
        bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
        bare = re.sub(r"^(qu|gi(?=[aăâeêoôơuưy]))", "", bare.replace("đ", "d"))
        runs = _VOWEL_RUN.findall(bare)
        if tones > 1 or len(runs) != 1 or runs[0] not in _NUCLEI:
            out.append(word)
    return out


def foreign_syllables(name: str) -> list[str]:
    """Words of a name that are no Vietnamese syllable ("THIYẾN", "tờtùv"): two words OCR
    glued together, or letters it misread. (A minority name such as "H'Hen Niê" is one too;
    it only goes to review.)"""
    words = re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", name))
    return [w for w in words if not _SYLLABLE.match(strip_accents(w).casefold())]


@functools.cache
def _known_syllables(names_only: bool) -> frozenset[str]:
    """Unaccented syllables of listed names, and unless ``names_only`` of listed places and
    phrases ("kinh", "doanh", "cửa"): what the parts of a glued word may be."""
    known = set(_name_syllables())
    if not names_only:
        for entry in (*_phrases(), *_place_names()["any"]):
            known.update(entry.split())
    return frozenset(known)


def _segmentations(word: str, known: frozenset[str], depth: int = 3) -> list[list[str]]:
    """Every way to cut ``word`` into at most ``depth`` known syllables, marks allowed."""
    if not word:
        return [[]]
    out = []
    for cut in range(1, len(word) + 1):
        head = word[:cut]
        if match_key(head) not in known or impossible_syllables(head):
            continue
        if cut == len(word):
            out.append([head])
        elif depth > 1:
            out.extend([head, *rest] for rest in _segmentations(word[cut:], known, depth - 1))
    return out


#: The fewest letters of a word read as two glued together: a shorter one that is no
#: syllable ("Dita" for "Dừa", "QUYNHI") is more often a misread than two short words glued.
GLUED_MIN = 7


def split_glued_words(text: str, *, names_only: bool = False) -> str:
    """ "DUYNGHĨA" -> "DUY NGHĨA", "KINHDOANHCỬA" -> "KINH DOANH CỬA": a word that is no
    Vietnamese syllable, cut where OCR lost the spaces, when one cut into the fewest known
    syllables (of names, and unless ``names_only`` of places and phrases) does: "DUY NGHĨA"
    rather than "DU Y NGHĨA". Others stay."""
    known = _known_syllables(names_only)
    out = []
    for word in text.split():
        letters = word.strip(".,;:()")
        glued = letters.isalpha() and (
            not _SYLLABLE.match(strip_accents(letters).casefold()) or impossible_syllables(letters)
        )
        cuts = _segmentations(letters, known) if glued and len(letters) >= GLUED_MIN else []
        cuts = [c for c in cuts if all(len(part) > 1 for part in c)]
        fewest = min((len(c) for c in cuts), default=0)
        cuts = [c for c in cuts if len(c) == fewest]
        if len(cuts) == 1 and fewest > 1:
            word = word.replace(letters, " ".join(cuts[0]))
        out.append(word)
    return " ".join(out)


@functools.cache
def _gazetteer_data() -> dict[str, list[str]]:
    """``data/gazetteer.yaml`` as loaded: each list below is read from it once."""
    import yaml

    path = Path(__file__).parent / "data" / "gazetteer.yaml"
    data: dict[str, list[str]] = yaml.safe_load(path.read_text("utf-8"))
    return data


@functools.cache
def _gazetteer() -> tuple[dict[str, str], dict[str, str]]:
    """Unaccented spelling -> the one spelling with marks, for surnames and provinces."""
    data = _gazetteer_data()
    maps = []
    for key in ("surnames", "provinces"):
        by_fold: dict[str, set[str]] = {}
        for entry in data[key]:
            by_fold.setdefault(match_key(entry), set()).add(unicodedata.normalize("NFC", entry))
        maps.append({k: next(iter(v)) for k, v in by_fold.items() if len(v) == 1})
    return maps[0], maps[1]


@functools.cache
def _name_syllables() -> dict[str, frozenset[str]]:
    """Unaccented spelling -> every listed spelling of a name syllable (casefolded, its tone
    mark apart)."""
    return {
        key: frozenset(_tone_placed(s) for s in found) for key, found in _name_spellings().items()
    }


@functools.cache
def _name_spellings() -> dict[str, frozenset[str]]:
    """Unaccented spelling -> every listed spelling of a name syllable, as printed (title case)."""
    data = _gazetteer_data()
    spellings: dict[str, set[str]] = {}
    for entry in data["surnames"] + data["name_syllables"]:
        spellings.setdefault(match_key(entry), set()).add(unicodedata.normalize("NFC", entry))
    return {key: frozenset(found) for key, found in spellings.items()}


_TONES = frozenset({"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"})


def tone_mark(word: str) -> str:
    """The tone mark a syllable is printed with, as a combining character ("" for none)."""
    return next((c for c in unicodedata.normalize("NFD", word) if c in _TONES), "")


def _tone_placed(word: str) -> str:
    """A syllable with its tone mark apart: "Hoà" and "Hòa" (old and new placement) alike."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    tone = "".join(c for c in decomposed if c in _TONES)
    rest = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return f"{rest}{tone}"


def unmarked_name_words(name: str, *, swapped: bool = True) -> list[str]:
    """Words of a name whose marks OCR dropped or swapped, by the list of name syllables:
    printed with no mark at all while names only carry the syllable with marks ("QUAN" is
    "Quân", "HAI" is "Hải", "Dinh" is "Đinh": Tesseract drops marks on capitals with high
    confidence, and "Quan", "Hai" are no names); with ``swapped``, also printed with marks no
    listed name carries ("Chỉ" for "Chi", "Thụ" for "Thu")."""
    out = []
    for word in name.split():
        if not word.isalpha():
            continue
        listed = _name_syllables().get(match_key(word))
        if not listed or _tone_placed(word) in listed:
            continue
        if strip_accents(word) == word or swapped:
            out.append(word)
    return out


@functools.cache
def _name_words_by_letters(family: bool) -> dict[str, frozenset[str]]:
    """Letters without their marks (the stroke of "Đ" kept) -> every listed spelling of a
    family name, or of a given-name syllable."""
    data = _gazetteer_data()
    entries = data["family_names"] + data["surnames"] if family else data["name_syllables"]
    spellings: dict[str, set[str]] = {}
    for entry in entries:
        word = unicodedata.normalize("NFC", entry)
        spellings.setdefault(_letters(word), set()).add(word)
    return {key: frozenset(found) for key, found in spellings.items()}


def _letters(word: str) -> str:
    """A word's letters, casefolded, without tone marks and hats but with the stroke of
    "đ": Tesseract drops marks on a faint scan far more often than it drops the stroke."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def more_marked_names(word: str, *, family: bool) -> list[str]:
    """Listed family names (``family``) or given-name syllables spelt with the letters of
    ``word`` and more marks ("Lâm" for "Lam", "Ánh" for "Anh", "Thư" for "Thu"): what
    ``word`` may be with marks OCR lost."""
    listed = _name_words_by_letters(family).get(_letters(word), frozenset())
    return sorted(s for s in listed if mark_count(s) > mark_count(word))


def unlisted_name_words(name: str) -> list[str]:
    """Words after the family name that spell no listed name syllable, marks aside ("Nuân"):
    an unusual name, or letters OCR misread."""
    return [w for w in name.split()[1:] if w.isalpha() and match_key(w) not in _name_syllables()]


def name_with_listed_marks(name: str) -> str:
    """The name with each word OCR printed without its marks ("TRONG", "DUC") spelt as the
    one listed name syllable of its letters ("TRỌNG", "ĐỨC"); a word whose letters spell
    several ("Van": "Văn", "Vân"), or printed with other marks than the list's ("Tám" is a
    name too), is kept as printed, unless it is a listed one with the stroke of its "Đ" misread
    ("Điệu" is "Diệu"); a family name with other marks than the one listed spelling
    of its letters ("KIỂU") takes it ("KIỀU"). Still a reading to review."""
    listed_family_name = surname_doubt(name)
    if listed_family_name:  # "KIỂU QUANG LONG": the family name's marks swapped
        first, _, rest = name.partition(" ")
        name = f"{_same_case(listed_family_name, first)} {rest}".strip()
    doubtful = set(unmarked_name_words(name, swapped=False))
    out = []
    for word in name.split(" "):
        listed = _name_spellings().get(match_key(word), frozenset())
        if (word in doubtful or _stroke_misread(word, listed)) and len(listed) == 1:
            (right,) = listed
            word = _same_case(right, word)
        out.append(word)
    return " ".join(out)


def _stroke_misread(word: str, listed: frozenset[str]) -> bool:
    """Whether ``word`` is no listed spelling but one of them with "D" for "Đ" or the reverse
    ("Điệu" for "Diệu"): Tesseract adds and drops the stroke."""

    def stroke_free(text: str) -> str:
        return text.casefold().replace("đ", "d")

    return word.casefold() not in {s.casefold() for s in listed} and any(
        stroke_free(word) == stroke_free(s) for s in listed
    )


def _same_case(word: str, like: str) -> str:
    return word.upper() if like.isupper() and len(like) > 1 else word


def restore_surname(name: str) -> str:
    """ "NGUYEN Văn An" -> "NGUYỄN Văn An": a family name OCR printed without its marks, when
    its unaccented spelling is one listed family name's and no other."""
    words = name.split(" ")
    if len(words) < 2:
        return name
    canonical = _gazetteer()[0].get(match_key(words[0]))
    if canonical:
        words[0] = _unmarked_restored(words[0], canonical)
    return " ".join(words)


def surname_doubt(name: str) -> str | None:
    """The listed spelling of a family name printed with other marks ("Kiêu", "Định" for
    "Kiều", "Đinh"): a swap OCR made. The list holds only family names whose letters spell no
    other one, so ``name_with_listed_marks`` gives it back; the name stays flagged."""
    first = name.split(" ")[0] if name else ""
    canonical = _gazetteer()[0].get(match_key(first))
    if canonical and first.casefold() != canonical.casefold() and strip_accents(first) != first:
        return canonical
    return None


@functools.cache
def _family_names() -> frozenset[str]:
    data = _gazetteer_data()
    return frozenset(match_key(entry) for entry in data["family_names"])


def unlisted_family_name(name: str) -> str | None:
    """The first word of a person's name when it is no family name (accents and case aside):
    OCR may have lost the family name ("TIẾN PHÚC" for "TẠ TIẾN PHÚC"), or the value starts
    with a word that is not the name."""
    words = name.split()
    if len(words) < 2:
        return None  # one word is no full name: reported elsewhere
    first = words[0]
    return None if match_key(first) in _family_names() else first


def _unmarked_restored(printed: str, canonical: str) -> str:
    """Each word printed with no mark at all takes the listed spelling's marks; a word with
    other marks than the list's ("Trân") is a swap, not a loss, and stays for review."""
    out = []
    for word, right in zip(printed.split(" "), canonical.split(" "), strict=False):
        if strip_accents(word) == word and fold(word) == fold(right):
            out.append(_same_case(right, word))
        else:
            out.append(word)
    return " ".join(out) if len(printed.split(" ")) == len(canonical.split(" ")) else printed


_PROVINCE_TAIL = re.compile(r"(\b(?:t[iỉ]nh|th[aà]nh ph[oố]|TP\.?)\s+)([^,;]+?)\s*$", re.I)


def restore_province(text: str) -> str:
    """ "..., tinh Lao Cai" -> "..., tỉnh Lào Cai": the province closing an address, given back
    its marks from the list of provinces when its unaccented spelling is one province's, or
    its name when one letter is off exactly one province's ("Dak Tak")."""
    found = _PROVINCE_TAIL.search(text)
    if not found:
        return text
    names = _gazetteer()[1]
    key = match_key(found.group(2))
    canonical = names.get(key)
    misread = None if canonical else _one_letter_off(key, names, NEAR_PROVINCE_MIN)
    if not canonical and not misread:
        return text
    unit = found.group(1)
    folded_unit = fold(unit).strip()
    if folded_unit == "tinh":
        unit = unit.replace(unit.strip(), "tỉnh" if unit.strip().islower() else unit.strip())
    elif folded_unit == "thanh pho":
        unit = unit.replace(unit.strip(), "thành phố" if unit.strip().islower() else unit.strip())
    # "Dak Tak" (a letter misread), "Long Án" (a mark misread): the listed name whole
    listed = misread or canonical or ""
    place = listed.upper() if found.group(2).isupper() else listed
    return text[: found.start()] + unit + place


_UNITS_OF_ADDRESS = ("thị trấn", "thị xã", "thành phố", "phường", "quận", "huyện", "tỉnh", "xã")
_PLACES_IN_ADDRESS = ("đường", "ngõ", "ngách", "thôn", "ấp", "xóm", "tổ", "bản", "khu phố")
#: Every word of a unit, for telling "Xã, phường" (a label's list) from "Lập, tỉnh".
_UNIT_WORDS = frozenset(w for u in _UNITS_OF_ADDRESS + _PLACES_IN_ADDRESS for w in u.split())
#: "Số 172, ...": a house number opens an address whatever OCR made of the units after it.
_HOUSE_NUMBER_START = re.compile(r"^s[oố]\s+\d", re.IGNORECASE)
_HOUSE_NUMBER_ALONE = re.compile(r"^s[oố]\.?(\s+[\d/]+)?$", re.IGNORECASE)
_UNIT_START = re.compile(
    r"\s+(?=(?:" + "|".join(_UNITS_OF_ADDRESS + _PLACES_IN_ADDRESS) + r")\s+\w)"
)

#: A unit in lower case and the first letter after it.
_UNIT_AND_NEXT = re.compile(
    r"(?:^|\s)(?:" + "|".join(_UNITS_OF_ADDRESS + _PLACES_IN_ADDRESS) + r")\s+(\w)"
)


_FIRST_UNIT = re.compile(
    r"^(" + "|".join(_UNITS_OF_ADDRESS + _PLACES_IN_ADDRESS) + r")\s+(\w)", re.IGNORECASE
)


def _first_unit_in_lower_case(text: str) -> str:
    """ "Xóm Mới, xã Yên Thế, ..." -> "xóm Mới, xã Yên Thế, ...": an address's units are
    written in lower case, the first one too, although a form capitalises what opens a value;
    one way of writing an address is what search and comparison need."""
    first = _FIRST_UNIT.match(text)
    if first is None or first.group(1).islower() or first.group(1).isupper():
        return text
    if first.group(2).islower() or not names_a_place(text[first.end(1) :].partition(",")[2]):
        return text  # "Thành phố Hồ Chí Minh" alone: no address's units after it
    return first.group(1).lower() + text[first.end(1) :]


#: A name's last word, a comma, then an administrative unit in lower case ("Lập, tỉnh").
_NAME_THEN_UNIT = re.compile(
    r"(?:^|\s)([^\W\d_]+),\s+(?:" + "|".join(_UNITS_OF_ADDRESS) + r")(?!\w)"
)


def names_a_place(text: str) -> bool:
    """Whether the text names a place as an address does, a unit in lower case before a
    capitalised name or a number ("..., phường Đông Hải", "quận 3"), or after a name and a
    comma ("Lập, tỉnh", an address's next line), which no label does: labels print units
    alone or in a list ("Xã/phường", "Tỉnh, thành phố", "Số nhà, đường phố")."""
    text = unicodedata.normalize("NFC", text)
    if any(m.group(1).isupper() or m.group(1).isdigit() for m in _UNIT_AND_NEXT.finditer(text)):
        return True
    return any(
        m.group(1)[:1].isupper() and m.group(1).casefold() not in _UNIT_WORDS
        for m in _NAME_THEN_UNIT.finditer(text)
    )


@functools.cache
def _place_names() -> dict[str, dict[str, frozenset[str]]]:
    """Level (province, district, commune) -> unaccented spelling -> every spelling of a
    unit's name with it (``data/places.txt``); level "any" holds them all."""
    found: dict[str, dict[str, set[str]]] = {}
    path = Path(__file__).parent / "data" / "places.txt"
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        level, name = line.split("\t")
        name = unicodedata.normalize("NFC", name.strip())
        for bucket in (level, "any"):
            found.setdefault(bucket, {}).setdefault(match_key(name), set()).add(name)
    for street in _streets():
        found.setdefault("street", {}).setdefault(match_key(street), set()).add(street)
    return {
        level: {key: frozenset(names) for key, names in names_by_key.items()}
        for level, names_by_key in found.items()
    }


def _streets() -> list[str]:
    """The gazetteer's streets found in city after city ("Trần Hưng Đạo")."""
    return [unicodedata.normalize("NFC", street) for street in _gazetteer_data()["streets"]]


#: The level of the units an address names by their word ("thành phố" may be either), and
#: of its street.
_UNIT_LEVEL = {
    "đường": "street",
    "phố": "street",
    "phường": "commune",
    "xã": "commune",
    "thị trấn": "commune",
    "quận": "district",
    "huyện": "district",
    "thị xã": "district",
}


#: An administrative unit and the name after it, up to the next comma ("huyện Yên Thể").
_UNIT_NAME = re.compile(
    r"(?<!\w)((?i:thị trấn|thị xã|thành phố|phường|quận|huyện|xã|đường|phố|thôn|ấp|xóm|bản))\s+"
    r"([^\W\d_][^,;\d]*)"
)


def _same_marks(a: str, b: str) -> bool:
    return [_tone_placed(w) for w in re.findall(r"\w+", a)] == [
        _tone_placed(w) for w in re.findall(r"\w+", b)
    ]


def _unit_names(text: str) -> Iterator[tuple[re.Match[str], str, str]]:
    """Each unit of the address with its name (up to the next comma, four words at most) and
    the unit's level ("any" for a hamlet's)."""
    for found in _UNIT_NAME.finditer(unicodedata.normalize("NFC", text)):
        name = found.group(2).strip()
        if name and len(name.split()) <= 4:
            yield found, name, _UNIT_LEVEL.get(found.group(1).casefold(), "any")


def _place_spellings(text: str) -> list[tuple[re.Match[str], str, frozenset[str]]]:
    """Each unit's name in the text that the list of units spells otherwise, marks aside
    ("Yên Thể" is listed only as "Yên Thế") or case ("kiến Xương"), with the listed
    spellings of its letters."""
    out = []
    for found, name, level in _unit_names(text):
        key = match_key(name)
        places = _place_names()
        # the unit's own level first: "quận Bình Thanh" is "Bình Thạnh" ("Bình Thanh" is a
        # commune's name)
        listed = places.get(level, {}).get(key) or places["any"].get(key)
        if not listed and level == "street":
            # "đường Biện Biên Phủ"
            listed = _one_letter_off(key, places.get("street", {}), NEAR_STREET_MIN)
        # a word of the name in lower case ("xã kiến Xương") is misread as a mark would be
        cased = name.isupper() or all(w[:1].isupper() for w in name.split())
        if listed and (not cased or not any(_same_marks(name, spelling) for spelling in listed)):
            out.append((found, name, listed))
    return out


_Entry = TypeVar("_Entry")


def _one_letter_off(key: str, entries: Mapping[str, _Entry], min_length: int) -> _Entry | None:
    """The value of the one entry whose folded key (as many words) is one letter off ``key``
    (a letter misread, lost or added, or read as two), if exactly one is: a list lookup that
    forgives one OCR slip and refuses when the slip reads two ways. Keys shorter than
    ``min_length`` are too close to other entries ("Lê Lai", "Lê Lợi") to be read so."""
    near = _letter_off(key, entries, min_length)
    return near[0] if len(near) == 1 else None


def _letter_off(key: str, entries: Mapping[str, _Entry], min_length: int) -> list[_Entry]:
    """The values of every entry one letter off ``key`` (see ``_one_letter_off``)."""
    if len(key) < min_length:
        return []
    words = len(key.split())
    near = [
        value
        for folded, value in entries.items()
        if len(folded.split()) == words and Levenshtein.distance(folded, key) == 1
    ]
    near += [entries[v] for v in _glyphs_joined(key) if v in entries]
    return list(dict.fromkeys(near))


#: One letter OCR reads as two (an "H" as "Ti" or "li", an "m" as "rn"), folded.
_SPLIT_GLYPHS = (("ti", "h"), ("li", "h"), ("ii", "u"), ("rn", "m"), ("cl", "d"))


def _glyphs_joined(key: str) -> set[str]:
    """``key`` with one letter OCR split in two read as one ("tia tinh" -> "ha tinh")."""
    out = set()
    for pair, letter in _SPLIT_GLYPHS:
        start = key.find(pair)
        while start >= 0:
            out.add(key[:start] + letter + key[start + 2 :])
            start = key.find(pair, start + 1)
    return out


#: Shortest street name (folded, spaces included) read one letter off a listed one.
NEAR_STREET_MIN = 8
#: ... a province's name.
NEAR_PROVINCE_MIN = 6
#: ... a listed phrase of two words or more ("to din pho" for "Tổ dân phố").
NEAR_PHRASE_MIN = 9


def _cut_place_name(part: str) -> bool:
    """A district's or commune's name that no listed unit bears but listed ones begin with
    ("xã Yên" for "xã Yên Thế"): the rest of the name lost with the end of the address."""
    found = _UNIT_NAME.match(part)
    if not found or _UNIT_LEVEL.get(found.group(1).casefold()) in (None, "street"):
        return False
    key = match_key(found.group(2).strip())
    return bool(key) and key not in _place_names()["any"] and key in _place_name_starts()


@functools.cache
def _place_name_starts() -> frozenset[str]:
    """The first words of every listed unit's name of two words or more ("yen" of "Yên Thế")."""
    starts = set()
    for name in _place_names()["any"]:
        words = name.split()
        starts.update(" ".join(words[:n]) for n in range(1, len(words)))
    return frozenset(starts)


def restore_place_names(text: str) -> str:
    """ "huyện Yên Thể" -> "huyện Yên Thế", "phường Hai Chau" -> "phường Hải Châu": a district's
    or commune's name given back the marks the list of units prints, when its letters spell
    exactly one listed name (Tesseract drops and swaps marks on place names as on any word)."""
    text = unicodedata.normalize("NFC", text)
    out, cursor = [], 0
    for found, name, listed in _place_spellings(text):
        spelling = _most_prominent(listed)
        if spelling is None:
            continue
        start = found.start(2)
        out.append(text[cursor:start] + (spelling.upper() if name.isupper() else spelling))
        cursor = start + len(name)
    return "".join(out) + text[cursor:]


def _most_prominent(listed: frozenset[str]) -> str | None:
    """Of the spellings one name's letters allow, the one listed at the most levels ("Hạ
    Long", a district and a ward, over "Hà Long", a commune): the likelier reading, the
    address staying in review (``misspelt_places``); none when two tie."""
    if len(listed) == 1:
        return next(iter(listed))
    levels = _levels_by_spelling()
    ranked = sorted(listed, key=lambda name: levels.get(name, 0), reverse=True)
    top, second = (levels.get(name, 0) for name in ranked[:2])
    return ranked[0] if top > second else None


@functools.cache
def _levels_by_spelling() -> dict[str, int]:
    """How many levels (province, district, commune, street) list each spelling."""
    counts: dict[str, int] = {}
    for level, names in _place_names().items():
        if level == "any":
            continue
        for spellings in names.values():
            for name in spellings:
                counts[name] = counts.get(name, 0) + 1
    return counts


def _places_more_marked_too(text: str) -> list[str]:
    """Units whose name, as printed, is listed, but so is a spelling of the same letters with
    more marks ("xã Cẩm Giang" and "xã Cẩm Giàng"): the marks OCR drops most, the name may
    have lost."""
    out = []
    for found, name, level in _unit_names(text):
        listed = _place_names().get(level, {}).get(match_key(name), frozenset())
        if name in listed and any(mark_count(s) > mark_count(name) for s in listed):
            out.append(f"{found.group(1)} {name}")
    return out


def mark_count(text: str) -> int:
    """Diacritics in ``text`` (tone marks and the marks of ă, â, ê, ô, ơ, ư; đ counts too):
    OCR drops them far more often than it adds them."""
    decomposed = unicodedata.normalize("NFD", text)
    return sum(unicodedata.combining(c) > 0 for c in decomposed) + text.casefold().count("đ")


def one_character_apart(a: str, b: str) -> bool:
    """Same length, one character different: one letter or digit OCR misread."""
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def misspelt_places(text: str) -> list[str]:
    """Units whose name the list of units spells with other marks ("huyện Yên Thể")."""
    return [f"{found.group(1)} {name}" for found, name, _ in _place_spellings(text)]


def marks_lost_in_address(text: str) -> list[str]:
    """The words of an address that show OCR dropped its marks: a unit printed without its
    own ("thi trấn Phố Lu", "quân 1", "tinh Ninh Binh", the province given back its marks, a
    province one letter off the list's, "tỉnh Vĩnh Leng"):
    the place names beside them, whose spelling no list gives, have likely lost theirs too
    ("Nghĩa Dan" for "Nghĩa Đàn")."""
    text = unicodedata.normalize("NFC", text)
    words = re.findall(r"\w+", text)
    out = []
    for i, word in enumerate(words):
        for unit in _UNITS_OF_ADDRESS + _PLACES_IN_ADDRESS:
            size = len(unit.split())
            printed = " ".join(words[i : i + size])
            named = words[i + size] if i + size < len(words) else ""
            names_one = named[:1].isupper() or named[:1].isdigit()
            misspelt = printed != unit and fold(printed) == fold(unit)
            if word[:1].islower() and names_one and misspelt and printed not in out:
                out.append(printed)
    out += [place for place in misspelt_places(text) if place not in out]
    out += [place for place in _places_more_marked_too(text) if place not in out]
    province = _PROVINCE_TAIL.search(text)
    if province and not _same_marks(restore_province(text), text):
        out.append(province.group(0).strip())
    elif province and _near_province(province.group(2)):
        out.append(province.group(0).strip())  # "tỉnh Vĩnh Leng": a letter misread
    elif province and _province_marks_swapped(province.group(2)):
        out.append(province.group(0).strip())  # "tỉnh Tiên Giang": a mark misread
    return out


def _province_marks_swapped(place: str) -> bool:
    """A province's letters printed with other marks than the list's ("Tiên Giang" for "Tiền
    Giang"; marks dropped altogether are given back by restore_province instead)."""
    canonical = _gazetteer()[1].get(match_key(place))
    if not canonical:
        return False
    restored = _unmarked_restored(place, canonical).split()
    return [_tone_placed(w) for w in restored] != [_tone_placed(w) for w in canonical.split()]


#: The first word of each unit and place an address names, folded ("số", "phố" too).
_UNIT_FIRST_WORDS = frozenset(
    {fold(u.split()[0]) for u in _UNITS_OF_ADDRESS + _PLACES_IN_ADDRESS} | {"so", "pho"}
)


#: Units of one word as printed, by their folded spelling ("xa" -> "xã").
_ONE_WORD_UNITS = {fold(u): u for u in _UNITS_OF_ADDRESS + _PLACES_IN_ADDRESS if " " not in u}
#: Short words that open a clause, not an address's part: never taken for a misread unit.
_NOT_UNITS = frozenset({"và", "là", "có", "bà", "cũ", "đã", "do", "mà", "ra", "vì", "tại", "số"})


def _unit_misread_as(word: str) -> str | None:
    """The one-word unit ``word`` is one letter off ("vã" for "xã", "luyện" for "huyện",
    "som" for "xóm"), if exactly one is."""
    key = fold(word)
    if key in _UNIT_FIRST_WORDS or word.casefold() in _NOT_UNITS:
        return None
    # a letter misread, never one lost or added: "ở" is no "tổ"
    same_length = {folded: u for folded, u in _ONE_WORD_UNITS.items() if len(folded) == len(key)}
    return _one_letter_off(key, same_length, 0)


def repair_units(text: str) -> str:
    """ "..., vã Mỹ Đức, luyện Yên Thế" -> "..., xã Mỹ Đức, huyện Yên Thế": a word opening a
    part of an address, before a name or a number, one letter off exactly one unit, is that
    unit as OCR misread it (the field stays flagged: ``misread_units`` reports it)."""
    if not names_a_place(text):
        return text
    parts = text.split(",")
    for k, part in enumerate(parts):
        words = part.split(" ")
        at = next((n for n, w in enumerate(words) if w), None)
        if at is None or at + 1 >= len(words) or not words[at][:1].islower():
            continue
        named = words[at + 1]
        unit = _unit_misread_as(words[at])
        if unit and (named[:1].isupper() or named[:1].isdigit()):
            words[at] = unit
            parts[k] = " ".join(words)
    return ",".join(parts)


def restore_prefix(text: str, prefix: str) -> tuple[str, str | None]:
    """ "116 kinh doanh Cửa hàng ..." -> "Hộ kinh doanh Cửa hàng ...": a value that opens with
    ``prefix`` (every household business's name opens with "Hộ kinh doanh"), all its words
    but one read right (marks and case aside), gets the prefix as written, in capitals when
    the value is in capitals. Returns the text and, when a word was misread beyond marks and
    case, why the value stays in doubt. A value that opens otherwise ("Trụ sở đặt tại", a
    label read for it) or holds nothing after the prefix is left as read, in doubt."""
    words, expected = text.split(), prefix.split()
    n = len(expected)
    if len(words) <= n:
        return text, f"nothing after {prefix!r} in {text!r}: the rest may be on another line"
    head = words[:n]
    wrong = [w for w, e in zip(head, expected, strict=True) if match_key(w) != match_key(e)]
    if len(wrong) > (n - 1) // 2 or (wrong and n < 2):
        return text, f"{text!r} does not open with {prefix!r} as every such value does"
    rest = " ".join(words[n:])
    letters = [c for c in " ".join(words) if c.isalpha()]
    shouted = sum(c.isupper() for c in letters) > 0.8 * len(letters)
    written = prefix.upper() if shouted else prefix
    reason = f"{wrong[0]!r} read where {prefix!r} opens the value (OCR)" if wrong else None
    return f"{written} {rest}", reason


def misread_units(text: str) -> list[str]:
    """Words opening a part of an address one letter off a unit's ("vã Đông ung" for "xã
    Đông Hưng"): OCR misread the unit, and likely the name after it."""
    out = []
    for part in unicodedata.normalize("NFC", text).split(","):
        words = part.split()
        if len(words) < 2 or not words[0][:1].islower():
            continue
        key, named = fold(words[0]), words[1]
        if key in _UNIT_FIRST_WORDS or not (named[:1].isupper() or named[:1].isdigit()):
            continue
        if any(one_character_apart(key, unit) for unit in _UNIT_FIRST_WORDS):
            out.append(words[0])
    return out + _names_one_letter_off(text)


#: Shortest folded name (its space included) looked up one letter off among a level's units.
NEAR_UNIT_MIN = 8


def _names_one_letter_off(text: str) -> list[str]:
    """Communes' and districts' names the list does not hold but holds one letter off
    ("phường Hoàn Riếm" for "Hoàn Kiếm", "phường Lân Định" for "Tân Định" or "Vân Đình"): the
    list holds every unit since 2008, so the name is misread."""
    out = []
    for found, name, level in _unit_names(text):
        if level not in ("commune", "district"):
            continue
        units, key = _place_names()[level], match_key(name)
        unlisted = key not in units and key not in _place_names()["any"]
        if unlisted and _letter_off(key, units, NEAR_UNIT_MIN):
            out.append(f"{found.group(1)} {name}")
    return out


#: Ho Chi Minh City as addresses abbreviate it ("TP.HCM"), folded and without spaces.
_CITY_ABBREVIATIONS = frozenset({"hcm", "tphcm"})
_PROVINCE_WORD = re.compile(r"^(?:t[iỉ]nh|th[aà]nh\s+ph[oố]|tp\.?)\s*", re.I)


#: Units of an address at a commune's level or above: an address may close with one of them
#: (a construction site "thôn Thượng, xã Đông Hưng" on a form sent to that commune).
_CLOSING_UNITS = ("xã", "phường", "thị trấn", "quận", "huyện", "thị xã", "thành phố", "tỉnh", "tp")


#: A part of an address below a commune (a street, a hamlet), whatever name it bears.
_BELOW_COMMUNE = re.compile(r"(?:" + "|".join((*_PLACES_IN_ADDRESS, "phố")) + r")\s")


def unfinished_address(text: str) -> str | None:
    """The last part of an address that shows it was cut short (by OCR, or by a wrapped line
    that was not joined), when the text is an address (units such as "xã", "thôn" in it): a
    part below a commune ("..., phố Hào Nam", "thôn Đông") or no unit at all, a "tỉnh" that
    names no province, or a province's name cut after its first words ("thành phố Hà",
    "tỉnh Cao")."""
    text = unicodedata.normalize("NFC", text).strip(" .,;")
    if _HOUSE_NUMBER_ALONE.match(text):
        return text  # "Số", "Số 41": the rest of the line lost
    if not _UNIT_START.search(" " + text) and not _HOUSE_NUMBER_START.match(text):
        return None  # no unit of address: a business's name, a hospital alone
    last = text.rsplit(",", 1)[-1].strip()
    if _BELOW_COMMUNE.match(last.casefold()):
        return last  # "phố Huế", "đường Lào Cai": a street named after a province
    named = _UNIT_NAME.match(last)
    if named and (":" in named.group(2) or last[named.end() :].strip()):
        return last  # "xã Cẩm trị đến: 06 112026": another line's label and date run in
    place = _PROVINCE_WORD.sub("", last)
    names = _gazetteer()[1]
    if _names_province(place):
        return None
    lowered = last.casefold()
    if not any(re.match(rf"{unit}\.?\s", lowered) for unit in _CLOSING_UNITS):
        return last  # "phố Hào Nam", "thôn Đông": the address stops below its commune
    if _cut_place_name(last):
        return last  # "xã Yên": no unit is named so, several start so ("Yên Thế", "Yên Bình")
    if _near_province(place):
        return None  # one letter misread: reported by marks_lost_in_address
    if lowered.startswith("tỉnh") or lowered.startswith("tinh"):
        return last  # "tỉnh Cao", "tỉnh Ninh Bình 2. Thửa đất": no province
    if lowered.startswith(("thành phố", "tp")):
        words = place.casefold().split()
        provinces = [p.casefold().split() for p in names.values()]
        if any(len(p) > len(words) and p[: len(words)] == words for p in provinces):
            return last  # "thành phố Hà": a province's name cut after its first word
    return None


def _names_province(place: str) -> bool:
    """Whether the last part of an address, "tỉnh"/"thành phố" aside, ends with a province:
    "Lào Cai", "Hà Nội", "quận 1 Hà Nội" (a comma OCR lost), "TP.HCM"."""
    key = match_key(place)
    if key.replace(" ", "") in _CITY_ABBREVIATIONS:
        return True
    names = _gazetteer()[1]
    return key in names or any(key.endswith(" " + name) for name in names)


def province_missing(text: str) -> str | None:
    """The last part of an address that names no province, for a field whose addresses always
    close with one (an identity card's residence: "..., xã Đông Hưng, huyện X, tỉnh Y"): a
    residence read as "..., xã Đông" lost its end though a commune may bear that name; one
    read as a province alone ("Đồng Nai") lost its beginning."""
    text = unicodedata.normalize("NFC", text).strip(" .,;")
    if "," not in text:
        return text  # "Đồng Nai" alone: the lines before the province were lost
    last = text.rsplit(",", 1)[-1].strip()
    place = _PROVINCE_WORD.sub("", last)
    if _names_province(place):
        return None
    if _near_province(place):
        return None  # one letter misread: reported by marks_lost_in_address
    return last


_BARE_NUMBER = re.compile(r"\d+[^\W\d_]?")
_SPLIT_HOUSE_NUMBER = re.compile(r"(?:số\s+)?\d+\s+\d+", re.IGNORECASE)


def damaged_address_start(text: str) -> str | None:
    """The first part of an address that shows OCR lost something, when the text is an
    address: a bare number where a unit and its number stand ("3, xã Cẩm Giàng": "ấp 3" or
    "tổ 3"), or a house number in two numbers ("Số 227 36": the "/" of "227/36" lost)."""
    text = unicodedata.normalize("NFC", text).strip(" .,;")
    if not _UNIT_START.search(" " + text):
        return None
    parts = [part.strip() for part in text.split(",")]
    if len(parts) > 1 and _BARE_NUMBER.fullmatch(parts[0]):
        return parts[0]
    return next((part for part in parts if _SPLIT_HOUSE_NUMBER.fullmatch(part)), None)


_SPLIT_SO_HOUSE_NUMBER = re.compile(r"^(s[oố]\s+)(\d+)\s+(\d+)(?=,)", re.IGNORECASE)


def mend_split_house_number(text: str) -> str:
    """ "Số 227 36, đường ..." -> "Số 227/36, đường ...": two numbers after "Số" opening an
    address are a house number in an alley whose "/" OCR lost (the value stays in review)."""
    return _SPLIT_SO_HOUSE_NUMBER.sub(r"\1\2/\3", unicodedata.normalize("NFC", text), count=1)


def _near_province(place: str) -> bool:
    """A place after "tỉnh" one letter off a listed province (as long, as many words)."""
    from rapidfuzz import fuzz

    key = match_key(place)
    names = _gazetteer()[1]
    if not key or key in names:
        return False
    return any(
        fuzz.ratio(key, name) >= PROVINCE_NEAR
        and abs(len(key) - len(name)) <= 1
        and len(key.split()) == len(name.split())
        for name in names
    )


#: Fuzzy score (0-100, unaccented) of a misread province's name against the listed one.
PROVINCE_NEAR = 85.0


@functools.cache
def _phrases() -> dict[str, str]:
    """Unaccented spelling -> spelling of the gazetteer's phrases (casefolded)."""
    data = _gazetteer_data()
    phrases = [unicodedata.normalize("NFC", p).casefold() for p in data["phrases"]]
    return {match_key(p): p for p in phrases}


#: Abbreviations in capitals that are no syllable ("UBND", "TNHH", "KCN").
_MAX_ABBREVIATION = 4


def _phrase_one_letter_off(key: str) -> str | None:
    """The one listed phrase of two words or more one letter off ``key``, if exactly one is."""
    return _one_letter_off(key, _phrases(), NEAR_PHRASE_MIN) if " " in key else None


def misspelt_in_text(text: str) -> list[str]:
    """Words of a free text (an address, a business's name) OCR visibly misread: a known
    phrase with other marks ("Da khoa" for "Đa khoa", "Hô kinh doanh"), a unit of the address
    with nothing after it ("..., phường" cut short), a word that is no Vietnamese syllable
    ("RQANH"; capitals of up to four letters and words without a vowel, "Tp", are
    abbreviations)."""
    text = unicodedata.normalize("NFC", text)
    found = list(re.finditer(r"[^\W\d_]+", text))
    words = [m.group(0) for m in found]
    out = []
    for size in (4, 3, 2):
        for i in range(len(words) - size + 1):
            printed = text[found[i].start() : found[i + size - 1].end()]
            known = _phrases().get(match_key(printed)) or _phrase_one_letter_off(match_key(printed))
            # "Phụ, sản": a phrase is never cut by punctuation (a speck read as a comma)
            if known and printed.casefold() != known and printed not in out:
                out.append(printed)
    tail = re.sub(r"[\W\d_]+$", "", text).casefold()
    if words and tail.endswith(_UNITS_OF_ADDRESS) and re.search(r"[,;]", text):
        unit = next(u for u in _UNITS_OF_ADDRESS if tail.endswith(u))
        if tail == unit or not tail[: -len(unit)][-1:].isalpha():
            out.append(f"{unit} (cut short)")
    for word in words:
        vowels = set(match_key(word)) & set("aeiouy")
        abbreviation = not vowels or (word.isupper() and len(word) <= _MAX_ABBREVIATION)
        if not abbreviation and foreign_syllables(word):
            out.append(word)
    return out


#: A house number and the street ("phố", a word too common in names and "tổ dân phố" to be a
#: unit of its own) after it: "Số 10/7 phố Hào Nam".
_HOUSE_BEFORE_STREET = re.compile(r"^([Ss]ố(?: nhà)? \d[\w/.-]*) +(?=phố \w)")
#: An administrative unit and a name after it, anywhere in a part of an address.
_UNIT_INSIDE = re.compile(r"(?<!\w)(?:" + "|".join(_UNITS_OF_ADDRESS) + r") \w")


def _address_commas(text: str) -> str:
    """ "phường Quang Trung tỉnh Bình Dương" -> "phường Quang Trung, tỉnh Bình Dương": in an
    address (two units or more) every administrative unit follows a comma; OCR drops some."""
    if sum(len(re.findall(rf"(?<!\w){unit}(?!\w)", text)) for unit in _UNITS_OF_ADDRESS) < 2:
        return text

    text = _HOUSE_BEFORE_STREET.sub(r"\1, ", text)

    def comma(match: re.Match[str]) -> str:
        before = text[: match.start()]
        previous = before.rsplit(" ", 1)[-1]
        if not before or before.endswith((",", ";")) or previous in ("thị", "thành", "khu", "tổ"):
            return match.group(0)
        # only between parts of the address: "Trạm Y tế phường Láng" names a place in a ward
        part = re.split(r"[,;]", before)[-1].strip().casefold()
        # ... unless a unit already stands in the part: "Trung tâm Y tế xã Phú Xuân tỉnh Hà
        # Giang" is a place in a commune, then the commune's province
        within = _UNIT_INSIDE.search(part)
        if not part.startswith((*_UNITS_OF_ADDRESS, *_PLACES_IN_ADDRESS, "số")) and not within:
            return match.group(0)
        return ", "

    return _UNIT_START.sub(comma, text)


#: Words printed with a full stop that belongs to them ("Tp. Huế", "P.5", "Q.3").
_ABBREVIATIONS = frozenset({"tp", "tx", "tt", "p", "q", "kp", "ql", "st", "ts", "ths"})


def _undotted(text: str) -> str:
    """ "thôn Yên.Bình xã.Mỹ.Đức huyện. Bình Chánh": the dots of the leader a value was
    written on, read between its words, are spaces; abbreviations keep theirs ("Tp.Huế")."""

    def space(match: re.Match[str]) -> str:
        word = match.group(1)
        if fold(word) in _ABBREVIATIONS or word.isupper():
            return match.group(0)
        return f"{word} "

    text = re.sub(r"(?<![^\W\d_])([^\W\d_]+)\.(?=[^\W\d_])", space, text)
    units = "|".join(_UNITS_OF_ADDRESS + _PLACES_IN_ADDRESS)
    return re.sub(rf"(?<!\w)({units})\.\s*(?=\w)", r"\1 ", text)


def _known_spellings(text: str) -> str:
    """A unit of an address or a listed phrase OCR misspelt ("thi trấn", "quân 1", "tính Hà
    Giang", "Hô kinh doanh", "vật liệu, xây dựng") as the closed vocabulary spells it, in the
    printed case; the value is flagged all the same (see ``misspelt_in_text``)."""
    found = list(re.finditer(r"[^\W\d_]+", text))
    vocabulary = {match_key(u): u for u in _UNITS_OF_ADDRESS + _PLACES_IN_ADDRESS}
    vocabulary.update(_phrases())
    out, cursor, i = [], 0, 0
    while i < len(found):
        for size in (4, 3, 2, 1):
            if i + size > len(found):
                continue
            start, end = found[i].start(), found[i + size - 1].end()
            printed = text[start:end]
            key = match_key(printed)
            # no syllable ends in "v": it is a "y" OCR misread ("xâv dựng")
            known = (
                vocabulary.get(key)
                or vocabulary.get(re.sub(r"v\b", "y", key))
                or (_phrase_one_letter_off(key) if size >= 2 else None)
            )
            if known is None or printed.casefold() == known:
                continue
            named = text[end:].lstrip(" ,.")[:1]
            if size == 1 and not (printed.islower() and (named.isupper() or named.isdigit())):
                continue  # one word ("quân", "tính") only as a unit before its name
            out.append(text[cursor:start] + _in_printed_case(known, printed))
            cursor, i = end, i + size - 1
            break
        i += 1
    return "".join(out) + text[cursor:]


def _in_printed_case(spelling: str, printed: str) -> str:
    """``spelling`` in the case ``printed`` has, word by word ("Trung tam Y tế" gives
    "Trung tâm Y tế", not "Trung tâm y tế")."""
    if printed.isupper():
        return spelling.upper()
    words, printed_words = spelling.split(), re.findall(r"[^\W\d_]+", printed)
    if len(words) != len(printed_words):
        return spelling[:1].upper() + spelling[1:] if printed[:1].isupper() else spelling
    return " ".join(
        w[:1].upper() + w[1:] if p[:1].isupper() else w
        for w, p in zip(words, printed_words, strict=True)
    )


def _capitals_in_title_case(text: str) -> str:
    """ "xã MỸ Đức": a marked word in capitals between title-case words is a case OCR misread
    (Tesseract reads "ỹ" as "Ỹ"); abbreviations carry no marks ("UBND", "TP")."""
    words = text.split(" ")
    for i, word in enumerate(words):
        letters = word.strip(",.;:()")
        if not (len(letters) >= 2 and letters.isupper() and letters != strip_accents(letters)):
            continue
        around = [w.strip(",.;:()") for w in words[max(0, i - 1) : i] + words[i + 1 : i + 2]]
        title = [w for w in around if w[:1].isupper() and w[1:].islower()]
        if title and not any(w.isupper() for w in around):
            words[i] = word.replace(letters, letters[0] + letters[1:].lower())
    return " ".join(words)


#: How Tesseract reads a wide capital "A" it cut in two strokes on a faint scan: ".\\", "\\"
#: or ".V" ("TỜ KIL.\\I", "HỘ KINH DO.VNH"); no Vietnamese word holds a backslash, nor ".V".
SPLIT_CAPITAL_A = re.compile(r"\.?\\|(?<=[^\W\d_])\.V")
_WORD_WITH_SPLIT_A = re.compile(rf"(?<!\w)[^\W\d_]+(?:{SPLIT_CAPITAL_A.pattern})[^\W\d_]*")


def _capital_a(text: str) -> str:
    """ "HỘ KINH DO.VNH", "SỬ.V XE": a capital A read in two strokes, mended in a word in
    capitals that spells a syllable once mended; any other word is left as read."""

    def mend(match: re.Match[str]) -> str:
        word = match.group(0)
        mended = SPLIT_CAPITAL_A.sub("A", word)
        if not mended.isupper() or foreign_syllables(mended):
            return word
        return mended

    return _WORD_WITH_SPLIT_A.sub(mend, text)


#: A colon inside an address, before a unit ("Yên Thế: tỉnh"): a comma OCR misread.
_COLON_BEFORE_UNIT = re.compile(
    r"(?<!\S)([^\W_]+):(?=\s+(?:" + "|".join(_UNITS_OF_ADDRESS + _PLACES_IN_ADDRESS) + r")\s)"
)


def _colon_before_unit(match: re.Match[str]) -> str:
    """A name or a number before the colon ("Yên Thế:", "quận 10:"), not a label ("chỉ:")."""
    word = match.group(1)
    return f"{word}," if word[:1].isupper() or word.isdigit() else match.group(0)


def normalize_text(raw: str) -> Normalized:
    """NFC, single spaces; only an empty value fails. A full stop before a lower-case word
    ("tổ 12. xã Đông Hưng") is a comma OCR misread: sentences start in upper case."""
    text = _undotted(_capital_a(clean_text(raw)))
    if text.startswith("(") and ")" not in text:
        text = text[1:].lstrip()  # "(tổ 12, xã ...": a speck read as a bracket nothing closes
    text = re.sub(
        r"(?<=\w)\.(\s+)([^\W\d_])",
        lambda m: f",{m.group(1)}{m.group(2)}" if m.group(2).islower() else m.group(0),
        text,
    )
    text = re.sub(r",(?=[^\W\d_])", ", ", text)  # "ngõ 102,đường": the space OCR lost
    # "huyện Yên Thế: tỉnh Long An": a comma misread as a colon
    text = _COLON_BEFORE_UNIT.sub(_colon_before_unit, text)
    text = _capitals_in_title_case(text)
    text = _known_spellings(text)
    text = _address_commas(text)
    text = repair_units(text)
    text = restore_province(text)
    text = restore_place_names(text)
    # "Số 12, đường ...": an address's first word, which OCR reads "$6", "S6", "Sô"
    text = re.sub(r"^[S$5][oôốó6]\s+(?=\d)", "Số ", text)
    text = _first_unit_in_lower_case(text)
    if not text:
        return _fail("empty value")
    return Normalized(text, True)


# --- numbers ---------------------------------------------------------------------------

_UNITS = re.compile(
    r"(m\s*[\^ˆ]?\s*[²2?'\"*°]|m\s*[\^ˆ]|mét\s*vuông|met\s*vuong|m\b|đồng|dong|vnđ|vnd|đ\b|tầng|tang"
    r"|thửa|thua)",
    re.IGNORECASE,
)


#: A mark OCR left after a number ("74+", "70)"; "435,70?", a unit's ² read as "?" and its
#: "m" as a digit): a speck, or a digit it could not read.
STRAY_MARKS = "+^~'\")?"
_STRAY_AFTER_NUMBER = re.compile(rf"(?<=\d)\s*([{re.escape(STRAY_MARKS)}]+)$")


def _stray_after_number(text: str) -> re.Match[str] | None:
    """The stray mark after a number; a parenthesis closes one opened before it ("(70)")."""
    stray = _STRAY_AFTER_NUMBER.search(text)
    if stray is None or (")" in stray.group(1) and "(" in text):
        return None
    return stray


def _with_stray_mark(result: Normalized, raw: str) -> Normalized:
    """A number read with a stray mark after it is the number, to be checked: the mark may
    be a digit OCR did not read."""
    stray = _stray_after_number(clean_text(raw))
    if not result.ok or stray is None:
        return result
    mark = stray.group(1)
    return replace(result, reason=f"{mark!r} after the number in {raw!r}: a speck or a digit")


def _number_body(raw: str, *, spaced_groups: bool = False) -> str:
    text = clean_text(raw)
    stray = _stray_after_number(text)
    text = text[: stray.start()] if stray else text
    text = _UNITS.sub(" ", text)
    text = re.sub(r"\([^)]*\)", " ", text)  # "(Năm mươi triệu đồng)"
    if spaced_groups:  # "200.000 000": OCR read a thousands dot as a space
        text = re.sub(r"(?<=[0-9OoIlSB])\s+(?=[0-9OoIlSB]{3}\b)", ".", text.strip())
    return re.sub(r"\s+", "", text).strip(".,")


def normalize_integer(raw: str) -> Normalized:
    """Digits only: ``1.234`` -> ``1234``; separators (a dot, a comma, or a space OCR put
    for a dot) must group by three."""
    return _with_stray_mark(_integer(raw), raw)


def _integer(raw: str) -> Normalized:
    body = _number_body(raw, spaced_groups=True)
    if not body:
        return _fail(f"no number in {raw!r}")
    groups = re.split(r"[.,]", body)
    fixed = [_fix_digits(g, in_number=i > 0) for i, g in enumerate(groups)]
    if any(g is None for g in fixed):
        return _fail(f"{raw!r} is not a whole number")
    if len(fixed) > 1 and (
        not 1 <= len(fixed[0] or "") <= 3 or any(len(g or "") != 3 for g in fixed[1:])
    ):
        return _fail(f"{raw!r}: thousands separators do not group by three")
    value = "".join(g or "" for g in fixed).lstrip("0") or "0"
    return Normalized(value, True)


def normalize_money(raw: str) -> Normalized:
    """``50.000.000 đồng`` -> ``50000000`` (whole đồng)."""
    return normalize_integer(raw)


_SPACE_IN_DIGITS = re.compile(r"\d\s+(?:\d{1,2}|\d{4,})\b")


def normalize_number(raw: str) -> Normalized:
    """Decimal with a dot: ``120,5 m²`` -> ``120.5``; ``1.234,5`` -> ``1234.5``. Digits parted
    by a space into a group that is not three long ("242 29") lost their decimal comma to OCR:
    which number it was cannot be told, so it fails (to review)."""
    return _with_stray_mark(_number(raw), raw)


def _number(raw: str) -> Normalized:
    spaced = _SPACE_IN_DIGITS.search(_UNITS.sub(" ", clean_text(raw)))
    if spaced and "," not in raw and "." not in raw:
        return _fail(f"{raw!r}: a space inside the number where a comma or a dot was (OCR)")
    body = _number_body(raw)
    if not body:
        return _fail(f"no number in {raw!r}")
    if "," in body:
        integer_part, _, decimals = body.rpartition(",")
        if "," in integer_part:
            return _fail(f"{raw!r} has two decimal commas")
        thousands = integer_part.split(".")
    elif body.count(".") == 1 and len(body.split(".")[1]) != 3:
        integer_part, _, decimals = body.partition(".")
        thousands = [integer_part]
    else:
        decimals = ""
        thousands = body.split(".")
    if len(thousands) > 1 and (
        not 1 <= len(thousands[0]) <= 3 or any(len(g) != 3 for g in thousands[1:])
    ):
        return _fail(f"{raw!r}: thousands separators do not group by three")
    digits = _fix_digits("".join(thousands))
    frac = _fix_digits(decimals) if decimals else ""
    if digits is None or frac is None:
        return _fail(f"{raw!r} is not a number")
    try:
        value = Decimal(f"{digits}.{frac}" if frac else digits)
    except InvalidOperation:
        return _fail(f"{raw!r} is not a number")
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Normalized(text, True)


_NUMBER_WORDS = {
    "khong": 0, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "lam": 5,
    "sau": 6, "bay": 7, "tam": 8, "chin": 9,
}  # fmt: skip
_SCALES = {"nghin": 10**3, "ngan": 10**3, "trieu": 10**6, "ty": 10**9, "ti": 10**9}
_FILLERS = {"linh", "le", "dong", "chan", "vnd", "vnđ", "bang", "chu", "so", "tien"}


def amount_from_words(text: str) -> int | None:
    """An amount written in Vietnamese words ("Một tỷ hai trăm triệu đồng") -> 1200000000;
    ``None`` when a word is not a number word (the text cannot be trusted as an amount)."""
    words = match_key(text).split()
    if not any(w in _NUMBER_WORDS or w in _SCALES or w in ("muoi", "tram") for w in words):
        return None
    total = group = 0
    pending: int | None = None
    for word in words:
        if word in _NUMBER_WORDS:
            if pending is not None:
                return None
            pending = _NUMBER_WORDS[word]
        elif word == "muoi":  # mười (10) alone, mươi (x10) after a digit
            group += 10 * pending if pending is not None else 10
            pending = None
        elif word == "tram":
            group += 100 * (pending if pending is not None else 1)
            pending = None
        elif word in _SCALES:
            total += (group + (pending or 0)) * _SCALES[word]
            group, pending = 0, None
        elif word not in _FILLERS:
            return None
    return total + group + (pending or 0)


# --- dossier codes ---------------------------------------------------------------------

DEFAULT_DOSSIER_PATTERN = re.compile(
    r"[A-Z0-9][0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}-[0-9]{6}-[0-9]{4}"
)
_CODE_SHAPE = re.compile(
    r"([A-Z0-9|]{3})[.,]([A-Z0-9|]{2})[.,]([A-Z0-9|]{2})[.,]([A-Z0-9|]{3})-+([A-Z0-9|]{6})-+([A-Z0-9|]{4})",
    re.IGNORECASE,
)


def _checked_code(code: str, raw: str) -> Normalized:
    """A code of the right shape still needs a real reception day in its YYMMDD part."""
    day = re.search(r"-(\d{6})-", code)
    if day:
        yymmdd = day.group(1)
        try:
            date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:]))
        except ValueError:
            return _fail(f"{raw!r}: {yymmdd} in {code} is not a reception day (YYMMDD)")
    return Normalized(code, True)


def normalize_dossier_code(raw: str, pattern: re.Pattern[str] | None = None) -> Normalized:
    """``AGENCY-YYMMDD-NNNN`` per the taxonomy's pattern, with OCR look-alikes fixed by position."""
    pattern = pattern or DEFAULT_DOSSIER_PATTERN
    compact = re.sub(r"\s+", "", clean_text(raw))
    if pattern.fullmatch(compact.upper()):
        return _checked_code(compact.upper(), raw)
    match = _CODE_SHAPE.search(compact)
    if match is None:
        found = pattern.search(compact.upper())
        if found:
            return _checked_code(found.group(0), raw)
        return _fail(f"{raw!r} is not a dossier code (AGENCY-YYMMDD-NNNN)")
    g1, g2, g3, g4, day, seq = match.groups()
    head = "0" if g1[0] in "Oo" else g1[0].upper()
    digits = [_fix_digits(g) for g in (g1[1:], g2, g3, g4[1:], day, seq)]
    if any(d is None for d in digits):
        return _fail(f"{raw!r}: letters where the dossier code has digits")
    letter = g4[0].upper().translate(_LETTER_FROM_DIGIT)
    a, b, c, d, yymmdd, nnnn = (x or "" for x in digits)
    code = f"{head}{a}.{b}.{c}.{letter}{d}-{yymmdd}-{nnnn}"
    if not pattern.fullmatch(code):
        return _fail(f"{raw!r} read as {code!r}, which does not match the dossier-code format")
    return _checked_code(code, raw)


# --- small closed vocabularies ---------------------------------------------------------


def normalize_gender(raw: str) -> Normalized:
    """``Nam`` or ``Nữ`` (also from ``Nam/Male``, ``NỮ``, ``Nu``, ``Female``). A word only
    near one of them ("Ni", "Nie" for a "Nữ" whose marks OCR broke, "Nant" for "Nam") is
    given as that one but not validated, so that it goes to review."""
    words = re.findall(r"[a-z]+", fold(clean_text(raw)))
    found = {"nam" if w in ("nam", "male") else "nu" for w in words if w in _GENDER_WORDS}
    if found == {"nam"}:
        return Normalized("Nam", True)
    if found == {"nu"}:
        return Normalized("Nữ", True)
    near = {_gender_misread(w) for w in words} - {None}
    reason = f"{raw!r} is neither Nam nor Nữ"
    if len(near) == 1 and not found:
        (value,) = near
        return Normalized(value, False, f"{reason}; it looks like {value!r}")
    return _fail(reason)


def _gender_misread(word: str) -> str | None:
    """What a short word starting with N may be a misreading of: "am" read as "ant", "arn",
    "ain"; "ữ" (a u with a horn and a tilde) as "i", "ie", "ir", "ii", "w"."""
    if not 2 <= len(word) <= 4 or word[0] != "n":
        return None
    if word[1] == "a" and len(word) >= 3:
        return "Nam"
    if word[1] in "iuyw" and "a" not in word and "m" not in word:
        return "Nữ"
    return None


_GENDER_WORDS = {"nam", "male", "nu", "female"}


def normalize_licence_number(raw: str) -> Normalized:
    """A driving licence number: 12 digits on current licences, look-alikes fixed."""
    compact = re.sub(r"[\s.\-]", "", clean_text(raw))
    fixed = _fix_digits(compact)
    if fixed is None:
        return _fail(f"{raw!r} is not a licence number of digits")
    if len(fixed) != 12:
        return _fail(f"{raw!r} has {len(fixed)} digits; a licence number has 12")
    return Normalized(fixed, True)


_LICENCE_CLASSES = frozenset(
    [
        "A1",
        "A2",
        "A3",
        "A4",
        "A",
        "B1",
        "B2",
        "B",
        "C1",
        "C",
        "D1",
        "D2",
        "D",
        "E",
        "BE",
        "C1E",
        "CE",
        "D1E",
        "D2E",
        "DE",
        "F",
        "FB2",
        "FC",
        "FD",
        "FE",
    ]
)


def normalize_licence_class(raw: str) -> Normalized:
    """A licence class (A1, B2, C, ...); ``8`` read for ``B`` and ``l`` for ``1`` fixed."""
    compact = strip_accents(re.sub(r"[\s.\-]", "", clean_text(raw)))  # "DỊ" for "D1"
    if compact.upper() in _LICENCE_CLASSES:
        return Normalized(compact.upper(), True)
    if compact:
        head = compact[0].upper().translate(_LETTER_FROM_DIGIT).replace("0", "D")
        tail = compact[1:].translate(_DIGIT_LOOKALIKES).upper()
        candidate = head + tail
        if candidate in _LICENCE_CLASSES:
            return Normalized(candidate, True)
    return _fail(f"{raw!r} is not a licence class (A1, A, B, C1, C, D, ...)")


_NORMALISERS: dict[str, Callable[[str], Normalized]] = {
    "date": normalize_date,
    "id_number": normalize_id_number,
    "name": normalize_name,
    "text": normalize_text,
    "integer": normalize_integer,
    "number": normalize_number,
    "money": normalize_money,
    "dossier_code": normalize_dossier_code,
    "gender": normalize_gender,
    "licence_number": normalize_licence_number,
    "licence_class": normalize_licence_class,
}


def normalize(kind: str, raw: str, *, dossier_pattern: re.Pattern[str] | None = None) -> Normalized:
    """Validate and normalise ``raw`` as a value of ``kind`` (see the taxonomy's value kinds)."""
    if kind == "dossier_code":
        return normalize_dossier_code(raw, dossier_pattern)
    try:
        normaliser = _NORMALISERS[kind]
    except KeyError:
        raise UnknownKindError(
            f"no normaliser for value kind {kind!r}; known: {', '.join(sorted(_NORMALISERS))}"
        ) from None
    return normaliser(raw)
