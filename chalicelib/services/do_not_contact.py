"""The do-not-contact list as campaigns and erasure use it: contacts in, keyed hashes to the storage.

The hashing lives here once, so the DynamoDB storage and the tests' in-memory one (tests/fakes.py) answer
alike for the same key; campaigns ask `blocked` / `blocked_among` before anything is queued."""
from __future__ import annotations

from datetime import datetime
from typing import Mapping

from ..domain.do_not_contact import Contacts, digests
from ..ports import ListedContacts


class DoNotContactList:
    """Implements `ports.DoNotContact` over any `ListedContacts` storage."""

    def __init__(self, key: bytes, storage: ListedContacts) -> None:
        self._key = key
        self._storage = storage

    def blocked(self, business_id: str, email: str | None = None, phone: str | None = None) -> bool:
        entries = digests(self._key, business_id, Contacts(email, phone))
        return bool(entries) and bool(self._storage.listed(business_id, entries))

    def blocked_among(self, business_id: str, people: Mapping[str, Contacts]) -> set[str]:
        wanted = {person: digests(self._key, business_id, contacts) for person, contacts in people.items()}
        every = sorted({entry for entries in wanted.values() for entry in entries})
        listed = self._storage.listed(business_id, every) if every else set()
        return {person for person, entries in wanted.items() if listed.intersection(entries)}

    def add(self, business_id: str, contacts: Contacts, at: datetime, reason: str) -> None:
        entries = digests(self._key, business_id, contacts)
        if entries:
            self._storage.put(business_id, entries, at, reason)
