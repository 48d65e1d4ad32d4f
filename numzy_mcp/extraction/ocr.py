"""OCR engines: a small protocol and the default RapidOCR (PP-OCR, ONNX) implementation.

The engine returns *visual lines*: text boxes that share a baseline are grouped by vertical overlap
and joined left to right with spaces, so "TOTAL" and "31.00" printed in two columns become one line.
"""

from __future__ import annotations

import itertools
import threading
from typing import TYPE_CHECKING, Any, Final, Protocol, runtime_checkable

import numpy as np

from numzy_mcp.errors import ExtractionFailed
from numzy_mcp.receipts import OcrLine

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["RAPIDOCR_PARAMS", "OcrEngine", "RapidOcrEngine", "group_lines"]

RAPIDOCR_PARAMS: Final[dict[str, Any]] = {
    "Global.use_cls": False,
    "Det.limit_type": "max",
    "Det.limit_side_len": 960,
    "Global.log_level": "error",
}
"""The tuned configuration measured in docs/ocr.md (no line classifier, detector on a 960 px max side)."""


@runtime_checkable
class OcrEngine(Protocol):
    """Anything that turns a page image into text lines."""

    @property
    def name(self) -> str:
        """A short engine identifier stored with the OCR result."""
        ...

    def recognize(self, image: Image.Image) -> list[OcrLine]:
        """Recognise the text of one RGB page image as visual lines in reading order."""
        ...


def _rapidocr_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("rapidocr")
    except PackageNotFoundError:
        return "unknown"


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def group_lines(
    segments: list[OcrLine],
    *,
    min_overlap: float = 0.5,
    spans: list[tuple[float, float]] | None = None,
    space_gap: float | None = None,
) -> list[OcrLine]:
    """Group text segments into visual lines by vertical overlap, each read left to right.

    A segment joins a line when its vertical overlap with the line's mean extent is at least
    ``min_overlap`` of the smaller height. Lines are returned top to bottom; pages stay separate.

    Args:
        segments: Word or phrase boxes, in any order.
        min_overlap: Fraction of the smaller height two boxes must share to be on one line.
        spans: Optional (top, bottom) per segment to group by instead of the box, e.g. deskewed
            extents on a slightly rotated photo; the returned boxes are still the segments' boxes.
        space_gap: When set, neighbours are joined with a space only if the horizontal gap between
            them is at least this fraction of the line height (for PDF text-layer fragments, which
            may be single characters); by default every join gets a space.

    Returns:
        One ``OcrLine`` per visual line, text joined with single spaces, box the union and
        confidence the mean of its segments.
    """
    extents = spans if spans is not None else [(s.box[1], s.box[3]) for s in segments]
    result: list[OcrLine] = []
    for page in sorted({s.page for s in segments}):
        on_page = sorted(
            (i for i, s in enumerate(segments) if s.page == page and s.text.strip()),
            key=lambda i: (extents[i][0] + extents[i][1]) / 2,
        )
        lines: list[list[OcrLine]] = []
        line_spans: list[tuple[float, float]] = []
        for i in on_page:
            seg = segments[i]
            y0, y1 = extents[i]
            height = max(y1 - y0, 1.0)
            best, best_score = -1, 0.0
            # Only recent lines can overlap: segments arrive sorted by vertical centre.
            for index in range(max(0, len(lines) - 4), len(lines)):
                l0, l1 = line_spans[index]
                score = _overlap(y0, y1, l0, l1) / max(min(height, l1 - l0), 1.0)
                if score >= min_overlap and score > best_score:
                    best, best_score = index, score
            if best < 0:
                lines.append([seg])
                line_spans.append((y0, y1))
            else:
                lines[best].append(seg)
                n = len(lines[best])
                l0, l1 = line_spans[best]
                line_spans[best] = (l0 + (y0 - l0) / n, l1 + (y1 - l1) / n)
        ordered = sorted(zip(lines, line_spans, strict=True), key=lambda pair: pair[1][0] + pair[1][1])
        for members, _ in ordered:
            members.sort(key=lambda s: s.box[0])
            text = " ".join(members[0].text.split())
            for prev, seg in itertools.pairwise(members):
                gap = seg.box[0] - prev.box[2]
                height = max(seg.box[3] - seg.box[1], prev.box[3] - prev.box[1], 1.0)
                glue = "" if space_gap is not None and gap < space_gap * height else " "
                text += glue + " ".join(seg.text.split())
            box = (
                min(s.box[0] for s in members),
                min(s.box[1] for s in members),
                max(s.box[2] for s in members),
                max(s.box[3] for s in members),
            )
            confidence = sum(s.confidence for s in members) / len(members)
            result.append(OcrLine(text=text, box=box, confidence=round(confidence, 4), page=page))
    return result


def _deskewed_spans(quads: list[np.ndarray[Any, Any]]) -> list[tuple[float, float]]:
    """Vertical extents of text boxes after undoing the page's skew.

    On a photo rotated by a degree or two, a price at the right edge sits half a line above or below
    its label; grouping on raw y would pair it with the wrong line. The skew is the median slope of
    the boxes' top edges (quads are top-left, top-right, bottom-right, bottom-left).
    """
    slopes: list[float] = []
    for q in quads:
        dx = q[1, 0] - q[0, 0]
        height = abs(q[3, 1] - q[0, 1])
        if dx > 2 * max(height, 1.0):
            slopes.append((q[1, 1] - q[0, 1]) / dx)
    skew = float(np.median(slopes)) if slopes else 0.0
    if abs(skew) < 0.003:
        skew = 0.0
    spans: list[tuple[float, float]] = []
    for q in quads:
        cx = float(q[:, 0].mean())
        cy = float(q[:, 1].mean()) - skew * cx
        height = max(float(np.hypot(q[3, 0] - q[0, 0], q[3, 1] - q[0, 1])), 1.0)
        spans.append((cy - height / 2, cy + height / 2))
    return spans


class RapidOcrEngine:
    """RapidOCR 3 with the bundled PP-OCR models, loaded once on first use and shared by threads."""

    def __init__(self, params: dict[str, Any] | None = None) -> None:
        """Configure the engine; nothing is loaded until the first ``recognize`` call.

        Args:
            params: RapidOCR parameter overrides; defaults to :data:`RAPIDOCR_PARAMS`.
        """
        self._params = dict(RAPIDOCR_PARAMS if params is None else params)
        self._engine: Any = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """Engine identifier, e.g. ``rapidocr-3.10.0``."""
        return f"rapidocr-{_rapidocr_version()}"

    def _load(self) -> Any:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    from rapidocr import RapidOCR

                    self._engine = RapidOCR(params=self._params)
        return self._engine

    def recognize(self, image: Image.Image, page: int = 0) -> list[OcrLine]:
        """Recognise the text of an RGB image.

        Args:
            image: The page image (RGB).
            page: Page number stored on every returned line.

        Returns:
            Visual lines in reading order, boxes in the image's pixel space.

        Raises:
            ExtractionFailed: The OCR engine failed on this image.
        """
        engine = self._load()
        try:
            rgb = image if image.mode == "RGB" else image.convert("RGB")
            output = engine(np.asarray(rgb)[:, :, ::-1])
        except Exception as exc:  # the native engine raises assorted errors on odd inputs
            raise ExtractionFailed(f"OCR failed on the image ({type(exc).__name__}: {exc}).") from exc
        boxes = getattr(output, "boxes", None)
        texts = getattr(output, "txts", None)
        scores = getattr(output, "scores", None)
        if boxes is None or texts is None or scores is None:
            return []
        segments: list[OcrLine] = []
        quads: list[np.ndarray[Any, Any]] = []
        for quad, text, score in zip(boxes, texts, scores, strict=False):
            points = np.asarray(quad, dtype=float).reshape(4, 2)
            box = (
                float(points[:, 0].min()),
                float(points[:, 1].min()),
                float(points[:, 0].max()),
                float(points[:, 1].max()),
            )
            segments.append(OcrLine(text=str(text), box=box, confidence=float(score), page=page))
            quads.append(points)
        return group_lines(segments, spans=_deskewed_spans(quads))
