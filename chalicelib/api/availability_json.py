"""The availability answer written straight as JSON text: the booking page asks for it on every day a client
taps, and hundreds of slots through dicts, `isoformat` and `json.dumps` cost more CPU than the engine that
found them (bench/request.py). The text is byte for byte what `json.dumps(..., separators=(",", ":"))`,
Chalice's own, writes for the same dict (tests/unit/test_availability_json.py checks it).
"""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Sequence
from zoneinfo import ZoneInfo

from chalice import Response

from ..domain.availability import LocalTimes, Slot, epoch_minute

KEPT_TEXTS = 20_000  # a zone's cached instants (~2 MB at most); past that they are written afresh


def dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


@lru_cache(maxsize=32)
def _local_times(tz: ZoneInfo) -> LocalTimes:
    """A warm function keeps each zone's texts: the booking page asks for the same days again and again,
    and a zone's rules do not change while the function lives."""
    return LocalTimes(tz)


def availability_response(timezone: str, tz: ZoneInfo, slots: Sequence[Slot]) -> Response:
    """{"timezone": ..., "slots": [{"start": ..., "end": ..., "staff": [...]}, ...]} as JSON text."""
    local = _local_times(tz)
    if len(local.texts) > KEPT_TEXTS:
        local.texts.clear()
    texts, minute = local.texts, local.minute
    ids: dict[str, str] = {}  # id -> its JSON string
    lists: dict[tuple[str, ...], str] = {}  # who is free -> its JSON list; slots mostly share them
    parts = []
    for slot in slots:
        staff = slot.free.get("staff", ())
        staff_text = lists.get(staff)
        if staff_text is None:
            staff_text = lists[staff] = f"[{','.join([ids.get(i) or ids.setdefault(i, dumps(i)) for i in staff])}]"
        start, end = slot.minutes or _minutes(slot)
        if start is None:  # off the minute: never on the grid, written as isoformat writes it
            parts.append(dumps({"start": local.iso(slot.start), "end": local.iso(slot.end), "staff": list(staff)}))
            continue
        parts.append(f'{{"start":"{texts.get(start) or minute(start)}","end":"{texts.get(end) or minute(end)}",'
                     f'"staff":{staff_text}}}')
    return Response(body=f'{{"timezone":{dumps(timezone)},"slots":[{",".join(parts)}]}}')


def _minutes(slot: Slot) -> tuple[int | None, int | None]:
    """A slot's epoch minutes when the engine did not give them; (None, None) if either is off the minute."""
    if slot.start.second or slot.start.microsecond or slot.end.second or slot.end.microsecond:
        return None, None
    return epoch_minute(slot.start), epoch_minute(slot.end)
