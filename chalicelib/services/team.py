"""The team from the backoffice: staff profiles, weekly hours, breaks, time off, the services each
performs and their personal codes. Logins and levels are services/staff_access.py and invitations.py."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from ..domain.calendar import UTC, Interval, WeeklyHours, subtract
from ..domain.contact import normal_email
from ..domain.fields import (
    checked_code, checked_entries, checked_ids, checked_instant, checked_phone, checked_text, reject_unknown,
)
from ..domain.covering import Covering
from ..domain.freed_time import with_change
from ..domain.model import ResourceRef, Staff, new_id
from ..domain.principal import Level, Principal
from ..domain.views import staff_view
from ..errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from ..repositories import accounts, catalog_admin
from ..repositories.accounts import Account
from ..repositories.catalog_admin import CatalogSnapshot, Versioned
from ..ports import AgendaStore
from . import covering, edits
from .covering import ClientNames

FIELDS = {"name", "email", "phone", "hours", "breaks", "time_off", "services", "secret_code", "on_conflict"}
MAX_TIME_OFF = 100


@dataclass(frozen=True)
class Member:
    """A staff member as the backoffice shows them: profile and, if they have one, their login."""

    staff: Staff
    account: Account | None
    cancelled: tuple[dict, ...] = ()  # appointments new time off cancelled (on_conflict "cancel")


def members(principal: Principal) -> list[Member]:
    snap = catalog_admin.snapshot(principal.business_id)
    logins = accounts.of_business(principal.business_id)
    return [Member(v.value, logins.get(v.value.id)) for v in sorted(snap.staff.values(), key=lambda v: v.value.name)]


def member(principal: Principal, staff_id: str) -> Member:
    found = catalog_admin.staff_member(principal.business_id, staff_id).value
    return Member(found, accounts.of_staff(principal.business_id, staff_id))


def add_member(principal: Principal, data: dict, now: datetime) -> Member:
    reject_unknown(data, FIELDS)
    if "name" not in data:
        raise ValidationError("this field is required", field="name", code="required")
    snap = catalog_admin.snapshot(principal.business_id)
    draft = Staff(id=new_id("stf"), name="", service_ids=frozenset(), hours=WeeklyHours())
    after = apply_profile(snap, draft, data)
    check_email_free(principal.business_id, snap, after.email, except_staff=None)
    edits.save(principal, [Versioned(after, None)], "staff.create", "staff", after.id, None, staff_view(after), now)
    return Member(after, None)


def update_member(principal: Principal, staff_id: str, data: dict, now: datetime,
                  agenda: tuple[AgendaStore, ClientNames] | None = None) -> Member:
    """Edit a profile. New time off that covers live appointments is refused with their list (409
    `appointments_affected`) unless `on_conflict` says what to do with them, as for closures
    (services/covering.py); `agenda` is what that check reads and cancels through."""
    reject_unknown(data, FIELDS)
    choice = covering.checked_choice(data.get("on_conflict"))
    snap = catalog_admin.snapshot(principal.business_id)
    if staff_id not in snap.staff:
        raise NotFoundError("no such staff member", field="staff")
    login = accounts.of_staff(principal.business_id, staff_id)
    check_may_manage(principal, login)
    record = snap.staff[staff_id]
    after = apply_profile(snap, record.value, data)
    if after.email != record.value.email:
        if login is not None:
            raise ConflictError("this staff member signs in with their email: it cannot change here",
                                field="email", code="email_is_login")
        check_email_free(principal.business_id, snap, after.email, except_staff=staff_id)
    calendar = None
    if agenda is not None and (after.hours, after.time_off) != (record.value.hours, record.value.time_off):
        catalog = agenda[0].catalog(principal.business_id)  # the time it gives back goes to the waiting list
        calendar = (with_change(catalog, record.value), with_change(catalog, after))

    def save() -> None:
        edits.save(principal, [Versioned(after, record.revision)], "staff.update", "staff", staff_id,
                   staff_view(record.value), staff_view(after), now, calendar)

    def undo() -> None:  # the time off stored a moment ago, taken back (its revision is the next one)
        edits.save(principal, [Versioned(record.value, (record.revision or 0) + 1)], "staff.update", "staff",
                   staff_id, staff_view(after), staff_view(record.value), now)

    added = tuple(p for p in after.time_off if p not in record.value.time_off)
    if agenda is None or not added:
        save()
        return Member(after, login)
    cover = Covering(added, frozenset({ResourceRef("staff", staff_id)}))
    cancelled = covering.settle(agenda[0], agenda[1], principal, cover, choice, now,
                                reason=f"time off: {after.name}", save=save, undo=undo)
    return Member(after, login, tuple(cancelled))


def apply_profile(snap: CatalogSnapshot, current: Staff, data: dict) -> Staff:
    """`current` with the submitted profile fields applied (checked; services must exist)."""
    after = current
    if "name" in data:
        after = replace(after, name=checked_text(data["name"], "name", 120))
    if "email" in data:
        after = replace(after, email=normal_email(data["email"], field="email") if data["email"] else None)
    if "phone" in data:
        after = replace(after, phone=checked_phone(data["phone"], "phone"))
    if "hours" in data or "breaks" in data:
        hours = WeeklyHours.from_json(data["hours"], field="hours") if "hours" in data else after.hours
        if data.get("breaks") is not None:
            hours = subtract(hours, WeeklyHours.from_json(data["breaks"], field="breaks"))
        after = replace(after, hours=hours)
    if "time_off" in data:
        after = replace(after, time_off=_time_off(data["time_off"]))
    if "services" in data:
        wanted = set(checked_ids(data["services"], "services"))
        if wanted - set(snap.services):
            raise NotFoundError("no such service", field="services")
        after = replace(after, service_ids=frozenset(wanted))
    if "secret_code" in data:
        after = replace(after, secret_code=checked_code(data["secret_code"], "secret_code"))
    return after


def check_may_manage(principal: Principal, login: Account | None) -> None:
    """Managers run the team, but administrators are only changed by administrators."""
    if login is not None and login.level == Level.ADMIN and not principal.is_admin:
        raise ForbiddenError("only an administrator can change an administrator", code="administrators_only")


def check_email_free(business_id: str, snap: CatalogSnapshot, email: str | None, except_staff: str | None) -> None:
    """One email is one person: not another profile's, nor another login's (of this business)."""
    if not email:
        return
    taken = {v.value.email for k, v in snap.staff.items() if k != except_staff and v.value.email}
    taken |= {a.email for a in accounts.of_business(business_id).values() if a.staff_id != except_staff}
    if email in taken:
        raise ConflictError("another staff member already uses this email", field="email", code="email_taken")


def _time_off(data: Any) -> tuple[Interval, ...]:
    periods = []
    for where, entry in checked_entries(data, "time_off", MAX_TIME_OFF, {"start", "end"}, "{start, end}"):
        start = checked_instant(entry.get("start"), f"{where}.start").astimezone(UTC)
        end = checked_instant(entry.get("end"), f"{where}.end").astimezone(UTC)
        if end <= start:
            raise ValidationError("a period must end after it starts", field=f"{where}.end")
        periods.append(Interval(start, end))
    return tuple(sorted(periods))
