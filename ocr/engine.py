"""Tesseract through tesserocr, one open API per worker process, kept alive across pages.

Why tesserocr with the API kept open: the CLI and pytesseract start a process and load the
models for every page (about 0.6-0.9 s more per A4 page, benchmarks/bench_bindings.py).
``SetImageBytes`` hands the grey buffer over without any conversion; older tesserocr releases
spent 1.6 s per page converting a PIL image in ``SetImage`` (2.13 takes ~10 ms either way).

Threads: Tesseract's OpenMP threads only slow pages down when pages already run in parallel
processes. ``OMP_THREAD_LIMIT=1`` must be in the environment before libtesseract is loaded; the
ingest pipeline sets it in its worker initializer, and this module sets it (if unset) before it
imports tesserocr, so a stray import order cannot undo it.

The engine holds native handles and is not picklable: construct it inside each worker.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator
from glob import glob
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from ocr.text import PageText, Word

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

if TYPE_CHECKING:
    from tesserocr import PyTessBaseAPI

__all__ = [
    "ImageFormatError",
    "LanguageDataError",
    "OcrError",
    "TesseractEngine",
    "find_tessdata",
]

#: Where Debian/Ubuntu and source builds put the models, newest Tesseract first.
_SYSTEM_TESSDATA_GLOBS = (
    "/usr/share/tesseract-ocr/*/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/usr/local/share/tesseract-ocr/*/tessdata",
)


class OcrError(Exception):
    """Base class of everything the OCR engine raises."""


class LanguageDataError(OcrError):
    """A Tesseract model folder or language file is missing or unusable."""


class ImageFormatError(OcrError, ValueError):
    """The image handed to the engine is not an 8-bit single-channel array."""


#: Leptonica's message level that prints nothing (environ.h: L_SEVERITY_NONE).
_LEPTONICA_SILENT = 6


def leptonica_libraries() -> list[str]:
    """Paths of the Leptonica libraries loaded in this process (tesserocr's own copy or the
    system's), read from ``/proc/self/maps``; empty where that cannot be read."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            return sorted({line.split()[-1] for line in maps if "lept" in line.rsplit("/", 1)[-1]})
    except OSError:
        return []


def _silence_leptonica() -> None:
    """Leptonica prints its internal probes' complaints on stderr ("Error in
    pixScanForForeground: invalid box" for an empty region of a page); they are no error of
    the scan's, and scanning staff would take them for one. Tesseract's own result is
    unaffected."""
    import ctypes

    for path in leptonica_libraries():
        try:
            ctypes.CDLL(path).setMsgSeverity(_LEPTONICA_SILENT)
        except (OSError, AttributeError):  # not Leptonica after all: leave it be
            continue


def _has_models(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob("*.traineddata"))


def find_tessdata(explicit: Path | None = None) -> Path:
    """The folder holding ``*.traineddata``: explicit, then ``TESSDATA_PREFIX``, then the system's.

    ``TESSDATA_PREFIX`` may name the tessdata folder itself or its parent (Tesseract 3 style).
    An explicit folder without models is an error rather than a silent fallback, so a
    misconfigured ``HOSO_TESSDATA_DIR`` is noticed.
    """
    if explicit is not None:
        folder = Path(explicit).expanduser()
        if not _has_models(folder):
            raise LanguageDataError(
                f"Tesseract model folder {folder} has no *.traineddata files: point "
                "HOSO_TESSDATA_DIR at the folder holding vie.traineddata (on Debian "
                "/usr/share/tesseract-ocr/5/tessdata)"
            )
        return folder
    tried: list[str] = []
    prefix = os.environ.get("TESSDATA_PREFIX")
    if prefix:
        for folder in (Path(prefix), Path(prefix) / "tessdata"):
            if _has_models(folder):
                return folder
        tried.append(f"TESSDATA_PREFIX={prefix}")
    for pattern in _SYSTEM_TESSDATA_GLOBS:
        for candidate in sorted(glob(pattern), reverse=True):
            if _has_models(Path(candidate)):
                return Path(candidate)
        tried.append(pattern)
    raise LanguageDataError(
        "No Tesseract models found (looked in " + ", ".join(tried) + "): install "
        "tesseract-ocr-vie tesseract-ocr-eng or set HOSO_TESSDATA_DIR"
    )


def _check_languages(tessdata: Path, languages: str) -> list[str]:
    """The language codes of ``languages`` ('vie+eng'), each checked to have its model file."""
    codes = [code.lstrip("~") for code in languages.split("+") if code.strip()]
    if not codes:
        raise LanguageDataError(f"No Tesseract language given in {languages!r}: use e.g. 'vie+eng'")
    for code in codes:
        if not (tessdata / f"{code}.traineddata").is_file():
            raise LanguageDataError(
                f"Tesseract language data {code!r} not found in {tessdata}: install "
                f"tesseract-ocr-{code} or set HOSO_TESSDATA_DIR to a folder with "
                f"{code}.traineddata"
            )
    return codes


def _as_gray(gray: np.ndarray) -> np.ndarray:
    """A C-contiguous 2-D uint8 view of ``gray``, or a clear error."""
    if not isinstance(gray, np.ndarray) or gray.ndim != 2 or gray.dtype != np.uint8:
        shape = getattr(gray, "shape", None)
        dtype = getattr(gray, "dtype", type(gray).__name__)
        raise ImageFormatError(
            f"Expected a 2-D uint8 grey image, got shape {shape} dtype {dtype}: convert with "
            "cv2.cvtColor(..., cv2.COLOR_BGR2GRAY) first"
        )
    if gray.shape[0] < 3 or gray.shape[1] < 3:
        raise ImageFormatError(f"Image of {gray.shape[1]}x{gray.shape[0]} px is too small to OCR")
    return np.ascontiguousarray(gray)


def _check_dpi(dpi: float) -> int:
    if not dpi or dpi <= 0 or dpi != dpi:
        raise ImageFormatError(f"Resolution must be a positive number of dots per inch, got {dpi}")
    return max(1, round(dpi))


class TesseractEngine:
    """One Tesseract recogniser kept open.

    Not thread-safe and not picklable: one engine per worker process, reused for every page.
    """

    def __init__(
        self, languages: str = "vie+eng", tessdata_dir: Path | None = None, psm: int = 3
    ) -> None:
        from tesserocr import OEM, PyTessBaseAPI

        _silence_leptonica()
        self.tessdata = find_tessdata(tessdata_dir)
        self.languages = languages
        self.psm = psm
        _check_languages(self.tessdata, languages)
        self._inits = 0
        self._api: PyTessBaseAPI | None = self._open(PyTessBaseAPI, languages, psm, OEM.DEFAULT)

    def _open(self, api_class: Any, lang: str, psm: int, oem: int) -> PyTessBaseAPI:
        try:
            api = api_class(path=f"{self.tessdata}/", lang=lang, psm=psm, oem=oem)
        except RuntimeError as exc:
            raise LanguageDataError(
                f"Tesseract could not load {lang!r} from {self.tessdata} ({exc}): the model files "
                "may be corrupt or from an incompatible Tesseract; reinstall tesseract-ocr-"
                f"{lang.split('+')[0]} or set HOSO_TESSDATA_DIR"
            ) from exc
        self._inits += 1
        return api

    @property
    def init_count(self) -> int:
        """How many Tesseract APIs this engine has initialised (models loaded); for tests."""
        return self._inits

    def _live_api(self) -> PyTessBaseAPI:
        if self._api is None:
            raise OcrError("TesseractEngine is closed: create a new engine")
        return self._api

    def recognize(self, gray: np.ndarray, dpi: float, *, binary: bool = False) -> PageText:
        """Words of ``gray`` with boxes in its pixels, confidences, block/line numbers, NFC text.

        Blocks and lines are numbered from 1 across the page in Tesseract's reading order.
        ``PageText.extra["baselines"]`` maps each line number to its baseline
        ``(x1, y1, x2, y2)`` in the same pixels, so the text layer can sit on it.

        ``binary``: the image is black and white (0/255). It is then handed over as 1 bit per
        pixel, which spares Tesseract its own thresholding (8 % less CPU per page, measured on
        12 binarized synthetic pages). Page cleaning no longer makes such images: it keeps the
        ink's shades, which Tesseract's LSTM reads better (``ingest.clean``). A gray image must
        not be marked binary: it would be cut at 128.
        """
        from tesserocr import RIL

        api = self._live_api()
        image = _as_gray(gray)
        resolution = _check_dpi(dpi)
        height, width = image.shape
        if binary:
            # Tesseract's 1-bit convention: most significant bit first, a set bit is white.
            packed = np.packbits(image >= 128, axis=1)
            api.SetImageBytes(packed.tobytes(), width, height, 0, packed.shape[1])
        else:
            api.SetImageBytes(image.tobytes(), width, height, 1, width)
        api.SetSourceResolution(resolution)
        if not api.Recognize():
            raise OcrError(f"Tesseract failed to recognise a {width}x{height} px page")
        words: list[Word] = []
        baselines: dict[int, tuple[int, int, int, int]] = {}
        for text, box, confidence, block, line, baseline in self._iterate_words(api, RIL):
            words.append(Word(text, *box, confidence=confidence, block=block, line=line))
            if baseline is not None:
                baselines.setdefault(line, baseline)
        api.Clear()
        return PageText(
            words=words, width=width, height=height, dpi=float(dpi), extra={"baselines": baselines}
        )

    def read_alone(
        self,
        gray: np.ndarray,
        dpi: float,
        boxes: list[tuple[int, int, int, int]],
        *,
        scale: float = 1.0,
    ) -> list[str]:
        """The text of each ``(left, top, right, bottom)`` box of ``gray`` read on its own, as
        one line, the box resized by ``scale`` first.

        Out of its line, a word is read without the context the page's reading leaned on: where
        the two readings differ, one of them misread it (``ocr.second_look``). A box costs about
        3 ms of a page's 1 s of OCR. Boxes are clipped to the image; an empty one reads "".
        """
        return [
            "" if api is None else unicodedata.normalize("NFC", api.GetUTF8Text() or "").strip()
            for api, _origin in self._each_box_as_a_line(gray, dpi, boxes, scale)
        ]

    def read_words_alone(
        self, gray: np.ndarray, dpi: float, boxes: list[tuple[int, int, int, int]]
    ) -> list[list[Word]]:
        """The words of each box of ``gray`` read on its own as one line, with their boxes in
        ``gray``'s pixels and their confidences (block and line numbers 0: the caller places
        them). For ink the page's reading left out (``ocr.missed_ink``)."""
        from tesserocr import RIL

        found: list[list[Word]] = []
        for api, (left, top) in self._each_box_as_a_line(gray, dpi, boxes, 1.0):
            words = []
            if api is not None and api.Recognize():
                for text, box, confidence, *_ in self._iterate_words(api, RIL):
                    x0, y0, x1, y1 = box
                    words.append(Word(text, x0 + left, y0 + top, x1 + left, y1 + top, confidence))
            found.append(words)
        return found

    def _each_box_as_a_line(
        self,
        gray: np.ndarray,
        dpi: float,
        boxes: list[tuple[int, int, int, int]],
        scale: float,
    ) -> Iterator[tuple[PyTessBaseAPI | None, tuple[int, int]]]:
        """The engine set to each box's crop in turn (None for a box empty once clipped), with
        the crop's top-left corner; the page's segmentation mode is restored afterwards."""
        from tesserocr import PSM

        api = self._live_api()
        image = _as_gray(gray)
        resolution = _check_dpi(dpi)
        height, width = image.shape
        api.SetPageSegMode(PSM.SINGLE_LINE)
        try:
            for left, top, right, bottom in boxes:
                left, top = max(0, left), max(0, top)
                right, bottom = min(width, right), min(height, bottom)
                if right - left < 3 or bottom - top < 3:
                    yield None, (left, top)
                    continue
                crop = image[top:bottom, left:right]
                if scale != 1.0:
                    crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
                crop = np.ascontiguousarray(crop)
                api.SetImageBytes(crop.tobytes(), crop.shape[1], crop.shape[0], 1, crop.shape[1])
                api.SetSourceResolution(max(1, round(resolution * scale)))
                yield api, (left, top)
            api.Clear()
        finally:
            api.SetPageSegMode(self.psm)

    @staticmethod
    def _iterate_words(
        api: PyTessBaseAPI, ril: Any
    ) -> Iterator[
        tuple[str, tuple[int, int, int, int], float, int, int, tuple[int, int, int, int] | None]
    ]:
        iterator = api.GetIterator()
        if iterator is None or iterator.Empty(ril.WORD):  # a page without any text
            return
        block = line = 0
        baseline: tuple[int, int, int, int] | None = None
        while True:
            if iterator.IsAtBeginningOf(ril.BLOCK):
                block += 1
            if iterator.IsAtBeginningOf(ril.TEXTLINE):
                line += 1
                found = iterator.Baseline(ril.TEXTLINE)
                baseline = None if not found else tuple(int(v) for v in (*found[0], *found[1]))
            try:
                raw = iterator.GetUTF8Text(ril.WORD)
            except RuntimeError:  # tesserocr's "No text returned" for an empty element
                raw = ""
            box = iterator.BoundingBox(ril.WORD)
            text = unicodedata.normalize("NFC", raw or "").strip()
            if text and box:
                left, top, right, bottom = (int(v) for v in box)
                if right > left and bottom > top:
                    confidence = max(0.0, min(100.0, float(iterator.Confidence(ril.WORD))))
                    yield text, (left, top, right, bottom), confidence, block, line, baseline
            if not iterator.Next(ril.WORD):
                break

    def close(self) -> None:
        """Free the models; the engine cannot be used afterwards."""
        if self._api is not None:
            self._api.End()
        self._api = None

    def __enter__(self) -> TesseractEngine:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __reduce__(self) -> Any:
        raise TypeError(
            "TesseractEngine holds native Tesseract handles and cannot be pickled: "
            "construct one inside each worker process"
        )
