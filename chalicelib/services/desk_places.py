"""Which desk an appointment takes: the one named, else the free one with the lowest number.

The engine says which desks are open and working at a start; whether one is still free is for its lock
units to say. A peek at those units (one batch read, shared with the booking's own) orders the desks so
the transaction rarely has to try twice; the transaction itself decides (domain/agenda_change.py).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from ..domain.agenda_change import LockUnit
from ..domain.booking import lock_units, slots
from ..domain.calendar import Interval
from ..domain.desks import DESK, compatible_desks
from ..domain.model import Appointment, Catalog
from ..ports import AgendaStore


def desk_peek(catalog: Catalog, desk_ids: Iterable[str], busy: Interval, room: int = 98) -> list[LockUnit]:
    """The lock units that say whether these desks (and their operators) are free for `busy`, as many
    desks as `room` keys hold (one batch read); desks left out are tried as if free."""
    units = lock_units(busy)
    found: list[LockUnit] = []
    for desk_id in desk_ids:
        desk = catalog.desk(desk_id)
        more = [LockUnit(DESK, desk_id, u) for u in units]
        if desk is not None and desk.operator_id:
            more += [LockUnit("staff", desk.operator_id, u) for u in units]
        if len(found) + len(more) > room:
            break
        found += more
    return found


def free_first(catalog: Catalog, desk_ids: Iterable[str], held: set[LockUnit], *,
               own: Appointment | None = None, keep: str | None = None, only_free: bool = False) -> list[str]:
    """`desk_ids` with the free ones first (the kept desk, then by number); held ones stay, last, for a
    booking on top, unless `only_free`. Units `own` already holds (an appointment being moved) count as free."""
    mine = _own_units(own)
    taken = {(u.resource_kind, u.resource_id) for u in held if u not in mine}
    def busy(desk_id: str) -> bool:
        desk = catalog.desk(desk_id)
        operator = desk.operator_id if desk else None
        return (DESK, desk_id) in taken or (operator is not None and ("staff", operator) in taken)
    ordered = sorted(desk_ids, key=lambda d: (d != keep, catalog.desk(d).number if catalog.desk(d) else 0))
    return [d for d in ordered if not busy(d)] + ([] if only_free else [d for d in ordered if busy(d)])


def desks_in_order(store: AgendaStore, catalog: Catalog, desk_ids: tuple[str, ...], busy: Interval, *,
                   own: Appointment | None = None, keep: str | None = None, only_free: bool = False) -> list[str]:
    """The same, reading the lock units first (the backoffice's path: one batch read)."""
    if not desk_ids:
        return []
    _, held = store.contacts_and_locks(catalog.business.id, None, None, desk_peek(catalog, desk_ids, busy))
    return free_first(catalog, desk_ids, held, own=own, keep=keep, only_free=only_free)


def working_desks(catalog: Catalog, appointment: Appointment) -> tuple[str, ...]:
    """The open desks that perform the appointment's service and work at its time with its professional
    (hours, holidays, special days, operator), as the engine says for the backoffice; lowest number first."""
    service, member = catalog.service(appointment.service_id), catalog.member(appointment.staff_id)
    if service is None or member is None:
        return ()
    service = replace(service, requires_desk=True)
    day = appointment.start.astimezone(catalog.business.tz).date()
    found = next((s for s in slots(catalog, service, [member], (), day, day, appointment.start, online=False,
                                   desks=compatible_desks(catalog, service)) if s.start == appointment.start), None)
    return found.desks if found else ()


def _own_units(appointment: Appointment | None) -> set[LockUnit]:
    if appointment is None or not appointment.status.holds_time:
        return set()
    return {LockUnit(r.kind, r.id, u) for r in appointment.resources for u in lock_units(appointment.busy)}
