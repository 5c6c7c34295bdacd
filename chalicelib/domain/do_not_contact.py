"""The do-not-contact list: what is kept of an erased client so that no later campaign reaches them.

Only a keyed hash (HMAC-SHA256 with the stage's privacy key) of each normalised contact is kept, never the
email or phone itself: without the key nobody can test a guessed address against the list. The business id
is part of what is hashed, so one client's hashes in two businesses cannot be linked to each other.
Normalising first (email lower-cased, phone in E.164) makes "Ana@Mail.com" and "ana@mail.com", or
"0034 612 345 678" and "+34612345678", the same entry.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from ..errors import ValidationError
from .contact import normal_email, normal_phone

EMAIL, PHONE = "email", "phone"


@dataclass(frozen=True)
class Contacts:
    """One person's addresses, as the caller has them (raw or stored); either may be missing."""

    email: str | None = None
    phone: str | None = None


def normalised(channel: str, value: str | None) -> str | None:
    """The form every copy of this contact is hashed in; None when there is nothing to hash.

    Something that is not a valid address cannot be normalised; it is hashed as typed (trimmed, lower-cased
    for emails), so an odd stored value still matches itself."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return normal_email(value) if channel == EMAIL else normal_phone(value)
    except ValidationError:
        text = value.strip()
        return text.lower() if channel == EMAIL else text


def digest(key: bytes, business_id: str, channel: str, value: str) -> str:
    """The entry of one normalised contact in one business's list: `<channel>#<hex HMAC>`."""
    mac = hmac.new(key, f"{business_id}\x1f{channel}\x1f{value}".encode(), hashlib.sha256).hexdigest()
    return f"{channel}#{mac}"


def digests(key: bytes, business_id: str, contacts: Contacts) -> list[str]:
    """The entries that stand for these contacts (none, one or two)."""
    found = []
    for channel, value in ((EMAIL, contacts.email), (PHONE, contacts.phone)):
        normal = normalised(channel, value)
        if normal is not None:
            found.append(digest(key, business_id, channel, normal))
    return found
