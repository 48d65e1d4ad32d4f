"""The offline extraction pipeline: bytes in, OCR lines and receipt fields out."""

from __future__ import annotations

import time
from collections.abc import Callable

from pydantic import BaseModel

from numzy_mcp.errors import ExtractionFailed
from numzy_mcp.extraction.documents import inspect_document, load_pages, pdf_text_pages
from numzy_mcp.extraction.ocr import OcrEngine, RapidOcrEngine
from numzy_mcp.extraction.parse import parse_lines
from numzy_mcp.extraction.preprocess import PagePreparer
from numzy_mcp.receipts import ExtractedFields, OcrLine, OcrResult
from numzy_mcp.settings import LimitSettings

__all__ = ["Extraction", "OfflineExtractor", "ProgressCallback"]

ProgressCallback = Callable[[str, int], None]
MIN_TEXT_LAYER_CHARS = 20
"""A PDF text layer with fewer letters or digits than this is treated as a scan and OCRed."""


class Extraction(BaseModel):
    """The result of extracting one document: the stored OCR output and the parsed fields."""

    ocr: OcrResult
    fields: ExtractedFields


def _report(progress: ProgressCallback | None, stage: str, percent: int) -> None:
    if progress is not None:
        progress(stage, percent)


class OfflineExtractor:
    """Extract receipt fields without any network: PDF text layer or local OCR, then rules."""

    def __init__(
        self,
        limits: LimitSettings,
        engine: OcrEngine | None = None,
        default_currency: str | None = None,
        preparer: PagePreparer | None = None,
    ) -> None:
        """Create an extractor.

        Args:
            limits: Upload limits enforced on every document.
            engine: OCR engine; defaults to a lazily loaded :class:`RapidOcrEngine`.
            default_currency: Currency assumed when a receipt does not reveal one.
            preparer: Page clean-up before OCR (orientation, crop, contrast); defaults to
                :class:`PagePreparer` with the bundled orientation model when installed.
        """
        self.limits = limits
        self.engine: OcrEngine = engine if engine is not None else RapidOcrEngine()
        self.default_currency = default_currency
        self.preparer = preparer if preparer is not None else PagePreparer()

    @property
    def name(self) -> str:
        """The OCR engine's identifier (the model is not loaded to answer this)."""
        return self.engine.name

    def extract(self, data: bytes, progress: ProgressCallback | None = None) -> Extraction:
        """Extract one document. Synchronous and CPU-bound: run it in a worker thread.

        Args:
            data: The document bytes (JPEG, PNG, WebP, HEIC/HEIF or PDF).
            progress: Called as ``progress(stage, percent)`` for "decode", "ocr", "parse" and "done".

        Returns:
            The OCR result and the parsed fields.

        Raises:
            InvalidInput: The file is empty, truncated or corrupt.
            TooLarge: The file exceeds a limit.
            Unsupported: The file type is not accepted.
            ExtractionFailed: No text could be read from the document.
        """
        started = time.perf_counter()
        _report(progress, "decode", 5)
        info = inspect_document(data, self.limits)
        ocr: OcrResult | None = None
        if info.mime_type == "application/pdf":
            ocr = self._pdf_text_layer(data)
        if ocr is None:
            pages = load_pages(data, info, self.limits)
            _report(progress, "ocr", 20)
            lines: list[OcrLine] = []
            for number, page in enumerate(pages):
                image = self.preparer.prepare(page).image
                pages[number] = image
                for line in self.engine.recognize(image):
                    lines.append(line if line.page == number else line.model_copy(update={"page": number}))
                _report(progress, "ocr", 20 + int(70 * (number + 1) / len(pages)))
            ocr = OcrResult(
                engine=self.engine.name,
                lines=lines,
                width=pages[0].width,
                height=pages[0].height,
                pages=len(pages),
                text_layer=False,
            )
        ocr.seconds = round(time.perf_counter() - started, 3)
        if not any(line.text.strip() for line in ocr.lines):
            raise ExtractionFailed(
                "No text could be read from the document: it may be blank, too blurry, rotated or not a receipt."
            )
        _report(progress, "parse", 92)
        fields = self.reparse(ocr)
        _report(progress, "done", 100)
        return Extraction(ocr=ocr, fields=fields)

    def _pdf_text_layer(self, data: bytes) -> OcrResult | None:
        pages = pdf_text_pages(data, self.limits)
        lines = [line for page in pages for line in page.lines]
        chars = sum(ch.isalnum() for line in lines for ch in line.text)
        if chars < MIN_TEXT_LAYER_CHARS:
            return None
        return OcrResult(
            engine="pdf-text-layer",
            lines=lines,
            width=pages[0].width,
            height=pages[0].height,
            pages=len(pages),
            text_layer=True,
        )

    def reparse(self, ocr: OcrResult) -> ExtractedFields:
        """Parse stored OCR output again (after a parser update) without running OCR.

        Args:
            ocr: A previously stored OCR result.

        Returns:
            The parsed fields.
        """
        return parse_lines(ocr.lines, default_currency=self.default_currency)
