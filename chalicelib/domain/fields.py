"""Checks of one submitted value, shared by the HTTP edge and the use cases, each naming its field."""
from __future__ import annotations

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
