"""The salon's nouns: business, staff, service, client, appointment."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .calendar import Interval, WeeklyHours

if TYPE_CHECKING:
    from .plans import PlanHold
from .desks import Desk
from .special_days import SpecialDays


class ServiceStatus(str, Enum):
    ACTIVE = "active"  # bookable by everyone
    INTERNAL = "internal"  # bookable from the backoffice only, never listed publicly
    DISABLED = "disabled"  # not bookable


class AppointmentStatus(str, Enum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    ARRIVED = "arrived"  # checked in at the front desk
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    NO_SHOW = "no_show"

    @property
    def holds_time(self) -> bool:
        """Pending, confirmed and arrived appointments keep their professional busy."""
        return self in (AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED, AppointmentStatus.ARRIVED)


class Source(str, Enum):
    ONLINE = "online"
    BACKOFFICE = "backoffice"


class Approval(str, Enum):
    AUTOMATIC = "automatic"  # online bookings are confirmed at once
    MANUAL = "manual"  # online bookings wait as pending until staff approve them


class ClientChanges(str, Enum):
    """Whether clients may cancel or reschedule online from the link in their messages."""

    OFF = "off"  # they call the business instead
    UNTIL = "until"  # until some hours before the start
    ANYTIME = "anytime"  # until the start


@dataclass(frozen=True)
class BookingRules:
    """How clients may book online."""

    slot_step_minutes: int = 15
    min_notice_minutes: int = 60
    horizon_days: int = 60
    approval: Approval = Approval.AUTOMATIC
    total_availability: bool = False  # online bookings may land on top of existing appointments
    client_changes: ClientChanges = ClientChanges.UNTIL
    client_change_notice_hours: int = 24
    check_in_margin_minutes: int = 30  # how early before the start the front desk may check a client in
    show_desk: bool = False  # the booking page's confirmation says which desk the client will sit at


@dataclass(frozen=True)
class ResourceRef:
    """Something whose time an appointment holds: ("staff", id) or ("desk", id)."""

    kind: str
    id: str


@dataclass(frozen=True)
class Business:
    id: str
    slug: str
    name: str
    timezone: str
    locale: str
    currency: str
    opening_hours: WeeklyHours
    rules: BookingRules = BookingRules()
    secret_code: str | None = None
    phone: str | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class Staff:
    id: str
    name: str
    service_ids: frozenset[str]
    hours: WeeklyHours
    time_off: tuple[Interval, ...] = ()
    secret_code: str | None = None
    email: str | None = None
    phone: str | None = None

    def performs(self, service_id: str) -> bool:
        return service_id in self.service_ids


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    duration_minutes: int
    price: Decimal
    description: str = ""
    category: str = ""
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    status: ServiceStatus = ServiceStatus.ACTIVE
    requires_desk: bool = False  # it also needs a free desk that performs it (domain/desks.py)

    def occupies(self, start: datetime) -> tuple[Interval, Interval]:
        """(the appointment itself, the time it keeps its professional busy including buffers)."""
        end = start + timedelta(minutes=self.duration_minutes)
        busy = Interval(
            start - timedelta(minutes=self.buffer_before_minutes),
            end + timedelta(minutes=self.buffer_after_minutes),
        )
        return Interval(start, end), busy


@dataclass(frozen=True)
class Client:
    id: str
    first_name: str
    last_name: str
    email: str | None = None
    phone: str | None = None
    notes: str = ""


@dataclass(frozen=True)
class Appointment:
    reference: str
    business_id: str
    client_id: str
    service_id: str
    staff_id: str
    start: datetime
    end: datetime
    busy: Interval  # start/end widened by the service's buffers at booking time
    status: AppointmentStatus
    source: Source
    price: Decimal
    currency: str
    created_at: datetime
    updated_at: datetime
    notes: str = ""
    exclusive: bool = True  # False when booked on top of others (total availability, override)
    # whom it is for, as search words (domain/search.py `who`), kept from the booking so that
    # every later change can index it without reading the client
    client_words: tuple[str, ...] = ()
    client_contacts: tuple[str, ...] = ()
    plan: "PlanHold | None" = None  # the plan unit it holds (domain/plans.py), frozen at booking
    desk_id: str | None = None  # the desk it takes, for a service that requires one
    operator_id: str | None = None  # that desk's operator, when another professional works there

    @property
    def resources(self) -> tuple[ResourceRef, ...]:
        """Whose time it takes: its professional, its desk, and the desk's operator (a desk with an operator
        works only with them there); the locks and busy days follow."""
        found = (ResourceRef("staff", self.staff_id),)
        if self.desk_id:
            found += (ResourceRef("desk", self.desk_id),)
        if self.operator_id and self.operator_id != self.staff_id:
            found += (ResourceRef("staff", self.operator_id),)
        return found

    def with_status(self, status: AppointmentStatus, now: datetime) -> "Appointment":
        return replace(self, status=status, updated_at=now)


# Crockford's base32 without look-alikes: references are read aloud at the front desk.
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference(length: int = 12) -> str:
    """60 random bits: unguessable, short enough to read out."""
    return "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(length))


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


@dataclass(frozen=True)
class Catalog:
    """Everything about a business that availability needs, read in one query."""

    business: Business
    staff: tuple[Staff, ...] = field(default_factory=tuple)
    services: tuple[Service, ...] = field(default_factory=tuple)
    sells_plans: bool = False  # the business has plan templates: bookings look for the client's plans
    special_days: SpecialDays = SpecialDays()  # closures and special hours (domain/special_days.py)
    desks: tuple[Desk, ...] = field(default_factory=tuple)  # lowest number first

    def desk(self, desk_id: str | None) -> Desk | None:
        return next((d for d in self.desks if d.id == desk_id), None) if desk_id else None

    def service(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)

    def member(self, staff_id: str) -> Staff | None:
        return next((s for s in self.staff if s.id == staff_id), None)

    def performers(self, service_id: str) -> tuple[Staff, ...]:
        return tuple(s for s in self.staff if s.performs(service_id))
