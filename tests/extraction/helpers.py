"""Helpers for the extraction tests: OCR-line fixtures written by hand."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from numzy_mcp.receipts import OcrLine


def lines(*texts: str) -> list[OcrLine]:
    """One OcrLine per text, stacked top to bottom like a receipt."""
    return [
        OcrLine(text=text, box=(10.0, 30.0 * i, 400.0, 30.0 * i + 24), confidence=0.95) for i, text in enumerate(texts)
    ]


RECEIPT_TEXT: tuple[str, ...] = (
    "KEDAI BUKU MURNI SDN BHD",
    "NO. 12, JALAN MERDEKA",
    "43000 KAJANG, SELANGOR",
    "DATE: 15/03/2018  TIME: 14:05",
    "PEN BLUE 2 X 1.50      3.00",
    "NOTEBOOK A5            7.90",
    "FILE HOLDER            4.60",
    "SUBTOTAL              15.50",
    "TOTAL                 15.50",
    "CASH                  20.00",
    "CHANGE                 4.50",
)
"""The text of the receipt drawn by :func:`render_receipt`."""


def render_receipt(
    *,
    ink: int = 20,
    paper: int = 250,
    size: int = 26,
    texts: tuple[str, ...] = RECEIPT_TEXT,
) -> Image.Image:
    """Draw a receipt: dark text lines on a white "paper" rectangle, upright, RGB.

    Args:
        ink: Grey level of the text.
        paper: Grey level of the paper.
        size: Font size in pixels.
        texts: The lines to print.

    Returns:
        The rendered page.
    """
    font = ImageFont.load_default(size=size)
    width = 40 + max(round(font.getlength(t)) for t in texts)
    height = 40 + round(size * 1.6) * len(texts)
    image = Image.new("RGB", (width, height), (paper, paper, paper))
    draw = ImageDraw.Draw(image)
    for index, text in enumerate(texts):
        draw.text((20, 20 + round(size * 1.6) * index), text, fill=(ink, ink, ink), font=font)
    return image


def on_table(page: Image.Image, border: int = 120, shade: int = 35) -> Image.Image:
    """Place a page on a dark "table" with a border of ``border`` pixels on every side."""
    table = Image.new("RGB", (page.width + 2 * border, page.height + 2 * border), (shade, shade - 5, shade - 10))
    table.paste(page, (border, border))
    return table
