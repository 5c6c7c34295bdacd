"""What staff and clients do with the waiting list: add a request, edit, cancel, list oldest first, convert
it into an appointment, and set how freed time is offered (services/openings.py offers it)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ..domain import search
from ..domain.booking import ANY
from ..domain.calendar import local_instant
from ..domain.contact import normal_email, normal_phone
from ..domain.fields import checked_choice, checked_date, checked_instant, checked_text, reject_unknown, storable_key
from ..domain.model import Catalog, Source
from ..domain.principal import Principal
from ..domain.service_sequence import sequence_of, service_ids_from
from ..domain.waitlist import (
    MAX_OPEN_ONLINE,
    Contact,
    RequestStatus,
    WaitlistRequest,
    check_editable,
    contact_keys,
    last_end,
    new_request_id,
    windows_from,
)
from ..domain.openings import OpeningStatus, Outcome
from ..domain.waitlist_settings import WaitlistSettings
from ..errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from ..ports import AgendaStore
from ..repositories import openings as opening_store
from ..repositories import waitlist as repository
from ..repositories.clients import ClientRepository
from . import audit, openings, waitlist_booking
from .clients import page_size

CLIENT = "client"
JOIN_ATTEMPTS = 3  # another join with the same email or phone landed meanwhile: count again
CREATE_FIELDS = {"client_id", "client", "services", "service", "staff", "windows", "notes"}
EDIT_FIELDS = {"services", "service", "staff", "windows", "notes"}
CLIENT_FIELDS = {"first_name", "last_name", "email", "phone"}


@dataclass(frozen=True)
class RequestPage:
    requests: list[WaitlistRequest]
    cursor: str | None


# -- staff ------------------------------------------------------------------------------------------------------
def create(store: AgendaStore, clients: ClientRepository, principal: Principal, body: dict,
           now: datetime) -> WaitlistRequest:
    """A request staff take (by phone, at the desk): an existing client (`client_id`) or new details."""
    reject_unknown(body, CREATE_FIELDS)
    catalog = store.catalog(principal.business_id)
    if body.get("client_id") is not None:
        if body.get("client") is not None:
            raise ValidationError("give client_id or client, not both", field="client", code="ambiguous")
        profile = clients.get(principal.business_id, checked_text(body["client_id"], "client_id", 40))
        contact = Contact(profile.first_name, profile.last_name, profile.email, profile.phone or profile.mobile,
                          client_id=profile.id)
    else:
        contact = contact_from(body.get("client"), "client")
    request = _new(catalog, contact, body, principal.staff_id, now, backoffice=True)
    repository.add(request)
    audit.record(audit.entry(principal, "waitlist.create", "waitlist_request", request.id, None,
                             audit_view(request), now))
    return request


def edit(store: AgendaStore, principal: Principal, request_id: str, body: dict, now: datetime) -> WaitlistRequest:
    """Change the service, professional, windows or notes of an open request."""
    reject_unknown(body, EDIT_FIELDS)
    before = repository.get(principal.business_id, request_id)
    check_editable(before, now)
    catalog = store.catalog(principal.business_id)
    services = {} if "service" in body or "services" in body else {"services": list(before.service_ids)}
    merged = {**services, "staff": before.staff_id, "windows": [w.to_json() for w in before.windows],
              "notes": before.notes, **body}
    shaped = _new(catalog, before.contact, merged, before.created_by, now, backoffice=True)
    after = before.changed(now, service_id=shaped.service_id, service_ids=shaped.service_ids, staff_id=shaped.staff_id,
                           windows=shaped.windows, notes=shaped.notes, expires_at=shaped.expires_at)
    repository.replace(before, after)
    audit.record(audit.entry(principal, "waitlist.update", "waitlist_request", before.id, audit_view(before),
                             audit_view(after), now))
    return after


def cancel(store: AgendaStore, principal: Principal, request_id: str, now: datetime) -> WaitlistRequest:
    """Take a request off the list; a time held for it goes to the next request at once."""
    before = repository.get(principal.business_id, request_id)
    check_editable(before, now)
    after = before.changed(now, status=RequestStatus.CANCELLED)
    repository.replace(before, after)
    audit.record(audit.entry(principal, "waitlist.cancel", "waitlist_request", before.id, audit_view(before),
                             audit_view(after), now))
    held = _holding(before)
    if held is not None:
        openings.advance(store, held, Outcome.DECLINED, now, who=before.id)
    return after


def view(principal: Principal, request_id: str) -> WaitlistRequest:
    return repository.get(principal.business_id, request_id)


def listing(store: AgendaStore, principal: Principal, params: dict[str, str], now: datetime,
            limit: int | None) -> RequestPage:
    """Oldest first, with filters: service (a request holding it, alone or in a sequence), staff, status, day (a window covers it), created_from/_to
    (dates) and q (words of the name, email, phone or notes). One Query a page."""
    reject_unknown(params, {"service", "staff", "status", "day", "created_from", "created_to", "q", "cursor", "limit"})
    filters: dict[str, Any] = {"service": params.get("service"), "staff": params.get("staff")}
    if params.get("status"):
        filters["status"] = checked_choice(RequestStatus, params["status"], "status")
    if params.get("day"):
        filters["day"] = checked_date(params["day"], "day")
    for name in ("created_from", "created_to"):
        if params.get(name):  # local days of the business (the catalog is read only for these)
            day = checked_date(params[name], name) + timedelta(days=name == "created_to")
            filters[name] = local_instant(day, 0, store.catalog(principal.business_id).business.tz)
    if params.get("q"):
        filters["words"] = search.words(checked_text(params["q"], "q", 100))[:5]
    cursor = params.get("cursor")
    if cursor is not None and not (storable_key(cursor) and cursor.startswith("wl_")):
        raise ValidationError("not a cursor this API returned", field="cursor", code="invalid_cursor")
    requests, last = repository.page(principal.business_id, filters, now, cursor, page_size(limit))
    return RequestPage(requests, last)


def convert(store: AgendaStore, principal: Principal, request_id: str, body: dict, now: datetime):
    """Book the request into a free time staff chose (`start`, `staff`): the same race-free booking as any
    other, one appointment per service back to back, the request marked `booked` in its transaction. A time
    the request holds is taken over; a freed time suggested to staff (manual mode: `offer`, the opening's id)
    is marked filled, for the figures."""
    reject_unknown(body, {"start", "staff", "offer"})
    request = repository.get(principal.business_id, request_id)
    start = checked_instant(body.get("start"), "start")
    staff_id = checked_text(body.get("staff", request.staff_id), "staff", 40)
    if staff_id == ANY:
        raise ValidationError("choose the professional", field="staff", code="required")
    if not principal.may_write_agenda_of(staff_id):
        raise ForbiddenError("you may change only your own agenda", field="staff", code="not_your_agenda")
    catalog = store.catalog(principal.business_id)
    held = _held_for(request, staff_id, start) or _suggested(request, body.get("offer"), staff_id, start)
    entry = audit.entry(principal, "waitlist.convert", "waitlist_request", request.id, audit_view(request),
                        {"status": "booked", "start": start.isoformat(), "staff": staff_id}, now)
    return waitlist_booking.book_all(store, catalog, request, staff_id, start, by=principal.staff_id,
                                     source=Source.BACKOFFICE, now=now, opening=held, audit=entry)


def settings(principal: Principal) -> WaitlistSettings:
    return repository.settings(principal.business_id)


def change_settings(principal: Principal, body: dict, now: datetime) -> WaitlistSettings:
    before = repository.settings(principal.business_id)
    after = WaitlistSettings.from_json(body, before)
    repository.save_settings(principal.business_id, after, now)
    audit.record(audit.entry(principal, "waitlist.settings", "waitlist_settings", principal.business_id,
                             before.to_json(), after.to_json(), now))
    return after


# -- the booking page ----------------------------------------------------------------------------------------
def takes_requests(store: AgendaStore, slug: str) -> bool:
    return repository.settings(store.business_id(slug)).public_join


def join(store: AgendaStore, slug: str, body: dict, now: datetime) -> WaitlistRequest:
    """"Tell me if something frees up": a client joins the list from the booking page, if the business
    lets them. Only services listed online; the client is matched by email or phone when booked. One email
    or phone may have at most MAX_OPEN_ONLINE open requests joined online (409 `too_many_open_requests`):
    counted in versioned items written with the request, so concurrent joins cannot pass it together."""
    reject_unknown(body, {"services", "service", "staff", "windows", "notes", "client"})
    catalog = store.catalog(store.business_id(slug))
    if not repository.settings(catalog.business.id).public_join:
        raise ForbiddenError("this business does not take waiting-list requests online", code="waitlist_closed")
    contact = contact_from(body.get("client"), "client")
    if not (contact.email or contact.phone):
        raise ValidationError("give an email or a phone number to be told", field="client.email", code="required")
    request = _new(catalog, contact, body, CLIENT, now, backoffice=False)
    keys = contact_keys(contact)
    for attempt in range(JOIN_ATTEMPTS):
        versions, joined = repository.joined_online(catalog.business.id, keys, now)
        still = {r.id: r.expires_at for r in joined if r.status_at(now).open}
        if len(still) >= MAX_OPEN_ONLINE:
            raise ConflictError(f"you are already waiting for {MAX_OPEN_ONLINE} times here; the business will "
                                "tell you when one frees up", field="client", code="too_many_open_requests")
        try:
            repository.add(request, repository.Counted(keys, versions, {**still, request.id: request.expires_at}))
            return request
        except ConflictError:
            if attempt + 1 == JOIN_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


# -- helpers ---------------------------------------------------------------------------------------------------
def _new(catalog: Catalog, contact: Contact, body: dict, by: str, now: datetime, *, backoffice: bool) -> WaitlistRequest:
    sequence = sequence_of(catalog, service_ids_from(body), backoffice=backoffice,
                           field="services" if body.get("services") is not None else "service")
    staff_id = checked_text(body.get("staff") or ANY, "staff", 40)
    sequence.candidates(catalog, staff_id)  # NotFoundError: nobody does them all, or not the one named
    tz = catalog.business.tz
    windows = windows_from(body.get("windows"), tz, now)
    notes = checked_text(body.get("notes"), "notes", 1000, required=False, multiline=True) or ""
    return WaitlistRequest(id=new_request_id(now), business_id=catalog.business.id, contact=contact,
                           service_id=sequence.ids[0], service_ids=sequence.ids, staff_id=staff_id,
                           windows=windows, created_by=by,
                           created_at=now, updated_at=now, expires_at=last_end(windows, tz), notes=notes)


def contact_from(data: Any, field: str) -> Contact:
    if not isinstance(data, dict):
        raise ValidationError("the client's details are required", field=field, code="required")
    reject_unknown(data, CLIENT_FIELDS, prefix=f"{field}.")
    email = checked_text(data.get("email"), f"{field}.email", 254, required=False)
    phone = checked_text(data.get("phone"), f"{field}.phone", 40, required=False)
    return Contact(first_name=checked_text(data.get("first_name"), f"{field}.first_name", 100),
                   last_name=checked_text(data.get("last_name"), f"{field}.last_name", 100, required=False) or "",
                   email=normal_email(email, field=f"{field}.email") if email else None,
                   phone=normal_phone(phone, field=f"{field}.phone") if phone else None)


def _held_for(request: WaitlistRequest, staff_id: str, start: datetime):
    """The opening whose hold this request has at exactly that time, if any (converting takes it over)."""
    found = _holding(request)
    return found if found is not None and found.staff_id == staff_id and found.start == start else None


def _suggested(request: WaitlistRequest, offer: Any, staff_id: str, start: datetime):
    """The open opening staff book this request into from its suggestion (`offer`), checked to be that time
    and to list the request; None when no offer is named."""
    if offer is None:
        return None
    found = opening_store.get(request.business_id, checked_text(offer, "offer", 40))
    if not (found.status in (OpeningStatus.SUGGESTED, OpeningStatus.OFFERED) and request.id in found.offered):
        raise ConflictError("this freed time is no longer offered to this request", field="offer",
                            code="offer_ended")
    if (found.staff_id, found.start) != (staff_id, start):
        raise ValidationError("the offer is for another time or professional", field="offer", code="not_offered")
    return found


def _holding(request: WaitlistRequest):
    """The opening held for this request right now, if any."""
    if request.status is not RequestStatus.OFFERED or not request.offers:
        return None
    try:
        found = opening_store.get(request.business_id, request.offers[-1]["opening"])
    except NotFoundError:
        return None
    return found if found.holder == request.id and found.status is OpeningStatus.HELD else None


def audit_view(request: WaitlistRequest) -> dict:
    return {"status": request.status.value, "services": list(request.service_ids), "staff": request.staff_id,
            "windows": [w.to_json() for w in request.windows], "notes": request.notes,
            "client": request.contact.client_id or request.contact.name}

