"""Recognised text of a page: words with their boxes, as every later stage consumes it.

Coordinates are pixels of the image that was recognised, origin top-left, y down.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word; ``text`` is Unicode NFC."""

    text: str
    left: int
    top: int
    right: int
    bottom: int
    confidence: float  # 0..100, Tesseract's word confidence
    block: int = 0
    line: int = 0  # page-wide line number, in reading order
    #: The word read again on its own (``ocr.second_look``), for words whose digits matter;
    #: None where it was not read again.
    second_reading: str | None = None

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top


@dataclass(slots=True)
class PageText:
    """All words of one page plus the geometry needed to place them on the page image."""

    words: list[Word]
    width: int
    height: int
    dpi: float
    rotation: int = 0  # clockwise degrees the page was turned to be upright (informational)
    extra: dict[str, object] = field(default_factory=dict)

    def lines(self) -> list[list[Word]]:
        """Words grouped by line, in reading order."""
        grouped: dict[int, list[Word]] = {}
        for word in self.words:
            grouped.setdefault(word.line, []).append(word)
        return [sorted(ws, key=lambda w: w.left) for _, ws in sorted(grouped.items())]

    @property
    def text(self) -> str:
        """Plain text, one line per line, NFC."""
        out: list[str] = []
        previous_block: int | None = None
        for line in self.lines():
            if previous_block is not None and line[0].block != previous_block:
                out.append("")
            out.append(" ".join(w.text for w in line))
            previous_block = line[0].block
        return unicodedata.normalize("NFC", "\n".join(out))

    @property
    def mean_confidence(self) -> float:
        if not self.words:
            return 0.0
        return sum(w.confidence for w in self.words) / len(self.words)

    def readable_share(self) -> float | None:
        """Share of the words that are Vietnamese syllables or numbers (punctuation aside), or
        None for a page with too few words to tell. Printed forms score 0.75 and more; a page
        OCRed upside down reads as debris ("ĐNOĐ 9009 NYO") and scores under 0.4."""
        from ocr.normalize import foreign_syllables

        words = [w.text.strip(".,:;()") for w in self.words]
        words = [w for w in words if w]
        if len(words) < MIN_WORDS_TO_JUDGE:
            return None
        readable = sum(1 for w in words if w.isdigit() or not foreign_syllables(w))
        return readable / len(words)


#: Fewer words than this (a photograph's caption, a signature) say nothing about readability.
MIN_WORDS_TO_JUDGE = 8
#: Under this :meth:`PageText.readable_share` a page's text is debris: read upside down, or a
#: photograph (printed forms score 0.75 and more).
UNREADABLE_SHARE = 0.4
