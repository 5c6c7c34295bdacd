"""Reading the search index (domain/search.py): one Query per page of results, never a scan.

Entries are written by whatever they describe, in its own transaction (clients.py, the agenda store);
this module only reads them. A query reads the entries whose word starts with its longest word, in
sort-key order (word, then target), at most ROWS of them; the other words are checked on each entry.
"""
from __future__ import annotations

from typing import Callable

from ..domain.clients import ClientProfile
from ..domain.model import Appointment
from ..domain.search import Query, SearchEntry
from ..errors import ConflictError
from . import codecs
from .codecs import search_pk
from .clients import client_pk
from .tables import AppointmentItem, ClientItem, Item, SearchEntryItem, SearchWordItem
from .transactions import Refusals, Transaction

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


# -- the one-off backfill (services/search_backfill.py) -----------------------------------------------
class ChangedMeanwhileError(ConflictError):
    """The record changed after it was read: its own write indexed it."""

    code = "changed_meanwhile"


def index_client(business_id: str, profile: ClientProfile, entries: list[SearchEntry]) -> None:
    """Put a client's entries, if the client is as read (else ChangedMeanwhileError)."""
    seen = ClientItem.revision == profile.revision if profile.revision else ClientItem.revision.does_not_exist()
    with Transaction(_REFUSALS) as tx:
        # the name written back as read: an update holds the condition (a ConditionCheck would need a
        # grant of its own that nothing else uses)
        tx.update(ClientItem(pk=client_pk(business_id), sk=profile.id), [ClientItem.first_name.set(profile.first_name)],
                  seen & Item.pk.exists(), refused="changed")
        for entry in entries:
            tx.save(codecs.search_item(entry))


def index_appointment(before: Appointment, after: Appointment, entries: list[SearchEntry]) -> None:
    """Store whom the appointment is for (`client_words`) with its entries, if it is as read (else
    ChangedMeanwhileError: the change wrote its own entries)."""
    item = codecs.appointment_item(after)
    # the events go, as with reminder bookkeeping: the stream must not dispatch the last change's again
    actions = [AppointmentItem.events.remove()]
    if after.client_words or after.client_contacts:
        actions += [AppointmentItem.client_words.set(item.client_words or []),
                    AppointmentItem.client_contacts.set(item.client_contacts or [])]
    with Transaction(_REFUSALS) as tx:
        tx.update(AppointmentItem(pk=item.pk, sk=item.sk), actions, AppointmentItem.updated_at == before.updated_at,
                  refused="changed")
        for entry in entries:
            tx.save(codecs.search_item(entry))


def drop_whole_word_rows(business_id: str) -> int:
    """Delete the index that came before prefix search (`BIZ#<business>#WORD`); returns how many rows."""
    rows = list(SearchWordItem.query(f"BIZ#{business_id}#WORD"))
    with SearchWordItem.batch_write() as batch:
        for row in rows:
            batch.delete(row)
    return len(rows)


_REFUSALS: Refusals = {"changed": lambda: ChangedMeanwhileError("changed meanwhile")}
