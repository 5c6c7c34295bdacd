"""A freed time offered to the waiting list: who gets it, in which order, and for how long.

When an appointment gives time back (the `time_freed` event), the oldest waiting request it suits becomes
an *opening*: one service, one professional (and whatever else the service's resource pools need), one
start. One at a time (the default), the time is held for that request for T minutes: the hold is written
into the lock items bookings claim (repositories/holds.py), so the booking page and the backoffice cannot
take it meanwhile. An unanswered or declined offer passes the hold to the next request; after five rounds,
or when the time starts within T + 30 minutes, the business's fallback applies: every remaining match is
told at once (first to accept books), or the time goes back to the booking page. Every round is logged on
the opening (`rounds`) and on its request, for the offer history and the fill-rate figures.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from enum import Enum
from statistics import median
from typing import Iterable

from .agenda_change import LockUnit, held_units
from .calendar import UTC, Interval
from .events import Event
from .model import Appointment, AppointmentStatus, ResourceRef, Source
from .waitlist_settings import FALLBACK_MARGIN_MINUTES, MAX_ROUNDS, Fallback, OfferMode, WaitlistSettings


class OpeningStatus(str, Enum):
    HELD = "held"  # one request holds it (one at a time)
    OFFERED = "offered"  # every match was told; the first to accept books (everyone, or the fallback)
    SUGGESTED = "suggested"  # manual: staff see the matches and choose
    FILLED = "filled"  # booked through the waiting list
    RELEASED = "released"  # back to the booking page

    @property
    def open(self) -> bool:
        return self in (OpeningStatus.HELD, OpeningStatus.OFFERED, OpeningStatus.SUGGESTED)


class Outcome(str, Enum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"  # the hold ran out unanswered
    MISSED = "missed"  # someone else took the time first (everyone mode), or it was released


@dataclass(frozen=True)
class Opening:
    id: str
    business_id: str
    service_id: str
    staff_id: str
    start: datetime
    end: datetime
    busy: Interval
    mode: OfferMode
    status: OpeningStatus
    created_at: datetime
    updated_at: datetime
    freed_by: str  # the appointment whose change freed the time, or the calendar change's ("staff:<id>")
    round: int = 0  # the current hold's round, 1-5
    holder: str | None = None  # the request the time is held for
    held_until: datetime | None = None
    offered: tuple[str, ...] = ()  # requests told at once (everyone, fallback, manual suggestions)
    rounds: tuple[dict, ...] = ()  # the log: {round, request, at, outcome, answered_at}
    reference: str | None = None  # the appointment it became
    filled_at: datetime | None = None
    desk_id: str | None = None  # the desk held with the professional, for a service that requires one
    operator_id: str | None = None  # that desk's operator, when another professional works there

    @property
    def span(self) -> Interval:
        return Interval(self.start, self.end)

    def asked(self) -> set[str]:
        """Every request already offered this time."""
        return {r["request"] for r in self.rounds} | set(self.offered)

    def hold_is_live(self, now: datetime) -> bool:
        """Expiry is inclusive: at `held_until` the hold is over."""
        return self.status is OpeningStatus.HELD and self.held_until is not None and now < self.held_until

    def may_accept(self, request_id: str, round_: int) -> bool:
        if self.status is OpeningStatus.HELD:
            return self.holder == request_id and self.round == round_
        return self.status is OpeningStatus.OFFERED and request_id in self.offered

    def as_appointment(self) -> Appointment:
        """The hold as the agenda's write path sees an appointment: the same resources, busy time and lock
        units (Appointment.resources: the professional, and the desk and its operator when the service needs
        a desk), so the hold keeps the desk's time as a booking would."""
        return Appointment(
            reference=self.id, business_id=self.business_id, client_id="", service_id=self.service_id,
            staff_id=self.staff_id, start=self.start, end=self.end, busy=self.busy,
            status=AppointmentStatus.CONFIRMED, source=Source.ONLINE, price=Decimal(0), currency="",
            created_at=self.created_at, updated_at=self.updated_at, desk_id=self.desk_id,
            operator_id=self.operator_id,
        )

    @property
    def resources(self) -> tuple[ResourceRef, ...]:
        return self.as_appointment().resources


MAX_HELD_UNITS = 72  # a hold's lock units, so that its transaction and the accept's keep room for their other rows


def at_desk(opening: Opening, desk_id: str | None, operator_id: str | None) -> Opening:
    """The opening keeping a desk (and its operator) with the professional. A hold too long for that to fit
    one transaction (over 180 minutes; 120 with an operator) keeps the professional only, as before holds
    kept desks: its accept then looks for a free desk."""
    seated = replace(opening, desk_id=desk_id, operator_id=operator_id)
    return seated if len(held_units(seated.as_appointment())) <= MAX_HELD_UNITS else opening


@dataclass(frozen=True)
class HoldGivenBack:
    """A unit an accepted hold kept that its appointments do not take (the desk during a sequence's services
    that need none): its hold marks go in the accept's transaction, if still this hold's."""

    business_id: str
    hold: str
    unit: LockUnit


def left_over(opening: Opening, appointments: Iterable[Appointment]) -> tuple[HoldGivenBack, ...]:
    """The units of `opening`'s hold that booking `appointments` leaves behind, to give back."""
    taken = set().union(*(held_units(a) for a in appointments))
    return tuple(HoldGivenBack(opening.business_id, opening.id, u)
                 for u in sorted(held_units(opening.as_appointment()) - taken))


def opening_id(event: Event) -> str:
    """The same event delivered twice (the stream is at least once) makes the same opening; ids sort by
    when the time was freed, so the figures' period is a key range."""
    digest = hashlib.sha256(f"{event.reference}|{event.resource}|{event.interval}|{event.at.isoformat()}".encode())
    return f"op_{int(event.at.timestamp() * 1000):012x}{digest.hexdigest()[:10]}"


def id_floor(instant: datetime) -> str:
    return f"op_{int(instant.timestamp() * 1000):012x}"


def too_close(opening: Opening, settings: WaitlistSettings, now: datetime) -> bool:
    """No hold may start when the time begins within T + 30 minutes: the client could not answer in time."""
    return opening.start - now < timedelta(minutes=settings.hold_minutes + FALLBACK_MARGIN_MINUTES)


def _log(request_id: str, round_: int, now: datetime) -> dict:
    return {"round": round_, "request": request_id, "at": now.isoformat(), "outcome": None, "answered_at": None}


def answered(opening: Opening, request_id: str, outcome: Outcome, now: datetime) -> Opening:
    """The current round's request answered (or not): its log entry gets the outcome."""
    rounds = tuple({**r, "outcome": outcome.value, "answered_at": now.isoformat()}
                   if r["request"] == request_id and r["outcome"] is None else r for r in opening.rounds)
    return replace(opening, rounds=rounds, updated_at=now)


def next_step(opening: Opening, matches: list[str], settings: WaitlistSettings, now: datetime) -> Opening:
    """Where the opening goes next, given the matching requests oldest first (those already asked are
    skipped): a hold for the next one, the fallback, or back to the booking page."""
    left = [m for m in matches if m not in opening.asked()]
    base = replace(opening, holder=None, held_until=None, updated_at=now)
    if opening.mode is OfferMode.MANUAL:
        return replace(base, status=OpeningStatus.SUGGESTED, offered=tuple(matches))
    if opening.mode is OfferMode.EVERYONE:
        return _everyone(base, left, now)
    if not left:
        return replace(base, status=OpeningStatus.RELEASED)
    if opening.round >= MAX_ROUNDS or too_close(opening, settings, now):
        if settings.fallback is Fallback.EVERYONE:
            return _everyone(base, left, now)
        return replace(base, status=OpeningStatus.RELEASED)
    round_ = opening.round + 1
    return replace(base, status=OpeningStatus.HELD, round=round_, holder=left[0],
                   held_until=now + timedelta(minutes=settings.hold_minutes),
                   rounds=opening.rounds + (_log(left[0], round_, now),))


def _everyone(opening: Opening, left: list[str], now: datetime) -> Opening:
    if not left:
        return replace(opening, status=OpeningStatus.RELEASED)
    return replace(opening, status=OpeningStatus.OFFERED, offered=opening.offered + tuple(left),
                   rounds=opening.rounds + tuple(_log(r, 0, now) for r in left))


def offer_token(key: bytes, opening_id_: str, request_id: str, round_: int) -> str:
    """The secret in an offer's link: one request, one opening, one round (a new round needs a new link)."""
    return hmac.new(key, f"offer:{opening_id_}:{request_id}:{round_}".encode(), hashlib.sha256).hexdigest()[:32]


def holds_offer_token(key: bytes, opening_id_: str, request_id: str, round_: int, token: str | None) -> bool:
    if not isinstance(token, str) or not token:
        return False
    return hmac.compare_digest(offer_token(key, opening_id_, request_id, round_).encode(),
                               token.encode("utf-8", "surrogatepass"))


@dataclass(frozen=True)
class FillFigures:
    openings: int  # freed times that had a match
    filled: int  # of them, booked through the waiting list
    median_minutes_to_fill: float | None  # from the time being freed to the accepted offer

    @property
    def fill_rate(self) -> float | None:
        return round(self.filled / self.openings, 4) if self.openings else None


def figures(openings: Iterable[Opening]) -> FillFigures:
    """Fill rate and median time to fill of the openings of a period (suggestions for staff included)."""
    found = list(openings)
    times = [(o.filled_at - o.created_at).total_seconds() / 60 for o in found
             if o.status is OpeningStatus.FILLED and o.filled_at]
    filled = sum(1 for o in found if o.status is OpeningStatus.FILLED)
    return FillFigures(len(found), filled, round(median(times), 1) if times else None)


def utc(instant: datetime) -> datetime:
    return instant.astimezone(UTC)
