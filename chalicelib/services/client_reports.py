"""The clients report: clients seen, new vs returning, rebooking rate, average ticket and top clients, read
from client maps the stream keeps per local day and month (domain/client_reports.py says what each means)."""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable, Iterable

from ..domain.client_reports import ClientFigures, Visit, client_tally, difference, visit
from ..domain.model import Appointment, Catalog
from ..domain.principal import Principal
from ..domain.reports import money
from ..errors import NotFoundError
from ..repositories import aggregates, client_aggregates
from ..repositories.stream import AppointmentRecord
from .reports import TRIES, CatalogOf, _header, _rate, period

TOP_CLIENTS = 10


# -- keeping the client maps (the stream's subscriber) ----------------------------------------------------
def count_clients(records: Iterable[AppointmentRecord], catalog_of: CatalogOf, facts=client_aggregates) -> int:
    """Bring each record's client up to date; returns how many records changed a client map. A record
    already seen (delivered again, or older than the line kept) changes nothing."""
    zones: dict[str, Any] = {}
    moved = 0
    for record in records:
        if record.appointment is None:  # removed: appointments are cancelled, not deleted
            continue
        if record.business_id not in zones:
            try:
                zones[record.business_id] = catalog_of(record.business_id).business.tz
            except NotFoundError:  # a business closed since
                zones[record.business_id] = None
        tz = zones[record.business_id]
        if tz is not None and settle(record.appointment, visit(record.appointment, tz,
                                                               aggregates.sequence_key(record.sequence)), facts):
            moved += 1
    return moved


def settle(appointment: Appointment, line: Visit, facts=client_aggregates, keep_sequence: bool = False) -> bool:
    """Put the appointment's line on its client and move the client's figures by the difference.
    `keep_sequence` (the reconciliation) keeps the stream's sequence, so a record on its way applies normally."""
    business_id, client_id, reference = appointment.business_id, appointment.client_id, appointment.reference
    for _ in range(TRIES):
        seen = facts.facts(business_id, client_id)
        kept = seen.visits.get(reference)
        if kept is not None and keep_sequence:
            line = Visit(kept.sequence, line.state, line.day, line.start, line.made, line.cents)
        elif kept is not None and kept.sequence >= line.sequence:
            return False
        if kept == line:
            return False
        visits = {**seen.visits, reference: line}
        now = client_tally(client_id, visits.values())
        delta = difference(now, seen.tally)
        if facts.save(business_id, client_id, seen, visits, now, delta):
            return bool(delta)
    raise RuntimeError(f"the client {client_id} of {reference} kept moving; the stream will retry")


def reconcile(catalog: Catalog, appointments: Iterable[Appointment], facts=client_aggregates) -> list[str]:
    """Each appointment's line brought to its present state; the references whose client figures moved."""
    tz = catalog.business.tz
    return [a.reference for a in appointments if settle(a, visit(a, tz, aggregates.sequence_key("0")), facts, keep_sequence=True)]


# -- the report --------------------------------------------------------------------------------------------
def clients(principal: Principal, catalog_of: CatalogOf, first: date, last: date, *,
            profiles: Callable[[str, list[str]], dict], facts=client_aggregates) -> dict[str, Any]:
    """Clients seen (with a visit: a completed appointment) in the period, new (first visit ever in it) and
    returning, the rebooking rate (visits whose client had booked a later appointment by the end of the
    visit's day / visits), the average ticket (revenue / visits) and the clients who spent most."""
    chosen = period(first, last)
    catalog = catalog_of(principal.business_id)
    found = ClientFigures.summed(facts.maps(principal.business_id, chosen))
    seen, visits, cents = len(found.seen), found.total_visits, found.total_cents
    top = found.top(TOP_CLIENTS)
    names = _names(principal.business_id, top, profiles)
    return {**_header("clients", catalog, first, last),
            "totals": {"clients_seen": seen, "new_clients": found.new, "returning_clients": seen - found.new,
                       "visits": visits, "rebooked_visits": found.rebooked,
                       "rebooking_rate": _rate(found.rebooked, visits), "revenue": money(cents),
                       "average_ticket": _average(cents, visits)},
            "top_clients": [{"id": c, "name": names.get(c, c), "visits": found.visits[c],
                             "revenue": money(found.spent.get(c, 0))} for c in top]}


def _average(cents: int, visits: int) -> str | None:
    if not visits:
        return None
    return str((Decimal(cents) / visits / 100).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _names(business_id: str, ids: list[str], profiles: Callable[[str, list[str]], dict]) -> dict[str, str]:
    """The top clients' names: one batch read of their profiles (a client removed since shows by id)."""
    if not ids:
        return {}
    found = profiles(business_id, ids)
    return {c: f"{p.first_name} {p.last_name}".strip() for c, p in found.items()}
