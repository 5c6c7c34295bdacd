"""Checks of one submitted value, shared by the HTTP edge and the use cases, each naming its field."""
from __future__ import annotations

import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, TypeVar

from ..errors import ValidationError
from .contact import normal_phone
from .principal import Level

MIN_CODE, MAX_CODE = 4, 6  # a secret code's digits
# The calendar Turno keeps: every date and date-time a request names falls in it (README, "The public API").
# Far outside it, time zones answer local mean time (offsets like -00:14:44) and arithmetic overflows.
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
MAX_SORT_KEY_BYTES = 1024  # DynamoDB's limit
LINE_BREAKS = frozenset("\n\r\t")  # what free text (notes, descriptions) may hold besides printable text
# Bidirectional overrides and isolates reorder what follows them: "Ana\u202etxt.exe" shows as "Anaexe.txt"
# in an email or the agenda. Joiners (emoji, Indic scripts) and marks that only attach stay allowed.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
E = TypeVar("E", bound=Enum)


def checked_text(value: Any, field: str, limit: int, *, required: bool = True, multiline: bool = False) -> str | None:
    """A trimmed string of at most `limit` characters, in Unicode NFC; blank counts as missing.

    Control characters are refused (a NUL or a bell in a name would greet the client in an email), and so
    are bidirectional overrides (they disguise text) and lone surrogates (not text at all); `multiline` free
    text keeps its line breaks and tabs.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError("this field is required", field=field, code="required")
        return None
    if not isinstance(value, str):
        raise ValidationError("must be a string", field=field, code="wrong_type")
    if len(value) > limit:
        raise ValidationError(f"at most {limit} characters", field=field, code="too_long")
    allowed = LINE_BREAKS if multiline else frozenset()
    if any((unicodedata.category(c) in ("Cc", "Cs") and c not in allowed) or c in BIDI_CONTROLS for c in value):
        raise ValidationError("must not contain control characters", field=field, code="control_character")
    return unicodedata.normalize("NFC", value).strip()


def storable_key(value: Any) -> bool:
    """A sort key DynamoDB takes as a start key (UTF-8, at most 1024 bytes): what a forged cursor may not
    be, or the query fails instead of answering 400 (moto and DynamoDB Local accept it; AWS does not)."""
    try:
        return isinstance(value, str) and len(value.encode("utf-8")) <= MAX_SORT_KEY_BYTES
    except UnicodeEncodeError:  # a lone surrogate, which JSON can carry
        return False


def checked_instant(value: Any, field: str) -> datetime:
    """An ISO-8601 date-time that says its UTC offset: a booking must not guess a time zone."""
    if value is None:
        raise ValidationError("this field is required", field=field, code="required")
    try:
        instant = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError("not a date-time like 2026-03-29T10:00:00+02:00", field=field,
                              code="invalid_datetime") from None
    _in_window(instant.date(), field)
    if instant.tzinfo is None:
        raise ValidationError("the date-time must include its UTC offset", field=field, code="invalid_datetime")
    return instant


def checked_date(value: Any, field: str) -> date:
    """An ISO-8601 calendar date (2026-03-29) inside the calendar Turno keeps."""
    if value is None:
        raise ValidationError("this field is required", field=field, code="required")
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError("not a date like 2026-03-29", field=field, code="invalid_date") from None
    return _in_window(day, field)


def _in_window(day: date, field: str) -> date:
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(f"dates go from {EARLIEST.isoformat()} to {LATEST.isoformat()}", field=field,
                              code="date_out_of_range")
    return day


def reject_unknown(data: dict, names: set[str], prefix: str = "") -> None:
    """A body may only name the fields a use case knows (a typo must not be ignored silently)."""
    unknown = sorted(set(data) - names)
    if unknown:
        raise ValidationError("unknown field", field=f"{prefix}{unknown[0]}", code="unknown_field")


def checked_integer(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("must be a whole number", field=field, code="wrong_type")
    if not low <= value <= high:
        raise ValidationError(f"must be between {low} and {high}", field=field, code="out_of_range")
    return value


def checked_choice(kind: type[E], value: Any, field: str) -> E:
    """One of an Enum's values, e.g. a service's status."""
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise ValidationError(f"must be one of: {allowed}", field=field, code="invalid_choice") from None


# High enough for a treatment priced in won, rupiah or dong (150,000 KRW is a haircut), low enough that
# every total of a report stays an exact integer of cents.
PRICE_CEILING = Decimal(1_000_000_000)


def checked_price(value: Any, field: str = "price", currency: str = "EUR") -> Decimal:
    """Prices are strings like "25.00" (or whole numbers): never floats, at most two decimals, and none
    where the currency has no minor unit (a salon signed up in JPY cannot charge ¥25.50)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValidationError('a price is a string like "25.00"', field=field, code="wrong_type")
    try:
        price = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError('a price is a string like "25.00"', field=field, code="invalid_price") from None
    if not price.is_finite() or price < 0 or price >= PRICE_CEILING or price != price.quantize(Decimal("0.01")):
        raise ValidationError("a price is between 0 and 999999999.99, with at most two decimals", field=field,
                              code="invalid_price")
    if price != price.quantize(Decimal(1).scaleb(-_decimals(currency))):
        raise ValidationError(f"{currency} prices have no decimals", field=field, code="invalid_price")
    return price.quantize(Decimal("0.01"))


def _decimals(currency: str) -> int:
    """The currency's minor unit digits (JPY 0, EUR 2), as babel's CLDR data says; at most the two stored."""
    from babel.numbers import get_currency_precision

    return min(get_currency_precision(currency), 2)


def checked_phone(value: Any, field: str) -> str | None:
    """An optional phone number in E.164 (empty clears it)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValidationError("must be a string", field=field, code="wrong_type")
    return normal_phone(value, field=field)


def checked_code(value: Any, field: str) -> str | None:
    """A secret code (null clears it): 4 to 6 digits, as the salon's staff read it out over the phone and
    clients type it on a phone's number pad. A string, so leading zeros survive."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValidationError("must be a string", field=field, code="wrong_type")
    code = value.strip()
    if not MIN_CODE <= len(code) <= MAX_CODE or not all(c in "0123456789" for c in code):
        raise ValidationError(f"a code has {MIN_CODE} to {MAX_CODE} digits", field=field,
                              code="invalid_code_format")
    return code


def checked_ids(value: Any, field: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or len(value) > 200:
        raise ValidationError("must be a list of ids", field=field, code="wrong_type")
    return value


def checked_entries(value: Any, field: str, limit: int, names: set[str], shape: str) -> list[tuple[str, dict]]:
    """A list of at most `limit` objects naming only `names`, as (where, entry): "time_off[1]", {...}.
    `shape` says what one entry looks like, for the error."""
    if not isinstance(value, list):
        raise ValidationError(f"a list of {shape}", field=field, code="wrong_type")
    if len(value) > limit:
        raise ValidationError(f"at most {limit} entries", field=field, code="too_long")
    found = []
    for i, entry in enumerate(value):
        where = f"{field}[{i}]"
        if not isinstance(entry, dict):
            raise ValidationError(f"an entry is {shape}", field=where, code="wrong_type")
        reject_unknown(entry, names, prefix=f"{where}.")
        found.append((where, entry))
    return found


def checked_level(value: Any, field: str = "level") -> Level:
    try:
        return Level.parse(value)
    except ValueError:
        raise ValidationError("an access level is 1 to 7 (1 administrator ... 7 own agenda only)", field=field,
                              code="invalid_level") from None
