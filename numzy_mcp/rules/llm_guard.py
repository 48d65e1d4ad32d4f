"""Receipt text made safe to show a model, and model output made safe to show a person.

``normalise`` applies NFKC and strips invisible characters (format ``Cf`` such as zero-width joiners
and Unicode TAG characters U+E0000–E007F, private-use ``Co``, and control characters other than
newline and tab), counting what it removed: hidden text on a receipt is itself a fraud signal.
``injection_signals`` spots instruction-like phrases (several languages); it is a signal that makes
an LLM rule ask for review, never the only defence. ``plain_reason`` turns model output into one
short line of plain text (no links, images or markup).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_PROMPT_TEXT = 8_000
MAX_REASON = 300

_INJECTION = re.compile(
    r"ignore\s+(all\s+|any\s+)?(the\s+)?(previous|prior|above|earlier|preceding)|disregard\s+(all|any|the|previous|prior)"
    r"|forget\s+(all|your|previous)\s+(instructions|rules)|you\s+are\s+now|new\s+instructions?"
    r"|system\s+(prompt|message|override)|developer\s+mode|\b(reply|respond|answer|output|say)\s+(with\s+)?"
    r"[\"'“]?(compliant|pass|approved?|ok|clear)\b|\bmark\s+(this|it|the\s+receipt)?\s*(as\s+)?(approved|compliant|clear)"
    r"|\bapprove\s+this|not\s+a\s+duplicate|pre-?approved\s+by|policy\s+exception|auditor\s*:|assistant\s*:"
    r"|</?\s*(system|assistant|user|instructions?)\s*>|\[/?(inst|system)\]|verdict\s*[\"':=]"
    r"|ignorez|ignorer\s+les|ignoriere|ignorieren|ignora\s+(las|le|todas|tutte)|olvida|無視|忽略|игнорируй",
    re.IGNORECASE,
)
_LINKS = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|https?://\S+|www\.\S+|[<>`*_#|]")


@dataclass(frozen=True)
class CleanText:
    """Text after normalisation, and how many invisible characters were removed."""

    text: str
    hidden: int


def normalise(text: str) -> CleanText:
    """NFKC ``text`` with invisible and control characters removed, capped at ``MAX_PROMPT_TEXT``."""
    kept: list[str] = []
    hidden = 0
    for char in unicodedata.normalize("NFKC", text):
        category = unicodedata.category(char)
        if char in "\n\t" or category not in ("Cf", "Co", "Cc", "Cs", "Cn"):
            kept.append(char)
        else:
            hidden += 1
    return CleanText("".join(kept)[:MAX_PROMPT_TEXT], hidden)


def injection_signals(text: str) -> list[str]:
    """The instruction-like phrases found in ``text`` (at most five, as written)."""
    return [match.group(0) for match in _INJECTION.finditer(text)][:5]


def plain_reason(text: str) -> str:
    """Model output as one line of plain text: links, images and markup removed, length capped."""
    text = _LINKS.sub(lambda match: match.group(1) or "", normalise(text).text)
    text = " ".join(text.split())
    return text[: MAX_REASON - 1] + "…" if len(text) > MAX_REASON else text
