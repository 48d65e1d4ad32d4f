"""Helpers for the extraction tests: OCR-line fixtures written by hand."""

from __future__ import annotations

from numzy_mcp.receipts import OcrLine


def lines(*texts: str) -> list[OcrLine]:
    """One OcrLine per text, stacked top to bottom like a receipt."""
    return [
        OcrLine(text=text, box=(10.0, 30.0 * i, 400.0, 30.0 * i + 24), confidence=0.95) for i, text in enumerate(texts)
    ]
