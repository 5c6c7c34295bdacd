"""The business's own settings from the backoffice: name, phone, opening hours, booking rules and the
business's secret code. The business always comes from the caller's Principal."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from ..domain.booking import LOCK_UNIT_MINUTES
from ..domain.calendar import WeeklyHours
from ..domain.freed_time import with_change
from ..domain.fields import (
    checked_choice, checked_code, checked_integer, checked_phone, checked_text, reject_unknown,
)
from ..domain.model import Approval, BookingRules, Business, ClientChanges
from ..domain.principal import Principal
from ..domain.views import business_view
from ..errors import ValidationError
from ..ports import AgendaStore
from ..repositories import catalog_admin
from ..repositories.catalog_admin import Versioned
from . import edits

FIELDS = {"name", "phone", "opening_hours", "booking_rules", "secret_code"}
RULE_LIMITS = {  # name: (lowest, highest)
    "slot_step_minutes": (5, 240), "min_notice_minutes": (0, 60 * 24 * 30), "horizon_days": (1, 730),
    "client_change_notice_hours": (0, 24 * 30), "check_in_margin_minutes": (0, 24 * 60),
}


def read(principal: Principal) -> Business:
    return catalog_admin.snapshot(principal.business_id).business.value


def update(principal: Principal, changes: dict, now: datetime, store: AgendaStore | None = None) -> Business:
    reject_unknown(changes, FIELDS)
    snap = catalog_admin.snapshot(principal.business_id)
    before = snap.business.value
    after = before
    if "name" in changes:
        after = replace(after, name=checked_text(changes["name"], "name", 120))
    if "phone" in changes:
        after = replace(after, phone=checked_phone(changes["phone"], "phone"))
    if "opening_hours" in changes:
        after = replace(after, opening_hours=WeeklyHours.from_json(changes["opening_hours"], field="opening_hours"))
    if "booking_rules" in changes:
        after = replace(after, rules=_rules(before.rules, changes["booking_rules"]))
    if "secret_code" in changes:
        after = replace(after, secret_code=checked_code(changes["secret_code"], "secret_code"))
    calendar = None
    if store is not None and after.opening_hours != before.opening_hours:  # wider hours: the waiting list is told
        catalog = store.catalog(principal.business_id)
        calendar = (with_change(catalog, before), with_change(catalog, after))
    edits.save(principal, [Versioned(after, snap.business.revision)], "business.update", "business", before.id,
               business_view(before), business_view(after), now, calendar)
    return after


def _rules(current: BookingRules, data: Any) -> BookingRules:
    if not isinstance(data, dict):
        raise ValidationError("booking rules must be an object", field="booking_rules", code="wrong_type")
    names = set(RULE_LIMITS) | {"approval", "total_availability", "client_changes", "show_desk"}
    reject_unknown(data, names, prefix="booking_rules.")
    values: dict[str, Any] = {}
    for name, (low, high) in RULE_LIMITS.items():
        if name in data:
            values[name] = checked_integer(data[name], f"booking_rules.{name}", low, high)
    if "slot_step_minutes" in values and values["slot_step_minutes"] % LOCK_UNIT_MINUTES:
        raise ValidationError(f"must be a multiple of {LOCK_UNIT_MINUTES} minutes",
                              field="booking_rules.slot_step_minutes")
    if "approval" in data:
        values["approval"] = checked_choice(Approval, data["approval"], "booking_rules.approval")
    if "client_changes" in data:
        values["client_changes"] = checked_choice(ClientChanges, data["client_changes"], "booking_rules.client_changes")
    for name in ("total_availability", "show_desk"):
        if name in data:
            if not isinstance(data[name], bool):
                raise ValidationError("must be true or false", field=f"booking_rules.{name}", code="wrong_type")
            values[name] = data[name]
    return replace(current, **values)
