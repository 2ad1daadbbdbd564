"""Which document type a page or document is: by its printed title, else by its keywords.

Titles and keywords are compared accent-stripped and casefolded with fuzzy matching, because
Tesseract's Vietnamese model drops or swaps tone marks (ổ/ồ, ẵ/ẫ) far more often than letters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from ocr.normalize import SPLIT_CAPITAL_A, fold, match_key
from ocr.taxonomy import OTHER, RECEIPT, Taxonomy
from ocr.text import PageText

__all__ = [
    "SIGNATURE_CAPTION",
    "Classification",
    "classify",
    "find_title",
    "keyword_scores",
    "title_match",
]

#: Share of the page height searched for a title (forms print it under the national motto).
TITLE_REGION = 0.5
#: Fuzzy score (0-100) a line must reach against a title, accents and case ignored (a line
#: with another real word in place of one of the title's is never a match: see _another_title).
TITLE_THRESHOLD = 78.0
#: A mixed-case line (a label, a sentence) must match a title almost exactly.
MIXED_CASE_THRESHOLD = 95.0
#: A capitals line this close to a title is a title OCR damaged past recognition ("TO KHALDANG
#: KÝ KH.\\ESELXH") when the page's labels vote for the same type; alone it proves nothing.
DAMAGED_TITLE_THRESHOLD = 68.0


@dataclass(frozen=True, slots=True)
class Classification:
    """A document type with a confidence in 0..1; ``title_found`` when a title decided it."""

    doc_type: str
    confidence: float
    title_found: bool


@dataclass(frozen=True, slots=True)
class TitleMatch:
    """The best title on a page: its type, score (0-100) and the line index it sits on."""

    doc_type: str
    score: float
    line: int


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.7 * len(letters)


#: Wide capitals Tesseract cuts in two strokes on a faint scan: "A" (``SPLIT_CAPITAL_A``), and
#: "H" as "II" or "IL" ("TỜ KIL.\I ĐĂNG KÝ KIL\I SINII"); no Vietnamese word holds "II" or "IL".
_SPLIT_H = re.compile(r"I[IL](?=[A-ZĐ]|\b)")


def _joined_capitals(text: str) -> str:
    return _SPLIT_H.sub("H", SPLIT_CAPITAL_A.sub("A", text))


def _windows(lines: list[str]) -> list[tuple[int, str]]:
    """Each line, and each pair of consecutive lines (titles wrap onto a second line)."""
    out = [(i, line) for i, line in enumerate(lines)]
    out += [(i, f"{lines[i]} {lines[i + 1]}") for i in range(len(lines) - 1)]
    return out


def _title_candidates(taxonomy: Taxonomy) -> list[tuple[str, str]]:
    cached = _TITLES.get(id(taxonomy))
    if cached is not None and cached[0] is taxonomy:
        return cached[1]
    titles = [
        (name, match_key(title))
        for name, doc_type in taxonomy.types.items()
        for title in doc_type.titles
        if title
    ]
    _TITLES[id(taxonomy)] = (taxonomy, titles)
    return titles


#: Folded titles per taxonomy (one taxonomy per process in practice).
_TITLES: dict[int, tuple[Taxonomy, list[tuple[str, str]]]] = {}


def title_match(
    lines: list[str], taxonomy: Taxonomy, *, capitals_threshold: float = TITLE_THRESHOLD
) -> TitleMatch | None:
    """The best-matching title among ``lines`` (already limited to where titles are printed).
    ``capitals_threshold``: the score a capitals line needs (mixed case needs
    :data:`MIXED_CASE_THRESHOLD` whatever it is)."""
    candidates = _title_candidates(taxonomy)
    best: TitleMatch | None = None
    for index, window in _windows(lines):
        key = match_key(window)
        if len(key) < 4:
            continue
        capitals = _mostly_upper(window)
        threshold = capitals_threshold if capitals else MIXED_CASE_THRESHOLD
        mended = match_key(_joined_capitals(window)) if capitals else key
        for name, title in candidates:
            if len(key) > 1.6 * len(title) + 6 or len(title) > 2.2 * len(key) + 6:
                continue
            if name == OTHER and not capitals:
                continue  # a genre heads its document in capitals; "Giấy ủy quyền" is a row
            score = max(fuzz.ratio(key, title), fuzz.ratio(mended, title))
            # "TỜ KHAI ... KHAI SINH (Mẫu 01)" on one line; a mixed-case line must be the title
            # itself ("(Số thẻ Căn cước)" quotes "CĂN CƯỚC" and is a label)
            if len(key) > len(title) and capitals:
                score = max(score, fuzz.partial_ratio(title, key) - 4)
            if score < threshold or (best is not None and score <= best.score):
                continue
            if score < 100 and _another_title(mended, title, taxonomy):
                continue
            best = TitleMatch(name, score, index)
    return best


def _vocabulary(taxonomy: Taxonomy) -> frozenset[str]:
    """Every folded word the taxonomy prints (titles, keywords, labels, markers)."""
    cached = _WORDS.get(id(taxonomy))
    if cached is not None and cached[0] is taxonomy:
        return cached[1]
    texts = list(taxonomy.start_markers)
    for doc_type in taxonomy.types.values():
        texts += [t for t in doc_type.titles if t] + doc_type.keywords + doc_type.other_labels
        texts += [label for spec in doc_type.fields for label in spec.labels]
    words = frozenset(w for t in texts for w in match_key(t).split() if len(w) >= 2)
    _WORDS[id(taxonomy)] = (taxonomy, words)
    return words


_WORDS: dict[int, tuple[Taxonomy, frozenset[str]]] = {}


def _another_title(key: str, title: str, taxonomy: Taxonomy) -> bool:
    """A line close to a title but with one of its words replaced by another real word is
    another document: "TỜ KHAI ĐĂNG KÝ KHAI TỬ" (death) is not "... KHAI SINH", "GIẤY CHỨNG
    NHẬN ĐĂNG KÝ HỘ KINH DOANH" (the certificate) is not "GIẤY ĐỀ NGHỊ ..." (the application).
    OCR damage replaces words with debris ("KIL\\I"), not with words forms print."""
    line, wanted = key.split(), title.split()

    def near(a: str, b: str) -> bool:
        return a == b or fuzz.ratio(a, b) >= 75

    missing = [t for t in wanted if len(t) >= 2 and not any(near(t, u) for u in line)]
    if not missing:
        return False
    vocabulary = _vocabulary(taxonomy)
    return any(u in vocabulary for u in line if not any(near(u, t) for t in wanted))


def _top_lines(page: PageText, share: float) -> list[str]:
    limit = page.height * share if page.height else float("inf")
    return [" ".join(w.text for w in line) for line in page.lines() if line and line[0].top < limit]


def _has_start_marker(lines: list[str], taxonomy: Taxonomy) -> bool:
    markers = [match_key(m) for m in taxonomy.start_markers]
    for line in lines:
        key = match_key(line)
        if any(len(key) >= 0.7 * len(m) and fuzz.partial_ratio(m, key) >= 85 for m in markers if m):
            return True
    return False


#: "(Ký, ghi rõ họ tên)", OCR's "(hy, ghird họ tên)", "(hy, ght rõ họ tên)" or "(Ký, ghi rõ
#: họ, chữ đệm, tên)", folded (``normalize.fold``).
SIGNATURE_CAPTION = re.compile(
    r"(\bky\b|\bghi\s?r\w{0,2}\b|\bgh\w?\s+ro\b).{0,12}\bho(\s?ten|,?\s+chu\s+dem)\b"
)


def _above_signature(lines: list[str]) -> list[str]:
    """The lines before a signature caption: under it are a signature and a name, and a
    scribble read "BÀ Cà" is no "BÁO CÁO"."""
    for index, line in enumerate(lines):
        if SIGNATURE_CAPTION.search(fold(line)):
            return lines[:index]
    return lines


def find_title(page: PageText, taxonomy: Taxonomy) -> str | None:
    """The type whose title this page starts with, ``"other"`` for an unknown official
    document (national motto at the top but no known title), or ``None`` for a page that
    continues a document."""
    lines = _above_signature(_top_lines(page, TITLE_REGION))
    match = title_match(lines, taxonomy)
    if match is not None:
        return match.doc_type
    if _has_start_marker(lines[:6], taxonomy):
        return OTHER
    return None


def keyword_scores(text: str, taxonomy: Taxonomy) -> dict[str, float]:
    """Each type's keywords and field labels found in the text, a term shared by k types
    counting 1/k: "Họ và tên" is on every form and says nothing about which."""
    folded = " " + match_key(text) + " "
    vocabularies: dict[str, set[str]] = {}
    for name, doc_type in taxonomy.types.items():
        terms = {match_key(k) for k in doc_type.keywords}
        terms |= {match_key(label) for spec in doc_type.fields for label in spec.labels}
        vocabularies[name] = {t for t in terms if len(t) >= 4}
    shared: dict[str, int] = {}
    for terms in vocabularies.values():
        for term in terms:
            shared[term] = shared.get(term, 0) + 1
    return {
        name: sum(1.0 / shared[t] for t in terms if f" {t} " in folded)
        for name, terms in vocabularies.items()
        if terms
    }


#: Weighted keyword/label hits a type needs to be chosen untitled, and how many times the
#: next type's score it must reach.
MIN_KEYWORD_HITS = 2.5
MIN_KEYWORD_LEAD = 1.5


def classify(text: str | PageText, taxonomy: Taxonomy) -> Classification:
    """The document type of a page (or of a document's text): a title decides when found,
    keywords otherwise; ``other`` when neither is convincing."""
    if isinstance(text, PageText):
        lines = _top_lines(text, TITLE_REGION)
        plain = text.text
    else:
        plain = text
        lines = [line for line in text.splitlines() if line.strip()][:15]
    # the best title at the damaged threshold is the best title whenever one reaches the
    # full threshold (mixed case needs more than either): one pass over the lines
    match = title_match(lines, taxonomy, capitals_threshold=DAMAGED_TITLE_THRESHOLD)
    if match is not None and match.score >= TITLE_THRESHOLD:
        return Classification(match.doc_type, round(min(1.0, match.score / 100), 3), True)
    scores = keyword_scores(plain, taxonomy)
    # A receipt is known by its title or its QR code, never by words other papers quote
    # ("tiếp nhận hồ sơ", "hẹn trả kết quả" are in every notice about procedures).
    scores.pop(RECEIPT, None)
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1] <= 0:
        return Classification(OTHER, 0.5, False)
    best, hits = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if match is not None and match.doc_type == best and hits > second:
        # a damaged title and the labels agree: either alone is too weak (below)
        return Classification(best, round(min(0.75, 0.4 + match.score / 400), 3), False)
    if hits < MIN_KEYWORD_HITS:
        return Classification(OTHER, 0.5, False)
    if hits < MIN_KEYWORD_LEAD * second:
        return Classification(OTHER, 0.4, False)
    lead = hits - second
    # Without a title the type is a vote of words: good enough to sort, never to trust.
    return Classification(best, round(min(0.75, 0.4 + 0.04 * hits + 0.04 * lead), 3), False)
