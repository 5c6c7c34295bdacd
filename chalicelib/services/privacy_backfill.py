"""What privacy needs from data stored before it, once per business: a migration, run by an operator
(`python -m chalicelib.jobs.backfill_privacy <business id>...`) or by `make dev` on its kept data.

- every client's last-seen time (retention's idle index), from their registration and their appointments'
  starts: raised, never lowered, so running it while bookings arrive, or again, is harmless;
- every audit entry's key in the `agenda` index by target (what an erasure scrubs), where it has none.
Outbox items need none: the older ones are found through the message log, and they expire 30 days after
they finish. One query per page of clients, one history read per client, one query of the audit log.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..domain.retention import last_seen
from ..repositories import retention
from ..repositories.clients import ClientRepository
from ..repositories import privacy as repository

PAGE = 100


@dataclass(frozen=True)
class Backfill:
    clients: int
    raised: int  # clients whose last-seen time moved (new, or later than what the stream had kept)
    audit_entries: int  # entries given their key


def backfill(clients: ClientRepository, business_id: str) -> Backfill:
    seen, raised, after = 0, 0, None
    while True:
        page, after = clients.page(business_id, after, PAGE)
        for profile in page:
            seen += 1
            if profile.erased_at is not None:
                retention.mark_erased(business_id, profile.id)
                continue
            when = last_seen(profile.created_at, [a.start for a in clients.history(business_id, profile.id)])
            if when is not None:
                raised += retention.raise_seen(business_id, profile.id, when)
        if after is None:
            break
    return Backfill(seen, raised, repository.index_audit(business_id))
