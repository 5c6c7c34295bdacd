"""The availability answer written straight as JSON text: the booking page asks for it on every day a client
taps, and hundreds of slots through dicts, `isoformat` and `json.dumps` cost more CPU than the engine that
found them (bench/request.py). The text is byte for byte what `json.dumps(..., separators=(",", ":"))`,
Chalice's own, writes for the same dict (tests/unit/test_availability_json.py checks it).

A warm function keeps, per zone, each slot's '{"start":"...","end":"...","staff":' as written once (the
booking page asks for the same days again and again, and a zone's rules do not change while it lives).
"""
from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from typing import Sequence
from zoneinfo import ZoneInfo

from chalice import Response

from ..domain.availability import LocalTimes, Minutes, Slot, epoch_minute

KEPT = 20_000  # slot heads kept per zone (a few MB at most); past that they are written afresh


def dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


class _Zone:
    def __init__(self, tz: ZoneInfo) -> None:
        self.local = LocalTimes(tz)
        self.heads: dict[Minutes, str] = {}  # (start, end) in epoch minutes -> '{"start":"...","end":"...","staff":'

    def head(self, minutes: Minutes) -> str:
        if len(self.heads) > KEPT:
            self.heads.clear()
            self.local.texts.clear()
        start, end = minutes
        text = self.heads[minutes] = f'{{"start":"{self.local.minute(start)}","end":"{self.local.minute(end)}","staff":'
        return text


@lru_cache(maxsize=32)
def _zone(tz: ZoneInfo) -> _Zone:
    return _Zone(tz)


def availability_response(timezone: str, tz: ZoneInfo, slots: Sequence[Slot],
                          closed: Sequence[tuple[date, str]] = ()) -> Response:
    """{"timezone": ..., "slots": [{"start": ..., "end": ..., "staff": [...], "desks": [...]}, ...],
    "closed_days": [{"date": ..., "name": ...}]} as JSON text ("desks" only on a slot that needs one)."""
    zone = _zone(tz)
    heads, head = zone.heads, zone.head
    lists: dict[tuple, str] = {}  # who is free -> their JSON lists and the slot's closing brace
    parts = []
    for slot in slots:
        staff, desks = slot.free.get("staff", ()), slot.free.get("desk", ())
        tail = lists.get((staff, desks))
        if tail is None:
            tail = lists[staff, desks] = _list(staff) + (f',"desks":{_list(desks)}' if desks else "") + "}"
        minutes = slot.minutes or _minutes(slot)
        if minutes is None:  # off the minute: never on the grid, written as isoformat writes it
            parts.append(dumps({"start": zone.local.iso(slot.start), "end": zone.local.iso(slot.end),
                                "staff": list(staff), **({"desks": list(desks)} if desks else {})}))
        else:
            parts.append((heads.get(minutes) or head(minutes)) + tail)
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
