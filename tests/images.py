"""Small real image and PDF files made in the test, for upload paths that need no OCR."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw


def image_bytes(fmt: str = "PNG", seed: int = 0, size: tuple[int, int] = (320, 240)) -> bytes:
    """A decodable image whose bytes differ for each ``seed``."""
    image = Image.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.text((10, 10 + seed % 50), f"RECEIPT {seed}", fill=(0, 0, 0))
    draw.rectangle((5, 5, 20 + seed % 200, 30), outline=(seed % 255, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()
