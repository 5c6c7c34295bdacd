"""The yardstick for the availability engine: the least code that finds the bench scenario's slots.

Sort each professional's busy time, walk their grid starts in order with one pointer into it. No time
off, no merging of touching windows, no DST-shifted grid (the scenario's shifts start on the grid), one
pool: only what the scenario needs. `bench.engine` checks that it and the engine find the same slots,
and prints the engine's time as a multiple of this one's.
"""
from __future__ import annotations

from datetime import date, timedelta

from chalicelib.domain.calendar import local_instant
from chalicelib.domain.model import Appointment, Catalog, Service

EPOCH_SECONDS = 60


def sweep(catalog: Catalog, service: Service, appointments: list[Appointment], first_day: date, last_day: date,
          earliest: int, latest: int) -> list[tuple[int, tuple[str, ...]]]:
    """(start, ids of the professionals free then) in epoch minutes, in time order."""
    business = catalog.business
    tz, step = business.tz, business.rules.slot_step_minutes
    duration, before, after = service.duration_minutes, service.buffer_before_minutes, service.buffer_after_minutes
    busy: dict[str, list[tuple[int, int]]] = {}
    for a in appointments:
        busy.setdefault(a.staff_id, []).append((int(a.busy.start.timestamp()) // 60, int(a.busy.end.timestamp()) // 60))
    days = [first_day + timedelta(days=i) for i in range((last_day - first_day).days + 1)]
    free: dict[int, list[str]] = {}
    for member in catalog.performers(service.id):
        taken = sorted(busy.get(member.id, ()))
        n, j = len(taken), 0
        hours = member.hours.intersect(business.opening_hours)
        for day in days:
            for open_at, close_at in hours.on(day):
                first = int(local_instant(day, open_at, tz).timestamp()) // 60
                last = int(local_instant(day, close_at, tz).timestamp()) // 60 - duration
                for start in range(first, last + 1, step):
                    if not earliest <= start < latest:
                        continue
                    while j < n and taken[j][1] <= start - before:
                        j += 1
                    if j == n or taken[j][0] >= start + duration + after:
                        free.setdefault(start, []).append(member.id)
    return [(start, tuple(free[start])) for start in sorted(free)]
