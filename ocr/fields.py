"""Field extraction from a document's words: find each field's label, take the value beside it.

Real forms print ``Label: ........ value`` with dotted leaders, two labels on one line
(``Thửa đất số: 12; Tờ bản đồ số: 5``), bilingual labels with the value on the line below
(identity cards), and tables with one column per person (marriage: ``Bên nữ | Bên nam``).
So the layout is read from word boxes, labels are matched fuzzily after folding accents, and
every value goes through its kind's validator: one that fails is reported for review, never
guessed.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import statistics
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ocr.classify import SIGNATURE_CAPTION, title_match
from ocr.mrz import MrzReading, read_mrz
from ocr.normalize import (
    STRAY_MARKS,
    amount_from_words,
    clean_text,
    damaged_address_start,
    fold,
    foreign_syllables,
    identity_number_doubt,
    impossible_syllables,
    lost_tone_marks,
    marks_lost_in_address,
    match_key,
    mend_split_house_number,
    misread_units,
    misspelt_in_text,
    more_marked_names,
    name_with_listed_marks,
    names_a_place,
    normalize,
    one_character_apart,
    province_missing,
    restore_prefix,
    split_glued_words,
    strip_accents,
    surname_doubt,
    tone_mark,
    unfinished_address,
    unlisted_family_name,
    unlisted_name_words,
    unmarked_name_words,
)
from ocr.second_look import digits_in_doubt
from ocr.taxonomy import DocumentType, FieldSpec, Taxonomy
from ocr.text import PageText, Word

__all__ = ["ExtractedField", "extract_fields", "spelling_doubt"]

#: Below this OCR confidence (0..1, the least confident word of a value) a valid-looking value
#: still goes to review: Tesseract's low-confidence words are where its substitutions hide.
REVIEW_CONFIDENCE = 0.55
#: ... and this one for a string of digits no checksum or dictionary guards (a licence number,
#: a count, an area), where one misread digit leaves a valid-looking value.
DIGITS_REVIEW_CONFIDENCE = 0.75
_UNGUARDED_DIGITS = frozenset({"licence_number", "integer", "number"})
#: ... and this one for a date: a misread digit leaves a valid date ("03 02 1965" for "03 03")
#: that only a calendar check would catch, and none does.
DATE_REVIEW_CONFIDENCE = 0.7
#: The confidence left to a value with a word whose second reading gave other digits.
SECOND_READING_CONFIDENCE = 0.5
#: Below this OCR confidence (0..100) a name word that names also spell with more marks
#: ("Anh": "Ánh") may have lost them: Tesseract reads the words whose marks it saw at 96-97.
MARKS_SURE_CONFIDENCE = 92.0


@dataclass(slots=True)
class ExtractedField:
    """One field's normalised value, the raw text it came from, and whether to review it."""

    name: str
    value: str | None
    raw: str | None
    confidence: float
    needs_review: bool
    reason: str | None = None


# --- rows of words -------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    page: int
    words: list[Word]
    keys: list[str]  # folded word text, letters and digits only ("" for punctuation)
    top: int
    bottom: int
    page_right: int  # rightmost word edge on the page, for spotting wrapped values
    labels_only: bool = False  # a row of labels whose values are on the row below
    letter_height: int = 0  # median height of its words, whatever skew or a rule adds to the row

    @property
    def height(self) -> int:
        return max(1, self.bottom - self.top)

    @property
    def unit(self) -> int:
        """The row's text height: gaps are measured in it (a table's rule, read as "|", or a
        residual skew make the row itself taller)."""
        return max(1, self.letter_height or self.height)


#: A Tesseract line of a few words (``SPECK_LINE_WORDS``) this many times taller than the
#: page's usual line is a column of specks, no line of text.
TALL_LINE = 1.8
SPECK_LINE_WORDS = 3


def _specks(height: float, words: list[Word], usual: float) -> bool:
    return len(words) <= SPECK_LINE_WORDS and height > TALL_LINE * usual


def _rows(pages: list[PageText]) -> list[_Row]:
    """Tesseract lines merged into visual rows: a value far right of its label is often put
    in a line (or block) of its own at the same height."""
    rows: list[_Row] = []
    for page_index, page in enumerate(pages):
        lines = [part for ln in page.lines() if ln for part in _level_parts(ln)]
        if not lines:
            continue
        page_right = max(w.right for ln in lines for w in ln)
        spans = sorted(
            ([min(w.top for w in ln), max(w.bottom for w in ln), list(ln)] for ln in lines),
            key=lambda s: (s[0] + s[1]) / 2,
        )
        # a few words taller than two lines of text (specks down the margin read as "SI fe
        # OO", "ou)") are no row: merged, they would join the lines they overlap into one
        usual = statistics.median(bottom - top for top, bottom, _ in spans)
        merged: list[list] = []
        for top, bottom, words in spans:
            if merged and not _specks(bottom - top, words, usual):
                mtop, mbottom, mwords = merged[-1]
                overlap = min(bottom, mbottom) - max(top, mtop)
                if not _specks(mbottom - mtop, mwords, usual) and overlap >= 0.5 * min(
                    bottom - top, mbottom - mtop
                ):
                    merged[-1] = [min(top, mtop), max(bottom, mbottom), mwords + words]
                    continue
            merged.append([top, bottom, words])
        for top, bottom, words in merged:
            in_order = sorted(words, key=lambda w: w.left)
            gaps = [None, *(w.left - v.right for v, w in itertools.pairwise(in_order))]
            ordered = [part for w, g in zip(in_order, gaps, strict=True) for part in _unglued(w, g)]
            rows.append(
                _Row(
                    page_index,
                    ordered,
                    [_label_key(w.text) for w in ordered],
                    top,
                    bottom,
                    page_right,
                    letter_height=_letter_height(ordered),
                )
            )
    return rows


#: A folded word of letters with an "o" Tesseract read as a digit ("S6" for "Số", "d6" for
#: "đồ"): no label word mixes letters and digits.
_O_AS_DIGIT_KEY = re.compile(r"(?<![\w])([a-z]+)[06]([a-z]*)(?![\w])")


#: A folded word whose "T" a serif font made a "1" ("1ên" for "Tên", "1hửa" for "Thửa"); two
#: letters at least after it ("1a" numbers an item).
_T_AS_ONE_KEY = re.compile(r"(?<![\w])1((?:h|r)?[aeiouy][a-z]+|h[aeiouy])(?![\w])")


def _label_key(text: str) -> str:
    """``match_key`` for reading labels: "S6 thẻ Căn cước" is "so the can cuoc", "(1ên đầy
    đủ)" is "ten day du"."""
    return _T_AS_ONE_KEY.sub(r"t\1", _O_AS_DIGIT_KEY.sub(r"\1o\2", match_key(text)))


def _letter_height(words: list[Word]) -> int:
    heights = sorted(w.height for w in words if sum(c.isalnum() for c in w.text) >= 2)
    return heights[len(heights) // 2] if heights else 0


def _level_parts(line: list[Word]) -> list[list[Word]]:
    """A Tesseract line cut where its words stand at different heights: debris in a margin
    ("+" by one line, "wt" by the next) is put in one line, which would weld two rows; a line
    printed on a slant, whose words drift a little from one to the next, stays whole."""
    unit = _letter_height(line) or max(w.height for w in line)
    parts: list[list[Word]] = []
    for word in sorted(line, key=lambda w: (w.top + w.bottom) / 2):
        middle = (word.top + word.bottom) / 2
        if parts:
            last = parts[-1]
            last_middle = sum((w.top + w.bottom) / 2 for w in last) / len(last)
            if abs(middle - last_middle) <= unit:
                last.append(word)
                continue
        parts.append([word])
    if len(parts) == 1:
        return [line]
    by_left = sorted(line, key=lambda w: w.left)
    drift = [
        abs((b.top + b.bottom) / 2 - (a.top + a.bottom) / 2) for a, b in itertools.pairwise(by_left)
    ]
    if max(drift) <= 0.5 * unit:
        return [line]  # a line printed on a slant drifts word by word: keep Tesseract's line
    return [sorted(p, key=lambda w: w.left) for p in parts]


#: "thửa:245", "sinh:12/05/1990": a label's colon and its value read as one word.
_GLUED_COLON = re.compile(r"^([^\W\d_][^:]*[^\W\d_)]:)(\S+)$")


#: "|DƯƠNG", ">PHUNG", "[khu": a table's rule or a speck glued to the word after it.
_GLUED_RULE = re.compile(r"^([|>»›¦│\[])([^\W_]\S*)$")


#: The OCR confidence left to a lower-case word a rule was glued to (under REVIEW_CONFIDENCE).
GLUED_RULE_CONFIDENCE = 50.0


def _unglued(word: Word, gap_before: int | None = None) -> list[Word]:
    """A word OCR glued across a colon ("thửa:245") or to a rule before it ("|DƯƠNG") as the
    words printed, each with its share of the box; times ("08:30") and words without letters
    before the colon stay whole. ``gap_before``: the space from the word before on the row."""
    found = _GLUED_COLON.match(word.text) or _GLUED_RULE.match(word.text)
    confidence = word.confidence
    if found:
        head, tail = found.group(1), found.group(2)
        running = gap_before is not None and gap_before < word.height
        if found.re is _GLUED_RULE and tail[:1].islower() and running:
            # "Mạng [hang": a rule a word space after a word, glued to one in lower case, is
            # a misread capital ("Tháng"), not a grid's rule; the word is kept, its doubt too
            confidence = min(confidence, GLUED_RULE_CONFIDENCE)
    else:
        cut_at = _glued_label_words(word.text)
        if cut_at is None:
            return [word]
        head, tail = word.text[:cut_at], word.text[cut_at:]
    cut = word.left + round(word.width * len(head) / len(word.text))
    return [
        replace(word, text=head, right=cut),
        replace(word, text=tail, left=cut + 1, confidence=confidence),
    ]


@functools.cache
def _cue_words() -> frozenset[str]:
    """Folded words labels are made of: the concepts' cue words and the label stopwords."""
    return frozenset(w for cues in _CONCEPTS.values() for cue in cues for w in cue) | (
        _LABEL_STOPWORDS
    )


def _glued_label_words(text: str) -> int | None:
    """Where to cut a word that is no syllable but two label words OCR glued together ("vàtên",
    "Fullname:"), or None."""
    key = match_key(text)
    known = _cue_words()
    if " " in key or len(key) < 4 or key in known or not _no_syllable(key):
        return None
    for i in range(2, len(key) - 1):
        if key[:i] in known and key[i:] in known and match_key(text[:i]) == key[:i]:
            return i
    return None


# --- label matching --------------------------------------------------------------------------


@dataclass(slots=True)
class _Label:
    text: str
    key: str
    ntokens: int
    fields: list[FieldSpec]  # empty for a label we do not extract (it only ends values)
    section: str | None = None  # set for a section heading
    free: bool = False  # a printed label the taxonomy does not list (see _free_segments)


@dataclass(slots=True)
class _Hit:
    label: _Label
    row: int
    start: int  # word index in the row
    end: int  # word index after the label
    score: float


def _labels(doc_type: DocumentType) -> list[_Label]:
    by_key: dict[str, _Label] = {}
    for spec in doc_type.fields:
        for text in spec.labels:
            key = match_key(text)
            if not key:
                continue
            label = by_key.setdefault(key, _Label(text, key, len(key.split()), []))
            if spec not in label.fields:
                label.fields.append(spec)
    for text in doc_type.other_labels:
        key = match_key(text)
        if key and key not in by_key:
            by_key[key] = _Label(text, key, len(key.split()), [])
    headings: dict[str, _Label] = {}
    for spec in doc_type.fields:
        for text in spec.section:
            key = match_key(text)
            if key and key not in by_key and key not in headings:
                headings[key] = _Label(text, key, len(key.split()), [], section=spec.section[0])
    return [*by_key.values(), *headings.values()]


def _threshold(key: str) -> float:
    if len(key) <= 4:
        return 100.0
    if len(key) <= 9:
        return 88.0
    return 82.0


def _ends_with_colon(word: Word) -> bool:
    """A colon, or the apostrophe or hyphen Tesseract sometimes makes of one ("tên'", "số-")."""
    text = word.text.rstrip()
    if text.endswith((":", "：", "'", "’")):
        return True
    return len(text) > 1 and text.endswith("-") and (text[-2].isalpha() or text[-2] == ")")


def _tokens_agree(text: str, key: str) -> bool:
    """Word by word, no word of the label may be badly wrong: "hộ kinh doanh" is not
    "vốn kinh doanh" although the strings are close. A word OCR garbled into no word at all
    ("I0" for "Họ") says nothing either way."""
    return all(
        fuzz.ratio(a, b) >= 60 or _garbled(a)
        for a, b in zip(text.split(), key.split(), strict=False)
    )


def _garbled(token: str) -> bool:
    """Digits mixed with letters ("i0"), or letters that spell no Vietnamese syllable."""
    mixed = any(c.isdigit() for c in token) and any(c.isalpha() for c in token)
    return mixed or bool(foreign_syllables(token))


#: "Hà Nội, ngày 12 tháng 5 năm 2025": the place-and-date line, never a label row.
_PLACE_DATE = re.compile(r"^[^:]{0,40},\s*ng[aà]y\s+\S+\s+th[aá]ng\s", re.IGNORECASE)


def _signals_value(row: _Row, hit: _Hit) -> bool:
    """A colon (or the slash of a bilingual label) right after the label."""
    if _ends_with_colon(row.words[hit.end - 1]):
        return True
    nxt = row.words[hit.end].text if hit.end < len(row.words) else ""
    return nxt.startswith((":", "/", "："))


def _note_then_colon(row: _Row, hit: _Hit) -> bool:
    """A note in parentheses, then the colon: "Diện tích sàn (m²):" is a label wherever it
    stands in its row (the value starts after the note, see _after_label_tail)."""
    if hit.end >= len(row.words) or not row.words[hit.end].text.startswith("("):
        return False
    for word in row.words[hit.end : hit.end + 4]:
        if ")" in word.text:
            return word.text.rstrip().endswith(("):", ")："))
    return False


def _label_position_ok(row: _Row, hit: _Hit, label: _Label, after_break: bool) -> bool:
    """Short labels ("Số", "Hạng") count only at the start of a row or a cell and when a colon
    follows ("Giấy phép số:" is a longer label); others at the start of a row or a cell,
    after punctuation or a numbering, or before a colon: never in mid-sentence ("... người yêu
    cầu không phải nộp ...")."""
    if len(label.key) <= 4:
        return _signals_value(row, hit) and after_break
    if _numbered_heading(row, hit):
        return False
    return after_break or _signals_value(row, hit) or _note_then_colon(row, hit)


def _numbered_heading(row: _Row, hit: _Hit) -> bool:
    """ "1. Thông tin về chủ đầu tư:": a numbered line ending in the label and its colon, other
    words between the number and the label, heads a block of labels; it is no label itself."""
    words = row.words
    return (
        hit.start > 1
        and hit.end == len(words)
        and bool(_NUMBERING.match(words[0].text))
        and _ends_with_colon(words[-1])
    )


def _match_row(row: _Row, index: int, labels: list[_Label]) -> list[_Hit]:
    """All label matches in a row, overlapping ones resolved longest-and-best first."""
    keys = row.keys
    positions = [i for i, k in enumerate(keys) if k]
    colon = [_ends_with_colon(w) for w in row.words]
    longest = max((label.ntokens for label in labels), default=0) + 1
    measured = [(label, _threshold(label.key), len(label.key)) for label in labels]
    # words inside a note in parentheses ("(ghi bằng số)") start no label
    depth, inside = 0, []
    for word in row.words:
        depth += word.text.count("(")
        inside.append(depth > 0 and not word.text.startswith("("))
        depth = max(0, depth - word.text.count(")"))
    candidates: list[_Hit] = []
    for p_index, start in enumerate(positions):
        if inside[start] or keys[start].isdigit():
            continue  # no label starts inside a note, nor with a value's number ("5 Chiều")
        at_row_start = p_index == 0
        previous = row.words[start - 1] if start > 0 else None
        after_break = previous is not None and (
            previous.text.rstrip().endswith((":", ";", ",", ".", ")"))
            or not keys[start - 1]
            or keys[start - 1].isdigit()  # "1 Họ và tên" in a numbered table
            or _new_cell(row, start)
        )
        # The words from here, n = 1, 2, ...: a label never runs past a colon ("Họ và tên:
        # Nguyễn" is label + value), so spans stop after the first word ending in one.
        spans: dict[int, tuple[str, int]] = {}
        text = ""
        for n in range(1, longest + 1):
            if p_index + n > len(positions):
                break
            j = positions[p_index + n - 1]
            text = f"{text} {keys[j]}" if text else keys[j]
            spans[n] = (text, j)
            if colon[j]:
                break
        widest = len(spans)
        for label, threshold, size in measured:
            if label.ntokens - 1 > widest:
                continue  # longer than the words left in the row
            best: _Hit | None = None
            for n in (label.ntokens - 1, label.ntokens, label.ntokens + 1):
                if n not in spans:
                    continue
                text, last = spans[n]
                if 200 * min(len(text), size) < threshold * (len(text) + size):
                    continue  # too different in length to reach the threshold
                if n < label.ntokens and len(text) < 0.9 * size:
                    continue  # fewer words only when OCR glued two together
                if n > label.ntokens and len(text) > 1.1 * size:
                    continue  # more words only when OCR split one
                score = fuzz.ratio(text, label.key, score_cutoff=threshold)
                if not score:
                    continue
                if n == label.ntokens and score < 100 and not _tokens_agree(text, label.key):
                    continue
                if best is None or score > best.score:
                    best = _Hit(label, index, start, last + 1, score)
            if best is None:
                continue
            if label.section is None and not _label_position_ok(
                row, best, label, at_row_start or after_break
            ):
                continue
            candidates.append(best)
    # the longer of two good matches wins, but not by a speck before the label ("ae Nơi
    # thường trú"): it would move the label's left edge, where the value's lines start
    candidates.sort(
        key=lambda h: (h.score >= 90, h.end - h.start - _is_debris(row.words[h.start]), h.score),
        reverse=True,
    )
    taken: list[_Hit] = []
    for hit in candidates:
        if all(hit.end <= t.start or hit.start >= t.end for t in taken):
            taken.append(hit)
    return sorted(taken, key=lambda h: h.start)


# --- labels the taxonomy does not list ----------------------------------------------------
#
# Real forms word their labels in many ways ("Số CCCD", "Số định danh cá nhân", "Mã định danh",
# "Họ, tên đệm và tên", "Thửa số"): no list is complete. A printed label is recognisable by
# its shape (words up to a colon, or a table's first cell), and its words say which field it
# is: each field's known wordings are compared with it word by word, rare words weighing more
# ("định danh" says more than "số"), plus words that announce a value kind ("ngày" a date,
# "tên" a name). Such a label only fills a field its own wordings did not find, only with a
# value its kind's validator accepts, and a weak match goes to review.

#: Longest printed label, in words.
MAX_LABEL_WORDS = 9
#: Least score (0..1) for a label of unknown wording to fill a field.
FREE_LABEL_MIN = 0.35
#: Below this score a value found under an unknown wording is reported for review,
#: with this reason.
FREE_LABEL_REVIEW = 0.5
UNLISTED_WORDING = "found under a label wording the taxonomy does not list"
#: What a label about the same thing as the field adds to the score (and one about something
#: else takes off).
KIND_CUE_BONUS = 0.2

#: Abbreviations printed in labels, spelled out as the taxonomy's wordings spell them.
_ABBREVIATIONS = {
    "cccd": "can cuoc cong dan",
    "cmnd": "chung minh nhan dan",
    "cmt": "chung minh thu",
    "gplx": "giay phep lai xe",
    "hkd": "ho kinh doanh",
    "qsdd": "quyen su dung dat",
    "sdt": "so dien thoai",
    "dt": "dien tich",
    "m2": "m2",
}
#: Words that carry no meaning in a label ("và", "của", "các").
_LABEL_STOPWORDS = frozenset({"va", "cua", "cac", "la", "o", "ghi", "neu", "co", "hoac"})
#: What a label is about, told by its words (folded): a printed label and a field's wordings
#: that share one agree; a printed label about something else ("Địa chỉ đặt cơ sở kinh
#: doanh" is about a place) is held back from a field that is not ("Tên hộ kinh doanh").
_CONCEPTS: dict[str, tuple[tuple[str, ...], ...]] = {
    # a human being, whoever it is ("người", "Ông/Bà", "chủ hộ", a full name)
    "human": (
        ("nguoi",),
        ("ong", "ba"),
        ("toi",),
        ("ca", "nhan"),
        ("chu", "ho"),
        ("chu", "dau", "tu"),
        ("chu", "nha"),
        ("chu", "cong", "trinh"),
        ("chu", "so", "huu"),
        ("ho", "ten"),
        ("ho", "chu", "dem"),
        ("full", "name"),
    ),
    # a name, of a person or of a thing ("Tên hộ kinh doanh")
    "name": (("ten",),),
    # a business ("hộ kinh doanh", "cửa hàng"): its name, its address, its capital
    "business": (("kinh", "doanh"), ("cua", "hang")),
    "place": (
        ("dia", "chi"),
        ("noi",),
        ("tai",),
        ("tru", "so"),
        ("dia", "diem"),
        ("vi", "tri"),
        ("cho", "o"),
        ("residence",),
    ),
    # where someone lives ("cư trú", "thường trú"), which no business's premises ("trụ sở")
    # are, although both fold to "tru"
    "residence": (("cu", "tru"), ("thuong", "tru"), ("tam", "tru")),
    "date": (("ngay",), ("thoi", "gian"), ("date",)),
    # a birth: its date or its place ("Nơi sinh", "Địa điểm sinh", "Sinh ngày")
    "birth": (("sinh",), ("birth",)),
    # words that only hide a cue: "khai sinh" (registering a birth) in "Tên khai sinh" is
    # about the name as registered, no birth's date or place
    "": (("khai", "sinh"),),
    "identity": (
        ("dinh", "danh"),
        ("can", "cuoc"),
        ("chung", "minh"),
        ("giay", "to"),
        ("ho", "chieu"),
    ),
    # a person's full name ("Họ và tên ...", "Họ, chữ đệm, tên"), which only a name field holds
    "full name": (("ho", "ten"), ("ho", "chu", "dem"), ("ten", "dem"), ("full", "name")),
    "sex": (("gioi", "tinh"), ("nam", "nu"), ("sex",)),
    "money": (("von",), ("tien",), ("vnd",)),
    "area": (("dien", "tich"), ("m2",)),
    "class": (("hang",),),
}
#: What a value kind is about whatever its wordings say.
_KIND_CONCEPTS: dict[str, frozenset[str]] = {
    "name": frozenset({"human", "full name"}),
    "date": frozenset({"date"}),
    "id_number": frozenset({"identity"}),
    "gender": frozenset({"sex"}),
    "money": frozenset({"money"}),
    "licence_class": frozenset({"class"}),
}


def _label_tokens(text: str) -> list[str]:
    """A label's words for wording scores: folded, with the tone mark a word was printed with
    after a "~" ("trú" and "trụ" differ), since folding makes one word of "cư trú" (a
    residence) and "trụ sở" (premises); a word OCR printed without a mark matches either."""
    out: list[str] = []
    for word in re.findall(r"[^\W_]+", text):
        tone = tone_mark(word)
        for token in _label_key(word).split():
            expanded = _ABBREVIATIONS.get(token)
            if expanded is not None:
                out += [t for t in expanded.split() if t not in _LABEL_STOPWORDS]
            elif token not in _LABEL_STOPWORDS:
                out.append(f"{token}~{tone}" if tone else token)
    return out


def _base(token: str) -> str:
    return token.partition("~")[0]


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    """What the taxonomy's label wordings say about their words: how rare each is (inverse
    document frequency) and which are printed with different tone marks for different words
    ("cư trú" a residence, "trụ sở" premises)."""

    weights: dict[str, float]
    tone_distinct: frozenset[str]


def _vocabulary(taxonomy: Taxonomy) -> _Vocabulary:
    cached = _VOCABULARIES.get(id(taxonomy))
    if cached is not None and cached[0] is taxonomy:
        return cached[1]
    wordings: set[str] = set()
    for doc_type in taxonomy.types.values():
        wordings.update(label for spec in doc_type.fields for label in spec.labels)
        wordings.update(doc_type.other_labels)
    df: dict[str, int] = {}
    tones: dict[str, set[str]] = {}
    for text in wordings:
        tokens = _label_tokens(text)
        for token in {_base(t) for t in tokens}:
            df[token] = df.get(token, 0) + 1
        for token in tokens:
            base, _, tone = token.partition("~")
            tones.setdefault(base, set()).add(tone)
    n = max(1, len(wordings))
    vocabulary = _Vocabulary(
        {t: max(0.3, math.log((n + 1) / (c + 0.5))) for t, c in df.items()},
        frozenset(base for base, found in tones.items() if len(found) > 1),
    )
    _VOCABULARIES[id(taxonomy)] = (taxonomy, vocabulary)
    return vocabulary


_VOCABULARIES: dict[int, tuple[Taxonomy, _Vocabulary]] = {}


def _same_token(a: str, b: str, vocabulary: _Vocabulary) -> bool:
    """The same word, a letter misread allowed; two words printed with different tone marks
    are different words where the taxonomy's wordings print both ("trú", "trụ"), elsewhere a
    mark OCR misread ("Thứa số" for "Thửa số"). A word that is no Vietnamese syllable was
    misread by OCR: one letter off is then enough ("dav" for "đất"), as is "ư" read as two
    letters ("Thita" for "Thửa"); a real word is another word ("thuế" is no "thửa")."""
    a, tone_a = a.split("~") if "~" in a else (a, "")
    b, tone_b = b.split("~") if "~" in b else (b, "")
    distinct = vocabulary.tone_distinct
    if tone_a and tone_b and tone_a != tone_b and (a in distinct or b in distinct):
        return False
    if a == b or (min(len(a), len(b)) >= 4 and fuzz.ratio(a, b) >= 80):
        return True
    misread = [t for t in (a, b) if t not in vocabulary.weights and _no_syllable(t)]
    if not misread:
        return False
    other = b if misread[0] == a else a
    if min(len(a), len(b)) >= 3 and Levenshtein.distance(a, b) <= 1:
        return True
    return _HORN_AS_TWO.sub("u", misread[0]) == other


@functools.lru_cache(maxsize=1 << 12)
def _no_syllable(token: str) -> bool:
    """Cached: a page's label words are compared with every wording of every open field."""
    return bool(foreign_syllables(token))


#: "ư" (folded "u") as Tesseract may read it: two letters, "ir" or "it" ("Thita" for "Thửa").
_HORN_AS_TWO = re.compile(r"(?<=[^\W\d_])i[rt](?=[^\W\d_])")


def _wording_score(seen: list[str], known: list[str], vocabulary: _Vocabulary) -> float:
    """How well a printed label's words match a known wording: the mean of the share of the
    known wording found (weighted) and the weighted Dice overlap of both."""
    if not seen or not known:
        return 0.0
    weights = vocabulary.weights
    top = max(weights.values(), default=1.0)

    def w(token: str) -> float:
        return weights.get(_base(token), top)

    matched_known = sum(
        w(k) for k in set(known) if any(_same_token(k, t, vocabulary) for t in seen)
    )
    matched_seen = sum(w(t) for t in set(seen) if any(_same_token(t, k, vocabulary) for k in known))
    total_known = sum(w(k) for k in set(known))
    total_seen = sum(w(t) for t in set(seen))
    coverage = matched_known / total_known
    dice = (matched_known + matched_seen) / (total_known + total_seen)
    return 0.5 * coverage + 0.5 * dice


def _concepts(tokens: list[str]) -> set[str]:
    """The concepts whose cue words the tokens hold, longer cues first, each word read once:
    "cửa hàng" (a shop) is no "hạng" (a licence class)."""
    cues = sorted(
        ((cue, concept) for concept, cs in _CONCEPTS.items() for cue in cs),
        key=lambda c: -len(c[0]),
    )
    used: set[int] = set()
    found = set()
    for cue, concept in cues:
        n = len(cue)
        for i in range(len(tokens) - n + 1):
            if tuple(tokens[i : i + n]) == cue and not used & set(range(i, i + n)):
                if concept:
                    found.add(concept)
                used |= set(range(i, i + n))
    return found


def _about(text: str) -> set[str]:
    """What a label is about: its concepts (read on all its words, "của" and "cửa" alike
    kept) and whether it names someone by a role."""
    tokens: list[str] = []
    for token in _label_key(text).split():
        second = _pair_second(tokens[-1], token) if tokens else None
        first = _pair_first(tokens[-1], token) if tokens and not second else None
        if first:
            tokens[-1] = first
            second = _pair_second(first, token)
        tokens += [second] if second else _ABBREVIATIONS.get(token, token).split()
    return _concepts(tokens) | ({"agent"} if _agent(tokens) else set())


#: "người" names a role ("người khai", "người yêu cầu"): the person who does something, not
#: the one it is done to ("người được khai sinh").
_PASSIVE = frozenset({"duoc", "bi"})


def _agent(tokens: list[str]) -> bool:
    """The label names someone by what they do ("Họ tên người khai", "Người làm đơn", "Tôi
    là"): a declarant, an applicant, not the subject of the form."""
    return "toi" in tokens or any(
        t == "nguoi" and (i + 1 == len(tokens) or tokens[i + 1] not in _PASSIVE)
        for i, t in enumerate(tokens)
    )


def _required_concepts(spec: FieldSpec) -> set[str]:
    """What every wording of a field is about (a requester's are all "người ..."): a label
    about none of it is not that field's."""
    sets = [_about(label) for label in spec.labels]
    return set.intersection(*sets) if sets else set()


def _field_concepts(spec: FieldSpec) -> set[str]:
    out = set(_KIND_CONCEPTS.get(spec.kind, ()))
    for label in spec.labels:
        out |= _about(label)
    return out


def _concept_bonus(about: set[str], field: set[str]) -> float:
    """What a label's subjects say of a field: more when they agree, less when a subject of the
    label is foreign to the field ("Họ và tên người đại diện hộ kinh doanh" is a person's full
    name: it fits the owner's name better than the business's name, both "about" a name)."""
    if not about:
        return 0.0
    shared, foreign = len(about & field), len(about - field)
    if not shared:
        return -KIND_CUE_BONUS
    return KIND_CUE_BONUS * max(0, min(1, shared - foreign))


def _label_like(word: Word) -> bool:
    text = word.text
    if _O_AS_DIGIT_KEY.fullmatch(match_key(text)):
        text = _label_key(text)  # "(s6 tầng)": "số" with its "ố" read as a 6
    tokens = match_key(text).split()
    if all(t in _ABBREVIATIONS for t in tokens or ["-"]):
        return True  # "CCCD", "CMND/CCCD": no vowel, yet no leader debris
    abbreviated = any(t in _ABBREVIATIONS for t in tokens)  # "chiếu/CCCD": "CCC" no leader
    return (
        not any(c.isdigit() for c in text)
        and (abbreviated or not _is_junk(word))
        and not _FOOTNOTE.match(text)
        and bool(match_key(text))
    )


_NUMBERING = re.compile(r"^(\d{1,2}|[IVX]{1,4}|[a-dđ])[.)]$")


def _free_segments(
    row: _Row, index: int, known: list[_Hit], label_lefts: Sequence[int] = ()
) -> list[_Hit]:
    """Printed labels in ``row`` that no known wording matched: the words before a colon back
    to the label's capitalised first word, or a table's first text cell before another cell.
    Words right after a known label are its tail ("Giấy tờ tùy thân số:"), not a label."""
    words = row.words
    covered = {j for h in known for j in range(h.start, h.end)}
    spans: list[tuple[int, int]] = []
    for c, word in enumerate(words):
        colon = _ends_with_colon(word) or (
            c + 1 < len(words) and words[c + 1].text.startswith((":", "："))
        )
        if not colon or c in covered or not _label_like(word):
            continue
        start = c
        tail = False
        while start > 0 and c - start < MAX_LABEL_WORDS - 1:
            if _slash_pair(row, start):
                start -= 1  # "Nam Nữ:", "Ông Bà:": "Nam/Nữ" whose slash OCR lost
                continue
            if words[start].text[:1].isupper() and not words[start].text.isupper():
                if start == 1 and row.keys[0] in _LABEL_OPENERS and not _new_cell(row, 1):
                    start = 0  # "Nơi Xây dựng công trình:": a capital OCR misread inside
                break  # the label's first word
            prev = words[start - 1]
            if _new_cell(row, start):
                break
            if start - 1 in covered:
                tail = True
                break
            if prev.text.rstrip().endswith((":", ";", ".")) or not _label_like(prev):
                break
            start -= 1
        if start - 1 in covered and not _new_cell(row, start):
            tail = True  # "Họ và tên Full name:": a known label's English echo
        numbered = start > 0 and _NUMBERING.match(words[start - 1].text)
        if numbered and c + 1 == len(words):
            continue  # "3. Tài sản gắn liền với đất:": a numbered heading over a block
        # (specks between a unit and its name skipped: "tỉnh ay Ninh :")
        readable = [w.text for w in words[: c + 1] if w.confidence >= SPECK_CONFIDENCE]
        named = " ".join(readable[-(c - start + 3) :])
        if start > 0 and c - start < 2 and names_a_place(named):
            continue  # "huyện Yên Thế: tỉnh Long An": a comma OCR read as a colon
        if not tail and not any(s <= start < e or s < c + 1 <= e for s, e in spans):
            spans.append((start, c + 1))
    if not spans and len(words) >= 2:
        spans += _label_cells(row, covered, label_lefts)
    caption = _caption(row, known)
    if caption and not spans:
        spans.append(caption)
    out = []
    for start, end in spans:
        label = _free_label(" ".join(w.text for w in words[start:end]).rstrip(":： ").strip("()"))
        if label is not None:
            out.append(_Hit(label, index, start, end, 0.0))
    return out


def _free_label(text: str) -> _Label | None:
    """A printed label the taxonomy does not list, keyed as labels are read ("Ban d6 dia"
    is "ban do dia")."""
    key = _label_key(text)
    return _Label(text, key, len(key.split()), [], free=True) if key else None


#: Words that open labels and no value ("Nơi", "Địa", "Ngày", folded): before a capital OCR
#: misread inside a label ("Nơi Xây dựng"), they are the label's first word.
_LABEL_OPENERS = frozenset(
    {"noi", "dia", "so", "ngay", "giay", "nguoi", "thoi", "vi", "ten", "dien", "chieu", "ma"}
)


#: Words a label prints in pairs with a slash ("Nam/Nữ", "Ông/Bà"), both capitalised.
_SLASH_PAIRS = {"nam": "nu", "ong": "ba"}


def _pair_second(first: str, token: str) -> str | None:
    """The pair's second word (folded) if ``token`` is it after ``first``, one letter misread
    allowed: Tesseract reads a small "Nữ" after "Nam/" as "NW", "Nw", "Ni", "Vữ", "Nit" or
    "NữỮ"."""
    want = _SLASH_PAIRS.get(first)
    token = re.sub(r"(?<=[^\W\d_])i[rt]$", "u", token)  # "ư" read as two letters
    token = re.sub(r"(.)\1$", r"\1", token)  # its last letter read twice
    if want is None or len(token) != len(want) or Levenshtein.distance(token, want) > 1:
        return None
    return want


def _pair_first(token: str, second: str) -> str | None:
    """The pair's first word (folded) if ``token``, one letter misread, is it before the pair's
    second word ("Ngm/Nữ", "Vam Nit" for "Nam/Nữ")."""
    for first in _SLASH_PAIRS:
        if (
            len(token) == len(first)
            and Levenshtein.distance(token, first) == 1
            and _pair_second(first, second) is not None
        ):
            return first
    return None


def _slash_pair(row: _Row, j: int) -> bool:
    """Words ``j - 1`` and ``j`` are such a pair read without its slash."""
    return (
        j > 0 and _pair_second(row.keys[j - 1], row.keys[j]) is not None and not _new_cell(row, j)
    )


def _label_cells(row: _Row, covered: set[int], label_lefts: Sequence[int]) -> list[tuple[int, int]]:
    """A table row's label cells: label/value pairs alternate along the row ("Thửa số | 798 |
    Tờ bản đồ số | 54"); a label cell starts in a column where known labels start, or follows
    a label and its value on the row ("Tên đầy đủ | Đinh Minh Ly | Sinh vào ngày | 27 04 1968":
    a grid's second column, where no known label stands)."""
    words = row.words
    cells = _cells(row)
    spans: list[tuple[int, int]] = []
    expect_label = True
    pair_before = False  # a label and its value already on the row
    paired = _paired_label_cells(row, cells, covered)
    # a grid row of three cells or more opens with a label, when its first text cell is
    # shaped as one ("Người đề nghị cấp phép | HOANG THU GIANG | Giấy tờ Uv thân số | ...")
    text_cells = _text_cells(row, cells)
    first = [words[j] for j in cells[text_cells[0]]] if text_cells else []
    if len(cells) >= 3 and len(first) >= 2 and _label_shaped(first):
        paired.add(text_cells[0])
    for k, cell in enumerate(cells):
        known = [j for j in cell if j in covered]
        if known:
            # a known label: the next cell is its value, unless the value shares its cell
            # ("Họ, tên đệm Phan Mạnh Hùng"; "Người nộp hồ" only runs on into the label)
            tail = [words[j].text for j in cell if j > max(known)]
            expect_label = pair_before = any(t[:1].isupper() or t[:1].isdigit() for t in tail)
            continue
        if all(words[j].text.strip(".").isdigit() for j in cell) and expect_label:
            continue  # the row's number in a numbered table
        aligned = k in paired or any(
            abs(words[cell[0]].left - x) <= 2 * row.height for x in label_lefts
        )
        if (
            expect_label
            and k + 1 < len(cells)
            and (aligned or (pair_before and _sentence_case([words[j] for j in cell])))
            and len(cell) <= MAX_LABEL_WORDS
            and all(_label_like(words[j]) or _slash_pair(row, j) for j in cell)
            # "Cường, tính Sóc [ răng": an address's next line, a misread "T" as a rule (its
            # comma first: normalised, "Tên người làm tờ Khai" would read "tổ Khai")
            and not (
                any("," in words[j].text for j in cell) and _names_a_place([words[j] for j in cell])
            )
        ):
            name_at = _name_in_cell(words, cell)
            spans.append((cell[0], cell[-1] + 1 if name_at is None else name_at))
            # "Người đề nghị  ĐẶNG TRỌNG ĐẠT": the value shares the label's cell
            expect_label = name_at is not None
        else:
            pair_before = pair_before or not expect_label
            expect_label = True
    return spans


def _names_a_place(words: list[Word]) -> bool:
    """Whether the words, as normalised (units OCR misspelt read as units), name a place."""
    return names_a_place(normalize("text", _words_text(words)).value or "")


def _name_in_cell(words: list[Word], cell: list[int]) -> int | None:
    """Where a name in capitals starts inside a label's cell ("Người đề nghị  ĐẶNG TRỌNG
    ĐẠT", printed without a rule between them): two words in capitals or more after two
    words of a label in sentence case, none of them an abbreviation."""
    for n in range(2, len(cell) - 1):
        head = [words[j] for j in cell[:n]]
        tail = [words[j] for j in cell[n:]]
        if (
            _label_shaped(head)
            and not any(w.text.isupper() for w in head)
            and all(w.text.isupper() and len(w.text) >= 2 for w in tail)
            and not any(_abbreviation(w.text) for w in tail)
        ):
            return cell[n]
    return None


def _text_cells(row: _Row, cells: list[list[int]]) -> list[int]:
    """The cells that are not a numbered table's row number ("1", "2.")."""
    return [
        k
        for k, cell in enumerate(cells)
        if not all(row.words[j].text.strip(".").isdigit() for j in cell)
    ]


def _paired_label_cells(row: _Row, cells: list[list[int]], covered: set[int]) -> set[int]:
    """Cells (of ``cells``, the row's) an even number of text cells before a known label's:
    label/value pairs alternate along a grid's row, so "Người đề nghị | Đỗ Hoài Yến | Giấy tờ
    tùy thân | 0329..." has a label first although its wording is unknown."""
    text_cells = _text_cells(row, cells)
    known_at = [n for n, k in enumerate(text_cells) if any(j in covered for j in cells[k])]
    return {
        k
        for n, k in enumerate(text_cells)
        if any(m > n and (m - n) % 2 == 0 for m in known_at)
        and not any(j in covered for j in cells[k])
    }


def _caption(row: _Row, known: list[_Hit]) -> tuple[int, int] | None:
    """A whole row in parentheses, "(Họ và tên)", captioning the value printed above it;
    signature captions ("(Ký, ghi rõ họ tên)") caption a signature, not a value."""
    text = _row_text(row)
    if known or not _is_caption_row(row):
        return None
    key = _label_key(text)
    if not key or len(key.split()) > MAX_LABEL_WORDS or key.startswith(("ky ", "ky,")):
        return None
    if any(c.isdigit() for c in key):
        return None
    return (0, len(row.words))


def _assign_free(
    rows: list[_Row],
    hits: list[list[_Hit]],
    doc_type: DocumentType,
    open_fields: list[FieldSpec],
    taxonomy: Taxonomy,
    sections: _Sections,
) -> list[tuple[int, _Hit]]:
    """Unknown printed labels given to the fields still without a value, best match first:
    each label to one wording group (fields sharing a wording, such as bride's and groom's
    name), each field from one label, only when the value beside it passes the field's
    validator and the label is not closer to a printed field we do not extract."""
    vocabulary = _vocabulary(taxonomy)
    groups: dict[tuple[str, ...], tuple[list[FieldSpec], list[list[str]]]] = {}
    open_keys = {tuple(sorted(spec.labels)) for spec in open_fields}
    for spec in doc_type.fields:
        key = tuple(sorted(spec.labels))
        # a sectioned field comes with its twins (the bride's name with the groom's), so that
        # the section decides which one a label under it fills
        if spec in open_fields or (spec.section and key in open_keys):
            group = groups.setdefault(key, ([], [_label_tokens(t) for t in spec.labels]))
            group[0].append(spec)
    others = [(_label_tokens(text), _about(text)) for text in doc_type.other_labels]
    concepts = {key: set().union(*(_field_concepts(s) for s in g[0])) for key, g in groups.items()}
    required = {
        key: set.intersection(*(_required_concepts(s) for s in g[0])) for key, g in groups.items()
    }
    # what only one group of the type is about ("Nam/Nữ" can only be the gender's label)
    exclusive = {
        key: concepts[key].difference(
            *(_field_concepts(s) for s in doc_type.fields if tuple(sorted(s.labels)) != key)
        )
        for key in groups
    }
    options: list[tuple[float, int, int, tuple[str, ...]]] = []
    for index, row_hits in enumerate(hits):
        for position, hit in enumerate(row_hits):
            if not hit.label.free:
                continue
            seen = _label_tokens(hit.label.text)
            about = _about(hit.label.text)
            # a printed field we do not extract, scored as the fields are
            blocker = max(
                (_wording_score(seen, o, vocabulary) + _concept_bonus(about, c) for o, c in others),
                default=0.0,
            )
            for key, (group_specs, wordings) in groups.items():
                score = max(_wording_score(seen, k, vocabulary) for k in wordings)
                score += _concept_bonus(about, concepts[key])
                missing = required[key] - about
                kind = group_specs[0].kind
                if missing and not _value_says(missing, rows, hits, index, hit, kind):
                    score -= KIND_CUE_BONUS  # "Họ tên khai sinh" names no requester
                elif len(required[key]) >= 2 and about <= concepts[key]:
                    # "Tên cửa hàng" is the name of a business, as every wording of the
                    # business's name says, in words none of them uses
                    score += KIND_CUE_BONUS
                if about and about <= exclusive[key]:
                    score += KIND_CUE_BONUS  # about what no other field of the type is
                if "agent" in about and "agent" not in concepts[key]:
                    score -= KIND_CUE_BONUS  # "Họ tên người khai" is not the child's name
                if score >= FREE_LABEL_MIN and score > blocker:
                    options.append((score, index, position, key))
    options.sort(key=lambda o: o[0], reverse=True)
    used_hits: set[tuple[int, int]] = set()
    done: set[str] = set()
    out: list[tuple[int, _Hit]] = []
    for score, index, position, key in options:
        specs = [s for s in groups[key][0] if s.name not in done]
        if (index, position) in used_hits or not specs:
            continue
        hit = hits[index][position]
        kind = specs[0].kind
        values = [_value(rows, hits, index, hit, kind)]
        row = rows[index]
        above = [c for top, c in sections.columns.get(row.page, []) if top < row.top]
        if above and any(s.section for s in specs):  # one value per column (bride | groom)
            values = list(_column_split(row, hit, hits[index], above[-1], kind).values())
        if not any(v and _readable(kind, v) for v in values):
            continue
        label = replace(hit.label, fields=specs)
        assigned = replace(hit, label=label, score=round(min(score, 1.0) * 100, 1))
        used_hits.add((index, position))
        if not any(s.section for s in specs):
            done.update(s.name for s in specs)
        out.append((index, assigned))
    return out


#: What a value beside a label may say that the label's words do not: a date is a date (its
#: validator is strict), a text naming a place as addresses do ("..., phường Hạ Long, tỉnh
#: Ninh Bình") is a place. A date beside "Sinh vào ngàVv" (its "ngày" garbled) makes it a
#: date of birth, a hospital's address beside "(Sinh tap" (its "tại" garbled) a birth place.
_VALUE_TELLS: dict[str, tuple[str, Callable[[str], bool]]] = {
    "date": ("date", lambda value: normalize("date", value).ok),
    "text": ("place", names_a_place),
}


def _value_says(
    missing: set[str], rows: list[_Row], hits: list[list[_Hit]], index: int, hit: _Hit, kind: str
) -> bool:
    """Whether the value beside a label says what the label's words do not."""
    concept, says = _VALUE_TELLS.get(kind, ("", None))
    if says is None or missing != {concept}:
        return False
    return says(_words_text(_value(rows, hits, index, hit, kind)))


def _readable(kind: str, words: list[Word]) -> bool:
    """A value its validator accepts; for a gender, one it reads however misread ("Nit" is
    "Nữ"): two words only could be read so; for a date, one whose separators OCR lost
    ("16 102025"): its digits make one date. Such values are still reviewed."""
    result = normalize(kind, _words_text(words))
    return result.ok or (kind in ("gender", "date") and result.value is not None)


# --- values ----------------------------------------------------------------------------------

_FOOTNOTE = re.compile(r"^\(?(?:\*{1,3}|[0-9]{1,3}[a-zđ]?|[a-zđ]|[ivx]{2,4})\)[:.]?$")
_PUNCT_ONLY = re.compile(r"^[\W_]+$")


def _footnote_before(words: list[Word]) -> bool:
    """The first word is a footnote mark before the value ("(2) Nguyễn Văn An", "2) ..."); a
    lone "70)" is the value itself, a speck after it."""
    mark = words[0].text
    return bool(_FOOTNOTE.match(mark)) and (len(words) > 1 or mark.startswith("("))


def _trim_value_words(words: list[Word]) -> list[Word]:
    """Drop leaders, colons, footnote marks "(1)" and an English label echo "/ Full name:"."""
    out = list(words)
    while out and (_PUNCT_ONLY.match(out[0].text) or _footnote_before(out)):
        out.pop(0)
    if out and out[0].text.startswith("/"):
        for i, word in enumerate(out[:5]):
            if _ends_with_colon(word):
                out = out[i + 1 :]
                break
    while out and _PUNCT_ONLY.match(out[-1].text):
        out.pop()
    return out


_ALLOWED = re.compile(r"^[\w.,;:/()\-'%²]+$")
_STUTTER = re.compile(r"([^\W\d_])\1\1", re.IGNORECASE)
_VOWELS = set("aeiouy")
_LEADER = re.compile(r"(\.{4,}|…{2,}|_{3,})")
#: Confidence given to a word OCR glued to a dotted leader ("Minh......."), whose own score
#: says more about the dots than about the word.
LEADER_GLUED_CONFIDENCE = 70.0


def _is_junk(word: Word) -> bool:
    """What Tesseract makes of a dotted leader: "ccccsecc", "ng ng nh", "‹--", "HH"."""
    text = word.text
    if _NUMBER_WITH_UNIT.match(text):
        return False  # "867m?": an area whose "²" OCR read as "?"
    stutter = _STUTTER.search(text) and not any(c.isdigit() for c in text)
    if not _ALLOWED.match(text) or stutter:
        return True
    letters = match_key(text).replace(" ", "")
    if letters.isalpha() and not (_VOWELS & set(letters)):
        return not (len(letters) <= 3 and text.endswith("."))  # "TP." is an abbreviation
    return False


_NUMERIC_KINDS = frozenset({"integer", "number", "money", "id_number", "licence_number"})
_UNIT_WORDS = frozenset({"m", "m2", "m²", "đồng", "dong", "đ", "vnđ", "vnd", "tầng", "tang"})


_NUMBER_WITH_UNIT = re.compile(r"^[0-9Oo][0-9.,]*m[\^ˆ]?[²2?'\"*°]?[.,;]?$")
#: A value's colon read as a letter glued to its digits ("r5", "i2"): no number starts so.
_COLON_AS_LETTER = re.compile(r"^[ri!](\d[\d.,]*)$")
_NUMBER_WITH_STRAY = re.compile(rf"^[0-9][0-9.,]*[{re.escape(STRAY_MARKS)}]$")
#: "+4", "'00": a speck read before a date's number (its second reading, on its own, is "4").
_STRAY_BEFORE_NUMBER = re.compile(rf"^[{re.escape(STRAY_MARKS)}]+(\d{{1,4}}[.,]?)$")
#: "tháng 04+ năm": the same after it.
_STRAY_AFTER_DATE_PART = re.compile(rf"^(\d{{1,4}}[.,]?)[{re.escape(STRAY_MARKS)}]+$")

#: "{200.200.000", "[5": a table's rule or a speck read as a bracket no number opens with.
_BRACKET_BEFORE_NUMBER = re.compile(r"^[{\[]+(\d[\d.,]*)$")
#: "tháng (7 năm": the same before a date's day or month, which no note opens ("(7)" would).
_BRACKET_BEFORE_DATE_PART = re.compile(r"^[{\[(]+(\d{1,2})$")
_DATE_WORDS = frozenset({"ngay", "thang", "nam"})


def _between_date_words(words: list[Word], position: int, before: list[Word]) -> bool:
    """A date's word ("ngày", "tháng", "năm") just before the word or just after it."""
    previous = match_key(before[-1].text) if before else ""
    following = match_key(words[position + 1].text) if position + 1 < len(words) else ""
    return previous in _DATE_WORDS or following in _DATE_WORDS


def _numeric_word(text: str) -> bool:
    """A digit group of a number or its unit: what may follow the first word of a number."""
    bare = text.strip(".,;:()")
    return any(c.isdigit() for c in bare) or bare.casefold() in _UNIT_WORDS or bare in {"O", "o"}


#: Below this confidence a one- or two-letter word that is no syllable is a speck of dust.
SPECK_CONFIDENCE = 50.0


def _is_speck(word: Word) -> bool:
    return (
        len(word.text.strip(".,;:")) <= 2
        and word.confidence < SPECK_CONFIDENCE
        and not any(c.isdigit() for c in word.text)
        and _is_junk(word)
    )


_ADDRESS_START = re.compile(r"^[S$5][oôốó6]$")
_Y_AS_V = re.compile(r"^[^\W\d_]{0,5}[vV]$")
_L_AS_ONE = re.compile(r"^1[^\W\d_]+$")
#: A syllable with one "o" read as a digit ("D6", "Ng0c"): a capital first, one letter or more.
_O_AS_DIGIT = re.compile(r"^[^\W\d_][^\W\d_]*[06][^\W\d_]*$")


def _label_starts(word: Word, following: Word | None) -> bool:
    """A capitalised word followed by a lower-case one is a label's start ("Giấy tờ", "Ngày
    sinh"), never a name's next word: every word of a name is capitalised."""
    return (
        following is not None
        and word.text[:1].isupper()
        and following.text[:1].isalpha()
        and following.text[:1].islower()
    )


#: A word less than this share of its neighbours' height is a fragment: the tops of the
#: letters of the line below read into this one ("F", "sư", "ay" 6 px high among 23 px words).
FRAGMENT_HEIGHT = 0.4


#: What a word read on its own picks up from the edge of its crop: a neighbour's bracket, a
#: table's rule.
_CROP_EDGE_MARKS = "([{|'\"`‘’ "


def _read_alone_if_garbled(word: Word) -> Word:
    """A word with digits read as debris on the page ("2+01-2023.") but readably on its own
    ("(24-01-2024."): the second reading, at the confidence of a misread (reviewed)."""
    again = (word.second_reading or "").strip(_CROP_EDGE_MARKS)
    if not _is_junk(word) or not any(c.isdigit() for c in again):
        return word
    if any(c.isalpha() for c in again) and not any(c.isalpha() for c in word.text):
        return word  # "04+" read again "O04": the speck reads as a letter, no better
    reread = replace(word, text=again, confidence=min(word.confidence, 50.0))
    return word if _is_junk(reread) else reread


def _clean_value_words(words: list[Word], kind: str) -> list[Word]:
    """The value up to the first debris word; names also stop at parentheses and digits."""
    out: list[Word] = []
    usual = statistics.median(w.height for w in words) if words else 0
    for position, word in enumerate(words):
        if word.height < FRAGMENT_HEIGHT * usual and word.text.isalpha():
            continue
        if kind in _NUMERIC_KINDS | {"date"}:
            word = _read_alone_if_garbled(word)
        leader = _LEADER.search(word.text)
        if leader:  # a dotted leader ends the value: keep what is glued before it
            head = word.text[: leader.start()]
            if head.strip(".,:; "):
                # Tesseract scores the glued token as a whole: the dots drag it down.
                conf = max(word.confidence, LEADER_GLUED_CONFIDENCE)
                out.append(replace(word, text=head, confidence=conf))
            break
        if out and _PUNCT_ONLY.match(word.text):
            continue  # a stray "." or "—" inside a value
        if kind == "licence_class" and not out and normalize(kind, word.text).ok:
            # "B", ":C": a class is one consonant, no leader debris, and Tesseract scores a
            # lone capital low (17 %): no speck (its confidence still sends it to review)
            out.append(word)
            break
        if _is_speck(word):
            continue  # a dust speck or background print read as "š", "l"
        if kind in ("number", "integer") and _NUMBER_WITH_UNIT.match(word.text):
            out.append(word)  # "400m?": the ² read as debris
            continue
        colon = _COLON_AS_LETTER.match(word.text)
        if kind in _NUMERIC_KINDS and not out and colon:
            # ": 5" read "r5": the colon before a short value glued to it as a letter, given
            # back at the confidence of a misread (so: reviewed)
            out.append(replace(word, text=colon.group(1), confidence=min(word.confidence, 50.0)))
            continue
        stray = None
        if kind == "date":
            stray = _STRAY_BEFORE_NUMBER.match(word.text) or _STRAY_AFTER_DATE_PART.match(word.text)
        if kind == "date" and not stray and _between_date_words(words, position, out):
            stray = _BRACKET_BEFORE_DATE_PART.match(word.text)  # "tháng (7 năm 2024"
        if kind in ("integer", "number", "money") and not out:
            stray = _BRACKET_BEFORE_NUMBER.match(word.text)
        if stray:  # kept at the confidence of a misread: reviewed
            out.append(replace(word, text=stray.group(1), confidence=min(word.confidence, 50.0)))
            continue
        if kind in ("number", "integer") and _NUMBER_WITH_STRAY.match(word.text):
            out.append(word)  # "74+": a speck or a lost digit, which the normaliser reports
            continue
        if kind == "gender" and not out and normalize(kind, word.text).value is not None:
            out.append(word)  # "Nw": a small "Nữ" misread, no leader debris (reviewed)
            break
        if not out and kind == "text" and _ADDRESS_START.match(word.text):
            out.append(word)  # "$6 122, đường ...": "Số" as OCR reads it (normalize fixes it)
            continue
        following = words[position + 1] if position + 1 < len(words) else None
        if (
            not out
            and following is not None
            and _is_junk(word)
            and not _is_junk(following)
            and not _LEADER.search(following.text)
        ):
            continue  # one garbled word before a readable value: not a leader
        if kind in ("name", "text") and _Y_AS_V.match(word.text):
            # "Mv", "HUV": no Vietnamese syllable ends in "v"; Tesseract reads a "y" so, in
            # names and in the names of places ("xã Mv Đức") (given back at the confidence
            # of a misread: reviewed)
            y = "Y" if word.text[-2:].isupper() else "y"
            word = replace(word, text=word.text[:-1] + y, confidence=min(word.confidence, 50.0))
        following_two = words[position + 1 : position + 3]
        if out and _is_junk(word) and _misread_inside(word, following_two, kind):
            # "Đăng kv Khai sinh": a syllable whose vowel OCR lost, between readable words (a
            # leader runs to the line's end), kept at the confidence of a misread
            out.append(replace(word, confidence=min(word.confidence, 30.0)))
            continue
        if kind == "name" and out and _is_junk(word) and _garbled_name_word(out[-1], word):
            # "TRƯƠNG MINH TR.VNG": the name's last word garbled, not a leader after it; kept
            # at the confidence of a misread, so that the name is not cut short unseen
            out.append(replace(word, confidence=min(word.confidence, 30.0)))
            break
        if _is_junk(word):
            break
        if kind == "name" and not out and _L_AS_ONE.match(word.text):
            # "1ê Khánh Nga", "1LƯƠNG": no name holds a digit, and no syllable starts with "1";
            # an "L" read as one, given back at the confidence of a misread (so: reviewed)
            # ("1LƯƠNG": a speck before the L)
            rest = word.text[1:]
            text = rest if rest[:1] in ("L", "l") else "L" + rest
            word = replace(word, text=text, confidence=min(word.confidence, 30.0))
        label_next = out and following is not None and following.text[:1].islower()
        if kind == "name" and _O_AS_DIGIT.match(word.text) and not label_next:
            # "D6 Thi Giang": Tesseract reads an "ô" or "ỗ" as 6 and an "o" as 0 inside a
            # word of letters; given back as "o" (the name's marks are restored after) at the
            # confidence of a misread (so: reviewed)
            rest = word.text[1:].strip("06") or (following.text[1:] if following else "")
            o = "O" if rest.isupper() else "o"
            text = re.sub("[06]", o, word.text)
            word = replace(word, text=text, confidence=min(word.confidence, 30.0))
        if kind == "name" and (word.text.startswith("(") or any(c.isdigit() for c in word.text)):
            break
        if kind == "name" and len(out) >= 2 and _label_starts(word, following):
            break  # "Nguyễn Thị Châu Giấy tờ tùy thân": the next label, run into the name
        if kind in _NUMERIC_KINDS and out and not _numeric_word(word.text):
            break
        out.append(word)
        if kind in ("licence_class", "gender"):
            break
    return _trim_value_words(out)


def _misread_inside(word: Word, following: list[Word], kind: str) -> bool:
    """A short word of letters with two readable words after it: a misread syllable, no
    leader's debris. In an address a single letter is one too ("xã Thanh T lệt, tỉnh")."""
    return (
        (1 if kind == "text" else 2) <= len(word.text) <= 4
        and word.text.isalpha()
        and len(following) == 2
        and not any(_is_junk(w) or _LEADER.search(w.text) for w in following)
    )


def _garbled_name_word(previous: Word, word: Word) -> bool:
    """A word OCR garbled right after a name's word, in its case and size, a word's space
    away: more of the name. A leader's debris is lower-case or small ("ccccsecc", "...")."""
    letters = [c for c in word.text if c.isalpha()]
    same_case = all(c.isupper() for c in letters) == previous.text.isupper()
    return (
        len(letters) >= 3
        and letters[0].isupper()
        and same_case
        and not _STUTTER.search(word.text)
        and abs(word.height - previous.height) <= 0.25 * previous.height
        and word.left - previous.right <= previous.height
    )


def _words_text(words: list[Word]) -> str:
    return clean_text(" ".join(w.text for w in words))


@dataclass(slots=True)
class _Candidate:
    words: list[Word]
    label_score: float
    extra_reason: str | None = None
    fallback: bool = False  # found under a label the taxonomy does not list
    signed: bool = False  # the name under a signature: only where no label gave a value


@dataclass(slots=True)
class _Sections:
    """Where sectioned fields live: column headings on one row, or heading rows above."""

    # page -> [(top of the heading row, [(section, column centre)])], top to bottom
    columns: dict[int, list[tuple[int, list[tuple[str, float]]]]] = field(default_factory=dict)
    current: dict[int, str] = field(default_factory=dict)  # row index -> section in force


def _find_sections(rows: list[_Row], hits: list[list[_Hit]]) -> _Sections:
    sections = _Sections()
    current: str | None = None
    current_page = -1
    for index, (row, row_hits) in enumerate(zip(rows, hits, strict=True)):
        if row.page != current_page:
            current_page, current = row.page, None
        headings = [h for h in row_hits if h.label.section]
        names = {h.label.section for h in headings}
        if len(names) >= 2:
            centres = [
                (
                    h.label.section or "",
                    (row.words[h.start].left + row.words[h.end - 1].right) / 2,
                )
                for h in headings
            ]
            sections.columns.setdefault(row.page, []).append((row.top, centres))
        elif len(names) == 1:
            current = next(iter(names))
        if current is not None:
            sections.current[index] = current
    return sections


#: A printed label runs up to its colon: words of a wording we do not know ("Giấy tờ tùy thân
#: số:", "... người đại diện hộ kinh doanh:") between a matched label and a colon this close
#: are label.
LABEL_TAIL_WORDS = 8
#: A horizontal gap this many letter heights wide separates two table cells (a space is 0.2-0.6;
#: a label and its value two heights apart on one line are two cells: "Số vốn đăng  30.000.000")
CELL_GAP = 2.0
#: ... and this many, where OCR started another line there (spaces between words are 0.2-0.6).
SEGMENT_GAP = 1.0
#: ... and between two Tesseract blocks, whose gap a word space (0.3-0.45) never reaches.
BLOCK_GAP = 0.7
#: What OCR makes of a table's vertical rule between two cells.
_RULES = frozenset({"|", "||", "¦", "│", "[", "]"})
#: Dashes: what a grid's vertical rule also reads as, told from a dash by its upright box.
_DASHES = re.compile(r"^[-—–_~]+$")


def _is_rule(word: Word) -> bool:
    """A table's vertical rule read as a word: "|", or a dash whose box stands upright (a
    real dash is wider than tall: "Họ, tên đệm — | Đoàn Kim Oanh" has two rules), or a rule
    with a speck glued to it ("=|")."""
    if word.text in _RULES or ("|" in word.text and _PUNCT_ONLY.match(word.text)):
        return True
    return bool(_DASHES.match(word.text)) and word.height >= 2 * max(1, word.width)


def _value_right(
    row: _Row, hit: _Hit, row_hits: list[_Hit], kind: str = "text", *, one_cell: bool = True
) -> list[Word]:
    """The words right of a label up to the next label; in a table, up to the end of the
    value's cell (a grid prints the next pair's label, perhaps wrapped, in the next cell)."""
    following = [h.start for h in row_hits if h.start >= hit.end]
    stop = min(following) if following else len(row.words)
    start = hit.end if _signals_value(row, hit) else _after_label_tail(row, hit, stop, kind)
    if one_cell:
        for j in range(start + 1, stop):
            if _new_cell(row, j) or _is_rule(row.words[j]):
                stop = j
                break
    return _trim_value_words(row.words[start:stop])


def _after_label_tail(row: _Row, hit: _Hit, stop: int, kind: str = "text") -> int:
    """Where the value starts after a label matched without its colon: a longer wording's
    remaining words ("... người đại diện hộ kinh doanh:", "Nơi sinh (ghi rõ cơ sở y tế):")
    run to a colon (or an apostrophe OCR made of one) within the label's cell; a table's next
    cell, a digit or a capitalised word (a name) starts the value."""
    words = row.words
    if hit.end >= stop:
        return hit.end
    if _new_cell(row, hit.end):
        return hit.end  # the value's cell follows the label's
    in_parens = False
    group_closed = False  # the tail so far is one "(...)" right after the label
    for j in range(hit.end, min(hit.end + LABEL_TAIL_WORDS, stop)):
        text = words[j].text
        if group_closed and not _PUNCT_ONLY.match(text):
            return j  # "Nơi sinh (ghi rõ cơ sở y tế) Trung tâm Y tế ...": the note is label
        if j > hit.end and _new_cell(row, j):
            return j  # the value's cell
        if _PUNCT_ONLY.match(text):  # a table's rule read as "|"
            return j + 1
        opens = in_parens or text.startswith("(")
        in_parens = opens and not text.rstrip(":;'’.-").endswith(")")
        group_closed = opens and not in_parens and words[hit.end].text.startswith("(")
        if not opens and any(c.isdigit() for c in text):  # a value, not label words
            return j
        if text.rstrip().endswith((":", "：", "'", "’")):
            return j + 1
        if j + 1 < stop and words[j + 1].text.startswith((":", "：")):
            return j + 1
        shouted = [w.text for w in words[j : min(j + 2, stop)]]
        if (
            j == hit.end
            and len(shouted) == 2
            and all(t.isupper() and len(t) >= 2 and not _abbreviation(t) for t in shouted)
        ):
            return j  # "Người đề nghị ĐẶNG TRỌNG ĐẠT": a name in capitals right after
        if not in_parens and text[:1].isupper() and (not text.isupper() or j > hit.end):
            echo = _colon_within(words, j, min(j + 3, stop))
            if echo is not None:
                return echo  # "Họ và tên Full name:": the label's English echo
            # "Họ và tên khai sinh Nguyễn Văn An": no colon printed; a name (or a class, a
            # gender) starts at its capital, lower-case words before it are label; a text
            # value may start in lower case ("thôn Yên Bình")
            return j if kind != "text" and j > hit.end else hit.end
    return hit.end


def _colon_within(words: list[Word], start: int, stop: int) -> int | None:
    """The word after a colon that ends a run of label-like words from ``start``, if any."""
    for j in range(start, stop):
        if not _label_like(words[j]):
            return None
        if _ends_with_colon(words[j]):
            return j + 1
    return None


def _label_end(row: _Row, hit: _Hit) -> int | None:
    """The word after a label's colon, when the label (with a tail of words we do not know)
    ends in one: "Họ và tên khai sinh:" with its value on the line below."""
    if _signals_value(row, hit):
        return hit.end
    start = _after_label_tail(row, hit, len(row.words))
    return start if start > hit.end and _ends_with_colon(row.words[start - 1]) else None


def _value_below(rows: list[_Row], hits: list[list[_Hit]], index: int, hit: _Hit) -> list[Word]:
    """The line under a label whose value is not beside it (bilingual card labels; a long
    label that did not fit before the value's tab stop, its colon starting the next line)."""
    row = rows[index]
    if index + 1 >= len(rows):
        return []
    if _label_end(row, hit) is None and not _colon_below(rows, index):
        return []  # "NGƯỜI NỘP HỒ SƠ" over a signature is a heading, not a label
    left = row.words[hit.start].left - 2 * row.height
    next_label = [h for h in hits[index] if h.start >= hit.end]
    right = row.words[next_label[0].start].left if next_label else float("inf")
    for under in range(index + 1, min(index + 3, len(rows))):
        below = rows[under]
        if below.page != row.page or below.top - row.bottom > 2.2 * row.height:
            return []
        if hits[under] and hits[under][0].start == 0:
            return []
        stop = hits[under][0].start if hits[under] else len(below.words)
        words = [w for w in below.words[:stop] if w.left >= left and w.right <= right + row.height]
        if all(_is_debris(w) for w in words) and not hits[under]:
            # "~ F4", or nothing under the label: a photo's edge read between a card's label
            # and its value
            continue
        return _trim_value_words(words)
    return []


def _colon_below(rows: list[_Row], index: int) -> bool:
    """The next line, close under this one, starts with a colon: the end of a label."""
    if index + 1 >= len(rows):
        return False
    row, below = rows[index], rows[index + 1]
    return (
        below.page == row.page
        and below.top - row.bottom <= 2.2 * row.height
        and below.words[0].text.startswith((":", "："))
    )


#: The most words of a caption whose closing parenthesis OCR lost.
CAPTION_MAX_WORDS = 6


def _is_caption_row(row: _Row) -> bool:
    """A row in parentheses; a short one may have lost its closing parenthesis ("(Sinh tap",
    "(Diện tích sàn các tầng")."""
    text = _row_text(row)
    short = len(row.words) <= CAPTION_MAX_WORDS
    closed = text.rstrip(" .").endswith(")") or (")" not in text and short)
    return text.startswith("(") and closed


def _value_above(
    rows: list[_Row], hits: list[list[_Hit]], index: int, hit: _Hit, kind: str
) -> list[Word]:
    """The value a caption "(Họ và tên)" sits under: the line above, and the lines above it
    that it continues (a wrapped address), none of them a label's or another caption's."""
    row = rows[index]
    left = row.words[hit.start].left - 3 * row.height
    taken: list[list[Word]] = []
    below = row
    for r in range(index - 1, max(-1, index - 4), -1):
        above = rows[r]
        if above.page != row.page or below.top - above.bottom > 1.5 * row.height:
            break
        if hits[r] or _is_caption_row(above):
            break
        column = [w for w in above.words if w.left >= left]
        if not column:
            break
        if taken:
            last = column[-1]
            runs_on = (
                last.text.endswith(",")
                or last.right >= 0.85 * above.page_right
                or _completes_address(column, [w for line in taken for w in line], [])
            )
            if not runs_on:
                break
        taken.insert(0, column)
        below = above
        if kind != "text":
            break
    words = [w for line in taken for w in line]
    return (
        _clean_value_words(words, kind)
        if len(taken) <= 1
        else _trim_value_words(
            [w for line in taken[:-1] for w in line] + _clean_value_words(taken[-1], kind)
        )
    )


def _ends_at_leader(row: _Row, words: list[Word]) -> bool:
    """A value followed by a dotted leader on its line is complete: it does not wrap (a
    table's rule after it only ends its cell)."""
    last = words[-1]
    # (past the value's last word as read: cleaning may have rewritten it, "+4" as "4")
    after = [w for w in row.words if w.left > last.left and not _is_rule(w)]
    glued = any(w.left == last.left and _LEADER.search(w.text) for w in row.words)
    return glued or any(_LEADER.search(w.text) or _is_junk(w) for w in after[:2])


def _value(
    rows: list[_Row], hits: list[list[_Hit]], index: int, hit: _Hit, kind: str
) -> list[Word]:
    """The value right of the label, else on the line below (above it for a caption in
    parentheses); long text values may wrap."""
    if hit.start == 0 and _is_caption_row(rows[index]):  # all of "(...)" is label
        return _value_above(rows, hits, index, hit, kind)
    if rows[index].labels_only:
        return _value_under(rows, hits, index, hit, kind)
    beside = _value_right(rows[index], hit, hits[index], kind)
    words = _clean_value_words(beside, kind)
    value_row = index
    # a dotted line after the label is where the value is written: left empty, there is none
    # (what is below is the next label or a heading, not this value)
    dotted = any(_LEADER.search(w.text) for w in beside)
    empty = all(_is_junk(w) or _PUNCT_ONLY.match(w.text) for w in beside)
    # a label too long for the value's tab stop: its colon and value start the next line, and
    # what follows the matched words on its own line is the rest of the label
    label_wraps = (
        not dotted
        and not _signals_value(rows[index], hit)
        and not any(":" in w.text for w in beside)
        and _colon_below(rows, index)
    )
    if (not words and not dotted and empty) or label_wraps:
        words = _clean_value_words(_value_below(rows, hits, index, hit), kind)
        value_row = index + 1
    if not words or _ends_at_leader(rows[value_row], words):
        return words
    if kind == "name":
        words = words + _name_wrapped_in_cell(rows, hits, value_row, words)
    if kind == "text" or not normalize(kind, _words_text(words)).ok:
        # a wrapped text, or a date cut by the line end ("... ngày 14 tháng 05 | năm 2024")
        left = min(words[0].left, rows[index].words[hit.start].left)
        grid = value_row == index and _in_next_cell(rows[index], hit, words[0])
        more = _clean_value_words(
            _continuation(rows, hits, value_row, words, left, grid=grid), kind
        )
        # (a date whose next line lost its separators, "ngày" / "1912 2025.", is readable)
        if more and (kind == "text" or _readable(kind, words + more)):
            words = words + more
    return words


#: How far below its caption a signature block prints the signer's name, in the caption's
#: line heights: room for a signature and a seal.
SIGNATURE_SPACE = 14


def _signed_name(rows: list[_Row], hits: list[list[_Hit]], index: int, hit: _Hit) -> list[Word]:
    """The name printed under a signature: "Người yêu cầu" / "(Ký, ghi rõ họ tên)" / the
    signature / "Hoàng Văn Khoa". Forms whose own label for the person is a wording we do not
    know still head the signature block with a known one. The scribble in between is read as
    a stray word or two, never as two capitalised words of letters."""
    row = rows[index]
    heading = row.words[hit.start : hit.end]
    if index + 1 >= len(rows) or not heading:
        return []
    middle = (heading[0].left + heading[-1].right) / 2
    half = max(heading[-1].right - heading[0].left, 8 * row.unit) / 2

    def under_heading(words: list[Word]) -> list[Word]:
        return [w for w in words if abs((w.left + w.right) / 2 - middle) <= 1.5 * half]

    caption = rows[index + 1]
    caption_text = " ".join(w.text for w in under_heading(caption.words))
    if caption.page != row.page or not SIGNATURE_CAPTION.search(fold(caption_text)):
        return []
    for under in range(index + 2, min(index + 8, len(rows))):
        below = rows[under]
        if below.page != row.page or below.top - caption.bottom > SIGNATURE_SPACE * row.unit:
            return []
        words = under_heading(below.words)
        if not words:
            continue
        if hits[under] or _is_caption_row(below):
            return []
        letters = all(w.text.isalpha() for w in words)
        if letters and 2 <= len(words) <= 6 and sum(w.text[:1].isupper() for w in words) >= 2:
            return _clean_value_words(words, "name")
    return []


def _name_wrapped_in_cell(
    rows: list[_Row], hits: list[list[_Hit]], index: int, value: list[Word]
) -> list[Word]:
    """The end of a name too long for its table cell, on the cell's next line ("NGÔ HỮU
    CƯỜNG" / "QUÂN"): one or two words in the name's column and case, close under it, with
    nothing before them but the rest of a wrapped label ("hồ sơ"), and no label among them."""
    row = rows[index]
    if not value or index + 1 >= len(rows):
        return []
    below = rows[index + 1]
    if below.page != row.page or below.top - row.bottom > row.height:
        return []
    left = value[0].left - row.height
    after = [w.left for w in row.words if w.left > value[-1].right]
    right = min(after) if after else float("inf")
    column = [w for w in below.words if w.left >= left and w.right <= right]
    before = [w for w in below.words if w.right < left]
    labels = {id(below.words[h.start]) for h in hits[index + 1]}
    capitals = all(w.text.isupper() for w in value if w.text.isalpha())
    same_case = all(
        w.text.isalpha() and (w.text.isupper() if capitals else w.text.istitle()) for w in column
    )
    if (
        not 1 <= len(column) <= 2
        or not same_case
        or any(id(w) in labels for w in column)
        or any(not w.text[:1].islower() for w in before)
    ):
        return []
    return column


def _in_next_cell(row: _Row, hit: _Hit, first: Word) -> bool:
    """The value stands in the cell after its label's (a grid), not after a colon."""
    if row.words[hit.end - 1].text.endswith((":", "：")):
        return False
    cells = _cells(row)
    label_cell = next((c for c, cell in enumerate(cells) if hit.end - 1 in cell), None)
    if label_cell is None:
        return False
    return any(row.words[j].left == first.left for cell in cells[label_cell + 1 :] for j in cell)


def _continuation(
    rows: list[_Row],
    hits: list[list[_Hit]],
    index: int,
    value: list[Word],
    left: int,
    *,
    grid: bool = False,
) -> list[Word]:
    """A long text value wraps onto the next lines of its column (which may start back at the
    label's margin): taken while the previous line ran to the column's edge, ended with a
    comma, or the next starts in lower case ("phường ..."), and no label starts it. In a grid
    (``grid``: the value in the cell after its label's) the value wraps inside its cell: a
    line with words under the label's cell is the grid's next row."""
    out: list[Word] = []
    row = rows[index]
    cell_right = _cell_right(row, value)
    # a value in a column right of its label: a line starting under the value, with nothing
    # under the label, is the value's next line ("HỘ KINH DOANH CỬA" / "HÀNG HOA THIỆN")
    in_cell = value[0].left > left + 2 * row.height
    left -= 2 * row.height
    nearby = [
        w.right
        for r in rows[max(0, index - 6) : index + 7]
        if r.page == row.page
        for w in r.words
        if w.left >= left
    ]
    edge = max(nearby) if nearby else row.page_right
    last = value
    last_row = row
    for nxt in range(index + 1, min(index + 5, len(rows))):
        below = rows[nxt]
        if below.page != row.page or below.top - last_row.bottom > 1.2 * row.height:
            break
        column = [
            w
            for w in below.words
            if w.left >= left and (cell_right is None or w.left < cell_right) and not _is_rule(w)
        ]
        if all(_is_debris(w) for w in column) or _from_column_beside(below, column, value, left):
            continue  # a line of another column: the value may go on under it
        if grid and column[0].left < value[0].left - 2 * row.unit:
            break
        full = last[-1].right >= left + 0.85 * (edge - left)
        under_value = in_cell and abs(column[0].left - value[0].left) <= row.unit
        starts = {
            id(below.words[h.start])
            for h in hits[nxt]
            if not (full and _capitals_running_on(below, h, last))
            # words in capitals taken for a label; a known wording in lower case ("điện
            # thoại Vinh"): a label cell starts with a capital
            and not (under_value and (h.label.free or below.words[h.start].text[:1].islower()))
            # an unknown wording in lower case after a comma: the address runs on ("đường Cách
            # Mang [hang Tám": a misread "T" parted it like a grid's rule)
            and not (
                h.label.free
                and last[-1].text.endswith(",")
                and below.words[h.start].text[:1].islower()
            )
        }
        if any(id(w) in starts for w in column):
            break
        wraps = (
            full
            or under_value
            or last[-1].text.endswith(",")
            or column[0].text[:1].islower()
            or _completes_address(value + out, column, _column_below(rows, nxt, left))
        )
        if not wraps:
            break
        out += column
        last, last_row = column, below
    return _trim_value_words(out) if out else []


def _from_column_beside(row: _Row, column: list[Word], value: list[Word], left: int) -> bool:
    """A line that starts left of the value's column and reaches into it (a card's expiry
    date beside its photo, its end read under the value as debris) without a cell there: no
    word of it that OCR read with some confidence stands where the value's lines start."""
    if not column or row.words[0].left >= left:
        return False
    starts = (value[0].left, left + 2 * row.height)
    return not any(
        abs(w.left - x) <= row.height
        for w in column
        if w.confidence >= SPECK_CONFIDENCE and not _PUNCT_ONLY.match(w.text)
        for x in starts
    )


def _is_debris(word: Word) -> bool:
    """What OCR makes of a photo's or a stamp's edge: leader junk, punctuation, or letters it
    was unsure of that spell no syllable ("Sree" at 16 %)."""
    if _is_junk(word) or _PUNCT_ONLY.match(word.text):
        return True
    return word.confidence < SPECK_CONFIDENCE and bool(foreign_syllables(word.text))


def _cell_right(row: _Row, value: list[Word]) -> int | None:
    """Where the next cell of a grid's row starts after ``value``, if one does."""
    for k, word in enumerate(row.words):
        if word.left >= value[-1].right:
            if _is_rule(word) or _new_cell(row, k):
                return word.left
            return None
    return None


def _completes_address(value: list[Word], line: list[Word], after: list[Word]) -> bool:
    """An address that stops short of its province ("..., quận" / "3, tỉnh Sóc Trăng") goes on
    to the next line of its column when that line, or it and the one after ("..., tỉnh Cà" /
    "Mau"), bring it to one: a column too narrow for the edge test (a card's text beside its
    photo) wraps anywhere."""

    def unfinished(words: list[Word]) -> str | None:
        # as normalised: units OCR misspelt ("tinh Déng") read as units
        return unfinished_address(normalize("text", _words_text(words)).value or "")

    if unfinished(value) is None:
        return False
    return unfinished(value + line) is None or (
        bool(after) and unfinished(value + line + after) is None
    )


def _column_below(rows: list[_Row], index: int, left: int) -> list[Word]:
    """The words from ``left`` rightwards on the line after ``index``, when it follows closely."""
    if index + 1 >= len(rows):
        return []
    row, below = rows[index], rows[index + 1]
    if below.page != row.page or below.top - row.bottom > 1.2 * row.height:
        return []
    return [w for w in below.words if w.left >= left]


def _capitals_running_on(row: _Row, hit: _Hit, value: list[Word]) -> bool:
    """A value in capitals that ran to the column's edge goes on in capitals, and its next
    words may happen to spell a label ("HỘ KINH DOANH CỬA HÀNG | ĐIỆN THOẠI LINH" is no phone
    number's label): forms print labels in sentence case, so words in capitals with neither a
    colon nor a cell of their own after them continue the value."""
    words = row.words[hit.start : hit.end]
    if not all(w.text.isupper() for w in [*value, *words] if any(c.isalpha() for c in w.text)):
        return False
    if _signals_value(row, hit) or hit.end >= len(row.words):
        return False
    return not _new_cell(row, hit.end)


def _column_split(
    row: _Row, hit: _Hit, row_hits: list[_Hit], columns, kind: str = "text"
) -> dict[str, list[Word]]:
    """Words right of a label in a table row, shared out to the nearest column heading."""
    words = _value_right(row, hit, row_hits, kind, one_cell=False)
    out: dict[str, list[Word]] = {name: [] for name, _ in columns}
    for word in words:
        center = (word.left + word.right) / 2
        name = min(columns, key=lambda c: abs(c[1] - center))[0]
        out[name].append(word)
    return {name: _trim_value_words(ws) for name, ws in out.items()}


def _cells(row: _Row) -> list[list[int]]:
    """Word indices of each table cell of a row: cells are parted by a wide gap or a rule."""
    cells: list[list[int]] = [[]]
    for j, word in enumerate(row.words):
        if _is_rule(word):
            cells.append([])
            continue
        if cells[-1] and _new_cell(row, j):
            cells.append([])
        cells[-1].append(j)
    return [cell for cell in cells if cell]


def _new_cell(row: _Row, j: int) -> bool:
    """Word ``j`` starts another cell than the word before it: a gap wider than any space
    between words, or a narrower one where Tesseract itself started another line or block
    (a grid's cells can stand closer than a tab stop: "Tên gọi của | Hộ kinh doanh Nhà")."""
    if j == 0:
        return False
    word, previous = row.words[j], row.words[j - 1]
    gap = word.left - previous.right
    if gap > CELL_GAP * row.unit:
        return True
    if word.block != previous.block and gap > BLOCK_GAP * row.unit:
        return True  # Tesseract's own layout analysis saw two columns
    other_line = (word.block, word.line) != (previous.block, previous.line)
    return other_line and gap > SEGMENT_GAP * row.unit


def _join_wrapped_labels(rows: list[_Row], labels: list[_Label]) -> list[_Row]:
    """A label too long for its table cell wraps onto the next line of the cell ("Ngày tháng
    năm" / "sinh (ghi bằng số)", "Người đề nghị | ... | Giấy tờ tùy | ..." / "cấp phép | thân
    số"): the next line's cells that start in lower case under a cell of the row are joined to
    it when together they make a known wording, or when the cell is one of a grid's inner
    cells (a value follows it) and the wrapped words are no value (no digits)."""
    out = list(rows)
    i = 0
    below_index = 1  # the line looked at under row i: the next one, or the one after a line
    # whose label words were joined to row i while its value's stayed ("Nơi xây | Số 96, ..."
    # / "dựng công | Điện Biên Phủ," / "trình | phường Quang")
    reach = rows[0].bottom if rows else 0  # the bottom of the last line joined to row i
    while below_index < len(out):
        row, below = out[i], out[below_index]
        reach = max(reach, row.bottom)
        joins = []
        if below.page == row.page and below.top - reach <= row.height:
            joins = _wrapped_cells(row, below, labels)
        if not joins:
            i, reach = i + 1, 0
            below_index = i + 1
            continue
        words = list(row.words)
        moved_from: set[int] = set()
        for cell, tail_indices in sorted(joins, key=lambda j: j[0][-1], reverse=True):
            # squeezed into the last word's right end, so the gap to the next cell stays
            last, n = row.words[cell[-1]], len(tail_indices)
            moved = [
                replace(below.words[j], left=last.right - n + k - 1, right=last.right - n + k)
                for k, j in enumerate(tail_indices, start=1)
            ]
            if last.text.endswith((":", "：")) and moved:
                # "Thủ tục hành:" / "chính": the colon ends the whole label
                words[cell[-1]] = replace(last, text=last.text[:-1])
                moved[-1] = replace(moved[-1], text=moved[-1].text + ":")
            words[cell[-1] + 1 : cell[-1] + 1] = moved
            moved_from.update(tail_indices)
        out[i] = replace(row, words=words, keys=[_label_key(w.text) for w in words])
        rest = [w for j, w in enumerate(below.words) if j not in moved_from]
        if rest:
            out[below_index] = replace(below, words=rest, keys=[_label_key(w.text) for w in rest])
            below_index += 1
        else:
            del out[below_index]  # the label may wrap again: "Người đề" / "nghị cấp" / "phép"
        reach = below.bottom
    return out


def _wrapped_cells(
    row: _Row, below: _Row, labels: list[_Label]
) -> list[tuple[list[int], list[int]]]:
    """(cell of ``row``, cell of ``below``) pairs where the label in the row's cell goes on
    in the cell below it."""
    row_cells, below_cells = _cells(row), _cells(below)
    joins = []
    for tail in below_cells:
        first = below.words[tail[0]]
        if not (first.text[:1].islower() or first.text.startswith("(")):
            continue
        for c, whole in enumerate(row_cells):
            # the label's column, maybe after the row's number ("2 Ngày tháng năm")
            aligned = [
                k
                for k, j in enumerate(whole)
                if abs(row.words[j].left - first.left) <= 1.5 * row.height
            ]
            if not aligned:
                continue
            cell = whole[aligned[0] :]
            if c + 1 < len(row_cells):  # what stands under the next cell is that cell's
                limit = row.words[row_cells[c + 1][0]].left - row.unit
                tail = [j for j in tail if below.words[j].left < limit]
                if not tail:
                    break
            label_words = [row.words[j] for j in cell]
            tail_words = [below.words[j] for j in tail]
            text = match_key(" ".join(w.text for w in [*label_words, *tail_words]))
            alone = match_key(" ".join(w.text for w in label_words))
            inner = (
                c + 1 < len(row_cells)
                and _label_shaped(label_words)
                and len(label_words) + len(tail_words) <= MAX_LABEL_WORDS
                and not any(ch.isdigit() for w in [*label_words, *tail_words] for ch in w.text)
            )
            # the words above a caption that is a wording on its own ("Định" / "(Vị trí thửa
            # đất)": an address's last word) add nothing to it: they are a value's
            by_itself = match_key(" ".join(w.text for w in tail_words))
            known = _known_wording(text, labels)
            if inner or known > max(
                _known_wording(alone, labels), _known_wording(by_itself, labels)
            ):
                joins.append((cell, tail))
            break
    return joins


def _label_shaped(words: list[Word]) -> bool:
    """Printed as a label: a capitalised first word, then lower case, abbreviations or a
    note ("Giấy tờ tùy", "Chiều cao (số"); a capital further on is a name or place, a value,
    unless it is the second of a slash pair ("Nam NW": "Nam/Nữ")."""
    return words[0].text[:1].isupper() and all(
        w.text[:1].islower()
        or _abbreviation(w.text)
        or w.text.startswith("(")
        or _pair_second(match_key(before.text), match_key(w.text)) is not None
        for before, w in itertools.pairwise(words)
    )


def _known_wording(key: str, labels: list[_Label]) -> float:
    """How closely the folded text is a known label's wording (0 below the label's threshold),
    a note in parentheses after it allowed ("ngày tháng năm sinh (ghi bằng số)"): a wording
    followed by more words scores by how much of the text it spells, so that "Thủ tục hành"
    joined to "chính" reads as "Thủ tục hành chính", not as "Thủ tục" with a note."""
    best = 0.0
    for label in labels:
        if label.section is not None:
            continue
        if len(label.key.split()) >= 2 and key.startswith(label.key + " "):
            best = max(best, 90.0 + 10.0 * len(label.key) / len(key))
        score = fuzz.ratio(key, label.key)
        if score >= _threshold(label.key):
            best = max(best, score)
    return best


def _collect(
    doc_type: DocumentType, pages: list[PageText], taxonomy: Taxonomy
) -> dict[str, list[_Candidate]]:
    labels = _labels(doc_type)
    rows = _join_wrapped_labels(_rows(pages), labels)
    title_rows = _title_rows(rows, doc_type, taxonomy)
    hits = [
        []
        if i in title_rows or _PLACE_DATE.match(" ".join(w.text for w in row.words))
        else [h for h in _match_row(row, i, labels) if not _names_a_relative(row, h)]
        for i, row in enumerate(rows)
    ]
    # Printed labels the taxonomy does not list end the values before them, and may fill a
    # field its own wordings did not find (below).
    # A table's label cells start where its known labels start.
    lefts: dict[int, list[int]] = {}
    for i, row_hits in enumerate(hits):
        for hit in row_hits:
            if hit.label.fields or hit.label.section is None:
                lefts.setdefault(rows[i].page, []).append(rows[i].words[hit.start].left)
        if not row_hits:
            continue  # no known label on the row: nothing pairs with it
        covered = {j for h in row_hits for j in range(h.start, h.end)}
        cells = _cells(rows[i])
        for k in _paired_label_cells(rows[i], cells, covered):  # a grid's column of labels
            lefts.setdefault(rows[i].page, []).append(rows[i].words[cells[k][0]].left)
    for i, row in enumerate(rows):
        if i not in title_rows and (hits[i] or not _PLACE_DATE.match(_row_text(row))):
            free = _free_segments(row, i, hits[i], lefts.get(row.page, []))
            if i - 1 in title_rows and _is_caption_row(row):
                free = []  # "(Dùng cho đăng ký lần đầu)" under the title: a subtitle
            hits[i] = sorted(hits[i] + free, key=lambda h: h.start)
    for i in range(len(rows) - 1):
        if i not in title_rows and _is_label_row(rows, hits, i):
            covered = {j for h in hits[i] for j in range(h.start, h.end)}
            for cell in _cells(rows[i]):
                if any(j in covered for j in cell):
                    continue
                label = _free_label(" ".join(rows[i].words[j].text for j in cell).strip("()"))
                if label is not None:
                    hits[i].append(_Hit(label, i, cell[0], cell[-1] + 1, 0.0))
            hits[i].sort(key=lambda h: h.start)
            rows[i] = replace(rows[i], labels_only=True)
    sections = _find_sections(rows, hits)
    found: dict[str, list[_Candidate]] = {spec.name: [] for spec in doc_type.fields}
    occurrences: dict[str, int] = {}
    for index in range(len(rows)):
        for hit in hits[index]:
            _take(rows, hits, sections, index, hit, found, occurrences)
    open_fields = [
        spec
        for spec in doc_type.fields
        if not any(
            c.words and not c.signed and normalize(spec.kind, _words_text(c.words)).ok
            for c in found[spec.name]
        )
    ]
    if open_fields:
        # unknown wordings are read on the first page and where known ones found labels (not
        # on a page of guidance or of the agency's own part: "Người nhận hồ sơ:" is the clerk)
        pages = {0} | {
            rows[i].page
            for i, row_hits in enumerate(hits)
            for h in row_hits
            if h.label.fields and not h.label.free
        }
        free_hits = [
            [h for h in row_hits if not h.label.free or rows[i].page in pages]
            for i, row_hits in enumerate(hits)
        ]
        for index, hit in _assign_free(rows, free_hits, doc_type, open_fields, taxonomy, sections):
            _take(rows, hits, sections, index, hit, found, occurrences, fallback=True)
    return found


#: Words (as keys) that make a person's label another person's: "Họ, chữ đệm, tên" is the
#: child's wording, "Họ, chữ đệm, tên người mẹ" the mother's.
_RELATIVES = frozenset({"me", "cha", "bo", "vo", "chong"})


def _names_a_relative(row: _Row, hit: _Hit) -> bool:
    """The words after a matched wording, in its cell before the value, name a relative the
    wording does not ("Họ, chữ đệm," / "(én nøười me": the mother's label, its end garbled
    past the taxonomy's wording for her): the hit is not that wording's field's."""
    end = _after_label_tail(row, hit, len(row.words))
    tail = {row.keys[j] for j in range(hit.end, end)}
    return bool(tail & _RELATIVES - set(hit.label.key.split()))


#: Most words a label cell of a label row may have, a note in parentheses included.
LABEL_ROW_WORDS = 12


def _is_label_row(rows: list[_Row], hits: list[list[_Hit]], index: int) -> bool:
    """A row of labels printed above their values ("Họ và tên khai sinh    Sinh ngày" over
    "CAO BÍCH DUNG    09/06/2024": boxed forms, forms printed from an online service): every
    cell of the row reads as a label in sentence case (a capitalised first word, no digit, no
    colon), and the row right below, which no known label starts, puts each of its cells under
    one of this row's cells. Headings in capitals, captions in parentheses, numbered tables'
    rows and sentences are no such row."""
    row, below = rows[index], rows[index + 1]
    if below.page != row.page or below.top - row.bottom > 1.5 * row.height:
        return False
    worded = [w for w in row.words if sum(c.isalpha() for c in w.text) >= 2]
    shouted = [w for w in worded if w.text.isupper() and not _abbreviation(w.text)]
    if not worded or len(shouted) > 0.6 * len(worded):
        return False  # a heading in capitals ("NGƯỜI NỘP HỒ SƠ"); "Số CMND" is no heading
    if any(_ends_with_colon(w) or ":" in w.text for w in row.words):
        return False
    if row.words[-1].text.endswith("."):
        return False  # "Không có tài sản gắn liền với đất.": a sentence
    if _is_caption_row(row) or _is_caption_row(below):
        return False
    if any(not h.label.free for h in hits[index + 1]):
        return False
    cells = _cells(row)
    for cell in cells:
        words = [row.words[j] for j in cell]
        if len(words) > LABEL_ROW_WORDS or not words[0].text[:1].isupper():
            return False
        if not all(_label_like(w) or w.text.startswith("(") for w in words):
            return False
        if _title_case(words) or _ends_in_title_case(words):
            return False  # "Hoàng Khánh Ngát", "Việt Nam": a name, a value
        known = any(cell[0] <= h.start <= cell[-1] and not h.label.free for h in hits[index])
        if not known and not _sentence_case(words):
            return False  # "Giới tính (Nam/Nữ) | Nam": a table's value cell
    tolerance = 1.5 * row.height
    starts = [row.words[cell[0]].left for cell in cells]
    below_cells = _cells(below)
    if not cells or not below_cells or len(below_cells) > len(cells):
        return False  # a line of rules alone ("|  |") is no row of labels or of values
    first = [below.words[j].text for j in below_cells[0]]
    if len(first) == 1 and first[0].strip(".").isdigit() and len(first[0].strip(".")) <= 2:
        return False  # "1 | Sửa chữa xe" under "STT | Tên ngành": a numbered table
    if _label_then_value(below, below_cells):
        return False  # "Địa chỉ cửa hàng | Số 127, ..." under it: a table's rows
    if abs(below.words[below_cells[0][0]].left - starts[0]) > tolerance:
        return False  # "Tên thủ tục | Đăng ký đất đai ..." over "đầu": a table's wrapped value
    if not all(
        any(abs(below.words[cell[0]].left - x) <= tolerance for x in starts) for cell in below_cells
    ):
        return False
    # "Thường Kiệt, phường Đông Hải, ...": a wrapped address, its units maybe misread
    # ("phudng", "tinh": normalising spells them); checked last, normalising costs most
    return not _names_a_place(row.words)


def _abbreviation(text: str) -> bool:
    """ "CCCD", "CMND/CCCD", "GPLX": printed in capitals inside labels in sentence case."""
    tokens = match_key(text).split()
    return bool(tokens) and all(t in _ABBREVIATIONS for t in tokens)


def _label_then_value(row: _Row, cells: list[list[int]]) -> bool:
    """A table row: a label in sentence case, then a cell holding a number or a name."""
    if len(cells) < 2:
        return False
    first = [row.words[j] for j in cells[0]]
    if len(first) < 2 or not first[0].text[:1].isupper() or not _sentence_case(first):
        return False
    if not all(_label_like(w) for w in first) or first[-1].text.endswith(","):
        return False
    rest = [[row.words[j] for j in cell] for cell in cells[1:]]
    return any(any(c.isdigit() for w in cell for c in w.text) or _title_case(cell) for cell in rest)


def _sentence_case(words: list[Word]) -> bool:
    """A label as forms print one: a capitalised first word, then words in lower case or
    abbreviations ("Số CMND", "Dân tộc"); one capitalised word alone may be a value ("Nam")."""
    rest = [w.text for w in words[1:] if not w.text.startswith("(")]
    return any(t[:1].islower() or _abbreviation(t) for t in rest)


def _ends_in_title_case(words: list[Word]) -> bool:
    """A label followed in its cell by a name: "Họ và tên người đại diện hộ Trương Thành
    Thưởng", "Người nộp hồ sơ TRƯƠNG THÀNH" end in two capitalised words after lower-case
    ones."""
    run = 0
    for word in reversed(words):
        text = word.text
        if text[:1].isupper() and not _abbreviation(text) and not text.startswith("("):
            run += 1
        else:
            break
    return run >= 2 and run < len(words)


def _title_case(words: list[Word]) -> bool:
    """Two words or more, each capitalised (abbreviations in capitals aside): a name or a
    place, as values are printed; labels are in sentence case ("Số CMND", "Quốc tịch")."""
    titled = [w for w in words if w.text[:1].isupper() and not w.text.isupper()]
    lower = [w for w in words if w.text[:1].islower()]
    return len(titled) >= 2 and not lower


def _value_under(
    rows: list[_Row], hits: list[list[_Hit]], index: int, hit: _Hit, kind: str
) -> list[Word]:
    """The value of a label in a label row: the words of the row below in the label's column
    (up to the next label's), and for text the lines it wraps onto."""
    row, below = rows[index], rows[index + 1]
    left = row.words[hit.start].left - 1.5 * row.height
    following = [h for h in hits[index] if h.start >= hit.end]
    right = row.words[following[0].start].left - row.height if following else float("inf")
    words = _clean_value_words([w for w in below.words if left <= w.left < right], kind)
    if words and kind == "text" and not _ends_at_leader(below, words):
        more = _continuation(rows, hits, index + 1, words, round(left + 1.5 * row.height))
        words = words + _clean_value_words([w for w in more if w.left < right], kind)
    return words


def _row_text(row: _Row) -> str:
    return " ".join(w.text for w in row.words)


#: Kinds whose every value a form can print as a label's options ("Nam/Nữ").
_CLOSED_KINDS = frozenset({"gender", "licence_class"})


def _lists_the_values(label: _Label, spec: FieldSpec) -> bool:
    """An unlisted label that is the field's options ("Nam/Nữ" over a gender, "A1/A2" over a
    class) says what it labels as surely as a listed wording."""
    tokens = label.key.split()
    return (
        spec.kind in _CLOSED_KINDS
        and len(tokens) >= 2
        and all(normalize(spec.kind, token).ok for token in tokens)
    )


def _take(
    rows: list[_Row],
    hits: list[list[_Hit]],
    sections: _Sections,
    index: int,
    hit: _Hit,
    found: dict[str, list[_Candidate]],
    occurrences: dict[str, int],
    *,
    fallback: bool = False,
) -> None:
    """The value(s) beside one label hit, added to its fields' candidates."""
    row = rows[index]
    specs = hit.label.fields
    if not specs:
        return
    plain = [s for s in specs if not s.section]
    sectioned = [s for s in specs if s.section]
    for spec in plain:
        words = _value(rows, hits, index, hit, spec.kind)
        if fallback and _lists_the_values(hit.label, spec):
            found[spec.name].append(_Candidate(words, 100.0))
            continue
        found[spec.name].append(_Candidate(words, hit.score, None, fallback))
        if not words and spec.kind == "name":
            signed = _signed_name(rows, hits, index, hit)
            found[spec.name].append(_Candidate(signed, hit.score, None, fallback, signed=True))
    if not sectioned:
        return
    # The nearest column-heading row above ("Bên nữ | Bên nam"; the same words over the
    # signatures further down head no table).
    above = [cols for top, cols in sections.columns.get(row.page, []) if top < row.top]
    columns = above[-1] if above else None
    if columns:
        split = _column_split(row, hit, hits[index], columns, sectioned[0].kind)
        for spec in sectioned:
            words = _clean_value_words(split.get(spec.section[0], []), spec.kind)
            found[spec.name].append(_Candidate(words, hit.score, None, fallback))
        return
    current = sections.current.get(index)
    in_section = [s for s in sectioned if s.section[0] == current]
    if in_section:
        target = in_section
        reason = None
    else:  # no heading seen: the n-th occurrence goes to the n-th section
        n = occurrences.get(hit.label.key, 0)
        occurrences[hit.label.key] = n + 1
        target = [sectioned[min(n, len(sectioned) - 1)]]
        reason = "section heading not found; assigned by order"
    for spec in target:
        words = _value(rows, hits, index, hit, spec.kind)
        found[spec.name].append(_Candidate(words, hit.score, reason, fallback))


def _title_rows(rows: list[_Row], doc_type: DocumentType, taxonomy: Taxonomy) -> set[int]:
    """Rows that print the document's title: its words are not labels ("hẹn trả kết quả")."""
    out: set[int] = set()
    for index, row in enumerate(rows[:40]):
        text = " ".join(w.text for w in row.words)
        match = title_match([text], taxonomy)
        if match is not None and match.doc_type == doc_type.name:
            out.add(index)
        elif (
            len(text) > 8
            and match_key(text)
            and any(
                fuzz.partial_ratio(match_key(t), match_key(text)) >= 90 for t in doc_type.titles
            )
            and sum(c.isupper() for c in text) > 0.6 * sum(c.isalpha() for c in text)
        ):
            out.add(index)  # one half of a title wrapped over two lines
    return out


def _decide(spec: FieldSpec, candidates: list[_Candidate], taxonomy: Taxonomy) -> ExtractedField:
    pattern = taxonomy.dossier_code_pattern
    results = []
    # Known wordings in reading order first, then unknown wordings, best match first.
    candidates = sorted(candidates, key=lambda c: (c.fallback, -c.label_score if c.fallback else 0))
    if any(c.words for c in candidates if not c.signed):
        candidates = [c for c in candidates if not c.signed]
    for cand in candidates:
        if not cand.words:
            continue
        raw = _words_text(cand.words)
        result = normalize(spec.kind, raw, dossier_pattern=pattern)
        results.append((cand, raw, result, _ocr_confidence(spec.kind, cand.words)))
    if not results:
        reason = "label not found" if not candidates else "label found but no value beside it"
        return ExtractedField(spec.name, None, None, 0.0, True, reason)
    good = [r for r in results if r[2].ok]
    cand, raw, result, ocr_conf = good[0] if good else results[0]
    confidence = round(max(0.0, min(1.0, ocr_conf, cand.label_score / 100.0)), 3)
    reason = result.reason
    threshold = (
        DIGITS_REVIEW_CONFIDENCE
        if spec.kind in _UNGUARDED_DIGITS
        else DATE_REVIEW_CONFIDENCE
        if spec.kind == "date"
        else REVIEW_CONFIDENCE
    )
    if reason is None and ocr_conf < threshold and not _closed_vocabulary(spec, raw):
        reason = f"low OCR confidence ({ocr_conf:.0%}) on {raw!r}"
    if reason is None and cand.extra_reason:
        reason = cand.extra_reason
    doubt = digits_in_doubt(_value_digits(spec.kind, cand.words)) if reason is None else None
    if doubt is not None:
        reason = f"{doubt[0].text!r} read again on its own gave {doubt[1]!r}: a digit is misread"
        confidence = min(confidence, SECOND_READING_CONFIDENCE)
    if reason is None and result.ok and spec.kind in ("name", "text") and not spec.values:
        reason = _tone_mark_doubt(spec.kind, result.value or "", raw)
        if reason is not None and spec.kind == "name":
            result = replace(result, value=name_with_listed_marks(result.value or ""))
    if reason is None and result.ok and spec.kind == "name":
        reason = _marks_maybe_lost(result.value or "", cand.words)
    on_dots = len(_ON_DOTS.findall(raw)) >= 2 or _stop_inside(raw)
    if reason is None and spec.kind in ("name", "text") and not spec.values and on_dots:
        reason = f"{raw!r} was printed over a dotted line: OCR cuts and garbles such text"
    if reason is None and result.ok and spec.kind == "text" and not spec.values:
        value = result.value or ""
        cut = unfinished_address(value)
        missing = province_missing(value) if spec.ends_with_province and not cut else None
        if missing and "," not in value:
            reason = f"{value!r} alone: the address's other lines may be lost"
        elif cut or missing:
            reason = (
                f"the address ends with {cut or missing!r}, not its province: it may be cut short"
            )
        damaged = damaged_address_start(result.value or "")
        if reason is None and damaged:
            reason = f"{damaged!r} in the address: OCR may have lost a unit or a '/'"
        if reason is None and _unbalanced_parenthesis(raw):
            # "Trung (am Y tế": a "t" read as "(" inside a word; "(tổ 12, ...": a speck, which
            # the normaliser dropped
            reason = f"a parenthesis that pairs with none in {raw!r}: a misread letter or a speck"
        if reason is None and re.fullmatch(r"[^\W\d_]+", result.value or ""):
            # places and business names have several words: "Nguyên" is the last line of
            # "..., tỉnh Thái" / "Nguyên" whose first line was not found
            reason = f"{result.value!r} is a single word: the rest may be on another line"
    if result.ok and spec.kind == "text" and not spec.values and reason is not None:
        # "Số 227 36, ...": read as "Số 227/36", the value still in review
        result = replace(result, value=mend_split_house_number(result.value or ""))
    if reason is None and cand.fallback and cand.label_score < FREE_LABEL_REVIEW * 100:
        reason = f"{UNLISTED_WORDING} ({cand.label_score:.0f})"
    if reason is None and len({r[2].value for r in good}) > 1:
        others = sorted({r[2].value for r in good if r[2].value != result.value} - {None})
        reason = f"conflicting values on the document: {result.value} vs {', '.join(others)}"
    value = result.value
    if value is not None and spec.kind in ("name", "text") and not spec.values:
        # "QUÁCH DUYNGHĨA", "KINHDOANHCỬA": the spaces OCR lost put back, still reviewed
        unglued = split_glued_words(value, names_only=spec.kind == "name")
        if unglued != value:
            reason = reason or f"{value!r} read with words glued together (OCR)"
            value = unglued
    if value is not None and spec.prefix:
        value, prefix_reason = restore_prefix(value, spec.prefix)
        reason = reason or prefix_reason
    if reason is None and value is not None and spec.bounds is not None:
        low, high = spec.bounds
        if not low <= float(value) <= high:
            reason = f"{value} is outside the plausible range {low:g}-{high:g}"
    if value is not None and spec.values:
        value, vocabulary_reason = _from_vocabulary(value, spec.values)
        reason = reason or vocabulary_reason
    if not result.ok:
        confidence = min(confidence, 0.3)
    return ExtractedField(spec.name, value, raw, confidence, reason is not None, reason)


#: Words of a receipt's time that a date's raw text carries ("14 giờ 00 phút, ngày ...").
_TIME_UNITS = frozenset({"gio", "phut", "h"})


def _value_digits(kind: str, words: list[Word]) -> list[Word]:
    """The words whose digits make the value: a date's hour and minutes make none."""
    if kind != "date":
        return words
    units = [fold(w.text).strip(",.:;") in _TIME_UNITS for w in words]
    return [w for k, w in enumerate(words) if not (k + 1 < len(words) and units[k + 1])]


def _ocr_confidence(kind: str, words: list[Word]) -> float:
    """The least OCR confidence (0..1) of the words a value's reading rests on: for a date,
    its numbers ("ngày", "tháng" are read however OCR spells them)."""
    if kind == "date":
        words = [w for w in words if any(c.isdigit() for c in w.text)] or words
    return min(w.confidence for w in words) / 100.0


def _unbalanced_parenthesis(text: str) -> bool:
    return text.count("(") != text.count(")")


def _closed_vocabulary(spec: FieldSpec, raw: str) -> bool:
    """A value checked against a short list needs no OCR confidence: "Nam" spelt out is the
    gender whatever Tesseract's score, and a procedure's name is read against the catalogue
    (a name far from every entry goes to review there)."""
    return bool(spec.values) or (spec.kind == "gender" and fold(raw) in ("nam", "nu"))


#: "Hộ.kinh.doanh", "khu.phố 2, tinh. Nam Định": words OCR read through the dots of the
#: leader they were written on (a full stop after a lower-case word inside a value is one;
#: abbreviations such as "TP." and "tp." are not).
_ON_DOTS = re.compile(r"[^\W\d_]\.(?=[^\W_])|(?<![^\W\d_])[^\W\d_A-ZĐ]{3,}\.(?=\s+\w)")


_STOP_BEFORE_CAPITAL = re.compile(r"(?<![^\W\d_])([^\W\d_]{2,})\.\s+(?=[^\W\d_])")
#: Abbreviations printed with a full stop inside addresses ("Tp. Huế", "Tx. Từ Sơn").
_ABBREVIATED_UNITS = frozenset({"tp", "tx", "tt", "kp", "ql"})


def _stop_inside(raw: str) -> bool:
    """ "thành phố Thủ. Đức": a full stop after a word, before a capital, inside a value. OCR
    read it off the dots the value was written on (a misread comma before a lower-case word
    is mended by the normaliser; abbreviations such as "Tp." are no sign)."""
    for found in _STOP_BEFORE_CAPITAL.finditer(raw):
        word = found.group(1)
        following = raw[found.end() : found.end() + 1]
        if following.isupper() and not word.isupper() and fold(word) not in _ABBREVIATED_UNITS:
            return True
    return False


def _marks_maybe_lost(value: str, words: list[Word]) -> str | None:
    """A name word read below Tesseract's sure confidence that names also spell with more
    marks ("Anh" read at 84 was "Ánh", "LAM" at 67 "LÂM"): the marks OCR did not see are
    the usual reason for the doubt. Read at 96, "Anh" is Anh. The family name is held
    against family names only ("Lê" is no "Lễ")."""
    spelt = value.split()
    if len(spelt) != len(words):
        return None
    for position, (text, word) in enumerate(zip(spelt, words, strict=True)):
        if word.confidence >= MARKS_SURE_CONFIDENCE:
            continue
        twins = more_marked_names(text, family=position == 0)
        if twins:
            return (
                f"{text!r} read at {word.confidence:.0f} % confidence: names also spell "
                f"it {' or '.join(repr(t) for t in twins)} (marks OCR may have lost)"
            )
    return None


def _tone_mark_doubt(kind: str, value: str, raw: str) -> str | None:
    """Tesseract drops tone marks with high confidence: a syllable that cannot be written
    without one ("Duc", "Tien"), a name word that is no syllable ("THIYẾN"), a listed family
    name with other marks ("Kiêu"), a whole name without a single mark, or a word names only
    carry with marks ("QUAN" for "Quân") goes to review."""
    lost = lost_tone_marks(value)
    if lost:
        return f"tone marks lost on {', '.join(lost)!r} (OCR)"
    impossible = impossible_syllables(value)
    misread = f"{', '.join(impossible)!r}: no Vietnamese word has these marks (OCR misread one)"
    if kind != "name":
        if impossible:
            return misread
        unsure = marks_lost_in_address(clean_text(raw))
        if unsure:
            return f"{', '.join(unsure)!r} lost marks: so may the address's other words (OCR)"
        misread = misread_units(clean_text(raw))
        if misread:
            return f"{', '.join(misread)!r}: one letter off a listed unit or name (OCR misread)"
        misspelt = misspelt_in_text(clean_text(raw))
        if misspelt:
            return f"{', '.join(misspelt)!r}: misread by OCR"
        # place names are made of the syllables personal names are ("ấp Binh Hòa")
        titled = [
            w.strip(",.;:()") for w in value.split()[1:] if w[:1].isupper() and not w.isupper()
        ]
        unmarked = unmarked_name_words(" ".join(titled), swapped=False)
        if unmarked:
            return f"{', '.join(unmarked)!r} printed without the marks such names carry (OCR)"
        return None
    foreign = foreign_syllables(value)
    if foreign:
        return f"{', '.join(foreign)!r} is no Vietnamese syllable: words glued or misread"
    if impossible:
        return misread
    listed = surname_doubt(value)
    if listed:
        return f"family name {value.split()[0]!r} is spelled {listed!r}: tone marks misread"
    unlisted = unlisted_family_name(value)
    if unlisted:
        return f"{unlisted!r} is no family name: the name's first word may be lost (OCR)"
    printed = clean_text(raw)  # before a family name got its marks back
    if len(printed.split()) >= 2 and printed.isascii():
        return f"no tone mark anywhere in the name {printed!r}: OCR may have dropped them"
    restored = printed.split()[:1] != value.split()[:1]
    unlisted = unlisted_name_words(value)
    if restored and unlisted:
        return (
            f"the family name lost its marks and {', '.join(unlisted)!r} is no listed name: "
            "OCR may have misread it"
        )
    unmarked = unmarked_name_words(value)
    if unmarked:
        return f"no listed name is spelt {', '.join(unmarked)!r}: OCR dropped or swapped marks"
    return None


def spelling_doubt(name: str) -> str | None:
    """Why a name's spelling is in doubt (marks OCR lost or misread, glued words), if it is."""
    return _tone_mark_doubt("name", name, name)


#: Fuzzy score (0-100, accents and case ignored) for a value to be read as a vocabulary entry.
VOCABULARY_THRESHOLD = 90.0
#: ... and for a value to be read as part of one (``fuzz.partial_ratio``).
PART_THRESHOLD = 90.0


def _past_a_shorter_name(key: str, vocabulary: list[str]) -> bool:
    """Whether a folded value goes on, a word or more, past an entry it begins with."""
    return any(
        key.startswith(match_key(e) + " ") and len(key) >= len(match_key(e)) + 3 for e in vocabulary
    )


def _from_vocabulary(value: str, vocabulary: list[str]) -> tuple[str, str | None]:
    """A closed-vocabulary value (a procedure's name) as the vocabulary spells it: OCR's lost
    tone marks come back from the list; a value far from every entry goes to review. The value
    may have run on into the next printed line, so its leading words are tried too."""
    words = match_key(value).split()
    closest = (0.0, value)
    for n in range(len(words), 0, -1):  # the whole value first: a prefix only when it ran on
        prefix = " ".join(words[:n])
        score, best = max((fuzz.ratio(prefix, match_key(e)), e) for e in vocabulary)
        if score >= VOCABULARY_THRESHOLD:
            key = match_key(best)
            longer = [e for e in vocabulary if match_key(e).startswith(key + " ")]
            if longer and n == len(words):
                # "Cấp giấy phép xây dựng" begins "... nhà ở riêng lẻ": a wrapped end not read
                # looks the same as the shorter name
                return best, f"{best!r} also begins {longer[0]!r}: its end may be cut off"
            return best, None
        if n == len(words) and _past_a_shorter_name(prefix, vocabulary):
            # cut at the line's end beyond where a shorter name stops ("Đổi giấy phép lái xe do
            # ngành Giao thông"): the one name it begins is what was printed
            starting = [
                e
                for e in vocabulary
                if len(match_key(e)) > len(prefix)
                and fuzz.ratio(prefix, match_key(e)[: len(prefix)]) >= VOCABULARY_THRESHOLD
            ]
            if len(starting) == 1:
                return starting[0], None
        closest = max(closest, (score, best))
    # a value cut at a line's end or whose first words OCR lost ("Đăng ký thành lập hộ",
    # "khai sinh"): the one entry it is part of, still for review
    key = " ".join(words)
    if len(words) >= 2 and len(key) >= 8:
        containing = [
            e for e in vocabulary if fuzz.partial_ratio(key, match_key(e)) >= PART_THRESHOLD
        ]
        if len(containing) == 1:
            return containing[0], f"{value!r} is part of {containing[0]!r}: the rest may be lost"
    return value, f"{value!r} is not one of the known values (closest: {closest[1]!r})"


def extract_fields(
    doc_type: str, pages: list[PageText], taxonomy: Taxonomy
) -> dict[str, ExtractedField]:
    """Every field of ``doc_type`` found on the document's pages, normalised and checked.

    A missing field comes back with ``value=None`` and ``needs_review``; a value that fails
    its validator keeps its raw text, ``value=None`` and the validator's reason.
    """
    definition = taxonomy.get(doc_type)
    if not definition.fields:
        return {}
    found = _collect(definition, pages, taxonomy)
    fields = {spec.name: _decide(spec, found[spec.name], taxonomy) for spec in definition.fields}
    _check_against_mrz(fields, definition.fields, pages)
    _take_lone_identity_number(fields, definition.fields, pages)
    _take_identity_numbers_by_section(fields, definition.fields, pages)
    _check_identity_numbers(fields, definition)
    _check_names_printed_again(fields, definition.fields, pages)
    money = [spec.name for spec in definition.fields if spec.kind == "money"]
    if len(money) == 1:
        _check_amount_in_words(fields, money[0], pages)
    return fields


#: The least confidence (0..100) of a reading whose marks prevail over another reading of the
#: same name that lacks them.
MARKED_TWIN_CONFIDENCE = 85.0
_WORD_EDGES = ".,:;()[]\"'"


def _check_names_printed_again(
    fields: dict[str, ExtractedField], specs: list[FieldSpec], pages: list[PageText]
) -> None:
    """A name a document prints twice (the applicant's under their signature, a requester's
    as the father's too) read once with marks the other reading lacks: OCR drops marks far
    more often than it adds them, so the marked words are taken and the value reviewed. Other
    differences prove nothing: the value may be a misreading mended ("NGUYÊN": "Nguyễn"), or
    the other reading may have swapped a mark ("Lé Thu Nhung" beside "LÊ THU NHUNG")."""
    names = [s for s in specs if s.kind == "name" and fields[s.name].value]
    if not names:
        return
    lines = [
        [w for w in (replace(w, text=w.text.strip(_WORD_EDGES)) for w in line) if w.text]
        for page in pages
        for line in page.lines()
    ]
    for spec in names:
        current = fields[spec.name]
        spelt = (current.value or "").split()
        own = (current.raw or "").casefold()
        for twin in _same_name_twins(lines, spelt):
            differ = [
                (k, word)
                for k, (mine, word) in enumerate(zip(spelt, twin, strict=True))
                if mine.casefold() != word.text.casefold()
            ]
            marks_lost_here = all(
                fold(spelt[k]) == spelt[k].casefold()
                and fold(w.text) != w.text.casefold()
                and w.confidence >= MARKED_TWIN_CONFIDENCE
                for k, w in differ
            )
            printed = " ".join(w.text for w in twin)
            if not marks_lost_here or printed.casefold() == own:
                continue
            for k, word in differ:
                spelt[k] = word.text.upper() if spelt[k].isupper() else word.text
            before = f"{current.reason}; " if current.reason else ""
            reason = f"printed again on the document as {printed!r}, with marks OCR lost here"
            fields[spec.name] = replace(
                current, value=" ".join(spelt), needs_review=True, reason=before + reason
            )
            break


def _same_name_twins(lines: list[list[Word]], spelt: list[str]) -> Iterator[list[Word]]:
    """Runs of words that spell ``spelt`` with other marks (case aside)."""
    n, key, exact = len(spelt), fold(" ".join(spelt)), " ".join(spelt).casefold()
    for line in lines:
        for start in range(len(line) - n + 1):
            run = line[start : start + n]
            text = " ".join(w.text for w in run)
            if fold(text) == key and text.casefold() != exact:
                yield run


def _check_against_mrz(
    fields: dict[str, ExtractedField], specs: list[FieldSpec], pages: list[PageText]
) -> None:
    """The fields an identity card's machine-readable zone also states, held against it.

    The front prints them in 5-point type scanners blur; the zone is set for machines and its
    check digits tell a right reading from a wrong one. A value the zone confirms needs no
    review whatever doubted it; one it contradicts takes the zone's reading, for review; one
    the front lost is supplied. Names have no check digit and no marks in the zone: it only
    doubts a printed name whose letters differ, or supplies a missing one for review.
    """
    with_mrz = [spec for spec in specs if spec.mrz]
    zone = read_mrz(pages) if with_mrz else None
    if zone is None:
        return
    for spec in with_mrz:
        reading = zone.element(spec.mrz or "")
        if reading is None:
            continue
        if spec.kind == "name":
            fields[spec.name] = _name_against_mrz(fields[spec.name], reading)
        else:
            fields[spec.name] = _value_against_mrz(fields[spec.name], reading)


#: The confidence of a value a check digit confirms.
MRZ_VERIFIED_CONFIDENCE = 0.95


def _value_against_mrz(field: ExtractedField, reading: MrzReading) -> ExtractedField:
    printed = field.value
    if printed == reading.value:
        if reading.verified and field.needs_review:
            confirmed = MRZ_VERIFIED_CONFIDENCE
            return replace(field, needs_review=False, reason=None, confidence=confirmed)
        return field
    if not reading.verified:
        if printed is None:
            reason = f"read only in the machine-readable zone ({reading.raw!r}), unconfirmed"
            return ExtractedField(field.name, reading.value, reading.raw, 0.3, True, reason)
        if field.needs_review:
            return field
        reason = f"the machine-readable zone reads {reading.value}, the front {printed}"
        return replace(field, needs_review=True, reason=reason)
    if printed is None:
        # the front lost it; the zone's check digit vouches for the reading
        return ExtractedField(
            field.name, reading.value, reading.raw, MRZ_VERIFIED_CONFIDENCE, False, None
        )
    reason = (
        f"the front reads {printed}; the check-digit-verified machine-readable zone {reading.value}"
    )
    return ExtractedField(field.name, reading.value, reading.raw, 0.5, True, reason)


def _name_against_mrz(field: ExtractedField, reading: MrzReading) -> ExtractedField:
    """The zone's letters are only trusted when each word spells a listed name ("CAO THT DUNG"
    is the zone misread, not the front). Then a name the front lost or OCR garbled takes them,
    marked as the front's words of the same letters or the one listed spelling, for review (a
    document of the dossier that prints the name may restore the rest of the marks)."""
    letters = reading.value.split()
    if unlisted_name_words(reading.value) or unlisted_family_name(reading.value):
        return field
    if field.value is not None and strip_accents(field.value).upper().split() == letters:
        return field
    if field.value is not None and not field.needs_review:
        reason = f"the machine-readable zone spells the name {reading.value}"
        return replace(field, needs_review=True, reason=reason)
    printed = {strip_accents(word).upper(): word for word in (field.value or "").split()}
    capitals = field.value is None or field.value.isupper()
    words = [printed.get(word) or (word if capitals else word.capitalize()) for word in letters]
    value = name_with_listed_marks(" ".join(words))
    read = f"read {field.value!r} ({field.reason})" if field.value else "not found on the front"
    reason = f"{read}; spelt as the machine-readable zone, which prints no marks"
    return ExtractedField(field.name, value, reading.raw, 0.3, True, reason)


def _check_identity_numbers(fields: dict[str, ExtractedField], definition: DocumentType) -> None:
    """A person's identity number against the birth date and sex the document prints for the
    same person (``groom_id_number`` with ``groom_birth_date`` and ``groom_gender``): the
    number encodes both, so a disagreement means one of them was misread; both go to review."""
    for spec in definition.fields:
        number = fields.get(spec.name) if spec.kind == "id_number" else None
        if number is None or not number.value:
            continue
        for kind, role in (("date", "birth_date"), ("gender", "gender")):
            name = definition.same_person(spec.name, kind, roles=(role,))
            if name is None or not fields[name].value:
                continue
            printed = fields[name].value
            doubt = (
                identity_number_doubt(number.value, birth_date=printed)
                if kind == "date"
                else identity_number_doubt(number.value, gender=printed)
            )
            for flagged in (spec.name, name) if doubt else ():
                field = fields[flagged]
                if not field.needs_review:
                    fields[flagged] = replace(field, needs_review=True, reason=doubt)


#: Twelve digits (a CCCD), in groups or not, standing on their own (nine, an old CMND, are
#: not told apart from an amount such as "500 000 000" by their shape).
_ID_SHAPE = re.compile(r"(?<![\w.,/-])\d(?: ?\d){11}(?![\w.,/-]?\d)")


def _take_lone_identity_number(
    fields: dict[str, ExtractedField], specs: list[FieldSpec], pages: list[PageText]
) -> None:
    """An identity number whose label was not found takes the document's one identity number
    that no other field holds, flagged for review.

    Twelve digits say what they are under any label wording (forms print "Giấy tờ tùy thân",
    "Số định danh cá nhân", "Đã xuất trình bản chính ..." and more); a document with two such
    numbers, or two identity fields missing, is left to the officer.
    """
    missing = [
        spec.name
        for spec in specs
        if spec.kind == "id_number" and fields[spec.name].reason == "label not found"
    ]
    if len(missing) != 1:
        return
    held = {field.value for field in fields.values() if field.value is not None}
    seen: dict[str, str] = {}
    for page in pages:
        for line in page.text.splitlines():
            for value, raw in _unheld_identity_numbers(line, held):
                seen.setdefault(value, raw)
    if len(seen) == 1:
        [(value, raw)] = seen.items()
        reason = "label not found: the document's only identity number no other field holds"
        fields[missing[0]] = ExtractedField(missing[0], value, raw, 0.3, True, reason)


def _unheld_identity_numbers(line: str, held: set[str]) -> Iterator[tuple[str, str]]:
    """The twelve-digit identity numbers on a line (normalised, as printed) no field holds."""
    for match in _ID_SHAPE.finditer(line):
        result = normalize("id_number", match.group(0))
        if result.ok and result.value is not None and result.value not in held:
            yield result.value, match.group(0)


#: How close a short line must come to a section's heading ("THONG TIN BIEN NO") to open it.
SECTION_HEADING_THRESHOLD = 80.0


def _take_identity_numbers_by_section(
    fields: dict[str, ExtractedField], specs: list[FieldSpec], pages: list[PageText]
) -> None:
    """A sectioned identity number whose label was not found ("Mã định danh", a wording the
    taxonomy does not list) takes the one identity number no other field holds printed under
    its section's heading (the bride's under "THÔNG TIN BÊN NỮ"), flagged for review."""
    missing = {
        tuple(spec.section): spec.name
        for spec in specs
        if spec.kind == "id_number"
        and spec.section
        and fields[spec.name].reason == "label not found"
    }
    if not missing:
        return
    headings = {
        section: [match_key(h) for h in section] for section in {tuple(s.section) for s in specs}
    }
    held = {field.value for field in fields.values() if field.value is not None}
    seen: dict[tuple[str, ...], dict[str, str]] = {}
    for page in pages:
        current: tuple[str, ...] | None = None
        for line in page.text.splitlines():
            key = match_key(line)
            if len(key.split()) <= 6:
                scores = {
                    section: max(fuzz.ratio(key, h) for h in keys)
                    for section, keys in headings.items()
                }
                best = max(scores, key=lambda section: scores[section])
                if scores[best] >= SECTION_HEADING_THRESHOLD:
                    current = best
                    continue
            if current is None:
                continue
            for value, raw in _unheld_identity_numbers(line, held):
                seen.setdefault(current, {}).setdefault(value, raw)
    for section, name in missing.items():
        numbers = seen.get(section, {})
        if len(numbers) == 1:
            [(value, raw)] = numbers.items()
            reason = "label not found: the one identity number printed under its section"
            fields[name] = ExtractedField(name, value, raw, 0.3, True, reason)


_IN_WORDS = re.compile(r"bang chu\s*(.*)$")


def _amounts_in_words(page: PageText) -> list[tuple[int, bool]]:
    """Each amount the page writes in words, "Bằng chữ: Năm mươi triệu đồng" on one line or
    its words on the line above a caption "(Bằng chữ)", or below a label "Bằng chữ:" alone;
    with whether the words close with "đồng" (a wrapped amount read on one line does not)."""
    keys = (match_key(line) for line in page.text.splitlines())
    lines = [key for key in keys if key]  # a block's end is no line
    out = []
    for i, key in enumerate(lines):
        found = _IN_WORDS.search(key)
        if not found:
            continue
        beside = [found.group(1).strip()]
        if not beside[0]:
            # "(Bằng chữ)" under its value, "Bằng chữ:" over it; a grid's cell that OCR read
            # as a line of its own may be either, with the figure on the other side
            above = [lines[i - 1]] if key == "bang chu" and i > 0 else []
            beside = above + lines[i + 1 : i + 2]
        for words in beside:
            amount = amount_from_words(words)
            if amount is not None:
                out.append((amount, words.endswith("dong")))
                break
    return out


def _check_amount_in_words(
    fields: dict[str, ExtractedField], name: str, pages: list[PageText]
) -> None:
    """Forms print an amount twice, in digits and in words ("Bằng chữ: Năm mươi triệu
    đồng"): a digit OCR misread shows up as a disagreement. Number words survive OCR better
    than digits (a misread word is no number word, and no amount is read): when the two
    differ in one digit only, or the digits lost their head ("000.000.000" read for
    "500.000.000", or nothing read), the words' amount is taken, for review."""
    current = fields[name]
    for page in pages:
        for amount, whole in _amounts_in_words(page):
            words = str(amount)
            if current.value is None:
                if whole:
                    reason = f"no amount read in digits; {words} in words"
                    fields[name] = replace(current, value=words, needs_review=True, reason=reason)
                    return
                continue
            if words == current.value:
                continue
            # one digit misread ("30 000 000" for "Năm mươi triệu"): the words' amount
            misread = one_character_apart(words, current.value)
            lost_head = len(current.value) < len(words) and words.endswith(current.value)
            value = words if whole and (misread or lost_head) else current.value
            fields[name] = replace(
                current,
                value=value,
                needs_review=True,
                reason=f"{current.value} in digits but {amount} in words",
            )
            return
