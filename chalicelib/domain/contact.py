"""Client contact details, normalised so a returning client is recognised: emails checked by
email-validator and lower-cased, phones parsed by phonenumbers into E.164.

Both libraries load when a contact is first checked, not with the app: most requests (availability,
the agenda) never need them, and they cost a cold start ~140 ms."""
from __future__ import annotations

from ..errors import ValidationError


def normal_email(value: str, *, field: str = "email") -> str:
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except (EmailNotValidError, TypeError) as error:
        raise ValidationError(f"not a valid email address: {error}", field=field, code="invalid_email") from None


def normal_phone(value: str, *, field: str = "phone") -> str:
    """An international number ('+34 612 345 678' or '0034...') in E.164 ('+34612345678')."""
    import phonenumbers

    text = value.strip() if isinstance(value, str) else ""
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError("not a valid international phone number, e.g. +34 612 345 678",
                              field=field, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(value: str, home_region: str | None) -> str:
    """A stored number as a person reads it: national format ('612 34 56 78') when it is in the
    business's country, international ('+44 7700 900123') otherwise; anything unparsable as stored."""
    import phonenumbers

    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    home = home_region and phonenumbers.region_code_for_number(number) == home_region.upper()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL if home
                                      else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
