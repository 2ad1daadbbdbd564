"""Scan readers: every accepted format, page by page, and every kind of bad file."""

from __future__ import annotations

import hashlib
import io
import struct
from pathlib import Path

import img2pdf
import numpy as np
import pikepdf
import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont, ImageOps

from ingest.clean import to_gray
from ingest.errors import (
    CorruptFileError,
    DecompressionBombError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    UnreadableFileError,
    UnsupportedFileError,
)
from ingest.readers import PageRef, ScanPage, expand_paths, open_source, page_refs, read_page

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LIMIT = 50_000_000
MAX_BYTES = 50_000_000


def text_page(label: str, size: tuple[int, int] = (413, 583)) -> Image.Image:
    """An A6 page at 100 dpi with a few lines of Vietnamese and a distinguishing label."""
    im = Image.new("L", size, 255)
    draw = ImageDraw.Draw(im)
    font = ImageFont.truetype(FONT, 18)
    draw.text((30, 30), label, font=font, fill=0)
    for i, line in enumerate(["Cộng hòa xã hội chủ nghĩa", "Độc lập - Tự do - Hạnh phúc"]):
        draw.text((30, 80 + 30 * i), line, font=font, fill=0)
    draw.rectangle((30, size[1] - 80, 200, size[1] - 40), outline=0, width=3)
    return im


def read_all(path: Path, **limits: int) -> tuple[list[ScanPage], int]:
    source = open_source(
        path,
        max_image_pixels=limits.get("max_image_pixels", LIMIT),
        max_file_bytes=limits.get("max_file_bytes", MAX_BYTES),
    )
    pages = [read_page(ref, max_image_pixels=LIMIT) for ref in page_refs(source)]
    return pages, source.page_count


def open_default(path: Path) -> None:
    open_source(path, max_image_pixels=LIMIT, max_file_bytes=MAX_BYTES)


# --------------------------------------------------------------------------- good files


def test_png_gray_keeps_pixels_and_dpi(tmp_path: Path) -> None:
    im = text_page("PNG")
    im.save(tmp_path / "a.png", dpi=(100, 100))
    source = open_source(tmp_path / "a.png", max_image_pixels=LIMIT, max_file_bytes=MAX_BYTES)
    assert (source.kind, source.page_count) == ("png", 1)
    assert source.sha256 == hashlib.sha256((tmp_path / "a.png").read_bytes()).hexdigest()
    (page,) = [read_page(r, max_image_pixels=LIMIT) for r in page_refs(source)]
    assert page.image.dtype == np.uint8 and page.image.shape == (583, 413)
    assert np.array_equal(page.image, np.asarray(im))
    assert page.dpi == 100.0 and not page.bilevel and page.jpeg is None


def test_jpeg_original_stream_is_kept(tmp_path: Path) -> None:
    text_page("JPEG").convert("RGB").save(tmp_path / "a.jpg", dpi=(200, 200), quality=90)
    (page,), _ = read_all(tmp_path / "a.jpg")
    assert page.jpeg == (tmp_path / "a.jpg").read_bytes()
    assert page.dpi == 200.0
    assert page.image.shape[:2] == (583, 413)


@pytest.mark.parametrize("orientation", range(2, 9))
def test_jpeg_exif_orientation_applied(tmp_path: Path, orientation: int) -> None:
    im = text_page(f"EXIF {orientation}", size=(300, 200))
    exif = Image.Exif()
    exif[0x0112] = orientation
    im.save(tmp_path / "o.jpg", exif=exif, dpi=(150, 150), quality=95)
    (page,), _ = read_all(tmp_path / "o.jpg")
    expected = np.asarray(ImageOps.exif_transpose(Image.open(tmp_path / "o.jpg")))
    assert page.image.shape == expected.shape
    assert np.abs(page.image.astype(int) - expected).max() <= 1
    assert page.jpeg is None  # the stored stream is not the upright picture


@pytest.mark.parametrize("compression", ["group4", "tiff_lzw", "jpeg", "packbits", None])
def test_multipage_tiff_each_compression(tmp_path: Path, compression: str | None) -> None:
    pages = [text_page(f"Trang {i + 1}") for i in range(3)]
    if compression == "group4":
        pages = [p.convert("1") for p in pages]
    path = tmp_path / "scan.tif"
    pages[0].save(
        path, save_all=True, append_images=pages[1:], compression=compression, dpi=(100, 100)
    )
    read, count = read_all(path)
    assert count == 3
    for got, want in zip(read, pages, strict=True):
        want_l = np.asarray(want.convert("L"))
        assert got.image.shape == want_l.shape
        assert np.abs(got.image.astype(int) - want_l).mean() < 3  # JPEG is lossy, others exact
        assert got.dpi == 100.0 and got.jpeg is None
        assert got.bilevel == (compression == "group4")
    assert not np.array_equal(read[0].image, read[2].image)  # each page is its own
    if compression == "group4":
        assert set(np.unique(read[0].image)) == {0, 255}


def test_tiff_resolution_in_centimetres_and_fax_pixels(tmp_path: Path) -> None:
    im = text_page("fax").convert("1").resize((413, 292))  # 204 x 98 dpi makes half-height rows
    im.save(
        tmp_path / "fax.tif",
        compression="group4",
        tiffinfo={282: 204 / 2.54, 283: 98 / 2.54, 296: 3},
    )
    (page,), _ = read_all(tmp_path / "fax.tif")
    assert page.dpi == pytest.approx(204, abs=0.1)
    assert page.image.shape == (round(292 * 204 / 98), 413)  # square pixels at 204 dpi
    assert set(np.unique(page.image)) <= {0, 255}


def test_missing_or_absurd_dpi_assumes_a4(tmp_path: Path) -> None:
    im = text_page("no dpi", size=(827, 1169))
    im.save(tmp_path / "nodpi.png")
    im.save(tmp_path / "absurd.png", dpi=(5, 5))
    im.save(tmp_path / "seventytwo.png", dpi=(72, 72))  # 11.5 x 16 in at 72: too big? no: kept
    for name in ("nodpi.png", "absurd.png"):
        (page,), _ = read_all(tmp_path / name)
        assert page.dpi == pytest.approx(100, abs=0.5), name
    (page,), _ = read_all(tmp_path / "seventytwo.png")
    assert page.dpi == 72.0  # plausible: an A3-sized page


def test_sixteen_bit_cmyk_palette_alpha_are_normalised(tmp_path: Path) -> None:
    ramp = (np.arange(256 * 64, dtype=np.uint16).reshape(64, 256) * 4).astype(np.uint16)
    Image.fromarray(ramp).save(tmp_path / "g16.png", dpi=(100, 100))
    (page,), _ = read_all(tmp_path / "g16.png")
    assert page.image.dtype == np.uint8 and page.image.ndim == 2
    assert np.array_equal(page.image, (ramp >> 8).astype(np.uint8))

    Image.new("CMYK", (120, 80), (0, 255, 255, 0)).save(tmp_path / "c.jpg", dpi=(100, 100))
    (page,), _ = read_all(tmp_path / "c.jpg")
    assert page.image.shape == (80, 120, 3)
    r, g, b = page.image[40, 60]
    assert r > 200 and g < 60 and b < 60  # cyan-free, full magenta+yellow = red
    assert page.jpeg is None  # a CMYK JPEG cannot be shown as is

    gray_palette = text_page("P").convert("P")
    gray_palette.save(tmp_path / "p.png", dpi=(100, 100))
    (page,), _ = read_all(tmp_path / "p.png")
    assert page.image.ndim == 2  # a palette of grays stays gray

    rgba = Image.new("RGBA", (50, 40), (0, 0, 255, 0))
    rgba.paste((200, 0, 0, 255), (10, 10, 20, 20))
    rgba.save(tmp_path / "a.png", dpi=(100, 100))
    (page,), _ = read_all(tmp_path / "a.png")
    assert tuple(page.image[0, 0]) == (255, 255, 255)  # transparent -> paper white
    assert tuple(page.image[15, 15]) == (200, 0, 0)


def test_pdf_single_image_native_resolution(tmp_path: Path) -> None:
    im = text_page("PDF JPEG").convert("RGB")
    im.save(tmp_path / "p.jpg", dpi=(100, 100), quality=90)
    jpeg = (tmp_path / "p.jpg").read_bytes()
    # 413 x 583 px shown on an A6-ish page of 297.36 x 419.76 pt -> 100 dpi
    layout = img2pdf.get_fixed_dpi_layout_fun((100, 100))
    (tmp_path / "p.pdf").write_bytes(img2pdf.convert(jpeg, jpeg, layout_fun=layout))
    pages, count = read_all(tmp_path / "p.pdf")
    assert count == 2
    assert pages[0].image.shape[:2] == (583, 413)
    assert pages[0].dpi == pytest.approx(100, abs=0.5)
    assert pages[0].jpeg == jpeg  # embedded untouched
    assert_luma_of(pages[0], jpeg)


def assert_luma_of(page: ScanPage, jpeg: bytes) -> None:
    """A kept JPEG's page holds only the luma (the colour stays in the kept bytes)."""
    colour = np.asarray(Image.open(io.BytesIO(jpeg)).convert("L")).astype(int)
    assert page.image.ndim == 2
    difference = np.abs(page.image.astype(int) - colour)
    # The JPEG's own Y channel; converting decoded RGB back differs only along colour edges.
    assert difference.mean() < 0.5 and np.percentile(difference, 99.5) <= 4


def test_colour_jpeg_page_decodes_only_its_luma(tmp_path: Path) -> None:
    im = text_page("COLOUR").convert("RGB")
    ImageDraw.Draw(im).rectangle((10, 10, 60, 60), fill=(20, 40, 170))  # a blue ink stamp
    im.save(tmp_path / "c.jpg", dpi=(200, 200), quality=90)
    jpeg = (tmp_path / "c.jpg").read_bytes()
    (page,), _ = read_all(tmp_path / "c.jpg")
    assert page.jpeg == jpeg
    assert_luma_of(page, jpeg)
    assert 30 < int(page.image[35, 35]) < 70  # blue's luma, not white, not black


@pytest.mark.parametrize("container", ["jpg", "pdf", "png"])
def test_red_seal_fades_and_black_text_stays(tmp_path: Path, container: str) -> None:
    """A red seal reads as its red channel, nearly paper, whichever way the page arrives; the
    black text under it stays black, a red title keeps its luma and a kept JPEG still shows
    the seal in colour."""
    im = text_page("RED SEAL").convert("RGB")
    draw = ImageDraw.Draw(im)
    draw.ellipse((120, 60, 300, 240), outline=(205, 40, 50), width=14)  # across the text lines
    title = ImageFont.truetype(FONT, 22)
    draw.text((30, 400), "CĂN CƯỚC CÔNG DÂN", font=title, fill=(200, 30, 40))  # a card's title
    im.save(tmp_path / "s.jpg", dpi=(200, 200), quality=90)
    im.save(tmp_path / "s.png", dpi=(200, 200))
    jpeg = (tmp_path / "s.jpg").read_bytes()
    (tmp_path / "s.pdf").write_bytes(img2pdf.convert(jpeg))
    (page,), _ = read_all(tmp_path / f"s.{container}")
    assert page.jpeg == (None if container == "png" else jpeg)
    gray = to_gray(page.image)  # what cleaning starts from (a PNG keeps its colour until then)
    assert int(gray[150, 122:132].min()) > 170  # luma would be ~95: as dark as a faint stroke
    text = np.asarray(text_page("RED SEAL")) < 60
    assert int(np.median(gray[text])) < 80  # the text stays black
    # red words are no seal: a card's title says what the document is
    assert int(gray[400:430, 30:330].min()) < 110


def test_pdf_image_honours_rotate_and_g4(tmp_path: Path) -> None:
    im = text_page("G4 rotated").convert("1")
    im.save(tmp_path / "g.tif", compression="group4", dpi=(200, 200))
    (tmp_path / "g.pdf").write_bytes(img2pdf.convert(str(tmp_path / "g.tif")))
    with pikepdf.open(tmp_path / "g.pdf", allow_overwriting_input=True) as pdf:
        pdf.pages[0].obj.Rotate = 90
        pdf.save(tmp_path / "g.pdf")
    (page,), _ = read_all(tmp_path / "g.pdf")
    assert page.bilevel and page.jpeg is None
    assert page.dpi == pytest.approx(200, abs=0.5)
    expected = np.rot90(np.asarray(im.convert("L")), -1)  # /Rotate 90 turns clockwise
    assert np.array_equal(page.image, expected)


def test_searchable_pdf_keeps_native_image(tmp_path: Path) -> None:
    """A scan that already carries an invisible OCR text layer is still one image."""
    im = text_page("OCR layer")
    im.save(tmp_path / "s.png", dpi=(150, 150))
    with pikepdf.open(io.BytesIO(img2pdf.convert(str(tmp_path / "s.png")))) as pdf:
        page = pdf.pages[0]
        font = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
            )
        )
        page.Resources.Font = pikepdf.Dictionary(F1=font)
        page.contents_add(pdf.make_stream(b"BT /F1 12 Tf 3 Tr 20 20 Td (Cong hoa) Tj ET"))
        pdf.save(tmp_path / "s.pdf")
    (scan,), _ = read_all(tmp_path / "s.pdf")
    assert scan.dpi == pytest.approx(150, abs=0.5)
    assert np.array_equal(scan.image, np.asarray(im))

    with pikepdf.open(tmp_path / "s.pdf") as pdf:  # the same text made visible: now rendered
        page = pdf.pages[0]
        page.contents_add(pdf.make_stream(b"BT /F1 12 Tf 0 Tr 20 60 Td (visible) Tj ET"))
        pdf.save(tmp_path / "v.pdf")
    (scan,), _ = read_all(tmp_path / "v.pdf")
    assert scan.dpi == 300.0


def test_pdf_vector_page_is_rendered_at_300_dpi(tmp_path: Path) -> None:
    pdf = FPDF(unit="mm", format=(105, 148))
    pdf.add_page()
    pdf.add_font("dejavu", fname=FONT)
    pdf.set_font("dejavu", size=14)
    pdf.cell(text="Tờ khai đăng ký khai sinh")
    pdf.rect(10, 30, 60, 20, style="F")
    pdf.output(str(tmp_path / "v.pdf"))
    (page,), _ = read_all(tmp_path / "v.pdf")
    assert page.dpi == 300.0 and not page.bilevel and page.jpeg is None
    height, width = page.image.shape[:2]
    assert abs(height - 148 / 25.4 * 300) <= 1.5 and abs(width - 105 / 25.4 * 300) <= 1.5
    filled = page.image[round(35 / 25.4 * 300), round(40 / 25.4 * 300)]
    assert int(np.max(filled)) < 60  # the filled rectangle is there

    with pikepdf.open(tmp_path / "v.pdf", allow_overwriting_input=True) as doc:
        doc.pages[0].obj.Rotate = 270
        doc.save(tmp_path / "v.pdf")
    (turned,), _ = read_all(tmp_path / "v.pdf")
    assert turned.image.shape[:2] == page.image.shape[1::-1]  # shown as landscape
    ccw = np.abs(turned.image.astype(int) - np.rot90(page.image, 1)).mean()
    cw = np.abs(turned.image.astype(int) - np.rot90(page.image, -1)).mean()
    assert ccw < 2 < cw  # /Rotate 270 shows the page turned counter-clockwise


def test_pdf_image_with_margins_is_rendered(tmp_path: Path) -> None:
    text_page("margin").save(tmp_path / "m.png", dpi=(100, 100))
    pdf = FPDF(unit="mm", format=(148, 210))
    pdf.add_page()
    pdf.image(str(tmp_path / "m.png"), x=30, y=40, w=80)
    pdf.output(str(tmp_path / "m.pdf"))
    (page,), _ = read_all(tmp_path / "m.pdf")
    assert page.dpi == 300.0  # rendered, so the white margins stay part of the page
    height, width = page.image.shape[:2]
    assert abs(height - 210 / 25.4 * 300) <= 1.5 and abs(width - 148 / 25.4 * 300) <= 1.5


def test_many_pages_read_one_at_a_time(tmp_path: Path) -> None:
    pages = [text_page(f"Trang {i}").convert("1") for i in range(40)]
    path = tmp_path / "long.tif"
    pages[0].save(
        path, save_all=True, append_images=pages[1:], compression="group4", dpi=(100, 100)
    )
    source = open_source(path, max_image_pixels=LIMIT, max_file_bytes=MAX_BYTES)
    assert source.page_count == 40
    refs = page_refs(source)
    assert refs[39] == PageRef(path, 39, "tiff")
    last = read_page(refs[39], max_image_pixels=LIMIT)
    assert np.array_equal(last.image, np.asarray(pages[39].convert("L")))


def test_pil_global_limit_is_not_the_guard(tmp_path: Path) -> None:
    """Our limit decides, in both directions, whatever Pillow's global says."""
    text_page("limit").save(tmp_path / "a.png", dpi=(100, 100))
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = 1000  # Pillow would refuse this page
    try:
        (page,), _ = read_all(tmp_path / "a.png")
        assert page.image.shape == (583, 413)
        assert Image.MAX_IMAGE_PIXELS == 1000  # restored
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def test_expand_paths_natural_order_hidden_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    (folder / "sub").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    for name in ("page10.png", "page2.png", "page1.png", ".DS_Store", "Thumbs.db"):
        (folder / name).write_bytes(b"x")
    (folder / "sub" / "a.png").write_bytes(b"x")
    (folder / ".hidden" / "b.png").write_bytes(b"x")
    loose = tmp_path / "z.pdf"
    loose.write_bytes(b"x")
    got = expand_paths([loose, folder])
    assert got == [
        loose,
        folder / "page1.png",
        folder / "page2.png",
        folder / "page10.png",
        folder / "sub" / "a.png",
    ]


# --------------------------------------------------------------------------- bad files


def _png_bytes() -> bytes:
    buf = io.BytesIO()
    text_page("x").save(buf, format="PNG", dpi=(100, 100))
    return buf.getvalue()


def _jpeg_bytes() -> bytes:
    buf = io.BytesIO()
    text_page("x").save(buf, format="JPEG", dpi=(100, 100))
    return buf.getvalue()


def _tiff_bytes() -> bytes:
    buf = io.BytesIO()
    pages = [text_page(str(i)) for i in range(2)]
    pages[0].save(
        buf, format="TIFF", save_all=True, append_images=pages[1:], compression="tiff_lzw"
    )
    return buf.getvalue()


def _pdf_bytes() -> bytes:
    return img2pdf.convert(_jpeg_bytes(), _png_bytes())


def _encrypted_pdf() -> bytes:
    buf = io.BytesIO()
    with pikepdf.open(io.BytesIO(_pdf_bytes())) as pdf:
        pdf.save(buf, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    return buf.getvalue()


def _empty_pdf() -> bytes:
    buf = io.BytesIO()
    pikepdf.new().save(buf)
    return buf.getvalue()


def _docx() -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def _bomb_png() -> bytes:
    import zlib

    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    chunk = lambda kind, data: (  # noqa: E731
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    )
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 10))
        + chunk(b"IEND", b"")
    )


def _bomb_jpeg() -> bytes:
    data = bytearray(_jpeg_bytes())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", 60_000, 60_000)
    return bytes(data)


def _bomb_tiff() -> bytes:
    data = bytearray(_tiff_bytes())
    with Image.open(io.BytesIO(bytes(data))) as im:
        im.seek(1)
        offset = im.tag_v2.offset if hasattr(im.tag_v2, "offset") else None
    assert offset is None or offset > 0
    # Patch the second page's width/height entries (SHORT or LONG) to 70000 x 70000.
    first_ifd = struct.unpack("<I", data[4:8])[0]
    count = struct.unpack("<H", data[first_ifd : first_ifd + 2])[0]
    second_ifd = struct.unpack("<I", data[first_ifd + 2 + 12 * count : first_ifd + 6 + 12 * count])[
        0
    ]
    count2 = struct.unpack("<H", data[second_ifd : second_ifd + 2])[0]
    for i in range(count2):
        entry = second_ifd + 2 + 12 * i
        tag = struct.unpack("<H", data[entry : entry + 2])[0]
        if tag in (256, 257):
            data[entry + 2 : entry + 12] = struct.pack("<HII", 4, 1, 70_000)
    return bytes(data)


def _bomb_pdf() -> bytes:
    buf = io.BytesIO()
    with pikepdf.open(io.BytesIO(img2pdf.convert(_jpeg_bytes()))) as pdf:
        image = next(iter(pdf.pages[0].get_images().values()))
        image.Width = 80_000
        image.Height = 80_000
        pdf.save(buf)
    return buf.getvalue()


BAD_FILES = {
    "text renamed .pdf": (
        "notes.pdf",
        b"Bien ban hop ngay 12/5\nNoi dung...\n",
        UnsupportedFileError,
    ),
    "docx renamed .pdf": ("form.pdf", _docx(), UnsupportedFileError),
    "gif": ("a.png", b"GIF89a" + b"\0" * 50, UnsupportedFileError),
    "empty": ("scan.pdf", b"", EmptyFileError),
    "pdf without pages": ("none.pdf", _empty_pdf(), EmptyFileError),
    "tiff without pages": ("none.tif", b"II*\x00\x00\x00\x00\x00", EmptyFileError),
    "encrypted pdf": ("locked.pdf", _encrypted_pdf(), EncryptedFileError),
    "garbage after pdf header": ("g.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 20, CorruptFileError),
    "truncated pdf": ("cut.pdf", _pdf_bytes()[: len(_pdf_bytes()) // 2], CorruptFileError),
    "truncated jpeg": ("cut.jpg", _jpeg_bytes()[: len(_jpeg_bytes()) // 2], CorruptFileError),
    "truncated png": ("cut.png", _png_bytes()[: len(_png_bytes()) // 2], CorruptFileError),
    "truncated tiff": ("cut.tif", _tiff_bytes()[: len(_tiff_bytes()) // 2], CorruptFileError),
    "tiff header only": ("h.tif", b"II*\x00\x08\x00\x00\x00\x10\x00", CorruptFileError),
    "png bomb": ("big.png", _bomb_png(), DecompressionBombError),
    "jpeg bomb": ("big.jpg", _bomb_jpeg(), DecompressionBombError),
    "tiff bomb on page 2": ("big.tif", _bomb_tiff(), DecompressionBombError),
    "pdf image bomb": ("big.pdf", _bomb_pdf(), DecompressionBombError),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_is_refused_clearly_and_kept(tmp_path: Path, case: str) -> None:
    name, data, error = BAD_FILES[case]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error) as info:
        open_default(path)
    assert info.value.path == path
    assert str(info.value).startswith(f"{name}: ")
    assert len(str(info.value)) > len(name) + 30  # says what happened and what to do
    assert path.read_bytes() == data  # nothing lost or changed


def test_bomb_error_states_numbers(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(_bomb_png())
    with pytest.raises(DecompressionBombError) as info:
        open_default(path)
    assert info.value.pixels == 10_000_000_000 and info.value.limit == LIMIT
    assert "100000 x 100000" in str(info.value) and f"{LIMIT:,}" in str(info.value)


def test_oversize_file(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(_png_bytes())
    with pytest.raises(FileTooLargeError) as info:
        open_source(path, max_image_pixels=LIMIT, max_file_bytes=1000)
    assert info.value.limit == 1000 and info.value.size == len(_png_bytes())


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError):
        open_default(tmp_path / "gone.pdf")
    with pytest.raises(UnreadableFileError):
        open_default(tmp_path)


def test_read_page_reports_damage_found_while_decoding(tmp_path: Path) -> None:
    """Damage inside the pixel data (headers intact) surfaces as CorruptFileError, not a crash."""
    data = bytearray(_png_bytes())
    start = data.index(b"IDAT") + 40
    data[start : start + 64] = bytes(64)
    path = tmp_path / "bad.png"
    path.write_bytes(bytes(data))
    source = open_source(path, max_image_pixels=LIMIT, max_file_bytes=MAX_BYTES)
    with pytest.raises(CorruptFileError, match="page 1 cannot be decoded"):
        read_page(page_refs(source)[0], max_image_pixels=LIMIT)
    assert path.read_bytes() == data


@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_jpeg_luma_is_pillows_luma(mode: str) -> None:
    """The fast decoder gives the very pixels Pillow's luma decode gives (they feed the same
    cleaning), and hands a truncated stream back to Pillow instead of padding it with gray."""
    from ingest._pixels import jpeg_luma

    rng = np.random.default_rng(3)
    shape = (300, 200) if mode == "L" else (300, 200, 3)
    image = Image.fromarray((rng.random(shape) * 255).astype(np.uint8), mode)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    raw = buffer.getvalue()
    reference = Image.open(io.BytesIO(raw))
    reference.draft("L", reference.size)
    expected = np.asarray(reference.convert("L"))
    luma = jpeg_luma(raw, (200, 300))
    assert luma is not None and np.array_equal(luma, expected)
    assert jpeg_luma(raw[: len(raw) * 2 // 3], (200, 300)) is None
    assert jpeg_luma(raw, (300, 200)) is None  # not the size the container states
