"""DynamoDB persistence for the booking core: the catalog, clients, appointments and their locks.

The store decides nothing about a change: it writes the `AgendaChange` a use case built, in one
transaction, and says which part of it was refused (see `write`).
"""
from __future__ import annotations

import json
import random
import time
from datetime import datetime, timedelta
from typing import Any, Iterable, Sequence

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from ..domain.agenda_change import MAX_TRANSACTION_ITEMS, AgendaChange, LockUnit
from ..domain.availability import Minutes
from ..domain.booking import MAX_BUSY_MINUTES
from ..domain.clients import ClientProfile
from ..domain.plans import PlanUsedUpError
from ..domain.desks import Desk
from ..domain.model import Appointment, Business, Catalog, Client, ResourceRef, Service, Staff
from ..errors import ConflictError, ContactTakenError, NotFoundError, SlotUnavailableError
from . import busy_days, codecs, holds, special_days, throttles
from .desks import number_key
from .codecs import iso
from .lean_reads import lean_reads
from .transactions import Refusals, Transaction, connection
from .tables import (
    AppointmentItem,
    BusinessItem,
    ClientItem,
    ContactItem,
    ClosureItem,
    DeskItem,
    DeskNumberItem,
    IdempotencyRecord,
    Item,
    LockItem,
    PlanTemplateItem,
    ServiceItem,
    SlugItem,
    SpecialHoursItem,
    StaffItem,
)

SLUG_CACHE_SECONDS = 300
KEPT_CATALOGS = 64  # businesses whose catalog a warm function keeps (store.catalog)
WRITE_ATTEMPTS = 5  # a change cancelled only by concurrent transactions on shared items is tried again
CONFLICT_PAUSE = 0.01  # seconds, times the attempt, jittered
LOCK_GRACE = timedelta(days=2)  # locks outlive their unit by this much, then TTL removes them


class DynamoStore:
    def __init__(self) -> None:
        self._slugs: dict[str, tuple[str, float]] = {}
        self._catalogs: dict[str, tuple[list[bytes], Catalog]] = {}  # business id -> (the read's bodies, its catalog)

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
        """One query of the catalog's items. A warm function keeps the catalog it made of them last time and
        hands it out again while the query answers the very same bytes: never staler than the read itself."""
        bodies = lean_reads(connection().client).query_bodies(
            TableName=Item.Meta.table_name, KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"BIZ#{business_id}"}})
        kept = self._catalogs.get(business_id)
        if kept is not None and kept[0] == bodies:
            return kept[1]
        found = self._catalog([Item.from_raw_data(raw) for body in bodies for raw in json.loads(body)["Items"]])
        if len(self._catalogs) >= KEPT_CATALOGS:
            self._catalogs.pop(next(iter(self._catalogs), None), None)  # the oldest kept
        self._catalogs[business_id] = (bodies, found)
        return found

    def _catalog(self, items: list[Item]) -> Catalog:
        business, staff, services, desks, special, sells_plans = None, [], [], [], [], False
        for item in items:
            if isinstance(item, PlanTemplateItem):
                sells_plans = True
            elif isinstance(item, BusinessItem):
                business = codecs.business(item)
            elif isinstance(item, StaffItem):
                staff.append(codecs.staff(item))
            elif isinstance(item, ServiceItem):
                services.append(codecs.service(item))
            elif isinstance(item, DeskItem):
                desks.append(codecs.desk(item))
            elif isinstance(item, (ClosureItem, SpecialHoursItem)):
                special.append(special_days.decode(item))
        if business is None:
            raise NotFoundError("no such business", field="business")
        return Catalog(business, tuple(sorted(staff, key=lambda s: s.name)),
                       tuple(sorted(services, key=lambda s: (s.category, s.name))),
                       desks=tuple(sorted(desks, key=lambda d: d.number)), special_days=special_days.gather(special),
                       sells_plans=sells_plans)

    def save_business(self, business: Business) -> None:
        with TransactWrite(connection=connection()) as tx:
            tx.save(codecs.business_item(business))
            tx.save(SlugItem(pk=f"SLUG#{business.slug}", sk="SLUG", business_id=business.id))

    def save_staff(self, business_id: str, staff: Staff) -> None:
        codecs.staff_item(business_id, staff).save()

    def save_service(self, business_id: str, service: Service) -> None:
        codecs.service_item(business_id, service).save()

    def save_desk(self, business_id: str, desk: Desk) -> None:
        """Seeding and tests, number claim included; the backoffice writes through repositories/desks.py."""
        pk, sk = number_key(business_id, desk.number)
        with TransactWrite(connection=connection()) as tx:
            tx.save(codecs.desk_item(business_id, desk))
            tx.save(DeskNumberItem(pk=pk, sk=sk, desk_id=desk.id))

    # -- clients -------------------------------------------------------------------------------
    def contacts_and_locks(self, business_id: str, email: str | None, phone: str | None,
                           units: Iterable[LockUnit]) -> tuple[str | None, set[LockUnit]]:
        """One consistent batch read before booking: the client already known by this email
        (first) or phone, and which of the given lock units somebody holds."""
        contacts = [(contact_pk(business_id), k) for k in contact_keys(email, phone)]
        locks = {lock_key(business_id, unit): unit for unit in units}
        found = {(i.pk, i.sk): i for i in Item.batch_get(contacts + list(locks), consistent_read=True)}
        client_id = next((found[k].client_id for k in contacts if k in found), None)
        held = {unit for key, unit in locks.items() if getattr(found.get(key), "owners", None)}
        return client_id, held

    def client(self, business_id: str, client_id: str) -> Client:
        try:
            return codecs.client(ClientItem.get(f"BIZ#{business_id}#CLIENT", client_id))
        except DoesNotExist:
            raise NotFoundError("no such client", field="client") from None

    # -- appointments --------------------------------------------------------------------------
    def appointments_between(self, business_id: str, start: datetime, end: datetime) -> list[Appointment]:
        """Appointments whose busy time may touch [start, end): one paginated index query."""
        low = iso(start - timedelta(minutes=MAX_BUSY_MINUTES))
        items = AppointmentItem.agenda.query(
            f"BIZ#{business_id}", AppointmentItem.agenda_sk.between(low, iso(end) + "~"),
        )
        return [a for a in map(codecs.appointment, items) if a.busy.start < end and start < a.busy.end]

    def busy_between(self, business_id: str, start: datetime, end: datetime) -> dict[ResourceRef, list[Minutes]]:
        """Busy minutes by resource of the appointments that may touch [start, end): one query of the
        busy days (repositories/busy_days.py), whatever the number of appointments."""
        return busy_days.read(lean_reads(connection().client), Item.Meta.table_name, business_id, start, end)

    def appointment(self, reference: str) -> Appointment:
        try:
            return codecs.appointment(AppointmentItem.get(f"APPT#{reference}", "APPT"))
        except DoesNotExist:
            raise NotFoundError("no such booking", field="reference") from None

    def write(self, change: AgendaChange) -> None:
        """Write one change to the agenda, all or nothing: the appointment (with the change's events,
        which the stream carries on), a new client and their contact keys, the change's rows, the
        removal of rows it made stale, its lock units, released and claimed, and its busy days.

        Two changes of one professional's day share its busy-day item, so DynamoDB may cancel one of
        two concurrent transactions (`TransactionConflict`): it wrote nothing and is tried again.

        Refusals, by the item whose condition failed (REFUSALS): a claimed unit somebody holds -> SlotUnavailableError; a new client's contact key taken
        meanwhile -> ContactTakenError; the appointment changed since `before` was read -> ConflictError
        `booking_changed`. When several fail, the first of those three wins.
        """
        self.write_all((change,))

    def write_all(self, changes: Sequence[AgendaChange]) -> None:
        """Several new appointments in one transaction, all or none (a waiting-list request for several
        services, domain/service_sequence.py): each change's rows as `write` writes them, and the busy-day
        items they share (one professional's day) updated once with every change's entries."""
        busy_updates: dict[tuple[str, str], tuple[Any, list]] = {}
        with Transaction(REFUSALS) as tx:
            for change in changes:
                self._add(tx, change)
                for busy_day, actions in busy_days.updates(change.before, change.after):
                    actions = actions + holds.busy_taken_over(change.hold)
                    key = (busy_day.pk, busy_day.sk)
                    known = busy_updates.setdefault(key, (busy_day, []))[1]
                    paths = {str(a.values[0]) for a in known}
                    known.extend(a for a in actions if str(a.values[0]) not in paths)
            later = []
            for busy_day, actions in busy_updates.values():
                if tx.size < MAX_TRANSACTION_ITEMS:
                    tx.update(busy_day, actions)
                else:
                    later.append((busy_day, actions))
        # Only the longest service (48 lock units) moved to a disjoint time by staff fills a transaction
        # (96 locks, the appointment, its message, the audit entry): the old day's entry is then removed
        # right after the commit. Were that write lost, the old time would show as busy online until the
        # day is rebuilt (busy_days.backfill) - never a double booking: the lock items decide those.
        for busy_day, actions in later:
            busy_day.update(actions=actions)

    @staticmethod
    def _add(tx: Transaction, change: AgendaChange) -> None:
        after = change.after
        business_id = after.business_id
        item = codecs.appointment_item(after, change.events)
        if change.before is None:
            tx.save(item, Item.pk.does_not_exist(), refused="appointment")
        else:
            tx.save(item, AppointmentItem.updated_at == change.before.updated_at, refused="appointment")
        if change.new_client is not None:
            profile = ClientProfile.new(change.new_client, after.created_at)
            tx.save(codecs.client_item(business_id, profile), Item.pk.does_not_exist(), refused="contact")
            for key in profile.contact_keys():
                tx.save(ContactItem(pk=contact_pk(business_id), sk=key, client_id=profile.id),
                        Item.pk.does_not_exist(), refused="contact")
        for record in change.records:
            if type(record) in codecs.GUARDED:
                encode, refused = codecs.GUARDED[type(record)]
                row, actions, condition = encode(record)
                tx.update(row, actions, condition, refused=refused)
            else:
                tx.save(codecs.item_of(record))
        for record in change.removals:
            tx.delete(codecs.item_of(record))
        for unit in sorted(change.releases):
            pk, sk = lock_key(business_id, unit)
            tx.update(LockItem(pk=pk, sk=sk), [LockItem.owners.delete({after.reference})])
        for record in change.expected:
            row = codecs.item_of(record.record)
            tx.save(row, getattr(type(row), record.attribute) == record.value, refused="record")
        for unit in sorted(change.claims):
            pk, sk = lock_key(business_id, unit)
            tx.update(LockItem(pk=pk, sk=sk), [
                LockItem.owners.add({after.reference}), LockItem.kind.set(LockItem),
                LockItem.expires_at.set(unit.start + LOCK_GRACE), *holds.taken_over(change.hold),
            ], holds.claim_condition(change, after.updated_at), refused="lock")

    # -- wrong secret codes --------------------------------------------------------------------
    def recent_code_failures(self, business_id: str, address: str, since: float) -> list[float]:
        return throttles.recent(f"THROTTLE#{business_id}#{address}", "code", since)

    def save_code_failures(self, business_id: str, address: str, failures: list[float], keep: int) -> None:
        throttles.save(f"THROTTLE#{business_id}#{address}", "code", failures, keep)


# What a refused write means, by the kind of item whose condition failed; the first that failed wins.
REFUSALS: Refusals = {
    "lock": lambda: SlotUnavailableError("that time is no longer available", field="start"),
    "contact": lambda: ContactTakenError("a client with these details was just created"),
    "appointment": lambda: ConflictError("the booking was changed meanwhile; reload it", code="booking_changed"),
    "plan": lambda: PlanUsedUpError("the plan's last unit was just taken; check what it covers again", field="plan"),
    "record": lambda: ConflictError("something this booking depends on changed meanwhile", code="changed_meanwhile"),
}


def contact_pk(business_id: str) -> str:
    return f"BIZ#{business_id}#CONTACT"


def contact_keys(email: str | None, phone: str | None) -> list[str]:
    return [k for k in (email and f"email#{email}", phone and f"phone#{phone}") if k]


def lock_key(business_id: str, unit: LockUnit) -> tuple[str, str]:
    return f"LOCK#{business_id}#{unit.resource_kind}#{unit.resource_id}", iso(unit.start)


def create_tables() -> None:
    """Create the tables that are missing (local stack and tests; infra/ creates them on AWS), and turn
    on the main table's stream where a table made before it had none."""
    for model in (Item, IdempotencyRecord):
        if not model.exists():
            model.create_table(wait=True)
    client = connection().client
    table = client.describe_table(TableName=Item.Meta.table_name)["Table"]
    if not table.get("StreamSpecification", {}).get("StreamEnabled"):
        client.update_table(TableName=Item.Meta.table_name, StreamSpecification={
            "StreamEnabled": True, "StreamViewType": Item.Meta.stream_view_type})
