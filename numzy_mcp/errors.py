"""One error hierarchy for Numzy.

Every error has a stable machine-readable ``code`` and a message written for the reader who has to
act on it (a person or a model): what was wrong and what is allowed. The REST adapter maps each class
to an HTTP status (``http_status``); the MCP adapter turns it into an ``isError`` tool result.
"""

from __future__ import annotations


class NumzyError(Exception):
    """Base class of every error Numzy reports to a caller."""

    code: str = "numzy_error"
    http_status: int = 400

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class NotFound(NumzyError):
    """Raised when an id names nothing the caller's team owns."""

    code = "not_found"
    http_status = 404


class InvalidInput(NumzyError):
    """Raised when a request is malformed: bad arguments, empty or truncated files."""

    code = "invalid_input"
    http_status = 422


class Unsupported(NumzyError):
    """Raised when the input is well formed but of a kind Numzy does not handle (file type, feature)."""

    code = "unsupported"
    http_status = 415


class TooLarge(NumzyError):
    """Raised when an upload exceeds a size, pixel or page limit."""

    code = "too_large"
    http_status = 413


class Forbidden(NumzyError):
    """Raised when the caller lacks the scope or role for an action."""

    code = "forbidden"
    http_status = 403


class Unauthorized(NumzyError):
    """Raised when no valid credential was presented."""

    code = "unauthorized"
    http_status = 401


class QuotaExceeded(NumzyError):
    """Raised when the team's plan does not allow more of something this period."""

    code = "quota_exceeded"
    http_status = 429


class Conflict(NumzyError):
    """Raised when the request conflicts with the current state (e.g. reprocessing a receipt mid-run)."""

    code = "conflict"
    http_status = 409


class RuleInvalid(NumzyError):
    """Raised when a rule configuration is refused at save time; the message names the field."""

    code = "rule_invalid"
    http_status = 422


class SandboxRefused(NumzyError):
    """Raised when a Python rule is refused by the sandbox (compile time or run time)."""

    code = "sandbox_refused"
    http_status = 422


class ExtractionFailed(NumzyError):
    """Raised when a document cannot be turned into a receipt (unreadable image, corrupt PDF)."""

    code = "extraction_failed"
    http_status = 422


class TransientError(NumzyError):
    """Raised for failures worth retrying (a busy database, a flaky store); jobs retry these."""

    code = "transient"
    http_status = 503
