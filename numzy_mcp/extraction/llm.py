"""LLM extraction with pydantic-ai: a vision (image) or text (OCR lines) model fills the receipt fields.

Works with OpenAI or any OpenAI-compatible endpoint (``LlmSettings.base_url``). Nothing here runs unless
an :class:`LlmExtractor` is built and called: Numzy's default extractor is offline. The model output is
validated against :class:`LlmReceipt` and mapped onto :class:`~numzy_mcp.receipts.ExtractedFields`;
tokens and cost (from a price table, overridable) come back with the fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Final

from pydantic import BaseModel, Field
from pydantic_ai import Agent, BinaryContent
from pydantic_ai.messages import UserContent
from pydantic_ai.models import Model

from numzy_mcp.errors import Unsupported
from numzy_mcp.receipts import Category, ExtractedFields, LineItem, OcrLine, PaymentMethod, ReceiptKind
from numzy_mcp.settings import LlmSettings

__all__ = [
    "DEFAULT_PRICES",
    "LlmExtraction",
    "LlmExtractor",
    "LlmLineItem",
    "LlmReceipt",
    "LlmUsage",
    "build_model",
    "cost_usd",
]

DEFAULT_PRICES: Final[Mapping[str, tuple[Decimal, Decimal]]] = {
    "gpt-4o-mini": (Decimal("0.15"), Decimal("0.60")),
    "gpt-4o": (Decimal("2.50"), Decimal("10.00")),
    "gpt-4.1": (Decimal("2.00"), Decimal("8.00")),
    "gpt-4.1-mini": (Decimal("0.40"), Decimal("1.60")),
    "gpt-4.1-nano": (Decimal("0.10"), Decimal("0.40")),
    "gpt-5": (Decimal("1.25"), Decimal("10.00")),
    "gpt-5-mini": (Decimal("0.25"), Decimal("2.00")),
    "gpt-5-nano": (Decimal("0.05"), Decimal("0.40")),
}
"""Model → (USD per million input tokens, USD per million output tokens). List prices; override per call."""

INSTRUCTIONS: Final = (
    "You read one shop receipt or invoice and return its fields. Copy merchant, address and item descriptions "
    "as printed. Amounts are plain decimal numbers in the receipt's currency (no symbols, no thousands "
    "separators); a refund has a negative total and kind 'refund'. total is what was paid, tip included. "
    "currency is the ISO 4217 code the receipt implies (country evidence beats a bare '$'). date is ISO "
    "YYYY-MM-DD; decide day/month order from the receipt's country; time is 24-hour. card_last4 holds only the "
    "last four digits of a masked card number. Leave a field null when it is not printed."
)
_VISION_PROMPT: Final = "Extract the receipt fields from this image."
_TEXT_PROMPT: Final = "Extract the receipt fields from these OCR lines (one per row, top to bottom):\n\n"


class LlmLineItem(BaseModel):
    """One purchased line as the model read it."""

    description: str
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    amount: Decimal | None = None


class LlmReceipt(BaseModel):
    """The structured output the model must return; validated, then mapped onto ``ExtractedFields``."""

    merchant: str | None = None
    address: str | None = None
    date: dt.date | None = None
    time: dt.time | None = None
    currency: str | None = Field(default=None, pattern=r"^[A-Za-z]{3}$")
    subtotal: Decimal | None = None
    tax: Decimal | None = None
    tax_rate: Decimal | None = Field(default=None, description="Percent, e.g. 6 for 6 %.")
    tip: Decimal | None = None
    total: Decimal | None = None
    items: list[LlmLineItem] = Field(default_factory=list[LlmLineItem])
    payment_method: PaymentMethod | None = None
    card_last4: str | None = Field(default=None, pattern=r"^\d{4}$")
    category: Category | None = None
    kind: ReceiptKind = "purchase"

    def to_fields(self, confidence: float = 0.8) -> ExtractedFields:
        """Map onto the domain model; every field found gets the same confidence (models do not report one).

        Args:
            confidence: Confidence given to each field that was filled.

        Returns:
            The extracted fields.
        """
        fields = ExtractedFields(
            merchant=self.merchant,
            address=self.address,
            date=self.date,
            time=self.time,
            currency=self.currency,
            subtotal=self.subtotal,
            tax=self.tax,
            tax_rate=self.tax_rate,
            tip=self.tip,
            total=self.total,
            items=[LineItem(**item.model_dump()) for item in self.items],
            payment_method=self.payment_method,
            card_last4=self.card_last4,
            category=self.category,
            kind=self.kind,
        )
        for name in ("merchant", "address", "date", "time", "currency", "subtotal", "tax", "tip", "total",
                     "payment_method", "category"):  # fmt: skip
            if getattr(fields, name) is not None:
                fields.confidence[name] = confidence
        if fields.items:
            fields.confidence["items"] = confidence
        fields.confidence["kind"] = confidence
        for name in ("merchant", "address"):
            value = getattr(fields, name)
            if value:
                fields.raw[name] = value
        return fields


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


def cost_usd(
    model: str, input_tokens: int, output_tokens: int, prices: Mapping[str, tuple[Decimal, Decimal]] | None = None
) -> Decimal | None:
    """Price a call from the token counts.

    A dated model name ("gpt-4o-mini-2024-07-18") uses the longest listed prefix.

    Args:
        model: The model name.
        input_tokens: Prompt tokens.
        output_tokens: Completion tokens.
        prices: Model → (input, output) USD per million tokens; :data:`DEFAULT_PRICES` when None.

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


class LlmExtractor:
    """Receipt fields from a vision or text LLM, validated against :class:`LlmReceipt`."""

    def __init__(
        self,
        settings: LlmSettings | None = None,
        *,
        model: Model | None = None,
        prices: Mapping[str, tuple[Decimal, Decimal]] | None = None,
    ) -> None:
        """Create an extractor; no request is made until an ``extract_*`` call.

        Args:
            settings: The endpoint; used to build the model when ``model`` is None.
            model: A ready pydantic-ai model (tests pass a ``FunctionModel``).
            prices: Price table overriding :data:`DEFAULT_PRICES`.

        Raises:
            Unsupported: Neither a model nor a configured model name was given.
        """
        if model is None:
            model = build_model(settings or LlmSettings())
        self.model = model
        self.model_name = (settings.model if settings is not None and settings.model else None) or model.model_name
        self.prices = prices
        self._agent: Agent[None, LlmReceipt] = Agent(model, output_type=LlmReceipt, instructions=INSTRUCTIONS)

    def _run(self, prompt: Sequence[UserContent]) -> LlmExtraction:
        result = self._agent.run_sync(prompt)
        usage = result.usage
        return LlmExtraction(
            fields=result.output.to_fields(),
            usage=LlmUsage(
                model=self.model_name,
                input_tokens=usage.input_tokens,
                output_tokens=usage.output_tokens,
                cost_usd=cost_usd(self.model_name, usage.input_tokens, usage.output_tokens, self.prices),
            ),
        )

    def extract_image(self, data: bytes, media_type: str = "image/jpeg") -> LlmExtraction:
        """Send the image to a vision model. Blocking: run it in a worker thread.

        Args:
            data: The image bytes (JPEG, PNG or WebP; convert HEIC and PDF pages first).
            media_type: The image's MIME type.

        Returns:
            The fields and the usage.
        """
        return self._run([_VISION_PROMPT, BinaryContent(data=data, media_type=media_type)])

    def extract_text(self, lines: Sequence[OcrLine]) -> LlmExtraction:
        """Send the OCR lines to a text model. Blocking: run it in a worker thread.

        Args:
            lines: OCR lines in reading order.

        Returns:
            The fields and the usage; ``sources`` are not set (the model does not cite lines).
        """
        numbered = "\n".join(line.text for line in lines)
        return self._run([_TEXT_PROMPT + numbered])
