"""Moving appointments off a desk that closes or goes on holiday: each to another free desk that performs
its service at the same time, with the same professional (`move`, the covering strategy a desk adds to
services/covering.py). The time does not change, so the client gets no message; the audit log says why."""
from __future__ import annotations

from dataclasses import replace

from ..domain.covering import AppointmentsAffectedError
from ..domain.desks import seated
from ..domain.model import Appointment, Catalog
from ..errors import ConflictError, ForbiddenError, SlotUnavailableError
from ..ports import AgendaStore
from . import agenda_changes, audit, desk_places


def free_places(store: AgendaStore, catalog: Catalog, appointment: Appointment, closed: set[str]) -> list[str]:
    """Where it could go now: the open desks that perform its service and work at its time (the engine
    decides, as for a new booking) whose time nobody holds, lowest number first; never one in `closed`."""
    found = tuple(d for d in desk_places.working_desks(catalog, appointment) if d not in closed)
    if not found:
        return []
    _, held = store.contacts_and_locks(catalog.business.id, None, None,
                                       desk_places.desk_peek(catalog, found, appointment.busy))
    return desk_places.free_first(catalog, found, held, own=appointment, only_free=True)


def nowhere(store: AgendaStore, catalog: Catalog, appointments: list[Appointment], closed: set[str]) -> list[Appointment]:
    """Those with no free desk to go to (checked before anything is written)."""
    return [a for a in appointments if not free_places(store, catalog, a, closed)]


def move(ctx, appointments: list[Appointment]) -> list[dict]:
    """The `move` strategy: each to the free desk with the lowest number; one that fits nowhere after all
    (a booking took the last desk meanwhile) is listed in a 409, the others stay moved."""
    from .backoffice import audit_view
    from .covering import describe

    closed = {r.id for r in (ctx.covering.resources or ()) if r.kind == "desk"}
    catalog = ctx.store.catalog(ctx.principal.business_id)  # the desk as it is now: closed or on holiday
    moved, stuck = [], []
    for found in appointments:
        if not ctx.principal.may_write_agenda_of(found.staff_id):
            raise ForbiddenError("you may change only your own agenda", field="staff", code="not_your_agenda")
        for desk_id in free_places(ctx.store, catalog, found, closed) if found.desk_id else []:
            after = seated(replace(found, updated_at=ctx.now), catalog, desk_id)
            entry = audit.entry(ctx.principal, "appointment.reschedule", "appointment", found.reference,
                                audit_view(found), {**audit_view(after), "reason": ctx.reason}, ctx.now)
            try:
                agenda_changes.change(ctx.store, found, after, by=ctx.principal.staff_id, audit=entry)
            except (SlotUnavailableError, ConflictError):
                continue
            moved.append(after)
            break
        else:
            stuck.append(found)
    if stuck:
        raise AppointmentsAffectedError(describe(ctx.clients, catalog, stuck), ["cancel"])
    return describe(ctx.clients, catalog, moved)
