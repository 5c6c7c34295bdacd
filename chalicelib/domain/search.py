"""Words for finding a client: what the backoffice search box matches, case- and accent-insensitively.

A client is indexed under the words of their name, fiscal code, email, phone and mobile, and under
the words of each of their appointments (its notes and its status). A query matches a client when
every query word is one of the client's words. Text is normalised the same way on both sides:
Unicode NFKD, combining marks dropped, case folded ("José" -> "jose", "STRASSE"/"Straße" -> "strasse").
Phone numbers are indexed as their digits, with and without the country code, so "+34 612 345 678",
"0034612345678" and "612345678" all find the same client.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable


from ..errors import ValidationError

MAX_QUERY_WORDS = 5
MAX_WORD_LENGTH = 64  # longer "words" are noise (pasted links, hashes); they are cut, not dropped
# Words share the booking's transaction (at most 100 items, up to 48 of them lock units), so they are
# capped: name and fiscal code 16, contacts 10, an appointment's status and first 12 words of notes.
MAX_NAME_WORDS = 16
MAX_CONTACT_WORDS = 10
MAX_APPOINTMENT_WORDS = 12

# Word characters plus the ones that hold an email or a number together; '#' never survives,
# because it separates the parts of the index's sort keys.
_SPLIT = re.compile(r"[^\w@.+'-]+")
_PARTS = re.compile(r"[^\w]+|_")
_EDGES = ".+'-@"


def fold(text: str) -> str:
    """Lower-case, accent-free text: NFKD, combining marks dropped, case folded, then NFC again."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped.casefold())


def words(text: str | None) -> list[str]:
    """The searchable words of free text, in order of first appearance, without repeats.

    A compound ("maria-jose", "eva@example.com") is a word, and so is each of its parts
    ("maria", "jose"; "eva", "example", "com").
    """
    found: dict[str, None] = {}
    for raw in _SPLIT.split(fold(text or "")):
        word = raw.strip(_EDGES)
        if not word:
            continue
        found.setdefault(word[:MAX_WORD_LENGTH], None)
        for part in _PARTS.split(word):
            if part and part != word:
                found.setdefault(part[:MAX_WORD_LENGTH], None)
    return list(found)


def phone_words(e164: str | None) -> list[str]:
    """'+34612345678' -> ['34612345678', '612345678']: with and without the country code."""
    if not e164:
        return []
    import phonenumbers  # loaded when a phone is first indexed, not at cold start (domain/contact.py)

    digits = re.sub(r"\D", "", e164)
    try:
        national = str(phonenumbers.parse(e164, None).national_number)
    except phonenumbers.NumberParseException:
        national = digits
    return list(dict.fromkeys(w for w in (digits, national) if w))


def client_words(first_name: str, last_name: str, fiscal_code: str | None) -> list[str]:
    """Words from what every level may see about a client."""
    return _capped(words(first_name) + words(last_name) + words(fiscal_code), MAX_NAME_WORDS)


def contact_words(email: str | None, phone: str | None, mobile: str | None) -> list[str]:
    """Words from a client's contact details; level 6 never matches on these."""
    return _capped(phone_words(phone) + phone_words(mobile) + words(email), MAX_CONTACT_WORDS)


def appointment_words(notes: str | None, status: str) -> list[str]:
    """The appointment's status ("no_show" as typed) and the first words of its notes."""
    return list(dict.fromkeys([fold(status)] + words(notes)[:MAX_APPOINTMENT_WORDS]))


def query_words(query: str | None) -> list[str]:
    """The words of a search box's text. A query that is only a phone number, however it is
    spaced or prefixed ("+34 612 345 678", "0034 612..."), becomes that number's digits."""
    text = (query or "").strip()
    compact = re.sub(r"[\s().-]", "", text)
    if re.fullmatch(r"(\+|00)?\d{6,15}", compact):
        if compact.startswith("00"):
            compact = "+" + compact[2:]
        return [compact.lstrip("+")]
    found = list(dict.fromkeys(w.strip(_EDGES)[:MAX_WORD_LENGTH] for w in _SPLIT.split(fold(text))))
    found = [w for w in found if w]
    if not found:
        raise ValidationError("type at least one word to search for", field="q", code="required")
    if len(found) > MAX_QUERY_WORDS:
        raise ValidationError(f"at most {MAX_QUERY_WORDS} words at a time", field="q", code="too_many_words")
    return found


def encode_cursor(position: dict) -> str:
    """An opaque, URL-safe continuation token."""
    raw = json.dumps(position, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        position = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        position = None
    if not isinstance(position, dict):
        raise ValidationError("not a cursor this API returned", field="cursor", code="invalid_cursor")
    return position


def _capped(found: Iterable[str], limit: int) -> list[str]:
    return list(dict.fromkeys(found))[:limit]


# -- the index: one row per word a client can be found by -------------------------------------------
NAME, CONTACT, APPOINTMENT = "n", "k", "a"  # where a word comes from; contact words are hidden from level 6


@dataclass(frozen=True, order=True)
class ClientWord:
    """`client_id` can be found by `word`; `origin` is NAME, CONTACT or APPOINTMENT + its reference."""

    business_id: str
    word: str
    client_id: str
    origin: str


def client_index(business_id: str, client_id: str, first_name: str, last_name: str, fiscal_code: str | None,
                 email: str | None, phone: str | None, mobile: str | None) -> set[ClientWord]:
    """The words of a client's own details."""
    found = {ClientWord(business_id, w, client_id, NAME) for w in client_words(first_name, last_name, fiscal_code)}
    return found | {ClientWord(business_id, w, client_id, CONTACT) for w in contact_words(email, phone, mobile)}


def appointment_index(appointment) -> set[ClientWord]:
    """The words an appointment adds to its client (its notes and status); none for no appointment."""
    if appointment is None:
        return set()
    origin = f"{APPOINTMENT}{appointment.reference}"
    return {ClientWord(appointment.business_id, w, appointment.client_id, origin)
            for w in appointment_words(appointment.notes, appointment.status.value)}
