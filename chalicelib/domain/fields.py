"""Checks of one submitted value, shared by the HTTP edge and the use cases, each naming its field."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ..errors import ValidationError


def checked_text(value: Any, field: str, limit: int, *, required: bool = True) -> str | None:
    """A trimmed string of at most `limit` characters; blank counts as missing."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError("this field is required", field=field, code="required")
        return None
    if not isinstance(value, str):
        raise ValidationError("must be a string", field=field, code="wrong_type")
    if len(value) > limit:
        raise ValidationError(f"at most {limit} characters", field=field, code="too_long")
    return value.strip()


def checked_instant(value: Any, field: str) -> datetime:
    """An ISO-8601 date-time that says its UTC offset: a booking must not guess a time zone."""
    try:
        instant = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError("not a date-time like 2026-03-29T10:00:00+02:00", field=field,
                              code="invalid_datetime") from None
    if instant.tzinfo is None:
        raise ValidationError("the date-time must include its UTC offset", field=field, code="invalid_datetime")
    return instant
