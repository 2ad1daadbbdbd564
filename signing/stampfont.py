"""The stamp font engine: pyHanko's OpenType embedding, with each font subset built once.

pyHanko re-reads the font file, subsets it with fontTools and compresses the result for every
signature: about half the CPU of a visible B-B signature. A batch signs the same stamp texts
over and over (same signer, same title; only the digits of the time change), so the subset is
keyed on the glyphs it holds (plus every digit and time punctuation, which keeps the key
stable) and its compressed program is reused by every later signature in the process.
The subsetting options are pyHanko's own; only the glyph set is a little larger. The parsed
font (fontTools and HarfBuzz objects, ~5 ms to build) is likewise shared: engines only read it,
since the subset is cut from a fresh copy.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from threading import Lock

import uharfbuzz as hb
from fontTools import subset
from fontTools.ttLib import TTFont
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.api import FontEngine
from pyhanko.pdf_utils.font.opentype import (
    CIDFontType2,
    GlyphAccumulator,
    GlyphAccumulatorFactory,
    _check_ot_tag,
    _read_ps_name,
)
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.writer import BasePdfFileWriter

# Always in the subset, so that the changing signing time does not change the key.
_STABLE_TEXT = "0123456789 :/()+-.,"
_MAX_SUBSETS = 64

_subsets: OrderedDict[tuple[str, frozenset[int]], bytes] = OrderedDict()
_subsets_lock = Lock()


@lru_cache(maxsize=8)
def _font_bytes(font_file: str) -> bytes:
    with open(font_file, "rb") as fh:
        return fh.read()


@lru_cache(maxsize=8)
def _stable_gids(font_file: str) -> frozenset[int]:
    tt = TTFont(io.BytesIO(_font_bytes(font_file)))
    cmap = tt.getBestCmap()
    return frozenset(tt.getGlyphID(cmap[ord(c)]) for c in _STABLE_TEXT if ord(c) in cmap)


@dataclass(frozen=True)
class _ParsedFont:
    tt: TTFont
    hb_font: hb.Font
    ps_name: str


@lru_cache(maxsize=8)
def _parsed_font(font_file: str) -> _ParsedFont | None:
    """The font parsed once per process; None for CFF fonts (pyHanko's own path)."""
    data = _font_bytes(font_file)
    tt = TTFont(io.BytesIO(data))
    if "CFF " in tt:
        return None
    tt.getGlyphSet(preferCFF=True)  # loads glyf/hmtx now, not in the first signature
    return _ParsedFont(tt, hb.Font(hb.Face(data)), _read_ps_name(tt))


def _compressed_subset(font_file: str, gids: frozenset[int]) -> bytes:
    """The FlateDecode'd font program holding ``gids``, with pyHanko's subsetting options."""
    key = (font_file, gids)
    with _subsets_lock:
        if key in _subsets:
            _subsets.move_to_end(key)
            return _subsets[key]
    options = subset.Options(layout_closure=False)
    options.drop_tables += ["GPOS", "GDEF", "GSUB"]
    options.retain_gids = True  # TrueType CIDs are glyph ids (CIDToGIDMap /Identity)
    tt = TTFont(io.BytesIO(_font_bytes(font_file)))
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(gids=sorted(gids))
    subsetter.subset(tt)
    buf = io.BytesIO()
    tt.save(buf)
    stream = generic.StreamObject(stream_data=buf.getvalue())
    stream.compress()
    program = stream.encoded_data
    with _subsets_lock:
        _subsets[key] = program
        while len(_subsets) > _MAX_SUBSETS:
            _subsets.popitem(last=False)
    return program


class _PrebuiltProgramFont(CIDFontType2):
    """A TrueType CIDFont whose /FontFile2 is an already compressed subset."""

    program: bytes = b""

    def set_font_file(self, writer: BasePdfFileWriter) -> generic.IndirectObject:
        stream = generic.StreamObject(
            {pdf_name("/Filter"): pdf_name("/FlateDecode")}, encoded_data=self.program
        )
        ref = writer.add_object(stream)
        self._font_descriptor[pdf_name("/FontFile2")] = ref
        return ref


class CachedSubsetAccumulator(GlyphAccumulator):
    """A :class:`GlyphAccumulator` on the shared parsed font and the cached subsets.

    Its ``__init__`` mirrors pyHanko 0.38's minus the parsing (a test compares the attributes
    with pyHanko's, so an upgrade that adds one fails loudly).
    """

    def __init__(
        self,
        writer: BasePdfFileWriter,
        font_file: str,
        font_size: int,
        features: object = None,
        ot_language_tag: str | None = None,
        ot_script_tag: str | None = None,
        writing_direction: str | None = None,
        bcp47_lang_code: str | None = None,
        obj_stream: object = None,
    ) -> None:
        self._font_file = font_file
        parsed = _parsed_font(font_file)
        if parsed is None:  # CFF: pyHanko's own parsing and subsetting
            super().__init__(
                writer,
                io.BytesIO(_font_bytes(font_file)),
                font_size,
                features=features,
                ot_language_tag=ot_language_tag,
                ot_script_tag=ot_script_tag,
                writing_direction=writing_direction,
                bcp47_lang_code=bcp47_lang_code,
                obj_stream=obj_stream,
            )
            return
        FontEngine.__init__(
            self, writer, parsed.ps_name, embedded_subset=True, obj_stream=obj_stream,
            font_size=font_size,
        )  # fmt: skip
        self.hb_font = parsed.hb_font
        self.tt = tt = parsed.tt
        self._font_ref = writer.allocate_placeholder()
        self.cff_charset = None
        self.use_raw_gids = True
        self.cidfont_obj = _PrebuiltProgramFont(tt, parsed.ps_name, self.subset_prefix)
        self.features = features
        self.units_per_em = tt["head"].unitsPerEm
        self._glyphs = {}
        self._glyph_set = tt.getGlyphSet(preferCFF=True)
        self._cid_to_unicode = {}
        self._GlyphAccumulator__reverse_cmap = None
        self.ot_language_tag = _check_ot_tag(ot_language_tag)
        self.ot_script_tag = _check_ot_tag(ot_script_tag)
        if writing_direction not in (None, "ltr", "rtl", "ttb", "btt"):
            raise ValueError("Writing direction must be one of 'ltr', 'rtl', 'ttb' or 'btt'.")
        self.writing_direction = writing_direction
        self.bcp47_lang_code = bcp47_lang_code
        self._subset_created = self._write_prepared = False

    def prepare_write(self) -> None:
        font = self.cidfont_obj
        if isinstance(font, _PrebuiltProgramFont) and not self._write_prepared:
            gids = frozenset(self._glyphs) | _stable_gids(self._font_file)
            font.program = _compressed_subset(self._font_file, gids)
            self._subset_created = True  # the subset is the cached program; self.tt is shared
        super().prepare_write()


@dataclass(frozen=True)
class CachedSubsetFactory(GlyphAccumulatorFactory):
    """Drop-in for pyHanko's ``GlyphAccumulatorFactory`` (the font file is a path string)."""

    def create_font_engine(
        self, writer: BasePdfFileWriter, obj_stream=None
    ) -> CachedSubsetAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return CachedSubsetAccumulator(
            writer,
            self.font_file,
            self.font_size,
            ot_script_tag=self.ot_script_tag,
            ot_language_tag=self.ot_language_tag,
            writing_direction=self.writing_direction,
            bcp47_lang_code=self.bcp47_lang_code,
            obj_stream=obj_stream,
        )
