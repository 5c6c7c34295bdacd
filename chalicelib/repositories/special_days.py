"""Closures and special hours, stored with the catalog (`BIZ#<business>`: `CLOSURE#<id>`,
`HOURS#<date>#<kind>#<id>`) so that availability reads them in the catalog's one query; each change is
written with its audit entry in one transaction. The one codec of these items is here."""
from __future__ import annotations

from datetime import date

from pynamodb.transactions import TransactWrite

from ..domain.audit import AuditEntry
from ..domain.calendar import intervals_json, parse_intervals
from ..domain.special_days import Closure, SpecialDays, SpecialHours
from .codecs import audit_item
from .tables import ClosureItem, Item, SpecialHoursItem
from .transactions import connection

Entry = Closure | SpecialHours


def decode(item: Item) -> Entry:
    if isinstance(item, ClosureItem):
        return Closure(item.id, item.name, date.fromisoformat(item.first_day), date.fromisoformat(item.last_day),
                       bool(item.yearly))
    return SpecialHours(item.id, date.fromisoformat(item.day), parse_intervals(item.hours, field="hours"),
                        item.resource_kind, item.resource_id or "", item.name or "")


def encode(business_id: str, entry: Entry) -> Item:
    pk = f"BIZ#{business_id}"
    if isinstance(entry, Closure):
        return ClosureItem(pk=pk, sk=f"CLOSURE#{entry.id}", id=entry.id, name=entry.name,
                           first_day=entry.first_day.isoformat(), last_day=entry.last_day.isoformat(),
                           yearly=entry.yearly)
    return SpecialHoursItem(pk=pk, sk=f"HOURS#{entry.day.isoformat()}#{entry.kind}#{entry.resource_id}",
                            id=entry.id, day=entry.day.isoformat(), hours=intervals_json(entry.hours),
                            resource_kind=entry.kind, resource_id=entry.resource_id, name=entry.name)


def gather(entries: list[Entry]) -> SpecialDays:
    return SpecialDays(tuple(sorted((e for e in entries if isinstance(e, Closure)), key=lambda c: (c.first_day, c.id))),
                       tuple(sorted((e for e in entries if isinstance(e, SpecialHours)),
                                    key=lambda h: (h.day, h.kind, h.resource_id))))


def read(business_id: str) -> SpecialDays:
    """The business's special days, read consistently (the backoffice edits what it just read)."""
    return gather([decode(i) for i in Item.query(f"BIZ#{business_id}", consistent_read=True)
                   if isinstance(i, (ClosureItem, SpecialHoursItem))])


def write(business_id: str, put: Entry | None, remove: Entry | None, audit: AuditEntry) -> None:
    """Put one entry and/or remove one (a replaced entry whose key moved), with the audit entry."""
    new = encode(business_id, put) if put is not None else None
    with TransactWrite(connection=connection()) as tx:
        if remove is not None:
            old = encode(business_id, remove)
            if new is None or old.sk != new.sk:  # the same key is simply written over
                tx.delete(old)
        if new is not None:
            tx.save(new)
        tx.save(audit_item(audit))
