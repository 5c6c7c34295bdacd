"""Applying a change that covers existing appointments (domain/covering.py): find them through the
agenda's index, then refuse with their list (409 `appointments_affected`) or deal with them as the
request says (`on_conflict`).

The flow, for any such change (a closure, special hours, a desk closed, a holiday):
1. find the affected appointments; with none, or with a strategy, go on; else 409, nothing written;
2. write the change itself (`save`): from now on availability and the booking check honour it;
3. look again - a booking may have landed between 1 and 2 - and apply the strategy to what is there
   now; without one (`refuse`) the change is taken back (`undo`) and the 409 lists what landed.

Strategies (`STRATEGIES`, name -> function) are the extension point: `cancel` cancels each through the
ordinary cancel path (the same AgendaChange as the agenda's cancel button: status, freed time, the
client's cancellation message in the outbox, the audit entry, all in one transaction per appointment).
A desk's own changes add `move` (to another free desk) for themselves: `settle(..., strategies=...)`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterable, Mapping, Protocol

from ..domain.covering import REFUSE, AppointmentsAffectedError, Covering, affected as affected_of, listed
from ..domain.model import Appointment, Catalog, ResourceRef
from ..domain.principal import Principal
from ..domain.transitions import Action, next_status
from ..errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from ..ports import AgendaStore
from . import agenda_changes, audit
from .backoffice import audit_view  # the agenda's own audit shape of an appointment


class ClientNames(Protocol):
    """What the list needs of the clients (repositories.clients.ClientRepository has it)."""

    def many(self, business_id: str, client_ids: Iterable[str]) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class Context:
    """What a strategy works with."""

    store: AgendaStore
    clients: ClientNames
    principal: Principal
    catalog: Catalog
    now: datetime
    covering: Covering
    reason: str  # why, for the audit log: "closure: Christmas"


Strategy = Callable[[Context, list[Appointment]], list[dict]]


def affected(store: AgendaStore, business_id: str, covering: Covering, now: datetime) -> list[Appointment]:
    """The live appointments the covering leaves in time nobody works: one agenda-index query per
    period (past time is not asked for), never a scan."""
    found: list[Appointment] = []
    for period in covering.periods:
        if period.end > now:
            found += store.appointments_between(business_id, max(period.start, now), period.end)
    return affected_of(covering, found, now)


def describe(clients: ClientNames, catalog: Catalog, appointments: list[Appointment]) -> list[dict]:
    """The list as the 409 and the report show it: reference, start, end, client's name, resources."""
    business = catalog.business
    people = clients.many(business.id, (a.client_id for a in appointments)) if appointments else {}
    names = resource_names(catalog)
    return [listed(a, _full_name(people.get(a.client_id)), names, business.tz) for a in appointments]


def resource_names(catalog: Catalog) -> dict[ResourceRef, str]:
    """Names of the resources the list shows: professionals and desks."""
    return {**{ResourceRef("staff", m.id): m.name for m in catalog.staff},
            **{ResourceRef("desk", d.id): d.label for d in catalog.desks}}


def checked_choice(value: object, field: str = "on_conflict", strategies: Mapping[str, Strategy] | None = None) -> str:
    """`on_conflict` as sent: absent is `refuse`; else one of the strategies (a change may offer more:
    a desk's own changes add `move`, services/desk_moves.py)."""
    strategies = STRATEGIES if strategies is None else strategies
    if value is None or value == REFUSE:
        return REFUSE
    if isinstance(value, str) and value in strategies:
        return value
    names = ", ".join([REFUSE, *strategies])
    raise ValidationError(f"on_conflict is one of: {names}", field=field, code="invalid_choice")


def settle(store: AgendaStore, clients: ClientNames, principal: Principal, covering: Covering, choice: str,
           now: datetime, *, reason: str, save: Callable[[], None], undo: Callable[[], None],
           strategies: Mapping[str, Strategy] | None = None) -> list[dict]:
    """Write a covering change (`save`) and deal with the appointments it covers, as `choice` says.
    Returns what the strategy did to them (empty when nothing was covered)."""
    strategies = STRATEGIES if strategies is None else strategies
    found = affected(store, principal.business_id, covering, now)
    if found and choice == REFUSE:
        raise _refusal(store, clients, principal, found, strategies)
    save()
    found = affected(store, principal.business_id, covering, now)
    if not found:
        return []
    if choice == REFUSE:  # booked between the first look and the save: take the change back
        undo()
        raise _refusal(store, clients, principal, found, strategies)
    catalog = store.catalog(principal.business_id)
    return strategies[choice](Context(store, clients, principal, catalog, now, covering, reason), found)


def _refusal(store: AgendaStore, clients: ClientNames, principal: Principal, found: list[Appointment],
             strategies: Mapping[str, Strategy]) -> AppointmentsAffectedError:
    return AppointmentsAffectedError(describe(clients, store.catalog(principal.business_id), found), [*strategies])


def cancel(ctx: Context, appointments: list[Appointment]) -> list[dict]:
    """Cancel each through the ordinary cancel path; one changed meanwhile is read again and, if it is
    still in the covered time, cancelled as it now is. Someone who may not write one of their agendas
    cancels none of them."""
    if any(not ctx.principal.may_write_agenda_of(a.staff_id) for a in appointments):
        raise ForbiddenError("you may change only your own agenda", field="staff", code="not_your_agenda")
    done = []
    for found in appointments:
        for _ in range(3):
            after = found.with_status(next_status(found.status, Action.CANCEL), ctx.now)
            entry = audit.entry(ctx.principal, "appointment.cancel", "appointment", found.reference,
                                audit_view(found), {**audit_view(after), "reason": ctx.reason}, ctx.now)
            try:
                agenda_changes.change(ctx.store, found, after, by=ctx.principal.staff_id, audit=entry)
            except ConflictError as error:
                if error.code != "booking_changed":
                    raise
                try:
                    found = ctx.store.appointment(found.reference)
                except NotFoundError:
                    break
                if not ctx.covering.affects(found, ctx.now):
                    break
                continue
            done.append(after)
            break
    return describe(ctx.clients, ctx.catalog, done)


STRATEGIES: dict[str, Strategy] = {
    "cancel": cancel,
    # a desk's own changes offer "move" too (services/desk_moves.py passes it as `strategies`)
}


def _full_name(profile: Any) -> str:
    if profile is None:
        return ""
    return f"{getattr(profile, 'first_name', '')} {getattr(profile, 'last_name', '')}".strip()
