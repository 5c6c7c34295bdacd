"""Backoffice writes to the catalog (business, staff, services): read with their revision, write back only
if nobody changed them meanwhile, all in one transaction with the audit entry that describes the change."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from ..domain.model import Business, Service, Staff
from ..errors import ConflictError, NotFoundError
from ..domain.audit import AuditEntry
from .codecs import audit_item
from . import codecs
from .tables import BusinessItem, Item, ServiceItem, StaffItem

T = TypeVar("T")


@dataclass(frozen=True)
class Versioned(Generic[T]):
    """A catalog record as read, with its revision (0: never edited from the backoffice; None: new)."""

    value: T
    revision: int | None


@dataclass(frozen=True)
class CatalogSnapshot:
    business: Versioned[Business]
    staff: dict[str, Versioned[Staff]]
    services: dict[str, Versioned[Service]]


def snapshot(business_id: str) -> CatalogSnapshot:
    """The whole catalog of one business, consistently read in one query."""
    business, staff, services = None, {}, {}
    for item in Item.query(f"BIZ#{business_id}", consistent_read=True):
        if isinstance(item, BusinessItem):
            business = Versioned(codecs.business(item), int(item.revision or 0))
        elif isinstance(item, StaffItem):
            staff[item.id] = Versioned(codecs.staff(item), int(item.revision or 0))
        elif isinstance(item, ServiceItem):
            services[item.id] = Versioned(codecs.service(item), int(item.revision or 0))
    if business is None:
        raise NotFoundError("no such business", field="business")
    return CatalogSnapshot(business, staff, services)


def staff_member(business_id: str, staff_id: str) -> Versioned[Staff]:
    try:
        item = StaffItem.get(f"BIZ#{business_id}", f"STAFF#{staff_id}", consistent_read=True)
    except DoesNotExist:
        raise NotFoundError("no such staff member", field="staff") from None
    return Versioned(codecs.staff(item), int(item.revision or 0))


def service(business_id: str, service_id: str) -> Versioned[Service]:
    try:
        item = ServiceItem.get(f"BIZ#{business_id}", f"SERVICE#{service_id}", consistent_read=True)
    except DoesNotExist:
        raise NotFoundError("no such service", field="service") from None
    return Versioned(codecs.service(item), int(item.revision or 0))


def save(business_id: str, changed: list[Versioned], audit: AuditEntry) -> None:
    """Store every changed record (each only if still at the revision read; `revision=None` only if new)
    and the audit entry, all or nothing. A lost race is ConflictError `changed_meanwhile`."""
    try:
        with TransactWrite(connection=Item._get_connection().connection) as tx:
            for record in changed:
                item, condition = item_for(business_id, record)
                tx.save(item, condition=condition)
            tx.save(audit_item(audit))
    except TransactWriteError:
        raise ConflictError("someone changed this meanwhile; reload and try again",
                            code="changed_meanwhile") from None


def _item(business_id: str, value, revision: int) -> Item:
    if isinstance(value, Business):
        return codecs.business_item(value, revision)
    if isinstance(value, Staff):
        return codecs.staff_item(business_id, value, revision)
    if isinstance(value, Service):
        return codecs.service_item(business_id, value, revision)
    raise TypeError(type(value))


def item_for(business_id: str, record: Versioned) -> tuple[Item, object]:
    """The (item, condition) pair for a record written inside another transaction (invitations)."""
    item = _item(business_id, record.value, (record.revision or 0) + 1)
    kind = type(item)
    if record.revision is None:
        return item, Item.pk.does_not_exist()
    if record.revision == 0:
        return item, Item.pk.exists() & kind.revision.does_not_exist()
    return item, kind.revision == record.revision
