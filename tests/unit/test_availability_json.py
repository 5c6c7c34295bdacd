"""The availability answer is written as text (api/availability_json.py); it must be byte for byte what
Chalice's json.dumps made of the plain dict, across DST changes, in odd zones and with ids JSON must escape."""
from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from chalicelib.api.availability_json import availability_response
from chalicelib.domain.availability import Slot, epoch_minute


def plain(zone: str, slots: list[Slot], closed=()) -> str:
    """What the route answered before: a dict, dumped by Chalice."""
    tz = ZoneInfo(zone)
    body = {"timezone": zone, "slots": [
        {"start": s.start.astimezone(tz).isoformat(), "end": s.end.astimezone(tz).isoformat(), "staff": list(s.staff),
         **({"desks": list(s.desks)} if s.desks else {})}
        for s in slots
    ], "closed_days": [{"date": day.isoformat(), "name": name} for day, name in closed]}
    return json.dumps(body, separators=(",", ":"))


@pytest.mark.parametrize("zone, day", [
    ("Europe/Madrid", "2026-03-29"), ("Europe/Madrid", "2026-10-25"),
    ("Australia/Lord_Howe", "2026-04-05"),  # half-hour DST change
    ("Asia/Kathmandu", "2026-03-29"), ("America/St_Johns", "2026-11-01"), ("UTC", "2026-03-29"),
    ("Pacific/Apia", "2026-03-29"),
])
def test_the_text_is_what_json_dumps_wrote_for_the_dict(zone, day):
    rng = random.Random(zone + day)
    ids = ["stf_a", "stf_b", 'odd "quoted" \\ id', "ñandú", "\u2028line", "", "tab\tid", "del\x7f", 'a","b']
    start = datetime.fromisoformat(day).replace(tzinfo=timezone.utc) - timedelta(days=1)
    slots = []
    for step in range(3 * 24 * 12):  # every 5 minutes over three days around the change
        at = start + timedelta(minutes=5 * step)
        staff = tuple(rng.sample(ids, rng.randint(0, len(ids))))
        end = at + timedelta(minutes=rng.choice([15, 30, 45, 90, 600]))
        minutes = (epoch_minute(at), epoch_minute(end)) if step % 2 else None  # as the engine makes them, or not
        desks = tuple(rng.sample(ids, rng.randint(0, 2)))  # a service that needs a desk lists the free ones
        slots.append(Slot(at, end, {"staff": staff, **({"desk": desks} if desks else {})}, minutes))
    closed = [(date.fromisoformat(day), "Fiesta \"local\" ñ")]
    answer = availability_response(zone, ZoneInfo(zone), slots, closed)
    assert answer.to_dict()["body"] == plain(zone, slots, closed)
    assert answer.to_dict()["headers"] == {}  # as a dict body had: API Gateway's JSON default


def test_off_the_minute_and_empty_answers_read_as_before():
    at = datetime(2026, 3, 24, 9, 0, 30, tzinfo=timezone.utc)
    slots = [Slot(at, at + timedelta(minutes=30), {"staff": ("stf_a",)})]
    assert availability_response("Europe/Madrid", ZoneInfo("Europe/Madrid"), slots).body == plain("Europe/Madrid", slots)
    assert availability_response("Europe/Madrid", ZoneInfo("Europe/Madrid"), []).body == plain("Europe/Madrid", [])


def test_a_slot_asked_again_reads_who_is_free_now():
    """A warm function keeps each slot's text by its minutes: once a professional is booked, or a desk
    taken, the same minutes must read the new list, and the others their kept text."""
    zone, tz = "Europe/Madrid", ZoneInfo("Europe/Madrid")
    at = datetime(2026, 3, 24, 9, 0, tzinfo=timezone.utc)

    def slot(offset: int, free: dict) -> Slot:
        start = at + timedelta(minutes=offset)
        return Slot(start, start + timedelta(minutes=30), free, (epoch_minute(start), epoch_minute(start) + 30))

    before = [slot(0, {"staff": ("stf_a", "stf_b")}), slot(15, {"staff": ("stf_a",), "desk": ("dsk_1", "dsk_2")})]
    after = [slot(0, {"staff": ("stf_b",)}), slot(15, {"staff": ("stf_a",), "desk": ("dsk_2",)}),
             slot(30, {"staff": ("stf_a",)})]
    for slots in (before, after, before, after):
        assert availability_response(zone, tz, slots).body == plain(zone, slots)
