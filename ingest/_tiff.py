"""Read a TIFF's page directories (sizes, resolution, data ranges) without decoding pixels.

Pillow's own reader checks sizes only when it decodes, and only against its global limit; the
decompression-bomb and truncation checks need every page's numbers up front, cheaply.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 16: 8}
_TYPE_SIZES |= {17: 8, 18: 8}
_INT_FORMATS = {1: "B", 3: "H", 4: "I", 6: "b", 8: "h", 9: "i", 16: "Q", 17: "q", 18: "Q"}
_WANTED = {256, 257, 258, 259, 262, 273, 274, 279, 282, 283, 296, 324, 325}
_MAX_PAGES = 100_000


class TiffStructureError(ValueError):
    """The TIFF's directories are damaged or point outside the file."""


@dataclass(frozen=True)
class TiffPageInfo:
    """What one TIFF directory declares about its page."""

    width: int
    height: int
    bits_per_sample: int
    compression: int
    orientation: int
    x_resolution: float | None
    y_resolution: float | None
    resolution_unit: int  # 1 none, 2 inch, 3 centimetre
    data_end: int  # one past the last byte of pixel data the page needs

    @property
    def dpi(self) -> tuple[float, float] | None:
        """Resolution in dots per inch, if the file states one in real units."""
        if not self.x_resolution or self.resolution_unit == 1:
            return None
        factor = 2.54 if self.resolution_unit == 3 else 1.0
        x = self.x_resolution * factor
        y = (self.y_resolution or self.x_resolution) * factor
        return (x, y)


def read_tiff_pages(fp: BinaryIO, file_size: int) -> list[TiffPageInfo]:
    """Walk the chain of image directories; raise TiffStructureError on damage."""
    fp.seek(0)
    head = fp.read(16)
    if head[:2] == b"II":
        end = "<"
    elif head[:2] == b"MM":
        end = ">"
    else:
        raise TiffStructureError("not a TIFF byte-order mark")
    (magic,) = struct.unpack(end + "H", head[2:4])
    if magic == 42:
        big = False
        (offset,) = struct.unpack(end + "I", head[4:8])
    elif magic == 43:
        big = True
        (offset,) = struct.unpack(end + "Q", head[8:16])
    else:
        raise TiffStructureError("unknown TIFF version")

    pages: list[TiffPageInfo] = []
    seen: set[int] = set()
    while offset:
        if offset in seen:
            break  # a directory chain that loops back: keep the pages found so far
        if offset >= file_size or len(pages) >= _MAX_PAGES:
            raise TiffStructureError(f"page directory {len(pages) + 1} lies outside the file")
        seen.add(offset)
        tags, offset = _read_ifd(fp, offset, end, big, file_size)
        pages.append(_page_info(tags, len(pages) + 1))
    return pages


def _read_ifd(
    fp: BinaryIO, offset: int, end: str, big: bool, file_size: int
) -> tuple[dict[int, list[float]], int]:
    fp.seek(offset)
    count_fmt, entry_size, inline, next_fmt = ("Q", 20, 8, "Q") if big else ("H", 12, 4, "I")
    raw = fp.read(struct.calcsize(count_fmt))
    if len(raw) < struct.calcsize(count_fmt):
        raise TiffStructureError("page directory is cut off")
    (count,) = struct.unpack(end + count_fmt, raw)
    body = fp.read(count * entry_size + struct.calcsize(next_fmt))
    if len(body) < count * entry_size + struct.calcsize(next_fmt):
        raise TiffStructureError("page directory is cut off")
    tags: dict[int, list[float]] = {}
    for i in range(count):
        entry = body[i * entry_size : (i + 1) * entry_size]
        if big:
            tag, typ, n = struct.unpack(end + "HHQ", entry[:12])
            value_field = entry[12:20]
        else:
            tag, typ, n = struct.unpack(end + "HHI", entry[:8])
            value_field = entry[8:12]
        if tag not in _WANTED or typ not in _TYPE_SIZES:
            continue
        size = _TYPE_SIZES[typ] * n
        if size <= inline:
            data = value_field[:size]
        else:
            (where,) = struct.unpack(end + ("Q" if big else "I"), value_field)
            if where + size > file_size:
                raise TiffStructureError(f"tag {tag} points outside the file")
            here = fp.tell()
            fp.seek(where)
            data = fp.read(size)
            fp.seek(here)
        tags[tag] = _decode_values(data, typ, n, end)
    (next_offset,) = struct.unpack(end + next_fmt, body[count * entry_size :])
    return tags, next_offset


def _decode_values(data: bytes, typ: int, n: int, end: str) -> list[float]:
    if typ in (5, 10):
        fmt = "I" if typ == 5 else "i"
        nums = struct.unpack(f"{end}{2 * n}{fmt}", data)
        return [nums[i] / nums[i + 1] if nums[i + 1] else 0.0 for i in range(0, 2 * n, 2)]
    if typ in _INT_FORMATS:
        return list(struct.unpack(f"{end}{n}{_INT_FORMATS[typ]}", data))
    return []  # ASCII, floats and undefined bytes are not needed here


def _page_info(tags: dict[int, list[float]], number: int) -> TiffPageInfo:
    try:
        width, height = int(tags[256][0]), int(tags[257][0])
    except (KeyError, IndexError) as exc:
        raise TiffStructureError(f"page {number} has no width or height") from exc
    offsets = tags.get(273) or tags.get(324) or []
    counts = tags.get(279) or tags.get(325) or []
    data_end = max((int(o) + int(c) for o, c in zip(offsets, counts, strict=False)), default=0)
    return TiffPageInfo(
        width=width,
        height=height,
        bits_per_sample=int((tags.get(258) or [1])[0]),
        compression=int((tags.get(259) or [1])[0]),
        orientation=int((tags.get(274) or [1])[0]),
        x_resolution=(tags.get(282) or [None])[0],
        y_resolution=(tags.get(283) or [None])[0],
        resolution_unit=int((tags.get(296) or [2])[0]),
        data_end=data_end,
    )
