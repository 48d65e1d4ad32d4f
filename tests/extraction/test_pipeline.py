from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from dateutil import parser as dateparser
from PIL import Image

from numzy_mcp.errors import ExtractionFailed, Unsupported
from numzy_mcp.extraction import OfflineExtractor
from numzy_mcp.receipts import OcrLine
from numzy_mcp.settings import LimitSettings

from .test_documents import _hand_written_pdf

SROIE = Path(__file__).parents[1] / "fixtures" / "sroie"


class ScriptedEngine:
    """Returns fixed lines for any image, counting calls."""

    name = "scripted"

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.calls = 0

    def recognize(self, image: Image.Image) -> list[OcrLine]:
        self.calls += 1
        return [OcrLine(text=t, box=(0.0, 20.0 * i, 200.0, 20.0 * i + 16)) for i, t in enumerate(self.texts)]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 300), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def test_extract_reports_progress_and_parses_the_ocr_lines() -> None:
    engine = ScriptedEngine(["KEDAI MAJU SDN BHD", "Date: 09/01/2019", "TOTAL RM 11.00"])
    stages: list[tuple[str, int]] = []
    result = OfflineExtractor(LimitSettings.model_validate({}), engine=engine).extract(
        _png(), lambda s, p: stages.append((s, p))
    )
    assert result.fields.total == Decimal("11.00")
    assert result.ocr.engine == "scripted"
    assert result.ocr.text_layer is False
    assert [s for s, _ in stages] == ["decode", "ocr", "ocr", "parse", "done"]
    assert [p for _, p in stages] == sorted(p for _, p in stages)


def test_reparse_does_not_run_ocr_again() -> None:
    engine = ScriptedEngine(["SHOP", "TOTAL 4.20"])
    extractor = OfflineExtractor(LimitSettings.model_validate({}), engine=engine)
    result = extractor.extract(_png())
    assert extractor.reparse(result.ocr).total == Decimal("4.20")
    assert engine.calls == 1


def test_a_pdf_with_a_text_layer_is_not_ocred() -> None:
    engine = ScriptedEngine(["WRONG"])
    data = _hand_written_pdf(["ACME TRADING SDN BHD", "Date 19/05/2018", "TOTAL RM 42.40"])
    result = OfflineExtractor(LimitSettings.model_validate({}), engine=engine).extract(data)
    assert engine.calls == 0
    assert result.ocr.text_layer is True
    assert result.fields.total == Decimal("42.40")
    assert result.fields.merchant == "ACME TRADING SDN BHD"


def test_an_image_without_text_fails_with_a_clear_message() -> None:
    with pytest.raises(ExtractionFailed, match="No text"):
        OfflineExtractor(LimitSettings.model_validate({}), engine=ScriptedEngine([])).extract(_png())


def test_unsupported_bytes_are_refused_before_ocr() -> None:
    engine = ScriptedEngine(["TOTAL 1.00"])
    with pytest.raises(Unsupported):
        OfflineExtractor(LimitSettings.model_validate({}), engine=engine).extract(b"GIF89a not really")
    assert engine.calls == 0


@pytest.mark.slow
@pytest.mark.parametrize("label_path", sorted(SROIE.glob("*.json")), ids=lambda p: p.stem)
def test_real_ocr_reads_the_labelled_total_and_date_of_sroie_receipts(label_path: Path) -> None:
    label = json.loads(label_path.read_text(encoding="utf-8"))
    result = OfflineExtractor(LimitSettings.model_validate({})).extract(label_path.with_suffix(".jpg").read_bytes())
    assert result.fields.total == Decimal(label["total"].lstrip("$RM "))
    assert result.fields.date == dateparser.parse(label["date"], dayfirst=True).date()
    assert result.ocr.engine.startswith("rapidocr")
