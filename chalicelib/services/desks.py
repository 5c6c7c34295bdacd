"""Desks from the backoffice: number, operator or description, the services each performs, open or
closed, weekly hours, holidays. Each edit is one transaction with its audit entry and its number claim."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from ..domain.calendar import Interval, WeeklyHours
from ..domain.covering import AppointmentsAffectedError, Covering, whole_days
from ..domain.desks import DESK, Desk, Holiday
from ..domain.fields import checked_date, checked_entries, checked_ids, checked_integer, checked_text, reject_unknown
from ..domain.freed_time import freed_events, with_change
from ..domain.model import ResourceRef, new_id
from ..domain.principal import Principal
from ..errors import NotFoundError, ValidationError
from ..repositories import catalog_admin, desks as repository
from ..repositories.catalog_admin import Versioned
from ..ports import AgendaStore
from . import audit, covering, desk_moves
from .covering import ClientNames

FIELDS = {"number", "operator", "description", "services", "open", "hours", "holidays", "on_conflict"}
LOOKAHEAD_YEARS = 2  # a closing or a yearly holiday is checked against the agenda this far ahead
MAX_NUMBER = 9999
MAX_HOLIDAYS = 100


def desks(principal: Principal) -> list[Desk]:
    return [v.value for v in repository.desks(principal.business_id)]


def desk(principal: Principal, desk_id: str) -> Desk:
    return repository.desk(principal.business_id, desk_id).value


def create(principal: Principal, data: dict, now: datetime) -> Desk:
    reject_unknown(data, FIELDS - {"on_conflict"})
    if "number" not in data:
        raise ValidationError("this field is required", field="number", code="required")
    draft = Desk(id=new_id("dsk"), number=0, service_ids=frozenset(), hours=WeeklyHours())
    return _write(principal, Versioned(draft, None), data, now)


def update(store: AgendaStore, clients: ClientNames, principal: Principal, desk_id: str, data: dict,
           now: datetime) -> tuple[Desk, list[dict]]:
    """Edit a desk. Closing it, or adding holidays, over live appointments answers 409 with their list
    unless `on_conflict` says `move` (each to another free desk; 409 with those that fit nowhere, nothing
    written) or `cancel` (the client gets the cancellation message). Returns the desk and what was done."""
    reject_unknown(data, FIELDS)
    strategies = {**covering.STRATEGIES, "move": desk_moves.move}
    choice = covering.checked_choice(data.get("on_conflict"), strategies=strategies)
    record = repository.desk(principal.business_id, desk_id)
    fields = {k: v for k, v in data.items() if k != "on_conflict"}
    snap = catalog_admin.snapshot(principal.business_id)
    before, after = record.value, apply(snap, record.value, fields)
    if after == before:
        return after, []
    cover = covering_of(before, after, snap.business.value.tz, now)
    saved = Versioned(after, record.revision)

    catalog = store.catalog(principal.business_id)

    def save() -> None:  # the entry carries the time the change gives back, for the waiting list
        repository.save(principal.business_id, saved, before, freed_events(
            with_change(catalog, before), with_change(catalog, after),
            audit.entry(principal, "desk.update", "desk", after.id, desk_view(before), desk_view(after), now)))

    def undo() -> None:
        repository.save(principal.business_id, Versioned(before, (record.revision or 0) + 1), after,
                        audit.entry(principal, "desk.update.undone", "desk", after.id, desk_view(after),
                                    desk_view(before), now))

    if not cover.periods:
        save()
        return after, []
    if choice == "move":  # every one must have somewhere to go before anything is written
        found = covering.affected(store, principal.business_id, cover, now)
        stuck = desk_moves.nowhere(store, catalog, found, {after.id})
        if stuck:
            raise AppointmentsAffectedError(covering.describe(clients, catalog, stuck), ["cancel"])
    reason = f"desk {after.label}: {'closed' if not after.open else 'holiday'}"
    return after, covering.settle(store, clients, principal, cover, choice, now, reason=reason, save=save,
                                  undo=undo, strategies=strategies)


def covering_of(before: Desk, after: Desk, tz, now: datetime) -> Covering:
    """The time a change takes from a desk: from now on when it closes; the days of holidays it did not
    have (a yearly one's for the years ahead)."""
    desk_ref = frozenset({ResourceRef(DESK, after.id)})
    horizon = now + timedelta(days=366 * LOOKAHEAD_YEARS)
    if before.open and not after.open:
        return Covering((Interval(now, horizon),), desk_ref)
    today, last = now.astimezone(tz).date(), horizon.astimezone(tz).date()
    new = set(after.holidays) - set(before.holidays)
    days = {first + timedelta(days=i) for h in new for first, end in h.occurrences(today, last)
            for i in range((end - first).days + 1)}
    return Covering(whole_days((d for d in days if today <= d <= last), tz) if after.open else (), desk_ref)


def apply(snap: catalog_admin.CatalogSnapshot, current: Desk, data: dict) -> Desk:
    """`current` with the submitted fields applied, each checked (staff and services must exist)."""
    after = current
    if "number" in data:
        after = replace(after, number=checked_integer(data["number"], "number", 1, MAX_NUMBER))
    if "operator" in data:
        operator = data["operator"]
        if operator is not None and (not isinstance(operator, str) or operator not in snap.staff):
            raise NotFoundError("no such staff member", field="operator")
        after = replace(after, operator_id=operator)
    if "description" in data:
        after = replace(after, description=checked_text(data["description"], "description", 120,
                                                        required=False) or "")
    if "services" in data:
        wanted = checked_ids(data["services"], "services")
        if set(wanted) - set(snap.services):
            raise NotFoundError("no such service", field="services")
        after = replace(after, service_ids=frozenset(wanted))
    if "open" in data:
        if not isinstance(data["open"], bool):
            raise ValidationError("must be true or false", field="open", code="wrong_type")
        after = replace(after, open=data["open"])
    if "hours" in data:
        after = replace(after, hours=WeeklyHours.from_json(data["hours"], field="hours"))
    if "holidays" in data:
        after = replace(after, holidays=holidays(data["holidays"]))
    if bool(after.operator_id) == bool(after.description):
        raise ValidationError("a desk has either an operator or a description", field="operator",
                              code="operator_or_description")
    return after


def holidays(data: Any) -> tuple[Holiday, ...]:
    """[{"first": "2026-12-24", "last": "2027-01-06", "yearly": true}, ...]: checked, in order."""
    found = []
    for where, entry in checked_entries(data, "holidays", MAX_HOLIDAYS, {"first", "last", "yearly"},
                                        '{"first": "2026-08-10", "last": "2026-08-21"}'):
        first = checked_date(entry.get("first"), f"{where}.first")
        last = checked_date(entry.get("last", entry.get("first")), f"{where}.last")
        yearly = entry.get("yearly", False)
        if not isinstance(yearly, bool):
            raise ValidationError("must be true or false", field=f"{where}.yearly", code="wrong_type")
        if last < first:
            raise ValidationError("a holiday must not end before it starts", field=f"{where}.last",
                                  code="ends_before_start")
        if yearly and last - first >= timedelta(days=365):
            raise ValidationError("a yearly holiday lasts less than a year", field=f"{where}.last",
                                  code="too_long")
        found.append(Holiday(first, last, yearly))
    return tuple(sorted(set(found)))


def desk_view(d: Desk) -> dict:
    """A desk as JSON: the backoffice's responses and the audit log's before and after."""
    return {
        "id": d.id, "number": d.number, "name": d.label, "operator": d.operator_id, "description": d.description,
        "services": sorted(d.service_ids), "open": d.open, "hours": d.hours.to_json(),
        "holidays": [h.to_json() for h in sorted(d.holidays)],
    }


def _write(principal: Principal, record: Versioned[Desk], data: dict, now: datetime) -> Desk:
    snap = catalog_admin.snapshot(principal.business_id)
    before = None if record.revision is None else record.value
    after = apply(snap, record.value, data)
    if before is not None and after == before:
        return after
    action = "desk.create" if before is None else "desk.update"
    entry = audit.entry(principal, action, "desk", after.id, None if before is None else desk_view(before),
                        desk_view(after), now)
    repository.save(principal.business_id, Versioned(after, record.revision), before, entry)
    return after
