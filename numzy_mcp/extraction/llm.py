"""LLM extraction with pydantic-ai: a vision (page images) or text (numbered OCR lines) model fills the fields.

Works with OpenAI or any OpenAI-compatible endpoint (``LlmSettings.base_url``). Nothing here runs unless
an :class:`LlmExtractor` is built and called; which extractor reads receipts is chosen in settings
(``NUMZY_EXTRACTOR``) and the offline one is the default. The answer is validated against
:class:`~numzy_mcp.extraction.llm_schema.LlmReceipt` (an invalid one is sent back once to be fixed) and
mapped onto :class:`~numzy_mcp.receipts.ExtractedFields`; tokens and cost (from the price table in
settings) come back with the fields, and with the error when the call fails.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from PIL import Image
from pydantic import BaseModel, Field, ValidationError
from pydantic_ai import Agent, BinaryContent, ModelRetry, RunContext
from pydantic_ai.exceptions import ModelAPIError, RunTimedOut, UnexpectedModelBehavior, UsageLimitExceeded
from pydantic_ai.messages import UserContent
from pydantic_ai.models import Model
from pydantic_ai.settings import ModelSettings
from pydantic_ai.usage import RunUsage

from numzy_mcp.errors import ExtractionFailed, Unsupported
from numzy_mcp.extraction.documents import inspect_document, load_pages
from numzy_mcp.extraction.llm_schema import LlmLineItem, LlmReceipt, number_lines
from numzy_mcp.receipts import ExtractedFields, OcrLine
from numzy_mcp.settings import DEFAULT_PRICES, LimitSettings, LlmMode, LlmSettings

__all__ = [
    "LlmExtraction",
    "LlmExtractionFailed",
    "LlmExtractor",
    "LlmImage",
    "LlmLineItem",
    "LlmReceipt",
    "LlmUsage",
    "build_model",
    "cost_usd",
    "vision_images",
]

INSTRUCTIONS: Final = (
    "You read one shop receipt or invoice and return its fields. Copy merchant, address and item descriptions "
    "as printed. Amounts are plain decimal numbers in the receipt's currency (no symbols, no thousands "
    "separators); a refund has a negative total and kind 'refund'. total is what was paid, tip included. "
    "currency is the ISO 4217 code the receipt implies (country evidence beats a bare '$'); country is the "
    "ISO 3166 alpha-2 code of the shop. date is ISO YYYY-MM-DD; decide day/month order from the receipt's "
    "country; time is 24-hour. card_last4 holds only the last four digits of a masked card number. Leave a "
    "field null when it is not printed. When the receipt is given as numbered lines, set sources to the "
    "numbers of the line(s) each field was read from. In confidence, give each filled field a number from 0 "
    "(a guess) to 1 (clearly printed)."
)
_VISION_PROMPT: Final = "Extract the receipt fields from this image (pages in order)."
_TEXT_PROMPT: Final = (
    "Extract the receipt fields from these OCR lines, top to bottom; each starts with its number in brackets:\n\n"
)
VISION_MAX_SIDE: Final = 2048
"""Long side, in pixels, of a page image sent to a vision model (providers scale larger ones down anyway)."""
MAX_OUTPUT_TOKENS: Final = 4000
_ORIENTATION: Final = 0x0112
_KEY_LIKE: Final = re.compile(r"\b(?:sk|nzk)[-_][A-Za-z0-9_*\-]{6,}")
_PASSED_AS_IS: Final = frozenset({"image/jpeg", "image/png", "image/webp"})


class LlmUsage(BaseModel):
    """Tokens used by one extraction and what they cost."""

    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: Decimal | None = Field(default=None, description="None when the model has no price in the table.")


class LlmExtraction(BaseModel):
    """The fields an LLM extracted plus the usage that produced them."""

    fields: ExtractedFields
    usage: LlmUsage
    mode: LlmMode


class LlmExtractionFailed(ExtractionFailed):
    """The model gave no valid receipt (error, timeout, invalid answer); ``usage`` is what was spent anyway."""

    def __init__(self, message: str, usage: LlmUsage, mode: LlmMode) -> None:
        """Record the reason (secrets removed), the tokens spent and the mode of the failed call."""
        super().__init__(message)
        self.usage = usage
        self.mode: LlmMode = mode


@dataclass(frozen=True, slots=True)
class _Shown:
    """What the model was shown: how many numbered lines (None: images)."""

    line_count: int | None


@dataclass(frozen=True, slots=True)
class LlmImage:
    """One page image as it is sent to a vision model."""

    data: bytes
    media_type: str


def cost_usd(
    model: str, input_tokens: int, output_tokens: int, prices: Mapping[str, tuple[Decimal, Decimal]] | None = None
) -> Decimal | None:
    """Price a call from the token counts.

    A dated model name ("gpt-4o-mini-2024-07-18") uses the longest listed prefix.

    Args:
        model: The model name.
        input_tokens: Prompt tokens.
        output_tokens: Completion tokens.
        prices: Model → (input, output) USD per million tokens; the settings' default table when None.

    Returns:
        The cost in USD, or None when the model is not in the table.
    """
    table = DEFAULT_PRICES if prices is None else prices
    matches = [name for name in table if model == name or model.startswith(name + "-")]
    if not matches:
        return None
    input_price, output_price = table[max(matches, key=len)]
    return (input_price * input_tokens + output_price * output_tokens) / Decimal(1_000_000)


def build_model(settings: LlmSettings) -> Model:
    """An OpenAI chat model for the configured endpoint.

    Args:
        settings: Model name, optional base URL and API key.

    Returns:
        The pydantic-ai model (no request is made here).

    Raises:
        Unsupported: No model is configured.
    """
    if not settings.model:
        raise Unsupported("No LLM is configured: set NUMZY_LLM__MODEL (and the API key) to use the llm extractor.")
    from pydantic_ai.models.openai import OpenAIChatModel
    from pydantic_ai.providers.openai import OpenAIProvider

    api_key = settings.api_key.get_secret_value() if settings.api_key is not None else None
    provider = OpenAIProvider(base_url=settings.base_url, api_key=api_key)
    return OpenAIChatModel(settings.model, provider=provider)


def vision_images(data: bytes, limits: LimitSettings) -> list[LlmImage]:
    """The pages of a document as images a vision model accepts. Blocking (decodes): run it in a thread.

    Upright JPEG, PNG and WebP files go as they are; HEIC photos and rotated photos are decoded upright and
    sent as JPEG; PDF pages are rendered and sent as PNG (flat text compresses well). Decoded pages are
    scaled to at most :data:`VISION_MAX_SIDE` pixels on the long side.

    Raises:
        InvalidInput, TooLarge, Unsupported: as :func:`~numzy_mcp.extraction.documents.inspect_document`.
    """
    info = inspect_document(data, limits)
    if info.mime_type in _PASSED_AS_IS and _upright(data):
        return [LlmImage(data=data, media_type=info.mime_type)]
    pdf = info.mime_type == "application/pdf"
    images: list[LlmImage] = []
    for page in load_pages(data, info, limits):
        page.thumbnail((VISION_MAX_SIDE, VISION_MAX_SIDE), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        if pdf:
            page.save(buffer, format="PNG", optimize=True)
        else:
            page.save(buffer, format="JPEG", quality=90)
        images.append(LlmImage(data=buffer.getvalue(), media_type="image/png" if pdf else "image/jpeg"))
    return images


def _upright(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        return int(image.getexif().get(_ORIENTATION, 1)) == 1


class LlmExtractor:
    """Receipt fields from a vision or text LLM, validated against :class:`LlmReceipt`."""

    def __init__(
        self,
        settings: LlmSettings | None = None,
        *,
        model: Model | None = None,
        prices: Mapping[str, tuple[Decimal, Decimal]] | None = None,
        retries: int = 1,
    ) -> None:
        """Create an extractor; no request is made until an ``extract_*`` call.

        Args:
            settings: The endpoint, mode, time limit and price table; the model is built from it when
                ``model`` is None.
            model: A ready pydantic-ai model (tests pass a ``FunctionModel``).
            prices: Price table overriding the one in ``settings``.
            retries: How many times an invalid answer is sent back to be fixed.

        Raises:
            Unsupported: Neither a model nor a configured model name was given.
        """
        configured = settings or LlmSettings()
        if model is None:
            model = build_model(configured)
        self.model = model
        self.model_name = configured.model or model.model_name
        self.mode: LlmMode = configured.mode
        self.timeout_seconds = configured.timeout_seconds
        self.prices: Mapping[str, tuple[Decimal, Decimal]] = prices if prices is not None else configured.prices
        self._secret = configured.api_key.get_secret_value() if configured.api_key is not None else None
        self._retries = retries
        self._agent: Agent[_Shown, LlmReceipt] = Agent(
            model,
            output_type=LlmReceipt,
            instructions=INSTRUCTIONS,
            deps_type=_Shown,
            retries=retries,
            model_settings=ModelSettings(temperature=0.0, max_tokens=MAX_OUTPUT_TOKENS),
        )
        self._agent.output_validator(_fits_the_domain)

    @property
    def name(self) -> str:
        """``llm:<model>``, as recorded on the receipts this extractor reads."""
        return f"llm:{self.model_name}"

    # ---- async (the service) ---------------------------------------------------------------------

    async def aextract_text(self, lines: Sequence[OcrLine]) -> LlmExtraction:
        """Send the numbered OCR lines to the model; cited lines become ``fields.sources``.

        Raises:
            LlmExtractionFailed: model error, timeout or no valid answer (with the tokens spent).
        """
        return await self._arun([_TEXT_PROMPT + number_lines(lines)], len(lines), "text")

    async def aextract_images(self, images: Sequence[LlmImage]) -> LlmExtraction:
        """Send page images to a vision model.

        Raises:
            LlmExtractionFailed: model error, timeout or no valid answer (with the tokens spent).
        """
        return await self._arun(_vision_prompt(images), None, "vision")

    async def _arun(self, prompt: Sequence[UserContent], line_count: int | None, mode: LlmMode) -> LlmExtraction:
        usage = RunUsage()
        try:
            result = await self._agent.run(prompt, deps=_Shown(line_count), usage=usage, timeout=self.timeout_seconds)
        except Exception as error:  # noqa: BLE001 - every model, network or schema failure is reported the same way
            raise self._failed(error, usage, mode) from None
        return self._extraction(result.output, usage, line_count, mode)

    # ---- blocking (evaluation, scripts): run these in a worker thread ----------------------------

    def extract_text(self, lines: Sequence[OcrLine]) -> LlmExtraction:
        """Blocking :meth:`aextract_text`."""
        return self._run_sync([_TEXT_PROMPT + number_lines(lines)], len(lines), "text")

    def extract_images(self, images: Sequence[LlmImage]) -> LlmExtraction:
        """Blocking :meth:`aextract_images`."""
        return self._run_sync(_vision_prompt(images), None, "vision")

    def extract_image(self, data: bytes, media_type: str = "image/jpeg") -> LlmExtraction:
        """Blocking: one JPEG, PNG or WebP image (see :func:`vision_images` for HEIC and PDF)."""
        return self.extract_images([LlmImage(data=data, media_type=media_type)])

    def _run_sync(self, prompt: Sequence[UserContent], line_count: int | None, mode: LlmMode) -> LlmExtraction:
        usage = RunUsage()
        try:
            result = self._agent.run_sync(prompt, deps=_Shown(line_count), usage=usage, timeout=self.timeout_seconds)
        except Exception as error:  # noqa: BLE001 - every model, network or schema failure is reported the same way
            raise self._failed(error, usage, mode) from None
        return self._extraction(result.output, usage, line_count, mode)

    # ---- shared ----------------------------------------------------------------------------------

    def _usage(self, usage: RunUsage) -> LlmUsage:
        return LlmUsage(
            model=self.model_name,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cost_usd=cost_usd(self.model_name, usage.input_tokens, usage.output_tokens, self.prices),
        )

    def _extraction(self, output: LlmReceipt, usage: RunUsage, line_count: int | None, mode: LlmMode) -> LlmExtraction:
        return LlmExtraction(fields=output.to_fields(line_count), usage=self._usage(usage), mode=mode)

    def _failed(self, error: Exception, usage: RunUsage, mode: LlmMode) -> LlmExtractionFailed:
        return LlmExtractionFailed(self.redact(self._reason(error)), self._usage(usage), mode)

    def _reason(self, error: Exception) -> str:
        if isinstance(error, RunTimedOut | TimeoutError):
            return f"the model did not answer within {self.timeout_seconds:g} s"
        if isinstance(error, UsageLimitExceeded):
            return f"the model used too many tokens ({error})"
        if isinstance(error, UnexpectedModelBehavior):
            tries = self._retries + 1
            return f"the model gave no valid receipt in {tries} {'try' if tries == 1 else 'tries'} ({error.message})"
        if isinstance(error, ModelAPIError):
            return f"the model endpoint failed ({type(error).__name__}: {error.message})"
        return f"the model call failed ({type(error).__name__}: {error})"

    def redact(self, text: str) -> str:
        """Never let the API key (or anything shaped like one) reach a log, a stored reason or a caller."""
        if self._secret:
            text = text.replace(self._secret, "***")
        return _KEY_LIKE.sub("***", text)[:500]


def _vision_prompt(images: Sequence[LlmImage]) -> list[UserContent]:
    if not images:
        raise Unsupported("The document has no page to send to the vision model.")
    return [_VISION_PROMPT, *(BinaryContent(data=image.data, media_type=image.media_type) for image in images)]


def _fits_the_domain(ctx: RunContext[_Shown], output: LlmReceipt) -> LlmReceipt:
    """Map the answer onto the domain model now, so anything it refuses is sent back to the model to fix."""
    try:
        output.to_fields(ctx.deps.line_count)
    except ValidationError as error:
        raise ModelRetry(f"The receipt does not fit the schema: {error}. Correct those fields.") from None
    return output
