"""The business's calendar from the backoffice: closures and special hours (domain/special_days.py).

Adding a closure or special hours takes working time away, and so does removing special hours that
opened more than the week does: each goes through services/covering.py, which refuses with the list of
the appointments left in time nobody works (409 `appointments_affected`) unless the request says
`"on_conflict": "cancel"`. Removing a closure only gives time back.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable

from ..domain.calendar import WeeklyHours, intervals_json, parse_intervals
from ..domain.covering import Covering, outside, whole_days
from ..domain.fields import checked_date, checked_text, reject_unknown
from ..domain.freed_time import freed_events, with_change
from ..domain.model import Catalog, ResourceRef, new_id
from ..domain.principal import Principal
from ..domain.special_days import BUSINESS, MAX_ENTRIES, Closure, SpecialDays, SpecialHours, lookahead
from ..errors import NotFoundError, ValidationError
from ..ports import AgendaStore
from ..repositories import special_days as repository
from ..repositories.clients import valid_id
from . import audit, covering
from .covering import ClientNames

CLOSURE_FIELDS = {"name", "first_day", "last_day", "yearly", "on_conflict"}
HOURS_FIELDS = {"date", "hours", "resource", "name", "on_conflict"}
RESOURCE_KINDS = ("staff", "desk")  # whose hours may be special besides the business's
YEARLY_LOOKAHEAD_YEARS = 2  # a yearly closure is checked against the agenda this far ahead


def listing(principal: Principal) -> SpecialDays:
    return repository.read(principal.business_id)


# -- closures ---------------------------------------------------------------------------------------
def add_closure(store: AgendaStore, clients: ClientNames, principal: Principal, data: dict,
                now: datetime) -> tuple[Closure, list[dict]]:
    reject_unknown(data, CLOSURE_FIELDS)
    current = repository.read(principal.business_id)
    _check_room(current)
    closure = _closure(new_id("clo"), data)
    return closure, _settle(store, clients, principal, data, now, put=closure, remove=None,
                            action="calendar.closure.create")


def update_closure(store: AgendaStore, clients: ClientNames, principal: Principal, closure_id: str, data: dict,
                   now: datetime) -> tuple[Closure, list[dict]]:
    reject_unknown(data, CLOSURE_FIELDS)
    before = _find_closure(principal, closure_id)
    merged = {"name": before.name, "first_day": before.first_day.isoformat(),
              "last_day": before.last_day.isoformat(), "yearly": before.yearly, **data}
    if "first_day" in data and "last_day" not in data:
        merged["last_day"] = data["first_day"]
    closure = _closure(before.id, merged)
    return closure, _settle(store, clients, principal, data, now, put=closure, remove=before,
                            action="calendar.closure.update")


def remove_closure(principal: Principal, closure_id: str, now: datetime, store: AgendaStore | None = None) -> None:
    """Only gives working time back: nothing to check against the agenda; the waiting list is told."""
    before = _find_closure(principal, closure_id)
    entry = audit.entry(principal, "calendar.closure.delete", "closure", before.id, closure_json(before), None, now)
    if store is not None:
        catalog = store.catalog(principal.business_id)
        entry = freed_events(catalog, with_change(catalog, _changed(catalog.special_days, None, before)), entry)
    repository.write(principal.business_id, None, before, entry)


# -- special hours --------------------------------------------------------------------------------------
def set_special_hours(store: AgendaStore, clients: ClientNames, principal: Principal, data: dict,
                      now: datetime) -> tuple[SpecialHours, list[dict]]:
    """Special hours for a date and a scope (the business, a professional, a desk); one entry per date and
    scope, so setting them again replaces the hours (the id stays)."""
    reject_unknown(data, HOURS_FIELDS)
    catalog = store.catalog(principal.business_id)
    day = checked_date(data.get("date"), "date")
    kind, resource_id = _scope(catalog, data.get("resource"))
    if "hours" not in data:
        raise ValidationError("this field is required ([] for closed)", field="hours", code="required")
    hours = parse_intervals(data["hours"], field="hours")
    name = checked_text(data.get("name"), "name", 80, required=False) or ""
    current = repository.read(principal.business_id)
    before = current.special(day, kind, resource_id)
    if before is None:
        _check_room(current)
    entry = SpecialHours(before.id if before else new_id("sph"), day, hours, kind, resource_id, name)
    return entry, _settle(store, clients, principal, data, now, put=entry, remove=before,
                          action="calendar.hours.set")


def remove_special_hours(store: AgendaStore, clients: ClientNames, principal: Principal, hours_id: str,
                         on_conflict: str | None, now: datetime) -> list[dict]:
    """The week's hours apply again that date: what they do not cover is checked like any covering change."""
    current = repository.read(principal.business_id)
    before = next((h for h in current.hours if h.id == hours_id), None)
    if before is None or not valid_id(hours_id):
        raise NotFoundError("no such special hours", field="special_hours")
    return _settle(store, clients, principal, {"on_conflict": on_conflict}, now, put=None, remove=before,
                   action="calendar.hours.delete")


# -- what a change covers --------------------------------------------------------------------------------
def covering_of(catalog: Catalog, entry: Closure | SpecialHours, removed: bool, today: date) -> Covering:
    """The time a change stops being worked: a closure's days (a yearly one's for the years ahead); the
    parts of a date outside its new hours (the week's, once special hours are removed)."""
    business = catalog.business
    tz = business.tz
    if isinstance(entry, Closure):
        first = today if entry.yearly else max(today, entry.first_day)
        last = lookahead(today, YEARLY_LOOKAHEAD_YEARS) if entry.yearly else entry.last_day
        return Covering(whole_days(entry.days(first, last), tz))
    resources = None if entry.kind == BUSINESS else frozenset({ResourceRef(entry.kind, entry.resource_id)})
    if not removed:
        hours = entry.hours
    elif entry.kind == BUSINESS:
        hours = business.opening_hours.on(entry.day)
    else:
        week = WEEKLY_HOURS.get(entry.kind, lambda _catalog, _id: None)(catalog, entry.resource_id)
        if week is None:  # a kind whose week is not known here holds no appointments to check
            return Covering((), resources)
        hours = week.on(entry.day)
    return Covering(outside(entry.day, hours, tz), resources)


def _staff_week(catalog: Catalog, staff_id: str) -> WeeklyHours | None:
    member = catalog.member(staff_id)
    return member.hours if member is not None else None


def _desk_week(catalog: Catalog, desk_id: str) -> WeeklyHours | None:
    desk = catalog.desk(desk_id)
    return desk.hours if desk is not None else None


# Whose weekly hours apply again once their special hours are removed, by resource kind.
WEEKLY_HOURS: dict[str, Callable[[Catalog, str], WeeklyHours | None]] = {"staff": _staff_week, "desk": _desk_week}


def _settle(store: AgendaStore, clients: ClientNames, principal: Principal, data: dict, now: datetime, *,
            put: Closure | SpecialHours | None, remove: Closure | SpecialHours | None, action: str) -> list[dict]:
    choice = covering.checked_choice(data.get("on_conflict"))
    catalog = store.catalog(principal.business_id)
    entry = put if put is not None else remove
    target_kind = "closure" if isinstance(entry, Closure) else "special_hours"
    after = _json(put) if put is not None else None
    before = _json(remove) if remove is not None else None
    today = now.astimezone(catalog.business.tz).date()
    cover = covering_of(catalog, entry, put is None, today)
    reason = f"{target_kind}: {getattr(entry, 'name', '') or entry.id}"

    changed = with_change(catalog, _changed(catalog.special_days, put, remove))

    def save() -> None:  # the entry carries the time the change gives back, for the waiting list
        repository.write(principal.business_id, put, remove, freed_events(
            catalog, changed, audit.entry(principal, action, target_kind, entry.id, before, after, now)))

    def undo() -> None:
        repository.write(principal.business_id, remove, put,
                         audit.entry(principal, action + ".undone", target_kind, entry.id, after, before, now))

    return covering.settle(store, clients, principal, cover, choice, now, reason=reason, save=save, undo=undo)


def _changed(days: SpecialDays, put: Closure | SpecialHours | None,
             remove: Closure | SpecialHours | None) -> SpecialDays:
    """The special days once `remove` is gone and `put` is in (an entry set again keeps its id)."""
    gone = {e.id for e in (put, remove) if e is not None}
    entries = [e for e in (*days.closures, *days.hours) if e.id not in gone] + ([put] if put is not None else [])
    return SpecialDays(tuple(e for e in entries if isinstance(e, Closure)),
                       tuple(e for e in entries if isinstance(e, SpecialHours)))


def _closure(closure_id: str, data: dict) -> Closure:
    name = checked_text(data.get("name"), "name", 80)
    first = checked_date(data.get("first_day"), "first_day")
    last = checked_date(data["last_day"], "last_day") if data.get("last_day") is not None else first
    yearly = data.get("yearly", False)
    if not isinstance(yearly, bool):
        raise ValidationError("true or false", field="yearly", code="wrong_type")
    return Closure(closure_id, name, first, last, yearly)


def _find_closure(principal: Principal, closure_id: str) -> Closure:
    found = next((c for c in repository.read(principal.business_id).closures if c.id == closure_id), None)
    if found is None:
        raise NotFoundError("no such closure", field="closure")
    return found


def _scope(catalog: Catalog, resource: Any) -> tuple[str, str]:
    """`resource` absent or null: the business; else {"kind": "staff" | "desk", "id": ...}."""
    if resource is None:
        return BUSINESS, ""
    if not isinstance(resource, dict):
        raise ValidationError('a resource is {"kind": "staff", "id": "..."}', field="resource", code="wrong_type")
    reject_unknown(resource, {"kind", "id"}, prefix="resource.")
    kind, resource_id = resource.get("kind"), resource.get("id")
    if kind not in RESOURCE_KINDS:
        raise ValidationError(f"the kind is one of: {', '.join(RESOURCE_KINDS)}", field="resource.kind",
                              code="invalid_choice")
    if not isinstance(resource_id, str) or not valid_id(resource_id):
        raise ValidationError("an id", field="resource.id", code="required" if not resource_id else "invalid")
    if kind == "staff" and catalog.member(resource_id) is None:
        raise NotFoundError("no such staff member", field="resource.id")
    if kind == "desk" and catalog.desk(resource_id) is None:
        raise NotFoundError("no such desk", field="resource.id")
    return kind, resource_id


def _check_room(current: SpecialDays) -> None:
    if len(current.closures) + len(current.hours) >= MAX_ENTRIES:
        raise ValidationError(f"at most {MAX_ENTRIES} closures and special hours; remove past ones first",
                              code="too_many")


def _json(entry: Closure | SpecialHours) -> dict:
    return closure_json(entry) if isinstance(entry, Closure) else special_hours_json(entry)


def closure_json(closure: Closure) -> dict:
    return {"id": closure.id, "name": closure.name, "first_day": closure.first_day.isoformat(),
            "last_day": closure.last_day.isoformat(), "yearly": closure.yearly}


def special_hours_json(entry: SpecialHours, names: dict[str, str] | None = None) -> dict:
    resource = None if entry.kind == BUSINESS else {
        "kind": entry.kind, "id": entry.resource_id, "name": (names or {}).get(entry.resource_id, "")}
    return {"id": entry.id, "date": entry.day.isoformat(), "hours": intervals_json(entry.hours),
            "resource": resource, "name": entry.name}

