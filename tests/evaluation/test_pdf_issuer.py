from __future__ import annotations

import json
from pathlib import Path

from numzy_mcp.evaluation import EvalDocument, evaluate, load_dataset, render_markdown
from numzy_mcp.receipts import ExtractedFields


def _pdf_set(folder: Path) -> Path:
    folder.mkdir()
    for stem, issuer in (("a", "Coolblue B.V."), ("b", "Amazon Web Services")):
        (folder / f"{stem}.pdf").write_bytes(b"%PDF-1.4")
        label = [{"issuer": issuer, "amount": 10.0, "desc": f"Invoice from {issuer}"}]
        (folder / f"{stem}.expected.json").write_text(json.dumps(label), encoding="utf-8")
    return folder


def test_the_template_issuer_is_a_reference_for_the_merchant_not_an_expected_field(tmp_path: Path) -> None:
    documents = load_dataset(_pdf_set(tmp_path / "p"))

    assert [d.reference for d in documents] == [{"merchant": "Coolblue B.V."}, {"merchant": "Amazon Web Services"}]
    assert all("merchant" not in d.expected for d in documents)


def test_the_merchant_is_compared_with_the_issuer_as_text_in_a_secondary_column(tmp_path: Path) -> None:
    def extractor(document: EvalDocument) -> ExtractedFields:
        if document.id == "a":
            return ExtractedFields(merchant="coolblue  b.v.")  # case and spacing do not count
        return ExtractedFields(merchant="Amazon Web Services, Inc.")  # a legal form the issuer leaves out does

    report = evaluate(_pdf_set(tmp_path / "p"), extractor)

    assert report.accuracy("merchant_vs_issuer") == 0.5
    assert report.accuracy("merchant") is None
    assert all(m.field != "merchant_vs_issuer" for r in report.results for m in r.misses)
    assert [(r.correct, r.scored) for r in report.results] == [(0, 1), (0, 1)]  # only the total is scored
    assert "merchant_vs_issuer" in render_markdown(report)
