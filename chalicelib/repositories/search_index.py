"""Reading the search index (domain/search.py): one Query per page of results, never a scan.

Entries are written by whatever they describe, in its own transaction (clients.py, the agenda store);
this module only reads them. A query reads the entries whose word starts with its longest word, in
sort-key order (word, then target), at most ROWS of them; the other words are checked on each entry.
"""
from __future__ import annotations

from typing import Callable

from ..domain.model import Appointment
from ..domain.search import Query
from . import codecs
from .codecs import search_pk
from .tables import AppointmentItem, SearchEntryItem

ROWS = 200  # entries read per page: one Query (entries are under 1 KB, so well under DynamoDB's 1 MB)


def find(business_id: str, kind: str, query: Query, *, contacts: bool, after: str | None, limit: int,
         accept: Callable[[str], bool] = lambda _: True) -> tuple[list[str], str | None]:
    """Up to `limit` targets matching every word, and the sort key the next page starts after (None: the
    end). A page may hold fewer than `limit` when many entries did not match: follow the cursor."""
    pk = search_pk(business_id, kind)
    start = {"pk": {"S": pk}, "sk": {"S": after}} if after else None
    rows = SearchEntryItem.query(pk, SearchEntryItem.sk.startswith(query.lead), limit=ROWS, page_size=ROWS,
                                 last_evaluated_key=start)
    found: list[str] = []
    last = None
    for item in rows:
        entry = codecs.search_entry(business_id, kind, item)
        if query.matches(entry, contacts) and accept(entry.target):
            if len(found) == limit:
                return found, last
            found.append(entry.target)
        last = item.sk
    return found, (last if rows.last_evaluated_key else None)


def appointments(business_id: str, references: list[str]) -> dict[str, Appointment]:
    """The appointments found, by reference (one batch read), only the business's own."""
    keys = [(f"APPT#{r}", "APPT") for r in dict.fromkeys(references)]
    found = AppointmentItem.batch_get(keys) if keys else []
    return {a.reference: a for a in map(codecs.appointment, found) if a.business_id == business_id}
