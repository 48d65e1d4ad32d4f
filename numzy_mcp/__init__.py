"""Numzy: receipts in, audited expense records out."""

__version__ = "0.1.0"
