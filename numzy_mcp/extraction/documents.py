"""Uploaded documents: sniff the type, enforce limits, decode pages and read PDF text layers.

Every check that can fail on hostile input runs before the expensive step it protects: the byte size
before anything, the header dimensions before any pixel is decoded (decompression bombs), and the
page count before any PDF page is rendered.
"""

from __future__ import annotations

import io
import threading
import warnings
from dataclasses import dataclass
from typing import Final

import pypdfium2 as pdfium
from PIL import Image, ImageOps, UnidentifiedImageError

from numzy_mcp.errors import InvalidInput, TooLarge, Unsupported
from numzy_mcp.receipts import OcrLine
from numzy_mcp.settings import LimitSettings

__all__ = [
    "ACCEPTED_TYPES",
    "DocumentInfo",
    "PdfTextPage",
    "inspect_document",
    "load_pages",
    "pdf_text_pages",
]

ACCEPTED_TYPES: Final = "JPEG, PNG, WebP, HEIC/HEIF or PDF"
MAX_SIDE: Final = 2500
"""Long side, in pixels, that decoded images are scaled down to."""
PDF_DPI: Final = 300
_PDF_MAX_SIDE: Final = 3600
_HEIF_BRANDS: Final = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"heif"})
_PDFIUM_LOCK = threading.Lock()  # PDFium is not thread-safe.
_heif_registered = False


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What an uploaded file is: its type and its size in pixels (images) or pages (PDFs)."""

    mime_type: str
    extension: str
    width: int | None
    height: int | None
    pages: int


@dataclass(frozen=True, slots=True)
class PdfTextPage:
    """The text layer of one PDF page, as lines with boxes in 300 dpi page pixels."""

    lines: list[OcrLine]
    width: int
    height: int


def _register_heif() -> None:
    global _heif_registered
    if not _heif_registered:
        from pi_heif import register_heif_opener

        register_heif_opener()
        _heif_registered = True


def _sniff(data: bytes) -> tuple[str, str]:
    """Return (mime type, extension) from magic bytes, or raise ``Unsupported``."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    if data[4:8] == b"ftyp" and len(data) >= 12:
        box_size = int.from_bytes(data[0:4], "big")
        brands = {data[8:12]}
        end = min(max(box_size, 16), 64, len(data))
        brands.update(data[i : i + 4] for i in range(16, end - 3, 4))
        if brands & _HEIF_BRANDS and b"avif" not in {data[8:12]}:
            return "image/heic", "heic"
    if b"%PDF-" in data[:1024]:
        return "application/pdf", "pdf"
    raise Unsupported(f"Unsupported file type: accepted types are {ACCEPTED_TYPES}.")


def _check_pixels(width: int, height: int, limits: LimitSettings) -> None:
    if width <= 0 or height <= 0:
        raise InvalidInput(f"The image has an invalid size {width}×{height}.")
    if width * height > limits.max_pixels:
        raise TooLarge(
            f"The image is {width}×{height} = {width * height:,} pixels; the limit is {limits.max_pixels:,} pixels."
        )


def _open_image(data: bytes, limits: LimitSettings) -> Image.Image:
    """Open an image lazily (header only) and check its dimensions before any decoding."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise TooLarge(f"The image has too many pixels; the limit is {limits.max_pixels:,} pixels.") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidInput(f"The image could not be read; it may be truncated or corrupt ({exc}).") from exc
    _check_pixels(image.width, image.height, limits)
    return image


def _decode(image: Image.Image) -> None:
    """Decode every pixel, turning truncation or corruption into ``InvalidInput``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image.load()
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise InvalidInput(f"The image could not be decoded; it may be truncated or corrupt ({exc}).") from exc


def _open_pdf(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise InvalidInput(f"The PDF could not be opened; it may be truncated, corrupt or encrypted ({exc}).") from exc


def inspect_document(data: bytes, limits: LimitSettings) -> DocumentInfo:
    """Identify an upload and enforce the size, pixel and page limits.

    Images are decoded once (cheaply, at reduced scale for JPEG) so truncated files are refused here.

    Args:
        data: The uploaded bytes.
        limits: Upload limits.

    Returns:
        The document's type, pixel size (images) and page count.

    Raises:
        InvalidInput: The file is empty, truncated or corrupt.
        TooLarge: The file exceeds the byte, pixel or page limit.
        Unsupported: The file is not JPEG, PNG, WebP, HEIC/HEIF or PDF.
    """
    if not data:
        raise InvalidInput(f"The file is empty; upload a {ACCEPTED_TYPES} file.")
    if len(data) > limits.max_upload_bytes:
        raise TooLarge(f"The file is {len(data):,} bytes; the limit is {limits.max_upload_bytes:,} bytes.")
    mime, ext = _sniff(data)
    if mime == "application/pdf":
        with _PDFIUM_LOCK:
            pdf = _open_pdf(data)
            try:
                pages = len(pdf)
                if pages > limits.max_pages:
                    raise TooLarge(f"The PDF has {pages} pages; the limit is {limits.max_pages} pages.")
                if pages == 0:
                    raise InvalidInput("The PDF has no pages.")
                sizes = [pdf[number].get_size() for number in range(pages)]  # every page must load
                width, height = (round(v) for v in sizes[0])
            except pdfium.PdfiumError as exc:
                raise InvalidInput(f"A page of the PDF could not be loaded; the file is corrupt ({exc}).") from exc
            finally:
                pdf.close()
        return DocumentInfo(mime_type=mime, extension=ext, width=width, height=height, pages=pages)
    if mime == "image/heic":
        _register_heif()
    image = _open_image(data, limits)
    with image:
        width, height = image.width, image.height
        if image.format == "JPEG":
            image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
        _decode(image)
    return DocumentInfo(mime_type=mime, extension=ext, width=width, height=height, pages=1)


def _load_image(data: bytes, limits: LimitSettings, max_side: int) -> Image.Image:
    image = _open_image(data, limits)
    with image:
        if image.format == "JPEG" and max(image.size) > max_side:
            # Let libjpeg scale by 1/2, 1/4 or 1/8 while decoding: huge scans never sit in memory at full size.
            scale = max(image.size) / max_side
            image.draft("RGB", (int(image.width / scale), int(image.height / scale)))
        _decode(image)
        try:
            upright = ImageOps.exif_transpose(image)
        except (OSError, ValueError, KeyError, SyntaxError):
            upright = image
        rgb = upright.convert("RGB")
    if max(rgb.size) > max_side:
        rgb.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return rgb


def _render_pdf(data: bytes, limits: LimitSettings) -> list[Image.Image]:
    images: list[Image.Image] = []
    with _PDFIUM_LOCK:
        pdf = _open_pdf(data)
        try:
            if len(pdf) > limits.max_pages:
                raise TooLarge(f"The PDF has {len(pdf)} pages; the limit is {limits.max_pages} pages.")
            for page in pdf:
                width, height = page.get_size()
                scale = min(PDF_DPI / 72, _PDF_MAX_SIDE / max(width, height, 1.0))
                if width * height * scale * scale > limits.max_pixels:
                    raise TooLarge(f"A PDF page is too large to render within {limits.max_pixels:,} pixels.")
                try:
                    images.append(page.render(scale=scale).to_pil().convert("RGB"))  # pyright: ignore[reportArgumentType]
                except pdfium.PdfiumError as exc:
                    raise InvalidInput(f"A PDF page could not be rendered ({exc}).") from exc
        finally:
            pdf.close()
    return images


def load_pages(data: bytes, info: DocumentInfo, limits: LimitSettings) -> list[Image.Image]:
    """Decode a document into upright RGB page images ready for OCR.

    Images are EXIF-transposed and scaled so the long side is at most 2500 px; PDF pages are rendered
    at 300 dpi (capped at 3600 px).

    Args:
        data: The document bytes.
        info: The result of :func:`inspect_document` for the same bytes.
        limits: Upload limits.

    Returns:
        One image per page.

    Raises:
        InvalidInput: The document cannot be decoded.
        TooLarge: The document exceeds the pixel or page limit.
    """
    if info.mime_type == "application/pdf":
        return _render_pdf(data, limits)
    if info.mime_type == "image/heic":
        _register_heif()
    return [_load_image(data, limits, MAX_SIDE)]


def _group_segments(segments: list[OcrLine]) -> list[OcrLine]:
    from numzy_mcp.extraction.ocr import group_lines

    return group_lines(segments)


def _page_segments(textpage: pdfium.PdfTextPage, height: float, scale: float, page: int) -> list[OcrLine]:
    """Text runs of one page with boxes, split where PDFium puts line breaks.

    PDFium's own text (with the spaces it infers from glyph spacing) is split at its line breaks;
    each run's box is the union of its character boxes, flipped to a top-left origin and scaled.
    """
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    segments: list[OcrLine] = []
    start = 0
    for index in range(len(text) + 1):
        if index < len(text) and text[index] not in "\r\n":
            continue
        run = text[start:index]
        if run.strip():
            boxes = [textpage.get_charbox(i) for i in range(start, min(index, count)) if not run[i - start].isspace()]
            boxes = [b for b in boxes if b[2] > b[0] or b[3] > b[1]]
            if boxes:
                left = min(b[0] for b in boxes)
                bottom = min(b[1] for b in boxes)
                right = max(b[2] for b in boxes)
                top = max(b[3] for b in boxes)
                box = (left * scale, (height - top) * scale, right * scale, (height - bottom) * scale)
                segments.append(OcrLine(text=" ".join(run.split()), box=box, confidence=1.0, page=page))
        start = index + 1
    return segments


def pdf_text_pages(data: bytes, limits: LimitSettings) -> list[PdfTextPage]:
    """Read the embedded text layer of a PDF as positioned lines, one entry per page.

    Boxes are in the pixel space of a 300 dpi render with the origin at the top left, so they match
    what OCR on the rendered page would report.

    Args:
        data: The PDF bytes.
        limits: Upload limits (the page limit is enforced).

    Returns:
        The text lines of every page (empty lists for pages without a text layer).

    Raises:
        InvalidInput: The PDF cannot be opened.
        TooLarge: The PDF has too many pages.
    """
    pages: list[PdfTextPage] = []
    scale = PDF_DPI / 72
    with _PDFIUM_LOCK:
        pdf = _open_pdf(data)
        try:
            if len(pdf) > limits.max_pages:
                raise TooLarge(f"The PDF has {len(pdf)} pages; the limit is {limits.max_pages} pages.")
            for number, page in enumerate(pdf):
                width, height = page.get_size()
                textpage = page.get_textpage()
                try:
                    segments = _page_segments(textpage, height, scale, number)
                finally:
                    textpage.close()
                pages.append(
                    PdfTextPage(
                        lines=_group_segments(segments), width=round(width * scale), height=round(height * scale)
                    )
                )
        finally:
            pdf.close()
    return pages
