"""Why a scan file was refused, in words a scanning clerk can act on.

Every error names the file (``.path``) and says what to do next; nothing is deleted or
moved when one is raised, so the clerk can fix the file and feed it again.
"""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A scan file that cannot be ingested; ``str(exc)`` is the clerk-facing message."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        self.message = message
        super().__init__(f"{self.path.name}: {message}")


class UnsupportedFileError(IngestError):
    """Not a PDF, TIFF, JPEG or PNG (decided by the file's content, not its name)."""


class CorruptFileError(IngestError):
    """Damaged or truncated (an interrupted copy or transfer, a scanner fault)."""


class EncryptedFileError(IngestError):
    """A password-protected PDF: its pages cannot be read without the password."""


class EmptyFileError(IngestError):
    """Zero bytes, or a PDF/TIFF that holds no pages."""


class DecompressionBombError(IngestError):
    """A page whose pixel count, read from the headers, exceeds the configured limit."""

    def __init__(self, path: Path | str, message: str, *, pixels: int, limit: int) -> None:
        self.pixels = pixels
        self.limit = limit
        super().__init__(path, message)


class FileTooLargeError(IngestError):
    """A file larger than the configured maximum size."""

    def __init__(self, path: Path | str, message: str, *, size: int, limit: int) -> None:
        self.size = size
        self.limit = limit
        super().__init__(path, message)


class UnreadableFileError(IngestError):
    """The path does not exist, is a folder, or cannot be opened."""
