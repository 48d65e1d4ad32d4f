"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp everywhere; SQLite stores it naive, so it is re-tagged on the way out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        """Store in UTC; naive values are refused (they are a bug upstream)."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UtcDateTime column")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        """Read back as an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class ScaledDecimal(TypeDecorator[Decimal]):
    """An exact ``Decimal`` stored as a whole number of ``10**-scale`` units (a BIGINT on every database).

    SQLite keeps NUMERIC values as binary floats, so a cost such as 0.0000123 USD would not survive a
    round trip there exactly; integers do on both databases, and ``SUM`` over them stays exact. Values with
    more places than ``scale`` are rounded half-even.
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int) -> None:
        """Store values in units of ``10**-scale``."""
        super().__init__()
        self.scale = scale

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        """Decimal → whole units."""
        if value is None:
            return None
        return int(value.scaleb(self.scale).to_integral_value(rounding=ROUND_HALF_EVEN))

    def process_result_value(self, value: int | Decimal | None, dialect: Dialect) -> Decimal | None:
        """Whole units (or PostgreSQL's numeric ``SUM``) → Decimal."""
        if value is None:
            return None
        exact = Decimal(int(value)).scaleb(-self.scale).normalize()
        exponent = exact.as_tuple().exponent
        return exact.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else exact  # 100, not 1E+2
