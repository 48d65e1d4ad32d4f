"""Offline receipt extraction: document sniffing and limits, OCR, and rule-based field parsing."""

from numzy_mcp.extraction.currency import detect_currency
from numzy_mcp.extraction.documents import (
    ACCEPTED_TYPES,
    DocumentInfo,
    PdfTextPage,
    inspect_document,
    load_pages,
    pdf_text_pages,
)
from numzy_mcp.extraction.ocr import OcrEngine, RapidOcrEngine, group_lines
from numzy_mcp.extraction.parse import parse_lines
from numzy_mcp.extraction.pipeline import Extraction, OfflineExtractor, ProgressCallback

__all__ = [
    "ACCEPTED_TYPES",
    "DocumentInfo",
    "Extraction",
    "OcrEngine",
    "OfflineExtractor",
    "PdfTextPage",
    "ProgressCallback",
    "RapidOcrEngine",
    "detect_currency",
    "group_lines",
    "inspect_document",
    "load_pages",
    "parse_lines",
    "pdf_text_pages",
]
