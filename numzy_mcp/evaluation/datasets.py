"""Labelled dataset folders: detect their kind and read each document's expected fields.

Four layouts are understood (see each folder's README in ``shared/datasets``):

* ``sroie``: ``<ID>.jpg`` + ``<ID>.json`` task-3 labels (company, date, address, total) as printed;
* ``synthetic``: ``<name>.jpg`` + ``<name>.json`` typed ground truth (ISO dates, numbers, items);
* ``pdf``: ``<name>.pdf`` + ``<name>.expected.json`` invoice2data goldens (a list with one object);
* ``cord``: ``dev/json/*.json`` CORD v0.1 labels only; the labelled words become the OCR lines.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final, Literal, cast

from numzy_mcp.extraction.amounts import parse_amount
from numzy_mcp.extraction.dates import find_dates
from numzy_mcp.extraction.ocr import group_lines
from numzy_mcp.receipts import LineItem, OcrLine

__all__ = ["DatasetKind", "EvalDocument", "detect_kind", "load_dataset", "with_transcribed_lines"]

DatasetKind = Literal["sroie", "synthetic", "pdf", "cord"]
Expected = Decimal | dt.date | dt.time | str | list[LineItem] | None
_DOCUMENT_SUFFIXES: Final = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".pdf")


@dataclass(slots=True)
class EvalDocument:
    """One labelled document.

    Attributes:
        id: The file stem (or CORD split-qualified id).
        kind: The dataset layout it came from.
        path: The document file, or None for labels-only sets (CORD).
        lines: OCR lines given by the dataset (CORD), else None: the extractor reads ``path``.
        expected: Field name (``ExtractedFields`` naming) → typed expected value; only scored fields.
        printed: SROIE task-3 key → the label string as printed (empty for other kinds).
        reference: Field name → a value the labels give without claiming the document prints it
            (pdf-dev's template ``issuer`` for ``merchant``); scored only as a secondary column.
    """

    id: str
    kind: DatasetKind
    path: Path | None
    lines: list[OcrLine] | None = None
    expected: dict[str, Expected] = field(default_factory=dict[str, Expected])
    printed: dict[str, str] = field(default_factory=dict[str, str])
    reference: dict[str, str] = field(default_factory=dict[str, str])


def detect_kind(folder: Path) -> DatasetKind:
    """Tell which dataset layout a folder uses.

    Args:
        folder: A dataset folder.

    Returns:
        The layout.

    Raises:
        ValueError: The folder matches none of the known layouts.
    """
    if (folder / "dev" / "json").is_dir() or any(folder.glob("*/json/receipt_*.json")):
        return "cord"
    if any(folder.glob("*.expected.json")):
        return "pdf"
    for label in sorted(folder.glob("*.json")):
        try:
            data = json.loads(label.read_text(encoding="utf-8-sig"))
        except (OSError, json.JSONDecodeError):
            continue
        if isinstance(data, dict) and "company" in data:
            return "sroie"
        if isinstance(data, dict) and ("merchant" in data or "items" in data):
            return "synthetic"
    raise ValueError(
        f"{folder} is not a known dataset folder: expected SROIE (<ID>.jpg + <ID>.json with company/date/address/"
        "total), synthetic (<name>.jpg + <name>.json with merchant/items), pdf (<name>.pdf + <name>.expected.json) "
        "or CORD (dev/json/receipt_*.json)."
    )


def _amount(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return Decimal(str(value)).normalize()
    cleaned = re.sub(r"[^\d.,'\-]", "", str(value))
    parsed = parse_amount(cleaned) if cleaned else None
    return parsed.normalize() if parsed is not None else None


def _iso_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _printed_date(text: str) -> dt.date | None:
    found = find_dates(text)
    return found[0].value if found else None


def _document(folder: Path, stem: str) -> Path | None:
    for suffix in _DOCUMENT_SUFFIXES:
        for candidate in (folder / f"{stem}{suffix}", folder / f"{stem}{suffix.upper()}"):
            if candidate.exists():
                return candidate
    return None


def _sroie(folder: Path) -> list[EvalDocument]:
    documents: list[EvalDocument] = []
    for label_path in sorted(folder.glob("*.json")):
        path = _document(folder, label_path.stem)
        if path is None:
            continue
        label = cast(dict[str, Any], json.loads(label_path.read_text(encoding="utf-8-sig")))
        printed = {key: str(label.get(key) or "") for key in ("company", "date", "address", "total")}
        expected: dict[str, Expected] = {}
        if printed["company"]:
            expected["merchant"] = printed["company"]
        if printed["address"]:
            expected["address"] = printed["address"]
        if printed["date"]:
            expected["date"] = _printed_date(printed["date"])
        if printed["total"]:
            expected["total"] = _amount(printed["total"])
        documents.append(EvalDocument(label_path.stem, "sroie", path, None, expected, printed))
    return documents


def _synthetic(folder: Path) -> list[EvalDocument]:
    documents: list[EvalDocument] = []
    for label_path in sorted(folder.glob("*.json")):
        path = _document(folder, label_path.stem)
        if path is None:
            continue
        label = cast(dict[str, Any], json.loads(label_path.read_text(encoding="utf-8")))
        expected: dict[str, Expected] = {}
        if "merchant" in label:
            expected["merchant"] = label["merchant"]
        if "date" in label:
            expected["date"] = _iso_date(label["date"])
        if label.get("time"):
            expected["time"] = dt.time.fromisoformat(label["time"])
        for key in ("currency", "payment_method"):
            if key in label:
                expected[key] = label[key]
        for key in ("subtotal", "tax", "tip", "total"):
            if key in label:
                expected[key] = _amount(label[key])
        if "items" in label:
            expected["items"] = [
                LineItem(
                    description=str(item.get("description", "")),
                    quantity=_amount(item.get("quantity")),
                    unit_price=_amount(item.get("unit_price")),
                    amount=_amount(item.get("amount")),
                )
                for item in cast(list[dict[str, Any]], label["items"])
            ]
        documents.append(EvalDocument(label_path.stem, "synthetic", path, None, expected))
    return documents


def _pdf(folder: Path) -> list[EvalDocument]:
    documents: list[EvalDocument] = []
    for label_path in sorted(folder.glob("*.expected.json")):
        stem = label_path.name.removesuffix(".expected.json")
        path = _document(folder, stem)
        if path is None:
            continue
        data = json.loads(label_path.read_text(encoding="utf-8"))
        label = cast(dict[str, Any], data[0] if isinstance(data, list) and data else data)
        expected: dict[str, Expected] = {}
        for source, target in (("amount", "total"), ("amount_untaxed", "subtotal"), ("amount_tax", "tax")):
            if source in label:
                expected[target] = _amount(label[source])
        if "date" in label:
            expected["date"] = _iso_date(label["date"])
        if "currency" in label:
            expected["currency"] = str(label["currency"]).upper()
        # The README: "issuer" comes from the invoice2data template, not the document; "do not score
        # them as extracted text". It is kept as a reference for the merchant, never a miss.
        reference = {"merchant": str(label["issuer"])} if label.get("issuer") else {}
        documents.append(EvalDocument(stem, "pdf", path, None, expected, reference=reference))
    return documents


def _cord_amount(text: str) -> Decimal | None:
    """An Indonesian printed amount: "60.000" and "60,000" are sixty thousand; "4.50" keeps its cents."""
    cleaned = re.sub(r"[^\d.,\-]", "", text)
    try:
        parsed = parse_amount(cleaned) if cleaned.strip("-.,") else None
    except InvalidOperation:
        return None
    return parsed.normalize() if parsed is not None else None


def _cord_words(line: dict[str, Any], keys: bool) -> str:
    words = cast(list[dict[str, Any]], line.get("words", []))
    return " ".join(str(w["text"]) for w in words if keys or not w.get("is_key"))


def _cord(folder: Path) -> list[EvalDocument]:
    documents: list[EvalDocument] = []
    for label_path in sorted(folder.glob("**/json/receipt_*.json")):
        label = cast(dict[str, Any], json.loads(label_path.read_text(encoding="utf-8")))
        valid = cast(list[dict[str, Any]], label.get("valid_line", []))
        segments: list[OcrLine] = []
        for line in valid:
            for word in cast(list[dict[str, Any]], line.get("words", [])):
                quad = cast(dict[str, float], word["quad"])
                xs = [quad["x1"], quad["x2"], quad["x3"], quad["x4"]]
                ys = [quad["y1"], quad["y2"], quad["y3"], quad["y4"]]
                segments.append(OcrLine(text=str(word["text"]), box=(min(xs), min(ys), max(xs), max(ys))))
        expected: dict[str, Expected] = {}
        targets = {"total.total_price": "total", "sub_total.tax_price": "tax", "sub_total.subtotal_price": "subtotal"}
        for line in valid:
            target = targets.get(str(line.get("category")))
            if target and target not in expected:
                expected[target] = _cord_amount(_cord_words(line, keys=False))
        groups: dict[int, dict[str, str]] = {}
        for line in valid:
            category = str(line.get("category"))
            if category in ("menu.nm", "menu.cnt", "menu.price"):
                groups.setdefault(int(line.get("group_id", -1)), {}).setdefault(category, _cord_words(line, True))
        expected["items"] = [
            LineItem(description=g.get("menu.nm", ""), amount=_cord_amount(g.get("menu.price", "")))
            for _, g in sorted(groups.items())
            if "menu.nm" in g
        ]
        split = label_path.parent.parent.name
        documents.append(EvalDocument(f"{split}/{label_path.stem}", "cord", None, group_lines(segments), expected))
    return documents


def _sroie_transcript(path: Path) -> list[OcrLine] | None:
    """The SROIE task-1/2 transcript ``<ID>.txt`` beside a scan: ``x1,y1,…,x4,y4,text`` per box."""
    transcript = path.with_suffix(".txt")
    if not transcript.exists():
        return None
    segments: list[OcrLine] = []
    for row in transcript.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = row.split(",", 8)
        if len(parts) != 9 or not parts[8].strip():
            continue
        try:
            xs, ys = [float(v) for v in parts[0:8:2]], [float(v) for v in parts[1:8:2]]
        except ValueError:
            continue
        segments.append(OcrLine(text=parts[8], box=(min(xs), min(ys), max(xs), max(ys))))
    return group_lines(segments)


def with_transcribed_lines(documents: list[EvalDocument]) -> list[EvalDocument]:
    """Give each SROIE document its human transcript as OCR lines, so only the parser is measured.

    Comparing this with a run on the scans splits the misses into parser and OCR errors.

    Args:
        documents: Documents from :func:`load_dataset`.

    Returns:
        The same documents; SROIE ones with a ``<ID>.txt`` transcript carry it as ``lines``.
    """
    for document in documents:
        if document.kind == "sroie" and document.path is not None:
            document.lines = _sroie_transcript(document.path) or document.lines
    return documents


def load_dataset(folder: Path, *, kind: DatasetKind | None = None, limit: int | None = None) -> list[EvalDocument]:
    """Read every labelled document of a dataset folder, in sorted order.

    Args:
        folder: The dataset folder.
        kind: The layout; detected from the files when None.
        limit: Keep only the first N documents.

    Returns:
        The documents with their expected values.

    Raises:
        ValueError: The folder's layout is not recognised.
    """
    kind = kind or detect_kind(folder)
    readers = {"sroie": _sroie, "synthetic": _synthetic, "pdf": _pdf, "cord": _cord}
    documents = readers[kind](folder)
    return documents[:limit] if limit else documents
