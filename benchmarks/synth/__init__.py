"""Synthetic Vietnamese administrative scans with ground truth, for tests and benchmarks.

Nothing is fetched: every page is rendered from the taxonomy in ``document-types.yaml`` with
varied layouts, wordings, fonts and scanner degradations. ``variant="holdout"`` draws on layouts,
wordings and fonts reserved for evaluation.
"""

from benchmarks.synth.batch import SynthBatch, make_batch
from benchmarks.synth.degrade import PROFILES, Degradation, UnknownProfileError, degrade
from benchmarks.synth.forms import (
    DOC_TYPES,
    SynthDocument,
    UnknownDocumentTypeError,
    UnknownLayoutError,
    fonts,
    layouts,
    render_document,
)
from benchmarks.synth.sheet import SynthPage
from benchmarks.synth.typefaces import FontUnavailableError
from benchmarks.synth.writers import WriterError, write_images, write_pdf, write_tiff

__all__ = [
    "DOC_TYPES",
    "PROFILES",
    "Degradation",
    "FontUnavailableError",
    "SynthBatch",
    "SynthDocument",
    "SynthPage",
    "UnknownDocumentTypeError",
    "UnknownLayoutError",
    "UnknownProfileError",
    "WriterError",
    "degrade",
    "fonts",
    "layouts",
    "make_batch",
    "render_document",
    "write_images",
    "write_pdf",
    "write_tiff",
]
