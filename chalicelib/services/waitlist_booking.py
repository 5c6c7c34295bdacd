"""A waiting-list request becomes an appointment (one per service, back to back, when it asks for several):
the ordinary booking (services/agenda_changes.py, one transaction with the lock units) with the request marked `booked` in that same transaction, and, for an
accepted offer, the opening marked filled and its hold taken over. Nothing is half written: if the time is
taken, or the request or opening moved on meanwhile, nothing is."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from ..domain import search
from ..domain.agenda_change import Expected
from ..domain.audit import AuditEntry
from ..domain.booking import slots
from ..domain.calendar import UTC, Interval
from ..domain.desks import seated
from ..domain.model import Appointment, AppointmentStatus, Catalog, Client, Source, new_id, new_reference
from ..domain.openings import Opening, OpeningStatus, Outcome, answered, left_over
from ..domain.service_sequence import sequence_of
from ..domain.waitlist import ClientRequest, RequestStatus, WaitlistRequest, check_editable
from ..errors import ContactTakenError, SlotUnavailableError, UnprocessableError, ValidationError
from ..ports import AgendaStore
from . import agenda_changes
from .desk_places import desks_in_order

ATTEMPTS = 2  # a new client's contact registered meanwhile: read again once


def book(store: AgendaStore, catalog: Catalog, request: WaitlistRequest, staff_id: str, start: datetime, *,
         by: str, source: Source, now: datetime, opening: Opening | None = None,
         audit: AuditEntry | None = None) -> Appointment:
    """Book `request` at `start` with `staff_id`: its (first) appointment (`book_all`)."""
    return book_all(store, catalog, request, staff_id, start, by=by, source=source, now=now, opening=opening,
                    audit=audit)[0]


def book_all(store: AgendaStore, catalog: Catalog, request: WaitlistRequest, staff_id: str, start: datetime, *,
             by: str, source: Source, now: datetime, opening: Opening | None = None,
             audit: AuditEntry | None = None) -> tuple[Appointment, ...]:
    """Book `request` at `start` with `staff_id` (who must do every service and work then; whether they are
    free is for the lock units to say): one appointment per service, back to back, in one transaction.
    SlotUnavailableError: taken; ConflictError `changed_meanwhile`: the request or the opening changed
    since they were read."""
    check_editable(request, now)
    sequence = sequence_of(catalog, request.service_ids, backoffice=True)
    service = sequence.as_service()
    member = sequence.candidates(catalog, staff_id)[0]
    if not request.wants(member.id):
        raise ValidationError("the client asked for another professional", field="staff", code="not_wished")
    start = start.astimezone(UTC)
    if start <= now:
        raise ValidationError("that time has already passed", field="start", code="start_in_past")
    day = start.astimezone(catalog.business.tz).date()
    free = slots(catalog, service, [member], (), day, day, now, online=False, desks=sequence.desks(catalog))
    slot = next((s for s in free if s.start == start), None)
    if slot is None:
        raise UnprocessableError(f"{member.name} does not work then, or the service does not fit",
                                 field="start", code="outside_hours")
    parts = sequence.parts(start)
    # a service that needs a desk takes one as a booking does (the free one with the lowest number), so its
    # lock units are claimed in the same transaction: the desk's time is never given twice; a held offer
    # takes the desk its hold keeps (its units are the hold's to take over: repositories/holds.py)
    desks = [held] if (held := _held_desk(opening, slot.desks)) else desks_in_order(
        store, catalog, slot.desks, Interval(parts[0].busy.start, parts[-1].busy.end), only_free=True)
    if service.requires_desk and not desks:
        raise SlotUnavailableError("every desk for this service is taken then", field="start")
    contact = request.contact
    for attempt in range(ATTEMPTS):
        client_id, new_client = _client(store, request)
        words, contacts = search.who(contact.first_name, contact.last_name, None, contact.phone, None)
        appointments = tuple(seated(Appointment(
            reference=new_reference(), business_id=request.business_id, client_id=client_id,
            service_id=part.service.id, staff_id=member.id, start=part.span.start, end=part.span.end,
            busy=part.busy, status=AppointmentStatus.CONFIRMED, source=source, price=part.service.price,
            currency=catalog.business.currency, created_at=now, updated_at=now,
            notes=request.notes if n == 0 else "", client_words=words, client_contacts=contacts,
        ), catalog, desks[0] if part.service.requires_desk else None) for n, part in enumerate(parts))
        reference = appointments[0].reference
        # a request joined with details becomes the client's: their record points at it (export, erasure)
        named = replace(contact, client_id=client_id)
        records = () if contact.client_id else (ClientRequest(request.business_id, client_id, request.id),)
        if opening is not None and opening.status is OpeningStatus.HELD:  # what the hold kept and no part takes
            records += left_over(opening, appointments)
        booked = request.changed(now, status=RequestStatus.BOOKED, reference=reference, contact=named)
        if opening is not None:
            booked = booked.with_outcome(opening.id, opening.round if opening.holder == request.id else 0,
                                         Outcome.ACCEPTED.value, now, RequestStatus.BOOKED, reference)
        expected = [Expected(booked, "updated_at", request.updated_at)]
        if opening is not None:
            filled = replace(answered(opening, request.id, Outcome.ACCEPTED, now), status=OpeningStatus.FILLED,
                             reference=reference, filled_at=now, holder=None, held_until=None)
            expected.append(Expected(filled, "updated_at", opening.updated_at))
        try:
            agenda_changes.book_all(store, appointments, by=by, new_client=new_client, audit=audit,
                                    expected=tuple(expected), hold=opening.id if opening is not None else None,
                                    records=records)
        except ContactTakenError:
            if attempt + 1 == ATTEMPTS:
                raise
            continue
        return appointments
    raise AssertionError("unreachable")


def _held_desk(opening: Opening | None, working: tuple[str, ...]) -> str | None:
    """The desk an opening's hold keeps, while it may still be taken over (held, its desk still working then)."""
    if opening is None or opening.status is not OpeningStatus.HELD or opening.desk_id not in working:
        return None
    return opening.desk_id


def _client(store: AgendaStore, request: WaitlistRequest) -> tuple[str, Client | None]:
    """The request's client: the one staff chose, else the one known by its email or phone (as a booking
    matches them), else a new client registered with the appointment."""
    contact = request.contact
    if contact.client_id:
        return contact.client_id, None
    client_id, _ = store.contacts_and_locks(request.business_id, contact.email, contact.phone, ())
    if client_id:
        return client_id, None
    new = Client(id=new_id("cli"), first_name=contact.first_name, last_name=contact.last_name,
                 email=contact.email, phone=contact.phone)
    return new.id, new
