"""Indexing what was stored before prefix search, once per business: a migration, run by an operator
(`python -m chalicelib.jobs.backfill_search <business id>...`) or by `make dev` on its kept data.

Every client gets their entries; every appointment gets whom it is for (`client_words`, from its client's
record) and its entries; then the old whole-word rows go. Each record is written in its own transaction,
on condition that it is still as read: a record changed meanwhile was indexed by its own change. Running
it again is harmless (the same entries are put again).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from ..domain.calendar import UTC
from ..domain.clients import ClientProfile
from ..domain.search import appointment_entries, client_entries
from ..errors import ConflictError
from ..ports import AgendaStore
from ..repositories import search_index
from ..repositories.clients import ClientRepository
from .backoffice import searchable

EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2101, 1, 1, tzinfo=UTC)  # every date accepted


@dataclass(frozen=True)
class Backfill:
    clients: int
    appointments: int
    changed_meanwhile: int
    old_rows_deleted: int


def backfill(store: AgendaStore, clients: ClientRepository, business_id: str) -> Backfill:
    profiles = _every_client(clients, business_id)
    indexed, skipped = 0, 0
    for profile in profiles.values():
        entries = sorted(client_entries(business_id, profile.id, profile.first_name, profile.last_name,
                                        profile.fiscal_code, profile.email, profile.phone, profile.mobile))
        skipped += not _written(lambda: search_index.index_client(business_id, profile, entries))
    for before in store.appointments_between(business_id, EARLIEST, LATEST):
        client = profiles.get(before.client_id)
        after = replace(before, **searchable(client)) if client and not before.client_words else before
        entries = sorted(appointment_entries(after))
        if _written(lambda: search_index.index_appointment(before, after, entries)):
            indexed += 1
        else:
            skipped += 1
    return Backfill(len(profiles), indexed, skipped, search_index.drop_whole_word_rows(business_id))


def _every_client(clients: ClientRepository, business_id: str) -> dict[str, ClientProfile]:
    found: dict[str, ClientProfile] = {}
    after = None
    while True:
        page, after = clients.page(business_id, after, 100)
        found.update((p.id, p) for p in page)
        if after is None:
            return found


def _written(write) -> bool:
    try:
        write()
    except ConflictError:
        return False
    return True
