from __future__ import annotations

from numzy_mcp.extraction import OcrEngine, RapidOcrEngine, group_lines
from numzy_mcp.receipts import OcrLine


def _seg(text: str, x0: float, y0: float, x1: float, y1: float, score: float = 0.9) -> OcrLine:
    return OcrLine(text=text, box=(x0, y0, x1, y1), confidence=score)


def test_boxes_on_one_baseline_become_one_line_read_left_to_right() -> None:
    grouped = group_lines(
        [
            _seg("31.00", 300, 102, 360, 122, 0.8),
            _seg("TOTAL", 10, 100, 80, 120, 1.0),
            _seg("ABC HO TRADING", 10, 40, 200, 60),
        ]
    )
    assert [line.text for line in grouped] == ["ABC HO TRADING", "TOTAL 31.00"]
    assert grouped[1].box == (10, 100, 360, 122)
    assert grouped[1].confidence == 0.9


def test_deskewed_spans_keep_a_price_with_its_label_on_a_tilted_photo() -> None:
    label = _seg("Tax", 10, 100, 60, 120)
    price_of_line_above = _seg("19.50", 500, 45, 560, 65)  # tilted: the right edge rides 25 px higher
    price = _seg("1.73", 500, 75, 560, 95)
    segments = [label, price_of_line_above, price, _seg("Subtotal", 10, 70, 90, 90)]
    naive = group_lines(segments)
    assert "Subtotal 1.73" in [line.text for line in naive]
    skew = -0.05  # y shifts by -0.05 px per px to the right
    spans = [
        (s.box[1] - skew * (s.box[0] + s.box[2]) / 2, s.box[3] - skew * (s.box[0] + s.box[2]) / 2) for s in segments
    ]
    assert [line.text for line in group_lines(segments, spans=spans)] == ["Subtotal 19.50", "Tax 1.73"]


def test_rapidocr_engine_satisfies_the_protocol_without_loading_the_model() -> None:
    engine = RapidOcrEngine()
    assert isinstance(engine, OcrEngine)
    assert engine.name.startswith("rapidocr-")
    assert engine._engine is None
