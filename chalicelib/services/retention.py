"""Retention (off by default): each night, the clients of a business who were not seen for more than its
N months are erased as a staff member's erasure would (services/privacy.py), by the system.

When each client was last seen is kept beside them (repositories/retention.py) from the table's stream (every
appointment version raises it to its start) and from the client's creation, and indexed by date, so the job
reads only the idle clients of the businesses that turned retention on. Exactly once per client: an erased
client leaves the index, erasing is idempotent, and of two overlapping runs erasing the same client only one
pseudonymises the record (its write is conditional on the revision it read) and audits it; the other gets a
conflict and moves on. A client booked meanwhile (the stream not there yet) is checked against their own
history first and kept.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..domain.principal import Principal
from ..domain.retention import checked_months, cutoff, last_seen
from ..errors import ConflictError, NotFoundError
from ..ports import AgendaStore, DoNotContact
from ..repositories import retention as repository
from ..repositories.clients import ClientRepository
from ..repositories.stream import AppointmentRecord
from . import audit, privacy

MAX_PER_BUSINESS = 200  # clients erased per business per night: a run stays within the job's minute


# -- the setting ---------------------------------------------------------------------------------------
def settings(principal: Principal) -> dict:
    return {"retention_months": repository.retention_months(principal.business_id)}


def change_settings(principal: Principal, months: object, now: datetime) -> dict:
    before = repository.retention_months(principal.business_id)
    after = checked_months(months)
    if after != before:
        repository.save_retention(principal.business_id, after, now)
        audit.record(audit.entry(principal, "privacy.retention", "business", principal.business_id,
                                 {"retention_months": before}, {"retention_months": after}, now))
    return {"retention_months": after}


# -- keeping "last seen" -------------------------------------------------------------------------------
def keep_last_seen(records: list[AppointmentRecord]) -> int:
    """Stream subscriber: each client's last-seen time raised to their latest appointment start in the batch."""
    starts: dict[tuple[str, str], datetime] = {}
    for record in records:
        a = record.appointment
        if a is not None:
            key = (a.business_id, a.client_id)
            starts[key] = max(starts[key], a.start) if key in starts else a.start
    return sum(repository.raise_seen(b, c, at) for (b, c), at in starts.items())


# -- the nightly run -----------------------------------------------------------------------------------
@dataclass
class Run:
    businesses: int = 0
    erased: int = 0
    kept: int = 0  # seen after all (booked meanwhile), or erased already
    busy: int = 0  # changed meanwhile or a message being sent: next night

    def report(self) -> dict:
        return {"businesses": self.businesses, "erased": self.erased, "kept": self.kept, "busy": self.busy}


def run(store: AgendaStore, clients: ClientRepository, listed: DoNotContact, now: datetime,
        limit: int = MAX_PER_BUSINESS) -> dict:
    """One night: every business with retention on, its idle clients, each erased at most once."""
    done = Run()
    for business_id, months in repository.businesses():
        done.businesses += 1
        since = cutoff(now, months)
        for client_id, _ in repository.idle(business_id, since, limit):
            outcome = _retire(store, clients, listed, business_id, client_id, since, now)
            setattr(done, outcome, getattr(done, outcome) + 1)
    return done.report()


def _retire(store: AgendaStore, clients: ClientRepository, listed: DoNotContact, business_id: str,
            client_id: str, since: datetime, now: datetime) -> str:
    try:
        profile = clients.get(business_id, client_id)
        seen = last_seen(profile.created_at, [a.start for a in clients.history(business_id, client_id)])
        if profile.erased_at is not None or (seen is not None and seen >= since):
            if seen is not None and profile.erased_at is None:
                repository.raise_seen(business_id, client_id, seen)  # the stream had not caught up
            else:
                repository.mark_erased(business_id, client_id)
            return "kept"
        done = privacy.erase(store, clients, listed, privacy.Actor(business_id, privacy.SYSTEM), client_id, now,
                             reason="retention")
    except NotFoundError:
        repository.mark_erased(business_id, client_id)  # no such client (any more): out of the index
        return "kept"
    except ConflictError:
        return "busy"
    return "kept" if done.already else "erased"


# -- its part of an export and an erasure ---------------------------------------------------------------
def _export(subject: privacy.Subject) -> dict:
    seen = repository.last_seen(subject.business_id, subject.client.id)
    return {"last_seen": seen.isoformat() if seen else None}


def _erase(subject: privacy.Subject) -> int:
    repository.mark_erased(subject.business_id, subject.client.id)
    return 1


privacy.section("activity", export=_export, erase=_erase)
