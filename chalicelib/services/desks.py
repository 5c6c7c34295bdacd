"""Desks from the backoffice: number, operator or description, the services each performs, open or
closed, weekly hours, holidays. Each edit is one transaction with its audit entry and its number claim."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from ..domain.calendar import WeeklyHours
from ..domain.desks import Desk, Holiday
from ..domain.fields import checked_date, checked_ids, checked_integer, checked_text, reject_unknown
from ..domain.model import new_id
from ..domain.principal import Principal
from ..errors import NotFoundError, ValidationError
from ..repositories import catalog_admin, desks as repository
from ..repositories.catalog_admin import Versioned
from . import audit

FIELDS = {"number", "operator", "description", "services", "open", "hours", "holidays"}
MAX_NUMBER = 9999
MAX_HOLIDAYS = 100


def desks(principal: Principal) -> list[Desk]:
    return [v.value for v in repository.desks(principal.business_id)]


def desk(principal: Principal, desk_id: str) -> Desk:
    return repository.desk(principal.business_id, desk_id).value


def create(principal: Principal, data: dict, now: datetime) -> Desk:
    reject_unknown(data, FIELDS)
    if "number" not in data:
        raise ValidationError("this field is required", field="number", code="required")
    draft = Desk(id=new_id("dsk"), number=0, service_ids=frozenset(), hours=WeeklyHours())
    return _write(principal, Versioned(draft, None), data, now)


def update(principal: Principal, desk_id: str, data: dict, now: datetime) -> Desk:
    reject_unknown(data, FIELDS)
    return _write(principal, repository.desk(principal.business_id, desk_id), data, now)


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
    if not isinstance(data, list):
        raise ValidationError("holidays are a list", field="holidays", code="wrong_type")
    if len(data) > MAX_HOLIDAYS:
        raise ValidationError(f"at most {MAX_HOLIDAYS} holiday periods", field="holidays", code="too_many")
    found = []
    for i, entry in enumerate(data):
        where = f"holidays[{i}]"
        if not isinstance(entry, dict):
            raise ValidationError('a holiday is {"first": "2026-08-10", "last": "2026-08-21"}', field=where,
                                  code="wrong_type")
        reject_unknown(entry, {"first", "last", "yearly"}, prefix=f"{where}.")
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
