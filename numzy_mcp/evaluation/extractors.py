"""Adapters that turn Numzy's extractors into evaluation callables."""

from __future__ import annotations

from pathlib import Path

from numzy_mcp.evaluation.datasets import EvalDocument
from numzy_mcp.evaluation.runner import DocumentExtractor, ExtractorOutput
from numzy_mcp.extraction.documents import inspect_document
from numzy_mcp.extraction.llm import LlmExtraction, LlmExtractor, vision_images
from numzy_mcp.extraction.parse import parse_lines
from numzy_mcp.extraction.pipeline import OfflineExtractor, pdf_text_layer
from numzy_mcp.receipts import ExtractedFields, OcrResult
from numzy_mcp.settings import LimitSettings

__all__ = ["llm_document_extractor", "offline_document_extractor"]


def offline_document_extractor(
    extractor: OfflineExtractor | None = None, *, cache_dir: Path | None = None
) -> DocumentExtractor:
    """Evaluate the offline extractor; documents that come with OCR lines (CORD) are only parsed.

    Args:
        extractor: The extractor; a default :class:`OfflineExtractor` when None.
        cache_dir: When set, each OCR result is stored there as ``<id>.json`` and reused on the next
            run, so only the parser runs (timings then measure parsing only).

    Returns:
        A callable for :func:`numzy_mcp.evaluation.evaluate`.
    """
    chosen = extractor if extractor is not None else OfflineExtractor(LimitSettings())
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)

    def run(document: EvalDocument) -> ExtractedFields:
        if document.lines is not None:
            return parse_lines(document.lines, default_currency=chosen.default_currency)
        if document.path is None:
            raise ValueError(f"{document.id} has neither a file nor OCR lines to read.")
        cached = cache_dir / f"{document.id.replace('/', '_')}.json" if cache_dir is not None else None
        if cached is not None and cached.exists():
            return chosen.reparse(OcrResult.model_validate_json(cached.read_text(encoding="utf-8")))
        result = chosen.extract(document.path.read_bytes())
        if cached is not None:
            cached.write_text(result.ocr.model_dump_json(), encoding="utf-8")
        return result.fields

    return run


def llm_document_extractor(llm: LlmExtractor, offline: OfflineExtractor | None = None) -> DocumentExtractor:
    """Evaluate a model the way receipt processing uses it.

    Given OCR lines (CORD) and PDF text layers go to the model as numbered text. Other files follow the
    extractor's mode: ``vision`` sends the page images (HEIC decoded, scanned PDF pages rendered),
    ``text`` sends the offline OCR lines. A failed call raises, so the runner counts the document as an error.

    Args:
        llm: The extractor to score.
        offline: Reads files in text mode and sets the limits; a default :class:`OfflineExtractor` when None.

    Returns:
        A callable for :func:`numzy_mcp.evaluation.evaluate` that also reports tokens and cost.
    """
    reader = offline if offline is not None else OfflineExtractor(LimitSettings())

    def read(document: EvalDocument) -> LlmExtraction:
        if document.lines is not None:
            return llm.extract_text(document.lines)
        if document.path is None:
            raise ValueError(f"{document.id} has neither a file nor OCR lines to read.")
        data = document.path.read_bytes()
        if inspect_document(data, reader.limits).mime_type == "application/pdf":
            layer = pdf_text_layer(data, reader.limits)
            if layer is not None:
                return llm.extract_text(layer.lines)
        if llm.mode == "text":
            return llm.extract_text(reader.extract(data).ocr.lines)
        return llm.extract_images(vision_images(data, reader.limits))

    def run(document: EvalDocument) -> ExtractorOutput:
        result = read(document)
        usage = result.usage
        return ExtractorOutput(
            fields=result.fields,
            cost_usd=usage.cost_usd,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
        )

    return run
