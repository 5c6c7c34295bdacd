"""The availability answer written straight as JSON text: the booking page asks for it on every day a client
taps, and hundreds of slots through dicts, `isoformat` and `json.dumps` cost more CPU than the engine that
found them (bench/request.py). The text is byte for byte what `json.dumps(..., separators=(",", ":"))`,
Chalice's own, writes for the same dict (tests/unit/test_availability_json.py checks it).

A warm function keeps, per zone, each slot's whole text as written once, by its minutes and who is free: a
slot is then one dictionary look-up (the booking page asks for the same days again and again, and a zone's
rules do not change while it lives).
"""
from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from typing import Sequence
from zoneinfo import ZoneInfo

from chalice import Response

from ..domain.availability import LocalTimes, Minutes, Slot, epoch_minute

KEPT = 20_000  # slot texts kept per zone (a few MB at most); past that they are written afresh


def dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


class _Zone:
    """A warm function's texts for one zone: each slot's whole JSON object, by its minutes and who is free
    (the booking page asks for the same days again and again, and a zone's rules do not change while it
    lives), and each 'who is free' as JSON lists."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.local = LocalTimes(tz)
        self.slots: dict[tuple, str] = {}  # ((start, end) epoch minutes, staff, desks) -> '{"start":...}'
        self.lists: dict[tuple, str] = {}  # (staff, desks) -> '["stf_a","stf_b"]}' (the slot's tail)

    def slot(self, key: tuple) -> str:
        if len(self.slots) > KEPT:
            self.slots.clear()
            self.lists.clear()
            self.local.texts.clear()
        (start, end), staff, desks = key
        tail = self.lists.get((staff, desks))
        if tail is None:
            tail = self.lists[staff, desks] = _list(staff) + (f',"desks":{_list(desks)}' if desks else "") + "}"
        text = self.slots[key] = (f'{{"start":"{self.local.minute(start)}","end":"{self.local.minute(end)}",'
                                  f'"staff":{tail}')
        return text


@lru_cache(maxsize=32)
def _zone(tz: ZoneInfo) -> _Zone:
    return _Zone(tz)


def availability_response(timezone: str, tz: ZoneInfo, slots: Sequence[Slot],
                          closed: Sequence[tuple[date, str]] = ()) -> Response:
    """{"timezone": ..., "slots": [{"start": ..., "end": ..., "staff": [...], "desks": [...]}, ...],
    "closed_days": [{"date": ..., "name": ...}]} as JSON text ("desks" only on a slot that needs one)."""
    zone = _zone(tz)
    known, write = zone.slots, zone.slot
    parts = []
    append = parts.append
    for slot in slots:
        free = slot.free
        key = (slot.minutes or _minutes(slot), free.get("staff", ()), free.get("desk", ()))
        text = known.get(key)
        if text is None:
            if key[0] is None:  # off the minute: never on the grid, written as isoformat writes it
                staff, desks = key[1], key[2]
                text = dumps({"start": zone.local.iso(slot.start), "end": zone.local.iso(slot.end),
                              "staff": list(staff), **({"desks": list(desks)} if desks else {})})
            else:
                text = write(key)
        append(text)
    days = dumps([{"date": day.isoformat(), "name": name} for day, name in closed])
    return Response(body=f'{{"timezone":{dumps(timezone)},"slots":[{",".join(parts)}],"closed_days":{days}}}')


def _list(ids: tuple[str, ...]) -> str:
    """A JSON list of strings. Ids as Turno makes them (printable ASCII, no quote or backslash) are written
    between quotes as they are, which is what json.dumps writes for them; any other goes through json.dumps."""
    joined = '","'.join(ids)
    if joined.isascii() and joined.isprintable() and "\\" not in joined and joined.count('"') == 2 * len(ids) - 2:
        return f'["{joined}"]' if ids else "[]"
    return dumps(list(ids))


def _minutes(slot: Slot) -> Minutes | None:
    """A slot's epoch minutes when the engine did not give them; None if either end is off the minute."""
    if slot.start.second or slot.start.microsecond or slot.end.second or slot.end.microsecond:
        return None
    return epoch_minute(slot.start), epoch_minute(slot.end)
