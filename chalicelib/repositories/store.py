"""DynamoDB persistence for the booking core: PynamoDB items in, domain objects out."""
from __future__ import annotations

import time
from dataclasses import asdict
from datetime import datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Iterable, Sequence

from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from ..domain.booking import MAX_BUSY_MINUTES, lock_units
from ..domain.calendar import UTC, Interval, WeeklyHours
from ..domain.model import (
    new_id,
    Appointment,
    AppointmentStatus,
    Approval,
    BookingRules,
    Business,
    Catalog,
    Client,
    ClientChanges,
    Service,
    ServiceStatus,
    Source,
    Staff,
)
from ..errors import ConflictError, NotFoundError, SlotUnavailableError
from . import messages, search_index
from .tables import (
    ActivityItem,
    IdempotencyRecord,
    AppointmentItem,
    BusinessItem,
    ClientItem,
    ContactItem,
    Item,
    LockItem,
    ServiceItem,
    SlugItem,
    StaffItem,
    ThrottleItem,
)

SLUG_CACHE_SECONDS = 300
LOCK_GRACE = timedelta(days=2)  # locks outlive their unit by this much, then TTL removes them


class ContactTakenError(ConflictError):
    """A new client's email or phone was claimed by a concurrent booking: read again and retry."""

    code = "contact_taken"


class DynamoStore:
    def __init__(self) -> None:
        self._slugs: dict[str, tuple[str, float]] = {}

    # -- catalog -------------------------------------------------------------------------------
    def business_id(self, slug: str) -> str:
        """Slugs hardly ever move, so a warm function remembers them for a few minutes."""
        cached = self._slugs.get(slug)
        if cached and cached[1] > time.monotonic():
            return cached[0]
        try:
            business_id = SlugItem.get(f"SLUG#{slug}", "SLUG").business_id
        except DoesNotExist:
            raise NotFoundError("no such business", field="business") from None
        self._slugs[slug] = (business_id, time.monotonic() + SLUG_CACHE_SECONDS)
        return business_id

    def catalog(self, business_id: str) -> Catalog:
        business, staff, services = None, [], []
        for item in Item.query(f"BIZ#{business_id}"):
            if isinstance(item, BusinessItem):
                business = _business(item)
            elif isinstance(item, StaffItem):
                staff.append(_staff(item))
            elif isinstance(item, ServiceItem):
                services.append(_service(item))
        if business is None:
            raise NotFoundError("no such business", field="business")
        return Catalog(business, tuple(sorted(staff, key=lambda s: s.name)),
                       tuple(sorted(services, key=lambda s: (s.category, s.name))))

    def save_business(self, business: Business) -> None:
        with TransactWrite(connection=_connection()) as tx:
            tx.save(BusinessItem(
                pk=f"BIZ#{business.id}", sk="PROFILE", id=business.id, slug=business.slug, name=business.name,
                timezone=business.timezone, locale=business.locale, currency=business.currency,
                opening_hours=business.opening_hours.to_json(), rules=_rules_json(business.rules),
                secret_code=business.secret_code, phone=business.phone,
            ))
            tx.save(SlugItem(pk=f"SLUG#{business.slug}", sk="SLUG", business_id=business.id))

    def save_staff(self, business_id: str, staff: Staff) -> None:
        StaffItem(
            pk=f"BIZ#{business_id}", sk=f"STAFF#{staff.id}", id=staff.id, name=staff.name,
            service_ids=sorted(staff.service_ids), hours=staff.hours.to_json(),
            time_off=[{"start": _iso(i.start), "end": _iso(i.end)} for i in staff.time_off],
            secret_code=staff.secret_code, email=staff.email, phone=staff.phone,
        ).save()

    def save_service(self, business_id: str, service: Service) -> None:
        ServiceItem(
            pk=f"BIZ#{business_id}", sk=f"SERVICE#{service.id}", id=service.id, name=service.name,
            description=service.description, category=service.category,
            duration_minutes=service.duration_minutes, buffer_before_minutes=service.buffer_before_minutes,
            buffer_after_minutes=service.buffer_after_minutes, price=str(service.price), status=service.status.value,
        ).save()

    # -- clients -------------------------------------------------------------------------------
    def contacts_and_locks(self, business_id: str, email: str | None, phone: str | None,
                           units: dict[str, list[datetime]]) -> tuple[str | None, set[str]]:
        """One consistent batch read before booking: the client already known by this email
        (first) or phone, and which professionals hold any of the given lock units."""
        contact_pk = f"BIZ#{business_id}#CONTACT"
        contacts = [(contact_pk, k) for k in _contact_keys(email, phone)]
        locks = {(_lock_pk(business_id, member), _iso(u)): member for member, us in units.items() for u in us}
        found = {(i.pk, i.sk): i for i in Item.batch_get(contacts + list(locks), consistent_read=True)}
        client_id = next((found[k].client_id for k in contacts if k in found), None)
        held = {member for key, member in locks.items() if getattr(found.get(key), "owners", None)}
        return client_id, held

    def client(self, business_id: str, client_id: str) -> Client:
        try:
            return _client(ClientItem.get(f"BIZ#{business_id}#CLIENT", client_id))
        except DoesNotExist:
            raise NotFoundError("no such client", field="client") from None

    # -- appointments --------------------------------------------------------------------------
    def appointments_between(self, business_id: str, start: datetime, end: datetime) -> list[Appointment]:
        """Appointments whose busy time may touch [start, end): one paginated index query."""
        low = _iso(start - timedelta(minutes=MAX_BUSY_MINUTES))
        items = AppointmentItem.agenda.query(
            f"BIZ#{business_id}", AppointmentItem.agenda_sk.between(low, _iso(end) + "~"),
        )
        return [a for a in map(_appointment, items) if a.busy.start < end and start < a.busy.end]

    def appointment(self, reference: str) -> Appointment:
        try:
            return _appointment(AppointmentItem.get(f"APPT#{reference}", "APPT"))
        except DoesNotExist:
            raise NotFoundError("no such booking", field="reference") from None

    def book(self, appointment: Appointment, new_client: Client | None = None, *, also: Sequence[Item] = ()) -> None:
        """Store a new appointment (and a new client with their contact keys) and claim the
        professional's time, all or nothing. `also`: new items that belong to the same change
        (the backoffice's audit entry).

        Raises SlotUnavailableError when a lock unit is already held exclusively, and
        ContactTakenError when the new client's email or phone was registered meanwhile.
        """
        extra: list[Item] = []
        if new_client is not None:
            extra.append(_client_item(appointment.business_id, new_client))
            extra += [
                ContactItem(pk=f"BIZ#{appointment.business_id}#CONTACT", sk=key, client_id=new_client.id)
                for key in _contact_keys(new_client.email, new_client.phone)
            ]
        extra += search_index.on_book(appointment, new_client)
        self._write(None, appointment, [*extra, *also], unique=True)

    def change(self, before: Appointment, after: Appointment, activity: dict | None = None, *,
               also: Sequence[Item] = ()) -> Appointment:
        """Store a changed appointment and move its lock units to match, all or nothing (with `also`,
        items that belong to the same change: the backoffice's audit entry).

        The appointment must still be as it was read (`updated_at`), so two concurrent changes
        cannot both land: the loser gets ConflictError `booking_changed`.
        """
        extra: list[Item] = []
        if activity is not None:
            extra.append(ActivityItem(
                pk=f"BIZ#{after.business_id}#ACTIVITY", sk=f"{_iso(after.updated_at)}#{after.reference}#{new_id('act')}",
                reference=after.reference, details=activity, at=after.updated_at,
            ))
        words, stale_words = search_index.on_change(before, after)
        self._write(before, after, [*extra, *words, *also], unique=False, remove=stale_words)
        return after

    def _write(self, before: Appointment | None, after: Appointment, extra: list[Item], *, unique: bool,
               remove: Sequence[Item] = ()) -> None:
        """One transaction: the appointment, `extra` items (new ones when `unique`), the outbox item of the
        messages the change causes (messages.outbox_items), the lock units, and the deletion of `remove`.

        Units both versions hold stay put; units only `before` held are released; units only `after`
        needs are claimed, exclusively unless it is booked on top of others.
        """
        extra = [*extra, *messages.outbox_items(before, after)]
        held_before = _held(before)
        held_after = _held(after)
        appointment = _appointment_item(after)
        if before is None:
            condition = Item.pk.does_not_exist()
        else:
            condition = AppointmentItem.updated_at == before.updated_at
        try:
            with TransactWrite(connection=_connection()) as tx:
                for item in remove:
                    tx.delete(item)
                tx.save(appointment, condition=condition)
                for item in extra:
                    tx.save(item, condition=Item.pk.does_not_exist() if unique else None)
                for pk, sk in sorted(held_before - held_after):
                    tx.update(LockItem(pk=pk, sk=sk), [LockItem.owners.delete({after.reference})])
                for pk, sk in sorted(held_after - held_before):
                    lock = LockItem(pk=pk, sk=sk)
                    tx.update(lock, _claim(after, lock),
                              condition=LockItem.owners.does_not_exist() if after.exclusive else None)
        except TransactWriteError as error:
            # PynamoDB sends puts before updates; the reasons come back in that order.
            failed = [bool(r and r.code == "ConditionalCheckFailed") for r in (error.cancellation_reasons or [])]
            failed = failed[len(remove):]  # deletes (unconditional) are sent before the puts
            puts = 1 + len(extra)
            if any(failed[puts:]):
                raise SlotUnavailableError("that time is no longer available", field="start") from None
            if any(failed[1:puts]):
                raise ContactTakenError("a client with these details was just created") from None
            if failed and failed[0]:
                raise ConflictError("the booking was changed meanwhile; reload it", code="booking_changed") from None
            raise

    # -- wrong secret codes --------------------------------------------------------------------
    def recent_code_failures(self, business_id: str, address: str, since: float) -> list[float]:
        try:
            item = ThrottleItem.get(f"THROTTLE#{business_id}#{address}", "code")
        except DoesNotExist:
            return []
        return [f for f in item.failures if f >= since]

    def save_code_failures(self, business_id: str, address: str, failures: list[float], keep: int) -> None:
        ThrottleItem(
            pk=f"THROTTLE#{business_id}#{address}", sk="code", failures=failures,
            expires_at=datetime.fromtimestamp(max(failures), UTC) + timedelta(seconds=keep),
        ).save()


def _connection() -> Connection:
    return Item._get_connection().connection


def _iso(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _contact_keys(email: str | None, phone: str | None) -> list[str]:
    return [k for k in (email and f"email#{email}", phone and f"phone#{phone}") if k]


def _lock_items(appointment: Appointment) -> list[LockItem]:
    pk = _lock_pk(appointment.business_id, appointment.staff_id)
    return [LockItem(pk=pk, sk=_iso(unit)) for unit in lock_units(appointment.busy)]


def _held(appointment: Appointment | None) -> set[tuple[str, str]]:
    """The (pk, sk) of every lock unit an appointment holds in its current state."""
    if appointment is None or not appointment.status.holds_time:
        return set()
    return {(lock.pk, lock.sk) for lock in _lock_items(appointment)}


def _lock_pk(business_id: str, staff_id: str) -> str:
    return f"LOCK#{business_id}#staff#{staff_id}"


def _claim(appointment: Appointment, lock: LockItem) -> list:
    return [
        LockItem.owners.add({appointment.reference}),
        LockItem.kind.set(LockItem),
        LockItem.expires_at.set(appointment.busy.end + LOCK_GRACE),
    ]


def _rules_json(rules: BookingRules) -> dict:
    return {name: value.value if isinstance(value, Enum) else value for name, value in asdict(rules).items()}


def _business(item: BusinessItem) -> Business:
    rules = dict(item.rules or {})
    for name, kind in (("approval", Approval), ("client_changes", ClientChanges)):
        if name in rules:
            rules[name] = kind(rules[name])
    return Business(
        id=item.id, slug=item.slug, name=item.name, timezone=item.timezone, locale=item.locale,
        currency=item.currency, opening_hours=WeeklyHours.from_json(item.opening_hours),
        rules=BookingRules(**rules), secret_code=item.secret_code, phone=item.phone,
    )


def _staff(item: StaffItem) -> Staff:
    return Staff(
        id=item.id, name=item.name, service_ids=frozenset(item.service_ids or ()),
        hours=WeeklyHours.from_json(item.hours),
        time_off=tuple(Interval(datetime.fromisoformat(t["start"]), datetime.fromisoformat(t["end"]))
                       for t in item.time_off or ()),
        secret_code=item.secret_code, email=item.email, phone=item.phone,
    )


def _service(item: ServiceItem) -> Service:
    return Service(
        id=item.id, name=item.name, description=item.description, category=item.category,
        duration_minutes=int(item.duration_minutes), buffer_before_minutes=int(item.buffer_before_minutes),
        buffer_after_minutes=int(item.buffer_after_minutes), price=Decimal(item.price),
        status=ServiceStatus(item.status),
    )


def _client(item: ClientItem) -> Client:
    return Client(id=item.id, first_name=item.first_name, last_name=item.last_name, email=item.email,
                  phone=item.phone, notes=item.notes)


def _client_item(business_id: str, client: Client) -> ClientItem:
    return ClientItem(pk=f"BIZ#{business_id}#CLIENT", sk=client.id, id=client.id, first_name=client.first_name,
                      last_name=client.last_name, email=client.email, phone=client.phone, notes=client.notes,
                      created_at=datetime.now(UTC))


def _appointment_item(a: Appointment) -> AppointmentItem:
    return AppointmentItem(
        pk=f"APPT#{a.reference}", sk="APPT", agenda_pk=f"BIZ#{a.business_id}",
        agenda_sk=f"{_iso(a.start)}#{a.reference}", reference=a.reference, business_id=a.business_id,
        client_id=a.client_id, service_id=a.service_id, staff_id=a.staff_id, start=a.start, end=a.end,
        busy_start=a.busy.start, busy_end=a.busy.end, status=a.status.value, source=a.source.value,
        price=str(a.price), currency=a.currency, notes=a.notes, exclusive=a.exclusive,
        created_at=a.created_at, updated_at=a.updated_at,
    )


def _appointment(item: AppointmentItem) -> Appointment:
    return Appointment(
        reference=item.reference, business_id=item.business_id, client_id=item.client_id,
        service_id=item.service_id, staff_id=item.staff_id, start=item.start, end=item.end,
        busy=Interval(item.busy_start, item.busy_end), status=AppointmentStatus(item.status),
        source=Source(item.source), price=Decimal(item.price), currency=item.currency, notes=item.notes,
        exclusive=item.exclusive, created_at=item.created_at, updated_at=item.updated_at,
    )


def create_tables() -> None:
    """Create the tables that are missing (local stack and tests; infra/ creates them on AWS)."""
    for model in (Item, IdempotencyRecord):
        if not model.exists():
            model.create_table(wait=True)
