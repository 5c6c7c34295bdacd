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

from ..domain.availability import LocalTimes, Slot

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
    iso, text_of = local.iso, local.texts.get
    staff_texts: dict[tuple[str, ...], str] = {}  # slots mostly share who is free: each list is written once
    parts = []
    for slot in slots:
        start, end, staff = slot.start, slot.end, slot.staff
        staff_text = staff_texts.get(staff)
        if staff_text is None:
            staff_text = staff_texts[staff] = dumps(list(staff))
        parts.append(f'{{"start":"{text_of(start) or iso(start)}","end":"{text_of(end) or iso(end)}",'
                     f'"staff":{staff_text}}}')
    return Response(body=f'{{"timezone":{dumps(timezone)},"slots":[{",".join(parts)}]}}')
