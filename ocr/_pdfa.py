"""PDF/A-2b identification: XMP metadata, an sRGB OutputIntent, the document language.

What the rest of PDF/A-2b needs is ensured where the page is written: embedded fonts (the
glyphless font), DeviceGray/DeviceRGB images without transparency, a trailer /ID (qpdf writes
one). No validator (veraPDF) runs here; tests check the parts that can be checked.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

import pikepdf
from PIL import ImageCms

__all__ = ["mark_pdfa", "set_document_info"]

_CREATOR_TOOL = "hoso"


@cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile, made by littleCMS through Pillow instead of shipping a file."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def set_document_info(pdf: pikepdf.Pdf, *, title: str | None, language: str) -> None:
    """Title, language and dates in both the Info dictionary and XMP, kept in step by pikepdf."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    pdf.Root.Lang = pikepdf.String(language)
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        if title:
            meta["dc:title"] = title
        meta["dc:language"] = [language]
        meta["xmp:CreatorTool"] = _CREATOR_TOOL
        meta["pdf:Producer"] = f"{_CREATOR_TOOL} (pikepdf {pikepdf.__version__})"
        meta["xmp:CreateDate"] = now
        meta["xmp:ModifyDate"] = now
        meta["xmp:MetadataDate"] = now


def mark_pdfa(pdf: pikepdf.Pdf) -> None:
    """Declare PDF/A-2b: pdfaid in XMP and an sRGB output intent."""
    profile = pikepdf.Stream(pdf, srgb_profile())
    profile.N = 3
    pdf.Root.OutputIntents = pikepdf.Array(
        [
            pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.OutputIntent,
                    S=pikepdf.Name.GTS_PDFA1,
                    OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
                    Info=pikepdf.String("sRGB IEC61966-2.1"),
                    RegistryName=pikepdf.String("http://www.color.org"),
                    DestOutputProfile=pdf.make_indirect(profile),
                )
            )
        ]
    )
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
