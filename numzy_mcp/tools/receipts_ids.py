"""Argument types shared by several tool modules."""

from typing import Annotated

from pydantic import Field

ReceiptId = Annotated[str, Field(description="Receipt id (rcp_…) returned by upload_receipt or list_receipts.")]
