"""Splitting a scanned batch into dossiers and documents.

A clerk scans a morning's stack in one go: each dossier opens with its reception receipt, whose
QR code holds the dossier code, followed by the citizen's documents. ``analyze_page`` runs in the
OCR worker (QR and title, per page); ``plan_documents`` runs once in the parent on all pages and
is pure: no I/O, so every splitting rule is tested on word-box fixtures.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ingest.qr import read_dossier_qr
from ocr.classify import (
    SIGNATURE_CAPTION,
    Classification,
    classify,
    find_title,
    keyword_scores,
)
from ocr.fields import (
    MARKED_TWIN_CONFIDENCE,
    UNLISTED_WORDING,
    ExtractedField,
    extract_fields,
    spelling_doubt,
)
from ocr.normalize import (
    fold,
    glued_date_readings,
    mark_count,
    match_key,
    one_character_apart,
    unlisted_family_name,
    unlisted_name_words,
)
from ocr.taxonomy import OTHER, RECEIPT, DocumentType, Taxonomy
from ocr.text import UNREADABLE_SHARE, PageText
from storage.workdays import CUTOFF, WorkCalendar

__all__ = ["PageAnalysis", "PlannedDocument", "analyze_page", "plan_documents"]

#: An untitled page with fewer words than this is a paper of its own (a photograph with its
#: caption, a stamp), not the next page of a form: a form's last page still carries its
#: signature block (about 20 words and more).
MIN_CONTINUATION_WORDS = 12

log = logging.getLogger(__name__)

#: Keyword/label hits an untitled page with a signature block needs to open a document of
#: another type than the form before it (a form of its own prints its labels: many more).
SIGNED_PAGE_VOTE = 5.0

#: Keyword-only classifications below this confidence go to review.
REVIEW_CLASSIFICATION = 0.8


@dataclass(slots=True)
class PageAnalysis:
    """What the worker learnt about one page: its receipt QR code, the title that opens a
    document on it, and whether it is an empty back."""

    index: int  # 0-based in the batch
    qr_code: str | None
    title_type: str | None
    blank: bool
    text: PageText


@dataclass(slots=True)
class PlannedDocument:
    """One document of the batch: its dossier, type, pages, fields, and what to review."""

    dossier_code: str | None
    doc_type: str
    pages: list[int]
    classification: Classification
    fields: dict[str, ExtractedField]
    needs_review: bool
    reasons: list[str] = field(default_factory=list)  # document-level review reasons


def analyze_page(
    index: int, gray: np.ndarray, dpi: float, text: PageText, blank: bool, taxonomy: Taxonomy
) -> PageAnalysis:
    """Per-page analysis in the worker. The QR code is always looked for with the fast reader
    (a receipt whose title OCR failed still opens its dossier); the slow fallbacks only run on
    pages titled as receipts."""
    if blank:
        return PageAnalysis(index, None, None, True, text)
    title = find_title(text, taxonomy)
    qr = read_dossier_qr(
        gray, dpi, pattern=taxonomy.dossier_code_pattern, thorough=title == RECEIPT
    )
    return PageAnalysis(index, qr, title, False, text)


@dataclass(slots=True)
class _Group:
    pages: list[PageAnalysis]
    receipt: bool

    @property
    def qr_code(self) -> str | None:
        """The first reception-receipt QR payload read on the group's pages."""
        return next((p.qr_code for p in self.pages if p.qr_code), None)


def _unreadable(page: PageAnalysis) -> bool:
    """OCR of an upside-down card copy reads "ĐNOĐ 9009 NYO": such a page is no next page of
    the form before it (a document of its own, flagged). The page stage reads such pages again
    turned round; this is for those that stay debris."""
    if len(page.text.words) < MIN_CONTINUATION_WORDS:
        return False
    share = page.text.readable_share()
    return share is not None and share < UNREADABLE_SHARE


#: A signature caption (``SIGNATURE_CAPTION``) or the signer's role, folded.
_SIGNATURE_CAPTION = re.compile(
    SIGNATURE_CAPTION.pattern
    # the signer's role over the signature: "NGƯỜI VIẾT ĐƠN", "CÔNG CHỨC TƯ PHÁP - HỘ TỊCH",
    # "Người yêu cầu" (its "y" read as a "v")
    + r"|\bnguoi\s+(viet|lam|ke\s+khai|khai|de\s+nghi|di\s+dang\s+ky|[yv]eu\s+cau)\b"
    r"|\bcong\s+chuc\b"
    # a form's footnotes, on a page of their own: "(1) Ghi rõ tên cơ quan ..."
    r"|^\W{0,3}\(1\)\s"
)


def _signature_block(page: PageAnalysis) -> bool:
    """A page that holds no more than a form's signature block ("NGƯỜI LÀM ĐƠN", its caption,
    the signature, the name) or its footnotes is the form's last page, however few its
    words."""
    return bool(_SIGNATURE_CAPTION.search(fold(page.text.text)))


def _group_type(group: _Group, taxonomy: Taxonomy) -> str:
    """What the document being built is, as far as splitting needs it: its title's type, else
    its first page's keyword vote."""
    if group.receipt:
        return RECEIPT
    first = group.pages[0]
    if first.title_type not in (None, OTHER):
        return first.title_type
    return classify(first.text.text, taxonomy).doc_type


def _reads_as_another_type(page: PageAnalysis, group: _Group, taxonomy: Taxonomy) -> bool:
    """An untitled page whose words vote for another type than the document before it opens a
    document: an identity card copy whose title OCR lost still prints "Quê quán", "Có giá trị
    đến", "Date of expiry"; a form's next page never reads as another form."""
    text = page.text.text
    vote = classify(text, taxonomy).doc_type
    if vote in (OTHER, RECEIPT) or vote == _group_type(group, taxonomy):
        return False
    # a page of guidance and of the agency's part ("PHẦN GHI CỦA CƠ QUAN TIẾP NHẬN") reads
    # most like a receipt: it closes the form before it
    scores = keyword_scores(text, taxonomy)
    if _signature_block(page) and scores[vote] < SIGNED_PAGE_VOTE:
        # a page closing with a signature block ends the form before it; its checklist may
        # name another procedure's papers ("Bản sao giấy phép lái xe") but few of its labels
        return False
    return max(scores, key=lambda name: scores[name]) == vote


def _group(pages: list[PageAnalysis], boundaries: set[int], taxonomy: Taxonomy) -> list[_Group]:
    groups: list[_Group] = []
    current_code: str | None = None
    for page in sorted(pages, key=lambda p: p.index):
        if page.blank:
            continue
        is_receipt = page.qr_code is not None or page.title_type == RECEIPT
        if is_receipt:
            same_receipt = (
                groups
                and groups[-1].receipt
                and page.qr_code is not None
                and page.qr_code == current_code
                and page.index not in boundaries
            )
            if same_receipt:  # second page of the same receipt
                groups[-1].pages.append(page)
                continue
            groups.append(_Group([page], True))
            current_code = page.qr_code
            continue
        starts = (
            page.title_type is not None
            or page.index in boundaries
            or not groups
            or (len(page.text.words) < MIN_CONTINUATION_WORDS and not _signature_block(page))
            or _unreadable(page)
            or _reads_as_another_type(page, groups[-1], taxonomy)
        )
        if starts:
            groups.append(_Group([page], False))
        else:
            groups[-1].pages.append(page)
    return groups


def _classify(group: _Group, taxonomy: Taxonomy) -> Classification:
    first = group.pages[0]
    if group.receipt:
        found = classify(first.text, taxonomy)
        if found.doc_type == RECEIPT:
            return found
        return Classification(RECEIPT, 0.9 if first.qr_code else 0.6, found.title_found)
    if first.title_type not in (None, OTHER):
        found = classify(first.text, taxonomy)
        if found.doc_type == first.title_type:
            return found
        return Classification(first.title_type, 0.85, True)
    # An untitled form's first page holds its labels; its next pages list attachments and
    # guidance that name other procedures ("Giấy khám sức khỏe của người lái xe" in a
    # business registration's checklist): they may only decide when the first page cannot.
    found = classify(first.text.text, taxonomy)
    if found.doc_type != OTHER or len(group.pages) == 1:
        return found
    joined = "\n".join(p.text.text for p in group.pages)
    return classify(joined, taxonomy)


#: Longest plausible wait between reception and the promised result (23 working days + holidays).
MAX_PROCESSING_DAYS = 60
#: The confidence of a receipt's date the dossier code's reception day confirms.
CODE_CONFIRMED_CONFIDENCE = 0.95


def _check_receipt_dates(
    fields: dict[str, ExtractedField],
    code: str | None,
    *,
    from_qr_code: bool = False,
    working_days: int | None = None,
) -> None:
    """The dossier code carries the reception day (YYMMDD) and a result is due after it:
    a date that contradicts them is an OCR slip (Tesseract misreads digits in dates). A
    date one misread digit away from agreeing is given as it agrees, still for review unless
    the QR code vouches for the code; a date that agrees is confirmed, whatever doubts OCR
    left on it. A date not read at all is the code's day, for review, when ``code`` is the
    QR code's (error-corrected, so right even where the printed code disagrees). A due date
    the receipt's own processing time (``working_days``) gives is confirmed in turn."""
    received, due = fields.get("received_date"), fields.get("due_date")
    day = re.search(r"-(\d{2})(\d{2})(\d{2})-", code or "")
    code_day = f"20{day.group(1)}-{day.group(2)}-{day.group(3)}" if day else None
    glued = glued_date_readings(received.raw or "") if received is not None else []
    if received is not None and not received.value and code_day in glued:
        received = replace(received, value=code_day)  # confirmed below
    elif received is not None and not received.value and code_day and from_qr_code:
        # nothing read ("08 giờ 50 phút, ngày" and the date lost): the code's day, for review
        reason = f"no received date read; the dossier code's day is {code_day}"
        fields["received_date"] = replace(
            received, value=code_day, needs_review=True, reason=reason
        )
    start = code_day or (received.value if received else None)
    if due is not None and not due.value and start:
        first = date.fromisoformat(start)
        within = [
            d
            for d in glued_date_readings(due.raw or "")
            if 0 <= (date.fromisoformat(d) - first).days <= MAX_PROCESSING_DAYS
        ]
        if len(within) == 1:
            reason = f"{due.raw!r} read as {within[0]}: the date's separators were lost (OCR)"
            due = fields["due_date"] = replace(due, value=within[0], reason=reason)
    if received is not None and received.value and code_day and received.value == code_day:
        # read alike twice, from the code and from the date: whatever OCR doubted, it is so
        confirmed = max(received.confidence, CODE_CONFIRMED_CONFIDENCE)
        fields["received_date"] = replace(
            received, needs_review=False, reason=None, confidence=confirmed
        )
    elif received is not None and received.value and code_day:
        code_field = fields.get("dossier_code")
        print_agrees_with_qr = (
            from_qr_code and code_field is not None and not code_field.needs_review
        )
        slip = one_character_apart(received.value, code_day)
        if slip and print_agrees_with_qr:
            # the QR code, error-corrected and read alike in print, says the day: one digit
            # of the printed date misread is no reason to look (19 of 19 on the holdout)
            confirmed = max(received.confidence, CODE_CONFIRMED_CONFIDENCE)
            fields["received_date"] = replace(
                received, value=code_day, needs_review=False, reason=None, confidence=confirmed
            )
        else:
            reason = f"received {received.value} but the dossier code says {code_day}"
            mended = code_day if slip else received.value
            fields["received_date"] = replace(
                received, value=mended, needs_review=True, reason=reason
            )
    if due is not None and due.value and start and working_days is not None:
        due = fields["due_date"] = _check_due_date(due, start, received, working_days)
    if due is not None and due.value and start:
        gap = (date.fromisoformat(due.value) - date.fromisoformat(start)).days
        if not 0 <= gap <= MAX_PROCESSING_DAYS:
            fields["due_date"] = replace(
                due,
                value=_due_in_range(due.value, start) or due.value,
                needs_review=True,
                reason=f"due {due.value} is {gap} days after {start}",
            )


#: "Thời gian giải quyết hồ sơ theo quy định là: 05 ngày làm việc", folded.
_PROCESSING_TIME = re.compile(r"\b(\d{1,2}) ?ngay lam viec\b")
#: "16 giờ 15 phút, ngày ...": the hour a dossier was received, folded.
_HOUR = re.compile(r"^\D{0,12}?(\d{1,2}) ?gio\b")


def _printed_working_days(group: _Group) -> int | None:
    """The processing time a receipt prints, in working days, when it prints one number."""
    found = {
        int(m.group(1))
        for page in group.pages
        for m in _PROCESSING_TIME.finditer(fold(page.text.text))
    }
    return found.pop() if len(found) == 1 else None


def _check_due_date(
    due: ExtractedField, start: str, received: ExtractedField | None, working_days: int
) -> ExtractedField:
    """``due`` against the day ``working_days`` working days after reception (Saturdays and
    Sundays skipped; counted from the next working day too when the dossier came at or after
    15:00, as Decree 61/2018 has it and not every office does). Read alike, the date is
    confirmed whatever OCR doubted; one character away from the one such day, it is mended
    and still reviewed. Holidays are not known here: a due date they moved stays as read."""
    calendar = WorkCalendar()
    first = date.fromisoformat(start)
    expected = {calendar.add_working_days(first, working_days)}
    hour = _HOUR.search(fold(received.raw or "")) if received is not None else None
    if hour is None or int(hour.group(1)) >= CUTOFF.hour:
        expected.add(calendar.add_working_days(calendar.next_working_day(first), working_days))
    days = {d.isoformat() for d in expected}
    if due.value in days:
        return replace(
            due,
            needs_review=False,
            reason=None,
            confidence=max(due.confidence, CODE_CONFIRMED_CONFIDENCE),
        )
    near = [d for d in days if one_character_apart(due.value or "", d)]
    if len(near) == 1:
        reason = f"due {due.value} read, but {working_days} working days after {start} is {near[0]}"
        return replace(due, value=near[0], needs_review=True, reason=reason)
    return due


def _due_in_range(due: str, start: str) -> str | None:
    """The due date with its year misread ("2021" for "2024"): the one year, one digit away,
    that puts it within the processing time after ``start``."""
    first = date.fromisoformat(start)
    for year in (first.year, first.year + 1):
        mended = f"{year}{due[4:]}"
        if not one_character_apart(due, mended):
            continue
        try:
            gap = (date.fromisoformat(mended) - first).days
        except ValueError:  # 29 February
            continue
        if 0 <= gap <= MAX_PROCESSING_DAYS:
            return mended
    return None


def _receipt_code(
    group: _Group, fields: dict[str, ExtractedField], reasons: list[str]
) -> str | None:
    """The dossier code a receipt opens: the QR payload, checked against the printed code."""
    qr = group.qr_code
    printed_field = fields.get("dossier_code")
    printed = printed_field.value if printed_field else None
    if qr and printed and printed != qr:
        reason = f"printed dossier code {printed} disagrees with the QR code {qr}"
        reasons.append(reason)
        if printed_field is not None:  # the error-corrected QR is given, the printed kept raw
            fields["dossier_code"] = replace(
                printed_field, value=qr, needs_review=True, reason=reason
            )
        return qr
    if qr:
        # printed code unreadable: the QR wins; read alike: whatever OCR doubted, it is so
        if printed_field is not None and printed in (None, qr):
            fields["dossier_code"] = replace(
                printed_field, value=qr, confidence=1.0, needs_review=False, reason=None
            )
        return qr
    if printed:
        reason = "QR code unreadable; the printed dossier code was used"
        reasons.append(reason)
        if printed_field is not None:
            fields["dossier_code"] = replace(printed_field, needs_review=True, reason=reason)
        return printed
    reasons.append("neither the QR code nor the printed dossier code could be read")
    return None


def plan_documents(
    pages: list[PageAnalysis],
    taxonomy: Taxonomy,
    *,
    forced_dossier: str | None = None,
    file_boundaries: list[int] | None = None,
) -> list[PlannedDocument]:
    """Dossiers and documents of a batch, in scan order.

    A readable receipt QR code (or a receipt title) opens a dossier; inside it a page with a
    document title opens a document and an untitled page continues the previous one; blank
    pages belong to no document; each input file (``file_boundaries``: batch indices where a
    file starts) opens a new document. Documents before the first receipt have no dossier
    (``None``) unless ``forced_dossier`` puts the whole batch in one.
    """
    boundaries = set(file_boundaries or [])
    documents: list[PlannedDocument] = []
    dossier: str | None = forced_dossier
    seen_receipt = False
    for group in _group(pages, boundaries, taxonomy):
        classification = _classify(group, taxonomy)
        doc_type = classification.doc_type
        fields = _fields_or_review(doc_type, group, taxonomy)
        reasons: list[str] = []
        if group.receipt:
            seen_receipt = True
            code = _receipt_code(group, fields, reasons)
            from_qr_code = code is not None and code == group.qr_code
            _check_receipt_dates(
                fields,
                code,
                from_qr_code=from_qr_code,
                working_days=_printed_working_days(group),
            )
            if forced_dossier is None:
                dossier = code
            elif code and code != forced_dossier:
                reasons.append(f"receipt for {code} in a batch put in dossier {forced_dossier}")
        elif not seen_receipt and forced_dossier is None:
            reasons.append("no reception receipt before this document: dossier unknown")
        unreadable = [p.index + 1 for p in group.pages if _unreadable(p)]
        if unreadable:
            reasons.append(
                f"the text of page(s) {', '.join(map(str, unreadable))} is unreadable "
                "(upside down, or no printed text)"
            )
        unsure = classification.confidence < REVIEW_CLASSIFICATION
        if not classification.title_found and doc_type != OTHER and unsure:
            reasons.append(
                f"no title found; classified as {doc_type} from keywords "
                f"({classification.confidence:.0%})"
            )
        review = bool(reasons) or any(f.needs_review for f in fields.values())
        documents.append(
            PlannedDocument(
                dossier_code=dossier,
                doc_type=doc_type,
                pages=[p.index for p in group.pages],
                classification=classification,
                fields=fields,
                needs_review=review,
                reasons=reasons,
            )
        )
    _name_by_identity_number(documents, taxonomy)
    _mend_from_dossier(documents, taxonomy)
    _procedure_from_dossier(documents, taxonomy)
    _cross_check(documents, taxonomy)
    for document in documents:  # fields read only to check others are not reported
        hidden = {f.name for f in taxonomy.get(document.doc_type).fields if not f.report}
        if hidden:
            document.fields = {n: f for n, f in document.fields.items() if n not in hidden}
            _recount_review(document)
    return documents


def _fields_or_review(
    doc_type: str, group: _Group, taxonomy: Taxonomy
) -> dict[str, ExtractedField]:
    """The document's fields; should reading them fail on a page nobody foresaw, every field
    goes to review empty, with the error, and the batch goes on: the pages are archived all
    the same, nothing is lost."""
    try:
        return extract_fields(doc_type, [p.text for p in group.pages], taxonomy)
    except Exception as exc:  # a rule's bug must not take the batch down
        pages = ", ".join(str(p.index + 1) for p in group.pages)
        log.exception("field extraction failed on pages %s (%s)", pages, doc_type)
        reason = f"field extraction failed ({type(exc).__name__}: {exc}); read the pages"
        return {
            spec.name: ExtractedField(spec.name, None, None, 0.0, True, reason)
            for spec in taxonomy.get(doc_type).fields
        }


def _recount_review(document: PlannedDocument) -> None:
    """The document's review flag after its fields changed: its own reasons or any field's."""
    document.needs_review = bool(document.reasons) or any(
        f.needs_review for f in document.fields.values()
    )


def _flag(document: PlannedDocument, name: str, reason: str) -> None:
    current = document.fields[name]
    if not current.needs_review:
        document.fields[name] = replace(current, needs_review=True, reason=reason)
    document.needs_review = True


#: How close (0-100, marks and case ignored) a doubtful reading of a name must be to a sure
#: reading of the same dossier to take its spelling: "MAPXUAN ĐỊNH" / "Mai Xuân Định" is 88;
#: two people of one family ("Trần Văn Nam" / "Trần Thị Lan") score below 60.
MEND_NAME_SCORE = 80.0


def _procedure_from_dossier(documents: list[PlannedDocument], taxonomy: Taxonomy) -> None:
    """A receipt's procedure OCR garbled or lost is named by the dossier's own form: the
    procedure that form opens ("Đăng ký khai sinh" for a birth registration form), the name
    closest to what was read when the procedure has several. It stays flagged."""
    opened: dict[str, set[str]] = {}
    for document in documents:
        if document.dossier_code is not None and document.doc_type != RECEIPT:
            opened.setdefault(document.dossier_code, set()).add(document.doc_type)
    for document in documents:
        current = document.fields.get("procedure")
        if document.doc_type != RECEIPT or current is None or not current.needs_review:
            continue
        names = [
            name
            for procedure in taxonomy.procedures.values()
            if procedure.get("opening_document") in opened.get(document.dossier_code or "", ())
            for name in procedure.get("names", [])
        ]
        reading = current.value or current.raw or ""
        if len(names) > 1 and reading:
            scores = sorted(
                ((fuzz.partial_ratio(match_key(reading), match_key(n)), n) for n in names),
                reverse=True,
            )
            names = [scores[0][1]] if scores[0][0] > scores[1][0] else []
        if len(names) != 1 or names[0] == current.value:
            continue
        read = f"read {reading!r}" if reading else "not read"
        document.fields["procedure"] = replace(
            current,
            value=names[0],
            reason=f"{read} ({current.reason}); the dossier's form is opened by this procedure",
        )


def _person_fields(doc_type: DocumentType) -> list[tuple[str, str]]:
    """(identity-number field, name field) of each person a document names with both."""
    pairs = []
    for spec in doc_type.fields:
        name_field = doc_type.same_person(spec.name, "name") if spec.kind == "id_number" else None
        if name_field is not None:
            pairs.append((spec.name, name_field))
    return pairs


def _name_by_identity_number(documents: list[PlannedDocument], taxonomy: Taxonomy) -> None:
    """A name OCR lost or garbled ("MINUETUIEN", nothing under its label) on a document whose
    identity number is read the same on another document of the dossier takes the name that
    document prints beside that number without doubt: one number, one person (a card copy's
    holder is the form's applicant). It stays flagged, saying where the name came from. Two
    names read without doubt beside one number that differ in a letter or two ("ÂU ĐỨC VỀ",
    "ÂU ĐỨC VŨ") are one misread: both go to review, and a word no name spells takes the
    other's."""
    by_dossier: dict[str, list[tuple[PlannedDocument, str, str]]] = {}
    for document in documents:
        if document.dossier_code is None:
            continue
        for id_field, name_field in _person_fields(taxonomy.get(document.doc_type)):
            number = document.fields.get(id_field)
            if number is not None and number.value and name_field in document.fields:
                entry = (document, number.value, name_field)
                by_dossier.setdefault(document.dossier_code, []).append(entry)
    for entries in by_dossier.values():
        sure = [
            (doc, number, doc.fields[name].value)
            for doc, number, name in entries
            if doc.fields[name].value and not doc.fields[name].needs_review
        ]
        for document, number, name_field in entries:
            current = document.fields[name_field]
            names = {
                value
                for doc, other_number, value in sure
                if doc is not document and other_number == number
            }
            if len({match_key(n) for n in names}) != 1:
                continue
            # spellings that differ in marks only: OCR drops marks far more often than it
            # adds them, so the most marked one (and one choice, whatever the set's order)
            spelling = max(names, key=lambda n: (mark_count(n), n))
            if current.value and not current.needs_review:
                _misread_beside_one_number(document, name_field, spelling, number)
                continue
            if current.value and _name_cut_short(current.value, spelling) == spelling:
                continue  # "Lê Ngọc Nhật Hoàng" in doubt beside a sure "LÊ NGỌC NHẬT": the
                # sure one lost a word (the cross-check flags it)
            confident = current.confidence * 100 >= MARKED_TWIN_CONFIDENCE
            if confident and _marks_dropped(spelling.casefold(), current.value or ""):
                # "Loan Ánh" read well but in doubt for another reason, beside a sure
                # "Loan Anh": the sure one lost a mark; the cross-check flags both and
                # keeps the marks ("LE THƯ NHUNG" read at 33 % is no such evidence)
                continue
            _spell_as(document, name_field, spelling, by=f"identity number {number}")


def _misread_beside_one_number(
    document: PlannedDocument, name_field: str, other: str, number: str
) -> None:
    """A sure name that another document's sure name beside the same identity number is a
    letter or two off (see ``_name_by_identity_number``)."""
    value = document.fields[name_field].value or ""
    a, b = match_key(value), match_key(other)
    if a == b or len(a.split()) != len(b.split()) or fuzz.ratio(a, b) < MEND_NAME_SCORE:
        return  # the same letters (the cross-check compares marks), or someone else
    mine_odd, other_odd = bool(unlisted_name_words(value)), bool(unlisted_name_words(other))
    if mine_odd and not other_odd:
        _spell_as(document, name_field, other, by=f"identity number {number}")
    elif not other_odd:  # (an odd other is the misread: it is mended from this one)
        _flag(document, name_field, f"{other!r} beside identity number {number} elsewhere (OCR)")


def _mend_from_dossier(documents: list[PlannedDocument], taxonomy: Taxonomy) -> None:
    """A name or identity number that went to review for how it reads ("MAPXUAN ĐỊNH", a
    13-digit number) takes the reading another document of the dossier printed without doubt,
    when the two are plainly the same (a name a letter or two off, or its first word lost; a
    number one or two digits off). It stays flagged, saying where the value came from. A sure
    reading that another field of the doubtful one's own document also holds is someone else
    (the father's name beside the child's on a birth form) and is not taken."""
    by_dossier: dict[str, list[tuple[PlannedDocument, str, str]]] = {}
    for document in documents:
        if document.dossier_code is None:
            continue
        kinds = {f.name: f.kind for f in taxonomy.get(document.doc_type).fields}
        for name in document.fields:
            if kinds.get(name) in ("name", "id_number"):
                entry = (document, name, kinds[name])
                by_dossier.setdefault(document.dossier_code, []).append(entry)
    for entries in by_dossier.values():
        sure = [
            (doc, kind, doc.fields[name].value)
            for doc, name, kind in entries
            if doc.fields[name].value and not doc.fields[name].needs_review
        ]
        for document, name, kind in entries:
            current = document.fields[name]
            reading = current.value or current.raw
            if not current.needs_review or not reading:
                continue
            own = {match_key(f.value) for n, f in document.fields.items() if n != name and f.value}
            matches = {
                value
                for doc, other_kind, value in sure
                if other_kind == kind
                and match_key(value) not in own
                and _same_reading(kind, reading, value)
            }
            if len({match_key(m) for m in matches}) != 1:
                continue  # none, or two different people
            # one person printed in two cases ("CAO MỸ TRANG", "Cao Mỹ Trang"): the most marked
            value = max(matches, key=lambda m: (mark_count(m), m))
            if kind == "name":
                _spell_as(document, name, value)
            elif value != current.value:
                document.fields[name] = replace(
                    current,
                    value=value,
                    reason=f"read {reading!r} ({current.reason}); taken from another document "
                    "of the dossier",
                )


def _same_reading(kind: str, doubtful: str, sure: str) -> bool:
    """Whether a doubtful reading is an OCR error of a sure one (see ``_mend_from_dossier``)."""
    if kind == "id_number":
        digits = re.sub(r"\D", "", doubtful)
        return digits != sure and Levenshtein.distance(digits, sure) <= 2
    a, b = match_key(doubtful), match_key(sure)
    if a == b or _name_cut_short(doubtful, sure) == sure:
        return False  # the same, or the sure one lost a word: OCR drops words, never adds
    if fuzz.ratio(a, b) >= MEND_NAME_SCORE:
        return True
    words = a.split()
    return len(words) >= 2 and b.endswith(" " + a)  # "MINH THỦY": the family name lost


def _cross_check(documents: list[PlannedDocument], taxonomy: Taxonomy) -> None:
    """The applicant's name and identity number appear on several documents of a dossier:
    two spellings that differ only in tone marks, or two numbers a digit or two apart, are
    OCR errors on one side (Tesseract's vie model swaps tone marks with high confidence). A
    name that is another's without its first or last word lost it to OCR: it takes the whole
    name when that one is read without doubt, and is flagged either way."""
    by_dossier: dict[str, list[tuple[PlannedDocument, str, str]]] = {}
    for document in documents:
        if document.dossier_code is None:
            continue
        kinds = {f.name: f.kind for f in taxonomy.get(document.doc_type).fields}
        for name, extracted in document.fields.items():
            if extracted.value and kinds.get(name) in ("name", "id_number"):
                by_dossier.setdefault(document.dossier_code, []).append(
                    (document, name, extracted.value)
                )
    corrections: list[tuple[PlannedDocument, str, str]] = []
    for entries in by_dossier.values():
        _confirm_unlisted_wordings(entries)
        for i, (doc_a, name_a, value_a) in enumerate(entries):
            for doc_b, name_b, value_b in entries[i + 1 :]:
                shorter = _name_cut_short(value_a, value_b) if doc_a is not doc_b else None
                if shorter is not None:
                    # OCR loses a name's word far more often than it adds a real one
                    doc, name, longer, other_doc, other_name = (
                        (doc_a, name_a, value_b, doc_b, name_b)
                        if shorter == value_a
                        else (doc_b, name_b, value_a, doc_a, name_a)
                    )
                    other = other_doc.fields[other_name]
                    _flag(doc, name, f"{longer!r} on another document has a word more (OCR)")
                    # a doubtful longer reading still beats a short one, sure or not ("LÊ
                    # NGỌC NHẬT" beside "Lê Ngọc Nhật Hoàng" whose marks were lost), when every
                    # word of it is a listed name's
                    if other.needs_review:
                        # both in doubt: each word as the reading with more marks spells it
                        longer = _most_marked_words(longer, shorter)
                    plausible = spelling_doubt(longer) is None and not unlisted_family_name(longer)
                    if not other.needs_review or plausible:
                        corrections.append((doc, name, longer))
                        if other.needs_review and plausible:  # "Phạm Bích Thuy" too
                            corrections.append((other_doc, other_name, longer))
                reason = _disagreement(value_a, value_b)
                if reason is None:
                    continue
                _flag(doc_a, name_a, f"{reason}: {value_b!r} on another document of the dossier")
                _flag(doc_b, name_b, f"{reason}: {value_a!r} on another document of the dossier")
                if not value_a.isdigit():
                    doubt_a, doubt_b = spelling_doubt(value_a), spelling_doubt(value_b)
                    if doubt_a and not doubt_b:
                        corrections.append((doc_a, name_a, value_b))
                    elif doubt_b and not doubt_a:
                        corrections.append((doc_b, name_b, value_a))
                    elif _marks_dropped(value_a, value_b):
                        corrections.append((doc_a, name_a, value_b))
                    elif _marks_dropped(value_b, value_a):
                        corrections.append((doc_b, name_b, value_a))
    for document, name, spelling in corrections:
        _spell_as(document, name, spelling)


def _confirm_unlisted_wordings(entries: list[tuple[PlannedDocument, str, str]]) -> None:
    """A name or number found under a label wording the taxonomy does not list ("Người đề
    nghị cấp phép") is reviewed for the label's sake alone; read exactly so, marks and all, on
    another document of the dossier where nothing was in doubt, the label was the field's."""
    for document, name, value in entries:
        extracted = document.fields[name]
        if not (extracted.reason or "").startswith(UNLISTED_WORDING):
            continue
        vouched = any(
            other is not document
            and other_value.casefold() == value.casefold()
            and not other.fields[other_name].needs_review
            for other, other_name, other_value in entries
        )
        if vouched:
            document.fields[name] = replace(extracted, needs_review=False, reason=None)
            _recount_review(document)


def _spell_as(
    document: PlannedDocument, name: str, spelling: str, *, by: str | None = None
) -> None:
    """A name OCR misspelt ("LÊ THU NGAN": "NGAN" is no name) or lost takes the spelling
    another document of the dossier printed without doubt ("Lê Thu Ngân"), in its own case; it
    stays flagged, saying where the spelling came from (``by``: what ties the two)."""
    current = document.fields[name]
    if current.value is not None and current.value.isupper():
        spelling = spelling.upper()
    elif current.value is not None and spelling.isupper():
        spelling = " ".join(w[:1] + w[1:].lower() for w in spelling.split())
    if spelling == current.value:
        return
    read = f"read {current.value!r}" if current.value else "no name read"
    source = "another document of the dossier" + (f" with the same {by}" if by else "")
    document.fields[name] = replace(
        current,
        value=spelling,
        needs_review=True,
        reason=f"{read} ({current.reason}); spelt as {source} prints it",
    )


def _name_cut_short(a: str, b: str) -> str | None:
    """The one of two names that is the other without its first or last word ("Quách Quốc
    Nghĩa" beside "Quách Quốc Nghĩa An"), if either is; names of two words or more only."""
    words_a, words_b = match_key(a).split(), match_key(b).split()
    for short, long, name in ((words_a, words_b, a), (words_b, words_a, b)):
        if len(short) >= 2 and len(long) == len(short) + 1 and short in (long[:-1], long[1:]):
            return name
    return None


def _most_marked_words(longer: str, shorter: str) -> str:
    """``longer`` with each word it shares with ``shorter`` (marks aside) spelt as the one of
    the two with more marks ("Phạm Bích Thuy" beside "BÍCH THỦY": "Phạm Bích Thủy"); OCR drops
    marks far more often than it adds them."""
    out, short_words = longer.split(), shorter.split()
    # the short name is the long one without its last word, or without its first
    offset = 0 if match_key(" ".join(out[:-1])) == match_key(shorter) else 1
    for k, word in enumerate(short_words):
        mine = out[k + offset]
        if fold(mine) == fold(word) and mark_count(word) > mark_count(mine):
            out[k + offset] = word.upper() if mine.isupper() else word.capitalize()
    return " ".join(out)


def _marks_dropped(bare: str, marked: str) -> bool:
    """Whether ``bare`` is ``marked`` with the marks of some words lost and no other change
    ("LAM QUỐC VINH" beside "LÂM QUỐC VINH"): OCR drops a tone mark far more often than it
    invents one, so the marked spelling is the likelier reading."""
    words, marked_words = bare.casefold().split(), marked.casefold().split()
    if len(words) != len(marked_words):
        return False
    differing = [(a, b) for a, b in zip(words, marked_words, strict=True) if a != b]
    return bool(differing) and all(a == fold(a) and fold(b) == a for a, b in differing)


def _disagreement(a: str, b: str) -> str | None:
    if a.isdigit() and b.isdigit():
        if len(a) == len(b):
            differing = sum(x != y for x, y in zip(a, b, strict=True))
            if 0 < differing <= 2:
                return f"identity number differs in {differing} digit(s)"
        return None
    if a.isdigit() or b.isdigit():
        return None
    if a.casefold() != b.casefold() and fold(a) == fold(b):
        return "same name spelled with other tone marks"
    if fold(a).replace(" ", "") == fold(b).replace(" ", "") and len(a.split()) != len(b.split()):
        return "same name with words glued together"
    return None
