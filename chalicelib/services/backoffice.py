"""What the team does with the agenda: book, move, hand over, cancel, approve, check in, and look at it.

Every write is composed by `agenda_changes`, the same as online bookings: lock units move with the appointment, so two staff can never put two appointments in one
professional's time unless one of them states a reason to override (the appointment is then booked
on top, `exclusive=False`, and the override is in the audit log).
"""
from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from ..domain import search
from ..domain.principal import Principal
from ..domain.booking import bookable_service, candidates, slots
from ..domain.calendar import UTC, local_instant
from ..domain.desks import ANY_DESK, Desk, compatible_desks, seated
from ..domain.audit import AuditEntry
from ..domain.clients import ClientProfile
from ..domain.model import Appointment, AppointmentStatus, Catalog, Service, Source, Staff, new_reference
from ..domain.transitions import Action, check_timing, next_status
from ..errors import ForbiddenError, NotFoundError, UnprocessableError, ValidationError
from ..repositories import search_index
from ..repositories.clients import ClientRepository, valid_id
from . import agenda_changes, audit, desk_places
from .clients import page_size, refuse_erased
from ..ports import AgendaStore
from ..domain import plans as plan_rules

if TYPE_CHECKING:
    from .plans import PlanBook

VIEWS = {"day", "week", "month"}
HIDDEN_BY_DEFAULT = {AppointmentStatus.CANCELLED, AppointmentStatus.REJECTED}


@dataclass(frozen=True)
class AppointmentView:
    """An appointment with what the backoffice shows beside it."""

    appointment: Appointment
    catalog: Catalog
    client: ClientProfile | None

    @property
    def service(self) -> Service | None:
        return self.catalog.service(self.appointment.service_id)

    @property
    def staff(self) -> Staff | None:
        return self.catalog.member(self.appointment.staff_id)


@dataclass(frozen=True)
class NewAppointment:
    client_id: str
    service_id: str
    staff_id: str
    start: datetime
    notes: str = ""
    override_reason: str | None = None
    past: bool = False  # the request says explicitly that it records an appointment that already began
    use_plan: bool = True  # hold a unit of the client's plan when one covers the service
    desk_id: str | None = None  # for a service that requires a desk: one named, else the free one with the lowest number


@dataclass(frozen=True)
class Agenda:
    catalog: Catalog
    first: date
    last: date
    staff: tuple[Staff, ...]
    appointments: list[AppointmentView]
    desks: tuple[Desk, ...] = ()  # the desks asked for, or every desk: a column each if the screen wants


# -- reading ----------------------------------------------------------------------------------------
def appointment(store: AgendaStore, clients: ClientRepository, principal: Principal, reference: str) -> AppointmentView:
    found = _readable(store, principal, reference)
    catalog = store.catalog(principal.business_id)
    return AppointmentView(found, catalog, clients.many(principal.business_id, [found.client_id]).get(found.client_id))


def agenda(store: AgendaStore, clients: ClientRepository, principal: Principal, view: str, day: date,
           staff_ids: list[str] | None, *, include_cancelled: bool = False,
           desk_ids: list[str] | None = None) -> Agenda:
    """A day, the week (Monday to Sunday) or the month around `day`, in the business's time zone,
    for the staff named (default: the people who take appointments among those the caller may see, see
    `_members`) and, when desks are named, only what takes one of them: one catalog and one agenda query."""
    if view not in VIEWS:
        raise ValidationError("the view is day, week or month", field="view", code="invalid_view")
    catalog = store.catalog(principal.business_id)
    members = _members(catalog, principal, staff_ids)
    desks = _desks(catalog, desk_ids)
    if view == "day":
        first = last = day
    elif view == "week":
        first = day - timedelta(days=day.weekday())
        last = first + timedelta(days=6)
    else:
        first = day.replace(day=1)
        last = day.replace(day=month_calendar.monthrange(day.year, day.month)[1])
    tz = catalog.business.tz
    start, end = local_instant(first, 0, tz), local_instant(last + timedelta(days=1), 0, tz)
    wanted = {m.id for m in members}
    found = [a for a in store.appointments_between(principal.business_id, start, end)
             if a.staff_id in wanted and a.start < end and start < a.end
             and (include_cancelled or a.status not in HIDDEN_BY_DEFAULT)
             and (not desk_ids or a.desk_id in {d.id for d in desks})]
    found.sort(key=lambda a: (a.start, a.staff_id, a.reference))
    if not staff_ids:
        booked = {a.staff_id for a in found}
        members = tuple(m for m in members if m.service_ids or m.id in booked)
    people = clients.many(principal.business_id, (a.client_id for a in found))
    return Agenda(catalog, first, last, members,
                  [AppointmentView(a, catalog, people.get(a.client_id)) for a in found], desks)


def _desks(catalog: Catalog, desk_ids: list[str] | None) -> tuple[Desk, ...]:
    """The desks named (each must exist), or every desk."""
    if not desk_ids:
        return catalog.desks
    wanted = list(dict.fromkeys(desk_ids))
    unknown = [d for d in wanted if catalog.desk(d) is None]
    if unknown:
        raise NotFoundError("no such desk", field="desk")
    return tuple(d for d in catalog.desks if d.id in wanted)


@dataclass(frozen=True)
class AppointmentPage:
    appointments: list[AppointmentView]
    cursor: str | None


def find(store: AgendaStore, clients: ClientRepository, principal: Principal, query: str | None,
         cursor: str | None, limit: int | None) -> AppointmentPage:
    """Appointments whose status, client (name, fiscal code, phone) or notes start with every word typed:
    one indexed query a page, then the appointments and their clients. Level 6 never matches a phone;
    an appointment the caller may not read (level 7: a colleague's) is left out of the page."""
    if not (query or "").strip():
        raise ValidationError("type a name, number or word to find appointments", field="q", code="required")
    asked = search.parse_query(query)
    after = search.resume_after(cursor, asked)
    references, last = search_index.find(principal.business_id, search.APPOINTMENTS, asked,
                                         contacts=principal.sees_contacts, after=after, limit=page_size(limit))
    found = search_index.appointments(principal.business_id, references)
    readable = [found[r] for r in references if r in found and principal.may_read_agenda_of(found[r].staff_id)]
    catalog = store.catalog(principal.business_id)
    people = clients.many(principal.business_id, (a.client_id for a in readable))
    return AppointmentPage([AppointmentView(a, catalog, people.get(a.client_id)) for a in readable],
                           search.encode_cursor({"q": list(asked.words), "after": last}) if last else None)


# -- writing ----------------------------------------------------------------------------------------
def create(store: AgendaStore, clients: ClientRepository, principal: Principal, request: NewAppointment,
           now: datetime, plans: "PlanBook | None" = None) -> AppointmentView:
    """Book from the backoffice: internal services too, any time inside the professional's hours
    (no online notice or horizon), confirmed at once. The client's plan covering the service (the one
    expiring soonest on the appointment's date) holds a unit, unless the request says not to."""
    catalog = store.catalog(principal.business_id)
    service = bookable_service(catalog, request.service_id, backoffice=True)
    member = candidates(catalog, service, request.staff_id)[0]
    _may_write(principal, member.id)
    client = clients.get(principal.business_id, request.client_id)
    refuse_erased(client)
    start = request.start.astimezone(UTC)
    _check_past(start, now, request.past)
    desks = _check_hours(catalog, service, member, start, now, request.desk_id)
    span, busy = service.occupies(start)
    hold = None
    if plans is not None and request.use_plan and catalog.sells_plans:
        tz = catalog.business.tz
        covered = plan_rules.coverage(plans.client_plans(principal.business_id, client.id), [service],
                                      plan_rules.local_day(start, tz)).covered
        if covered:
            hold = plan_rules.hold_for(covered[0], tz, catalog.business.rules.client_change_notice_hours * 60)
    desk_id = _desk(store, catalog, desks, busy, None, None)
    booked = seated(Appointment(
        reference=new_reference(), business_id=principal.business_id, client_id=client.id, service_id=service.id,
        staff_id=member.id, start=span.start, end=span.end, busy=busy, status=AppointmentStatus.CONFIRMED,
        source=Source.BACKOFFICE, price=service.price, currency=catalog.business.currency, created_at=now,
        updated_at=now, notes=request.notes, exclusive=request.override_reason is None, plan=hold,
        **searchable(client),
    ), catalog, desk_id)
    after = audit_view(booked)
    if request.override_reason:
        after["override_reason"] = request.override_reason
    agenda_changes.book(store, booked, by=principal.staff_id,
                        audit=_audit(principal, "appointment.create", None, after, booked, now))
    return AppointmentView(booked, catalog, client)


def reschedule(store: AgendaStore, clients: ClientRepository, principal: Principal, reference: str,
               start: datetime | None, staff_id: str | None, override_reason: str | None,
               now: datetime, desk_id: str | None = None) -> tuple[Appointment, AppointmentView]:
    """Move to another time, another professional, another desk, or any of them; the old time is freed
    in the same transaction that claims the new one. The desk stays unless it is not free then (or
    another is named). Returns (before, after)."""
    before = _writable(store, principal, reference)
    next_status(before.status, Action.MOVE)
    catalog = store.catalog(principal.business_id)
    service = catalog.service(before.service_id)
    if service is None:
        raise NotFoundError("this service no longer exists", field="service")
    member = candidates(catalog, service, staff_id or before.staff_id)[0]
    _may_write(principal, member.id)
    start = start.astimezone(UTC) if start else before.start
    if start == before.start and member.id == before.staff_id and desk_id in (None, before.desk_id):
        raise ValidationError("give a new start, a new professional, or both", field="start",
                              code="nothing_to_change")
    if start != before.start:
        _check_past(start, now, past=False)
    desks = _check_hours(catalog, service, member, start, now, desk_id)
    span, busy = service.occupies(start)
    desk = _desk(store, catalog, desks, busy, before, desk_id or before.desk_id)
    after = seated(replace(before, staff_id=member.id, start=span.start, end=span.end, busy=busy,
                           exclusive=override_reason is None, updated_at=now), catalog, desk)
    moved = audit_view(after)
    if override_reason:
        moved["override_reason"] = override_reason
    agenda_changes.change(store, before, after, by=principal.staff_id,
                          audit=_audit(principal, "appointment.reschedule", audit_view(before), moved, after, now))
    client = clients.many(principal.business_id, [after.client_id]).get(after.client_id)
    return before, AppointmentView(after, catalog, client)


def transition(store: AgendaStore, clients: ClientRepository, principal: Principal, reference: str,
               action: Action, reason: str | None, now: datetime) -> tuple[Appointment, AppointmentView]:
    """Approve, reject, cancel, check in, complete or mark a no-show, as the transition table allows.
    Returns (before, after)."""
    before = _writable(store, principal, reference)
    target = next_status(before.status, action)
    catalog = store.catalog(principal.business_id)
    check_timing(action, before.start, now, catalog.business.rules.check_in_margin_minutes)
    after = before.with_status(target, now)
    changed = audit_view(after)
    if reason:
        changed["reason"] = reason
    agenda_changes.change(store, before, after, by=principal.staff_id,
                          audit=_audit(principal, f"appointment.{action.value}", audit_view(before), changed,
                                       after, now))
    client = clients.many(principal.business_id, [after.client_id]).get(after.client_id)
    return before, AppointmentView(after, catalog, client)


# -- helpers ----------------------------------------------------------------------------------------
def searchable(client: ClientProfile) -> dict:
    """Whom an appointment is for, as the agenda search finds it (kept on the appointment)."""
    words, contacts = search.who(client.first_name, client.last_name, client.fiscal_code, client.phone,
                                 client.mobile)
    return {"client_words": words, "client_contacts": contacts}


def audit_view(appointment: Appointment) -> dict:
    """What the audit log keeps of an appointment; the change's own transaction writes the entry."""
    return {
        "status": appointment.status.value, "start": appointment.start.isoformat(), "end": appointment.end.isoformat(),
        "staff": appointment.staff_id, "service": appointment.service_id, "client": appointment.client_id,
        "exclusive": appointment.exclusive, "notes": appointment.notes,
        **({"desk": appointment.desk_id} if appointment.desk_id else {}),
    }


def _audit(principal: Principal, action: str, before: dict | None, after: dict, appointment: Appointment,
           now: datetime) -> AuditEntry:
    return audit.entry(principal, action, "appointment", appointment.reference, before, after, now)


def _readable(store: AgendaStore, principal: Principal, reference: str) -> Appointment:
    """The appointment, if it belongs to the caller's business and agenda scope; else 404."""
    try:
        if not valid_id(reference):
            raise NotFoundError("no such appointment", field="reference")
        found = store.appointment(reference)
    except NotFoundError:
        raise NotFoundError("no such appointment", field="reference") from None
    if found.business_id != principal.business_id or not principal.may_read_agenda_of(found.staff_id):
        raise NotFoundError("no such appointment", field="reference")
    return found


def _writable(store: AgendaStore, principal: Principal, reference: str) -> Appointment:
    found = _readable(store, principal, reference)
    _may_write(principal, found.staff_id)
    return found


def _may_write(principal: Principal, staff_id: str) -> None:
    if not principal.may_write_agenda_of(staff_id):
        raise ForbiddenError("you may change only your own agenda", field="staff", code="not_your_agenda")


def _members(catalog: Catalog, principal: Principal, staff_ids: list[str] | None) -> tuple[Staff, ...]:
    """Whom the caller asked for, or (none named) everyone they may see. The agenda then keeps as columns
    only those who take appointments: who perform a service, or have a booking in the range anyway (a
    service taken away later must not hide it). The owner and the front desk are not empty columns."""
    if not staff_ids:
        return tuple(m for m in catalog.staff if principal.may_read_agenda_of(m.id))
    members = []
    for staff_id in dict.fromkeys(staff_ids):
        member = catalog.member(staff_id)
        if member is None:
            raise NotFoundError("no such staff member", field="staff")
        if not principal.may_read_agenda_of(member.id):
            raise ForbiddenError("you may see only your own agenda", field="staff", code="not_your_agenda")
        members.append(member)
    return tuple(members)


def _check_past(start: datetime, now: datetime, past: bool) -> None:
    """A start already gone is recorded only when the request says so (`past`), and then it must be."""
    if start < now and not past:
        raise ValidationError('that time has already passed; to record a past appointment send "past": true',
                              field="start", code="start_in_past")
    if past and start >= now:
        raise ValidationError("a past appointment must start before now", field="past", code="not_in_past")


def _check_hours(catalog: Catalog, service: Service, member: Staff, start: datetime, now: datetime,
                 desk_id: str | None = None) -> tuple[str, ...]:
    """The start must fit the professional's hours and time off, and for a service that requires a desk
    the hours and holidays of an open desk that performs it (the availability engine decides, on the
    5-minute grid). Whether they are free is for the lock units to say, at write time.
    Returns the desks that work then, lowest number first."""
    day = start.astimezone(catalog.business.tz).date()
    if desk_id not in (None, ANY_DESK) and not service.requires_desk:
        raise ValidationError(f"{service.name} takes no desk", field="desk", code="no_desk_needed")
    desks = compatible_desks(catalog, service, desk_id) if service.requires_desk else None
    found = next((s for s in slots(catalog, service, [member], (), day, day, now, online=False, desks=desks)
                  if s.start == start), None)
    if found is None:
        if service.requires_desk and any(s.start == start for s in slots(
                catalog, replace(service, requires_desk=False), [member], (), day, day, now, online=False)):
            raise UnprocessableError("no desk for this service is open then", field="desk", code="no_desk_open")
        raise UnprocessableError(f"{member.name} does not work then, or the service does not fit",
                                 field="start", code="outside_hours")
    return found.desks


def _desk(store: AgendaStore, catalog: Catalog, desks: tuple[str, ...], busy, own: Appointment | None,
          keep: str | None) -> str | None:
    """The desk to take among those working then: the kept or named one if free, else the free one with the
    lowest number (if none is free, the transaction refuses it, unless booked on top). None when no desk
    is needed."""
    if not desks:
        return None
    return desk_places.desks_in_order(store, catalog, desks, busy, own=own, keep=keep)[0]


@dataclass(frozen=True)
class MonitorSlot:
    start: datetime
    bookings: list[AppointmentView]


def monitor(store: AgendaStore, clients: ClientRepository, principal: Principal, day: date,
            staff_ids: list[str] | None, desk_ids: list[str] | None = None) -> tuple[Agenda, int, list[MonitorSlot]]:
    """The day as the front desk plans it: every slot of the opening hours (and any slot a booking
    starts in outside them), each with the bookings that start in it; by staff and desk as asked."""
    day_agenda = agenda(store, clients, principal, "day", day, staff_ids, desk_ids=desk_ids)
    business = day_agenda.catalog.business
    step = business.rules.slot_step_minutes
    tz = business.tz
    hours = day_agenda.catalog.special_days.business_hours(day, business.opening_hours)  # a closure: none
    minutes = {m for begin, end in hours for m in range(begin - begin % step, end, step)}
    by_slot: dict[int, list[AppointmentView]] = {}
    for view in day_agenda.appointments:
        local = view.appointment.start.astimezone(tz)
        minute = local.hour * 60 + local.minute if local.date() == day else 0
        by_slot.setdefault(minute - minute % step, []).append(view)
    slots_ = [MonitorSlot(local_instant(day, m, tz), by_slot.get(m, [])) for m in sorted(minutes | set(by_slot))]
    return day_agenda, step, slots_
