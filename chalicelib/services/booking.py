"""What a client does on the public booking page: look, pick a slot, book, come back to it."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from ..domain import access, search
from ..domain.agenda_change import LockUnit
from ..domain.booking import ANY, MAX_BUSY_MINUTES, MAX_RANGE_DAYS, bookable_service, candidates, lock_units, offer_for, slots_around
from ..domain.availability import Slot
from ..domain.desks import compatible_desks, seated
from ..domain.changes import check_client_may_change
from ..domain.calendar import local_instant
from ..domain.model import (
    Appointment,
    AppointmentStatus,
    Approval,
    Business,
    Catalog,
    Client,
    Service,
    Source,
    Staff,
    new_id,
    new_reference,
)
from ..errors import (
    ContactTakenError,
    ForbiddenError,
    NotFoundError,
    SlotUnavailableError,
    TooManyAttemptsError,
    ValidationError,
)
from ..domain import plans as plan_rules
from ..domain.plans import Coverage
from . import agenda_changes
from . import plans as plan_service
from .desk_places import desk_peek, free_first
from .plans import PlanBook
from ..ports import AgendaStore

ATTEMPTS = 3  # transactions tried before a booking gives up on a contended slot
PEEK_KEYS = 98  # one BatchGetItem reads 100 keys: two contact keys and the rest lock units
CLIENT = "client"  # who made a change, in its events, when it was the client online


@dataclass(frozen=True)
class ClientDetails:
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    notes: str = ""


@dataclass(frozen=True)
class BookingRequest:
    service_id: str
    staff_id: str  # a professional's id, or "any"
    start: datetime
    client: ClientDetails
    code: str | None = None
    desk_id: str | None = None  # a desk's id, or None / "any": the free one with the lowest number


@dataclass(frozen=True)
class Booking:
    """A stored appointment with the names a confirmation shows."""

    appointment: Appointment
    business: Business
    service: Service
    staff: Staff
    coverage: Coverage | None = None  # what the client's plans cover (new bookings of a business selling plans)
    catalog: Catalog | None = None  # where its desk's name is found

    @property
    def desk(self):
        return self.catalog.desk(self.appointment.desk_id) if self.catalog else None


def business(store: AgendaStore, slug: str) -> Business:
    return store.catalog(store.business_id(slug)).business


def public_services(store: AgendaStore, slug: str, code: str | None = None, address: str = "",
                    now: datetime | None = None) -> tuple[Business, list[Service]]:
    """The services listed online; with a code, only those someone it opens performs, so a client
    holding a personal code sees that professional's services and no dead end."""
    catalog, offered = public_catalog(store, slug)
    if not code:
        return catalog.business, offered
    opened = _open_to(store, catalog, catalog.staff, code, address, now)
    return catalog.business, [s for s in offered if any(m.performs(s.id) for m in opened)]


def public_catalog(store: AgendaStore, slug: str) -> tuple[Catalog, list[Service]]:
    """The catalog (whether the business sells plans included) and the services listed online."""
    catalog = store.catalog(store.business_id(slug))
    return catalog, [s for s in catalog.services if s.status.value == "active"]


def staff_for(store: AgendaStore, slug: str, service_id: str, code: str | None, address: str,
              now: datetime) -> list[Staff]:
    catalog = store.catalog(store.business_id(slug))
    service = bookable_service(catalog, service_id)
    return list(_open_candidates(store, catalog, service, ANY, code, address, now))


def availability(store: AgendaStore, slug: str, service_id: str, staff_id: str, first: date, last: date,
                 code: str | None, address: str, now: datetime, desk_id: str | None = None) -> tuple[Catalog, list[Slot]]:
    """Free slots over at most 31 local days: one catalog query and one query of the busy days (the
    desks' busy time included, whatever the number of desks). The catalog comes back too: its special
    days say which of the days are closed, and why."""
    if last < first:
        raise ValidationError("'to' must not be before 'from'", field="to")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise ValidationError(f"at most {MAX_RANGE_DAYS} days at a time", field="to", code="range_too_long")
    catalog = store.catalog(store.business_id(slug))
    service = bookable_service(catalog, service_id)
    staff = _open_candidates(store, catalog, service, staff_id, code, address, now)
    tz = catalog.business.tz
    # a slot late on the last day may run past midnight: what is booked just after it counts too
    busy = store.busy_between(catalog.business.id, local_instant(first, 0, tz),
                              local_instant(last, 24 * 60, tz) + timedelta(minutes=MAX_BUSY_MINUTES))
    desks = compatible_desks(catalog, service, desk_id) if service.requires_desk else None
    return catalog, slots_around(catalog, service, staff, busy, first, last, now, desks=desks)


def book(store: AgendaStore, slug: str, request: BookingRequest, address: str, now: datetime,
         plans: PlanBook | None = None) -> Booking:
    """Book online. The database refuses a taken slot, so the checks here only pick a good candidate.

    Reads: the catalog, then one consistent batch of the client's contact keys and the candidate
    professionals' lock units; then one transaction (another only if a race was lost). A business that sells
    plans reads the booker's plans too, and the plan unit that covers the service is held in that transaction.
    """
    catalog = store.catalog(store.business_id(slug))
    business = catalog.business
    service = bookable_service(catalog, request.service_id)
    staff = _open_candidates(store, catalog, service, request.staff_id, request.code, address, now)
    desks = compatible_desks(catalog, service, request.desk_id) if service.requires_desk else None
    offer = offer_for(catalog, service, staff, request.start, now, desks)
    appointment_span, busy = service.occupies(request.start)
    exclusive = not business.rules.total_availability
    coverage, hold, merge_rows = _plan_hold(plans, catalog, service, request, now)
    for _ in range(ATTEMPTS):
        peek = _peek(catalog, offer, busy) if exclusive else []
        client_id, held = store.contacts_and_locks(business.id, request.client.email, request.client.phone, peek)
        busy_staff = {unit.resource_id for unit in held if unit.resource_kind == "staff"}
        free = [member for member in offer.staff_ids if member not in busy_staff]
        places = free_first(catalog, offer.desk_ids, held, only_free=exclusive)
        if not free or (service.requires_desk and not places):
            raise SlotUnavailableError("that time is no longer available", field="start")
        new_client = None if client_id else _new_client(request.client)
        status = AppointmentStatus.PENDING if business.rules.approval == Approval.MANUAL else AppointmentStatus.CONFIRMED
        for member in free[:ATTEMPTS]:
            appointment = seated(Appointment(
                reference=new_reference(), business_id=business.id, client_id=client_id or new_client.id,
                service_id=service.id, staff_id=member, start=appointment_span.start, end=appointment_span.end,
                busy=busy, status=status, source=Source.ONLINE, price=service.price, currency=business.currency,
                created_at=now, updated_at=now, notes=request.client.notes, exclusive=exclusive,
                plan=hold, **_searchable(request.client),
            ), catalog, places[0] if places else None)
            try:
                agenda_changes.book(store, appointment, by=CLIENT, new_client=new_client,
                                    records=merge_rows(appointment.reference))
            except SlotUnavailableError:
                continue
            except ContactTakenError:
                break  # someone registered this client a moment ago: read again and retry
            return Booking(appointment, business, service, catalog.member(member), coverage, catalog)
        else:
            raise SlotUnavailableError("that time is no longer available", field="start")
    raise SlotUnavailableError("that time is no longer available", field="start")


def _plan_hold(plans: PlanBook | None, catalog: Catalog, service: Service, request: BookingRequest, now: datetime):
    """(coverage, the unit to hold or None, the merge task to leave when the booker is two client records)."""
    if plans is None:
        return None, None, lambda reference: ()
    coverage, client_ids = plan_service.coverage_for(plans, catalog, request.client.email, request.client.phone,
                                                     [service], request.start)
    business = catalog.business
    hold = None
    if coverage.covered:
        hold = plan_rules.hold_for(coverage.covered[0], business.tz, business.rules.client_change_notice_hours * 60)

    def merge_rows(reference: str) -> tuple:
        if not coverage.duplicate_client:
            return ()
        return (plan_rules.MergeTask(business.id, tuple(client_ids), reference, now),)

    return (coverage if catalog.sells_plans else None), hold, merge_rows


def booking_for_holder(store: AgendaStore, reference: str, token: str | None, key: bytes) -> Booking:
    """The booking behind a manage link; anyone without the right token learns nothing."""
    if not access.holds_token(key, reference, token):
        raise NotFoundError("no such booking", field="reference")
    appointment = store.appointment(reference)
    catalog = store.catalog(appointment.business_id)
    service, member = catalog.service(appointment.service_id), catalog.member(appointment.staff_id)
    return Booking(appointment, catalog.business, service, member, catalog)


def booked_client(store: AgendaStore, booking: Booking) -> Client | None:
    """Who the booking is for, as the manage page shows them back (None if the record is gone)."""
    try:
        return store.client(booking.business.id, booking.appointment.client_id)
    except NotFoundError:
        return None


def cancel_by_client(store: AgendaStore, reference: str, token: str | None, key: bytes, now: datetime) -> Booking:
    """Cancel from the manage link, within the business's policy; the time is free at once."""
    booking = booking_for_holder(store, reference, token, key)
    check_client_may_change(booking.business, booking.appointment, now)
    cancelled = booking.appointment.with_status(AppointmentStatus.CANCELLED, now)
    agenda_changes.change(store, booking.appointment, cancelled, by=CLIENT)
    return replace(booking, appointment=cancelled)


def reschedule_by_client(store: AgendaStore, reference: str, token: str | None, key: bytes, start: datetime,
                         staff_id: str | None, now: datetime) -> Booking:
    """Move a booking to another free slot, with the same availability rules and locks as a new one.

    The same professional unless the client names another (or "any"); the old time is released in
    the same transaction that claims the new one.
    """
    booking = booking_for_holder(store, reference, token, key)
    before = booking.appointment
    check_client_may_change(booking.business, before, now)
    catalog = store.catalog(before.business_id)
    service = catalog.service(before.service_id)
    if service is None:
        raise NotFoundError("this service is no longer offered", field="service")
    staff = candidates(catalog, service, staff_id or before.staff_id)
    offer = offer_for(catalog, service, staff, start, now)
    span, busy = service.occupies(start)
    places = [None]
    if service.requires_desk:  # its own desk if still free then, else the free one with the lowest number
        _, held = store.contacts_and_locks(before.business_id, None, None, desk_peek(catalog, offer.desk_ids, busy))
        places = free_first(catalog, offer.desk_ids, held, own=before, keep=before.desk_id)[:ATTEMPTS]
    for member, desk in [(m, d) for d in places for m in offer.staff_ids][:ATTEMPTS * 2]:
        after = seated(replace(before, staff_id=member, start=span.start, end=span.end, busy=busy, updated_at=now),
                       catalog, desk)
        try:
            agenda_changes.change(store, before, after, by=CLIENT)
        except SlotUnavailableError:
            continue
        return Booking(after, catalog.business, service, catalog.member(member), catalog)
    raise SlotUnavailableError("that time is no longer available", field="start")


def _open_candidates(store: AgendaStore, catalog: Catalog, service: Service, staff_id: str,
                     code: str | None, address: str, now: datetime) -> tuple[Staff, ...]:
    """Candidates for the service that the client's code (if any) lets them book."""
    return _open_to(store, catalog, candidates(catalog, service, staff_id), code, address, now)


def _open_to(store: AgendaStore, catalog: Catalog, chosen: tuple[Staff, ...], code: str | None, address: str,
             now: datetime) -> tuple[Staff, ...]:
    """Which of `chosen` the client's code (if any) opens, with the throttle on wrong codes: five
    within fifteen minutes from one address, and the next answer is 429."""
    business = catalog.business
    if not code or not any(access.is_locked(business, m) for m in chosen):
        return access.open_to(business, catalog.staff, chosen, code)
    at = now.timestamp()
    recent = store.recent_code_failures(business.id, address, at - access.CODE_WINDOW_SECONDS)
    if len(recent) >= access.MAX_WRONG_CODES:
        retry = int(min(recent) + access.CODE_WINDOW_SECONDS - at) + 1
        raise TooManyAttemptsError("too many wrong codes; try again later", field="code", retry_after=retry)
    try:
        return access.open_to(business, catalog.staff, chosen, code)
    except ForbiddenError as error:
        if error.code == "invalid_code":
            store.save_code_failures(business.id, address, recent + [at], access.CODE_WINDOW_SECONDS)
        raise


def _peek(catalog: Catalog, offer, busy) -> list[LockUnit]:
    """The lock units worth reading before booking: as many candidates as one batch read holds (with a
    desk, half of it for the desks and their operators)."""
    units = lock_units(busy)
    room = PEEK_KEYS // max(len(units), 1)
    if offer.desk_ids:
        room = max(1, room // 2)
    staff = [LockUnit("staff", member, unit) for member in offer.staff_ids[:room] for unit in units]
    return staff + desk_peek(catalog, offer.desk_ids, busy, PEEK_KEYS - len(staff))



def _searchable(details: ClientDetails) -> dict:
    """Whom the appointment is for, as the backoffice's search finds it: the details typed (a returning
    client's stored record is not read on the booking path; staff own it)."""
    words, contacts = search.who(details.first_name, details.last_name, None, details.phone, None)
    return {"client_words": words, "client_contacts": contacts}


def _new_client(details: ClientDetails) -> Client:
    return Client(id=new_id("cli"), first_name=details.first_name, last_name=details.last_name,
                  email=details.email, phone=details.phone, notes="")
