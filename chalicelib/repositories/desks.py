"""Desks from the backoffice: read with their revision, written back only if nobody changed them meanwhile,
with their number claimed in the same transaction (one desk per number in a business, whatever the race).

A desk is a catalog item (`BIZ#<business>` / `DESK#<id>`, read with the catalog in one query); its number is
a second item, `BIZ#<business>#DESKNO` / `<number>`, put only if absent. Renumbering deletes the old claim
(only if it is still this desk's) and puts the new one, in the desk's own transaction.
"""
from __future__ import annotations

from pynamodb.exceptions import DoesNotExist, TransactWriteError

from ..domain.audit import AuditEntry
from ..domain.desks import Desk
from ..errors import ConflictError, NotFoundError
from . import codecs
from .catalog_admin import Versioned
from .clients import valid_id
from .tables import DeskItem, DeskNumberItem, Item
from .transactions import Refusals, Transaction

REFUSALS: Refusals = {
    "number": lambda: ConflictError("another desk has this number", field="number", code="desk_number_taken"),
    "desk": lambda: ConflictError("someone changed this meanwhile; reload and try again", code="changed_meanwhile"),
}


def number_key(business_id: str, number: int) -> tuple[str, str]:
    return f"BIZ#{business_id}#DESKNO", f"{number:06d}"


def desks(business_id: str) -> list[Versioned[Desk]]:
    """Every desk of the business, lowest number first, consistently read."""
    found = [Versioned(codecs.desk(item), int(item.revision or 0))
             for item in Item.query(f"BIZ#{business_id}", Item.sk.startswith("DESK#"), consistent_read=True)
             if isinstance(item, DeskItem)]
    return sorted(found, key=lambda v: v.value.number)


def desk(business_id: str, desk_id: str) -> Versioned[Desk]:
    if not valid_id(desk_id):
        raise NotFoundError("no such desk", field="desk")
    try:
        item = DeskItem.get(f"BIZ#{business_id}", f"DESK#{desk_id}", consistent_read=True)
    except DoesNotExist:
        raise NotFoundError("no such desk", field="desk") from None
    return Versioned(codecs.desk(item), int(item.revision or 0))


def save(business_id: str, record: Versioned[Desk], before: Desk | None, audit: AuditEntry) -> None:
    """Store the desk (only if still at the revision read; only if new when `revision` is None), claim its
    number if it changed, and write the audit entry: all or nothing. A number another desk holds is
    ConflictError `desk_number_taken` (field `number`); a lost edit race `changed_meanwhile`."""
    desk_ = record.value
    item = codecs.desk_item(business_id, desk_, (record.revision or 0) + 1)
    if record.revision is None:
        condition = Item.pk.does_not_exist()
    elif record.revision == 0:
        condition = Item.pk.exists() & DeskItem.revision.does_not_exist()
    else:
        condition = DeskItem.revision == record.revision
    try:
        _write(business_id, item, condition, desk_, before, audit)
    except TransactWriteError:  # cancelled by a concurrent transaction, not by a condition: retry later
        raise REFUSALS["desk"]() from None


def _write(business_id: str, item: DeskItem, condition, desk_: Desk, before: Desk | None, audit: AuditEntry) -> None:
    with Transaction(REFUSALS) as tx:
        tx.save(item, condition, refused="desk")
        if before is None or before.number != desk_.number:
            pk, sk = number_key(business_id, desk_.number)
            tx.save(DeskNumberItem(pk=pk, sk=sk, desk_id=desk_.id), Item.pk.does_not_exist(), refused="number")
            if before is not None:
                pk, sk = number_key(business_id, before.number)
                tx.delete(DeskNumberItem(pk=pk, sk=sk), DeskNumberItem.desk_id == desk_.id, refused="desk")
        tx.save(codecs.audit_item(audit))
