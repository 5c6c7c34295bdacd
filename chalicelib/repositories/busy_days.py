"""Busy days: the compact projection of the agenda that availability reads (domain/busy.py).

Item `BUSY#<business>` / `<UTC day>#<kind>#<resource id>`: one attribute per appointment, named by its
reference, holding its busy minutes after that UTC midnight ("570,605"). A change sets or removes its
appointment's attribute in its own transaction (`updates`), so the summary is never behind the agenda;
moving within one resource-day is a single SET, so a transaction never names an item twice.

Why this shape: availability needs only (resource, start, end). A fully booked 50-professional salon has
~30,000 appointments in 31 days: whole appointment items are ~14 MB (14 query pages); these items are
~0.8 MB, one page, so a warm availability request stays at two calls (catalog + busy days). It is read
with the low-level client: PynamoDB would build an object per item for nothing.
"""
from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from typing import Iterable, Iterator

from pynamodb.expressions.operand import Path, Value

from ..domain.availability import Minutes
from ..domain.busy import BusyMark, busy_marks, day_start
from ..domain.calendar import UTC
from ..domain.model import Appointment, ResourceRef
from . import codecs
from .tables import AppointmentItem, BusyDayItem
from .transactions import connection

KEEP = timedelta(days=2)  # a busy day outlives its UTC day by this much, then TTL removes it
OWN_ATTRIBUTES = ("pk", "kind", "expires_at")  # and "sk", the key read first
BUSY_KIND = "busy"  # BusyDayItem's discriminator value


def busy_pk(business_id: str) -> str:
    return f"BUSY#{business_id}"


def busy_sk(resource: ResourceRef, day: date) -> str:
    return f"{day.isoformat()}#{resource.kind}#{resource.id}"


def updates(before: Appointment | None, after: Appointment) -> Iterator[tuple[BusyDayItem, list]]:
    """(item, actions) for each resource-day whose entry for this appointment changes: where it is
    now first, then where it no longer is (what may follow the commit when a transaction is full)."""
    old, new = busy_marks(before), busy_marks(after)
    for place in sorted(set(old) | set(new), key=lambda p: (p not in new, p[0].kind, p[0].id, p[1])):
        mark = new.get(place)
        if mark is not None and mark == old.get(place):
            continue  # same time, same resource: nothing to write
        resource, day = place
        item = BusyDayItem(pk=busy_pk(after.business_id), sk=busy_sk(resource, day))
        entry = Path([after.reference])
        action = entry.remove() if mark is None else entry.set(Value({"S": _entry(mark)}))
        yield item, [action, BusyDayItem.kind.set(BusyDayItem),
                     BusyDayItem.expires_at.set(datetime.fromtimestamp(_expiry(day), UTC))]


def read(reads, table: str, business_id: str, start: datetime, end: datetime) -> dict[ResourceRef, list[Minutes]]:
    """Busy minutes by resource for appointments that may touch [start, end): one query page for
    any agenda the API serves (see above), paginated all the same. `reads`: repositories/lean_reads.py."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)  # items are filed by UTC day
    first = date.fromordinal(start.toordinal() - 1)  # an appointment from the day before may reach in
    bodies = reads.query_bodies(
        TableName=table, KeyConditionExpression="pk = :pk AND sk BETWEEN :first AND :last",
        ExpressionAttributeValues={":pk": {"S": busy_pk(business_id)}, ":first": {"S": first.isoformat()},
                                   ":last": {"S": end.date().isoformat() + "~"}})
    query = (table, business_id, first, end.date())
    kept = _answers.get(query)
    if kept is None or kept[0] != bodies:
        if len(_answers) >= KEPT_ANSWERS:
            _answers.clear()
        kept = _answers[query] = (bodies, _busy(bodies))
    return {resource: list(times) for resource, times in kept[1].items()}


def _busy(bodies: list[bytes]) -> dict[ResourceRef, tuple[Minutes, ...]]:
    places: dict[str, list[Minutes]] = {}  # "<kind>#<id>" -> its busy time
    for body in bodies:
        for place, times in _known_days(body):
            kept = places.get(place)
            if kept is None:
                places[place] = list(times)
            else:
                kept.extend(times)
    return {ResourceRef(*place.split("#", 1)): tuple(times) for place, times in places.items()}


def forget() -> None:
    """A cold function's memory: nothing kept (tests, and the bench's first request)."""
    _known.clear()
    _answers.clear()


# A warm function keeps each resource-day it has decoded, by the item's own bytes in DynamoDB's answer,
# as it keeps the catalog (store.py): a booking changes one item, so the next request decodes that one
# and finds the others by their bytes - never staler than the read itself. Decoding was about half the
# engine's time on a busy fortnight (bench/request.py), nearly all of it objects made and dropped.
# And while a query's whole answer is the very bytes it was last time (nothing booked in its days since,
# the booking page's usual case), the busy time it gave is handed out again without cutting it apart.
KEPT_ANSWERS = 16  # answers of the last queries (each at most ~0.8 MB, see above)
_answers: dict[tuple, tuple[list[bytes], dict[ResourceRef, tuple[Minutes, ...]]]] = {}
KEPT_DAYS = 20_000  # resource-days (~0.2 KB of key and their minutes each): then start afresh
_known: dict[bytes, tuple[str, tuple[Minutes, ...]]] = {}
_SHAPES = ((b'"Items":[{"', b'}},{"', b'}}]'), (b'"Items": [{"', b'}}, {"', b'}}]'))  # DynamoDB's; moto's


def _known_days(body: bytes) -> Iterator[tuple[str, tuple[Minutes, ...]]]:
    """(place, busy minutes) of each item of one answer's page. The items are cut apart at the bytes
    that can only end one and start the next (their values are flat strings and numbers, where a quote is
    always escaped), checked against the answer's Count; anything else is decoded whole."""
    pieces = _pieces(body)
    if pieces is None:
        yield from (_decoded(item) for item in json.loads(body)["Items"])
        return
    if len(_known) > KEPT_DAYS:
        _known.clear()
    for piece in pieces:
        day = _known.get(piece)
        if day is None:
            day = _known[piece] = _decoded(json.loads(b'{"' + piece + b"}}"))
        yield day


def _pieces(body: bytes) -> list[bytes] | None:
    for opening, between, closing in _SHAPES:
        at = body.find(opening)
        if at < 0:
            continue
        end = body.find(closing, at)
        count = _COUNT.search(body)
        if end < 0 or count is None:
            return None
        pieces = body[at + len(opening):end].split(between)
        return pieces if len(pieces) == int(count.group(1)) else None
    return None


_COUNT = re.compile(rb'"Count": ?(\d+)')


def _decoded(item: dict) -> tuple[str, tuple[Minutes, ...]]:
    """One busy-day item as (its place, its entries as busy minutes since the epoch)."""
    day, _, place = item.pop("sk")["S"].partition("#")
    for name in OWN_ATTRIBUTES:  # what is left are the entries
        item.pop(name, None)
    base = day_start(date.fromisoformat(day))
    times = []
    for value in item.values():
        low, _, high = value["S"].partition(",")
        times.append((base + int(low), base + int(high)))
    return place, tuple(times)


def _entry(mark: BusyMark) -> str:
    base = day_start(mark.day)
    return f"{mark.start - base},{mark.end - base}"


def rebuilt(appointments: Iterable[Appointment]) -> list[dict]:
    """Whole busy-day items (DynamoDB JSON, for BatchWriteItem) holding these appointments' marks."""
    items: dict[tuple, dict] = {}
    for appointment in appointments:
        for (resource, day), mark in busy_marks(appointment).items():
            key = (appointment.business_id, resource, day)
            item = items.get(key)
            if item is None:
                item = items[key] = {
                    "pk": {"S": busy_pk(appointment.business_id)}, "sk": {"S": busy_sk(resource, day)},
                    "kind": {"S": BUSY_KIND}, "expires_at": {"N": str(_expiry(day))},
                }
            item[appointment.reference] = {"S": _entry(mark)}
    return list(items.values())


def put_all(client, table: str, items: list[dict]) -> None:
    """Put whole items, 25 to a BatchWriteItem, until DynamoDB has taken every one."""
    for first in range(0, len(items), 25):
        requests = {table: [{"PutRequest": {"Item": item}} for item in items[first:first + 25]]}
        while requests:
            requests = client.batch_write_item(RequestItems=requests).get("UnprocessedItems") or {}


def backfill(since: date) -> int:
    """Rebuild the busy days from `since` (a UTC day) on from the appointments themselves: how data
    stored before busy days existed gets them (run once, before availability reads them; see README).
    Whole items are put, so it also repairs a day. Returns how many items it wrote."""
    start = datetime(since.year, since.month, since.day, tzinfo=UTC)
    found = (codecs.appointment(item) for item in AppointmentItem.scan(AppointmentItem.busy_start >= start))
    items = rebuilt(found)
    put_all(connection().client, BusyDayItem.Meta.table_name, items)
    return len(items)


def _expiry(day: date) -> int:
    """Epoch seconds at which TTL may remove a day's item."""
    return int((datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1) + KEEP).timestamp())
