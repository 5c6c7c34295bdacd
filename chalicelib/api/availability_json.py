"""The availability answer written straight as JSON text: the booking page asks for it on every day a client
taps, and hundreds of slots through dicts, `isoformat` and `json.dumps` cost more CPU than the engine that
found them (bench/request.py). The text is byte for byte what `json.dumps(..., separators=(",", ":"))`,
Chalice's own, writes for the same dict (tests/unit/test_availability_json.py checks it).

A warm function keeps, per zone, each slot's whole text as written once, by its minutes, with who was free
for it: while that is still who is free (the booking page asks for the same days again and again, and a
zone's rules do not change while it lives), a slot is one dictionary look-up and one comparison.
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
    """A warm function's texts for one zone: each slot's whole JSON object by its minutes, with who was
    free for it then, and each 'who is free' as JSON lists."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.local = LocalTimes(tz)
        self.slots: dict[Minutes, tuple[dict, str]] = {}  # (start, end) epoch minutes -> (free, '{"start":...}')
        self.lists: dict[tuple, str] = {}  # (staff, desks) -> '["stf_a","stf_b"]}' (the slot's tail)

    def text(self, slot: Slot) -> str:
        """A slot's text, written now, and kept when the slot is on the minute."""
        free = slot.free
        staff, desks = free.get("staff", ()), free.get("desk", ())
        minutes = slot.minutes or _minutes(slot)
        if minutes is None:  # off the minute: never on the grid, written as isoformat writes it
            return dumps({"start": self.local.iso(slot.start), "end": self.local.iso(slot.end),
                          "staff": list(staff), **({"desks": list(desks)} if desks else {})})
        if len(self.slots) > KEPT:
            self.slots.clear()
            self.lists.clear()
            self.local.texts.clear()
        tail = self.lists.get((staff, desks))
        if tail is None:
            tail = self.lists[staff, desks] = _list(staff) + (f',"desks":{_list(desks)}' if desks else "") + "}"
        start, end = minutes
        text = f'{{"start":"{self.local.minute(start)}","end":"{self.local.minute(end)}","staff":{tail}'
        self.slots[minutes] = (free, text)
        return text


@lru_cache(maxsize=32)
def _zone(tz: ZoneInfo) -> _Zone:
    return _Zone(tz)


def availability_response(timezone: str, tz: ZoneInfo, slots: Sequence[Slot],
                          closed: Sequence[tuple[date, str]] = ()) -> Response:
    """{"timezone": ..., "slots": [{"start": ..., "end": ..., "staff": [...], "desks": [...]}, ...],
    "closed_days": [{"date": ..., "name": ...}]} as JSON text ("desks" only on a slot that needs one)."""
    zone = _zone(tz)
    kept = zone.slots.get
    parts = [known[1] if (known := kept(slot.minutes)) is not None and known[0] == slot.free else None
             for slot in slots]
    if None in parts:  # a slot not written yet, or whose free professionals or desks changed
        parts = [text or zone.text(slot) for text, slot in zip(parts, slots)]
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
