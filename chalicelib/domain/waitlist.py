"""The waiting list: clients who want an appointment that no free time suits yet, oldest first.

A request names a service, or several done one after the other (domain/service_sequence.py), a professional (or anyone) and one to five windows: local date ranges with a
time of day ("Tuesday to Friday next week, 16:00-19:00"). It waits until it is booked (staff convert it,
or the client accepts an offer when time frees up: domain/openings.py), cancelled, or its last window has
passed: expiry is read from the clock (`status_at`), so no job has to sweep old requests.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from ..errors import ConflictError, ValidationError
from .fields import checked_date, reject_unknown
from .service_sequence import JOIN
from .calendar import DAY_MINUTES, UTC, Interval, format_clock, local_instant, parse_clock

MAX_WINDOWS = 5
MAX_WINDOW_DAYS = 92  # a window is a wish for the coming weeks, not "any time this year"
MAX_HISTORY = 50  # offers kept on a request (the opening keeps every round of its own)
MAX_OPEN_ONLINE = 3  # open requests one email or phone may have joined from the booking page
ANYONE = "any"


class RequestStatus(str, Enum):
    WAITING = "waiting"
    OFFERED = "offered"  # a freed time is held for it right now
    BOOKED = "booked"
    EXPIRED = "expired"
    CANCELLED = "cancelled"

    @property
    def open(self) -> bool:
        return self in (RequestStatus.WAITING, RequestStatus.OFFERED)


@dataclass(frozen=True)
class Window:
    """Local days `first_day`..`last_day`, each from minute `start` to minute `end` of the day."""

    first_day: date
    last_day: date
    start: int  # minutes after local midnight
    end: int

    def covers(self, span: Interval, tz: ZoneInfo) -> bool:
        """Whether an appointment at `span` lies inside this window, in the business's local time."""
        begin, finish = span.start.astimezone(tz), span.end.astimezone(tz)
        day = begin.date()
        if not self.first_day <= day <= self.last_day:
            return False
        start = begin.hour * 60 + begin.minute
        end = start + int((span.end - span.start).total_seconds() // 60) if finish.date() == day else DAY_MINUTES + 1
        return self.start <= start and end <= self.end

    def ends(self, tz: ZoneInfo) -> datetime:
        return local_instant(self.last_day, self.end, tz)

    def begins(self, tz: ZoneInfo) -> datetime:
        return local_instant(self.first_day, self.start, tz)

    def to_json(self) -> dict:
        return {"from": self.first_day.isoformat(), "to": self.last_day.isoformat(),
                "start": format_clock(self.start), "end": format_clock(self.end)}


@dataclass(frozen=True)
class Contact:
    """Who the request is for: a known client (`client_id`), or details to match like a booking does."""

    first_name: str
    last_name: str = ""
    email: str | None = None
    phone: str | None = None
    client_id: str | None = None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class WaitlistRequest:
    id: str
    business_id: str
    contact: Contact
    service_id: str
    staff_id: str  # a professional's id, or ANYONE
    windows: tuple[Window, ...]
    created_by: str  # "client" (the booking page) or a staff id
    created_at: datetime
    updated_at: datetime
    expires_at: datetime  # the end of its last window
    status: RequestStatus = RequestStatus.WAITING
    notes: str = ""
    reference: str | None = None  # the appointment it became
    offers: tuple[dict, ...] = field(default_factory=tuple)  # {opening, round, start, staff, at, outcome, answered_at}
    service_ids: tuple[str, ...] = ()  # every service, in the order they are done; the first is `service_id`

    def __post_init__(self) -> None:
        """A request made with one `service_id` (as every request was before sequences) has just that one."""
        if not self.service_ids:
            object.__setattr__(self, "service_ids", (self.service_id,))
        elif self.service_ids[0] != self.service_id:
            object.__setattr__(self, "service_id", self.service_ids[0])

    @property
    def services_key(self) -> str:
        """Its services as one key: the service's id, or a sequence's ("svc_cut+svc_color")."""
        return JOIN.join(self.service_ids)

    def status_at(self, now: datetime) -> RequestStatus:
        """Waiting past its last window reads as expired (inclusive at the window's end)."""
        if self.status is RequestStatus.WAITING and now >= self.expires_at:
            return RequestStatus.EXPIRED
        return self.status

    def wants(self, staff_id: str) -> bool:
        return self.staff_id in (ANYONE, staff_id)

    def covers(self, span: Interval, tz: ZoneInfo) -> bool:
        return any(w.covers(span, tz) for w in self.windows)

    def changed(self, now: datetime, **changes) -> "WaitlistRequest":
        return replace(self, updated_at=now, **changes)

    def with_offer(self, entry: dict, now: datetime, status: RequestStatus) -> "WaitlistRequest":
        return self.changed(now, status=status, offers=(self.offers + (entry,))[-MAX_HISTORY:])

    def with_outcome(self, opening_id: str, round_: int, outcome: str, now: datetime,
                     status: RequestStatus, reference: str | None = None) -> "WaitlistRequest":
        """The answer to its offer of `opening_id`/`round_`, recorded in its history."""
        offers = tuple({**o, "outcome": outcome, "answered_at": now.isoformat()}
                       if o.get("opening") == opening_id and o.get("round") == round_ and o.get("outcome") is None
                       else o for o in self.offers)
        return self.changed(now, status=status, offers=offers, reference=reference or self.reference)


@dataclass(frozen=True)
class ClientRequest:
    """A pointer from a client to one of their requests (export, erasure: repositories/waitlist.py `WAITOF`),
    written with the request, or with the booking that made its contact a client."""

    business_id: str
    client_id: str
    request_id: str


def new_request_id(now: datetime) -> str:
    """Sorts by creation (hex milliseconds first), so the list's key order is oldest first; the random
    tail keeps ids unguessable."""
    return f"wl_{int(now.timestamp() * 1000):012x}{secrets.token_hex(6)}"


def id_floor(instant: datetime) -> str:
    """The smallest id a request created at `instant` can have (creation-date filters are key ranges)."""
    return f"wl_{int(instant.timestamp() * 1000):012x}"


def windows_from(data, tz: ZoneInfo, now: datetime, *, field: str = "windows") -> tuple[Window, ...]:
    """One to five windows from the request body, each checked and naming its place ("windows.1.to")."""
    if not isinstance(data, list) or not data:
        raise ValidationError("give one to five windows", field=field, code="required")
    if len(data) > MAX_WINDOWS:
        raise ValidationError(f"at most {MAX_WINDOWS} windows", field=field, code="too_many")
    found = []
    for n, item in enumerate(data):
        place = f"{field}.{n}"
        if not isinstance(item, dict):
            raise ValidationError("a window is an object with from, to, start, end", field=place, code="wrong_type")
        reject_unknown(item, {"from", "to", "start", "end"}, prefix=f"{place}.")
        first = checked_date(item.get("from"), f"{place}.from")
        last = checked_date(item.get("to", item.get("from")), f"{place}.to")
        start = parse_clock(item.get("start", "00:00"), field=f"{place}.start")
        end = parse_clock(item.get("end", "24:00"), field=f"{place}.end")
        if last < first:
            raise ValidationError("'to' must not be before 'from'", field=f"{place}.to", code="invalid_range")
        if (last - first).days + 1 > MAX_WINDOW_DAYS:
            raise ValidationError(f"a window spans at most {MAX_WINDOW_DAYS} days", field=f"{place}.to",
                                  code="range_too_long")
        if end <= start:
            raise ValidationError("'end' must be after 'start'", field=f"{place}.end", code="invalid_range")
        window = Window(first, last, start, end)
        if window.ends(tz) <= now:
            raise ValidationError("this window has already passed", field=f"{place}.to", code="window_passed")
        found.append(window)
    return tuple(sorted(found, key=lambda w: (w.first_day, w.start)))


def last_end(windows: tuple[Window, ...], tz: ZoneInfo) -> datetime:
    return max(w.ends(tz) for w in windows).astimezone(UTC)


def first_start(windows: tuple[Window, ...], tz: ZoneInfo) -> datetime:
    return min(w.begins(tz) for w in windows).astimezone(UTC)


def check_editable(request: WaitlistRequest, now: datetime) -> None:
    """Only a request still waiting (or holding an offer) may be edited, cancelled or converted."""
    status = request.status_at(now)
    if not status.open:
        raise ConflictError(f"this request is {status.value}", field="status", code=f"request_{status.value}")


def search_text(contact: Contact, notes: str) -> str:
    """What the list's text filter looks in: name, email, phone and notes, folded (accents and case)."""
    from .search import fold

    return " ".join(fold(part) for part in (contact.first_name, contact.last_name, contact.email or "",
                                            contact.phone or "", notes) if part)


def after(instant: datetime, minutes: int) -> datetime:
    """Elapsed time in UTC (DESIGN.md pitfall 8)."""
    return instant.astimezone(UTC) + timedelta(minutes=minutes)


def contact_keys(contact: Contact) -> tuple[str, ...]:
    """What the booking page's requests are counted by (MAX_OPEN_ONLINE): a digest of the email and of the
    phone, so no address sits in a key; erasure derives the same keys from the client's details."""
    return tuple(f"{kind}#{hashlib.sha256(f'{kind}:{value}'.encode()).hexdigest()[:32]}"
                 for kind, value in (("email", contact.email), ("phone", contact.phone)) if value)
