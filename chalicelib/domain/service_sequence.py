"""Several services one after the other with one professional ("a cut, then a colour"), as a waiting-list
request may ask for: each service its own appointment, back to back, booked together in one transaction.

Each service starts where the previous one's busy time (its buffer after included) ends, plus its own
buffer before: the services' busy times touch but never overlap, so their lock units are disjoint and the
whole sequence keeps its professional busy in one block. For the availability engine the sequence is one
composite service (`as_service`) of the whole length: one professional who performs every service, and,
when a service requires a desk, a desk that takes every service needing one (a stricter test than booking
them one by one: it never finds a time that cannot be booked). One service is simply that service.

The booking page books one service at a time; a sequence of at most MAX_SERVICES whose busy time fits
MAX_BUSY_MINUTES keeps the whole booking inside one DynamoDB transaction (lock units of one appointment).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ..errors import NotFoundError, UnprocessableError, ValidationError
from .booking import ANY, MAX_BUSY_MINUTES, bookable_service
from .calendar import Interval
from .desks import Desk, compatible_desks
from .fields import checked_text
from .model import Catalog, Service, ServiceStatus, Staff

MAX_SERVICES = 3
JOIN = "+"  # a sequence's key: its services' ids in order ("svc_cut+svc_color"); ids never hold a "+"


@dataclass(frozen=True)
class Part:
    """One service of a sequence at its place: the appointment's own time and its busy time."""

    service: Service
    span: Interval
    busy: Interval


@dataclass(frozen=True)
class ServiceSequence:
    services: tuple[Service, ...]
    field: str = "services"  # where the input named them: "services", or "service" for one given alone

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.services)

    @property
    def key(self) -> str:
        return JOIN.join(self.ids)

    @property
    def busy_minutes(self) -> int:
        return sum(s.buffer_before_minutes + s.duration_minutes + s.buffer_after_minutes for s in self.services)

    def as_service(self) -> Service:
        """The sequence as the engine sees one service: from the first start to the last end."""
        if len(self.services) == 1:
            return self.services[0]
        first, last = self.services[0], self.services[-1]
        internal = any(s.status is not ServiceStatus.ACTIVE for s in self.services)
        return Service(
            id=self.key, name=" + ".join(s.name for s in self.services),
            duration_minutes=self.busy_minutes - first.buffer_before_minutes - last.buffer_after_minutes,
            price=sum((s.price for s in self.services), start=first.price * 0),
            buffer_before_minutes=first.buffer_before_minutes, buffer_after_minutes=last.buffer_after_minutes,
            status=ServiceStatus.INTERNAL if internal else ServiceStatus.ACTIVE,
            requires_desk=any(s.requires_desk for s in self.services),
        )

    def parts(self, start: datetime) -> tuple[Part, ...]:
        """Where each service goes when the first starts at `start`."""
        found: list[Part] = []
        at = start
        for service in self.services:
            span, busy = service.occupies(at)
            found.append(Part(service, span, busy))
            at = busy.end
            if len(found) < len(self.services):
                at += timedelta(minutes=self.services[len(found)].buffer_before_minutes)
        return tuple(found)

    def performed_by(self, member: Staff) -> bool:
        return all(member.performs(s.id) for s in self.services)

    def candidates(self, catalog: Catalog, staff_id: str) -> tuple[Staff, ...]:
        """The professionals who perform every service: one named, or all (NotFoundError naming `staff`)."""
        able = tuple(m for m in catalog.staff if self.performed_by(m))
        if staff_id == ANY:
            if not able:
                raise NotFoundError("nobody performs all of these services", field=self.field)
            return able
        chosen = tuple(m for m in able if m.id == staff_id)
        if not chosen:
            raise NotFoundError("no such professional for these services", field="staff")
        return chosen

    def desks(self, catalog: Catalog) -> tuple[Desk, ...] | None:
        """The open desks that take every service needing a desk, lowest number first (None: no desk needed)."""
        needing = [s for s in self.services if s.requires_desk]
        if not needing:
            return None
        able = [set(d.id for d in compatible_desks(catalog, s)) for s in needing]
        return tuple(d for d in compatible_desks(catalog, needing[0]) if all(d.id in ids for ids in able))


def sequence_of(catalog: Catalog, service_ids: tuple[str, ...] | list[str], *, backoffice: bool,
                field: str = "services") -> ServiceSequence:
    """The catalog's services of `service_ids` in order, each bookable (online, or also internal ones from
    the backoffice); NotFoundError names the place ("services.1", or "service" for one given alone)."""
    found = []
    for n, service_id in enumerate(service_ids):
        try:
            found.append(bookable_service(catalog, service_id, backoffice=backoffice))
        except NotFoundError:
            raise NotFoundError("no such service", field=f"{field}.{n}" if field == "services" else field) from None
    sequence = ServiceSequence(tuple(found), field)
    if sequence.busy_minutes > MAX_BUSY_MINUTES:
        raise UnprocessableError(f"these services take more than {MAX_BUSY_MINUTES} minutes together",
                                 field=field, code="too_long")
    return sequence


def service_ids_from(body: dict[str, Any]) -> tuple[str, ...]:
    """`services` (one to MAX_SERVICES ids, in the order they are done) or, as before, one `service`."""
    if body.get("services") is not None and body.get("service") is not None:
        raise ValidationError("give services or service, not both", field="services", code="ambiguous")
    if body.get("services") is None:
        return (_checked_id(body.get("service"), "service"),)
    value = body["services"]
    if not isinstance(value, list) or not value:
        raise ValidationError(f"one to {MAX_SERVICES} services", field="services", code="required")
    if len(value) > MAX_SERVICES:
        raise ValidationError(f"at most {MAX_SERVICES} services", field="services", code="too_many")
    ids = tuple(_checked_id(v, f"services.{n}") for n, v in enumerate(value))
    for n, service_id in enumerate(ids):
        if service_id in ids[:n]:
            raise ValidationError("each service once", field=f"services.{n}", code="duplicate")
    return ids


def _checked_id(value: Any, field: str) -> str:
    checked = checked_text(value, field, 40)
    if JOIN in checked:
        raise NotFoundError("no such service", field=field)
    return checked


def service_named(catalog: Catalog, key: str) -> Service | None:
    """The service, or the composite of a sequence's key (an opening's time for several services)."""
    if JOIN not in key:
        return catalog.service(key)
    try:
        return sequence_of(catalog, key.split(JOIN), backoffice=True).as_service()
    except (NotFoundError, UnprocessableError):
        return None
