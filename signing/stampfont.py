"""The stamp font engine: pyHanko's OpenType embedding, with each font subset built once.

pyHanko re-reads the font file, subsets it with fontTools and compresses the result for every
signature: about half the CPU of a visible B-B signature. A batch signs the same stamp texts
over and over (same signer, same title; only the digits of the time change), so the subset is
keyed on the glyphs it holds (plus every digit and time punctuation, which keeps the key
stable) and its compressed program is reused by every later signature in the process.
The subsetting options are pyHanko's own; only the glyph set is a little larger.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from threading import Lock

from fontTools import subset
from fontTools.ttLib import TTFont
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.opentype import (
    CIDFontType2,
    GlyphAccumulator,
    GlyphAccumulatorFactory,
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
    """A :class:`GlyphAccumulator` that takes its font subset from the process-wide cache."""

    def __init__(
        self, writer: BasePdfFileWriter, font_file: str, font_size: int, **options: object
    ) -> None:
        super().__init__(writer, io.BytesIO(_font_bytes(font_file)), font_size, **options)
        self._font_file = font_file
        if type(self.cidfont_obj) is CIDFontType2:  # CFF fonts keep pyHanko's own path
            base_name = self.cidfont_obj.name.split("+", 1)[-1]
            self.cidfont_obj = _PrebuiltProgramFont(self.tt, base_name, self.subset_prefix)

    def prepare_write(self) -> None:
        font = self.cidfont_obj
        if isinstance(font, _PrebuiltProgramFont) and not self._write_prepared:
            gids = frozenset(self._glyphs) | _stable_gids(self._font_file)
            font.program = _compressed_subset(self._font_file, gids)
            self._subset_created = True  # the subset is the cached program, not self.tt
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
