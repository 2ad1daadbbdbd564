"""Ways a form prints its label/value rows: the main source of layout variety.

Train layouts are what tests and any trained model see; holdout layouts exist only to check that
the product generalises to arrangements it never saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.synth.names import Value
from benchmarks.synth.sheet import Sheet

TRAIN_LAYOUTS = ("dotted", "on_leader", "below", "two_column", "table")
HOLDOUT_LAYOUTS = ("table_numbered", "aligned", "grid", "caption_below")
#: Layouts of the dev variant (tuning only, like its wordings): arrangements real forms use
#: that neither tests nor the holdout print.
DEV_LAYOUTS = ("listed", "label_above", "run_on")


@dataclass(frozen=True, slots=True)
class Row:
    """A printed label with its value; ``key`` names the taxonomy field it fills, if any."""

    label: str
    value: Value
    key: str | None = None


def draw_rows(sheet: Sheet, rows: Sequence[Row], layout: str) -> None:
    """Print ``rows`` in ``layout``; each row's value appears verbatim in the truth lines."""
    if layout == "table":
        header = sheet.rng.random() < 0.5
        body = [[r.label, r.value.printed] for r in rows]
        sheet.table(
            ([["Nội dung", "Thông tin"]] if header else []) + body, (0.42, 0.58), header=header
        )
    elif layout == "table_numbered":
        body = [[str(i), r.label, r.value.printed] for i, r in enumerate(rows, 1)]
        sheet.table(
            [["STT", "Thông tin", "Nội dung kê khai"], *body], (0.09, 0.38, 0.53), header=True
        )
    elif layout == "grid":
        _grid(sheet, rows)
    elif layout == "two_column":
        _two_column(sheet, rows)
    elif layout == "listed":
        _listed(sheet, rows)
    elif layout == "label_above":
        _label_above(sheet, rows)
    elif layout == "run_on":
        _run_on(sheet, rows)
    else:
        for row in rows:
            _single(sheet, row, layout)


def _single(sheet: Sheet, row: Row, layout: str) -> None:
    value = row.value.printed
    if layout == "below":
        sheet.line([(f"{row.label}:", "regular")])
        _wrapped(sheet, value, indent=sheet.px(10), leader=True)
    elif layout == "aligned":
        tab = sheet.left + sheet.px(62)
        end, _ = sheet.line([(row.label, "regular")], record=False)
        if end > tab - sheet.px(4):  # label too long for the tab stop: fall back to a colon
            sheet.record(row.label)
            _wrapped(sheet, f": {value}", indent=sheet.px(62), leader=False)
            return
        sheet.y -= sheet.line_height()
        lines = sheet.wrap(f": {value}", sheet.right - tab)
        sheet.record(f"{row.label} {lines[0]}")
        sheet.line([(lines[0], "regular")], x0=tab, record=False)
        for rest in lines[1:]:
            sheet.line([(rest, "regular")], x0=tab + sheet.px(3))
    elif layout == "caption_below":
        _caption_below(sheet, row.label, value)
    elif layout == "on_leader":
        _on_leader(sheet, row.label, value)
    else:  # dotted
        _wrapped(sheet, f"{row.label}: {value}", indent=0, leader=True)


def _wrapped(
    sheet: Sheet,
    text: str,
    *,
    indent: int,
    leader: bool,
    x0: int | None = None,
    x1: int | None = None,
) -> None:
    """Text wrapped to the column, the last line followed by a dotted leader to the edge."""
    lo = sheet.left if x0 is None else x0
    hi = sheet.right if x1 is None else x1
    lines = sheet.wrap(text, hi - lo - indent)
    for i, part in enumerate(lines):
        last = i == len(lines) - 1
        end, baseline = sheet.line(
            [(part, "regular")], indent=indent, x0=lo, x1=hi, record=not (last and leader)
        )
        if last and leader:
            dots = sheet.dots(end + sheet.px(1), baseline, hi)
            sheet.record(f"{part} {dots}")


def _on_leader(sheet: Sheet, label: str, value: str) -> None:
    """A pre-printed dotted line with the value written over it, as filled-in paper forms look."""
    width = sheet.right - sheet.left
    label_text = f"{label}:"
    label_w = sheet.font().getlength(label_text + " ")
    first_room = width - label_w
    lines = sheet.wrap(value, first_room)
    if len(lines) > 1:  # keep the first line within the room after the label
        first = sheet.wrap(value, first_room)[0]
        lines = [first, *sheet.wrap(value[len(first) :].strip(), width)]
    for i, part in enumerate(lines):
        prefix = label_text if i == 0 else ""
        sheet.need(sheet.line_height())
        baseline = sheet.y + round(sheet.size_pt / 72 * sheet.dpi)
        x = sheet.left
        if prefix:
            x = sheet.draw_segments(x, baseline, [(prefix, "regular")])
            x += sheet.font().getlength(" ")
        sheet.dots(x, baseline + sheet.px(0.6), sheet.right)
        sheet.draw_segments(x + sheet.px(2), baseline, [(part, "regular")])
        sheet.record(f"{prefix} {part}")
        sheet.y += sheet.line_height()


def _two_column(sheet: Sheet, rows: Sequence[Row]) -> None:
    """Short rows in pairs on one line ("Ngày sinh: ...   Giới tính: ..."); long rows full width."""
    mid = (sheet.left + sheet.right) // 2
    half = mid - sheet.left - sheet.px(3)
    font = sheet.font()
    pending: Row | None = None

    def short(row: Row) -> bool:
        return font.getlength(f"{row.label}: {row.value.printed}") < half - sheet.px(8)

    def pair(a: Row, b: Row) -> None:
        sheet.need(sheet.line_height())
        baseline = sheet.y + round(sheet.size_pt / 72 * sheet.dpi)
        texts = []
        for row, (lo, hi) in ((a, (sheet.left, mid - sheet.px(3))), (b, (mid, sheet.right))):
            text = f"{row.label}: {row.value.printed}"
            end = sheet.draw_segments(lo, baseline, [(text, "regular")])
            texts.append(f"{text} {sheet.dots(end + sheet.px(1), baseline, hi)}")
        sheet.record(" ".join(texts))
        sheet.y += sheet.line_height()

    for row in rows:
        if short(row):
            if pending is None:
                pending = row
            else:
                pair(pending, row)
                pending = None
            continue
        if pending is not None:
            _wrapped(sheet, f"{pending.label}: {pending.value.printed}", indent=0, leader=True)
            pending = None
        _wrapped(sheet, f"{row.label}: {row.value.printed}", indent=0, leader=True)
    if pending is not None:
        _wrapped(sheet, f"{pending.label}: {pending.value.printed}", indent=0, leader=True)


def _grid(sheet: Sheet, rows: Sequence[Row]) -> None:
    """A bordered four-column grid, two label/value pairs a row (household and residence
    forms); the values' cells wrap."""
    body = []
    for i in range(0, len(rows), 2):
        pair = rows[i : i + 2]
        cells: list[str] = []
        for row in pair:
            cells += [row.label, row.value.printed]
        body.append(cells + ["", ""] * (2 - len(pair)))
    sheet.table(body, (0.19, 0.31, 0.19, 0.31))


def _caption_below(sheet: Sheet, label: str, value: str) -> None:
    """The value on a dotted line, its label as a small caption in parentheses underneath
    (the way signature blocks and some certificates print names)."""
    lines = sheet.wrap(value, sheet.right - sheet.left - sheet.px(20))
    for i, part in enumerate(lines):
        end, baseline = sheet.line([(part, "regular")], indent=sheet.px(5), record=False)
        if i == len(lines) - 1:
            sheet.record(f"{part} {sheet.dots(end + sheet.px(1), baseline, sheet.right)}")
        else:
            sheet.record(part)
    sheet.line([(f"({label})", "italic")], indent=sheet.px(5), scale=0.8)


def _listed(sheet: Sheet, rows: Sequence[Row]) -> None:
    """Rows as a list, each marked ("1.", "a)", "-", "+") and its value typed after the colon
    without any leader, sometimes in bold (forms filled in on a computer); a long value wraps
    under the label's start."""
    marker = sheet.rng.choice(("1.", "a)", "-", "+"))
    style = sheet.rng.choice(("regular", "bold"))
    space = sheet.font().getlength(" ")
    for i, row in enumerate(rows):
        mark = {"1.": f"{i + 1}.", "a)": f"{'abcdeghiklmnopqrstuvxy'[i % 22]})"}.get(marker, marker)
        head = [(mark, "regular"), (f"{row.label}:", "regular")]
        start = sheet.left + sheet.px(5)
        room = sheet.right - start - sheet.text_width(head) - space
        lines = sheet.wrap(row.value.printed, room, style)
        if len(lines) > 1:
            first = lines[0]
            lines = [
                first,
                *sheet.wrap(
                    row.value.printed[len(first) :].strip(),
                    sheet.right - start - sheet.px(6),
                    style,
                ),
            ]
        sheet.need(sheet.line_height())
        baseline = sheet.y + round(sheet.size_pt / 72 * sheet.dpi)
        x = sheet.draw_segments(start, baseline, head) + space
        sheet.draw_segments(x, baseline, [(lines[0], style)])
        sheet.record(f"{mark} {row.label}: {lines[0]}")
        sheet.y += sheet.line_height()
        for rest in lines[1:]:
            sheet.line([(rest, style)], x0=start + sheet.px(6))


def _label_above(sheet: Sheet, rows: Sequence[Row]) -> None:
    """Boxes with the label small at the top and the value under it (forms printed from an
    online service, bank-style forms): two boxes a row when both values are short."""
    gap = sheet.px(3)
    half = (sheet.right - sheet.left - gap) // 2
    small = 0.8
    pad = sheet.px(1.5)

    def width_needed(row: Row) -> float:
        return max(
            sheet.font("regular", small).getlength(row.label),
            sheet.font().getlength(row.value.printed),
        )

    pending: list[Row] = []
    lines_of: list[list[Row]] = []
    for row in rows:
        if width_needed(row) < half - 2 * pad - sheet.px(4):
            pending.append(row)
            if len(pending) == 2:
                lines_of.append(pending)
                pending = []
        else:
            if pending:
                lines_of.append(pending)
                pending = []
            lines_of.append([row])
    if pending:
        lines_of.append(pending)
    for group in lines_of:
        boxes = (
            [(sheet.left, sheet.right)]
            if len(group) == 1 and width_needed(group[0]) >= half - 2 * pad - sheet.px(4)
            else [(sheet.left, sheet.left + half), (sheet.left + half + gap, sheet.right)]
        )
        wrapped = [
            sheet.wrap(row.value.printed, hi - lo - 2 * pad)
            for row, (lo, hi) in zip(group, boxes, strict=False)
        ]
        height = (
            sheet.line_height(small) + max(len(w) for w in wrapped) * sheet.line_height() + 2 * pad
        )
        sheet.need(height)
        top = sheet.y
        for row, (lo, hi), lines in zip(group, boxes, wrapped, strict=False):
            sheet.draw.rectangle((lo, top, hi, top + height), outline=0, width=2)
            sheet.y = top + pad
            sheet.line([(row.label, "italic")], scale=small, x0=lo + pad, x1=hi)
            for part in lines:
                sheet.line([(part, "regular")], x0=lo + pad + sheet.px(1), x1=hi)
        sheet.y = top + height + sheet.px(1.5)


def _run_on(sheet: Sheet, rows: Sequence[Row]) -> None:
    """Short rows run on along a line, separated by semicolons or wide spaces ("Thửa đất số:
    102; Tờ bản đồ số: 17; Diện tích: 120 m²"), as land and household forms print them; long
    rows on lines of their own, no leaders."""
    sep = sheet.rng.choice(("; ", ";   ", "      "))
    limit = sheet.right - sheet.left
    font = sheet.font()
    current = ""
    for row in rows:
        item = f"{row.label}: {row.value.printed}"
        joined = f"{current}{sep}{item}" if current else item
        if current and font.getlength(joined) > limit:
            sheet.line([(current, "regular")])
            current = item
        else:
            current = joined
        if font.getlength(current) > limit:
            for part in sheet.wrap(current, limit):
                sheet.line([(part, "regular")])
            current = ""
    if current:
        sheet.line([(current, "regular")])
