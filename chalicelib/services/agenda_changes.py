"""Every change to an appointment is composed here: the change itself, then what each feature adds.

A feature that must happen with the change, or not at all, contributes rows to the change's own
transaction (`CONTRIBUTIONS`: the client's message, the search index, the client's history); a
feature that reacts afterwards subscribes to the change's events on the table's stream
(jobs/stream.py). Neither needs the store to know about it.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Sequence

from ..domain.agenda_change import MAX_TRANSACTION_ITEMS, AgendaChange, Expected, agenda_change
from ..domain.audit import AuditEntry
from ..domain.clients import HistoryEntry
from ..domain.model import Appointment, Client
from ..domain.plans import unit_moves
from ..domain.search import appointment_entries, client_entries, index_changes
from ..notifications.outbox import message_for
from ..errors import UnprocessableError
from ..ports import AgendaStore

BUSY_DAY_ROOM = 4  # busy-day items a sequence touches: its professional's and a desk's, over midnight at most


def _history(change: AgendaChange) -> AgendaChange:
    """A new appointment joins its client's history."""
    if not change.is_new:
        return change
    a = change.after
    return change.adding(HistoryEntry(a.business_id, a.client_id, a.reference))


def _search(change: AgendaChange) -> AgendaChange:
    """The appointment is found by its words (status, client, notes), which follow it in its own
    transaction (a cancelled one is found by "cancelled" at once); a new client by theirs."""
    puts, stale = index_changes(appointment_entries(change.before), appointment_entries(change.after))
    client = change.new_client
    if client is not None:
        puts += sorted(client_entries(change.after.business_id, client.id, client.first_name, client.last_name,
                                      None, client.email, client.phone, None))
    return change.adding(*puts).removing(*stale)


def _message(change: AgendaChange) -> AgendaChange:
    return change.adding(message_for(change))


def _plan_units(change: AgendaChange) -> AgendaChange:
    """A plan unit the appointment holds moves with it (held, used, given back) in its own transaction,
    under the condition that the plan's units never go below zero."""
    return change.adding(*unit_moves(change.before, change.after, change.by))


CONTRIBUTIONS: tuple[Callable[[AgendaChange], AgendaChange], ...] = (_message, _search, _history, _plan_units)


def compose(before: Appointment | None, after: Appointment, *, by: str, new_client: Client | None = None,
            audit: AuditEntry | None = None, tell_client: bool = True) -> AgendaChange:
    """The whole change, with every feature's rows: what `store.write` writes, all or nothing.
    `tell_client=False` leaves out the client's message (an erasure: nobody is to be written to)."""
    change = agenda_change(before, after, by=by, new_client=new_client).adding(audit)
    for contribute in CONTRIBUTIONS:
        if tell_client or contribute is not _message:
            change = contribute(change)
    return change


def book(store: AgendaStore, appointment: Appointment, *, by: str, new_client: Client | None = None,
         audit: AuditEntry | None = None, records: tuple = (), expected: tuple[Expected, ...] = (),
         hold: str | None = None) -> AgendaChange:
    """Store a new appointment and claim its resources' time (SlotUnavailableError when taken,
    ContactTakenError when the new client's email or phone was registered meanwhile, PlanUsedUpError when
    the plan unit it holds was taken). `records`: more rows the use case decided (a merge task); `expected`
    rows and a `hold` to take over come from the waiting list (services/waitlist_booking.py)."""
    change = compose(None, appointment, by=by, new_client=new_client, audit=audit).adding(*records)
    if expected or hold:
        change = replace(change, expected=expected, hold=hold)
    store.write(change)
    return change


def book_all(store: AgendaStore, appointments: Sequence[Appointment], *, by: str, new_client: Client | None = None,
             audit: AuditEntry | None = None, expected: tuple[Expected, ...] = (),
             hold: str | None = None, records: tuple = ()) -> tuple[AgendaChange, ...]:
    """Several new appointments of one client, back to back (a sequence of services), in one transaction:
    each composed as `book` composes one, the new client, audit entry, `expected` and other `records` carried
    once (by the first); a `hold` is taken over by each. UnprocessableError `too_many_rows` when they would not
    fit one transaction (refused before anything is sent)."""
    changes = []
    for n, appointment in enumerate(appointments):
        change = compose(None, appointment, by=by, new_client=new_client if n == 0 else None,
                         audit=audit if n == 0 else None).adding(*(records if n == 0 else ()))
        changes.append(replace(change, expected=expected if n == 0 else (), hold=hold))
    if sum(c.size for c in changes) + BUSY_DAY_ROOM > MAX_TRANSACTION_ITEMS:
        raise UnprocessableError("these services are too many to book together", field="services",
                                 code="too_many_rows")
    store.write_all(tuple(changes))
    return tuple(changes)


def change(store: AgendaStore, before: Appointment, after: Appointment, *, by: str,
           audit: AuditEntry | None = None, tell_client: bool = True) -> AgendaChange:
    """Store a changed appointment; its time moves with it. `before` must be what was read: of two
    concurrent changes one lands, the other gets ConflictError `booking_changed`."""
    composed = compose(before, after, by=by, audit=audit, tell_client=tell_client)
    store.write(composed)
    return composed
