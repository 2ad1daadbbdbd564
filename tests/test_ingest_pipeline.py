"""The pipeline called as a library (what the CLI and the API workers do)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from ingest.clean import clean_page
from ingest.pipeline import (
    ArchiveUnavailableError,
    IngestOptions,
    reread_if_upside_down,
    run_batch,
)
from ocr.text import UNREADABLE_SHARE, PageText
from tests.test_ingest_cli import DPI, form_page


def test_an_archive_that_cannot_be_opened_stops_the_batch(tmp_path: Path) -> None:
    """The store is opened beside the first pages; when it cannot be, the pages not yet read
    are not OCRed for nothing and no PDF is written."""
    scans = tmp_path / "scans"
    scans.mkdir()
    for number, word in enumerate(("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot")):
        form_page(word).save(scans / f"{number}.png", dpi=(DPI, DPI))
    reported: list[int] = []

    def unreachable_store() -> None:
        raise ConnectionRefusedError("object store at 127.0.0.1:1 refused the connection")

    with pytest.raises(ArchiveUnavailableError, match=r"127\.0\.0\.1:1"):
        run_batch(
            [scans],
            tmp_path / "out",
            IngestOptions(workers=1, pdfa=False),
            open_archive=unreachable_store,  # type: ignore[arg-type]
            progress=lambda done, total: reported.append(done),
        )
    assert len(reported) < 6, "every page was OCRed although nothing could be kept"
    assert not list(tmp_path.glob("out/**/*.pdf"))


class CountingEngine:
    """The real Tesseract engine, counting how many pages it is asked to read."""

    def __init__(self) -> None:
        from ocr.engine import TesseractEngine

        self.engine = TesseractEngine("vie+eng")
        self.readings = 0

    def recognize(self, gray: np.ndarray, dpi: float, *, binary: bool = False) -> PageText:
        self.readings += 1
        return self.engine.recognize(gray, dpi, binary=binary)


@pytest.fixture(scope="module")
def engine() -> CountingEngine:
    return CountingEngine()


def test_a_page_read_as_debris_is_read_again_turned_half_round(engine: CountingEngine) -> None:
    """Cleaning got up and down wrong (an identity card's capitals and digits can fool it): the
    first reading is debris, the turned one is Vietnamese, and the page is kept turned."""
    upright = clean_page(np.asarray(form_page("Kilo")), DPI)
    wrong = replace(upright, gray=np.ascontiguousarray(upright.gray[::-1, ::-1]), rotation=180)
    debris = engine.recognize(wrong.gray, wrong.ocr_dpi)
    assert (debris.readable_share() or 0) < UNREADABLE_SHARE
    cleaned, text = reread_if_upside_down(engine, wrong, debris)
    assert cleaned.rotation == 0
    assert np.array_equal(cleaned.gray, upright.gray)
    assert "Hạnh phúc" in text.text and (text.readable_share() or 0) > 0.75


def test_a_readable_page_is_read_once(engine: CountingEngine) -> None:
    cleaned = clean_page(np.asarray(form_page("Lima")), DPI)
    text = engine.recognize(cleaned.gray, cleaned.ocr_dpi)
    before = engine.readings
    kept, kept_text = reread_if_upside_down(engine, cleaned, text)
    assert engine.readings == before and kept is cleaned and kept_text is text


def _batch_in_a_child(scan: Path, out: Path) -> None:
    result = run_batch([scan], out, IngestOptions(workers=1, pdfa=False))
    assert result.ok and result.documents


def test_a_job_runner_process_ends_after_its_batch(tmp_path: Path) -> None:
    """A process that runs a batch and ends without closing the page pool (a job runner's
    child process, spawned as ``api.jobs.LocalJobRunner`` does) exits; multiprocessing used
    to wait at its exit for the idle page workers, for ever."""
    import multiprocessing

    scan = tmp_path / "page.png"
    form_page("Alpha").save(scan, dpi=(DPI, DPI))
    context = multiprocessing.get_context("spawn")
    child = context.Process(target=_batch_in_a_child, args=(scan, tmp_path / "out"))
    child.start()
    child.join(60)
    if child.is_alive():
        child.kill()
        pytest.fail("the process that ran the batch did not end")
    assert child.exitcode == 0
    assert list(tmp_path.glob("out/**/*.pdf"))
