"""The do-not-contact list's storage: one item per keyed hash under the business's own partition, so
"is this contact blocked?" is one BatchGetItem by key (at most 100 hashes per call, PynamoDB splits)."""
from __future__ import annotations

from datetime import datetime

from .tables import DoNotContactItem


def _pk(business_id: str) -> str:
    return f"BIZ#{business_id}#DNC"


class DynamoListedContacts:
    """Implements `ports.ListedContacts`."""

    def listed(self, business_id: str, entries: list[str]) -> set[str]:
        keys = [(_pk(business_id), entry) for entry in dict.fromkeys(entries)]
        return {item.sk for item in DoNotContactItem.batch_get(keys)} if keys else set()

    def put(self, business_id: str, entries: list[str], at: datetime, reason: str) -> None:
        with DoNotContactItem.batch_write() as batch:
            for entry in dict.fromkeys(entries):
                batch.save(DoNotContactItem(pk=_pk(business_id), sk=entry, reason=reason, at=at))
