from __future__ import annotations

import io
import struct
import zlib

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw

from numzy_mcp.errors import InvalidInput, TooLarge, Unsupported
from numzy_mcp.extraction import inspect_document, load_pages, pdf_text_pages
from numzy_mcp.extraction.documents import _sniff
from numzy_mcp.settings import LimitSettings

LIMITS = LimitSettings.model_validate({})


def _image_bytes(fmt: str, size: tuple[int, int] = (120, 80)) -> bytes:
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).text((10, 10), "TOTAL 5.00", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def _png_claiming(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", b"") + _png_chunk(b"IEND", b"")


def _blank_pdf(pages: int = 1) -> bytes:
    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(595, 842)
    buffer = io.BytesIO()
    pdf.save(buffer)
    pdf.close()
    return buffer.getvalue()


_HAND_WRITTEN_PDF_BODY = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    None,
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
]


def _hand_written_pdf(lines: list[str]) -> bytes:
    """A minimal text PDF: one page, Helvetica, one text line per entry."""
    ops = ["BT /F1 12 Tf"]
    for i, text in enumerate(lines):
        ops.append(f"1 0 0 1 20 {170 - 18 * i} Tm ({text}) Tj")
    ops.append("ET")
    stream = "\n".join(ops).encode()
    objects = list(_HAND_WRITTEN_PDF_BODY)
    objects[3] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    out = bytearray(b"%PDF-1.4\n")
    offsets: list[int] = []
    for number, body in enumerate(objects, start=1):
        assert body is not None
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.mark.parametrize(
    ("fmt", "mime", "extension"),
    [("PNG", "image/png", "png"), ("JPEG", "image/jpeg", "jpg"), ("WEBP", "image/webp", "webp")],
)
def test_images_are_recognised_by_their_magic_bytes(fmt: str, mime: str, extension: str) -> None:
    info = inspect_document(_image_bytes(fmt), LIMITS)
    assert (info.mime_type, info.extension) == (mime, extension)
    assert (info.width, info.height, info.pages) == (120, 80, 1)


def test_heic_brands_are_sniffed_from_the_ftyp_box() -> None:
    header = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"
    assert _sniff(header) == ("image/heic", "heic")
    avif = b"\x00\x00\x00\x18ftypavif\x00\x00\x00\x00mif1avif"
    with pytest.raises(Unsupported):
        _sniff(avif)


def test_a_blank_pdf_has_no_text_layer() -> None:
    pages = pdf_text_pages(_blank_pdf(), LIMITS)
    assert [page.lines for page in pages] == [[]]


def test_a_text_file_is_unsupported_and_the_message_names_the_accepted_types() -> None:
    with pytest.raises(Unsupported, match="JPEG, PNG, WebP, HEIC/HEIF or PDF"):
        inspect_document(b"Dear diary, today I bought a coffee.\n", LIMITS)


def test_an_empty_file_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="empty"):
        inspect_document(b"", LIMITS)


def test_a_truncated_jpeg_is_invalid_input() -> None:
    data = _image_bytes("JPEG", (400, 300))
    with pytest.raises(InvalidInput, match="truncated or corrupt"):
        inspect_document(data[: len(data) // 2], LIMITS)


def test_a_file_over_the_byte_limit_is_too_large() -> None:
    with pytest.raises(TooLarge, match="bytes"):
        inspect_document(_image_bytes("PNG"), LimitSettings.model_validate({"max_upload_bytes": 100}))


def test_a_png_claiming_ten_billion_pixels_is_refused_without_decoding() -> None:
    with pytest.raises(TooLarge, match="pixels"):
        inspect_document(_png_claiming(100_000, 100_000), LIMITS)


def test_an_image_over_the_pixel_limit_is_too_large() -> None:
    with pytest.raises(TooLarge, match="pixels"):
        inspect_document(_image_bytes("PNG", (200, 200)), LimitSettings.model_validate({"max_pixels": 10_000}))


def test_a_pdf_is_inspected_and_its_text_layer_read_with_positions() -> None:
    data = _hand_written_pdf(["KEDAI MAJU SDN BHD", "TOTAL RM 11.00"])
    info = inspect_document(data, LIMITS)
    assert (info.mime_type, info.extension, info.pages) == ("application/pdf", "pdf", 1)
    pages = pdf_text_pages(data, LIMITS)
    texts = [line.text for line in pages[0].lines]
    assert texts == ["KEDAI MAJU SDN BHD", "TOTAL RM 11.00"]
    first, second = pages[0].lines
    assert first.box[1] < second.box[1]  # top to bottom in page pixels


def test_a_pdf_over_the_page_limit_is_too_large() -> None:
    with pytest.raises(TooLarge, match="pages"):
        inspect_document(_blank_pdf(pages=3), LimitSettings.model_validate({"max_pages": 2}))


def test_a_truncated_pdf_is_invalid_input() -> None:
    data = _hand_written_pdf(["TOTAL 5.00"])
    with pytest.raises(InvalidInput):
        inspect_document(data[:60], LIMITS)


def test_pages_are_upright_rgb_and_capped_in_size() -> None:
    image = Image.new("L", (3000, 1000), 255)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90° clockwise: the upright page is 1000 wide, 3000 tall
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    data = buffer.getvalue()
    info = inspect_document(data, LIMITS)
    [page] = load_pages(data, info, LIMITS)
    assert page.mode == "RGB"
    assert page.height > page.width
    assert max(page.size) <= 2500


def test_pdf_pages_are_rendered_at_300_dpi() -> None:
    data = _hand_written_pdf(["TOTAL 5.00"])
    info = inspect_document(data, LIMITS)
    [page] = load_pages(data, info, LIMITS)
    assert page.width == 1250  # 300 pt at 300/72
    assert abs(page.height - 833) <= 1
