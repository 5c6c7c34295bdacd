"""Freed time offered to the waiting list (domain/openings.py): found from the `time_freed` event, held
one request at a time, accepted or declined from the offer's link, passed on by the release job."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Callable

from ..domain.booking import MAX_BUSY_MINUTES, slots_around
from ..domain.calendar import Interval, local_instant
from ..domain.events import Event
from ..domain.desks import DESK, seated
from ..domain.model import Catalog, ResourceRef, Service, Source
from ..domain.offer_messages import step_messages
from ..domain.service_sequence import sequence_of
from ..domain.openings import (
    FillFigures,
    Opening,
    OpeningStatus,
    Outcome,
    answered,
    at_desk,
    figures,
    holds_offer_token,
    next_step,
    opening_id,
)
from ..domain.waitlist import RequestStatus, WaitlistRequest
from ..errors import ConflictError, NotFoundError, SlotUnavailableError, TurnoError, UnprocessableError, ValidationError
from ..ports import AgendaStore
from ..repositories import openings as repository
from ..repositories import waitlist as requests_store
from . import waitlist_booking
from .desk_places import desks_in_order

MAX_TOLD = 20  # requests told at once (everyone, fallback): each is a row of the opening's transaction
CLIENT = "client"


# -- time frees up ---------------------------------------------------------------------------------------------
def on_time_freed(store: AgendaStore, event: Event, now: datetime) -> Opening | None:
    """The oldest waiting request the freed time suits gets it, as the business's mode says. Reads: the
    waiting list's settings, the open requests from the freed time on (one index query), and only when one
    may fit, the catalog and the busy days around it. Idempotent: a redelivered event makes the same
    opening, which already exists."""
    if event.resource is None or event.interval is None or event.resource.kind not in ("staff", DESK) \
            or event.interval.end <= now:
        return None
    business_id, freed = event.business_id, event.resource
    waiting = [r for r in requests_store.open_from(business_id, max(event.interval.start, now))
               if r.status_at(now) is RequestStatus.WAITING and (freed.kind == DESK or r.wants(freed.id))]
    if not waiting:
        return None
    catalog = store.catalog(business_id)
    members = catalog.staff if freed.kind == DESK else tuple(m for m in catalog.staff if m.id == freed.id)
    if not members:
        return None
    busy = store.busy_between(business_id, event.interval.start - timedelta(minutes=MAX_BUSY_MINUTES),
                              event.interval.end + timedelta(minutes=MAX_BUSY_MINUTES))
    fit = _first_fit(catalog, waiting, members, freed, event.interval, busy, now, _free_desk(store, catalog, freed))
    if fit is None:
        return None
    service, staff_id, span, desk_id = fit
    settings = requests_store.settings(business_id)
    _, busy_span = service.occupies(span.start)
    opening = Opening(id=opening_id(event), business_id=business_id, service_id=service.id, staff_id=staff_id,
                      start=span.start, end=span.end, busy=busy_span, mode=settings.mode,
                      status=OpeningStatus.SUGGESTED, created_at=now, updated_at=now, freed_by=event.reference)
    seat = seated(opening.as_appointment(), catalog, desk_id)  # the desk's operator too, as a booking's
    opening = at_desk(opening, seat.desk_id, seat.operator_id)
    try:
        repository.get(business_id, opening.id)
        return None  # this event was handled before
    except NotFoundError:
        pass
    matches = _matches(waiting, catalog, opening)
    after = next_step(opening, [r.id for r in matches], settings, now)
    try:
        repository.write(None, after, _told(matches, after, now),
                         step_messages(None, after, {r.id: r for r in matches}, None, now))
    except (SlotUnavailableError, ConflictError):
        return None  # booked meanwhile, or this event's opening written by a concurrent delivery
    return after


def _first_fit(catalog: Catalog, waiting: list[WaitlistRequest], members, resource: ResourceRef, freed: Interval,
               busy, now: datetime, free_desk: Callable[[tuple[str, ...], Interval], str | None],
               ) -> tuple[Service, str, Interval, str | None] | None:
    """The oldest request with a free start (the engine's answer, online rules) whose busy time uses the
    freed time of `resource` (a professional's; or a desk's, with whoever may work there) and whose
    appointment lies in one of its windows: its service, professional, time and, when the service needs
    one, the desk `free_desk` picks among the slot's (none free: that start does not fit)."""
    tz = catalog.business.tz
    days = sorted({freed.start.astimezone(tz).date(), freed.end.astimezone(tz).date()})
    for request in waiting:
        try:  # several services: one block of their whole length (domain/service_sequence.py)
            sequence = sequence_of(catalog, request.service_ids, backoffice=True)
        except (NotFoundError, UnprocessableError):
            continue
        service, desks = sequence.as_service(), sequence.desks(catalog)
        if resource.kind == DESK and not service.requires_desk:
            continue
        fits = []
        for member in members:
            if not (sequence.performed_by(member) and request.wants(member.id)):
                continue
            for slot in slots_around(catalog, service, [member], busy, days[0], days[-1], now, desks=desks):
                span, busy_span = service.occupies(slot.start)
                if busy_span.overlaps(freed) and request.covers(span, tz) \
                        and (resource.kind != DESK or resource.id in slot.desks):
                    # the freed time itself first (a start inside it, earliest), so no small gaps are left
                    fits.append((not freed.contains(busy_span), slot.start < freed.start, slot.start, member.id, span,
                                 slot.desks, busy_span))
        for fit in sorted(fits, key=lambda f: f[:4]):
            desk_id = free_desk(fit[5], fit[6]) if service.requires_desk else None
            if desk_id is not None or not service.requires_desk:
                return service, fit[3], fit[4], desk_id
    return None


def _free_desk(store: AgendaStore, catalog: Catalog, freed: ResourceRef):
    """The desk a hold keeps, chosen as a booking chooses (services/desk_places.py): the free one first in
    the business's order, the freed desk itself first when a desk's time was freed; None if none is free."""
    keep = freed.id if freed.kind == DESK else None

    def pick(desk_ids: tuple[str, ...], busy: Interval) -> str | None:
        found = desks_in_order(store, catalog, desk_ids, busy, keep=keep, only_free=True)
        return found[0] if found else None
    return pick


def _matches(waiting: list[WaitlistRequest], catalog: Catalog, opening: Opening) -> list[WaitlistRequest]:
    """Requests this opening suits, oldest first: same service (or sequence of services), that professional or
    anyone, a window covering it."""
    tz = catalog.business.tz
    return [r for r in waiting if r.services_key == opening.service_id and r.wants(opening.staff_id)
            and r.covers(opening.span, tz)][:MAX_TOLD]


def _entry(opening: Opening, round_: int, now: datetime) -> dict:
    return {"opening": opening.id, "round": round_, "start": opening.start.isoformat(), "staff": opening.staff_id,
            "service": opening.service_id, "at": now.isoformat(), "outcome": None, "answered_at": None,
            "held_until": opening.held_until.isoformat() if opening.held_until else None}


def _told(requests: list[WaitlistRequest], after: Opening, now: datetime,
          told_before: set[str] = frozenset()) -> list[tuple[WaitlistRequest, WaitlistRequest]]:
    """The requests an opening's new step offers the time to, with the offer in their history."""
    changes = []
    for request in requests:
        if after.status is OpeningStatus.HELD and request.id == after.holder:
            changes.append((request, request.with_offer(_entry(after, after.round, now), now, RequestStatus.OFFERED)))
        elif after.status is OpeningStatus.OFFERED and request.id in after.offered and request.id not in told_before:
            changes.append((request, request.with_offer(_entry(after, 0, now), now, request.status)))
    return changes


# -- the client answers ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OfferView:
    opening: Opening
    request: WaitlistRequest
    catalog: Catalog
    round: int

    @property
    def state(self) -> str:
        """What the link's page says: open (held or offered to all), or why not."""
        o = self.opening
        if o.status is OpeningStatus.FILLED:
            return "booked" if o.reference and o.reference == self.request.reference else "taken"
        return "open" if o.may_accept(self.request.id, self.round) and self.request.status.open else "ended"


def offer(store: AgendaStore, slug: str, opening_id_: str, request_id: str, round_: int, token: str | None,
          key: bytes) -> OfferView:
    """The offer behind a link; anyone without its token learns nothing (404)."""
    business_id = store.business_id(slug)
    if not holds_offer_token(key, opening_id_, request_id, round_, token):
        raise NotFoundError("no such offer", field="offer")
    return OfferView(repository.get(business_id, opening_id_), requests_store.get(business_id, request_id),
                     store.catalog(business_id), round_)


def accept(store: AgendaStore, slug: str, opening_id_: str, request_id: str, round_: int, token: str | None,
           key: bytes, now: datetime):
    """Book the offered time: the ordinary booking with the hold's claim, the opening and the request
    marked in the same transaction; of any number of concurrent accepts (and bookings) exactly one lands.
    An offer whose hold has just run out may still book if the time is free and not yet passed on."""
    view = offer(store, slug, opening_id_, request_id, round_, token, key)
    if view.state != "open":
        raise _refusal(view)
    try:
        return waitlist_booking.book(store, view.catalog, view.request, view.opening.staff_id, view.opening.start,
                                     by=CLIENT, source=Source.ONLINE, now=now, opening=view.opening)
    except ConflictError as error:
        if not isinstance(error, SlotUnavailableError) and error.code not in ("changed_meanwhile", "booking_changed") \
                and not error.code.startswith("request_"):
            raise
        raise _refusal(view) from None


def decline(store: AgendaStore, slug: str, opening_id_: str, request_id: str, round_: int, token: str | None,
            key: bytes, now: datetime) -> Opening:
    """The client does not want it: the next request gets the time at once."""
    view = offer(store, slug, opening_id_, request_id, round_, token, key)
    if view.state != "open":
        raise _ended(view.opening)
    return advance(store, view.opening, Outcome.DECLINED, now, who=request_id)


def _refusal(view: OfferView) -> TurnoError:
    """Why an offer cannot be accepted, from the opening alone (read again, consistently: a concurrent
    accept may just have won, and the opening's log says by whom)."""
    opening = repository.get(view.opening.business_id, view.opening.id)
    if opening.status is OpeningStatus.FILLED and any(
            r["request"] == view.request.id and r["outcome"] == Outcome.ACCEPTED.value for r in opening.rounds):
        return ConflictError("you have already booked this time", field="offer", code="offer_used")
    return _ended(opening)


def _ended(opening: Opening) -> TurnoError:
    if opening.status is OpeningStatus.FILLED:
        return ConflictError("someone else has booked this time", field="offer", code="offer_taken")
    return ConflictError("this offer has ended", field="offer", code="offer_ended")


# -- passing it on -----------------------------------------------------------------------------------------------
def advance(store: AgendaStore, opening: Opening, outcome: Outcome, now: datetime, *, who: str | None = None) -> Opening:
    """The holder (or, everyone mode, one request) declined or let the hold run out: the opening moves on
    (next request, fallback, or release), written conditionally on the version read."""
    who = who or opening.holder
    settings = requests_store.settings(opening.business_id)
    catalog = store.catalog(opening.business_id)
    waiting = [r for r in requests_store.open_from(opening.business_id, opening.start)
               if r.status_at(now) is RequestStatus.WAITING]
    matches = _matches(waiting, catalog, opening)
    done = answered(opening, who, outcome, now) if who else replace(opening, updated_at=now)
    changes: list[tuple[WaitlistRequest, WaitlistRequest]] = []
    if who:
        try:
            current = requests_store.get(opening.business_id, who)
        except NotFoundError:
            current = None
        if current is not None and current.status is RequestStatus.OFFERED:
            back = current.with_outcome(opening.id, opening.round, outcome.value, now, RequestStatus.WAITING)
            changes.append((current, back))
    if opening.status is OpeningStatus.OFFERED:  # everyone mode: one said no, the others may still take it
        after = done
    elif opening.start <= now:
        after = replace(done, status=OpeningStatus.RELEASED, holder=None, held_until=None)
    else:
        after = next_step(done, [r.id for r in matches], settings, now)
    told = [r for r in matches if r.id != who]
    changes += _told(told, after, now, told_before=set(opening.offered))
    told_of = {r.id: r for r in matches} | ({current.id: current} if who and current is not None else {})
    try:
        repository.write(opening, after, changes, step_messages(opening, after, told_of, outcome.value, now))
    except SlotUnavailableError:  # the hold ran out and a booking took the time before it was passed on
        after = replace(done, status=OpeningStatus.RELEASED, holder=None, held_until=None)
        repository.write(opening, after, changes[:1], step_messages(opening, after, told_of, outcome.value, now))
    return after


def release_expired(store: AgendaStore, now: datetime) -> dict[str, int]:
    """The job: every hold that ended by now (inclusive) moves on, exactly once: each step is written only
    if the opening is still as read, so an overlapping run's step and this one cannot both land."""
    report = {"expired": 0, "skipped": 0}
    for opening in repository.expired_holds(now):
        if opening.status is not OpeningStatus.HELD or opening.held_until is None or opening.held_until > now:
            continue
        try:
            advance(store, opening, Outcome.EXPIRED, now)
            report["expired"] += 1
        except ConflictError:
            report["skipped"] += 1  # another run (or an accept) moved it first
    return report


# -- the log and the figures -------------------------------------------------------------------------------------
def log(store: AgendaStore, business_id: str, first: date, last: date) -> tuple[list[Opening], FillFigures]:
    """The openings of local days `first`..`last`, newest first, and their fill rate and median time to fill."""
    if last < first:
        raise ValidationError("'to' must not be before 'from'", field="to")
    if (last - first).days > 366:
        raise ValidationError("at most a year at a time", field="to", code="range_too_long")
    tz = store.catalog(business_id).business.tz
    found = repository.between(business_id, local_instant(first, 0, tz), local_instant(last + timedelta(days=1), 0, tz))
    return sorted(found, key=lambda o: o.id, reverse=True), figures(found)

