"""The pipeline called as a library (what the CLI and the API workers do)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import ArchiveUnavailableError, IngestOptions, run_batch
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
