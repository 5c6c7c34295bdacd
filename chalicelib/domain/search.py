"""Words for the backoffice's two search boxes, clients and appointments, case- and accent-insensitively.

A client is found by the words of their name, fiscal code, email, phone and mobile; an appointment by
its client's name, fiscal code and phone, its status and the first words of its notes. A query matches
when every word typed starts one of the target's words ("jos" finds José, "mart" Martínez). Text is
normalised the same way on both sides: Unicode NFKD, combining marks dropped, case folded ("José" ->
"jose", "STRASSE"/"Straße" -> "strasse"). Phone numbers are indexed as their digits, with and without the
country code, so "+34 611 22", "0034611222333" and "611 22" all find +34 611 222 333.
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
from .fields import storable_key

MAX_QUERY_WORDS = 5
MAX_WORD_LENGTH = 64  # longer "words" are noise (pasted links, hashes); they are cut, not dropped
# Words share the booking's transaction (at most 100 items, up to 48 of them lock units), so they are
# capped: name and fiscal code 16, contacts 10, an appointment's status and first 12 words of notes.
MAX_NAME_WORDS = 16
MAX_CONTACT_WORDS = 10
MAX_APPOINTMENT_NAME_WORDS = 8  # an appointment's: its client's name and fiscal code,
MAX_NOTES_WORDS = 6  # the first words of its notes, its status and up to 4 phone words
MIN_PREFIX = 2  # a one-letter prefix would match half the business

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


def parse_query(text: str | None) -> "Query":
    """The search box's text as words to match from their start (prefixes of two characters or more).

    A query that is only a phone number, or the start of one, however it is spaced or prefixed
    ("+34 611 22", "0034 611...", "611 22"), becomes its digits: they match a number from its start,
    with or without the country code."""
    text = (text or "").strip()
    compact = re.sub(r"[\s().-]", "", text)
    if re.fullmatch(r"(\+|00)?\d+", compact) and len(compact) <= 17:
        if compact.startswith("00") and len(compact) > 4:
            compact = compact[2:]
        found = [compact.lstrip("+")]
    else:
        found = list(dict.fromkeys(w.strip(_EDGES)[:MAX_WORD_LENGTH] for w in _SPLIT.split(fold(text))))
        found = [w for w in found if w]
    if not found:
        raise ValidationError("type at least one word to search for", field="q", code="required")
    if len(found) > MAX_QUERY_WORDS:
        raise ValidationError(f"at most {MAX_QUERY_WORDS} words at a time", field="q", code="too_many_words")
    query = Query(tuple(found))
    if len(query.lead) < MIN_PREFIX:
        raise ValidationError(f"type at least {MIN_PREFIX} characters of a word", field="q", code="query_too_short")
    return query


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
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):  # nested thousands deep
        position = None
    if not isinstance(position, dict):
        raise ValidationError("not a cursor this API returned", field="cursor", code="invalid_cursor")
    return position


def resume_after(cursor: str | None, query: "Query") -> str | None:
    """Where a search's next page starts: from a cursor this same search returned, or None (the first page)."""
    position = decode_cursor(cursor)
    if position is None:
        return None
    after = position.get("after")
    if not storable_key(after):
        raise ValidationError("not a cursor this API returned", field="cursor", code="invalid_cursor")
    if position.get("q") != list(query.words) or not after.startswith(query.lead):
        raise ValidationError("this cursor belongs to another search", field="cursor", code="invalid_cursor")
    return after



def _capped(found: Iterable[str], limit: int) -> list[str]:
    return list(dict.fromkeys(found))[:limit]


# -- the index: one entry per word a client or an appointment can be found by --------------------------
CLIENTS, APPOINTMENTS = "client", "appointment"  # the two things the backoffice searches


@dataclass(frozen=True, order=True)
class SearchEntry:
    """`target` (a client id, or an appointment's reference) can be found by any prefix of `word`.

    Each entry carries all the target's words, so a query's other words are checked on the entry
    itself: a page of results is one indexed query, whatever the number of words typed."""

    business_id: str
    kind: str  # CLIENTS or APPOINTMENTS
    word: str
    target: str
    words: tuple[str, ...]  # what every level may match
    contacts: tuple[str, ...] = ()  # email and phone words: level 6 never matches these

    @property
    def key(self) -> tuple[str, str, str, str]:
        return self.business_id, self.kind, self.word, self.target


def entries(business_id: str, kind: str, target: str, words_: Iterable[str],
            contacts: Iterable[str] = ()) -> set[SearchEntry]:
    """One entry per word of the target, each carrying them all."""
    words_, contacts = tuple(words_), tuple(contacts)
    return {SearchEntry(business_id, kind, w, target, words_, contacts) for w in dict.fromkeys(words_ + contacts)}


def client_entries(business_id: str, client_id: str, first_name: str, last_name: str, fiscal_code: str | None,
                   email: str | None, phone: str | None, mobile: str | None) -> set[SearchEntry]:
    """A client is found by their name, fiscal code, email, phone and mobile."""
    return entries(business_id, CLIENTS, client_id, client_words(first_name, last_name, fiscal_code),
                   contact_words(email, phone, mobile))


def who(first_name: str, last_name: str, fiscal_code: str | None, phone: str | None,
        mobile: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(words, contact words) of the client an appointment is for, kept on the appointment when it is
    booked so that every later change of it can write its entries without reading the client."""
    names = _capped(words(first_name) + words(last_name) + words(fiscal_code), MAX_APPOINTMENT_NAME_WORDS)
    return tuple(names), tuple(_capped(phone_words(phone) + phone_words(mobile), 4))


def appointment_entries(appointment) -> set[SearchEntry]:
    """An appointment is found by its status, its client (as booked) and the first words of its notes;
    none for no appointment."""
    if appointment is None:
        return set()
    own = [fold(appointment.status.value)] + list(appointment.client_words) + words(appointment.notes)[:MAX_NOTES_WORDS]
    return entries(appointment.business_id, APPOINTMENTS, appointment.reference, dict.fromkeys(own),
                   appointment.client_contacts)


def index_changes(old: set[SearchEntry], new: set[SearchEntry]) -> tuple[list[SearchEntry], list[SearchEntry]]:
    """(entries to put, entries to delete) to go from `old` to `new`: an entry whose word stays but whose
    carried words changed is put again (overwritten), never deleted and put in one transaction."""
    kept = {e.key for e in new}
    return sorted(new - old), sorted(e for e in old if e.key not in kept)


@dataclass(frozen=True)
class Query:
    """What was typed, as folded words; every one must start a word of the target."""

    words: tuple[str, ...]

    @property
    def lead(self) -> str:
        """The longest word: the index is read from its prefix (the fewest entries to read)."""
        return max(self.words, key=len)

    def matches(self, entry: SearchEntry, contacts: bool) -> bool:
        """Whether the entry's target matches, counted once: a target whose words start with the lead
        several times ("mar": "maria", "martinez") is taken at the first of them only."""
        visible = entry.words + (entry.contacts if contacts else ())
        if entry.word not in visible:
            return False
        if entry.word != min(w for w in visible if w.startswith(self.lead)):
            return False
        return all(any(w.startswith(q) for w in visible) for q in self.words)
