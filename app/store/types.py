"""Column types that keep values exact on SQLite: aware UTC datetimes, decimals as text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import String
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC datetime stored as ISO 8601 text (sorts in time order)."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store aware UTC datetimes only")
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")

    def process_result_value(self, value: str | None, dialect) -> dt.datetime | None:
        return None if value is None else dt.datetime.fromisoformat(value)


class DecimalText(TypeDecorator[Decimal]):
    """A decimal amount stored as text: SQLite has no exact numeric type."""

    impl = String(24)
    cache_ok = True

    def process_bind_param(self, value: Decimal | str | None, dialect) -> str | None:
        return None if value is None else str(Decimal(str(value)))

    def process_result_value(self, value: str | None, dialect) -> Decimal | None:
        return None if value is None else Decimal(value)
