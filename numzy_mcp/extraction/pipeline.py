"""The extraction pipeline: bytes in, OCR lines and receipt fields out; offline, or a model with offline fallback.

The offline extractor always runs: its OCR lines are stored (search, rules, re-parsing) and its fields are
the answer when no model is chosen or the model fails. :func:`read_with_llm` then asks the model and keeps
its fields, or the offline ones with the reason it fell back.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from decimal import Decimal

from pydantic import BaseModel, Field

from numzy_mcp.errors import ExtractionFailed
from numzy_mcp.extraction.cross_check import cross_check
from numzy_mcp.extraction.documents import inspect_document, load_pages, pdf_text_pages
from numzy_mcp.extraction.llm import LlmExtraction, LlmExtractionFailed, LlmExtractor, LlmUsage, vision_images
from numzy_mcp.extraction.ocr import OcrEngine, RapidOcrEngine
from numzy_mcp.extraction.parse import parse_lines
from numzy_mcp.extraction.preprocess import PagePreparer
from numzy_mcp.extraction.redact import mask_fields, mask_ocr
from numzy_mcp.receipts import ExtractedFields, OcrLine, OcrResult
from numzy_mcp.settings import LimitSettings, LlmMode

__all__ = ["Extraction", "LlmCall", "OfflineExtractor", "ProgressCallback", "pdf_text_layer", "read_with_llm"]

log = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int], None]
MIN_TEXT_LAYER_CHARS = 20
"""A PDF text layer with fewer letters or digits than this is treated as a scan and OCRed."""


class LlmCall(BaseModel):
    """The model call made for one document: what it was sent, tokens, cost, and why its answer was not used."""

    model: str
    mode: LlmMode = Field(description="What the model was sent: the numbered OCR lines (text) or page images.")
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: Decimal | None = Field(default=None, description="None when the model has no price in the table.")
    fallback_reason: str | None = Field(
        default=None, description="Why the offline fields were kept instead of the model's; None when they were used."
    )

    @classmethod
    def of(cls, usage: LlmUsage, mode: LlmMode, fallback_reason: str | None = None) -> LlmCall:
        """The call record for ``usage``."""
        return cls(
            model=usage.model, mode=mode, input_tokens=usage.input_tokens, output_tokens=usage.output_tokens,
            cost_usd=usage.cost_usd, fallback_reason=fallback_reason,
        )  # fmt: skip


class Extraction(BaseModel):
    """The result of extracting one document: the stored OCR output, the fields, and the model call if any."""

    ocr: OcrResult
    fields: ExtractedFields
    llm: LlmCall | None = None

    @property
    def extractor(self) -> str:
        """Who produced the fields: ``llm:<model>``, or the OCR engine (also after a fallback)."""
        if self.llm is not None and self.llm.fallback_reason is None:
            return f"llm:{self.llm.model}"
        return self.ocr.engine


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

    def extract(
        self, data: bytes, progress: ProgressCallback | None = None, *, currency: str | None = None
    ) -> Extraction:
        """Extract one document. Synchronous and CPU-bound: run it in a worker thread.

        Args:
            data: The document bytes (JPEG, PNG, WebP, HEIC/HEIF or PDF).
            progress: Called as ``progress(stage, percent)`` for "decode", "ocr", "parse" and "done".
            currency: The team's currency, assumed when the receipt does not reveal one (a bare "$"
                on an Australian team's receipt); default: the extractor's ``default_currency``.

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
        ocr = mask_ocr(ocr)  # card numbers keep only their last four digits, in every stored or parsed line
        ocr.seconds = round(time.perf_counter() - started, 3)
        if not has_text(ocr):
            raise ExtractionFailed(NO_TEXT)
        _report(progress, "parse", 92)
        fields = self.reparse(ocr, currency=currency)
        _report(progress, "done", 100)
        return Extraction(ocr=ocr, fields=fields)

    def _pdf_text_layer(self, data: bytes) -> OcrResult | None:
        return pdf_text_layer(data, self.limits)

    def reparse(self, ocr: OcrResult, *, currency: str | None = None) -> ExtractedFields:
        """Parse stored OCR output again (after a parser update) without running OCR.

        Args:
            ocr: A previously stored OCR result.
            currency: As for ``extract``.

        Returns:
            The parsed fields.
        """
        return parse_lines(ocr.lines, default_currency=currency or self.default_currency)


NO_TEXT = "No text could be read from the document: it may be blank, too blurry, rotated or not a receipt."


def has_text(ocr: OcrResult) -> bool:
    """True when the OCR (or a PDF text layer) found any text to parse."""
    return any(line.text.strip() for line in ocr.lines)


def pdf_text_layer(data: bytes, limits: LimitSettings) -> OcrResult | None:
    """A PDF's text layer as OCR output, or None when it has too little text (a scan). Blocking.

    Raises:
        InvalidInput, TooLarge: as :func:`~numzy_mcp.extraction.documents.pdf_text_pages`.
    """
    pages = pdf_text_pages(data, limits)
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


async def read_with_llm(
    offline: Extraction, llm: LlmExtractor, *, data: bytes | None, limits: LimitSettings
) -> Extraction:
    """Ask the model for the fields of a document the offline extractor has read; never raises.

    Text mode sends the offline OCR lines (numbered, so the model cites them in ``sources``). Vision mode
    sends the page images (HEIC decoded, scanned PDF pages rendered), except for a PDF with a text layer,
    whose lines are sent as text. On any failure (model error, timeout, an answer still invalid after the
    retry, an image that cannot be prepared) the offline fields are kept and the reason is recorded.

    Args:
        offline: The offline extraction of the document.
        llm: The configured extractor.
        data: The document bytes; needed in vision mode only.
        limits: Upload limits (decoding pages for vision).

    Returns:
        The model's fields with its call record, or the offline fields with the reason.
    """
    mode: LlmMode = "text" if llm.mode == "text" or offline.ocr.text_layer or data is None else "vision"
    try:
        result: LlmExtraction
        if mode == "text":
            result = await llm.aextract_text(offline.ocr.lines)
        else:
            assert data is not None
            result = await llm.aextract_images(await asyncio.to_thread(vision_images, data, limits))
    except LlmExtractionFailed as error:
        return _fallback(offline, LlmCall.of(error.usage, error.mode, error.message))
    except Exception as error:  # noqa: BLE001 - never lose a receipt to the optional model step
        reason = llm.redact(f"the document could not be sent to the model ({type(error).__name__}: {error})")
        return _fallback(offline, LlmCall(model=llm.model_name, mode=mode, cost_usd=Decimal(0), fallback_reason=reason))
    fields = mask_fields(result.fields)  # a vision model may copy a full card number into any text field
    fields = cross_check(fields, offline.fields)
    return Extraction(ocr=offline.ocr, fields=fields, llm=LlmCall.of(result.usage, result.mode))


def _fallback(offline: Extraction, call: LlmCall) -> Extraction:
    log.warning("LLM extraction with %s fell back to the offline result: %s", call.model, call.fallback_reason)
    return offline.model_copy(update={"llm": call})
