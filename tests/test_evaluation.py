from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from numzy_mcp.evaluation import (
    EvalDocument,
    ExtractorOutput,
    detect_kind,
    evaluate,
    load_dataset,
    offline_document_extractor,
    render_markdown,
)
from numzy_mcp.evaluation.datasets import with_transcribed_lines
from numzy_mcp.receipts import ExtractedFields, LineItem


def _sroie(folder: Path) -> Path:
    folder.mkdir()
    labels = {
        "X1": {"company": "ABC HO TRADING", "date": "09/01/2019", "address": "NO.2, JALAN 3", "total": "RM31.00"},
        "X2": {"company": "KEDAI MAJU", "date": "10-02-18", "address": "LOT 5, TAMAN JAYA", "total": ""},
    }
    for stem, label in labels.items():
        (folder / f"{stem}.jpg").write_bytes(b"\xff\xd8\xff")
        (folder / f"{stem}.json").write_text(json.dumps(label), encoding="utf-8")
    return folder


def _synthetic(folder: Path) -> Path:
    folder.mkdir()
    label = {
        "merchant": "Harbor Grill",
        "date": "2026-05-14",
        "time": "21:06",
        "currency": "USD",
        "subtotal": 10.5,
        "tax": None,
        "tip": 2,
        "total": 12.5,
        "payment_method": "card",
        "items": [
            {"description": "TEA", "quantity": 1, "unit_price": 4.5, "amount": 4.5},
            {"description": "CAKE", "quantity": 1, "unit_price": 6, "amount": 6},
        ],
    }
    (folder / "us-001.jpg").write_bytes(b"\xff\xd8\xff")
    (folder / "us-001.json").write_text(json.dumps(label), encoding="utf-8")
    return folder


def test_the_dataset_kind_is_detected_from_the_files(tmp_path: Path) -> None:
    assert detect_kind(_sroie(tmp_path / "s")) == "sroie"
    assert detect_kind(_synthetic(tmp_path / "y")) == "synthetic"
    pdf = tmp_path / "p"
    pdf.mkdir()
    (pdf / "inv.pdf").write_bytes(b"%PDF-1.4")
    (pdf / "inv.expected.json").write_text('[{"amount": 279.84, "date": "2023-03-20"}]', encoding="utf-8")
    assert detect_kind(pdf) == "pdf"
    assert load_dataset(pdf)[0].expected == {"total": Decimal("279.84"), "date": dt.date(2023, 3, 20)}
    with pytest.raises(ValueError, match="not a known dataset"):
        detect_kind(tmp_path)


def test_sroie_labels_are_read_as_values_and_kept_as_printed(tmp_path: Path) -> None:
    documents = load_dataset(_sroie(tmp_path / "s"))
    first, second = documents
    assert first.expected["total"] == Decimal(31)
    assert first.expected["date"] == dt.date(2019, 1, 9)
    assert first.printed["total"] == "RM31.00"
    assert "total" not in second.expected  # an empty label is not scored


def test_sroie_fields_are_scored_as_values_and_task3_as_printed_strings(tmp_path: Path) -> None:
    def extractor(document: EvalDocument) -> ExtractedFields:
        if document.id == "X1":
            return ExtractedFields(
                merchant="abc ho  trading",
                address="NO.2, JALAN 3",
                date=dt.date(2019, 1, 9),
                total=Decimal("31.00"),
                raw={"date": "09/01/2019", "total": "31.00"},
            )
        return ExtractedFields(merchant="OTHER SHOP", raw={"date": "10-02-18"}, date=dt.date(2018, 2, 10))

    report = evaluate(_sroie(tmp_path / "s"), extractor)

    assert report.kind == "sroie"
    assert report.accuracy("total") == 1.0  # 31.00 equals the printed RM31.00 as a value
    assert report.accuracy("merchant") == 0.5
    assert report.accuracy("date") == 1.0
    task3 = {t.field: t for t in report.task3}
    assert task3["total"].correct == 0  # "31.00" is not the printed "RM31.00"
    assert task3["company"].precision == 0.5
    assert task3["all"].expected == 7
    assert report.task3_normaliser is not None
    worst = report.worst()
    assert worst[0].id == "X2"
    assert {m.field for m in worst[0].misses} == {"merchant", "address"}


def test_synthetic_items_nulls_and_costs_are_scored(tmp_path: Path) -> None:
    def extractor(document: EvalDocument) -> ExtractorOutput:
        fields = ExtractedFields(
            merchant="HARBOR GRILL",
            date=dt.date(2026, 5, 14),
            time=dt.time(21, 6, 30),
            currency="USD",
            subtotal=Decimal("10.50"),
            tax=Decimal("0.80"),
            tip=Decimal(2),
            total=Decimal("12.50"),
            payment_method="card",
            items=[
                LineItem(description="tea", amount=Decimal("4.50")),
                LineItem(description="CAKE", amount=Decimal(7)),
            ],
        )
        return ExtractorOutput(fields, cost_usd=Decimal("0.0012"), input_tokens=900, output_tokens=100)

    report = evaluate(_synthetic(tmp_path / "y"), extractor, extractor_name="llm")

    assert report.accuracy("time") == 1.0
    assert report.accuracy("tax") == 0.0  # the receipt prints no tax: a value is wrong
    assert report.accuracy("items") == 0.5
    assert report.cost_usd == Decimal("0.0012")
    assert (report.input_tokens, report.output_tokens) == (900, 100)
    markdown = render_markdown(report)
    assert "| items | 50.0 % | 1 / 2 |" in markdown
    assert "## Worst misses" in markdown


def test_a_failing_document_is_reported_and_progress_is_called_for_each(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []

    def extractor(document: EvalDocument) -> ExtractedFields:
        raise RuntimeError("engine crashed")

    report = evaluate(_sroie(tmp_path / "s"), extractor, limit=1, progress=lambda d, t: calls.append((d, t)))

    assert calls == [(1, 1)]
    assert report.errors == 1
    assert report.results[0].error == "RuntimeError: engine crashed"
    assert "(error)" in render_markdown(report)


def test_cord_labels_become_ocr_lines_for_the_offline_parser(tmp_path: Path) -> None:
    folder = tmp_path / "cord" / "dev" / "json"
    folder.mkdir(parents=True)

    def word(text: str, x: int, y: int, key: int = 0) -> dict[str, object]:
        quad = {"x1": x, "y1": y, "x2": x + 60, "y2": y, "x3": x + 60, "y3": y + 20, "x4": x, "y4": y + 20}
        return {"quad": quad, "is_key": key, "row_id": y, "text": text}

    label = {
        "valid_line": [
            {"category": "menu.nm", "group_id": 1, "words": [word("TEA", 10, 10)]},
            {"category": "menu.price", "group_id": 1, "words": [word("4.50", 300, 10)]},
            {
                "category": "total.total_price",
                "group_id": 2,
                "words": [word("TOTAL", 10, 40, 1), word("4.50", 300, 40)],
            },
        ]
    }
    (folder / "receipt_00001.json").write_text(json.dumps(label), encoding="utf-8")

    documents = load_dataset(tmp_path / "cord")
    assert documents[0].kind == "cord"
    assert [line.text for line in documents[0].lines or []] == ["TEA 4.50", "TOTAL 4.50"]
    report = evaluate(tmp_path / "cord", offline_document_extractor())
    assert report.accuracy("total") == 1.0
    assert documents[0].expected["items"] == [LineItem(description="TEA", amount=Decimal("4.5"))]


def test_the_address_also_gets_a_space_blind_column_while_the_strict_score_and_misses_stay(tmp_path: Path) -> None:
    def extractor(document: EvalDocument) -> ExtractedFields:
        if document.id == "X1":
            return ExtractedFields(address="NO. 2, JALAN 3")  # printed "NO.2, JALAN 3": OCR added a space
        return ExtractedFields(address="LOT 5, TAMAN JAYA BARU")

    report = evaluate(_sroie(tmp_path / "s"), extractor)

    assert report.accuracy("address") == 0.0
    assert report.accuracy("address_ignoring_spaces") == 0.5
    assert all(m.field != "address_ignoring_spaces" for r in report.results for m in r.misses)
    assert "address_ignoring_spaces" in render_markdown(report)


def test_sroie_transcripts_become_ocr_lines_so_only_the_parser_is_measured(tmp_path: Path) -> None:
    folder = _sroie(tmp_path / "s")
    (folder / "X1.txt").write_text(
        "10,10,200,10,200,30,10,30,ABC HO TRADING\n"
        "10,40,120,40,120,60,10,60,NO.2, JALAN 3\n"
        "300,40,380,40,380,60,300,60,TEL 03-1234\n"
        "broken row without coordinates\n"
        "10,70,90,70,90,90,10,90,TOTAL\n"
        "300,70,380,70,380,90,300,90,31.00\n",
        encoding="utf-8",
    )
    documents = with_transcribed_lines(load_dataset(folder))
    assert [line.text for line in documents[0].lines or []] == [
        "ABC HO TRADING",
        "NO.2, JALAN 3 TEL 03-1234",
        "TOTAL 31.00",
    ]
    assert documents[1].lines is None  # no transcript: the scan is read as usual
    fields = offline_document_extractor()(documents[0])
    assert isinstance(fields, ExtractedFields)
    assert fields.merchant == "ABC HO TRADING"
    assert fields.total == Decimal("31.00")
